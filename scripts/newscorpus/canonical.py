"""The canonical form of a record, applied like a code formatter.

One function decides how a record is laid out, so that every writer (the importers, the phrase
API, `newscorpus fmt`) produces the same bytes for the same annotation:

- every layer is in reading order: mentions by offset (an outer span before the spans inside
  it), entities by their first mention, quotes by their first span, events by their trigger,
  relations by the first mention that states them;
- the keys of every item are in the schema's order;
- an entity without a name is named by guideline 5.2;
- only when a record is first annotated (`renumber=True`), ids are given in reading order,
  with every reference rewritten. After that ids are never renumbered (guideline 1): a later
  addition takes the next free number of its layer (`next_id`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from itertools import compress, count, islice, repeat
from operator import eq, itemgetter, le
from typing import Any, Literal, overload

from .labels import VALUE_LABELS, record_schema
from .model import LAYERS as LAYERS
from .model import Entity, Event, Item, Layer, Mention, Quote, Record, Relation, Span

PREFIXES: dict[str, str] = {
    "mentions": "m",
    "entities": "e",
    "quotes": "q",
    "events": "ev",
    "clusters": "evc",
    "relations": "r",
}
_NUMBER = re.compile(r"^([a-z]+)([0-9]+)$")
_DETERMINER = re.compile(
    r"^(?:the|a|an|this|that|these|those|its|their|his|her|our|your|my|some|all|both)\s+",
    re.IGNORECASE,
)
_BIG = 1 << 62


def id_number(item_id: object) -> int:
    """The number of an id such as `m12`, or a large number for anything else."""
    return _id_number(item_id) if isinstance(item_id, str) else _BIG


@lru_cache(maxsize=1 << 14)  # the same few hundred ids recur in every record
def _id_number(item_id: str) -> int:
    match = _NUMBER.match(item_id)
    return int(match.group(2)) if match else _BIG


def next_id(record: Record, layer: Layer | Literal["clusters"]) -> str:
    """The next free id of `layer` ("mentions" ... "relations", or "clusters")."""
    used: list[object]
    if layer == "clusters":
        used = [event.get("cluster") for event in _items(record, "events")]
    else:
        used = [item.get("id") for item in _items(record, layer)]
    numbers = [id_number(value) for value in used if id_number(value) != _BIG]
    return f"{PREFIXES[layer]}{max(numbers, default=0) + 1}"


def is_unannotated(record: Record) -> bool:
    """True while no layer holds a confirmed item: a fresh `add` draft, suggestions at most.

    Entities are judged by their mentions (a suggested mention brings an entity of its own)."""
    return not any(
        not item.get("suggested")
        for layer in LAYERS
        if layer != "entities"
        for item in _items(record, layer)
    )


# --- entity names (guideline 5.2) ------------------------------------------------------------


def entity_name(record: Record, entity_id: str) -> str | None:
    """The 5.2 name of an entity from its mentions, or None when it has no mention.

    A value entity is named by its span; an entity with a NAM mention by its fullest (longest)
    NAM; one with NOM and PRO mentions only by its fullest NOM without the determiner, in
    sentence case; one with pronouns only by its first pronoun, in sentence case.
    """
    mentions = [m for m in _items(record, "mentions") if m.get("entity") == entity_id]
    texts = {
        kind: [str(m.get("text", "")) for m in mentions if m.get("mention_type") == kind]
        for kind in ("NAM", "NOM", "PRO")
    }
    if not mentions:
        return None
    if mentions[0].get("label") in VALUE_LABELS:
        return str(mentions[0].get("text", "")) or None
    if texts["NAM"]:
        return max(texts["NAM"], key=len)
    if texts["NOM"]:
        return _sentence_case(_DETERMINER.sub("", max(texts["NOM"], key=len)))
    return _sentence_case(texts["PRO"][0]) if texts["PRO"] else None


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- the form ---------------------------------------------------------------------------------


def canonicalize(record: Record, *, renumber: bool = False) -> Record:
    """The record in canonical form (a new dict; the argument is not changed)."""
    out: Record = _ordered_keys(record, _top_properties())
    _name_entities(out)
    for layer in LAYERS:
        if isinstance(out.get(layer), list):
            out[layer] = _sort_layer(out, layer)
    if renumber:
        _renumber(out)  # numbers follow the order just made, so the order stays as it is
    return out


def is_canonical(record: Record) -> bool:
    """True when `canonicalize` would leave the record as it is, key order included (ids are
    never judged). Checked in place, without the copy `canonicalize` makes: validate asks
    this of every record."""
    if not _keys_in_order(record, _top_properties()):
        return False
    for entity in _items(record, "entities"):
        name = entity.get("name")
        if not (isinstance(name, str) and name.strip()) and entity_name(record, entity["id"]):
            return False
    in_order: list[Mention] | None = None  # the mentions, once they are known to be in order
    for layer in LAYERS:
        items = record.get(layer)
        if isinstance(items, list) and all(map(isinstance, items, repeat(dict))):
            if not _in_order(items, _reading_key(record, layer, in_order), layer):
                return False
            if layer == "mentions":
                in_order = _items(record, "mentions")  # sorting them again gives them as they are
    return True


# The first part of the reading key of mentions and events, as C-level getters: the offset
# where each starts (a mention's own, an event's trigger's).
_START, _TRIGGER = itemgetter("start"), itemgetter("trigger")
_STARTS: dict[str, Callable[[list[Any]], Iterable[Any]]] = {
    "mentions": lambda items: map(_START, items),
    "events": lambda items: map(_START, map(_TRIGGER, items)),
}


def _in_order(items: list[Any], key: Callable[[Any], tuple], layer: str) -> bool:
    """Whether `items` are sorted by `key`: every two neighbours in order.

    For mentions and events, whose key begins with an offset, the offsets are compared first
    without a call per item; only neighbours that start at the same offset (a span nested at
    the start of another) are compared by their whole key."""
    starts_of = _STARTS.get(layer)
    if starts_of is not None:
        try:
            starts = list(starts_of(items))
        except (KeyError, TypeError):  # a shape the full key handles (as the largest)
            starts = None
        if starts is not None and set(map(type, starts)) <= {int}:
            if not all(map(le, starts, islice(starts, 1, None))):
                return False
            tied = compress(count(), map(eq, starts, islice(starts, 1, None)))
            return all(key(items[i]) <= key(items[i + 1]) for i in tied)
    keys = list(map(key, items))
    return all(map(le, keys, islice(keys, 1, None)))


def _keys_in_order(value: Any, node: dict[str, Any]) -> bool:
    node = _resolve(node)
    if isinstance(value, dict):
        plan = _key_plan(node, tuple(value))
        if plan is None:
            return False
        for key, child in plan:
            item = value[key]
            if isinstance(item, (dict, list)) and not _keys_in_order(item, child):
                return False
        return True
    if isinstance(value, list):
        items = _resolve(node.get("items", {}))
        if not _nested(items):
            return True  # nothing below has a key order to keep
        known = _plans_of(items)
        for item in value:
            if isinstance(item, dict):  # a layer's items: their plan here, not one call each
                keys = tuple(item)
                plan = known[keys] if keys in known else _key_plan(items, keys)
                if plan is None:
                    return False
                for key, child in plan:
                    inner = item[key]
                    if isinstance(inner, (dict, list)) and not _keys_in_order(inner, child):
                        return False
            elif isinstance(item, list) and not _keys_in_order(item, items):
                return False
    return True


def _nested(node: dict[str, Any]) -> bool:
    """Whether a schema node describes objects (or lists of them) whose key order counts."""
    return bool(node.get("properties") or node.get("items"))


# (schema node, an object's keys) -> None when the keys are out of the schema's order, else
# the keys whose values have a key order of their own to check, with their nodes. Items of a
# layer share a few key sequences, so each is worked out once.
_Plan = tuple[tuple[str, dict[str, Any]], ...] | None
_KEY_PLANS: dict[int, dict[tuple[str, ...], _Plan]] = {}  # by id(node), then by keys
_PLAN_BOUND = 4096  # the plans kept in all: invalid records may bring any keys


def _plans_of(node: dict[str, Any]) -> dict[tuple[str, ...], _Plan]:
    return _KEY_PLANS.get(id(node)) or {}


def _key_plan(node: dict[str, Any], keys: tuple[str, ...]) -> _Plan:
    properties = node.get("properties")
    if not properties:
        return ()  # any keys, in any order (and no schema node to remember it by)
    known = _KEY_PLANS.setdefault(id(node), {})
    if keys in known:
        return known[keys]
    listed = [k for k in keys if k in properties]
    plan: _Plan = None
    if listed == [k for k in properties if k in keys] and not any(
        k in properties for k in keys[len(listed) :]
    ):
        children = ((k, _resolve(properties[k])) for k in listed)
        plan = tuple((k, child) for k, child in children if _nested(child))
    if sum(map(len, _KEY_PLANS.values())) < _PLAN_BOUND:
        known[keys] = plan
    return plan


def _name_entities(record: Record) -> None:
    for entity in _items(record, "entities"):
        name = entity.get("name")
        if not (isinstance(name, str) and name.strip()):
            found = entity_name(record, str(entity.get("id")))
            if found:
                entity["name"] = found


def _sort_layer(record: Record, layer: Layer) -> list[Any]:
    items = record[layer]
    if not all(isinstance(item, dict) for item in items):
        return list(items)
    return sorted(items, key=_reading_key(record, layer))


def _reading_key(
    record: Record, layer: Layer, mentions_in_order: list[Mention] | None = None
) -> Callable[[Any], tuple]:
    """The sort key of a layer's items; `mentions_in_order`: the record's mentions when they
    are known to be in reading order already (is_canonical), so they are not sorted again."""
    if layer == "mentions":
        return _mention_key
    ordered = mentions_in_order
    if ordered is None and layer in ("entities", "relations"):
        ordered = sorted(_items(record, "mentions"), key=_mention_key)
    if layer == "entities":
        first: dict[Any, int] = {}
        for mention in ordered or ():
            first.setdefault(mention.get("entity"), len(first))
        return lambda e: (first.get(e.get("id"), _BIG), id_number(e.get("id")))
    if layer == "quotes":
        return lambda q: (_quote_start(q), id_number(q.get("id")))
    if layer == "events":
        return lambda ev: (*_span_key(ev.get("trigger")), id_number(ev.get("id")))
    mention_rank = {mention.get("id"): rank for rank, mention in enumerate(ordered or ())}
    entity_rank = {e.get("id"): i for i, e in enumerate(_items(record, "entities"))}
    return lambda r: (
        sorted(mention_rank.get(m, _BIG) for m in _list(r.get("evidence"))) or [_BIG],
        entity_rank.get(r.get("head"), _BIG),
        entity_rank.get(r.get("tail"), _BIG),
        id_number(r.get("id")),
    )


def _mention_key(mention: Mention) -> tuple:
    start, end, mention_id = mention.get("start"), mention.get("end"), mention.get("id")
    return (
        start if type(start) is int else _int(start),  # the common case without a call
        -(end if type(end) is int else _int(end)),
        _id_number(mention_id) if type(mention_id) is str else id_number(mention_id),
    )


def _quote_start(quote: Quote) -> int:
    spans = [s for s in _list(quote.get("content")) if isinstance(s, dict)]
    return min((_int(s.get("start")) for s in spans), default=_BIG)


def _span_key(span: Span | None) -> tuple[int, int]:
    if not isinstance(span, dict):
        return (_BIG, 0)
    return (_int(span.get("start")), -_int(span.get("end")))


# --- ids in reading order ---------------------------------------------------------------------


def _renumber(record: Record) -> None:
    """Give every layer's ids in the order of its list (reading order, as `canonicalize`
    sorted it) and rewrite every reference to them."""
    new: dict[str, dict[Any, str]] = {}
    for layer in LAYERS:
        new[layer] = {
            item.get("id"): f"{PREFIXES[layer]}{i}"
            for i, item in enumerate(_items(record, layer), start=1)
        }
    clusters: dict[Any, str] = {}
    for event in _items(record, "events"):
        if event.get("cluster") is not None and event.get("cluster") not in clusters:
            clusters[event.get("cluster")] = f"evc{len(clusters) + 1}"

    def rename(table: dict[Any, str], value: Any) -> Any:
        return table.get(value, value) if isinstance(value, str) else value

    for layer in LAYERS:
        for item in _items(record, layer):
            item["id"] = rename(new[layer], item.get("id"))
    for mention in _items(record, "mentions"):
        mention["entity"] = rename(new["entities"], mention.get("entity"))
    for quote in _items(record, "quotes"):
        quote["source"] = rename(new["mentions"], quote.get("source"))
        quote["speaker"] = rename(new["entities"], quote.get("speaker"))
    for event in _items(record, "events"):
        for argument in _list(event.get("arguments")):
            if isinstance(argument, dict):
                argument["mention"] = rename(new["mentions"], argument.get("mention"))
        event["time"] = rename(new["mentions"], event.get("time"))
        event["cluster"] = rename(clusters, event.get("cluster"))
    for relation in _items(record, "relations"):
        relation["head"] = rename(new["entities"], relation.get("head"))
        relation["tail"] = rename(new["entities"], relation.get("tail"))
        if isinstance(relation.get("evidence"), list):
            relation["evidence"] = [rename(new["mentions"], m) for m in relation["evidence"]]


# --- key order ---------------------------------------------------------------------------------


@cache
def _top_properties() -> dict[str, Any]:
    schema = record_schema()
    return {"properties": schema.get("properties", {}), "$defs": schema.get("$defs", {})}


def _ordered_keys(value: Any, node: dict[str, Any]) -> Any:
    """A deep copy of `value` with the keys of every object in the schema's property order
    (keys the schema does not list keep their order, after the listed ones)."""
    node = _resolve(node)
    if isinstance(value, dict):
        properties = node.get("properties", {})
        keys = [k for k in properties if k in value] + [k for k in value if k not in properties]
        return {k: _ordered_keys(value[k], properties.get(k, {})) for k in keys}
    if isinstance(value, list):
        items = node.get("items", {})
        return [_ordered_keys(item, items) for item in value]
    return value


def _resolve(node: Any) -> dict[str, Any]:
    """The schema node that describes a value: its `$ref` followed, or its first `anyOf` or
    `oneOf` option with properties or items (the others are null). Memoized by node, since
    the schema is loaded once and every record walks the same nodes."""
    if not isinstance(node, dict) or not node:
        return {}  # no schema for this value (only schema nodes, which live on, are cached)
    key = id(node)
    if key not in _RESOLVED:
        _RESOLVED[key] = _resolve_node(node)
    return _RESOLVED[key]


_RESOLVED: dict[int, dict[str, Any]] = {}


def _resolve_node(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return _resolve(_top_properties()["$defs"].get(ref.rsplit("/", 1)[1], {}))
    for key in ("anyOf", "oneOf"):
        for option in node.get(key, []):
            found = _resolve(option)
            if found.get("properties") or found.get("items"):
                return found
    return node


@overload
def _items(record: Record, layer: Literal["mentions"]) -> list[Mention]: ...
@overload
def _items(record: Record, layer: Literal["entities"]) -> list[Entity]: ...
@overload
def _items(record: Record, layer: Literal["quotes"]) -> list[Quote]: ...
@overload
def _items(record: Record, layer: Literal["events"]) -> list[Event]: ...
@overload
def _items(record: Record, layer: Literal["relations"]) -> list[Relation]: ...
@overload
def _items(record: Record, layer: Layer) -> list[Item]: ...
def _items(record: Record, layer: Layer) -> list[Any]:
    """The items of a layer that are objects (a record whose shape is broken may hold
    others, and is still laid out)."""
    return [item for item in _list(record.get(layer)) if isinstance(item, dict)]


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else _BIG
