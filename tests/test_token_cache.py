"""The token cache: an edit that leaves the text alone never re-tokenizes, and no entry, good
or tampered with, changes a verdict."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newscorpus import tokens
from newscorpus.cache import CACHE_DIR
from newscorpus.dev.synth import write_synth
from newscorpus.token_cache import TokenCache, text_key
from newscorpus.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent

# Validates one record with the cache and says whether spaCy was imported to do it.
_VALIDATE_ONE = """
import json, sys
from pathlib import Path
from newscorpus.validate import validate_paths
report = validate_paths(Path(sys.argv[1]), [Path(sys.argv[2])], use_cache=True)
print(json.dumps({"spacy": "spacy" in sys.modules,
                  "findings": [f.to_dict() for f in report.findings]}))
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copyfile(REPO / "DATASHEET.md", tmp_path / "DATASHEET.md")
    write_synth(tmp_path, 4, seed=11)
    return tmp_path


def _edit_annotations(path: Path, note: str) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    record["annotation"]["notes"] = note
    record["mentions"][0]["label"] = "GPE" if record["mentions"][0]["label"] != "GPE" else "ORG"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _validate_one(root: Path, path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _VALIDATE_ONE, str(root), str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


def _fresh(root: Path, path: Path) -> list[dict]:
    return [f.to_dict() for f in validate_paths(root, [path], use_cache=False).findings]


def test_editing_annotations_revalidates_without_the_tokenizer(root: Path):
    assert validate_paths(root, use_cache=True).valid  # fills both caches
    path = sorted((root / "corpus/records").glob("*.json"))[1]
    _edit_annotations(path, "edited once")
    result = _validate_one(root, path)
    assert result["spacy"] is False
    assert result["findings"] == _fresh(root, path)
    assert any(f["severity"] == "error" for f in result["findings"])  # the edit broke a label


def test_a_changed_text_or_passage_is_tokenized_afresh(root: Path, monkeypatch):
    record = json.loads(sorted((root / "corpus/records").glob("*.json"))[2].read_text())
    text, passages = record["text"], record["passages"]
    calls = []
    split = tokens._split
    monkeypatch.setattr(tokens, "_split", lambda *args: calls.append(1) or split(*args))
    monkeypatch.setattr(tokens, "_CACHE", [])
    tokens.use_cache(root)
    first = tokens.sentences(text, passages)
    tokens._LAST[0] = None  # forget the last split: only the cache remains
    assert tokens.sentences(text, passages) == first and len(calls) == 1
    changed = text.replace(". ", ".  ", 1)
    assert tokens.sentences(changed, passages) != first and len(calls) == 2
    merged = [passages[0] | {"end": passages[1]["end"]}, *passages[2:]]
    tokens.sentences(text, merged)
    assert len(calls) == 3


def test_cached_sentences_are_the_computed_ones(root: Path, monkeypatch):
    record = json.loads(sorted((root / "corpus/records").glob("*.json"))[0].read_text())
    text, passages = record["text"], record["passages"]
    monkeypatch.setattr(tokens, "_CACHE", [])
    tokens._LAST[0] = None
    fresh = tokens.sentences(text, passages)  # no cache: split afresh
    assert fresh and all(s.tokens for s in fresh)
    computed = tokens._split(text, passages)
    cache = TokenCache(root)
    cache.put(text_key(text, passages), computed)
    assert TokenCache(root).get(text_key(text, passages)) is None  # kept, not yet written
    cache.flush()
    stored = TokenCache(root).get(text_key(text, passages))  # read from the file
    assert stored is not None and stored.numbers == computed.numbers
    monkeypatch.setattr(tokens, "_split", lambda *args: pytest.fail("split again"))
    tokens.use_cache(root)  # forgets the last split: only the entry remains
    assert tokens.sentences(text, passages) == fresh


def _entries(root: Path) -> sqlite3.Connection:
    files = list((root / CACHE_DIR).glob("tokens-*.sqlite"))
    assert len(files) == 1  # one file holds every entry
    return sqlite3.connect(files[0], isolation_level=None)


def test_tampered_or_foreign_entries_are_ignored(root: Path):
    assert validate_paths(root, use_cache=True).valid
    with contextlib.closing(_entries(root)) as db:
        entries = db.execute("SELECT key, entry FROM entries ORDER BY key").fetchall()
        assert len(entries) == 4
        # One entry with its last token moved, one truncated, one sealed under another key.
        moved = bytearray(entries[0][1])
        moved[-8] ^= 1
        changed = [bytes(moved), entries[1][1][:-8], b"\0" * 32 + entries[2][1][32:]]
        for (key, _), entry in zip(entries, changed, strict=False):
            db.execute("UPDATE entries SET entry = ? WHERE key = ?", (entry, key))
    cache = TokenCache(root)
    assert [cache.get(key) for key, _ in entries[:3]] == [None, None, None]
    assert cache.get(entries[3][0]) is not None
    paths = sorted((root / "corpus/records").glob("*.json"))
    for path in paths:
        _edit_annotations(path, "edited")
    for path in paths:
        assert _validate_one(root, path)["findings"] == _fresh(root, path)


@pytest.mark.parametrize("damage", ["not a database", "read-only folder"])
def test_a_cache_file_that_cannot_be_used_only_costs_time(root: Path, damage: str):
    """A cache file that is not a database, or a folder the run may not write, gives the same
    findings as no cache at all, and no error."""
    assert validate_paths(root, use_cache=True).valid
    (file,) = (root / CACHE_DIR).glob("tokens-*.sqlite")
    paths = sorted((root / "corpus/records").glob("*.json"))
    for path in paths:
        _edit_annotations(path, "edited")
    if damage == "not a database":
        for extra in (root / CACHE_DIR).glob("tokens-*.sqlite-*"):
            extra.unlink()
        file.write_bytes(b"this is not a database" * 100)
    else:
        file.unlink()
        for extra in (root / CACHE_DIR).glob("tokens-*.sqlite-*"):
            extra.unlink()
        (root / CACHE_DIR).chmod(0o555)
    try:
        for path in paths:
            assert _validate_one(root, path)["findings"] == _fresh(root, path)
        assert any(f["severity"] == "error" for f in _fresh(root, paths[0]))
    finally:
        (root / CACHE_DIR).chmod(0o755)
    if damage == "not a database":  # the first run dropped it; the next ones made it afresh
        with contextlib.closing(_entries(root)) as db:
            assert db.execute("SELECT count(*) FROM entries").fetchone()[0] >= 1


def test_entries_written_by_two_processes_at_once_all_arrive(root: Path):
    """Two runs that fill the cache at the same time (two builds, or a build's two workers)
    both keep their entries: SQLite serialises the writes."""
    script = """
import sys
from pathlib import Path
from newscorpus.token_cache import Split, TokenCache
from array import array
cache = TokenCache(Path(sys.argv[1]))
for i in range(int(sys.argv[2]), int(sys.argv[2]) + 300):
    cache.put(f"{i:064x}", Split(array("q", [1, 1, i, i + 1])))
cache.flush()
"""
    runs = [
        subprocess.Popen([sys.executable, "-c", script, str(root), str(first)])
        for first in (0, 300)
    ]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    cache = TokenCache(root)
    found = [cache.get(f"{i:064x}") for i in range(600)]
    assert [i for i, split in enumerate(found) if split is None or list(split.starts) != [i]] == []
