"""Coreference in a diff: entities (clusters of mentions) and event clusters compared by
membership, never by id.

Only members kept on both sides say how clusters correspond: an old and a new cluster are
linked when they share one. Each connected group of linked clusters is then one of: the same
cluster (one old, one new; members may have been added or removed, which the mentions
report), a merge (several old, one new), a split (one old, several new), or a regrouping
(several and several), told as the members that moved from one cluster to another.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...model import Entity, Record
from .model import ADDED, REMOVED, Change, quoted
from .spans import Sides


@dataclass
class Regrouping:
    same: list[tuple[str, str]] = field(default_factory=list)
    merged: list[tuple[list[str], str]] = field(default_factory=list)
    split: list[tuple[str, list[str]]] = field(default_factory=list)
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # member, old, new cluster
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # old cluster -> the new clusters holding its kept members
    correspondence: dict[str, set[str]] = field(default_factory=dict)


def regroup(old: dict[str, set[str]], new: dict[str, set[str]]) -> Regrouping:
    """Compare two clusterings; members are named alike on both sides (by their new id)."""
    result = Regrouping()
    home = {member: cluster for cluster, members in new.items() for member in members}
    result.correspondence = {a: {home[m] for m in members} for a, members in old.items()}
    result.removed = sorted(a for a, members in old.items() if not members)
    result.added = sorted(b for b, members in new.items() if not members)
    for olds, news in _groups(result.correspondence):
        if len(olds) == 1 and len(news) == 1:
            result.same.append((olds[0], news[0]))
        elif len(news) == 1:
            result.merged.append((olds, news[0]))
        elif len(olds) == 1:
            result.split.append((olds[0], news))
        else:
            result.moved.extend(_moves(olds, news, old, new))
    return result


def _groups(correspondence: dict[str, set[str]]) -> list[tuple[list[str], list[str]]]:
    """The connected groups of old and new clusters that share kept members."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(node: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for a, targets in correspondence.items():
        for b in targets:
            parent[root(("old", a))] = root(("new", b))
    groups: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for node in list(parent):
        side, name = node
        olds, news = groups.setdefault(root(node), ([], []))
        (olds if side == "old" else news).append(name)
    return [(sorted(olds), sorted(news)) for olds, news in groups.values()]


def _moves(
    olds: list[str], news: list[str], old: dict[str, set[str]], new: dict[str, set[str]]
) -> list[tuple[str, str, str]]:
    """Pair old and new clusters by most members in common; the other members moved."""
    shared = sorted(
        ((len(old[a] & new[b]), a, b) for a in olds for b in news if old[a] & new[b]),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    partner: dict[str, str] = {}
    for _count, a, b in shared:
        if a not in partner and b not in partner.values():
            partner[a] = b
    home = {m: b for b in news for m in new[b]}
    return sorted(
        (member, a, home[member])
        for a in olds
        for member in old[a]
        if partner.get(a) != home[member]
    )


# --- entities -------------------------------------------------------------------------------


def diff_entities(sides: Sides) -> list[Change]:
    kept = set(sides.mention_map.values())
    old_clusters: dict[str, set[str]] = {e["id"]: set() for e in sides.old["entities"]}
    for mention in sides.old["mentions"]:
        if mention["id"] in sides.mention_map and mention["entity"] in old_clusters:
            old_clusters[mention["entity"]].add(sides.mention_map[mention["id"]])
    new_clusters: dict[str, set[str]] = {e["id"]: set() for e in sides.new["entities"]}
    for mention in sides.new["mentions"]:
        if mention["id"] in kept and mention["entity"] in new_clusters:
            new_clusters[mention["entity"]].add(mention["id"])
    result = regroup(old_clusters, new_clusters)
    _pair_by_name(result, sides)
    sides.entity_map = result.correspondence
    return _entity_changes(result, sides)


def _pair_by_name(result: Regrouping, sides: Sides) -> None:
    """An entity whose mentions were all replaced is still the same entity if it keeps its
    label and name."""
    old = {e["id"]: e for e in sides.old["entities"]}
    new = {e["id"]: e for e in sides.new["entities"]}
    for a in list(result.removed):
        for b in result.added:
            if (old[a]["label"], old[a]["name"]) == (new[b]["label"], new[b]["name"]):
                result.removed.remove(a)
                result.added.remove(b)
                result.same.append((a, b))
                result.correspondence[a] = {b}
                break


class _Entities:
    """Words and places for the entities of both sides."""

    def __init__(self, sides: Sides) -> None:
        self.old = {e["id"]: e for e in sides.old["entities"]}
        self.new = {e["id"]: e for e in sides.new["entities"]}
        self.mentions = {"old": _by_entity(sides.old), "new": _by_entity(sides.new)}
        self.starts = {m["id"]: m["start"] for m in sides.new["mentions"]}
        self.texts = {m["id"]: m for m in sides.new["mentions"]}

    def words(self, side: str, entity_id: str) -> str:
        entity = (self.new if side == "new" else self.old)[entity_id]
        count = len(self.mentions[side].get(entity_id, []))
        return f"{entity_id} {quoted(entity['name'])} {entity['label']} ({count} mention(s))"

    def position(self, side: str, entity_id: str) -> int:
        return min(self.mentions[side].get(entity_id, [0]))


def _by_entity(record: Record) -> dict[str, list[int]]:
    starts: dict[str, list[int]] = {}
    for mention in record["mentions"]:
        starts.setdefault(mention["entity"], []).append(mention["start"])
    return starts


def _entity_changes(result: Regrouping, sides: Sides) -> list[Change]:
    entities = _Entities(sides)
    changes = []
    for a in result.removed:
        changes.append(
            Change("entities", REMOVED, a, entities.words("old", a), entities.old[a], None)
        )
    for b in result.added:
        words, at = entities.words("new", b), entities.position("new", b)
        changes.append(Change("entities", ADDED, b, words, None, entities.new[b], at))
    for olds, b in result.merged:
        words = " + ".join(entities.words("old", a) for a in olds)
        words += f" merged into {entities.words('new', b)}"
        changes.append(Change("entities", "merged", b, words, olds, b, entities.position("new", b)))
    for a, news in result.split:
        words = f"{entities.words('old', a)} split into "
        words += " + ".join(entities.words("new", b) for b in news)
        changes.append(Change("entities", "split", a, words, a, news, entities.position("old", a)))
    for member, a, b in result.moved:
        mention = entities.texts[member]
        words = (
            f"mention {member} {quoted(mention['text'])} [{mention['start']}, {mention['end']}) "
            f"moved from {entities.words('old', a)} to {entities.words('new', b)}"
        )
        changes.append(Change("entities", "moved", member, words, a, b, mention["start"]))
    for a, b in result.same:
        changes.extend(
            _entity_fields(entities.old[a], entities.new[b], entities.position("new", b))
        )
    return changes


def _entity_fields(old: Entity, new: Entity, at: int) -> list[Change]:
    changes = []
    for key, kind in (("label", "relabelled"), ("name", "renamed"), ("kb", "kb changed")):
        before, after = old.get(key), new.get(key)
        if before != after:
            shown: Callable[[Any], str] = quoted if key == "name" else str
            words = f"{new['id']} {quoted(new['name'])}: {key} {shown(before)} -> {shown(after)}"
            changes.append(Change("entities", kind, new["id"], words, before, after, at))
    return changes


# --- event clusters -------------------------------------------------------------------------


def diff_event_clusters(sides: Sides) -> list[Change]:
    """Event coreference: merges, splits and moves of events kept on both sides."""
    old_clusters: dict[str, set[str]] = {}
    for event in sides.old["events"]:
        members = old_clusters.setdefault(event["cluster"], set())
        if event["id"] in sides.event_map:
            members.add(sides.event_map[event["id"]])
    kept = set(sides.event_map.values())
    new_clusters: dict[str, set[str]] = {}
    for event in sides.new["events"]:
        members = new_clusters.setdefault(event["cluster"], set())
        if event["id"] in kept:
            members.add(event["id"])
    result = regroup(old_clusters, new_clusters)
    words = _ClusterWords(sides)
    changes = []
    for olds, b in result.merged:
        text = "clusters " + " + ".join(words.of("old", a) for a in olds)
        text += f" merged into {words.of('new', b)}"
        changes.append(Change("events", "merged", b, text, olds, b, words.at(b)))
    for a, news in result.split:
        text = f"cluster {words.of('old', a)} split into "
        text += " + ".join(words.of("new", b) for b in news)
        changes.append(Change("events", "split", a, text, a, news, words.at(news[0])))
    for member, a, b in result.moved:
        text = f"event {member} moved from cluster {words.of('old', a)} to {words.of('new', b)}"
        changes.append(Change("events", "moved", member, text, a, b, words.at(b)))
    return changes


class _ClusterWords:
    def __init__(self, sides: Sides) -> None:
        self.triggers: dict[str, dict[str, list[str]]] = {"old": {}, "new": {}}
        self.starts: dict[str, int] = {}
        for side, record in (("old", sides.old), ("new", sides.new)):
            for event in record["events"]:
                texts = self.triggers[side].setdefault(event["cluster"], [])
                texts.append(quoted(event["trigger"]["text"], 30))
                if side == "new":
                    self.starts.setdefault(event["cluster"], event["trigger"]["start"])

    def of(self, side: str, cluster: str) -> str:
        """A cluster by its triggers: evc2 {"talks" x3, "consultation" x6}."""
        counts = Counter(self.triggers[side].get(cluster, []))
        words = [text if n == 1 else f"{text} x{n}" for text, n in counts.items()]
        return f"{cluster} {{{', '.join(words)}}}"

    def at(self, cluster: str) -> int:
        return self.starts.get(cluster, 0)
