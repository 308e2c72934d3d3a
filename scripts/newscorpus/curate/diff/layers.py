"""The diff of the layers built on mentions and entities: quotes, events, relations, the
document labels, the annotation block and the article's own fields.

Every reference is translated to the new side first (an old mention to the mention it was
paired with, an old entity to the new entities holding its mentions), so a renumbered id
compares equal and only a real change of what an item points at is reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, Literal, TypeVar

from ...model import Event, Quote, Record, Relation
from .model import ADDED, REMOVED, Change, offsets, overlap, pair_by_content, quoted, span_text
from .spans import Sides

_Item = TypeVar("_Item", Quote, Event)

# --- quotes ---------------------------------------------------------------------------------


def _parts(quote: Quote, sides: Sides) -> tuple[Any, ...]:
    return tuple(("vanished",) if sides.gone(p) else offsets(p) for p in quote["content"])


def _same_entity(sides: Sides, old: str | None, new: str | None) -> bool:
    if old is None or new is None:
        return old is None and new is None
    return new in sides.entity_map.get(old, set())


def _quote_words(quote: Quote) -> str:
    content = " … ".join(span_text(part) for part in quote["content"])
    return f"{quote['id']} {quote['type']} {content}"


def diff_quotes(sides: Sides) -> list[Change]:
    old, moved, new = sides.old["quotes"], sides.moved["quotes"], sides.new["quotes"]

    def signature(quote: Quote, translate: bool) -> tuple[Any, ...]:
        source = sides.mention_of(quote["source"]) if translate else quote["source"]
        cue = None if sides.gone(quote["cue"]) else offsets(quote["cue"])
        return (_parts(quote, sides), quote["type"], cue, source)

    def score(i: int, j: int) -> tuple[int, ...] | None:
        a, b = moved[i], new[j]
        shared = sum(
            overlap(None if sides.gone(p) else offsets(p), offsets(q))
            for p in a["content"]
            for q in b["content"]
        )
        return (int(_parts(a, sides) == _parts(b, sides)), shared) if shared else None

    pairs = pair_by_content(
        [signature(q, True) for q in moved], [signature(q, False) for q in new], score
    )
    changes = _added_removed("quotes", old, new, pairs, _quote_words, _quote_start)
    for i, j in pairs.items():
        changes.extend(_quote_changes(old[i], moved[i], new[j], sides))
    return changes


def _quote_start(quote: Quote) -> int:
    return int(quote["content"][0]["start"])


def _quote_changes(old: Quote, moved: Quote, new: Quote, sides: Sides) -> Iterator[Change]:
    def change(kind: str, words: str, before: Any, after: Any) -> Change:
        return Change("quotes", kind, new["id"], words, before, after, _quote_start(new))

    head = f"{new['id']} {span_text(new['content'][0])}"
    if old["type"] != new["type"]:
        yield change(
            "re-typed", f"{head}: {old['type']} -> {new['type']}", old["type"], new["type"]
        )
    moved_text = [(offsets(p), p["text"]) for p in moved["content"]]
    if moved_text != [(offsets(p), p["text"]) for p in new["content"]] or any(
        p["text"] != q["text"] for p, q in zip(old["content"], moved["content"], strict=True)
    ):
        words = f"{_quote_words(old)} -> {_quote_words(new)}"
        yield change("content", words, old["content"], new["content"])
    cue_old, cue_new = moved["cue"], new["cue"]
    if (offsets(cue_old), cue_old and cue_old["text"]) != (
        offsets(cue_new),
        cue_new and cue_new["text"],
    ):
        yield change(
            "cue",
            f"{head}: cue {span_text(old['cue'])} -> {span_text(cue_new)}",
            old["cue"],
            cue_new,
        )
    if sides.mention_of(old["source"]) != new["source"]:
        before, after = _named(sides.old, old["source"]), _named(sides.new, new["source"])
        words = f"{head}: source {before} -> {after}"
        yield change("source", words, old["source"], new["source"])
    if not _same_entity(sides, old["speaker"], new["speaker"]):
        before, after = (
            sides.entity_name("old", old["speaker"]),
            sides.entity_name("new", new["speaker"]),
        )
        yield change(
            "speaker", f"{head}: speaker {before} -> {after}", old["speaker"], new["speaker"]
        )


def _added_removed(
    layer: str,
    old: list[_Item],
    new: list[_Item],
    pairs: dict[int, int],
    words: Callable[[_Item], str],
    start: Callable[[_Item], int],
) -> list[Change]:
    changes = [
        Change(layer, REMOVED, item["id"], words(item), item, None, start(item))
        for i, item in enumerate(old)
        if i not in pairs
    ]
    paired = set(pairs.values())
    changes.extend(
        Change(layer, ADDED, item["id"], words(item), None, item, start(item))
        for j, item in enumerate(new)
        if j not in paired
    )
    return changes


# --- events ---------------------------------------------------------------------------------


def _arguments(event: Event, sides: Sides | None) -> Counter[tuple[str, str]]:
    """(role, mention) pairs; old mentions named by their new id (or marked as removed)."""
    if sides is None:
        return Counter((a["role"], a["mention"]) for a in event["arguments"])
    return Counter(
        (a["role"], sides.mention_map.get(a["mention"], f"removed {a['mention']}"))
        for a in event["arguments"]
    )


def _event_words(event: Event) -> str:
    return f"{event['id']} {event['type']} {span_text(event['trigger'])} {event['modality']}"


def diff_events(sides: Sides) -> list[Change]:
    old, moved, new = sides.old["events"], sides.moved["events"], sides.new["events"]

    def signature(event: Event, index: int, translate: bool) -> tuple[Any, ...]:
        if sides.gone(event["trigger"]):
            return ("vanished", index)
        time = sides.mention_of(event["time"]) if translate else event["time"]
        arguments = sorted(_arguments(event, sides if translate else None).items())
        return (offsets(event["trigger"]), event["type"], event["modality"], time, *arguments)

    def score(i: int, j: int) -> tuple[int, ...] | None:
        a, b = moved[i]["trigger"], new[j]["trigger"]
        shared = 0 if sides.gone(a) else overlap(offsets(a), offsets(b))
        if not shared:
            return None
        return (int(offsets(a) == offsets(b)), int(moved[i]["type"] == new[j]["type"]), shared)

    pairs = pair_by_content(
        [signature(e, i, True) for i, e in enumerate(moved)],
        [signature(e, -1, False) for e in new],
        score,
    )
    sides.event_map = {old[i]["id"]: new[j]["id"] for i, j in pairs.items()}
    changes = _added_removed("events", old, new, pairs, _event_words, _trigger_start)
    for i, j in pairs.items():
        changes.extend(_event_changes(old[i], moved[i], new[j], sides))
    return changes


def _trigger_start(event: Event) -> int:
    return int(event["trigger"]["start"])


def _event_changes(old: Event, moved: Event, new: Event, sides: Sides) -> Iterator[Change]:
    def change(kind: str, words: str, before: Any, after: Any) -> Change:
        return Change("events", kind, new["id"], words, before, after, _trigger_start(new))

    head = f"{new['id']} {new['type']} {span_text(new['trigger'])}"
    trigger = moved["trigger"]
    if offsets(trigger) != offsets(new["trigger"]) or trigger["text"] != old["trigger"]["text"]:
        words = f"{new['id']} trigger {span_text(old['trigger'])} -> {span_text(new['trigger'])}"
        yield change("trigger", words, old["trigger"], new["trigger"])
    fields: tuple[tuple[Literal["type", "modality"], str], ...] = (
        ("type", "re-typed"),
        ("modality", "modality"),
    )
    for key, kind in fields:
        if old[key] != new[key]:
            yield change(kind, f"{head}: {key} {old[key]} -> {new[key]}", old[key], new[key])
    before, after = _arguments(old, sides), _arguments(new, None)
    if before != after:
        lost = sorted((before - after).elements())
        gained = sorted((after - before).elements())
        parts = [f"+{role} {_mention(sides, m)}" for role, m in gained]
        parts += [f"-{role} {_mention(sides, m)}" for role, m in lost]
        yield change("arguments", f"{head}: arguments {', '.join(parts)}", lost, gained)
    if sides.mention_of(old["time"]) != new["time"] and (old["time"] or new["time"]):
        words = f"{head}: time {_named(sides.old, old['time'])} -> {_named(sides.new, new['time'])}"
        yield change("time", words, old["time"], new["time"])


def _mention(sides: Sides, mention_id: str) -> str:
    """A mention named on the new side, or an old one that was removed ("removed m3")."""
    if mention_id.startswith("removed "):
        return _named(sides.old, mention_id.removeprefix("removed "))
    return _named(sides.new, mention_id)


def _named(record: Record, mention_id: str | None) -> str:
    """A mention of `record` by id and text: m6 "Monday" (or none)."""
    if mention_id is None:
        return "none"
    for mention in record["mentions"]:
        if mention["id"] == mention_id:
            return f"{mention_id} {quoted(mention['text'], 40)}"
    return mention_id


# --- relations ------------------------------------------------------------------------------


def _relation_words(sides: Sides, side: str) -> Callable[[Relation], str]:
    def words(relation: Relation) -> str:
        head = sides.entity_name(side, relation["head"])
        tail = sides.entity_name(side, relation["tail"])
        return f"{relation['id']} {relation['type']} {head} -> {tail}"

    return words


def diff_relations(sides: Sides) -> list[Change]:
    old, new = sides.old["relations"], sides.new["relations"]

    def links(i: int, j: int) -> tuple[bool, bool]:
        a, b = old[i], new[j]
        forward = _same_entity(sides, a["head"], b["head"]) and _same_entity(
            sides, a["tail"], b["tail"]
        )
        backward = _same_entity(sides, a["head"], b["tail"]) and _same_entity(
            sides, a["tail"], b["head"]
        )
        return forward, backward

    def score(i: int, j: int) -> tuple[int, ...] | None:
        forward, backward = links(i, j)
        if not (forward or backward):
            return None
        same_type = old[i]["type"] == new[j]["type"]
        return (
            int(forward),
            int(same_type),
            len(_evidence(old[i], sides) & set(new[j]["evidence"])),
        )

    # No signature is shared across sides: entities correspond as sets, so pair by score.
    pairs = pair_by_content([("old", i) for i in range(len(old))], [("new",)] * len(new), score)
    changes = [
        Change("relations", REMOVED, r["id"], _relation_words(sides, "old")(r), r, None)
        for i, r in enumerate(old)
        if i not in pairs
    ]
    paired = set(pairs.values())
    changes.extend(
        Change("relations", ADDED, r["id"], _relation_words(sides, "new")(r), None, r)
        for j, r in enumerate(new)
        if j not in paired
    )
    for i, j in pairs.items():
        changes.extend(_relation_changes(old[i], new[j], sides, links(i, j)[0]))
    return changes


def _evidence(relation: Relation, sides: Sides) -> set[str]:
    return {sides.mention_map.get(m, f"removed {m}") for m in relation["evidence"]}


def _relation_changes(
    old: Relation, new: Relation, sides: Sides, forward: bool
) -> Iterator[Change]:
    head = _relation_words(sides, "new")(new)
    if not forward:
        yield Change("relations", "reversed", new["id"], f"{head}: head and tail swapped")
    if old["type"] != new["type"]:
        words = f"{head}: type {old['type']} -> {new['type']}"
        yield Change("relations", "re-typed", new["id"], words, old["type"], new["type"])
    before, after = _evidence(old, sides), set(new["evidence"])
    if before != after:
        parts = [f"+{_mention(sides, m)}" for m in sorted(after - before, key=_number)]
        parts += [f"-{_mention(sides, m)}" for m in sorted(before - after, key=_number)]
        words = f"{head}: evidence {', '.join(parts)}"
        yield Change("relations", "evidence", new["id"], words, sorted(before), sorted(after))


def _number(mention_id: str) -> tuple[int, str]:
    """m9 before m21: ids in the order a person counts."""
    digits = "".join(ch for ch in mention_id if ch.isdigit())
    return (int(digits) if digits else 0, mention_id)
