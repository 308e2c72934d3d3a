"""doccano JSONL: one document per line, {"id"?, "text", "label": [[start, end, label]]} or
{"entities": [{"id", "start_offset", "end_offset", "label"}], "relations": [{"from_id",
"to_id", "type"}]}. Offsets count UTF-16 code units and are converted exactly.

A document matches its record by a record id in "doc_id", "meta" ("id" or "doc_id") or "id"
(doccano's own numeric id never matches), else by identical text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..findings import Finding
from .common import (
    Imported,
    Link,
    RecordIndex,
    Region,
    check_region,
    layers_from_regions,
    split_label,
    with_layers,
)
from .utf16 import OffsetError, Utf16Offsets


def read_documents(path: Path, index: RecordIndex) -> Iterator[Imported]:
    file = str(path)
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as err:
        yield Imported(file, None, None, [Finding(
            "import-input-invalid", file, None, "", f"cannot read the export: {err}.",
            "give the JSONL file that doccano's export wrote")])
        return
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            yield Imported(file, None, None, [Finding(
                "import-input-invalid", file, None, str(line_no), f"not JSON: {err.msg}.",
                "each line holds one JSON object")])
            continue
        yield _document(item, str(line_no), file, index)


def _keys(item: dict[str, Any]) -> list[Any]:
    meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
    return [item.get("doc_id"), meta.get("doc_id"), meta.get("id"), item.get("id")]


def _document(item: Any, where: str, file: str, index: RecordIndex) -> Imported:
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        return Imported(file, None, None, [Finding(
            "import-input-invalid", file, None, where, "the line has no \"text\".",
            "each line is a document object with its text")])
    text = item["text"]
    record = index.match(_keys(item), text)
    if record is None:
        return Imported(file, None, None, [Finding(
            "import-document-unmatched", file, None, where,
            f"the document (id {item.get('id')!r}) matches no record.",
            "add the article first (`newscorpus add`) and put its record id in meta.doc_id")])
    doc_id = record["id"]
    if text != record["text"]:
        return Imported(file, doc_id, None, [Finding(
            "import-text-mismatch", file, doc_id, where + "/text",
            "the document's text differs from the record's text.",
            "import the record's text into doccano unchanged")])
    raw: list[tuple[Any, Any, Any, Any, str]] = []
    if isinstance(item.get("entities"), list):
        for j, ent in enumerate(item["entities"]):
            ent = ent if isinstance(ent, dict) else {}
            raw.append((ent.get("id"), ent.get("start_offset"), ent.get("end_offset"),
                        ent.get("label"), f"{where}/entities/{j}"))
    for key in ("label", "labels"):
        if isinstance(item.get(key), list):
            for j, triple in enumerate(item[key]):
                triple = triple if isinstance(triple, list) and len(triple) == 3 else [None] * 3
                raw.append((None, *triple, f"{where}/{key}/{j}"))
    if not raw:
        return Imported(file, doc_id, None, [Finding(
            "import-no-annotations", file, doc_id, where,
            f"the document {doc_id} has no labelled spans.",
            "annotate it, or leave it out of the export")])
    findings: list[Finding] = []
    units = Utf16Offsets(text)
    regions: list[Region] = []
    for key, start, end, label, at in raw:
        labels = [label] if isinstance(label, str) else []
        entity_label, mention_type, unknown = split_label(labels)
        if unknown or entity_label is None:
            findings.append(Finding("import-unknown-label", file, doc_id, at,
                                    f"label {label!r} is not an entity label.",
                                    "use the labels of schema/labels.json in the project"))
            continue
        try:
            cp_start, cp_end = units.to_point(int(start)), units.to_point(int(end))
        except (OffsetError, TypeError, ValueError) as err:
            findings.append(Finding("import-span-mismatch", file, doc_id, at, f"{err}.",
                                    "re-annotate the span in doccano"))
            continue
        problem = check_region(text, cp_start, cp_end, None, file, doc_id, at)
        if problem is not None:
            findings.append(problem)
            continue
        regions.append(Region(key, cp_start, cp_end, entity_label, mention_type, at))
    links = [Link(r.get("from_id"), r.get("to_id"), r.get("type"), f"{where}/relations/{j}")
             for j, r in enumerate(item.get("relations") or []) if isinstance(r, dict)]
    layers, more = layers_from_regions(text, regions, links, file, doc_id)
    findings.extend(more)
    return Imported(file, doc_id, with_layers(record, layers), findings)
