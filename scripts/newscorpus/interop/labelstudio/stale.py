"""A Label Studio annotation made from another version of the record, restated in the record's
ids by content before it is read into layers.

Region ids and typed keys (entity e3, cluster evc2, speaker) of such an export are the ids of
the version it was made from. Each region takes the id of the record's item on the same
characters (a mention, an event's trigger, a quote's part or cue), or a key that matches
nothing; each entity or cluster key takes the record's entity or cluster that most of its
regions belong to now, or a key that matches nothing. So no stale key is ever joined to
whatever carries that id today.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ...model import Record
from .config import CUE, ENTITY_KEY, EVENT, EVENT_CLUSTER, MENTION, QUOTE, SPEAKER_KEY
from .reader import Annotation
from .tasks import cue_id, part_id

FRESH = "~"  # a prefix no record id has


def _places(record: Record) -> dict[tuple[str, int, int], str]:
    places = {(MENTION, m["start"], m["end"]): m["id"] for m in record["mentions"]}
    for e in record["events"]:
        places[(EVENT, e["trigger"]["start"], e["trigger"]["end"])] = e["id"]
    for q in record["quotes"]:
        for i, part in enumerate(q["content"]):
            places[(QUOTE, part["start"], part["end"])] = part_id(q["id"], i)
        if q["cue"] is not None:
            places[(CUE, q["cue"]["start"], q["cue"]["end"])] = cue_id(q["id"])
    return places


def _by_majority(groups: dict[str, list[str]], owner: dict[str, str]) -> dict[str, str]:
    table: dict[str, str] = {}
    used: set[str] = set()
    for key, members in groups.items():
        votes = Counter(owner[m] for m in members if m in owner)
        found = next((c for c, _ in votes.most_common() if c not in used), None)
        table[key] = found if found is not None else FRESH + key
        used.add(table[key])
    return table


def restate(annotation: Annotation, record: Record) -> None:
    """Rewrite `annotation`'s region ids and typed keys into `record`'s ids, by content."""
    places = _places(record)
    key_of: dict[str, str] = {}
    for region in annotation.regions:
        now = places.get((region.tag, region.start, region.end))
        key_of[region.key] = now if now is not None else FRESH + region.key
        region.key = key_of[region.key]
    for link in annotation.links:
        link.source = key_of.get(link.source, FRESH + link.source)
        link.target = key_of.get(link.target, FRESH + link.target)
    attributes = {
        (key_of.get(k, FRESH + k), name): v for (k, name), v in annotation.attributes.items()
    }
    owners = {
        ENTITY_KEY: {m["id"]: m["entity"] for m in record["mentions"]},
        EVENT_CLUSTER: {e["id"]: e["cluster"] for e in record["events"]},
    }
    tables: dict[str, dict[str, str]] = {}
    for name, owner in owners.items():
        groups: dict[str, list[str]] = defaultdict(list)
        for (key, attr), values in attributes.items():
            if attr == name and values:
                groups[values[0].strip()].append(key)
        tables[name] = _by_majority(groups, owner)
    tables[SPEAKER_KEY] = tables[ENTITY_KEY]
    for (key, name), values in attributes.items():
        if name in tables and values:
            value = values[0].strip()
            attributes[(key, name)] = [tables[name].get(value, FRESH + value)]
    annotation.attributes = attributes
