"""Scale: synthetic corpora, the engine path of the per-record stage, the benchmark script."""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.dev.scale_out import render_with_datasets
from newscorpus.dev.synth import synth_records, write_synth
from newscorpus.publish.build import render
from newscorpus.publish.derive import SHARD, derive_shard
from newscorpus.records import record_files
from newscorpus.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def synth_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scale") / "root"
    root.mkdir()
    shutil.copyfile(REPO / "DATASHEET.md", root / "DATASHEET.md")
    write_synth(root, 3 * SHARD + 5, seed=5)
    return root


def test_synthetic_records_are_valid_and_plausible(synth_root: Path):
    report = validate_paths(synth_root, jobs=2)
    assert report.files == 3 * SHARD + 5 and report.findings == []
    for record, _ in synth_records(20, seed=5):
        assert record["id"].startswith("synth-")
        assert 3000 <= len(record["text"]) <= 5200
        assert 30 <= len(record["mentions"]) <= 90
        assert record["entities"] and record["quotes"] and record["events"]
        assert record["relations"] and len(record["passages"]) > 3


def test_synth_refuses_to_overwrite_and_force_keeps_backups(tmp_path: Path):
    args = ["synth", "3", "--seed", "9", "--root", str(tmp_path)]
    assert CliRunner().invoke(main, args).exit_code == 0
    record = tmp_path / "corpus/records/synth-9-000001.json"
    record.write_text(record.read_text().replace('"notes": "', '"notes": "edited '))
    edited = record.read_bytes()
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1 and "nothing was overwritten" in refused.output
    assert record.read_bytes() == edited
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0
    assert record.with_name(record.name + ".bak").read_bytes() == edited
    assert record.read_bytes() != edited


def test_the_per_record_stage_is_pure(synth_root: Path):
    paths = record_files(synth_root)[:SHARD]
    first = derive_shard((synth_root, paths, False))
    second = derive_shard((synth_root, paths, False))
    assert first.records == second.records == SHARD
    assert first.tables.keys() == second.tables.keys()
    for key, table in first.tables.items():
        assert table.equals(second.tables[key])


def test_datasets_map_gives_the_same_bytes_as_the_local_build(synth_root: Path, tmp_path: Path):
    local = render(synth_root, tmp_path / "local", jobs=2)
    engine = render_with_datasets(synth_root, tmp_path / "engine", num_proc=2)
    assert engine.rows == local.rows and engine.records == local.records
    for path in sorted((tmp_path / "local").rglob("*")):
        if path.is_file():
            twin = tmp_path / "engine" / path.relative_to(tmp_path / "local")
            assert filecmp.cmp(path, twin, shallow=False), path.name


@pytest.mark.slow
def test_the_benchmark_script_reports_ratios(tmp_path: Path):
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newscorpus.dev.benchmark",
            "--sizes",
            "40",
            "--repeat",
            "1",
            "--workdir",
            str(tmp_path / "work"),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    (figures,) = json.loads(out.read_text())
    assert figures["records"] == 40
    assert {"floor", "hash", "validate", "build", "noop"} <= set(figures)
    assert figures["validate"]["x_floor"] > 0 and figures["noop"]["x_hash"] > 0
    assert "| 40 | build |" in done.stdout
