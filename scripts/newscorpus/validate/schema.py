"""Level 2, schema: the record against schema/record.schema.json, and what JSON Schema
cannot say (integers beyond 2**53, lone surrogates, offsets written as 3.0).

One validator does it: jsonschema-rs, a compiled implementation of JSON Schema 2020-12, decides
valid or not and, for a record that fails, names every failure (tests/test_schema_differential.py
holds its verdicts to the reference implementation's, jsonschema).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from operator import itemgetter
from typing import Any

import jsonschema_rs
import orjson

from ..errors import NewscorpusError
from ..findings import Findings, pointer
from ..jsonio import MAX_DEPTH, MAX_SAFE_INTEGER, iter_paths, nesting_depth
from ..labels import packaged_schema_dir, record_schema, schema_file, shown_schema_file
from ..model import Passage, Record
from .spans import Spanned, iter_spans

_SCHEMA_CODES = {
    "required": "schema-required",
    "additionalProperties": "schema-additional-properties",
    "type": "schema-type",
    "enum": "schema-enum",
    "pattern": "schema-pattern",
    "minimum": "schema-minimum",
    "minLength": "schema-min-length",
    "minItems": "schema-min-items",
    "uniqueItems": "schema-unique-items",
    "oneOf": "schema-one-of",
}
_SCHEMA_HINTS = {
    "required": "add the missing property (see schema/record.schema.json)",
    "additionalProperties": "remove the property or correct its spelling",
    "type": "give the value the type the schema expects",
    "enum": "use a label from schema/labels.json",
    "pattern": "write the value in the form the pattern describes",
    "minimum": "offsets and counts are non-negative integers",
    "minLength": "give a non-empty string",
    "minItems": "give at least one item",
    "uniqueItems": "list each value once",
    "oneOf": "use null or an object of the documented shape",
}


# --- level 2: schema ------------------------------------------------------------------------


@cache
def _validator() -> Any:
    """The record schema's compiled validator (the schema is read once per process)."""
    try:
        return jsonschema_rs.validator_for(record_schema())
    except ValueError as err:  # a root's own schema that the meta-schema check let through
        first = str(err).split("\n", 1)[0]
        raise NewscorpusError(
            f"{shown_schema_file(schema_file('record.schema.json'))}: the record schema cannot "
            f"be compiled ({first}); fix it, or remove the file to use the copy packaged with "
            f"newscorpus ({packaged_schema_dir()})"
        ) from None


def schema_is_valid_fast(record: Any) -> bool:
    """Whether `record` is valid against the schema: the bulk pass's quick verdict."""
    try:
        return bool(_validator().is_valid(record))
    except (UnicodeEncodeError, ValueError, OverflowError):  # see _errors
        return False


def check_schema(record: Mapping[str, Any], out: Findings) -> None:
    if schema_is_valid_fast(record):
        return
    if nesting_depth(record) > MAX_DEPTH:
        out.add(
            "json-too-deep",
            "",
            "the JSON nests too deeply to be a record.",
            "a record nests at most 6 levels; check the file's structure",
        )
        return
    huge = list(_huge_integers(record))
    for path in huge:
        out.add(
            "json-huge-integer",
            pointer(*path),
            "the integer is too large.",
            f"offsets and counts stay below 2**53 ({MAX_SAFE_INTEGER})",
        )
    if huge:
        return
    failures = sorted((_Failure(error) for error in _errors(record)), key=lambda f: f.order)
    for failure in failures:
        # A oneOf failure is reported as itself: each of the schema's is "null or a value of
        # this shape", and neither alternative alone explains a value that fits none.
        keyword, place, message = failure.keyword, failure.path, failure.message
        if keyword == "enum":
            value = _value_at(record, place)
            if place and place[-1] != "type":
                message = f"{value!r} is not a known label here."
            else:
                options = ", ".join(json.dumps(o, ensure_ascii=False) for o in failure.options)
                message = f"{json.dumps(value, ensure_ascii=False)} is not one of {options}"
        if len(message) > 300:
            message = message[:300] + "..."
        out.add(
            _SCHEMA_CODES.get(keyword, "schema-other"),
            pointer(*place),
            message,
            _SCHEMA_HINTS.get(keyword, "make the value match schema/record.schema.json"),
        )


class _Failure:
    """One failure the validator names: its keyword (the last step of its schema path), the
    place in the record, the message, and where it comes in the report: in the order of the
    record, and at one place in the order of the schema's keywords (a property unknown, then
    those missing, as the schema lists them)."""

    def __init__(self, error: Any) -> None:
        steps = list(error.schema_path)
        self.keyword = str(steps[-1]) if steps else ""
        self.path: list[str | int] = list(error.instance_path)
        self.message: str = error.message
        schema: Any = record_schema()
        for step in steps[:-1]:
            try:
                schema = schema[step]
            except (KeyError, IndexError, TypeError):
                schema = {}
                break
        keys = list(schema) if isinstance(schema, dict) else []
        rank = keys.index(self.keyword) if self.keyword in keys else 0
        self.order = (self.path, rank)
        self.options: list[Any] = list(schema.get("enum", [])) if isinstance(schema, dict) else []


def _value_at(record: Mapping[str, Any], path: list[str | int]) -> Any:
    value: Any = record
    for part in path:
        value = value[part]
    return value


def _errors(record: Mapping[str, Any]) -> list[Any]:
    """Every schema failure of `record`. A lone surrogate, which the compiled validator
    cannot take, is checked as U+FFFD (check_strings reports the surrogate itself)."""
    try:
        return list(_validator().iter_errors(record))
    except UnicodeEncodeError:
        return list(_validator().iter_errors(_without_surrogates(record)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    return value


def json_bytes(record: Mapping[str, Any]) -> bytes | None:
    """The record as orjson writes it, or None when orjson refuses it (a lone surrogate, an
    integer it cannot hold, nesting too deep): what the fast tests below read."""
    try:
        return orjson.dumps(record)
    except TypeError:
        return None


def has_surrogate(record: Mapping[str, Any], dumped: bytes | None = None) -> bool:
    """Whether some string holds a lone surrogate. `dumped`: the record's JSON bytes from
    orjson, when the caller has them (then it has none: orjson refuses them)."""
    if dumped is not None or json_bytes(record) is not None:
        return False
    # a surrogate, or an integer orjson cannot hold: ask the slow way
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _huge_integers(record: Mapping[str, Any]) -> Iterator[tuple]:
    for path, value in iter_paths(record):
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and (abs(value) > MAX_SAFE_INTEGER)
        ):
            yield path


def check_strings(record: Mapping[str, Any], out: Findings) -> None:
    for path, value in iter_paths(record):
        if isinstance(value, str) and any("\ud800" <= ch <= "\udfff" for ch in value):
            out.add(
                "string-surrogate",
                pointer(*path),
                "the string holds a lone surrogate.",
                "replace the \\ud8xx escape with the character it was meant to encode",
            )


# Characters a terminal or a reader obeys rather than shows: C0 controls other than tab and
# line ends, DEL, C1 controls (ESC [ ... starts a terminal escape), and the bidirectional
# embeddings, overrides and isolates that make text read otherwise than it is stored.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same, as orjson writes them: \u00XX escapes (and \b, \f) or raw UTF-8 bytes. One
# pattern per first byte, each found by its literal first byte (one alternation of them all
# was tried at every byte of the record, several times slower); DEL is a plain byte test.
_CONTROL_IN_JSON = (
    re.compile(rb"\\(?:u00[01][0-9a-f]|[bf])"),
    re.compile(rb"\xc2[\x80-\x9f]"),
    re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])"),
)


def _control_in_json(data: bytes) -> bool:
    return b"\x7f" in data or any(pattern.search(data) for pattern in _CONTROL_IN_JSON)


def has_control(record: Mapping[str, Any], dumped: bytes | None = None) -> bool:
    """A fast test, on the record's JSON bytes, that some string may hold a control
    character (false alarms only cost the walk of check_controls). `dumped`: those bytes
    when the caller has them, from orjson, indented or not (indentation is only spaces and
    line ends between values, which the pattern never matches)."""
    if dumped is None:
        dumped = json_bytes(record)
    return dumped is None or _control_in_json(dumped)


def check_controls(record: Mapping[str, Any], out: Findings) -> None:
    for path, value in iter_paths(record):
        if isinstance(value, str):
            found = _CONTROL.search(value)
            if found is not None:
                out.add(
                    "string-control-character",
                    pointer(*path),
                    f"U+{ord(found.group()):04X} at offset {found.start()} of the string: a "
                    "control or bidirectional-override character.",
                    "delete it: terminals obey such characters (ESC starts an escape sequence) "
                    "and bidirectional overrides make the text read otherwise than stored",
                )


def check_integral_offsets(record: Record, out: Findings) -> None:
    """JSON Schema counts 3.0 as an integer; offsets must still be written as integers."""
    if _offsets_all_int(record):
        return  # the common case, told by the types of all offsets gathered in C loops
    located: list[tuple[tuple[str | int, ...], Passage | Spanned]] = [
        (("passages", i), p) for i, p in enumerate(record["passages"])
    ]
    for path, span in located + list(iter_spans(record)):
        for key, offset in (("start", span["start"]), ("end", span["end"])):
            if type(offset) is not int:
                out.add(
                    "schema-type",
                    pointer(*path, key),
                    f"the offset {offset!r} is written as a decimal number.",
                    "write offsets as integers, e.g. 3 rather than 3.0",
                )


_START, _END = itemgetter("start"), itemgetter("end")


def _offsets_all_int(record: Record) -> bool:
    quotes = record["quotes"]
    spans: list[Any] = [part for quote in quotes for part in quote["content"]]
    spans += [quote["cue"] for quote in quotes if quote["cue"] is not None]
    spans += map(itemgetter("trigger"), record["events"])
    types: set[type] = set()
    for items in (record["passages"], record["mentions"], spans):
        types.update(map(type, map(_START, items)), map(type, map(_END, items)))
    return types <= {int}
