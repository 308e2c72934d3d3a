"""Reading predictions for `evaluate`, and checking them against the gold text.

PRED is a folder (its *.json, *.jsonl and *.parquet files), or one such file: a .json file
holds one object, a list of them or JSON Lines (as `Dataset.to_json` writes them), a .jsonl
file one object a line, a .parquet file one object a row. What each object is (a record, a row
of one of the configs) is newscorpus.curate.evaluate.shapes's business; here every prediction
is a record with any subset of the layers (`mentions`, `quotes`, `events`, `relations`), whose
`id` names its document, or a `ner` row. Nothing else is required: a mention without
`mention_type` counts as named (NAM), one without `entity` stands alone.

A bad item (an unknown label, offsets that do not slice the text, a reference to nothing) is a
finding with the file and a JSON pointer (of the row it came from, for config rows), and is
left out of the scores; it never stops the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from ...findings import Finding, Findings, pointer
from ...fsutil import check_regular, read_regular
from ...jsonio import not_json, parse_json, visible_lines
from ...labels import (
    ENTITY_LABELS,
    EVENT_TYPES,
    MENTION_TYPES,
    MODALITIES,
    NER_TAGS,
    QUOTE_TYPES,
    RELATION_TYPES,
    ROLES,
)
from ...model import LAYERS, Layer
from ...publish.views import ROW_COLUMNS

# Predictions for a corpus of news articles: far below this; more is not read.
MAX_PREDICTION_BYTES = 64 << 20
# The layers a prediction may hold: every annotation layer but entities, which a prediction
# gives through its mentions' `entity` (scored as coreference).
PREDICTED_LAYERS: tuple[Layer, ...] = tuple(layer for layer in LAYERS if layer != "entities")


@dataclass
class Item:
    """One object read from PRED: where it came from and what it holds."""

    file: str
    where: tuple[str | int, ...]  # the JSON pointer parts of the object in its file
    value: Any
    # For a document made of config rows: layer -> where each of its items came from.
    origins: dict[str, list[tuple[str, tuple[str | int, ...]]]] | None = None

    def locate(self, where: tuple[str | int, ...]) -> tuple[str, tuple[str | int, ...]]:
        """The file and JSON pointer parts of a place inside this object: for an item that
        came from a config row, the row's own file, line and column."""
        if self.origins and len(where) > 1 and where[0] in self.origins:
            file, base = self.origins[str(where[0])][int(where[1])]
            rest = where[2:]
            if rest:
                rest = (ROW_COLUMNS.get(str(rest[0]), rest[0]), *rest[1:])
            return file, (*base, *rest)
        return self.file, (*self.where, *where)


@dataclass
class Checked:
    """A prediction with its bad items left out, and the findings that say why."""

    record: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)


def read_items(path: Path, shown: str) -> tuple[list[Item], list[Finding]]:
    """Every object of PRED, in file order; unparsable files and lines are findings."""
    files = sorted(p for p in path.iterdir() if p.suffix in _READERS) if path.is_dir() else [path]
    items: list[Item] = []
    findings = Findings()
    for file in files:
        name = shown if file == path else f"{shown.rstrip('/')}/{file.name}"
        reader = _READERS.get(file.suffix, _read_json)
        for item in reader(file, name, findings):
            items.append(item)
    return items, findings


_INVALID = "evaluate-input-invalid"
_WHAT = "records or rows of the configs"


def _invalid(findings: Findings, file: str, where: str, message: str, hint: str) -> None:
    findings.add(_INVALID, where, message, hint, file=file)


def _read_json(file: Path, name: str, findings: Findings) -> Iterator[Item]:
    """One object, or a list of them; or JSON Lines (`Dataset.to_json` writes them whatever
    the file's name)."""
    try:
        text = _read(file)
    except (OSError, UnicodeDecodeError) as err:
        _invalid(findings, name, "", f"cannot read the file: {_why(err)}.", "write JSON")
        return
    value, problems = parse_json(text, name, _WHAT)
    if problems:
        if "Extra data" in problems[0].message and text.lstrip().startswith("{"):
            yield from _read_jsonl(file, name, findings)
        else:
            findings.append(not_json(problems, _INVALID, "the file", "JSON or JSON Lines"))
        return
    if isinstance(value, list):
        yield from (Item(name, (index,), item) for index, item in enumerate(value))
    else:
        yield Item(name, (), value)


def _read_jsonl(file: Path, name: str, findings: Findings) -> Iterator[Item]:
    try:
        lines = visible_lines(_read(file))
    except (OSError, UnicodeDecodeError) as err:
        hint = "write UTF-8 JSONL"
        _invalid(findings, name, "", f"cannot read the file: {_why(err)}.", hint)
        return
    for number, line in lines:
        value, problems = parse_json(line, name, _WHAT)
        if problems:
            subject, where = f"line {number}", f"/{number}"
            findings.append(not_json(problems, _INVALID, subject, "one object a line", where))
        else:
            yield Item(name, (number,), value)


def _read(file: Path) -> str:
    """The text of a prediction file: a regular file only (a FIFO would block, /dev/zero
    never ends), opened without blocking, at most MAX_PREDICTION_BYTES."""
    return read_regular(file, limit=MAX_PREDICTION_BYTES).decode("utf-8")


def _why(err: Exception) -> str:
    return err.strerror or str(err) if isinstance(err, OSError) else str(err)


def _read_parquet(file: Path, name: str, findings: Findings) -> Iterator[Item]:
    import pyarrow.parquet as pq

    try:
        check_regular(file)
        rows = pq.read_table(file).to_pylist()
    except (OSError, ValueError) as err:
        hint = "write the rows with Dataset.to_parquet or pyarrow"
        _invalid(findings, name, "", f"not a Parquet file: {err}.", hint)
        return
    for number, row in enumerate(rows):
        yield Item(name, (number,), row)


_READERS = {".json": _read_json, ".jsonl": _read_jsonl, ".parquet": _read_parquet}


# --- checking one record against its gold text ---------------------------------------------


class _Checker:
    def __init__(self, item: Item, text: str) -> None:
        self.item, self.text = item, text
        self.doc_id = item.value.get("id")
        self.findings = Findings(item.file, self.doc_id)

    def add(self, code: str, where: tuple[str | int, ...], message: str, hint: str) -> None:
        file, at = self.item.locate(where)
        self.findings.add(code, pointer(*at), message, hint, file=file)

    def span(self, span: Any, where: tuple[str | int, ...]) -> bool:
        start, end = (
            (span.get("start"), span.get("end")) if isinstance(span, dict) else (None, None)
        )
        if not (_offset(start) and _offset(end) and 0 <= start < end <= len(self.text)):
            self.add(
                "evaluate-span-mismatch",
                where,
                f"offsets {start!r}..{end!r} do not slice the text ({len(self.text)} characters).",
                "give integer code-point offsets with 0 <= start < end <= len(text)",
            )
            return False
        stated = span.get("text")
        if stated is not None and stated != self.text[start:end]:
            self.add(
                "evaluate-span-mismatch",
                where,
                f"the span says {stated!r} but the text at {start}..{end} is "
                f"{self.text[start:end]!r}.",
                "offsets count Python code points of the gold text, not bytes or UTF-16 units",
            )
            return False
        return True

    def label(self, value: Any, allowed: tuple[str, ...], what: str, where: tuple) -> bool:
        if isinstance(value, str) and value in allowed:
            return True
        self.add(
            "evaluate-unknown-label",
            where,
            f"{what} {value!r} is not in the inventory.",
            f"use one of schema/labels.json: {', '.join(allowed[:6])}, ...",
        )
        return False

    def resolves(self, value: Any, known: set[str], what: str, where: tuple) -> bool:
        if isinstance(value, str) and value in known:
            return True
        self.add(
            "evaluate-reference-unresolved",
            where,
            f"{what} {value!r} is not in this prediction.",
            "refer to an id the prediction itself gives (a mention's `id` or `entity`)",
        )
        return False


def _offset(value: Any) -> TypeGuard[int]:
    """An integer that is not a boolean (JSON's true is no offset, nor a tag id)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _name(value: Any) -> bool:
    """An id a prediction may give: a string, or none."""
    return value is None or isinstance(value, str)


def _list(checker: _Checker, record: dict[str, Any], layer: str) -> list[Any]:
    value = record.get(layer)
    if isinstance(value, list):
        return value
    checker.add("evaluate-input-invalid", (layer,), f"{layer} is not a list.", "give a JSON list")
    return []


def _mentions(checker: _Checker, items: list[Any]) -> list[dict[str, Any]]:
    kept = []
    for index, mention in enumerate(items):
        where = ("mentions", index)
        if not checker.span(mention, where):
            continue
        if not checker.label(mention.get("label"), ENTITY_LABELS, "label", (*where, "label")):
            continue
        kind = mention.get("mention_type", "NAM")
        if not checker.label(kind, MENTION_TYPES, "mention type", (*where, "mention_type")):
            continue
        if not all(_name(mention.get(key)) for key in ("id", "entity")):
            checker.add(
                "evaluate-input-invalid",
                where,
                "the mention's `id` or `entity` is not a string.",
                "give ids as strings (m1, e1), or leave them out",
            )
            continue
        kept.append({**mention, "id": mention.get("id", f"#{index}"), "mention_type": kind})
    return kept


def _quotes(checker: _Checker, items: list[Any], mentions: set[str], entities: set[str]) -> list:
    kept = []
    for index, quote in enumerate(items):
        where = ("quotes", index)
        if not isinstance(quote, dict) or not checker.label(
            quote.get("type"), QUOTE_TYPES, "quote type", (*where, "type")
        ):
            continue
        content = quote.get("content")
        parts = content if isinstance(content, list) and content else [None]
        if not all([checker.span(p, (*where, "content", i)) for i, p in enumerate(parts)]):
            continue
        speaker, source = quote.get("speaker"), quote.get("source")
        if speaker is not None and not checker.resolves(
            speaker, entities, "entity", (*where, "speaker")
        ):
            speaker = None
        if source is not None and not checker.resolves(
            source, mentions, "mention", (*where, "source")
        ):
            source = None
        kept.append({**quote, "speaker": speaker, "source": source})
    return kept


def _events(checker: _Checker, items: list[Any], mentions: set[str]) -> list[dict[str, Any]]:
    kept = []
    for index, event in enumerate(items):
        where = ("events", index)
        if not isinstance(event, dict) or not checker.label(
            event.get("type"), EVENT_TYPES, "event type", (*where, "type")
        ):
            continue
        if not checker.span(event.get("trigger"), (*where, "trigger")):
            continue
        modality = event.get("modality")
        if modality is not None and not checker.label(
            modality, MODALITIES, "modality", (*where, "modality")
        ):
            modality = None
        arguments = []
        given = event.get("arguments")
        for number, argument in enumerate(given if isinstance(given, list) else []):
            at = (*where, "arguments", number)
            if (
                isinstance(argument, dict)
                and checker.label(argument.get("role"), ROLES, "role", (*at, "role"))
                and checker.resolves(argument.get("mention"), mentions, "mention", (*at, "mention"))
            ):
                arguments.append(argument)
        kept.append({**event, "modality": modality, "arguments": arguments})
    return kept


def _relations(checker: _Checker, items: list[Any], entities: set[str]) -> list[dict[str, Any]]:
    kept = []
    for index, relation in enumerate(items):
        where = ("relations", index)
        if (
            isinstance(relation, dict)
            and checker.label(
                relation.get("type"), RELATION_TYPES, "relation type", (*where, "type")
            )
            and checker.resolves(relation.get("head"), entities, "entity", (*where, "head"))
            and checker.resolves(relation.get("tail"), entities, "entity", (*where, "tail"))
        ):
            kept.append(relation)
    return kept


def check_record(item: Item, text: str) -> Checked:
    """The record with every bad item left out; its layers are the keys it has."""
    checker = _Checker(item, text)
    record = item.value
    stated = record.get("text")
    if stated is not None and stated != text:
        checker.add(
            "evaluate-text-mismatch",
            ("text",),
            "the prediction's text is not the gold text; the document is scored as empty.",
            "predict on the gold text as published (offsets count its code points)",
        )
        return Checked({"id": checker.doc_id}, checker.findings)
    out: dict[str, Any] = {"id": checker.doc_id}
    mentions = (
        _mentions(checker, _list(checker, record, "mentions")) if "mentions" in record else []
    )
    if "mentions" in record:
        out["mentions"] = mentions
    mention_ids = {m["id"] for m in mentions}
    entity_ids = {m["entity"] for m in mentions if m.get("entity") is not None}
    if "quotes" in record:
        out["quotes"] = _quotes(checker, _list(checker, record, "quotes"), mention_ids, entity_ids)
    if "events" in record:
        out["events"] = _events(checker, _list(checker, record, "events"), mention_ids)
    if "relations" in record:
        out["relations"] = _relations(checker, _list(checker, record, "relations"), entity_ids)
    return Checked(out, checker.findings)


def check_tags(
    item: Item, tokens: list[str], doc_id: str
) -> tuple[list[str] | None, list[Finding]]:
    """The predicted tags of one ner row as strings, or None (with a finding) when unusable."""
    row = item.value
    tags = row.get("ner_tags")

    made = Findings(item.file, doc_id)

    def finding(code: str, where: tuple[str | int, ...], message: str, hint: str) -> Finding:
        return made.finding(code, pointer(*item.where, *where), message, hint)

    if "tokens" in row and row["tokens"] != tokens:
        message = f"row {row['id']!r} has other tokens than the gold row."
        return None, [
            finding("evaluate-tokens-mismatch", ("tokens",), message, "tag the gold tokens")
        ]
    if not isinstance(tags, list) or len(tags) != len(tokens):
        count = len(tags) if isinstance(tags, list) else "no list of"
        message = f"row {row['id']!r} has {count} tags for the {len(tokens)} gold tokens."
        hint = "give one tag per token of the ner row with the same id"
        return None, [finding("evaluate-tokens-mismatch", ("ner_tags",), message, hint)]
    names = [NER_TAGS[t] if _offset(t) and t < len(NER_TAGS) else t for t in tags]
    bad = [(i, t) for i, t in enumerate(names) if t not in NER_TAGS]
    if bad:
        index, tag = bad[0]
        message = f"tag {tag!r} is not a tag of the ner config ({len(bad)} such in this row)."
        hint = "use O, B-LABEL or I-LABEL with a label of schema/labels.json, or their integers"
        return None, [finding("evaluate-unknown-label", ("ner_tags", index), message, hint)]
    return names, []
