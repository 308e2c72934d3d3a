"""Strict reading of JSON, and canonical writing of record files.

This is the one strict JSON reader: record files (`read_record`, `parse_record`) and the
exports that importers read (`parse_json`) go through it. It refuses what JSON readers
disagree on or lose: a repeated key, NaN or Infinity, a number too large for a float (and, in
a record, an integer beyond 2**53), invalid UTF-8 or a byte-order mark. Every problem is a
Finding with its JSON pointer rather than an exception. Writing is canonical (same record,
same bytes); fsutil.write_atomic puts the bytes in place.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import orjson

from .errors import NewscorpusError
from .findings import Finding, Findings, pointer
from .fsutil import NotRegularFileError, read_regular
from .model import Record

MAX_SAFE_INTEGER = 2**53


class _Marked(dict):
    """A JSON object that remembers the keys it saw more than once."""

    duplicates: list[str]


class _NonFinite:
    """NaN, Infinity or -Infinity; or a number literal that only a float of infinite size
    holds (1e400)."""

    def __init__(self, token: str, literal: bool = True) -> None:
        self.token = token
        self.literal = literal


class _HugeInt:
    def __init__(self, digits: str) -> None:
        self.digits = digits


class JSONInputError(NewscorpusError):
    """A JSON input that the strict reader refuses; the message names file, place and fix."""


def _pairs(pairs: list[tuple[str, Any]]) -> _Marked:
    obj = _Marked()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


class _Flags:
    """What the fast parse saw that needs the marking parse to locate."""

    def __init__(self) -> None:
        self.suspect = False

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            self.suspect = True
        return obj

    def constant(self, token: str) -> None:
        self.suspect = True

    def number(self, token: str) -> float:
        value = float(token)
        if math.isinf(value):
            self.suspect = True
        return value

    def integer(self, digits: str) -> int | None:
        if len(digits) < 16:
            return int(digits)
        value = _parse_int(digits)
        if isinstance(value, _HugeInt):
            self.suspect = True
            return None
        return int(value)


def _parse_float(token: str) -> Any:
    value = float(token)
    return _NonFinite(token, literal=False) if math.isinf(value) else value


def _parse_int(digits: str) -> Any:
    if len(digits) > 40:
        return _HugeInt(digits)
    value = int(digits)
    return _HugeInt(digits) if abs(value) >= MAX_SAFE_INTEGER else value


MAX_DEPTH = 32  # a valid record nests 6 levels deep


def iter_paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple, Any]]:
    """Every (path, value) of a parsed JSON value, each container before its items."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from iter_paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from iter_paths(item, path + (index,))


def nesting_depth(value: Any, level: int = 0) -> int:
    """Nesting depth, stopping early once it passes MAX_DEPTH."""
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((nesting_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((nesting_depth(v, level + 1) for v in value), default=level + 1)
    return level


def _scan(value: Any, path: tuple[str | int, ...], out: list[tuple[str, tuple, Any]]) -> Any:
    """Find markers left by the parser hooks; return the value with plain Python types."""
    if len(path) > MAX_DEPTH:
        raise RecursionError("record nests too deeply")
    if isinstance(value, _Marked):
        for key in value.duplicates:
            out.append(("json-duplicate-key", path + (key,), key))
        return {k: _scan(v, path + (k,), out) for k, v in value.items()}
    if isinstance(value, list):
        return [_scan(v, path + (i,), out) for i, v in enumerate(value)]
    if isinstance(value, _NonFinite):
        out.append(("json-nonfinite-number", path, value))
        return None
    if isinstance(value, _HugeInt):
        out.append(("json-huge-integer", path, value.digits))
        return None
    return value


def read_record(path: Path, shown: str) -> tuple[Record | None, list[Finding]]:
    """Parse a record file strictly. Returns (record or None, file-level findings)."""
    data, problems = read_record_bytes(path, shown)
    if data is None:
        return None, problems
    return parse_record(data, shown)


def read_record_bytes(path: Path, shown: str) -> tuple[bytes | None, list[Finding]]:
    """The bytes of a record file, or the finding that says why it cannot be read. Only a
    regular file is read (a FIFO would block, a device never end); a symlink is refused."""
    reader = _Reader(shown)
    try:
        return read_regular(path, follow_symlinks=False), []
    except NotRegularFileError as err:
        reader.add(
            "file-not-regular",
            f"the path is {err.strerror}; nothing was read from it.",
            "records are regular files: replace it with the record file itself",
        )
    except OSError as err:
        reader.add(
            "file-unreadable",
            f"cannot read the file: {err.strerror}.",
            "check the path and its permissions (a folder needs r and x)",
        )
    return None, reader.findings


def parse_record(data: bytes, shown: str) -> tuple[Record | None, list[Finding]]:
    """Parse the bytes of a record file strictly: (record or None, file-level findings).

    This is where decoded JSON becomes a `Record`: any JSON object is returned as one, and
    the validator (validate.validate_record) checks that it is one before anything relies on
    its shape.
    """
    record, findings, _ = parse_record_exact(data, shown)
    return record, findings


def parse_record_exact(data: bytes, shown: str) -> tuple[Record | None, list[Finding], bool]:
    """parse_record, and whether `data` is exactly the record as `dumps` writes it (then its
    strings hold no lone surrogate, and the bytes can stand for the record's JSON)."""
    reader = _Reader(shown)
    decoded = reader.decode(data)
    if decoded is None:
        return None, reader.findings, False
    data, text = decoded
    if not reader.findings:
        canonical = _canonical(data)
        if canonical is not None:
            return cast(Record, canonical), [], True
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        reader.add(
            "file-crlf",
            f"CR line end on line {line}.",
            "convert the file to LF line ends (e.g. `dos2unix`)",
        )
    return cast("Record | None", reader.parse(text)), reader.findings, False


def parse_json(data: bytes | str, shown: str, what: str) -> tuple[Any, Findings]:
    """Any JSON value, read as strictly as a record but for CR line ends, which are allowed:
    (value, []) or (None, the findings that say why not). `what` names what the value should
    be in a message about its nesting (e.g. "a Label Studio export")."""
    reader = _Reader(shown, what, integers=True)
    if isinstance(data, bytes):
        decoded = reader.decode(data)
        if decoded is None:
            return None, reader.findings
        data = decoded[1]
    value = reader.parse_value(data)
    return (None if reader.findings else value), reader.findings


def not_json(problems: Findings, code: str, subject: str, what: str, where: str = "") -> Finding:
    """The one finding, of `code`, for input that `parse_json` refused: its first problem,
    where that is, and the fix. `subject` names the input ("the export", "line 3"), `what`
    what it should be."""
    first = problems[0]
    at = f" at {first.pointer}" if first.pointer else ""
    detail = first.message.removeprefix("not well-formed JSON: ")
    more = f" ({len(problems) - 1} more problem(s) after it)" if len(problems) > 1 else ""
    return problems.finding(
        code,
        where,
        f"{subject} is not valid JSON{at}: {detail}{more}",
        f"{first.hint}, or give {what}",
    )


def load_json(data: bytes | str, shown: str, what: str) -> Any:
    """Any JSON value, read by `parse_json`, for a reader that stops at the first problem:
    raises JSONInputError naming the file, the place (a JSON pointer) and the fix."""
    value, problems = parse_json(data, shown, what)
    if problems:
        first = problems[0]
        more = f" ({len(problems) - 1} more after it)" if len(problems) > 1 else ""
        message = first.message.rstrip(".")
        where = f"{shown}:{first.pointer}" if first.pointer else shown
        raise JSONInputError(f"{where}: {message}{more}; {first.hint}")
    return value


def _canonical(data: bytes) -> dict[str, Any] | None:
    """The record, when the file is exactly as `dumps` writes it (the common case).

    Parsing it with orjson and writing it back gives the same bytes only if it has no repeated
    key, no NaN and no oddity of form, so such a file needs none of the careful checks.
    """
    try:
        parsed = orjson.loads(data)
        if (
            isinstance(parsed, dict)
            and orjson.dumps(parsed, option=orjson.OPT_INDENT_2) + (b"\n") == data
        ):
            return parsed
    except (ValueError, TypeError):  # malformed, or a surrogate: the careful path says
        pass
    return None


_UNREADABLE = object()  # what _Reader.parse_value gives for malformed or too deep JSON


class _Reader:
    """The careful path of read_record, collecting the file-level findings of one file."""

    def __init__(self, shown: str, what: str = "a record", integers: bool = False) -> None:
        self.findings = Findings(shown)
        self.what = what
        # Whether the fast parse looks for integers beyond 2**53 too; for a record the
        # validator does, once the schema fails (a schema-valid record has none).
        self.integers = integers

    def add(self, code: str, message: str, hint: str, where: str = "") -> None:
        self.findings.add(code, where, message, hint)

    def too_deep(self) -> None:
        self.add(
            "json-too-deep",
            f"the JSON nests too deeply to be {self.what}.",
            "a record nests at most 6 levels; check the file's structure"
            if self.what == "a record"
            else "check the file's structure",
        )

    def decode(self, data: bytes) -> tuple[bytes, str] | None:
        if data.startswith(b"\xef\xbb\xbf"):
            self.add(
                "file-bom",
                "the file starts with a UTF-8 byte-order mark.",
                "save the file as UTF-8 without BOM",
            )
            data = data[3:]
        try:
            return data, data.decode("utf-8")
        except UnicodeDecodeError as err:
            self.add(
                "file-not-utf8",
                f"byte 0x{data[err.start]:02x} at offset {err.start} is not valid UTF-8.",
                "re-save the file as UTF-8",
            )
            return None

    def parse(self, text: str) -> dict[str, Any] | None:
        """A record: a JSON object, strictly parsed."""
        value = self.parse_value(text, record=True)
        if value is _UNREADABLE:
            return None
        if not isinstance(value, dict):
            self.add(
                "json-not-object",
                "the top-level value is not a JSON object.",
                "a record file holds one JSON object",
            )
            return None
        return value

    def parse_value(self, text: str, record: bool = False) -> Any:
        """Fast parse first; only a file with a repeated key, NaN/Infinity, a number beyond a
        float or an integer too long for int() (or, for a `record`, a value that is not an
        object: how deep it nests is then told) is parsed again with the hooks that mark where
        the problem is. _UNREADABLE when the JSON is malformed or too deep."""
        flags = _Flags()
        raw: Any = None
        try:
            raw = json.loads(
                text,
                object_pairs_hook=flags.pairs,
                parse_constant=flags.constant,
                parse_float=flags.number,
                parse_int=flags.integer if self.integers else None,
            )
        except json.JSONDecodeError as err:
            self.add(
                "json-invalid",
                f"not well-formed JSON: {err.msg} at line {err.lineno}, column {err.colno}.",
                "fix the JSON syntax there (a truncated file, a stray or missing comma or quote)",
            )
            return _UNREADABLE
        except RecursionError:
            self.too_deep()
            return _UNREADABLE
        except ValueError:  # int() refuses an integer literal of thousands of digits
            flags.suspect = True
        if not flags.suspect and (isinstance(raw, dict) or not record):
            # Depth and integer size are checked by the validator when the schema fails:
            # a schema-valid record is shallow and its integers are below 2**53.
            return raw
        return self._parse_marked(text)

    def _parse_marked(self, text: str) -> Any:
        markers: list[tuple[str, tuple[str | int, ...], Any]] = []
        try:
            raw = json.loads(
                text,
                object_pairs_hook=_pairs,
                parse_constant=_NonFinite,
                parse_int=_parse_int,
                parse_float=_parse_float,
            )
            value = _scan(raw, (), markers)
        except RecursionError:
            self.too_deep()
            return _UNREADABLE
        for code, where, detail in markers:
            self.add(code, *_MARKED[code](detail), where=pointer(*where))
        return value


# What each marker of the careful parse means: code -> detail -> (message, hint).
_MARKED: dict[str, Callable[[Any], tuple[str, str]]] = {
    "json-duplicate-key": lambda key: (
        f"the key {key!r} appears more than once in this object.",
        "keep one value for the key and delete the others",
    ),
    "json-nonfinite-number": lambda number: (
        f"{number.token} is not a JSON number."
        if number.literal
        else f"the number {number.token[:30]} is too large: JSON readers read it as Infinity.",
        "use a finite number or null",
    ),
    "json-huge-integer": lambda digits: (
        f"the integer {digits[:30]}{'...' if len(digits) > 30 else ''} is too large.",
        f"offsets and counts stay below 2**53 ({MAX_SAFE_INTEGER})",
    ),
}


def dumps(record: Mapping[str, Any]) -> str:
    """The canonical text of a record: stable key order as given, 2-space indent, final LF."""
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


_VISIBLE = re.compile(r"\S")


def visible_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of each line that is not blank, without splitting the blank ones
    into a list (a file of millions of empty lines costs one scan)."""
    at, number = 0, 1
    while (found := _VISIBLE.search(text, at)) is not None:
        newline = text.rfind("\n", at, found.start())
        start = at if newline < 0 else newline + 1
        number += text.count("\n", at, start)
        end = text.find("\n", found.start())
        end = len(text) if end < 0 else end
        yield number, text[start:end]
        at = end
