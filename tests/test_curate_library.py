"""The curator commands' policy works from Python too: the functions behind reanchor and
agreement refuse, preview and write exactly as the commands do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newscorpus.curate.agreement import compare_files
from newscorpus.curate.reanchor import reanchor_file
from newscorpus.errors import AgreementError, ReanchorError
from newscorpus.jsonio import dumps

CURATOR = Path(__file__).resolve().parent / "data" / "curator"
RECORD = "corpus/records/rules_delay.json"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "corpus-root"
    shutil.copytree(CURATOR / "root", target)
    return target


def _corrected(root: Path, tmp_path: Path) -> Path:
    text = (root / "seeds/rules_delay.txt").read_text(encoding="utf-8")
    path = tmp_path / "publisher" / "rules_delay.txt"
    path.parent.mkdir()
    path.write_text(text.replace("Monday", "Tuesday", 1), encoding="utf-8")
    return path


def test_reanchor_file_previews_then_writes_with_a_backup(root, tmp_path):
    corrected = _corrected(root, tmp_path)
    before = (root / RECORD).read_bytes()
    preview = reanchor_file(root, "rules_delay", corrected)
    assert not preview.written and preview.backup is None
    assert (root / RECORD).read_bytes() == before
    assert not (root / "seeds" / preview.seed_path.removeprefix("seeds/")).exists()
    done = reanchor_file(root, "rules_delay", corrected, force=True)
    assert done.written and done.backup == root / (RECORD + ".bak")
    assert done.backup.read_bytes() == before
    assert json.loads((root / RECORD).read_text())["source"]["seed_path"] == done.seed_path


def test_reanchor_file_refuses_a_record_whose_spans_are_wrong(root, tmp_path):
    record = json.loads((root / RECORD).read_text())
    record["mentions"][0]["start"] += 1
    (root / RECORD).write_text(dumps(record), encoding="utf-8")
    with pytest.raises(ReanchorError, match="cannot be moved"):
        reanchor_file(root, "rules_delay", _corrected(root, tmp_path), force=True)


def test_compare_files_names_the_files_and_refuses_unsound_ones(root, tmp_path):
    path = root / RECORD
    result = compare_files(path, path, root)
    assert (result["a"], result["b"]) == (RECORD, RECORD)
    assert result["mentions"]["f1"] == 1.0
    broken = json.loads(path.read_text())
    broken["mentions"][0]["entity"] = "e999"
    other = tmp_path / "broken.json"
    other.write_text(dumps(broken), encoding="utf-8")
    with pytest.raises(AgreementError, match="not a sound record"):
        compare_files(path, other, root)
