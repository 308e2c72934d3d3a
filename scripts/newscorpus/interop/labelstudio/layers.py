"""One Label Studio annotation to record layers, keeping the ids of the record it corrects.

An item keeps its id when its region keeps the record's id (Label Studio keeps the region ids
of the predictions it was given) or, failing that, sits on the same offsets; anything new gets
the next free number. Values an export does not carry (JSON_MIN has no links, no per-region
values) come from the matched item of the record, so nothing is invented and nothing dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ...findings import Finding, Findings
from ...labels import ENTITY_LABELS, EVENT_TYPES, MENTION_TYPES, MODALITIES, RELATION_TYPES, TOPICS
from ...model import Argument, Entity, Event, Labels, Layers, Mention, Record, Relation
from .config import (
    COUNTRIES_TAG,
    ENTITY_KEY,
    ENTITY_NAME,
    EVENT,
    EVENT_CLUSTER,
    MENTION,
    MENTION_TYPE,
    MODALITY,
    TIME,
    TOPICS_TAG,
)
from .context import (
    Build,
    Numbering,
    check_links,
    in_base_order,
    known,
    linked_mention,
    match,
    same_set,
    targets,
)
from .quotes import build_quotes
from .reader import Annotation, SpanRegion
from .tasks import named_mentions, relation_links


def build_mentions(b: Build) -> list[Mention]:
    base = {m["id"]: m for m in b.base["mentions"]}
    at = {(m["start"], m["end"]): m["id"] for m in b.base["mentions"]}
    numbering = Numbering("m", set(base))
    out = []
    for region in b.regions(MENTION):
        if not known(b, region, ENTITY_LABELS, "an entity label"):
            continue
        ident = match(numbering, region.key, at, region.start, region.end)
        old = base.get(ident)
        kind = b.attribute(region.key, MENTION_TYPE) or (old and old["mention_type"]) or "NAM"
        if kind not in MENTION_TYPES:
            b.fail(
                "import-unknown-label",
                region.where,
                f"mention type {kind!r} is unknown.",
                f"choose one of {', '.join(MENTION_TYPES)}",
            )
            continue
        # no key: the mention joins the others of its label and form (build_entities)
        key = b.attribute(region.key, ENTITY_KEY) or (old and old["entity"]) or ""
        mention: Mention = {
            "id": ident,
            "start": region.start,
            "end": region.end,
            "text": b.text[region.start : region.end],
            "label": region.label,
            "mention_type": kind,
            "entity": key,
        }
        b.by_key[region.key] = (MENTION, mention)
        name = b.attribute(region.key, ENTITY_NAME)
        if name is not None:
            b.typed_names[ident] = name
        out.append(mention)
    return in_base_order(out, b.base["mentions"])


def build_entities(b: Build, mentions: list[Mention]) -> list[Entity]:
    """Coreference: mentions with the same entity key are one entity; keyless ones cluster by
    label and surface form, as for tools without coreference."""
    base = {e["id"]: e for e in b.base["entities"]}
    numbering = Numbering("e", set(base))
    groups: dict[tuple[str, ...], list[Mention]] = defaultdict(list)
    for mention in sorted(mentions, key=lambda m: (m["start"], m["end"])):
        key = mention["entity"]
        groups[("key", key) if key else ("form", mention["label"], mention["text"])].append(mention)
    entities = []
    for group, members in groups.items():
        ident = numbering.claim(group[1] if group[0] == "key" else None) or numbering.new()
        entity: Entity = {
            "id": ident,
            "label": members[0]["label"],
            "name": _entity_name(b, ident, members, base),
        }
        if ident in base and "kb" in base[ident]:
            entity["kb"] = base[ident]["kb"]
        for mention in members:
            mention["entity"] = ident
        if group[0] == "key":
            b.entity_of_key[group[1]] = ident
        entities.append(entity)
    return in_base_order(entities, b.base["entities"])


def _entity_name(b: Build, ident: str, members: list[Mention], base: dict[str, Entity]) -> str:
    """A name typed on a mention (one the export did not put there), else the record's name;
    none ("") for a new entity, which the canonical form names by guideline 5.2."""
    shown = named_mentions(b.base) if b.annotation.carries_links else {}
    typed = [
        b.typed_names[m["id"]]
        for m in members
        if m["id"] in b.typed_names and b.typed_names[m["id"]] != shown.get(m["id"])
    ]
    if len(set(typed)) > 1:
        b.fail(
            "import-entity-name-conflict",
            "",
            f"the mentions of entity {ident} are given the names {sorted(set(typed))}; "
            f"{typed[0]!r}, the first in the text, is kept.",
            "type one name, on one mention of the entity",
        )
    if typed:
        return typed[0]
    return base[ident]["name"] if ident in base else ""


def build_events(b: Build, mentions: list[Mention]) -> list[Event]:
    base = {e["id"]: e for e in b.base["events"]}
    at = {(e["trigger"]["start"], e["trigger"]["end"]): e["id"] for e in b.base["events"]}
    numbering = Numbering("ev", set(base))
    clusters = Numbering("evc", {e["cluster"] for e in b.base["events"]})
    new_cluster: dict[str, str] = {}
    mention_ids = {m["id"] for m in mentions}
    out = []
    for region in b.regions(EVENT):
        if not known(b, region, EVENT_TYPES, "an event type"):
            continue
        ident = match(numbering, region.key, at, region.start, region.end)
        old = base.get(ident)
        modality = b.attribute(region.key, MODALITY) or (old and old["modality"]) or "asserted"
        if modality not in MODALITIES:
            b.fail(
                "import-unknown-label",
                region.where,
                f"modality {modality!r} is unknown.",
                f"choose one of {', '.join(MODALITIES)}",
            )
            continue
        key = b.attribute(region.key, EVENT_CLUSTER) or (old and old["cluster"])
        if key in clusters.known:
            cluster = key
        else:
            cluster = new_cluster.setdefault(key, clusters.new()) if key else clusters.new()
        arguments, time = _event_links(b, region, old, mention_ids)
        event: Event = {
            "id": ident,
            "type": region.label,
            "trigger": {
                "start": region.start,
                "end": region.end,
                "text": b.text[region.start : region.end],
            },
            "modality": modality,
            "arguments": arguments,
            "time": time,
            "cluster": cluster,
        }
        b.by_key[region.key] = (EVENT, event)
        out.append(event)
    return in_base_order(out, b.base["events"])


def _event_links(
    b: Build, region: SpanRegion, old: Event | None, mention_ids: set[str]
) -> tuple[list[Argument], str | None]:
    if not b.annotation.carries_links:
        if old is None:
            return [], None
        kept = [a for a in old["arguments"] if a["mention"] in mention_ids]
        return kept, old["time"] if old["time"] in mention_ids else None
    arguments: list[Argument] = []
    time = None
    for link in targets(b, region.key):
        mention = linked_mention(b, link.target, link)
        if mention is None:
            continue
        if link.label == TIME:
            time = mention["id"]
        else:
            arguments.append({"role": link.label, "mention": mention["id"]})
    if old is not None and same_set(arguments, old["arguments"]):
        arguments = list(old["arguments"])
    return arguments, time


def build_relations(b: Build, mentions: list[Mention]) -> list[Relation]:
    if not b.annotation.carries_links:
        entity_of = {m["id"]: m["entity"] for m in mentions}
        return [
            r
            for r in b.base["relations"]
            if all(m in entity_of for m in r["evidence"])
            and {entity_of[m] for m in r["evidence"]} <= {r["head"], r["tail"]}
        ]
    pairs: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for link in b.annotation.links:
        if link.label not in RELATION_TYPES:
            continue
        head, tail = linked_mention(b, link.source, link), linked_mention(b, link.target, link)
        if head is None or tail is None:
            continue
        if link.direction == "bi":
            b.fail(
                "import-relation-direction",
                link.where + "/direction",
                f"the {link.label} relation is drawn both ways, but {link.label} has a head "
                "and a tail.",
                "click the relation's direction until it points from head to tail",
            )
            continue
        pairs[(link.label, head["entity"], tail["entity"])].append((head["id"], tail["id"]))
    return _relations_from_pairs(b, pairs, {m["id"]: m for m in mentions})


def _relations_from_pairs(
    b: Build,
    pairs: dict[tuple[str, str, str], list[tuple[str, str]]],
    mentions: dict[str, Mention],
) -> list[Relation]:
    base = {(r["type"], r["head"], r["tail"]): r for r in b.base["relations"]}
    numbering = Numbering("r", {r["id"] for r in b.base["relations"]})
    out: list[Relation] = []
    for key, drawn in pairs.items():
        old = base.get(key)
        if old is not None and sorted(drawn) == sorted(relation_links(b.base, old)):
            evidence = list(old["evidence"])
        else:
            ends = {m for pair in drawn for m in pair}
            evidence = sorted(ends, key=lambda m: (mentions[m]["start"], mentions[m]["end"]))
        ident = numbering.claim(old["id"] if old else None) or numbering.new()
        out.append(
            {"id": ident, "type": key[0], "head": key[1], "tail": key[2], "evidence": evidence}
        )
    return in_base_order(out, b.base["relations"])


def build_labels(b: Build) -> Labels:
    """Topics and countries; an annotation with neither (a project made with another config)
    keeps the record's."""
    if TOPICS_TAG not in b.annotation.document and COUNTRIES_TAG not in b.annotation.document:
        return b.base["labels"].copy()
    topics = b.annotation.document.get(TOPICS_TAG, [])
    unknown = [t for t in topics if t not in TOPICS]
    if unknown:
        b.fail(
            "import-unknown-label",
            "",
            f"topics {unknown} are not in the inventory.",
            f"choose among {', '.join(TOPICS)}",
        )
    countries: list[str] = []
    for line in b.annotation.document.get(COUNTRIES_TAG, []):
        for code in re.split(r"[\s,;]+", line.strip()):
            if code and code.upper() not in countries:
                countries.append(code.upper())
    bad = [c for c in countries if not re.fullmatch(r"[A-Z]{2}", c)]
    if bad:
        b.fail(
            "import-unknown-label",
            "",
            f"countries {bad} are not ISO 3166 alpha-2 codes.",
            "type two-letter codes such as PK or GB",
        )
    return {
        "topics": [t for t in topics if t in TOPICS],
        "countries": [c for c in countries if c not in bad],
    }


def annotation_layers(
    text: str, base: Record, annotation: Annotation, findings: Findings
) -> tuple[Layers, list[Finding]]:
    """Every layer of `annotation`, with ids kept from `base`; its findings go to `findings`."""
    b = Build(text, base, annotation, findings)
    check_links(b)
    mentions = build_mentions(b)
    entities = build_entities(b, mentions)
    events = build_events(b, mentions)
    quotes = build_quotes(b)
    relations = build_relations(b, mentions)
    layers: Layers = {
        "mentions": mentions,
        "entities": entities,
        "quotes": quotes,
        "events": events,
        "relations": relations,
        "labels": build_labels(b),
    }
    return layers, b.findings
