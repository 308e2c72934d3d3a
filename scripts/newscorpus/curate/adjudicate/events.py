"""The decisions of the events layer: events matched as `agreement` matches them (the same
trigger and type), then the arguments of each matched pair, matched as agreement matches
them (the same role and the same mention offsets); modality and time of matched events are
decisions of their own. An event decided as a whole carries its arguments with it."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from ...model import Event
from ..diff.model import quoted
from ..evaluate.scoring.layers import offsets
from ..evaluate.scoring.spans import overlaps
from ..evaluate.scoring.tally import one_to_one, staged_one_to_one
from .layers import ArgumentRef, Item, Layer, _detail, _mention_words, _unit, pair_items
from .model import Decision, other
from .plan import Plan

Argument = ArgumentRef


def events(plan: Plan) -> list[Item[Event]]:
    def words(side: str, event: Event) -> str:
        arguments = ", ".join(
            f"{g['role']} {_mention_words(plan, side, g['mention'])}" for g in event["arguments"]
        )
        time = _mention_words(plan, side, event["time"])
        return (
            f"{event['type']} {quoted(event['trigger']['text'], 30)} {event['modality']}; "
            f"arguments {arguments or 'none'}; time {time}"
        )

    def kind(x: Event, y: Event) -> str:
        if offsets(x["trigger"]) == offsets(y["trigger"]):
            return "event type"
        return "event trigger" + (" and type" if x["type"] != y["type"] else "")

    def same(x: Event, y: Event) -> bool:
        return offsets(x["trigger"]) == offsets(y["trigger"])

    def near(x: Event, y: Event) -> bool:
        return overlaps(offsets(x["trigger"]), offsets(y["trigger"]))

    layer = Layer(
        "events",
        "event",
        itemgetter("type"),
        same,
        [near],
        kind,
        words,
        lambda e: [offsets(e["trigger"])],
    )
    items = pair_items(plan, layer, plan.rec["a"]["events"], plan.rec["b"]["events"])
    for item in items:
        if item.decision is not None:
            for side in ("a", "b"):
                event = item.side(side)
                if event is not None:
                    item.decision.covers += [
                        ("arguments", side, f"{event['id']}#{n}")
                        for n in range(len(event["arguments"]))
                    ]
            continue
        x, y = item.version("a"), item.version("b")
        shown = (words("a", x), words("b", y))
        trigger = [offsets(x["trigger"])]
        if x["modality"] != y["modality"]:
            item.details["modality"] = _detail(plan, "events", "modality", shown, trigger)
        if _unit(plan, "a", x["time"]) != _unit(plan, "b", y["time"]):
            item.details["time"] = _detail(plan, "events", "event time", shown, trigger)
        item.parts = _arguments(plan, x, y)
    return items


def _arguments(plan: Plan, x: Event, y: Event) -> list[Item[Argument]]:
    """The arguments of two matched events: matched, paired into a decision, or one side's."""
    sides = {"a": x, "b": y}
    listed = {
        side: [(f"{e['id']}#{n}", g["role"], g["mention"]) for n, g in enumerate(e["arguments"])]
        for side, e in sides.items()
    }

    def where(side: str, argument: Argument) -> Any:
        return plan.scoring[side].mention_offsets(argument[2])

    def exact(p: Argument, q: Argument) -> bool:
        at_p, at_q = where("a", p), where("b", q)
        return p[1] == q[1] and at_p is not None and at_q is not None and at_p == at_q

    def same_mention(p: Argument, q: Argument) -> bool:
        return _unit(plan, "a", p[2]) == _unit(plan, "b", q[2])

    def same_role(p: Argument, q: Argument) -> bool:
        at_p, at_q = where("a", p), where("b", q)
        return p[1] == q[1] and at_p is not None and at_q is not None and overlaps(at_p, at_q)

    left, right = listed["a"], listed["b"]
    matched = dict(one_to_one(left, right, exact))
    rest_a = [i for i in range(len(left)) if i not in matched]
    rest_b = [j for j in range(len(right)) if j not in set(matched.values())]
    found = staged_one_to_one(
        [left[i] for i in rest_a], [right[j] for j in rest_b], [same_mention, same_role]
    )
    paired = {rest_a[i]: rest_b[j] for i, j in found}
    head = f"{x['type']} {quoted(x['trigger']['text'], 30)}"
    items: list[Item[Argument]] = []
    for i, p in enumerate(left):
        if i in matched:
            items.append(Item(p, right[matched[i]]))
        elif i in paired:
            q = right[paired[i]]
            kind = "argument role" if p[1] != q[1] else "argument mention"
            items.append(Item(p, q, _argument_decision(plan, head, kind, {"a": p, "b": q})))
        else:
            decision = _argument_decision(plan, head, "only A has this argument", {"a": p})
            items.append(Item(p, None, decision))
    taken = set(matched.values()) | set(paired.values())
    for j, q in enumerate(right):
        if j not in taken:
            decision = _argument_decision(plan, head, "only B has this argument", {"b": q})
            items.append(Item(None, q, decision))
    return items


def _argument_decision(
    plan: Plan, head: str, kind: str, arguments: dict[str, Argument]
) -> Decision:
    words: dict[str, str] = {}
    spans: dict[str, list[Any]] = {}
    for side in ("a", "b"):
        argument = arguments.get(side)
        if argument is None:
            words[side] = "no argument"
            spans[side] = []
            continue
        words[side] = f"{head}: {argument[1]} {_mention_words(plan, side, argument[2])}"
        at = plan.scoring[side].mention_offsets(argument[2])
        spans[side] = [at] if at else []
    covers = [("arguments", side, argument[0]) for side, argument in arguments.items()]
    only = next(iter(arguments))
    shown = plan.contexts(spans["a"] or spans[other(only)], spans["b"] or spans[only])
    where = min((s[0] for group in spans.values() for s in group), default=0)
    return plan.add(
        Decision("arguments", kind, words["a"], words["b"], where, shown, covers=covers)
    )
