"""Every exporter/importer pair gives back an unchanged record byte for byte (status, ids and
order included), whether or not the record was already in canonical form; and every import
writes the canonical form, numbering ids in reading order only over an unannotated draft."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newscorpus.canonical import canonicalize, entity_name
from newscorpus.cli import main
from newscorpus.jsonio import dumps

IDS = ["001_rules", "002_astral", "003_draft"]


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def records_dir(root: Path) -> Path:
    return root / "corpus" / "records"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(records_dir(root).glob("*.json"))}


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(params=["as-committed", "canonical"])
def root(request: pytest.FixtureRequest, interop_root: Path) -> Path:
    """The interop fixture root, its records as committed or rewritten in canonical form."""
    if request.param == "canonical":
        for path in records_dir(interop_root).glob("*.json"):
            record = json.loads(path.read_text("utf-8"))
            path.write_text(dumps(canonicalize(record)), encoding="utf-8")
    return interop_root


def ls_tasks(root: Path, tmp_path: Path) -> list[dict[str, Any]]:
    out = tmp_path / "ls"
    result = run("export", "labelstudio", str(out), "--root", str(root), "--include-drafts")
    assert result.exit_code == 0, result.output
    return json.loads((out / "tasks.json").read_text("utf-8"))


def submitted(task: dict[str, Any], who: Any = None) -> dict[str, Any]:
    """The task as Label Studio 1.23's JSON export gives it once its predictions were
    submitted unchanged."""
    task = copy.deepcopy(task)
    task["id"] = 100 + len(task["data"]["text"]) % 7
    result = copy.deepcopy(task["predictions"][0]["result"])
    completed = who if who is not None else {"id": 1, "email": "curator@example.org"}
    task["annotations"] = [{"id": 9, "completed_by": completed, "result": result}]
    return task


def _pretty(values: list[dict[str, Any]], kind: str) -> Any:
    """Label Studio's JSON_MIN converter (prettify_result): a single choice or text becomes
    a bare string, and a tag with one result a bare value instead of a list."""
    out: list[Any] = []
    for value in values:
        value = {k: v for k, v in value.items()}
        if kind == "choices" and len(value.get("choices", [])) == 1:
            out.append(value["choices"][0])
        elif kind == "textarea" and len(value.get("text", [])) == 1:
            out.append(value["text"][0])
        else:
            out.append(value)
    return out[0] if kind in ("choices", "textarea") and len(out) == 1 else out


def json_min(task: dict[str, Any]) -> dict[str, Any]:
    """The JSON_MIN row of a task's one annotation, made as Label Studio's converter makes it:
    the task data, then each control's values (relations left out), then the bookkeeping."""
    row = copy.deepcopy(task["data"])
    row["id"] = task["id"]
    grouped: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for item in task["annotations"][0]["result"]:
        if "from_name" in item:
            grouped.setdefault(item["from_name"], (item["type"], []))[1].append(item["value"])
    for name, (kind, values) in grouped.items():
        row[name] = _pretty(values, kind)
    row.update(annotator=1, annotation_id=9, created_at="2026-12-01T10:00:00.000000Z")
    row.update(updated_at="2026-12-01T10:05:00.000000Z", lead_time=42.5)
    return row


def test_label_studio_json_round_trip_is_byte_identical(root: Path, tmp_path: Path):
    before = snapshot(root)
    export = write_json(tmp_path / "export.json", [submitted(t) for t in ls_tasks(root, tmp_path)])
    result = run("import", "labelstudio", str(export), "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "0 record(s) written, 3 unchanged" in result.output
    assert "0 error(s), 0 warning(s)" in result.output
    assert snapshot(root) == before


def test_label_studio_json_min_round_trip_is_byte_identical(root: Path, tmp_path: Path):
    before = snapshot(root)
    rows = [json_min(submitted(t)) for t in ls_tasks(root, tmp_path)]
    result = run(
        "import", "labelstudio", str(write_json(tmp_path / "min.json", rows)), "--root", str(root)
    )
    assert result.exit_code == 0, result.output
    assert "3 unchanged" in result.output and "0 error(s), 0 warning(s)" in result.output
    assert snapshot(root) == before


def test_brat_round_trip_over_the_records_is_byte_identical(root: Path, tmp_path: Path):
    before = snapshot(root)
    out = tmp_path / "brat"
    exported = run("export", "brat", str(out), "--root", str(root), "--include-drafts")
    assert exported.exit_code == 0, exported.output
    result = run("import", "brat", str(out), "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "0 record(s) written, 3 unchanged" in result.output
    assert snapshot(root) == before  # gold stays gold, mentions stay in their order


def utf16(text: str, point: int) -> int:
    return len(text[:point].encode("utf-16-le")) // 2


def test_doccano_round_trip_is_byte_identical(root: Path, tmp_path: Path):
    """doccano 1.8's JSONL for sequence labelling: spans in UTF-16 units, the record id in
    meta; what doccano cannot hold (types, coreference, quotes, events) stays with the record."""
    before = snapshot(root)
    lines = []
    for doc_id in IDS[:2]:
        record = json.loads((records_dir(root) / f"{doc_id}.json").read_text("utf-8"))
        text = record["text"]
        spans = [
            [utf16(text, m["start"]), utf16(text, m["end"]), m["label"]] for m in record["mentions"]
        ]
        lines.append({"id": 7, "text": text, "label": spans, "meta": {"doc_id": doc_id}})
    path = tmp_path / "doccano.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    result = run("import", "doccano", str(path), "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "2 unchanged" in result.output
    assert snapshot(root) == before


# --- the canonical form ----------------------------------------------------------------------


def test_a_first_annotation_is_numbered_in_reading_order_and_named_by_5_2(
    interop_root: Path, tmp_path: Path
):
    """Over an unannotated draft, regions drawn in any order with any keys give ids in
    reading order and entities named by guideline 5.2 (the fullest NAM, never the first)."""
    path = records_dir(interop_root) / "002_astral.json"
    draft = json.loads(path.read_text("utf-8"))
    text = draft["text"]
    for layer in ("mentions", "entities", "quotes", "events", "relations"):
        draft[layer] = []
    draft["labels"] = {"topics": [], "countries": []}
    draft["annotation"] = {**draft["annotation"], "status": "draft", "annotators": []}
    path.write_text(dumps(draft), encoding="utf-8")

    def region(rid: str, words: str, nth: int, label: str, kind: str, key: str) -> list[Any]:
        at = -1
        for _ in range(nth):
            at = text.index(words, at + 1)
        value = {"start": at, "end": at + len(words)}
        return [
            {"id": rid, "from_name": "mention", "to_name": "text", "type": "labels",
             "value": {**value, "text": words, "labels": [label]}},
            {"id": rid, "from_name": "mention_type", "to_name": "text", "type": "choices",
             "value": {**value, "choices": [kind]}},
            {"id": rid, "from_name": "entity", "to_name": "text", "type": "textarea",
             "value": {**value, "text": [key]}},
        ]  # fmt: skip

    result = [
        *region("q9", "its", 1, "ORG", "PRO", "g"),
        *region("a1", "Karachi Chamber", 1, "ORG", "NAM", "kcc"),
        *region("zz", "Google", 2, "ORG", "NAM", "g"),
        *region("m7", "Karachi", 1, "GPE", "NAM", "k"),
        *region("b2", "Karachi", 3, "GPE", "NAM", "k"),
    ]
    task = {"id": 3, "data": {"id": "002_astral", "text": text}}
    task["annotations"] = [{"id": 1, "completed_by": 1, "result": result}]
    out = run("import", "labelstudio", str(write_json(tmp_path / "first.json", [task])),
              "--root", str(interop_root), "--annotator-id", "newscorpus-curators")  # fmt: skip
    assert out.exit_code == 0, out.output
    got = json.loads(path.read_text("utf-8"))
    assert [(m["id"], m["text"], m["entity"]) for m in got["mentions"]] == [
        ("m1", "Karachi", "e1"),
        ("m2", "Karachi", "e1"),
        ("m3", "Google", "e2"),
        ("m4", "its", "e2"),
        ("m5", "Karachi Chamber", "e3"),
    ]
    assert [(e["id"], e["name"]) for e in got["entities"]] == [
        ("e1", "Karachi"),
        ("e2", "Google"),
        ("e3", "Karachi Chamber"),
    ]
    assert all(e["name"] == entity_name(got, e["id"]) for e in got["entities"])
    assert got["annotation"]["annotators"] == ["newscorpus-curators"]
    assert path.read_text("utf-8") == dumps(canonicalize(got))


def test_an_addition_to_an_annotated_record_takes_the_next_free_id(
    interop_root: Path, tmp_path: Path
):
    """001_rules has m1..m18 without m7: a new mention is m19 (not m7), no other id moves,
    and the mentions stay in reading order."""
    tasks = ls_tasks(interop_root, tmp_path)
    task = submitted(next(t for t in tasks if t["data"]["id"] == "001_rules"))
    text = task["data"]["text"]
    before = json.loads((records_dir(interop_root) / "001_rules.json").read_text("utf-8"))
    at = text.index("Prime Minister")
    assert all(not (m["start"] <= at < m["end"]) for m in before["mentions"])
    task["annotations"][0]["result"].append(
        {"id": "new", "from_name": "mention", "to_name": "text", "type": "labels",
         "value": {"start": at, "end": at + 14, "text": "Prime Minister", "labels": ["PERSON"]}}
    )  # fmt: skip
    export = write_json(tmp_path / "add.json", [task])
    out = run("import", "labelstudio", str(export), "--root", str(interop_root),
              "--annotator-id", "newscorpus-curators", "--force")  # fmt: skip
    assert out.exit_code == 0, out.output
    after = json.loads((records_dir(interop_root) / "001_rules.json").read_text("utf-8"))
    added = [m for m in after["mentions"] if m["start"] == at]
    assert [m["id"] for m in added] == ["m19"]
    old = {m["id"]: (m["start"], m["end"], m["entity"]) for m in before["mentions"]}
    assert all(old[m["id"]] == (m["start"], m["end"], m["entity"])
               for m in after["mentions"] if m["id"] != "m19")  # fmt: skip
    assert [m["start"] for m in after["mentions"]] == sorted(m["start"] for m in after["mentions"])
