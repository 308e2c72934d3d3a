"""What every suggester shares: a candidate span, the overlap rule, ids and small helpers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from ...errors import NewscorpusError
from ...model import Item, Span

_T = TypeVar("_T")
_ItemT = TypeVar("_ItemT", bound=Item)


@dataclass(frozen=True)
class Candidate:
    """A proposed named or value mention, before overlaps are resolved."""

    start: int
    end: int
    label: str
    key: tuple[str, ...]  # which entity the mention joins: a known one, a value, a name
    priority: int  # lower wins between candidates of the same length and start
    by: str = ""  # what proposed it: "gazetteer", "pattern:DATE", "rule:names", "model:..."


# Priorities of the sources of named mentions: between two candidates of the same span, the
# lower wins. Value patterns come after these, numbered from VALUE_PRIORITY on.
PRIORITY = {"gazetteer": 0, "abbreviation": 0, "model": 1, "names": 2, "repeat": 3}
VALUE_PRIORITY = 10


def resolve_overlaps(
    found: list[Candidate], taken: Iterable[tuple[int, int]] = ()
) -> list[Candidate]:
    """Keep a flat set of candidates: longest first, then leftmost, then by priority."""
    occupied = sorted(taken)
    chosen: list[Candidate] = []
    for cand in sorted(found, key=lambda c: (c.start - c.end, c.start, c.priority)):
        if any(cand.start < end and start < cand.end for start, end in occupied):
            continue
        occupied.append((cand.start, cand.end))
        chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


@overload
def dicts(value: list[_T]) -> list[_T]: ...
@overload
def dicts(value: object) -> list[Any]: ...
def dicts(value: object) -> list[Any]:
    """The dicts of a list (anything else: none): a layer's items, whatever else it holds."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def next_number(items: Iterable[Mapping[str, Any]], prefix: str, key: str = "id") -> int:
    """One more than the highest `prefix`N id among `items` (ids start at 1)."""
    numbers = [
        int(str(item[key])[len(prefix) :])
        for item in items
        if re.fullmatch(rf"{prefix}[0-9]+", str(item.get(key, "")))
    ]
    return max(numbers, default=0) + 1


def span(text: str, start: int, end: int) -> Span:
    """A span object as records store it."""
    return {"start": start, "end": end, "text": text[start:end]}


def mark(item: _ItemT, by: str) -> _ItemT:
    """`item` marked as an unconfirmed suggestion from `by`."""
    item["suggested"] = True
    item["suggested_by"] = by
    return item


class SuggestError(NewscorpusError):
    """Raised for a model that cannot be loaded or a record that cannot be suggested into."""
