"""What every format shares: choosing records to export, matching imported documents to
records, and turning flat labelled regions (Label Studio, doccano) into record layers."""

from __future__ import annotations

import errno
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, TypeGuard

from ..canonical import LAYERS
from ..errors import NewscorpusError
from ..findings import Finding, Findings
from ..fsutil import read_regular
from ..jsonio import not_json, parse_json
from ..labels import ENTITY_LABELS, MENTION_TYPES, RELATION_TYPES
from ..model import Entity, Event, Mention, Quote, Record, Relation
from ..paths import RECORDS_DIR
from ..progress import Progress, silent
from ..validate import check_file
from .index import RecordIndex as RecordIndex  # where importers find it


class ExportError(NewscorpusError):
    """The export cannot be written; the message names the path and the fix."""


class NoRecordsError(ExportError):
    """No record qualifies for export."""


class InvalidRecordsError(ExportError):
    """Some selected records are invalid; exporting them would spread the errors."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} error(s) in the records to export")
        self.findings = findings


def number(item_id: str) -> int:
    """The number in an id such as m12 or evc3."""
    match = re.search(r"[0-9]+$", item_id)
    if match is None:
        raise ValueError(f"id {item_id!r} has no number")
    return int(match.group(0))


def select_records(root: Path, include_drafts: bool, progress: Progress = silent) -> list[Record]:
    """The records to export, in id order: gold only unless drafts are asked for; all valid."""
    records: list[Record] = []
    errors: list[Finding] = []
    paths = sorted((root / RECORDS_DIR).glob("*.json"))
    with progress("export: validate", len(paths)) as advance:
        for path in paths:
            _select(path, root, include_drafts, records, errors)
            advance(1)
    if errors:
        raise InvalidRecordsError(errors)
    if not records:
        hint = "" if include_drafts else " (only gold records are exported; add --include-drafts)"
        raise NoRecordsError(f"no records to export in {root / RECORDS_DIR}{hint}")
    return sorted(records, key=lambda r: r["id"])


def _select(
    path: Path,
    root: Path,
    include_drafts: bool,
    records: list[Record],
    errors: list[Finding],
) -> None:
    checked = check_file(path, root, want_record=True)  # one read and parse per file
    record = checked.record
    if record is None:
        errors.extend(checked.findings)
        return
    status = record.get("annotation", {}).get("status")
    if status != "gold" and not include_drafts:
        return
    errors.extend(f for f in checked.findings if f.severity == "error")
    records.append(record)


def representative_mention(
    record: Record, entity_id: str, preferred: Iterable[str] = ()
) -> Mention:
    """The one mention that stands for an entity where a format links mentions, not clusters.

    Rule: the first of `preferred` (a relation's evidence) that belongs to the entity; else
    the entity's first named (NAM) mention in text order; else its first mention in text order.
    """
    mentions = {m["id"]: m for m in record["mentions"]}
    for mention_id in preferred:
        mention = mentions.get(mention_id)
        if mention is not None and mention["entity"] == entity_id:
            return mention
    own = sorted(
        (m for m in record["mentions"] if m["entity"] == entity_id),
        key=lambda m: (m["start"], m["end"]),
    )
    named = [m for m in own if m["mention_type"] == "NAM"]
    return (named or own)[0]


# --- import ---------------------------------------------------------------------------------


@dataclass
class Imported:
    """One imported document: the record to write (None if it cannot be built) and findings.

    `annotator` is set when each annotator's version is imported separately (it names the
    sub-folder the record goes to); `carried` names the layers the export can hold: the others
    are kept from the record being corrected (see merge.keep_uncarried). `fingerprint` and
    `ids_trusted` say whether the export was made from the record as it is now (finish.py).
    """

    source: str
    doc_id: str | None
    record: Record | None
    findings: list[Finding]
    annotator: str | None = None
    carried: frozenset[str] = frozenset((*LAYERS, "labels"))
    fingerprint: str | None = None  # of the record the export was made from, when it says
    ids_trusted: bool = False  # the export's ids are the record's (finish.prepared)
    if_changed: list[Finding] = field(default_factory=list)  # only if the record changes


def refused(file: str, doc_id: str | None, *finding: str) -> Imported:
    """A document that gives no record, with its one finding (code, where, message, hint)."""
    code, where, message, hint = finding
    found = Findings(file, doc_id)
    found.add(code, where, message, hint)
    return Imported(file, doc_id, None, found)


@dataclass(frozen=True)
class ImportOptions:
    """How to choose among several annotations of one document, and whom they are by."""

    annotator: str | None = None  # only this annotator's annotation (account or id)
    each_annotator: bool = False  # one record per annotator, for `newscorpus agreement`
    annotator_ids: dict[str, str] = field(default_factory=dict)  # tool account -> annotator id
    annotator_id: str | None = None  # the id of the one annotator imported


MAX_EXPORT_BYTES = 512 * 1024 * 1024
MAX_OFFSET = 2**53


def is_offset(value: object) -> TypeGuard[int]:
    """An offset from an export: a non-negative integer a JSON reader keeps exactly."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_OFFSET


def read_export_bytes(
    path: Path, what: str, limit: int = MAX_EXPORT_BYTES
) -> tuple[bytes | None, Finding | None]:
    """The bytes of an export file, refusing what is not a regular file (a FIFO would hang)
    or is larger than `limit` (a finding that names it)."""
    file = str(path)
    try:
        # Opened without blocking and checked on the open file: a FIFO swapped in after a
        # check by name would still block.
        data = read_regular(path, limit=limit)
    except OSError as err:
        if err.errno == errno.EFBIG:
            return None, Findings(file).finding(
                "import-limit", "",
                f"the file is larger than the limit of {_size(limit)} for {what}.",
                "import the export in parts (fewer documents or annotations per file)",
            )  # fmt: skip
        return None, Findings(file).finding(
            "import-input-invalid",
            "",
            f"cannot read the export: {err.strerror or err}.",
            f"give {what}",
        )
    return data, None


def _size(limit: int) -> str:
    return f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit >> 10} KiB"


def read_export_json(path: Path, what: str) -> tuple[Any, Finding | None]:
    """Parse an export file as strict JSON (jsonio.parse_json: UTF-8, no repeated key, no NaN
    or Infinity, no number beyond a float or integer beyond 2**53, bounded nesting)."""
    data, problem = read_export_bytes(path, what)
    if data is None:
        return None, problem
    value, problems = parse_json(data, str(path), what)
    if problems:
        return None, not_json(problems, "import-input-invalid", "the export", what)
    return value, None


class Drawn(TypedDict, total=False):
    """The annotation layers an export holds. A layer it lacks is empty in the imported
    record, until merge.keep_uncarried takes it from the record being corrected."""

    mentions: list[Mention]
    entities: list[Entity]
    quotes: list[Quote]
    events: list[Event]
    relations: list[Relation]


def with_layers(base: Record, layers: Drawn) -> Record:
    """The matched record with its annotation layers replaced; it goes back to draft review."""
    record = base.copy()
    for name in LAYERS:
        record[name] = layers.get(name, [])
    record["annotation"] = {**base["annotation"], "status": "draft"}
    return record


@dataclass
class Region:
    """A labelled character region from a span-labelling tool, already in code points."""

    key: Any
    start: int
    end: int
    label: str
    mention_type: str
    where: str


@dataclass
class Link:
    source: Any
    target: Any
    label: str | None
    where: str


def split_label(labels: list[str]) -> tuple[str | None, str, list[str]]:
    """(entity label, mention type, unknown labels) from the labels a tool put on a region.

    A region carries one entity label and optionally NAM, NOM or PRO (NAM when absent).
    """
    entity = [x for x in labels if x in ENTITY_LABELS]
    kinds = [x for x in labels if x in MENTION_TYPES]
    unknown = [x for x in labels if x not in ENTITY_LABELS and x not in MENTION_TYPES]
    if len(entity) != 1 or len(kinds) > 1:
        unknown = unknown or list(labels)
    return (entity[0] if len(entity) == 1 else None, kinds[0] if kinds else "NAM", unknown)


def layers_from_regions(
    text: str, regions: list[Region], links: list[Link], file: str, doc_id: str
) -> tuple[Drawn, list[Finding]]:
    """Mentions, entities and relations from flat regions and links.

    Tools without coreference give no clusters, so each distinct (label, surface form) becomes
    one entity, named later by guideline 5.2 (canonicalize). Ids follow text order: m1, m2,
    ... and e1, e2, ...
    """
    mentions, entities, mention_of = _flat_mentions(text, regions)
    findings = Findings(file, doc_id)
    relations = _flat_relations(links, mention_of, findings)
    return {"mentions": mentions, "entities": entities, "relations": relations}, findings


def _flat_mentions(
    text: str, regions: list[Region]
) -> tuple[list[Mention], list[Entity], dict[Any, Mention]]:
    mentions: list[Mention] = []
    entities: list[Entity] = []
    entity_of: dict[tuple[str, str], str] = {}
    mention_of: dict[Any, Mention] = {}
    for region in sorted(regions, key=lambda r: (r.start, r.end, r.label)):
        surface = text[region.start : region.end]
        cluster = (region.label, surface)
        if cluster not in entity_of:
            entity_of[cluster] = f"e{len(entities) + 1}"
            # named later, by guideline 5.2 (canonicalize)
            entities.append({"id": entity_of[cluster], "label": region.label, "name": ""})
        mention: Mention = {
            "id": f"m{len(mentions) + 1}",
            "start": region.start,
            "end": region.end,
            "text": surface,
            "label": region.label,
            "mention_type": region.mention_type,
            "entity": entity_of[cluster],
        }
        mentions.append(mention)
        mention_of[region.key] = mention
    return mentions, entities, mention_of


def _flat_relations(
    links: list[Link],
    mention_of: dict[Any, Mention],
    findings: Findings,
) -> list[Relation]:
    """One relation per (type, head entity, tail entity); its links' mentions are evidence."""
    relations: list[Relation] = []
    by_key: dict[tuple[str, str, str], Relation] = {}
    for link in links:
        head, tail = mention_of.get(link.source), mention_of.get(link.target)
        if link.label is None or link.label not in RELATION_TYPES:
            findings.add(
                "import-unknown-label",
                link.where,
                f"relation label {link.label!r} is not a relation type.",
                f"use one of {', '.join(RELATION_TYPES)}",
            )
        elif head is None or tail is None:
            missing = link.source if head is None else link.target
            findings.add(
                "import-reference-unresolved",
                link.where,
                f"the relation links region {missing!r}, which is not an imported mention.",
                "link two labelled regions of the same document",
            )
        elif (link.label, head["entity"], tail["entity"]) in by_key:
            evidence = by_key[(link.label, head["entity"], tail["entity"])]["evidence"]
            evidence.extend(m for m in (head["id"], tail["id"]) if m not in evidence)
        else:
            relation: Relation = {
                "id": f"r{len(relations) + 1}",
                "type": link.label,
                "head": head["entity"],
                "tail": tail["entity"],
                "evidence": [head["id"], tail["id"]],
            }
            by_key[(link.label, head["entity"], tail["entity"])] = relation
            relations.append(relation)
    return relations


def check_region(
    text: str, start: int, end: int, stated: str | None, file: str, doc_id: str | None, where: str
) -> Finding | None:
    """A finding when [start, end) is not a non-empty slice of `text` equal to `stated`."""
    made = Findings(file, doc_id)
    if not 0 <= start < end <= len(text):
        return made.finding(
            "import-span-mismatch",
            where,
            f"[{start}, {end}) is empty or outside the text (length {len(text)}).",
            "fix the offsets in the annotation tool, then export again",
        )
    if stated is not None and text[start:end] != stated:
        return made.finding(
            "import-span-mismatch",
            where,
            f"the offsets give {text[start:end]!r} but the span says {stated!r}.",
            "the document text changed after annotation: re-annotate this span",
        )
    return None
