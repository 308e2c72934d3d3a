"""A record being suggested into: confirmed items stay as they are, new items get the next
free id of their layer and the mark of what proposed them."""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from ...canonical import PREFIXES
from ...model import LAYERS, Entity, Event, KbLink, Mention, Quote, Record, Relation
from .base import dicts, mark, next_number, span


@dataclass
class Draft:
    """The copy of a record that suggestions are added to."""

    record: Record
    next_ids: dict[str, int]
    added: Counter[str] = field(default_factory=Counter)  # layer -> items added
    sources: Counter[str] = field(default_factory=Counter)  # suggested_by -> mentions added
    genders: dict[str, str] = field(default_factory=dict)  # entity id -> "m"/"f", from pronouns

    @classmethod
    def of(cls, record: Record) -> Draft:
        """A copy of `record` without its stale suggestions (unconfirmed ones that nothing
        confirmed refers to); ids continue after every id the record used, stale ones too."""
        result = copy.deepcopy(record)
        for key in (*LAYERS, "labels", "annotation"):  # one a record lacks is added empty
            cast(dict[str, Any], result).setdefault(key, [] if key in LAYERS else {})
        next_ids: dict[str, int] = {
            layer: next_number(dicts(result[layer]), PREFIXES[layer]) for layer in LAYERS
        }
        events = dicts(result["events"])
        next_ids["clusters"] = next_number(events, "evc", "cluster")
        drop_stale(result)
        return cls(result, next_ids)

    def new_id(self, layer: str) -> str:
        number = self.next_ids[layer]
        self.next_ids[layer] += 1
        return f"{PREFIXES[layer]}{number}"

    @property
    def text(self) -> str:
        return str(self.record["text"])

    def add_entity(self, label: str, name: str, by: str, kb: list[KbLink] | None = None) -> str:
        entity: Entity = {"id": self.new_id("entities"), "label": label, "name": name}
        if kb:
            entity["kb"] = [link.copy() for link in kb]
        self.record["entities"].append(mark(entity, by))
        self.added["entities"] += 1
        return str(entity["id"])

    def add_mention(
        self, start: int, end: int, label: str, kind: str, entity: str, by: str
    ) -> Mention:
        mention: Mention = {
            "id": self.new_id("mentions"),
            **span(self.text, start, end),
            "label": label,
            "mention_type": kind,
            "entity": entity,
        }
        self.record["mentions"].append(mark(mention, by))
        self.added["mentions"] += 1
        self.sources[by] += 1
        return mention

    def add_quote(self, quote: Quote, by: str) -> None:
        """A quote (its id from new_id("quotes")), marked."""
        self.record["quotes"].append(mark(quote, by))
        self.added["quotes"] += 1

    def add_event(self, event: Event, by: str) -> None:
        """An event (its id from new_id("events")), marked."""
        self.record["events"].append(mark(event, by))
        self.added["events"] += 1

    def add_relation(self, relation: Relation, by: str) -> None:
        """A relation (its id from new_id("relations")), marked."""
        self.record["relations"].append(mark(relation, by))
        self.added["relations"] += 1

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in dicts(self.record["entities"]) if e.get("id") == entity_id), None)

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The mention with exactly these offsets (a named one first)."""
        found = [
            m for m in dicts(self.record["mentions"]) if (m["start"], m["end"]) == (start, end)
        ]
        found.sort(key=lambda m: m.get("mention_type") != "NAM")
        return found[0] if found else None

    def finish(self) -> Record:
        self.record["mentions"].sort(key=lambda m: (m["start"], -m["end"]))
        return self.record


def drop_stale(record: Record) -> None:
    """Remove unconfirmed suggestions that no kept item refers to, in place."""
    needed_mentions, needed_entities = set(), set()
    for quote in dicts(record["quotes"]):
        if not quote.get("suggested"):
            needed_mentions.add(quote.get("source"))
            needed_entities.add(quote.get("speaker"))
    for event in dicts(record["events"]):
        if not event.get("suggested"):
            needed_mentions |= {a.get("mention") for a in dicts(event.get("arguments"))}
            needed_mentions.add(event.get("time"))
    for relation in dicts(record["relations"]):
        if not relation.get("suggested"):
            needed_mentions |= set(relation.get("evidence") or [])
            needed_entities |= {relation.get("head"), relation.get("tail")}
    record["quotes"] = [i for i in record["quotes"] if not _is_suggestion(i)]
    record["events"] = [i for i in record["events"] if not _is_suggestion(i)]
    record["relations"] = [i for i in record["relations"] if not _is_suggestion(i)]
    record["mentions"] = [
        m for m in record["mentions"] if not _is_suggestion(m) or m.get("id") in needed_mentions
    ]
    needed_entities |= {m.get("entity") for m in dicts(record["mentions"])}
    record["entities"] = [
        e for e in record["entities"] if not _is_suggestion(e) or e.get("id") in needed_entities
    ]
    _drop_suggested_labels(record)


def _is_suggestion(item: Any) -> bool:
    return isinstance(item, dict) and item.get("suggested") is True


def _drop_suggested_labels(record: Record) -> None:
    labels = record.get("labels")
    if not isinstance(labels, dict) or not isinstance(labels.get("suggested"), dict):
        return
    stale = labels.pop("suggested")
    keys: tuple[Literal["topics", "countries"], ...] = ("topics", "countries")
    for key in keys:
        if isinstance(labels.get(key), list) and isinstance(stale.get(key), list):
            labels[key] = [value for value in labels[key] if value not in stale[key]]
