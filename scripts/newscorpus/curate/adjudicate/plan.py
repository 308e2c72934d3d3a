"""The plan of an adjudication: A's and B's items paired by content, and a Decision for every
disagreement. This module pairs the mentions and compares the entities; adjudicate.layers
does the layers built on them.

Mentions are matched as `agreement` matches them (the same offsets and label, one to one).
The rest pair by place (the same offsets first, then overlapping spans) into one decision
each, a boundary or label difference; a mention left over is a mention only one side has.
Paired mentions (matched or not) are the shared members by which the two sides' entities
are compared: entities of A and B that share one form a group, and a group that is not one
entity on each side is a decision on membership.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ...model import Entity, Mention, Record
from ..diff.model import quoted
from ..evaluate.scoring.layers import Offsets, Side, offsets
from ..evaluate.scoring.spans import overlaps
from ..evaluate.scoring.tally import matched_by_label, staged_one_to_one
from .model import Decision, Groups, Node, context, mention_words, other, pick


@dataclass
class Unit:
    """A mention of A, of B, or of both paired; `decision` settles which version (or whether
    it exists), `detail` a field two matched mentions differ in."""

    a: Mention | None
    b: Mention | None
    decision: Decision | None = None
    detail: Decision | None = None

    def side(self, name: str) -> Mention | None:
        return self.a if name == "a" else self.b

    def output(self) -> tuple[str, Mention] | None:
        """The version the adjudicated record holds (side, mention), or None if dropped."""
        if self.a is not None and self.b is not None:
            chosen = pick(self.decision or self.detail)
            return chosen, self.side(chosen)  # type: ignore[return-value]
        present = "a" if self.a is not None else "b"
        if pick(self.decision) != present:
            return None
        return present, self.side(present)  # type: ignore[return-value]


@dataclass
class Clusters:
    """Two clusterings (entities or event clusters) compared over shared members."""

    cluster_of: dict[str, dict[int, Any]]  # side -> shared unit -> cluster
    groups: Groups = field(default_factory=Groups)
    decision: dict[Any, Decision] = field(default_factory=dict)  # group root -> decision
    shared: dict[Node, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for side, table in self.cluster_of.items():
            for unit, cluster in sorted(table.items()):
                self.shared.setdefault((side, cluster), []).append(unit)
                self.groups.join((side, cluster), ("unit", unit))

    def nodes(self) -> list[list[Node]]:
        """Each group's clusters (units left out), in the order of their first member."""
        found = []
        for members in self.groups.members().values():
            nodes = [n for n in members if n[0] != "unit"]
            first = min(u for n in nodes for u in self.shared[n])
            found.append((first, sorted(nodes, key=lambda n: (n[0], min(self.shared[n])))))
        return [nodes for _, nodes in sorted(found, key=itemgetter(0))]

    def choice(self, node: Node) -> str:
        if node not in self.shared:
            return node[0]
        return pick(self.decision.get(self.groups.root(node)))

    def of_unit(self, unit: int, side: str) -> Node:
        """The cluster a shared member is in, on the side its group's decision chose."""
        chosen = self.choice((side, self.cluster_of[side][unit]))
        return chosen, self.cluster_of[chosen][unit]

    def map(self, node: Node) -> Node:
        """A cluster on the side its group's decision chose: itself, or the other side's
        cluster holding most of its shared members."""
        chosen = self.choice(node)
        if chosen == node[0]:
            return node
        votes = Counter(self.cluster_of[chosen][u] for u in self.shared[node])
        best = max(votes.values())
        return chosen, next(c for c in votes if votes[c] == best)

    def refer(self, refs: dict[str, str | None], base: str) -> Node | None:
        """What two matched items' references to a cluster become: the reference of the
        side that the group chose when both are in one group, else `base`'s mapped."""
        nodes = {side: (side, ref) for side, ref in refs.items() if ref is not None}
        if len(nodes) == 2 and self.groups.root(nodes["a"]) == self.groups.root(nodes["b"]):
            return nodes[self.choice(nodes["a"])]
        if base not in nodes:
            return None
        return self.map(nodes[base])


class Plan:
    """Two records of one text, their items paired, and the decisions between them."""

    def __init__(self, a: Record, b: Record) -> None:
        self.rec: dict[str, Record] = {"a": a, "b": b}
        self.scoring = {"a": Side(a), "b": Side(b)}
        self.text: str = a["text"]
        self.decisions: list[Decision] = []
        self.units: list[Unit] = []
        self.unit_of: dict[str, dict[str, int]] = {"a": {}, "b": {}}
        self.entities = Clusters({"a": {}, "b": {}})
        self.fields: dict[Any, Decision] = {}  # entity group root -> name/kb decision

    def add(self, decision: Decision) -> Decision:
        self.decisions.append(decision)
        return decision

    def contexts(self, a: list[Offsets], b: list[Offsets]) -> tuple[str, str]:
        return context(self.text, a), context(self.text, b)

    def mention_unit(self, side: str, mention_id: str | None) -> int | None:
        return None if mention_id is None else self.unit_of[side].get(mention_id)

    def output_mention(self, side: str, mention_id: str | None) -> int | None:
        """The unit of a mention, if the adjudicated record keeps it."""
        unit = self.mention_unit(side, mention_id)
        return unit if unit is not None and self.units[unit].output() is not None else None

    def mention_entity(self, unit: int) -> Node:
        """The entity an output mention belongs to."""
        found = self.units[unit].output()
        assert found is not None
        side, mention = found
        if self.units[unit].a is not None and self.units[unit].b is not None:
            return self.entities.of_unit(unit, side)
        return self.entities.map((side, mention["entity"]))

    # --- mentions ---------------------------------------------------------------------------

    def pair_mentions(self) -> None:
        left, right = self.rec["a"]["mentions"], self.rec["b"]["mentions"]
        _, matched = matched_by_label(left, right, itemgetter("label"), _same_offsets)
        for x, y in matched:
            self._unit(x, y, detail=self._detail(x, y))
        taken = {id(m) for pair in matched for m in pair}
        rest_a = [m for m in left if id(m) not in taken]
        rest_b = [m for m in right if id(m) not in taken]
        pairs = staged_one_to_one(rest_a, rest_b, [_same_offsets, _overlapping])
        for i, j in pairs:
            x, y = rest_a[i], rest_b[j]
            kind = (
                "label"
                if offsets(x) == offsets(y)
                else "boundary"
                if x["label"] == y["label"]
                else "boundary and label"
            )
            covers = [("mentions", "a", x["id"]), ("mentions", "b", y["id"])]
            self._unit(x, y, decision=self._mention_decision(kind, x, y, covers))
        paired = {i for i, _ in pairs}, {j for _, j in pairs}
        for side, rest, done in (("a", rest_a, paired[0]), ("b", rest_b, paired[1])):
            for index, mention in enumerate(rest):
                if index in done:
                    continue
                versions = {side: mention, other(side): None}
                covers = [("mentions", side, mention["id"])]
                decision = self._mention_decision(
                    f"only {side.upper()} has this mention", versions["a"], versions["b"], covers
                )
                self._unit(versions["a"], versions["b"], decision=decision)
        self.units.sort(key=lambda u: _unit_key(u))
        for index, unit in enumerate(self.units):
            for side in ("a", "b"):
                member = unit.side(side)
                if member is not None:
                    self.unit_of[side][member["id"]] = index

    def _unit(self, a: Mention | None, b: Mention | None, **decisions: Decision | None) -> None:
        self.units.append(Unit(a, b, **decisions))

    def _mention_decision(
        self, kind: str, x: Mention | None, y: Mention | None, covers: list
    ) -> Decision:
        spans = [[offsets(m)] if m else [] for m in (x, y)]
        where = min(offsets(m)[0] for m in (x, y) if m)
        texts = self.contexts(spans[0] or spans[1], spans[1] or spans[0])
        return self.add(
            Decision(
                "mentions", kind, mention_words(x), mention_words(y), where, texts, covers=covers
            )
        )

    def _detail(self, x: Mention, y: Mention) -> Decision | None:
        skip = {"id", "entity"}
        keys = sorted(k for k in set(x) | set(y) if k not in skip and x.get(k) != y.get(k))
        if not keys:
            return None
        kind = "mention type" if keys == ["mention_type"] else "mention " + ", ".join(keys)
        return self._mention_decision(kind, x, y, [])

    # --- entities ---------------------------------------------------------------------------

    def compare_entities(self) -> None:
        cluster_of: dict[str, dict[int, Any]] = {"a": {}, "b": {}}
        for index, unit in enumerate(self.units):
            if unit.a is not None and unit.b is not None:
                cluster_of["a"][index] = unit.a["entity"]
                cluster_of["b"][index] = unit.b["entity"]
        self.entities = Clusters(cluster_of)
        for nodes in self.entities.nodes():
            root = self.entities.groups.root(nodes[0])
            if [n[0] for n in nodes] == ["a", "b"]:
                found = self._entity_fields(nodes[0][1], nodes[1][1])
                if found is not None:
                    self.fields[root] = found
                continue
            words = {side: self._grouping(side, nodes) for side in ("a", "b")}
            spans = [offsets(u.a) for n in nodes for u in self._members(n) if u.a]
            where = min(s[0] for s in spans)
            self.entities.decision[root] = self.add(
                Decision("entities", "membership", words["a"], words["b"], where)
            )

    def _members(self, node: Node) -> list[Unit]:
        return [self.units[u] for u in self.entities.shared[node]]

    def _grouping(self, side: str, nodes: list[Node]) -> str:
        mentions = self.rec[side]["mentions"]
        parts = []
        for node in nodes:
            if node[0] != side:
                continue
            entity = self._entity(side, node[1])
            members = [m for m in mentions if m["entity"] == node[1]]
            texts = ", ".join(quoted(m["text"], 30) for m in members)
            parts.append(f"{quoted(entity['name'], 40)} {entity['label']} {{{texts}}}")
        return " | ".join(parts)

    def _entity(self, side: str, entity_id: str) -> Entity:
        return next(e for e in self.rec[side]["entities"] if e["id"] == entity_id)

    def _entity_fields(self, a_id: str, b_id: str) -> Decision | None:
        x, y = self._entity("a", a_id), self._entity("b", b_id)
        if (x["name"], x.get("kb")) == (y["name"], y.get("kb")):
            return None
        kind = "entity name" if x.get("kb") == y.get("kb") else "entity name and links"
        where = min(offsets(u.a)[0] for u in self._members(("a", a_id)) if u.a)

        def words(entity: Entity) -> str:
            links = ", ".join(f"{k['db']}:{k['id']}" for k in entity.get("kb") or [])
            return f"{quoted(entity['name'])} {entity['label']}" + (f" ({links})" if links else "")

        return self.add(Decision("entities", kind, words(x), words(y), where))

    def entity_record(self, node: Node) -> Entity:
        """An output entity's fields: its side's, or its partner's where a decision said so."""
        side, entity_id = node
        entity = self._entity(side, entity_id).copy()
        if node in self.entities.shared:
            decision = self.fields.get(self.entities.groups.root(node))
            if decision is not None and pick(decision) != side:
                partner = next(
                    n
                    for n in self.entities.groups.members()[self.entities.groups.root(node)]
                    if n[0] == other(side)
                )
                source = self._entity(*partner)
                entity["name"] = source["name"]
                entity.pop("kb", None)
                if "kb" in source:
                    entity["kb"] = source["kb"]
        return entity


def _same_offsets(x: Mention, y: Mention) -> bool:
    return offsets(x) == offsets(y)


def _overlapping(x: Mention, y: Mention) -> bool:
    return overlaps(offsets(x), offsets(y))


def _unit_key(unit: Unit) -> tuple[int, int]:
    spans = [offsets(m) for m in (unit.a, unit.b) if m is not None]
    return min(s[0] for s in spans), -max(s[1] for s in spans)


Compatible = Callable[[Any, Any], bool]
