"""The decisions of the layers built on mentions: quotes, events (with their arguments,
modality, time and coreference), relations, document labels and the article's own fields.

Each layer first matches items as `agreement` does (the same functions, so the items it
counts as unmatched are exactly those the decisions settle); the rest pair by overlap into
one decision each, and an item left over is one only one side has. Two matched items that
differ in a field agreement does not match on (a cue, a source, a modality, a time, the
evidence) get a decision on that field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Generic, TypeVar

from ...model import Event, Quote, Relation, Span
from ..diff.model import quoted
from ..evaluate.scoring.layers import Offsets, offsets, share
from ..evaluate.scoring.spans import overlaps
from ..evaluate.scoring.tally import matched_by_label, staged_one_to_one
from .model import Decision, pick, span_words
from .plan import Clusters, Plan

ARTICLE_FIELDS = ("id", "split", "source", "passages")


_T = TypeVar("_T")
ArgumentRef = tuple[str, str, Any]  # an event's argument: (event id#n, role, mention id)


@dataclass
class Item(Generic[_T]):
    """A quote, event, argument or relation of A, of B, or of both."""

    a: _T | None
    b: _T | None
    decision: Decision | None = None
    details: dict[str, Decision] = field(default_factory=dict)
    parts: list[Item[ArgumentRef]] = field(default_factory=list)  # an event's arguments

    def side(self, name: str) -> _T | None:
        return self.a if name == "a" else self.b

    def version(self, name: str) -> _T:
        """The version of side `name`, which it has: a side that is kept, or either side of
        a matched pair."""
        found = self.side(name)
        if found is None:
            raise ValueError(f"the {name} side has no version of this item")
        return found

    def kept(self) -> str | None:
        """The side whose version is kept ("a" for matched items), None when dropped."""
        if self.decision is None:
            return "a"
        chosen = pick(self.decision)
        return chosen if self.side(chosen) is not None else None

    def field_side(self, name: str) -> str:
        return pick(self.decision) if self.decision else pick(self.details.get(name))


@dataclass
class Layer(Generic[_T]):
    """How one layer is shown and paired."""

    name: str
    noun: str
    label: Callable[[_T], str]
    exact: Callable[[_T, _T], bool]
    near: list[Callable[[_T, _T], bool]]
    kind: Callable[[_T, _T], str]
    words: Callable[[str, _T], str]
    spans: Callable[[_T], list[Offsets]]
    item_id: Callable[[Any], str] = itemgetter("id")  # every layer item has an id


def pair_items(plan: Plan, layer: Layer[_T], left: list[_T], right: list[_T]) -> list[Item[_T]]:
    """Matched items, then decisions for pairs that differ and for items of one side."""
    _, matched = matched_by_label(left, right, layer.label, layer.exact)
    taken = {id(x) for pair in matched for x in pair}
    rest_a = [x for x in left if id(x) not in taken]
    rest_b = [y for y in right if id(y) not in taken]
    pairs = staged_one_to_one(rest_a, rest_b, layer.near)
    partner = {id(rest_a[i]): rest_b[j] for i, j in pairs}
    partner_of_b = {id(rest_b[j]) for _, j in pairs}
    mine = {id(x): y for x, y in matched}
    items: list[Item[_T]] = []
    for x in left:  # in A's order, then what B alone has
        if id(x) in mine:
            items.append(Item(x, mine[id(x)]))
        elif id(x) in partner:
            y = partner[id(x)]
            items.append(Item(x, y, _decision(plan, layer, layer.kind(x, y), x, y)))
        else:
            items.append(Item(x, None, _decision(plan, layer, f"only A has this {layer.noun}", x)))
    for y in right:
        if id(y) not in taken and id(y) not in partner_of_b:
            kind = f"only B has this {layer.noun}"
            items.append(Item(None, y, _decision(plan, layer, kind, None, y)))
    return items


def _decision(
    plan: Plan, layer: Layer[_T], kind: str, x: _T | None, y: _T | None = None
) -> Decision:
    covers = [(layer.name, s, layer.item_id(v)) for s, v in (("a", x), ("b", y)) if v is not None]
    spans = [layer.spans(v) if v is not None else [] for v in (x, y)]
    where = min(s[0] for group in spans for s in group) if any(spans) else 0
    words = [
        layer.words(s, v) if v is not None else f"no {layer.noun}" for s, v in (("a", x), ("b", y))
    ]
    shown = plan.contexts(spans[0] or spans[1], spans[1] or spans[0])
    return plan.add(Decision(layer.name, kind, words[0], words[1], where, shown, covers=covers))


def _detail(
    plan: Plan, layer: str, kind: str, words: tuple[str, str], spans: list[Offsets]
) -> Decision:
    where = min(s[0] for s in spans) if spans else 0
    return plan.add(Decision(layer, kind, *words, where, plan.contexts(spans, spans)))


def _mention_words(plan: Plan, side: str, mention_id: str | None) -> str:
    if mention_id is None:
        return "none"
    mention = plan.scoring[side].mentions.get(mention_id)
    return span_words(mention) if mention else mention_id


def _unit(plan: Plan, side: str, mention_id: str | None) -> Any:
    unit = plan.mention_unit(side, mention_id)
    return ("none",) if unit is None else unit


# --- quotes ---------------------------------------------------------------------------------


def quotes(plan: Plan) -> list[Item[Quote]]:
    a, b = plan.scoring["a"], plan.scoring["b"]

    def parts(quote: Quote) -> frozenset[Offsets]:
        return frozenset(offsets(p) for p in quote["content"])

    def exact(x: Quote, y: Quote) -> bool:
        return parts(x) == parts(y) and share(a.speaker(x), b.speaker(y), exact=True)

    def near(x: Quote, y: Quote) -> bool:
        return any(overlaps(p, q) for p in parts(x) for q in parts(y))

    def kind(x: Quote, y: Quote) -> str:
        what = [
            name
            for name, same in (
                ("type", x["type"] == y["type"]),
                ("content", parts(x) == parts(y)),
                ("speaker", share(a.speaker(x), b.speaker(y), exact=True)),
            )
            if not same
        ]
        return "quote " + " and ".join(what)

    def words(side: str, quote: Quote) -> str:
        content = " … ".join(quoted(p["text"], 50) for p in quote["content"])
        speaker = plan.scoring[side].speaker(quote)
        names = [e["name"] for e in plan.rec[side]["entities"] if e["id"] == quote["speaker"]]
        who = quoted(names[0], 30) if names else ("none" if speaker is None else "?")
        return (
            f"{quote['type']} {content}; cue {_span_text(quote['cue'])}; source "
            f"{_mention_words(plan, side, quote['source'])}; speaker {who}"
        )

    layer = Layer(
        "quotes",
        "quote",
        itemgetter("type"),
        exact,
        [near],
        kind,
        words,
        lambda q: sorted(parts(q)),
    )
    items = pair_items(plan, layer, plan.rec["a"]["quotes"], plan.rec["b"]["quotes"])
    for item in items:
        if item.decision is None:
            x, y = item.version("a"), item.version("b")
            what = _quote_fields(plan, x, y)
            if what:
                words_ = (words("a", x), words("b", y))
                item.details["attribution"] = _detail(
                    plan, "quotes", "quote " + " and ".join(what), words_, sorted(parts(x))
                )
    return items


def _quote_fields(plan: Plan, x: Quote, y: Quote) -> list[str]:
    cue_x = offsets(x["cue"]) if x["cue"] else None
    cue_y = offsets(y["cue"]) if y["cue"] else None
    what = []
    if cue_x != cue_y:
        what.append("cue")
    if _unit(plan, "a", x["source"]) != _unit(plan, "b", y["source"]):
        what.append("source")
    return what


def _span_text(span: Span | None) -> str:
    return "none" if span is None else quoted(span["text"], 30)


# --- relations ------------------------------------------------------------------------------


def relations(plan: Plan) -> list[Item[Relation]]:
    a, b = plan.scoring["a"], plan.scoring["b"]

    def ends(x: Relation, y: Relation, exact: bool, swap: bool = False) -> bool:
        head, tail = (y["tail"], y["head"]) if swap else (y["head"], y["tail"])
        return share(a.entity_offsets(x["head"]), b.entity_offsets(head), exact) and share(
            a.entity_offsets(x["tail"]), b.entity_offsets(tail), exact
        )

    def kind(x: Relation, y: Relation) -> str:
        what = [] if x["type"] == y["type"] else ["type"]
        if not ends(x, y, True):
            what.append("direction" if ends(x, y, False, swap=True) else "head or tail")
        return "relation " + " and ".join(what)

    def words(side: str, relation: Relation) -> str:
        names = {e["id"]: e["name"] for e in plan.rec[side]["entities"]}
        evidence = ", ".join(_mention_words(plan, side, m) for m in relation["evidence"])
        return (
            f"{relation['type']} {quoted(names.get(relation['head'], '?'), 40)} -> "
            f"{quoted(names.get(relation['tail'], '?'), 40)}; evidence {evidence or 'none'}"
        )

    def spans(relation: Relation, side: str) -> list[Offsets]:
        found = [plan.scoring[side].mention_offsets(m) for m in relation["evidence"]]
        return sorted(s for s in found if s is not None)

    layer = Layer(
        "relations",
        "relation",
        itemgetter("type"),
        lambda x, y: ends(x, y, True),
        [lambda x, y: ends(x, y, False) or ends(x, y, False, swap=True)],
        kind,
        words,
        lambda r: spans(r, "a" if any(r is x for x in plan.rec["a"]["relations"]) else "b"),
    )
    items = pair_items(plan, layer, plan.rec["a"]["relations"], plan.rec["b"]["relations"])
    for item in items:
        if item.decision is None:
            x, y = item.version("a"), item.version("b")
            before = {_unit(plan, "a", m) for m in x["evidence"]}
            after = {_unit(plan, "b", m) for m in y["evidence"]}
            if before != after:
                shown = (words("a", x), words("b", y))
                where = spans(x, "a") + spans(y, "b")
                item.details["evidence"] = _detail(
                    plan, "relations", "relation evidence", shown, sorted(where)
                )
    return items


# --- document labels and the article's own fields -------------------------------------------


def labels(plan: Plan) -> dict[tuple[str, str], Decision]:
    """A decision per topic or country that one side gives and the other does not."""
    found: dict[tuple[str, str], Decision] = {}
    a: Mapping[str, Any] = plan.rec["a"]["labels"]
    b: Mapping[str, Any] = plan.rec["b"]["labels"]
    for key in sorted(set(a) | set(b)):
        left, right = a.get(key) or [], b.get(key) or []
        for value in [*left, *right]:
            if (value in left) != (value in right) and (key, value) not in found:
                noun = key[:-1] if key.endswith("s") else key
                noun = "country" if key == "countries" else noun
                given = f"{noun} {value}"
                words = (given, "not given") if value in left else ("not given", given)
                found[(key, value)] = plan.add(
                    Decision(
                        "labels",
                        noun,
                        *words,
                        0,
                        covers=[("labels", "a" if value in left else "b", f"{key}:{value}")],
                    )
                )
    return found


def article(plan: Plan) -> dict[str, Decision]:
    """A decision per field of the article (id, split, source, passages) that differs."""
    found = {}
    for key in ARTICLE_FIELDS:
        x, y = plan.rec["a"].get(key), plan.rec["b"].get(key)
        if x != y:
            words = [json.dumps(v, ensure_ascii=False, sort_keys=True) for v in (x, y)]
            shown = [w if len(w) <= 200 else w[:199] + "…" for w in words]
            found[key] = plan.add(Decision("article", key, shown[0], shown[1], 0))
    return found


def event_clusters(plan: Plan, events: list[Item[Event]]) -> Clusters:
    """Event coreference: clusters compared over the events both sides have."""
    cluster_of: dict[str, dict[int, Any]] = {"a": {}, "b": {}}
    for index, item in enumerate(events):
        if item.a is not None and item.b is not None:
            cluster_of["a"][index] = item.a["cluster"]
            cluster_of["b"][index] = item.b["cluster"]
    clusters = Clusters(cluster_of)
    for nodes in clusters.nodes():
        if [n[0] for n in nodes] == ["a", "b"]:
            continue
        words = {}
        for side in ("a", "b"):
            groups = []
            for node in nodes:
                if node[0] == side:
                    triggers = [
                        quoted(e["trigger"]["text"], 25)
                        for e in plan.rec[side]["events"]
                        if e["cluster"] == node[1]
                    ]
                    groups.append("{" + ", ".join(triggers) + "}")
            words[side] = " | ".join(groups)
        spans = sorted(
            offsets(events[u].version("a")["trigger"]) for n in nodes for u in clusters.shared[n]
        )
        root = clusters.groups.root(nodes[0])
        clusters.decision[root] = _detail(
            plan, "events", "event coreference", (words["a"], words["b"]), spans[:1]
        )
    return clusters
