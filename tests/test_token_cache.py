"""The token cache: an edit that leaves the text alone never re-tokenizes, and no entry, good
or tampered with, changes a verdict."""

from __future__ import annotations

import json
import shutil
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
    stored = cache.get(text_key(text, passages))
    assert stored is not None and stored.numbers == computed.numbers
    monkeypatch.setattr(tokens, "_split", lambda *args: pytest.fail("split again"))
    tokens.use_cache(root)  # forgets the last split: only the entry remains
    assert tokens.sentences(text, passages) == fresh


def test_tampered_or_foreign_entries_are_ignored(root: Path):
    assert validate_paths(root, use_cache=True).valid
    folder = next((root / CACHE_DIR).glob("tokens-*"))
    entries = sorted(folder.iterdir())
    assert len(entries) == 4
    # One entry with its last token moved, one truncated, one sealed under another key.
    moved = bytearray(entries[0].read_bytes())
    moved[-8] ^= 1
    entries[0].write_bytes(bytes(moved))
    entries[1].write_bytes(entries[1].read_bytes()[:-8])
    entries[2].write_bytes(b"\0" * 32 + entries[2].read_bytes()[32:])
    cache = TokenCache(root)
    assert [cache.get(entry.name) for entry in entries[:3]] == [None, None, None]
    assert cache.get(entries[3].name) is not None
    paths = sorted((root / "corpus/records").glob("*.json"))
    for path in paths:
        _edit_annotations(path, "edited")
    for path in paths:
        assert _validate_one(root, path)["findings"] == _fresh(root, path)
