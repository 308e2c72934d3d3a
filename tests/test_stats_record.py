"""`newscorpus stats ID...`: one record's counts per layer and label, whatever its status;
`stats` without ids still counts the published corpus."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.labels import ENTITY_LABELS

CURATOR = Path(__file__).resolve().parent / "data" / "curator"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "root"
    shutil.copytree(CURATOR / "root", target)
    return target


def _record(root: Path, doc_id: str) -> dict[str, Any]:
    return json.loads((root / "corpus" / "records" / f"{doc_id}.json").read_text("utf-8"))


def _stats(root: Path, *args: str):
    return CliRunner().invoke(main, ["stats", *args, "--root", str(root)])


def test_one_record_counts_per_layer_and_label(root):
    record = _record(root, "rules_delay")
    result = _stats(root, "rules_delay")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith(f"rules_delay (gold, split {record['split']})\n")
    for layer in ("passages", "mentions", "entities", "quotes", "events", "relations"):
        assert f"| {layer} | {len(record[layer])} |" in out, layer
    labels = Counter(m["label"] for m in record["mentions"])
    by_label = ", ".join(f"{label} {labels[label]}" for label in ENTITY_LABELS if labels[label])
    assert f"Mentions by label: {by_label}." in out
    assert f"Topics: {', '.join(record['labels']['topics'])}." in out
    assert "| articles |" not in out and "train |" not in out  # no corpus-wide table


def test_json_gives_each_named_record_in_order_drafts_included(root):
    result = _stats(root, "draft_note", "rules_delay", "draft_note", "--json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert list(counts) == ["draft_note", "rules_delay"]
    for doc_id, got in counts.items():
        record = _record(root, doc_id)
        assert got["status"] == record["annotation"]["status"]
        assert got["mentions"] == len(record["mentions"])
        assert got["events_by_type"] == Counter(e["type"] for e in record["events"])
        assert got["sentences"] >= 1 and got["tokens"] > got["sentences"]
    assert counts["draft_note"]["status"] == "draft"


def test_the_corpus_view_is_unchanged_without_ids(root):
    result = _stats(root)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Counts of the published (gold) articles")
    assert "| articles |" in result.output


@pytest.mark.parametrize("doc_id", ["no_such_record", "../rules_delay", "rules_delay.json"])
def test_an_unknown_id_is_a_message(root, doc_id):
    result = _stats(root, "rules_delay", doc_id)
    assert result.exit_code == 1
    assert f"no record {doc_id!r}" in result.output
    assert "give the id of a file in corpus/records" in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit


def test_an_invalid_record_is_not_counted(root):
    path = root / "corpus" / "records" / "draft_note.json"
    record = json.loads(path.read_text("utf-8"))
    record["mentions"][0]["text"] = "Not the text"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")
    result = _stats(root, "draft_note")
    assert result.exit_code == 1
    assert "corpus/records/draft_note.json:/mentions/0: error [span-text-mismatch]" in (
        result.output
    )
    assert "cannot count invalid records" in result.output
