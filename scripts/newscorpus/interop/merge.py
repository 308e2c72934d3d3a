"""What an import over an existing record would lose, and keeping what an export cannot carry.

A curator's record holds more than most tools can show: doccano and brat have no quotes or
events, JSON_MIN no links. An import must never drop those silently. `keep_uncarried` puts back
the layers a format cannot hold (where the mentions they name are still there), and `losses`
lists whatever would still disappear, so that the import refuses without --force.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from ..canonical import LAYERS
from ..model import Entity, Item, Mention, Record, Relation, SuggestedLabels

T = TypeVar("T", bound=Item)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _merges_lost(old: Record, new: Record) -> int:
    """Coreference links of `old` that `new` undoes: per old entity, the mentions still
    present but now spread over several entities."""
    new_entity = {(m["start"], m["end"]): m["entity"] for m in new["mentions"]}
    spread: dict[str, set[str]] = defaultdict(set)
    for mention in old["mentions"]:
        now = new_entity.get((mention["start"], mention["end"]))
        if now is not None:
            spread[mention["entity"]].add(now)
    return sum(len(groups) - 1 for groups in spread.values())


def _removed(old_items: Sequence[T], new_items: Sequence[T], key: Callable[[T], Hashable]) -> int:
    present = {key(item) for item in new_items}
    return sum(1 for item in old_items if key(item) not in present)


def losses(old: Record, new: Record) -> list[str]:
    """What replacing `old` by `new` would drop, in words; empty when nothing is lost.

    Unconfirmed suggestions (of any layer, and suggested document labels) are not work, so
    dropping them is no loss.
    """
    out = []
    old = _confirmed(old)
    counts = [
        (_removed(old["mentions"], new["mentions"], lambda m: (m["start"], m["end"])), "mention"),
        (_merges_lost(old, new), "coreference merge"),
        (
            _removed(
                old["quotes"],
                new["quotes"],
                lambda q: tuple((c["start"], c["end"]) for c in q["content"]),
            ),
            "quote",
        ),
        (
            _removed(
                old["events"], new["events"], lambda e: (e["trigger"]["start"], e["trigger"]["end"])
            ),
            "event",
        ),
        (_lost_arguments(old, new), "event argument"),
        (_lost_relations(old, new), "relation"),
    ]
    out += [_plural(count, word) for count, word in counts if count]
    for name in ("topics", "countries"):
        gone = [v for v in old["labels"][name] if v not in new["labels"][name]]
        if gone:
            out.append(f"{name} {', '.join(gone)}")
    before, after = old["annotation"]["status"], new["annotation"]["status"]
    if before != after:
        out.append(f"status {before} → {after}")
    return out


def _confirmed(record: Record) -> Record:
    """`record` without its unconfirmed suggestions (a shallow copy)."""
    out = record.copy()
    out["mentions"] = [m for m in record["mentions"] if not m.get("suggested")]
    out["quotes"] = [q for q in record["quotes"] if not q.get("suggested")]
    out["events"] = [e for e in record["events"] if not e.get("suggested")]
    out["relations"] = [r for r in record["relations"] if not r.get("suggested")]
    pending: SuggestedLabels = record["labels"].get("suggested") or {}
    labels = record["labels"]
    out["labels"] = {
        "topics": [v for v in labels["topics"] if v not in (pending.get("topics") or [])],
        "countries": [v for v in labels["countries"] if v not in (pending.get("countries") or [])],
    }
    return out


def _offsets(record: Record) -> dict[str, tuple[int, int]]:
    return {m["id"]: (m["start"], m["end"]) for m in record["mentions"]}


def _lost_arguments(old: Record, new: Record) -> int:
    before, after = _offsets(old), _offsets(new)
    kept = {
        ((e["trigger"]["start"], e["trigger"]["end"]), a["role"], after.get(a["mention"]))
        for e in new["events"]
        for a in e["arguments"]
    }
    triggers = {(e["trigger"]["start"], e["trigger"]["end"]) for e in new["events"]}
    return sum(
        1
        for e in old["events"]
        for a in e["arguments"]
        if (e["trigger"]["start"], e["trigger"]["end"]) in triggers
        and ((e["trigger"]["start"], e["trigger"]["end"]), a["role"], before.get(a["mention"]))
        not in kept
    )


def _lost_relations(old: Record, new: Record) -> int:
    """Relations of `old` that `new` no longer states: a relation stays when `new` has one of
    the same type between entities that share a mention with its head and with its tail (so
    renumbered, merged or split entities do not count as lost relations)."""
    spans: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for mention in old["mentions"]:
        spans[mention["entity"]].add((mention["start"], mention["end"]))
    now = {(m["start"], m["end"]): m["entity"] for m in new["mentions"]}
    stated = {(r["type"], r["head"], r["tail"]) for r in new["relations"]}
    lost = 0
    for relation in old["relations"]:
        heads = {now[s] for s in spans[relation["head"]] if s in now}
        tails = {now[s] for s in spans[relation["tail"]] if s in now}
        if not any((relation["type"], h, t) in stated for h in heads for t in tails):
            lost += 1
    return lost


def keep_uncarried(base: Record, record: Record, carried: frozenset[str]) -> Record:
    """`record` with the layers its format cannot carry taken from `base`.

    Mentions are matched by offsets and keep the base's ids and entities (coreference), so
    the base's quotes, events and relations still resolve; an item whose mentions are gone
    is not kept, and `losses` then reports it.
    """
    if carried >= {*LAYERS, "labels"}:
        return record
    out = record.copy()
    if "entities" not in carried:
        out["mentions"], out["entities"] = _adopt_entities(base, record)
        out["relations"] = _adopt_relations(record, out["mentions"])
    present = {m["id"] for m in out["mentions"]}
    or_none = present | {None}  # made once: a new set per quote or event was quadratic
    if "quotes" not in carried:
        out["quotes"] = [q for q in base["quotes"] if q["source"] in or_none]
    if "events" not in carried:
        out["events"] = [
            e
            for e in base["events"]
            if all(a["mention"] in present for a in e["arguments"]) and e["time"] in or_none
        ]
    if "labels" not in carried:
        out["labels"] = base["labels"]
    if "relations" not in carried:
        present_entities = {m["entity"] for m in out["mentions"]}
        out["relations"] = [
            r
            for r in base["relations"]
            if {r["head"], r["tail"]} <= present_entities
            and all(m in present for m in r["evidence"])
        ]
    if all(out[name] == base[name] for name in LAYERS) and out["labels"] == base["labels"]:
        return base  # nothing changed: the record stays as it was, status included
    return out


def _adopt_entities(base: Record, record: Record) -> tuple[list[Mention], list[Entity]]:
    """Mentions on the base's offsets take its id and entity; the others keep their own, with
    ids moved past the base's so that none collides."""
    at = {(m["start"], m["end"], m["label"]): m for m in base["mentions"]}
    top_m = max((int(m["id"][1:]) for m in base["mentions"]), default=0)
    top_e = max((int(e["id"][1:]) for e in base["entities"]), default=0)
    entity_ids: dict[str, str] = {}
    mentions: list[Mention] = []
    used: set[str] = set()
    for mention in record["mentions"]:
        old = at.get((mention["start"], mention["end"], mention["label"]))
        if old is not None:
            mentions.append(
                {
                    **mention,
                    "id": old["id"],
                    "entity": old["entity"],
                    "mention_type": old["mention_type"],
                }
            )
            used.add(old["entity"])
            continue
        top_m += 1
        if mention["entity"] not in entity_ids:
            top_e += 1
            entity_ids[mention["entity"]] = f"e{top_e}"
        mentions.append({**mention, "id": f"m{top_m}", "entity": entity_ids[mention["entity"]]})
    entities = [e for e in base["entities"] if e["id"] in used]
    entities += [
        {**e, "id": entity_ids[e["id"]]} for e in record["entities"] if e["id"] in entity_ids
    ]
    return mentions, entities


def _adopt_relations(record: Record, adopted: list[Mention]) -> list[Relation]:
    """The record's relations restated with the adopted mention and entity ids."""
    now = {old["id"]: new for old, new in zip(record["mentions"], adopted, strict=True)}
    entity = {
        old["entity"]: new["entity"] for old, new in zip(record["mentions"], adopted, strict=True)
    }
    return [
        {
            **relation,
            "head": entity.get(relation["head"], relation["head"]),
            "tail": entity.get(relation["tail"], relation["tail"]),
            "evidence": [now[m]["id"] if m in now else m for m in relation["evidence"]],
        }
        for relation in record["relations"]
    ]
