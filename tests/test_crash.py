"""A build killed with SIGKILL at any moment leaves a complete, loadable corpus/."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

from killpoint import Stoppable
from newscorpus.cli import main
from newscorpus.dev.synth import write_synth
from newscorpus.fsutil import sha256_file

REPO = Path(__file__).resolve().parent.parent


def consistent(root: Path) -> dict[str, int]:
    """The published corpus/ agrees with itself: every file the card and Croissant name
    exists with the row count and sha256 they state, and nothing else is published."""
    corpus = root / "corpus"
    card = (corpus / "README.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(card.split("---")[1])
    croissant = json.loads((corpus / "croissant.json").read_text(encoding="utf-8"))
    hashes = {
        obj["contentUrl"]: obj["sha256"] for obj in croissant["distribution"] if "sha256" in obj
    }
    rows = {}
    for info in meta.get("dataset_info", []):
        for split in info["splits"]:
            path = f"data/{info['config_name']}/{split['name']}-00000-of-00001.parquet"
            assert pq.ParquetFile(corpus / path).metadata.num_rows == split["num_examples"]
            assert sha256_file(corpus / path) == hashes[path]
            rows[path] = split["num_examples"]
    published = {p.relative_to(corpus).as_posix() for p in (corpus / "data").rglob("*.parquet")}
    assert published == set(rows)
    assert len(list((corpus / "records").glob("*.json"))) > 0
    return rows


@pytest.fixture(scope="module")
def big_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus large enough that a build takes a few seconds: the window to kill it in."""
    root = tmp_path_factory.mktemp("crash") / "root"
    root.mkdir()
    shutil.copyfile(REPO / "DATASHEET.md", root / "DATASHEET.md")
    write_synth(root, 300, seed=11)
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_a_complete_corpus(big_root: Path, tmp_path: Path):
    before = consistent(big_root)
    # Make the next build publish something different: one more record.
    write_synth(big_root, 1, seed=12)
    command = ["build", "--no-cache", "--jobs", "2", "--root", str(big_root)]
    whole = Stoppable(command, at=-1, stderr=subprocess.PIPE, text=True)  # never stopped
    assert whole.reached() is None, "a build with nothing to stop at"
    assert whole.process.returncode == 0, whole.process.stderr.read()
    steps = whole.steps  # the file-system steps of a whole build, in its main process
    after = consistent(big_root)
    assert after != before
    # Go back to the old inputs, rebuild, then kill rebuilds at steps spread over a build.
    (big_root / "corpus/records/synth-12-000000.json").unlink()
    assert CliRunner().invoke(main, ["build", "--root", str(big_root)]).exit_code == 0
    # Each round adds the record or takes it away again, so that every build has work to do;
    # the build after a kill must publish what the inputs of that round say.
    record = big_root / "corpus/records/synth-12-000000.json"
    outcomes, present = set(), False
    for fraction in (0.0, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.97, 1.05):
        present = not present
        if present:
            write_synth(big_root, 1, seed=12, overwrite=True)
        else:
            record.unlink()
            for backup in (big_root / "corpus/records").glob("*.bak"):
                backup.unlink()
        wanted = after if present else before
        build = Stoppable(
            command, at=int(steps * fraction), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        stopped = build.reached()  # None: the build ended first (at 1.05, after its last step)
        assert (stopped is None) == (fraction > 1), (fraction, steps, stopped)
        if stopped is not None:
            build.kill()
        state = consistent(big_root)  # never half-written: old or new, each complete
        assert state in (before, after), stopped
        outcomes.add("new" if state == wanted else "old")
        result = CliRunner().invoke(main, ["build", "--root", str(big_root)])
        assert result.exit_code == 0, result.output
        assert consistent(big_root) == wanted, stopped  # the next build completes the work
        assert not list(big_root.glob(".corpus-staging-*"))
    if present:
        record.unlink()
        assert CliRunner().invoke(main, ["build", "--root", str(big_root)]).exit_code == 0
    assert "old" in outcomes  # the kills did land mid-build


@pytest.mark.slow
def test_a_killed_build_still_loads_with_datasets(big_root: Path, tmp_path: Path):
    from datasets import load_dataset

    write_synth(big_root, 1, seed=13)
    command = ["build", "--no-cache", "--root", str(big_root)]
    # Killed mid-way through writing its staging folder: its fourth step there.
    build = Stoppable(command, at=3, inside=".corpus-staging-", stderr=subprocess.DEVNULL)
    assert build.reached() is not None, "the build wrote no staging folder"
    build.kill()
    consistent(big_root)
    for config in ("documents", "ner"):
        dataset = load_dataset(str(big_root / "corpus"), config, cache_dir=str(tmp_path / config))
        assert dataset["train"].num_rows > 0
    (big_root / "corpus/records/synth-13-000000.json").unlink()
