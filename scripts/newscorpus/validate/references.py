"""Level 4, references: ids are unique, every reference resolves, and what refers to what
makes sense (labels, roles, relation arguments, no PART_OF cycles, gold means reviewed)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TypeVar

from ..findings import Findings, pointer
from ..labels import (
    EVENT_ROLES,
    HIERARCHICAL_RELATIONS,
    RELATION_ARGUMENTS,
    TEMPORAL_LABELS,
)
from ..model import LAYERS, Entity, Item, Mention, Passage, Record
from .gold import check_annotators, check_gold_gates, check_split_entities
from .guideline_checks import check_facility_names, check_promise_events


def check_references(record: Record, out: Findings, stem: str | None) -> None:
    _check_ids(record, out, stem)
    refs = _References(record, out)
    _check_mentions(record, out, refs)
    _check_quotes(record, out, refs)
    _check_events(record, out, refs)
    _check_relations(record, out, refs)
    _check_relation_cycles(record, out)
    _check_gold(record, out)
    check_annotators(record, out)
    check_gold_gates(record, out)
    check_split_entities(record, out)  # warnings, shown even when a record has errors
    check_promise_events(record, out)
    check_facility_names(record, out)


_Found = TypeVar("_Found", Mention, Entity)


class _References:
    """The record's mentions and entities by id; `mention` and `entity` look one up and
    report a dangling reference."""

    def __init__(self, record: Record, out: Findings) -> None:
        self.mentions = {m["id"]: m for m in record["mentions"]}
        self.entities = {e["id"]: e for e in record["entities"]}
        self.out = out

    def mention(self, ref: str | None, where: tuple[str | int, ...]) -> Mention | None:
        return self._resolve(self.mentions, "mention", ref, where)

    def entity(self, ref: str | None, where: tuple[str | int, ...]) -> Entity | None:
        return self._resolve(self.entities, "entity", ref, where)

    def _resolve(
        self, table: dict[str, _Found], kind: str, ref: str | None, where: tuple[str | int, ...]
    ) -> _Found | None:
        if ref is None:
            return None
        if ref not in table:
            self.out.add(
                "ref-unresolved",
                pointer(*where),
                f"no {kind} has the id {ref!r}.",
                f"point at an existing {kind} id, or add the {kind}",
            )
            return None
        return table[ref]


def _check_ids(record: Record, out: Findings, stem: str | None) -> None:
    if stem is not None and record["id"] != stem:
        out.add(
            "id-file-mismatch",
            "/id",
            f"the id {record['id']!r} differs from the file name {stem!r}.json.",
            f"rename the file to {record['id']}.json or fix the id",
        )

    seen: dict[str, tuple[str, int]] = {}
    listed: list[tuple[str, Sequence[Passage | Item]]] = [("passages", record["passages"])]
    listed += [(layer, record[layer]) for layer in LAYERS]
    for layer, items in listed:
        for i, item in enumerate(items):
            if item["id"] in seen:
                out.add(
                    "id-duplicate",
                    pointer(layer, i, "id"),
                    f"the id {item['id']!r} is already used at {pointer(*seen[item['id']], 'id')}.",
                    "give the item a new id (never renumber others)",
                )
            else:
                seen[item["id"]] = (layer, i)


def _check_mentions(record: Record, out: Findings, refs: _References) -> None:
    used: set[str] = set()
    by_offsets: dict[tuple[int, int], str] = {}
    named: list[tuple[int, Mention]] = []  # (index in mentions, mention)
    for i, mention in enumerate(record["mentions"]):
        entity = refs.entity(mention["entity"], ("mentions", i, "entity"))
        if entity is not None:
            used.add(entity["id"])
            if entity["label"] != mention["label"]:
                out.add(
                    "entity-label-mismatch",
                    pointer("mentions", i, "label"),
                    f"the mention is {mention['label']} but its entity {entity['id']} is "
                    f"{entity['label']}.",
                    "give the mention its entity's label, or move it to another entity",
                )
        key = (mention["start"], mention["end"])
        if key in by_offsets:
            out.add(
                "mention-duplicate",
                pointer("mentions", i),
                f"mention {mention['id']} has the same offsets as {by_offsets[key]}.",
                "delete one of the two mentions",
            )
        by_offsets.setdefault(key, mention["id"])
        if mention["mention_type"] == "NAM":
            named.append((i, mention))
    named.sort(key=lambda item: (item[1]["start"], -item[1]["end"]))
    for (_, left), (index, right) in zip(named, named[1:], strict=False):
        if right["start"] < left["end"] and (left["start"], left["end"]) != (
            right["start"],
            right["end"],
        ):
            out.add(
                "mention-overlap",
                pointer("mentions", index),
                f"named mention {right['id']} "
                f"{right['text']!r} overlaps {left['id']} {left['text']!r}.",
                "named mentions are flat: keep the longest name, or make one of them NOM",
            )
    for i, entity in enumerate(record["entities"]):
        if entity["id"] not in used:
            out.add(
                "entity-unused",
                pointer("entities", i),
                f"no mention refers to entity {entity['id']} ({entity['name']!r}).",
                "delete the entity or add its mentions",
            )


def _check_quotes(record: Record, out: Findings, refs: _References) -> None:
    for i, quote in enumerate(record["quotes"]):
        source = refs.mention(quote["source"], ("quotes", i, "source"))
        speaker = refs.entity(quote["speaker"], ("quotes", i, "speaker"))
        if source is not None and speaker is not None and source["entity"] != speaker["id"]:
            out.add(
                "quote-speaker-mismatch",
                pointer("quotes", i, "speaker"),
                f"the source "
                f"mention {source['id']} belongs to {source['entity']}, not to the speaker "
                f"{speaker['id']}.",
                "make the speaker the entity of the source mention",
            )


def _check_events(record: Record, out: Findings, refs: _References) -> None:
    clusters: dict[str, tuple[str, str]] = {}
    for i, event in enumerate(record["events"]):
        allowed = EVENT_ROLES.get(event["type"])  # None: a type the schema already refused
        for j, argument in enumerate(event["arguments"]):
            refs.mention(argument["mention"], ("events", i, "arguments", j, "mention"))
            if allowed is not None and argument["role"] not in allowed:
                out.add(
                    "role-not-allowed",
                    pointer("events", i, "arguments", j, "role"),
                    f"{event['type']} events have no role {argument['role']!r}.",
                    f"use one of: {', '.join(allowed)}",
                )
        time = refs.mention(event["time"], ("events", i, "time"))
        if time is not None and time["label"] not in TEMPORAL_LABELS:
            out.add(
                "event-time-label",
                pointer("events", i, "time"),
                f"the time mention {time['id']} is {time['label']}.",
                "point at a DATE or TIME mention",
            )
        first = clusters.setdefault(event["cluster"], (event["type"], event["id"]))
        if first[0] != event["type"]:
            out.add(
                "event-cluster-type",
                pointer("events", i, "cluster"),
                f"{event['id']} is "
                f"{event['type']} but {first[1]} in the same cluster is {first[0]}.",
                "coreferent events share a type: fix the type or the cluster",
            )


def _check_relations(record: Record, out: Findings, refs: _References) -> None:
    seen_relations: dict[tuple[str, str, str], str] = {}
    for i, relation in enumerate(record["relations"]):
        head = refs.entity(relation["head"], ("relations", i, "head"))
        tail = refs.entity(relation["tail"], ("relations", i, "tail"))
        # A type the schema already refused allows every argument label here.
        heads, tails = RELATION_ARGUMENTS.get(relation["type"], (None, None))
        for role, entity, allowed in (("head", head, heads), ("tail", tail, tails)):
            if entity is not None and allowed is not None and entity["label"] not in allowed:
                out.add(
                    "relation-argument-label",
                    pointer("relations", i, role),
                    f"{relation['type']} takes a {' or '.join(allowed)} {role}, not "
                    f"{entity['label']} ({entity['name']!r}).",
                    "swap head and tail, or choose another relation type",
                )
        if relation["head"] == relation["tail"]:
            out.add(
                "relation-self",
                pointer("relations", i),
                f"{relation['id']} relates {relation['head']} to itself.",
                "a relation links two different entities",
            )
        key = (relation["type"], relation["head"], relation["tail"])
        if key in seen_relations:
            out.add(
                "relation-duplicate",
                pointer("relations", i),
                f"{relation['id']} repeats {seen_relations[key]}.",
                "merge the evidence into one relation",
            )
        seen_relations.setdefault(key, relation["id"])
        for j, ref in enumerate(relation["evidence"]):
            mention = refs.mention(ref, ("relations", i, "evidence", j))
            if mention is not None and mention["entity"] not in (
                relation["head"],
                relation["tail"],
            ):
                out.add(
                    "relation-evidence",
                    pointer("relations", i, "evidence", j),
                    f"evidence {ref} refers to {mention['entity']}, neither head nor tail.",
                    "list mentions of the head and the tail that state the relation",
                )


def _check_gold(record: Record, out: Findings) -> None:
    annotation = record["annotation"]
    if annotation["status"] == "gold" and not annotation["annotators"]:
        out.add(
            "gold-without-annotator",
            "/annotation/annotators",
            "a gold record names no annotator.",
            "list who annotated and reviewed it, or keep status draft",
        )
    if annotation["status"] == "gold":
        _check_gold_suggestions(record, out)


_SINGULAR = {
    "mentions": "mention",
    "entities": "entity",
    "quotes": "quote",
    "events": "event",
    "relations": "relation",
}


def _check_gold_suggestions(record: Record, out: Findings) -> None:
    """A gold record holds nothing unconfirmed, in any layer or among its labels."""
    for layer in LAYERS:
        noun = _SINGULAR[layer]
        for i, item in enumerate(record[layer]):
            if item.get("suggested"):
                out.add(
                    "gold-with-suggestion",
                    pointer(layer, i, "suggested"),
                    f"{noun} {item['id']} is an unconfirmed suggestion in a gold record.",
                    f"review it: delete the {noun}, or remove `suggested` (and `suggested_by`) "
                    "to confirm it",
                )
    pending = record["labels"].get("suggested")
    if pending:
        out.add(
            "gold-with-suggestion",
            "/labels/suggested",
            f"the document labels {pending} are unconfirmed suggestions in a gold record.",
            "review them: remove each label you reject from labels.topics or labels.countries, "
            "then delete labels.suggested",
        )


def _check_relation_cycles(record: Record, out: Findings) -> None:
    """Every relation that lies on a cycle is an error, with the relations of its cycle:
    linear in the relations (strongly connected groups; a search from every entity was
    quadratic)."""
    relations = record["relations"]
    for kind in HIERARCHICAL_RELATIONS:
        edges: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for i, relation in enumerate(relations):
            if relation["type"] == kind and relation["head"] != relation["tail"]:
                edges[relation["head"]].append((relation["tail"], i))
        group = _strongly_connected(edges)
        on_cycle: dict[int, list[int]] = defaultdict(list)  # group -> its relations
        for head, targets in edges.items():
            for tail, index in targets:
                if group.get(tail) == group[head]:
                    on_cycle[group[head]].append(index)
        for members in on_cycle.values():
            members.sort()
            ids = [relations[k]["id"] for k in members]
            named = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
            for index in members:
                out.add(
                    "relation-cycle",
                    pointer("relations", index),
                    f"{kind} relations form a cycle: {relations[index]['id']} is on it, with "
                    f"{named}.",
                    "a part or member cannot contain its own whole: delete or reverse one of them",
                )


def _strongly_connected(edges: dict[str, list[tuple[str, int]]]) -> dict[str, int]:
    """The strongly connected group of every entity (Tarjan's algorithm, without recursion)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    group: dict[str, int] = {}
    stack: list[str] = []
    for root in sorted(edges):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack.append(root)
        work = [(root, iter(edges.get(root, ())))]
        while work:
            node, targets = work[-1]
            for target, _ in targets:
                if target not in order:
                    order[target] = low[target] = len(order)
                    stack.append(target)
                    work.append((target, iter(edges.get(target, ()))))
                    break
                if target not in group:  # still on the stack
                    low[node] = min(low[node], order[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == order[node]:
                    while True:
                        member = stack.pop()
                        group[member] = order[node]
                        if member == node:
                            break
    return group
