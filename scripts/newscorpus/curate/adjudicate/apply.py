"""The adjudicated record: every agreed item, and the chosen version of every decision.

References are rebuilt by content: a mention is its pair of A's and B's mentions (a unit),
an entity is the cluster the chosen side gives a mention, and what a quote, event or
relation points at is resolved through them. A reference whose target the decisions left
out (a source mention dropped, an entity left without mentions) is dropped, with a note.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from ...canonical import canonicalize
from ...model import Argument, Entity, Event, Labels, Mention, Quote, Record, Relation
from ..diff.model import quoted
from .events import events as pair_events
from .layers import Item, article, event_clusters, labels, quotes, relations
from .model import LAYERS, SIDES, Decision, pick
from .plan import Clusters, Node, Plan


@dataclass
class Adjudication:
    """A plan with every layer paired and its decisions numbered in reading order."""

    plan: Plan
    quotes: list[Item[Quote]]
    events: list[Item[Event]]
    clusters: Clusters
    relations: list[Item[Relation]]
    labels: dict[tuple[str, str], Decision]
    article: dict[str, Decision]
    notes: list[str] = field(default_factory=list)

    @property
    def decisions(self) -> list[Decision]:
        return self.plan.decisions


def plan(a: Record, b: Record) -> Adjudication:
    """Pair A's and B's items by content and list every disagreement as a decision."""
    p = Plan(a, b)
    p.pair_mentions()
    p.compare_entities()
    found_events = pair_events(p)
    result = Adjudication(
        p,
        quotes(p),
        found_events,
        event_clusters(p, found_events),
        relations(p),
        labels(p),
        article(p),
    )
    p.decisions.sort(key=lambda d: (LAYERS.index(d.layer), d.position))
    for number, decision in enumerate(p.decisions, start=1):
        decision.number = number
    return result


class _Ids:
    """Output ids, given as items are first referred to."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.table: dict[Any, str] = {}

    def __call__(self, key: Any) -> str:
        return self.table.setdefault(key, f"{self.prefix}{len(self.table) + 1}")


def assemble(adj: Adjudication) -> Record:
    """The record the decisions make (every decision must be made), in canonical form with
    ids in reading order; its annotation block is A's until `adjudicated` replaces it."""
    p = adj.plan
    fields: dict[str, Any] = {}  # A's keys, each from the side the article's decisions chose
    for key, value in p.rec["a"].items():
        fields[key] = copy.deepcopy(p.rec[pick(adj.article.get(key))].get(key, value))
    out = cast(Record, fields)
    mention_ids: dict[int, str] = {}
    entity_ids = _Ids("e")
    mentions: list[Mention] = []
    for index, unit in enumerate(p.units):
        found = unit.output()
        if found is None:
            continue
        mention = copy.deepcopy(found[1])
        mention["id"] = mention_ids[index] = f"m{len(mention_ids) + 1}"
        mention["entity"] = entity_ids(p.mention_entity(index))
        mentions.append(mention)
    out["mentions"] = mentions
    out["entities"] = _entities(p, entity_ids.table, mentions)
    known = {node: eid for node, eid in entity_ids.table.items()}
    refs = _Refs(p, mention_ids, known, adj.notes)
    out["quotes"] = [q for item in adj.quotes if (q := refs.quote(item)) is not None]
    clusters = _Ids("evc")
    out["events"] = [
        e for n, item in enumerate(adj.events) if (e := refs.event(item, n, adj, clusters))
    ]
    out["relations"] = [r for item in adj.relations if (r := refs.relation(item)) is not None]
    out["labels"] = _labels(p, adj.labels)
    items: list[Quote | Event | Relation] = [*out["quotes"], *out["events"], *out["relations"]]
    for n, item in enumerate(items, start=1):
        item["id"] = f"x{n}"
    return canonicalize(out, renumber=True)


def _entities(p: Plan, table: dict[Node, str], mentions: list[Mention]) -> list[Entity]:
    labels: dict[str, Counter[str]] = {}
    for mention in mentions:
        labels.setdefault(mention["entity"], Counter())[mention["label"]] += 1
    found = []
    for node, entity_id in table.items():
        entity = copy.deepcopy(p.entity_record(node))
        entity["id"] = entity_id
        if len(labels.get(entity_id, ())) == 1:
            entity["label"] = next(iter(labels[entity_id]))
        found.append(entity)
    return found


def _labels(p: Plan, decided: dict[tuple[str, str], Decision]) -> Labels:
    a: Mapping[str, Any] = p.rec["a"]["labels"]
    b: Mapping[str, Any] = p.rec["b"]["labels"]
    out: dict[str, list[str]] = {}
    for key in a:
        values = [
            v for v in a[key] if pick(decided.get((key, v))) == "a" or (key, v) not in decided
        ]
        values += [
            v for v in b.get(key) or [] if (key, v) in decided and pick(decided[(key, v)]) == "b"
        ]
        out[key] = values
    return cast(Labels, out)  # A's keys, each list as decided


class _Refs:
    """Quotes, events and relations with their references resolved to output ids."""

    def __init__(
        self, p: Plan, mentions: dict[int, str], entities: dict[Node, str], notes: list[str]
    ):
        self.p, self.mentions, self.entities, self.notes = p, mentions, entities, notes

    def mention(self, side: str, mention_id: str | None, what: str) -> str | None:
        if mention_id is None:
            return None
        unit = self.p.output_mention(side, mention_id)
        if unit is None:
            self.notes.append(f"{what}: its mention {self._words(side, mention_id)} is left out")
            return None
        return self.mentions[unit]

    def entity(self, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        if node not in self.entities:
            name = self.p._entity(*node)["name"]
            self.notes.append(f"{what}: entity {quoted(name)} has no mention left")
            return None
        return str(self.entities[node])

    def _words(self, side: str, mention_id: str) -> str:
        mention = self.p.scoring[side].mentions[mention_id]
        return f"{quoted(mention['text'])} [{mention['start']}, {mention['end']})"

    def quote(self, item: Item) -> Quote | None:
        kept = item.kept()
        if kept is None:
            return None
        base = item.field_side("attribution")
        quote = copy.deepcopy(item.version(base))
        what = f"quote {quoted(quote['content'][0]['text'], 40)}"
        quote["source"] = self.mention(base, quote["source"], what + " source")
        source_unit = self.p.output_mention(base, item.version(base)["source"])
        if source_unit is not None:
            node: Node | None = self.p.mention_entity(source_unit)
        elif item.decision is None:
            speakers = {side: item.version(side)["speaker"] for side in SIDES}
            node = self.p.entities.refer(speakers, base)
        else:
            speaker = quote["speaker"]
            node = None if speaker is None else self.p.entities.map((base, speaker))
        quote["speaker"] = self.entity(node, what + " speaker")
        return quote

    def event(self, item: Item, index: int, adj: Adjudication, ids: _Ids) -> Event | None:
        kept = item.kept()
        if kept is None:
            return None
        event = copy.deepcopy(item.version(kept))
        what = f"event {event['type']} {quoted(event['trigger']['text'], 30)}"
        event["modality"] = item.version(item.field_side("modality"))["modality"]
        time_side = item.field_side("time")
        event["time"] = self.mention(time_side, item.version(time_side)["time"], what + " time")
        arguments: list[Argument] = []
        parts = item.parts or [
            Item(g, None) if kept == "a" else Item(None, g) for g in _args(item.version(kept))
        ]
        for part in parts:
            side = kept if item.decision is not None else part.kept()
            if side is None:
                continue
            argument = part.version(side)
            mention = self.mention(side, argument[2], f"{what} {argument[1]}")
            if mention is not None:
                arguments.append({"role": argument[1], "mention": mention})
        event["arguments"] = arguments
        if item.a is not None and item.b is not None:
            node = adj.clusters.of_unit(index, kept)
        else:
            node = adj.clusters.map((kept, event["cluster"]))
        event["cluster"] = ids(node)
        return event

    def relation(self, item: Item) -> Relation | None:
        kept = item.kept()
        if kept is None:
            return None
        relation = copy.deepcopy(item.version(kept))
        what = f"relation {relation['type']}"
        ends: dict[str, str | None] = {}
        for end in ("head", "tail"):
            if item.decision is None:
                node = self.p.entities.refer({s: item.version(s)[end] for s in SIDES}, "a")
            else:
                node = self.p.entities.map((kept, relation[end]))
            ends[end] = self.entity(node, f"{what} {end}")
        head, tail = ends["head"], ends["tail"]
        if head is None or tail is None:
            self.notes.append(
                f"{what} is left out: it lost its {'head' if head is None else 'tail'}"
            )
            return None
        relation["head"], relation["tail"] = head, tail
        side = item.field_side("evidence")
        evidence = [
            self.mention(side, m, f"{what} evidence") for m in item.version(side)["evidence"]
        ]
        relation["evidence"] = [m for m in evidence if m is not None]
        return relation


def _args(event: Event) -> list[tuple[str, str, Any]]:
    return [
        (f"{event['id']}#{n}", g["role"], g["mention"]) for n, g in enumerate(event["arguments"])
    ]
