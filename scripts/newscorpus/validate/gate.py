"""Which levels can run on a record that already has errors, and the note for each that cannot.

Every level runs whenever it can, so a record with errors still shows every other finding
(warnings included). A level is skipped only when the findings so far leave it nothing sound
to read, and then the report says so with a note: the level, what stopped it and where.

- The record's shape (schema errors of structure: a missing property, a value of the wrong
  type, an offset written as 3.0) stops every later level: they read every field.
- Schema errors of value (a label outside the inventory, an id of the wrong form, a negative
  offset, an extra property) stop nothing; the levels below skip just the broken items.
- A broken source block (a seed path or hash of the wrong form) stops provenance, which
  would read the seed it names.
- A broken text or passages stop consistency, which splits sentences and tokens per passage;
  mentions whose own span is broken are left out of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..findings import ERROR, Finding, Findings
from ..model import Record

# Schema findings that leave the record's structure broken. The others (enum, pattern,
# minimum, min-length, min-items, unique-items, additional properties) leave every field in
# place with its type.
SHAPE_CODES = frozenset(
    {
        "json-too-deep",
        "json-huge-integer",
        "schema-required",
        "schema-type",
        "schema-one-of",
        "schema-other",
    }
)
AFTER_SCHEMA = ("spans", "references", "provenance", "consistency")


def shape_problems(record: Mapping[str, Any], findings: list[Finding]) -> list[Finding]:
    """The findings that leave the record's structure broken: those of SHAPE_CODES, and a
    label outside the inventory that is not even a string (JSON Schema's enum takes any type)."""
    return [
        f
        for f in findings
        if f.code in SHAPE_CODES
        or (f.code == "schema-enum" and not isinstance(_value_at(record, f.pointer), str))
    ]


def _value_at(record: object, where: str) -> object:
    """The value at a JSON pointer that a finding names (None when there is none)."""
    value: object = record
    for part in where.split("/")[1:]:
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return None
    return value


def source_problems(findings: list[Finding]) -> list[Finding]:
    """Errors in the source block, which names the seed that provenance reads."""
    return [
        f
        for f in findings
        if f.severity == ERROR and f.level == "schema" and f.pointer.startswith("/source")
    ]


def text_problems(findings: list[Finding]) -> list[Finding]:
    """Errors that keep the text from being split into sentences and tokens per passage."""
    return [
        f
        for f in findings
        if f.severity == ERROR
        and (
            f.code == "passage-tiling"
            or (f.pointer == "/text" and f.code in ("string-surrogate", "schema-min-length"))
            or (f.level == "schema" and f.pointer.startswith("/passages"))
        )
    ]


def skip(out: Findings, levels: tuple[str, ...], causes: list[Finding], needs: str) -> None:
    """A note per skipped level: what stopped it (the first cause, and how many more)."""
    first = causes[0]
    more = f" and {len(causes) - 1} more error(s)" if len(causes) > 1 else ""
    for level in levels:
        out.add(
            f"{level}-skipped",
            first.pointer,
            f"the {level} checks did not run on this record: {needs}; stopped by "
            f"[{first.code}] at {first.pointer or '/'}{more}.",
            f"fix the error(s) named, then validate again: the {level} checks may find more",
        )


def broken_mentions(record: Record) -> frozenset[int]:
    """Indices of mentions whose span does not slice the text as it says (or is untrimmed):
    the consistency checks leave them out rather than report them twice."""
    text = record["text"]
    broken = set()
    for i, mention in enumerate(record["mentions"]):
        start, end, said = mention["start"], mention["end"], mention["text"]
        if not (0 <= start < end <= len(text) and text[start:end] == said == said.strip()):
            broken.add(i)
    return frozenset(broken)
