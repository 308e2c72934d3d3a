"""Ids by content: an imported record's items take the ids of the record's items they equal.

Formats whose ids cannot be trusted (brat numbers its lines, doccano has none of ours, a Label
Studio export made from another version of the record holds that version's ids) are matched to
the record being corrected by what they annotate, never by their keys: a mention by its offsets,
a quote by its spans, an event by its trigger, an entity or event cluster by the members it
shares with the record's, a relation by its type and the entities it joins. What matches keeps
the record's id; anything else takes the next free number of its layer, and every reference is
rewritten to the final ids.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

from ..canonical import PREFIXES, id_number
from ..model import Item, Record, Span

T = TypeVar("T", bound=Item)


class _Ids:
    """Final ids of one layer: the record's ids claimed once each, then the next free ones."""

    def __init__(self, prefix: str, base_ids: Iterable[object]) -> None:
        self.prefix = prefix
        self.known = {i for i in base_ids if isinstance(i, str)}
        numbers = [id_number(i) for i in self.known if id_number(i) < 1 << 62]
        self.next = max(numbers, default=0) + 1
        self.used: set[str] = set()

    def claim(self, candidates: Iterable[str]) -> str | None:
        for candidate in candidates:
            if candidate in self.known and candidate not in self.used:
                self.used.add(candidate)
                return str(candidate)
        return None

    def new(self) -> str:
        ident = f"{self.prefix}{self.next}"
        self.next += 1
        return ident


def _by_key(
    items: Sequence[T],
    base: Sequence[T],
    key: Callable[[T], Hashable],
    ids: _Ids,
) -> dict[str, str]:
    """Old id -> final id for items matched to the base's by `key` (first match wins)."""
    at: dict[Hashable, list[str]] = {}
    for item in base:
        at.setdefault(key(item), []).append(item["id"])
    table: dict[str, str] = {}
    for item in items:
        table[item["id"]] = ids.claim(at.get(key(item), [])) or ""
    for item in items:
        if not table[item["id"]]:
            table[item["id"]] = ids.new()
    return table


def _by_members(groups: dict[str, list[str]], base_of: dict[str, str], ids: _Ids) -> dict[str, str]:
    """Old cluster id -> final id: the record's cluster most of its members belong to."""
    table: dict[str, str] = {}
    for old, members in groups.items():
        votes = Counter(base_of[m] for m in members if m in base_of)
        table[old] = ids.claim(c for c, _ in votes.most_common()) or ""
    for old in groups:
        if not table[old]:
            table[old] = ids.new()
    return table


def _span(span: Span | None) -> tuple[int, int] | None:
    return (span["start"], span["end"]) if isinstance(span, dict) else None


def align_ids(base: Record, record: Record, base_names: bool = True) -> Record:
    """`record` with every id matched by content to `base`'s (a new dict).

    With `base_names` (formats that carry no entity names), an entity matched to one of the
    record's takes its name and a new one has none, for canonicalize to name by 5.2.
    """
    out = copy.deepcopy(record)
    mention = _by_key(
        out["mentions"],
        base["mentions"],
        lambda m: (m["start"], m["end"]),
        _Ids(PREFIXES["mentions"], (m["id"] for m in base["mentions"])),
    )
    base_entity = {m["id"]: m["entity"] for m in base["mentions"]}
    members: dict[str, list[str]] = {e["id"]: [] for e in out["entities"]}
    for m in out["mentions"]:
        members.setdefault(m["entity"], []).append(mention[m["id"]])
    entity = _by_members(
        members, base_entity, _Ids(PREFIXES["entities"], (e["id"] for e in base["entities"]))
    )
    names = {e["id"]: e["name"] for e in base["entities"]}
    for e in out["entities"]:
        e["id"] = entity[e["id"]]
        if base_names or not e.get("name"):
            e["name"] = names.get(e["id"], "")  # a new entity: canonicalize names it by 5.2
    for m in out["mentions"]:
        m["id"], m["entity"] = mention[m["id"]], entity[m["entity"]]
    _align_quotes(base, out, mention, entity)
    _align_events(base, out, mention)
    _align_relations(base, out, mention, entity)
    return out


def _align_quotes(
    base: Record, out: Record, mention: dict[str, str], entity: dict[str, str]
) -> None:
    table = _by_key(
        out["quotes"],
        base["quotes"],
        lambda q: tuple(_span(c) for c in q["content"]),
        _Ids(PREFIXES["quotes"], (q["id"] for q in base["quotes"])),
    )
    for q in out["quotes"]:
        q["id"] = table[q["id"]]
        q["source"] = _renamed(mention, q["source"])
        q["speaker"] = _renamed(entity, q["speaker"])


def _renamed(table: dict[str, str], ident: str | None) -> str | None:
    """The final id of `ident`, or `ident` itself when the table does not rename it."""
    return None if ident is None else table.get(ident, ident)


def _align_events(base: Record, out: Record, mention: dict[str, str]) -> None:
    table = _by_key(
        out["events"],
        base["events"],
        lambda e: _span(e["trigger"]),
        _Ids(PREFIXES["events"], (e["id"] for e in base["events"])),
    )
    base_cluster = {e["id"]: e["cluster"] for e in base["events"]}
    groups: dict[str, list[str]] = {}
    for e in out["events"]:
        groups.setdefault(e["cluster"], []).append(table[e["id"]])
    cluster = _by_members(groups, base_cluster, _Ids(PREFIXES["clusters"], base_cluster.values()))
    for e in out["events"]:
        e["id"], e["cluster"] = table[e["id"]], cluster[e["cluster"]]
        e["time"] = _renamed(mention, e["time"])
        for argument in e["arguments"]:
            argument["mention"] = mention.get(argument["mention"], argument["mention"])


def _align_relations(
    base: Record, out: Record, mention: dict[str, str], entity: dict[str, str]
) -> None:
    for r in out["relations"]:
        r["head"], r["tail"] = entity.get(r["head"], r["head"]), entity.get(r["tail"], r["tail"])
        r["evidence"] = [mention.get(m, m) for m in r["evidence"]]
    table = _by_key(
        out["relations"],
        base["relations"],
        lambda r: (r["type"], r["head"], r["tail"]),
        _Ids(PREFIXES["relations"], (r["id"] for r in base["relations"])),
    )
    for r in out["relations"]:
        r["id"] = table[r["id"]]
