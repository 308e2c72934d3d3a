"""doccano exports: the zip that its Export dataset writes (one JSONL per user, named after the
user), or one such JSONL file. Each line is a document,
{"id"?, "text", "label": [[start, end, label]]} or {"entities": [{"id", "start_offset",
"end_offset", "label"}], "relations": [{"from_id", "to_id", "type"}]}. Offsets count UTF-16
code units (doccano 1.8's UI does) and are converted exactly.

doccano has no coreference, quotes, events or document labels: those layers are kept from the
record being corrected (merge.keep_uncarried), and mentions on the record's offsets keep their
ids and entities. In a zip, each user's file is one annotator: with --each-annotator each gives
a record of its own, otherwise a zip with several users is refused unless --annotator picks one.

A document matches its record by a record id in "doc_id", "meta" ("id" or "doc_id") or "id"
(doccano's own numeric id never matches), else by identical text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..findings import Findings
from ..jsonio import not_json, parse_json, visible_lines
from .archive import MAX_BAD_LINES, zip_members
from .common import (
    Imported,
    ImportOptions,
    Link,
    RecordIndex,
    Region,
    check_region,
    is_offset,
    layers_from_regions,
    read_export_bytes,
    refused,
    split_label,
    with_layers,
)
from .utf16 import OffsetError, Utf16Offsets

# The layers a doccano line holds: relations only in the shape with "entities" and "relations".
CARRIED = frozenset({"mentions", "relations"})
WHAT = "the zip or JSONL file that doccano's Export dataset wrote"
_LINE = "a doccano document (one JSON object a line)"


def read_documents(
    path: Path, index: RecordIndex, options: ImportOptions | None = None
) -> Iterator[Imported]:
    options = options or ImportOptions()
    data, problem = read_export_bytes(path, WHAT)
    if data is None:
        yield Imported(str(path), None, None, [problem] if problem else [])
        return
    if not data.startswith(b"PK"):
        yield from _jsonl(data, str(path), index, None)
        return
    members, problem = zip_members(data, str(path), WHAT)
    if problem is not None:
        yield Imported(str(path), None, None, [problem])
        return
    users = sorted(members)
    if options.annotator is not None:
        users = [u for u in users if u == options.annotator]
    if len(users) > 1 and not options.each_annotator:
        yield refused(
            str(path), None, "import-several-annotations", "",
            f"the zip holds the annotations of {len(users)} users ({', '.join(users)}).",
            "choose one with --annotator NAME, or import each with --each-annotator",
        )  # fmt: skip
        return
    for user in users:
        for item in _jsonl(members[user], f"{path}!{user}.jsonl", index, user):
            item.annotator = user if options.each_annotator else None
            yield item


def _jsonl(data: bytes, file: str, index: RecordIndex, user: str | None) -> Iterator[Imported]:
    try:
        lines = visible_lines(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        yield refused(
            file,
            None,
            "import-input-invalid",
            "",
            f"the export is not UTF-8 text: {err}.",
            f"give {WHAT}",
        )
        return
    documents = bad = 0
    for line_no, line in lines:
        documents += 1
        item, problems = parse_json(line, file, _LINE)
        if problems:
            finding = not_json(
                problems, "import-input-invalid", f"line {line_no}", _LINE, f"/{line_no}"
            )
            imported = Imported(file, None, None, [finding])
        else:
            imported = _document(item, f"/{line_no}", file, index)
            has_links = isinstance(item, dict) and "relations" in item
            imported.carried = CARRIED if has_links else CARRIED - {"relations"}
        yield imported
        bad += any(f.severity == "error" for f in imported.findings)
        if bad >= MAX_BAD_LINES:
            yield refused(
                file, None, "import-limit", f"/{line_no}",
                f"{bad} lines up to line {line_no} have errors, the limit of {MAX_BAD_LINES}; "
                "the rest of the file was not read.",
                f"fix the lines named above, or give {WHAT}",
            )  # fmt: skip
            return
    if not documents:
        yield refused(
            file, None, "import-nothing", "",
            "the export holds no document: it is empty or only blank lines.",
            f"give {WHAT}, exported after annotating",
        )  # fmt: skip


def _keys(item: dict[str, Any]) -> list[Any]:
    meta = item.get("meta")
    if not isinstance(meta, dict):
        meta = {}
    return [item.get("doc_id"), meta.get("doc_id"), meta.get("id"), item.get("id")]


def _document(item: Any, where: str, file: str, index: RecordIndex) -> Imported:
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        return refused(
            file,
            None,
            "import-input-invalid",
            where,
            'the line has no "text".',
            "each line is a document object with its text",
        )
    text = item["text"]
    record = index.match(_keys(item), text)
    if record is None:
        return refused(
            file,
            None,
            "import-document-unmatched",
            where,
            f"the document (id {item.get('id')!r}) matches no record.",
            "add the article first (`newscorpus add`) and put its record id in meta.doc_id",
        )
    doc_id = record["id"]
    if damage := index.damage(record, f"line {where[1:]} of {file}"):
        return Imported(file, doc_id, None, damage)
    if text != record["text"]:
        return refused(
            file,
            doc_id,
            "import-text-mismatch",
            where + "/text",
            "the document's text differs from the record's text.",
            "import the record's text into doccano unchanged",
        )
    raw = _raw_spans(item, where)
    if not raw:
        return refused(
            file,
            doc_id,
            "import-no-annotations",
            where,
            f"the document {doc_id} has no labelled spans.",
            "annotate it, or leave it out of the export",
        )
    findings = Findings(file, doc_id)
    regions = _regions(raw, text, file, doc_id, findings)
    layers, more = layers_from_regions(text, regions, _links(item, where), file, doc_id)
    findings.extend(more)
    return Imported(file, doc_id, with_layers(record, layers), findings)


def _raw_spans(item: dict[str, Any], where: str) -> list[tuple[Any, Any, Any, Any, str]]:
    """(id, start, end, label, pointer) of every span, in either of doccano's two shapes."""
    raw: list[tuple[Any, Any, Any, Any, str]] = []
    if isinstance(item.get("entities"), list):
        for j, ent in enumerate(item["entities"]):
            ent = ent if isinstance(ent, dict) else {}
            raw.append(
                (
                    ent.get("id"),
                    ent.get("start_offset"),
                    ent.get("end_offset"),
                    ent.get("label"),
                    f"{where}/entities/{j}",
                )
            )
    for key in ("label", "labels"):
        if isinstance(item.get(key), list):
            for j, triple in enumerate(item[key]):
                triple = triple if isinstance(triple, list) and len(triple) == 3 else [None] * 3
                raw.append((None, *triple, f"{where}/{key}/{j}"))
    return raw


def _regions(
    raw: list[tuple[Any, Any, Any, Any, str]],
    text: str,
    file: str,
    doc_id: str,
    findings: Findings,
) -> list[Region]:
    """Labelled regions in code points; each span that cannot be one is a finding."""
    units = Utf16Offsets(text)
    regions: list[Region] = []
    for key, start, end, label, at in raw:
        entity_label, mention_type, unknown = split_label([label] if isinstance(label, str) else [])
        if unknown or entity_label is None:
            findings.add(
                "import-unknown-label",
                at,
                f"label {label!r} is not an entity label.",
                "use the labels of schema/labels.json in the project",
            )
            continue
        try:
            if not (is_offset(start) and is_offset(end)):
                raise OffsetError(f"offsets {start!r}-{end!r} are not two non-negative integers")
            cp_start, cp_end = units.to_point(start), units.to_point(end)
        except OffsetError as err:
            findings.add("import-span-mismatch", at, f"{err}.", "re-annotate the span in doccano")
            continue
        problem = check_region(text, cp_start, cp_end, None, file, doc_id, at)
        if problem is not None:
            findings.append(problem)
            continue
        key = _hashable(key) if _hashable(key) is not None else at
        regions.append(Region(key, cp_start, cp_end, entity_label, mention_type, at))
    return regions


def _links(item: dict[str, Any], where: str) -> list[Link]:
    relations = item.get("relations")
    return [
        Link(
            _hashable(r.get("from_id")),
            _hashable(r.get("to_id")),
            r.get("type") if isinstance(r.get("type"), str) else None,
            f"{where}/relations/{j}",
        )
        for j, r in enumerate(relations if isinstance(relations, list) else [])
        if isinstance(r, dict)
    ]


def _hashable(key: Any) -> Any:
    """A region id usable as a key (doccano ids are numbers; a list would not hash)."""
    return key if isinstance(key, (str, int)) and not isinstance(key, bool) else None
