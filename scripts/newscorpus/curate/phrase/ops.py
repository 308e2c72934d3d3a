"""A file of phrase operations, run as one edit (`newscorpus edit ID apply FILE`).

The file is a JSON list of objects, each naming an `op` (an Editor method) and its arguments
by the Python API's names. A phrase or reference is a string, read as on the command line (an
id such as `m3`, a phrase, `Khan#2`, `He@He said`), or an object {"text": ..., "nth": ...,
"within": ...}. The operations run in order on
one in-memory record; the first that fails stops the run and nothing is saved.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from ...errors import NewscorpusError
from ...fsutil import read_regular
from ...jsonio import load_json
from . import Editor, Phrase, PhraseError
from .find import parse_ref

# Each operation: the Editor method, and the keys passed by position, in order.
OPERATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "mention": ("mention", ("phrase", "label")),
    "change": ("change_mention", ("ref",)),
    "merge": ("merge", ("keep", "other")),
    "name": ("name", ("ref", "name")),
    "quote": ("quote", ("content",)),
    "event": ("event", ("type", "trigger")),
    "relation": ("relation", ("type", "head", "tail")),
    "labels": ("labels", ()),
    "annotation": ("annotation", ()),
    "remove": ("remove", ("id",)),
    "confirm": ("confirm", ()),  # {"op": "confirm", "ids": [...]}; no ids: every suggestion
    "reject": ("reject_suggestions", ()),
}
# Keys whose value is a phrase or reference, or a list or role map of them.
_REFS = {"phrase", "ref", "entity", "keep", "other", "cue", "source", "speaker", "trigger"}
_REFS |= {"head", "tail", "time", "corefer", "id"}
_REF_LISTS = {"content", "evidence"}


def run_operations(editor: Editor, file: Path) -> int:
    """Run every operation of `file` on `editor`; returns how many ran. Raises PhraseError
    naming the file, the operation (as a JSON pointer) and the problem."""
    try:
        operations = load_json(read_regular(file), str(file), "a JSON list of operations")
    except NewscorpusError as err:
        raise PhraseError(f"{err}; nothing was changed") from None
    if not isinstance(operations, list):
        raise PhraseError(f"{file}:/ must be a JSON list of operations; nothing was changed")
    for index, operation in enumerate(operations):
        try:
            _run(editor, operation)
        except NewscorpusError as err:
            raise PhraseError(f"{file}:/{index}: {err}; nothing was changed") from None
    return len(operations)


def _run(editor: Editor, operation: Any) -> None:
    if not isinstance(operation, dict) or operation.get("op") not in OPERATIONS:
        raise PhraseError(f'each operation is an object with "op" one of {sorted(OPERATIONS)}')
    name, by_position = OPERATIONS[operation["op"]]
    method = getattr(editor, name)
    if operation["op"] == "confirm":
        ids = operation.get("ids", [])
        if not isinstance(ids, list) or set(operation) - {"op", "ids"}:
            raise PhraseError('confirm takes "ids", a list of item ids (none: every suggestion)')
        method(*map(str, ids))
        return
    missing = [key for key in by_position if key not in operation]
    if missing:
        raise PhraseError(f"{operation['op']} needs {', '.join(map(repr, missing))}")
    args = [_convert(key, operation[key]) for key in by_position]
    keywords = {
        key: _convert(key, value)
        for key, value in operation.items()
        if key != "op" and key not in by_position
    }
    accepted = set(inspect.signature(method).parameters)
    unknown = sorted(set(keywords) - accepted)
    if unknown:
        raise PhraseError(
            f"{operation['op']} has no argument {', '.join(map(repr, unknown))}; "
            f"it takes {', '.join([*by_position, *sorted(accepted - {'self'})][:12])}"
        )
    method(*args, **keywords)


def _convert(key: str, value: Any) -> Any:
    if key in _REFS:
        return None if value is None else _ref(value)
    if key in _REF_LISTS:
        return [_ref(item) for item in value] if isinstance(value, list) else _ref(value)
    if key == "arguments" and isinstance(value, dict):
        return {
            role: [_ref(v) for v in refs] if isinstance(refs, list) else _ref(refs)
            for role, refs in value.items()
        }
    return value


def _ref(value: Any) -> Any:
    if isinstance(value, dict):
        unknown = set(value) - {"text", "nth", "within"}
        if unknown or not isinstance(value.get("text"), str):
            raise PhraseError(
                f'a phrase object has a string "text" and may have "nth" and "within"; '
                f"got {sorted(value)}"
            )
        return Phrase(value["text"], nth=value.get("nth"), within=value.get("within"))
    if isinstance(value, str):
        return parse_ref(value)
    raise PhraseError(f'a phrase is a string or an object with "text"; got {value!r}')
