"""Faults of the newer writers and readers: output paths over curated files, a failed export,
a lone surrogate shown, a malformed schema/dataset.json, a repeated `add --force`, `synth` at
a root that is no corpus, a Ray address where nothing listens. Each asserts what the user
sees (exit code, message, no traceback) and that every prior file is byte-identical or kept
as a backup. Fixture roots only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newscorpus.cli import main

REPO = Path(__file__).resolve().parent.parent
PUBLISHED = Path(__file__).parent / "data" / "publish" / "root"
RECORD = "corpus/records/fixture_000.json"


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and ".newscorpus-cache" not in p.parts
    }


def invoke(root: Path, *args: str) -> Any:
    return CliRunner().invoke(main, [*args, "--root", str(root)])


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The publish fixture, with curated files of its own beside the records and seeds."""
    target = tmp_path / "root"
    shutil.copytree(PUBLISHED, target)
    (target / "schema").mkdir()
    shutil.copy(REPO / "schema/labels.json", target / "schema/labels.json")
    (target / "README.md").write_text("# The corpus\n")
    return target


# --- output paths ------------------------------------------------------------------------------

CURATED = ["schema/labels.json", "DATASHEET.md", "README.md", RECORD, "seeds/fixture_000.txt"]


@pytest.mark.parametrize("target", CURATED)
@pytest.mark.parametrize("how", ["path", "link"])
def test_show_html_never_writes_over_a_curated_file(root: Path, tmp_path: Path, target, how):
    path = root / target
    if how == "link":  # a link elsewhere that points at the curated file
        path = tmp_path / "page.html"
        path.symlink_to(root / target)
    before = files(root)
    for extra in ([], ["--force"]):
        result = invoke(root, "show", "fixture_000", "--html", str(path), *extra)
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
        assert "nothing was written" in result.output and "Traceback" not in result.output
    assert files(root) == before


def test_show_html_force_over_another_file_keeps_it_as_a_backup(root: Path, tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text("mine")
    result = invoke(root, "show", "fixture_000", "--html", str(page), "--force")
    assert result.exit_code == 0, result.output
    assert "page.html.bak" in result.output
    assert (tmp_path / "page.html.bak").read_text() == "mine"
    assert page.read_text().startswith("<!")


@pytest.mark.parametrize("fmt", ["conll", "brat", "bigbio", "labelstudio"])
@pytest.mark.parametrize("place", ["schema/out", "seeds/out", "corpus/out", "corpus/records/out"])
def test_export_into_a_curated_folder_is_refused(root: Path, fmt: str, place: str):
    before = files(root)
    result = invoke(root, "export", fmt, str(root / place))
    assert result.exit_code == 1 and "nothing was written" in result.output, result.output
    assert files(root) == before and not (root / place).exists()


# --- text that no output can encode ------------------------------------------------------------


def _surrogate(root: Path) -> None:
    record = json.loads((root / RECORD).read_text())
    record["text"] = record["text"][:2] + "\ud800" + record["text"][3:]
    record["entities"][0]["name"] = "Port\udfffmere"
    (root / RECORD).write_text(json.dumps(record, ensure_ascii=True))


def test_show_escapes_a_lone_surrogate(root: Path, tmp_path: Path):
    _surrogate(root)
    before = files(root)
    shown = subprocess.run(
        [sys.executable, "-m", "newscorpus.cli", "show", "fixture_000", "--root", str(root)],
        capture_output=True,
        text=True,
        env=os.environ | {"COLUMNS": "200"},
    )
    assert shown.returncode == 0 and "Traceback" not in shown.stderr, shown.stderr
    assert "Port\ufffdmere" in shown.stdout and "lone surrogate" in shown.stderr
    page = tmp_path / "page.html"
    written = invoke(root, "show", "fixture_000", "--html", str(page))
    assert written.exit_code == 0, written.output
    assert "Port\ufffdmere" in page.read_text(encoding="utf-8")
    assert files(root) == before


# --- a malformed schema/dataset.json -----------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package and its schema in a folder of their own, with the fixture's corpus: the
    metadata file it reads is this copy's."""
    base = tmp_path_factory.mktemp("meta") / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.bak")
    for name in ("scripts", "schema"):
        shutil.copytree(REPO / name, base / name, ignore=ignore)
    shutil.copytree(PUBLISHED, base, dirs_exist_ok=True)
    return base


def _run(root: Path, *args: str) -> Any:
    command = [sys.executable, "-m", "newscorpus.cli", *args, "--root", str(root)]
    environment = os.environ | {"PYTHONPATH": str(root / "scripts")}
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)


BROKEN = {"truncated": '{"name": ', "list": "[1, 2]", "history": '{"version_history": 3}',
          "deep": "[" * 100_000}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_malformed_metadata_file_is_a_message_in_build_and_check(project: Path, case: str):
    metadata = project / "schema/dataset.json"
    kept = metadata.read_bytes()
    metadata.write_text(BROKEN[case])
    try:
        before = files(project)
        for args in (["build", "--no-cache"], ["build", "--check"]):
            result = _run(project, *args)
            assert result.returncode == 1, result.stdout + result.stderr
            assert "Traceback" not in result.stderr
            assert result.stderr.startswith("Error: schema/dataset.json"), result.stderr
        assert files(project) == before
    finally:
        metadata.write_bytes(kept)


# --- add --force, synth ------------------------------------------------------------------------


def test_add_force_of_the_same_seed_keeps_no_new_identical_backup(root: Path):
    seed = str(root / "seeds/fixture_000.txt")
    for _ in range(5):
        result = invoke(root, "add", seed, "--id", "fixture_000", "--force")
        assert result.exit_code == 0, result.output
    backups = sorted(p.name for p in (root / "corpus/records").glob("fixture_000*.bak"))
    assert backups == ["fixture_000.json.bak"]  # the gold record, kept once


@pytest.mark.parametrize("where", ["/", "missing", "a folder of other things"])
def test_synth_at_a_root_that_is_no_corpus_is_refused(tmp_path: Path, where: str):
    target = {"/": Path("/"), "missing": tmp_path / "no/such"}.get(where, tmp_path / "other")
    if where == "a folder of other things":
        target.mkdir()
        (target / "notes.txt").write_text("not a corpus\n", encoding="utf-8")
    result = invoke(target, "synth", "2")
    assert result.exit_code == 1 and "is not a corpus" in result.output, result.output
    assert not (target / "corpus").exists() and not (target / "seeds").exists()


def test_synth_fills_an_empty_scratch_folder(tmp_path: Path):
    target = tmp_path / "scratch"
    target.mkdir()
    result = invoke(target, "synth", "2")
    assert result.exit_code == 0, result.output
    assert len(list((target / "corpus" / "records").glob("*.json"))) == 2


# --- Ray ---------------------------------------------------------------------------------------


def test_a_ray_address_where_nothing_listens_fails_in_time_naming_it(root: Path):
    started = time.monotonic()
    result = invoke(root, "build", "--engine", "ray", "--address", "127.0.0.1:1", "--no-cache")
    assert time.monotonic() - started < 15
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "cannot reach the Ray cluster at 127.0.0.1:1" in result.output, result.output
