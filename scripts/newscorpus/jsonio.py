"""Strict reading and safe writing of record files.

Reading turns every file-level problem into a Finding rather than an exception. Writing is
canonical (same record, same bytes) and atomic, and never replaces a file unless asked to.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .findings import Finding, pointer

MAX_SAFE_INTEGER = 2**53
MAX_DEPTH = 64


class _Marked(dict):
    """A JSON object that remembers the keys it saw more than once."""

    duplicates: list[str]


class _NonFinite:
    def __init__(self, token: str) -> None:
        self.token = token


class _HugeInt:
    def __init__(self, digits: str) -> None:
        self.digits = digits


def _pairs(pairs: list[tuple[str, Any]]) -> _Marked:
    obj = _Marked()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def _parse_int(digits: str) -> Any:
    if len(digits) > 40:
        return _HugeInt(digits)
    value = int(digits)
    return _HugeInt(digits) if abs(value) >= MAX_SAFE_INTEGER else value


def _depth_exceeds(text: str, limit: int) -> bool:
    """Cheap bracket count (ignoring strings) so deep nesting never reaches the recursive parser."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _scan(value: Any, path: tuple[str | int, ...], out: list[tuple[str, tuple, Any]]) -> Any:
    """Find markers left by the parser hooks; return the value with plain Python types."""
    if isinstance(value, _Marked):
        for key in value.duplicates:
            out.append(("json-duplicate-key", path + (key,), key))
        return {k: _scan(v, path + (k,), out) for k, v in value.items()}
    if isinstance(value, list):
        return [_scan(v, path + (i,), out) for i, v in enumerate(value)]
    if isinstance(value, _NonFinite):
        out.append(("json-nonfinite-number", path, value.token))
        return None
    if isinstance(value, _HugeInt):
        out.append(("json-huge-integer", path, value.digits))
        return None
    return value


def read_record(path: Path, shown: str) -> tuple[dict[str, Any] | None, list[Finding]]:
    """Parse a record file strictly. Returns (record or None, file-level findings)."""

    def finding(code: str, where: str, message: str, hint: str) -> Finding:
        return Finding(code, shown, None, where, message, hint)

    try:
        data = path.read_bytes()
    except OSError as err:
        return None, [finding("file-unreadable", "", f"cannot read the file: {err.strerror}.",
                              "check the path and its permissions")]
    findings: list[Finding] = []
    if data.startswith(b"\xef\xbb\xbf"):
        findings.append(finding("file-bom", "", "the file starts with a UTF-8 byte-order mark.",
                                "save the file as UTF-8 without BOM"))
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        findings.append(finding(
            "file-not-utf8", "",
            f"byte 0x{data[err.start]:02x} at offset {err.start} is not valid UTF-8.",
            "re-save the file as UTF-8"))
        return None, findings
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        findings.append(finding("file-crlf", "", f"CR line end on line {line}.",
                                "convert the file to LF line ends (e.g. `dos2unix`)"))
    if _depth_exceeds(text, MAX_DEPTH):
        findings.append(finding("json-too-deep", "", f"JSON nests deeper than {MAX_DEPTH} levels.",
                                "a record nests at most 6 levels; check the file's structure"))
        return None, findings
    try:
        raw = json.loads(text, object_pairs_hook=_pairs, parse_constant=_NonFinite,
                         parse_int=_parse_int)
    except json.JSONDecodeError as err:
        findings.append(finding(
            "json-invalid", "",
            f"not well-formed JSON: {err.msg} at line {err.lineno}, column {err.colno}.",
            "fix the JSON syntax there (a truncated file, a stray or missing comma or quote)"))
        return None, findings
    except (RecursionError, ValueError) as err:
        findings.append(finding("json-invalid", "", f"the JSON cannot be parsed: {err}.",
                                "fix the JSON syntax"))
        return None, findings
    markers: list[tuple[str, tuple, Any]] = []
    record = _scan(raw, (), markers)
    for code, where, detail in markers:
        if code == "json-duplicate-key":
            message = f"the key {detail!r} appears more than once in this object."
            hint = "keep one value for the key and delete the others"
        elif code == "json-nonfinite-number":
            message = f"{detail} is not a JSON number."
            hint = "use a finite number or null"
        else:
            message = f"the integer {detail[:30]}{'...' if len(detail) > 30 else ''} is too large."
            hint = f"offsets and counts stay below 2**53 ({MAX_SAFE_INTEGER})"
        findings.append(finding(code, pointer(*where), message, hint))
    if not isinstance(record, dict):
        findings.append(finding("json-not-object", "", "the top-level value is not a JSON object.",
                                "a record file holds one JSON object"))
        return None, findings
    return record, findings


def dumps(record: dict[str, Any]) -> str:
    """The canonical text of a record: stable key order as given, 2-space indent, final LF."""
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


class RecordExistsError(FileExistsError):
    """Writing would replace a record; the caller must ask for it explicitly."""


def write_atomic(path: Path, content: str | bytes, *, overwrite: bool = False) -> Path | None:
    """Write via a temp file in the same folder, then link or rename it into place.

    Without `overwrite`, refuse (RecordExistsError) if `path` exists; the check and the write
    are one atomic link(2). With `overwrite`, the previous file is kept as `<name>.bak` and that
    backup path is returned.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    backup = None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            if path.exists():
                backup = path.with_name(path.name + ".bak")
                shutil.copy2(path, backup)
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise RecordExistsError(str(path)) from None
            tmp.unlink()
    finally:
        if tmp.exists():
            tmp.unlink()
    return backup
