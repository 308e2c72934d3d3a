"""One Label Studio annotation to record layers, keeping the ids of the record it corrects.

An item keeps its id when its region keeps the record's id (Label Studio keeps the region ids
of the predictions it was given) or, failing that, sits on the same offsets; anything new gets
the next free number. Values an export does not carry (JSON_MIN has no links, no per-region
values) come from the matched item of the record, so nothing is invented and nothing dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ...findings import Finding
from ...labels import (
    ENTITY_LABELS,
    EVENT_TYPES,
    MENTION_TYPES,
    MODALITIES,
    QUOTE_TYPES,
    RELATION_TYPES,
    ROLES,
    TOPICS,
)
from .config import (
    CONTINUES,
    COUNTRIES_TAG,
    CUE,
    CUE_LINK,
    ENTITY_KEY,
    EVENT,
    EVENT_CLUSTER,
    MENTION,
    MENTION_TYPE,
    MODALITY,
    QUOTE,
    SOURCE,
    SPEAKER_KEY,
    TIME,
    TOPICS_TAG,
)
from .reader import Annotation, Link, SpanRegion
from .tasks import relation_links

_ID = re.compile(r"^([a-z]+)([0-9]+)(?:-[0-9a-z]+)?$")


class Numbering:
    """Ids of one kind (m, e, ev, evc, q, r): the record's own, then the next free numbers."""

    def __init__(self, prefix: str, taken: set[str]) -> None:
        self.prefix, self.used = prefix, set()
        self.next = 1 + max(
            (int(m.group(2)) for i in taken if (m := _ID.match(i)) and m.group(1) == prefix),
            default=0,
        )
        self.known = taken

    def claim(self, *candidates: str | None) -> str | None:
        for candidate in candidates:
            if candidate in self.known and candidate not in self.used:
                self.used.add(candidate)
                return candidate
        return None

    def new(self) -> str:
        ident = f"{self.prefix}{self.next}"
        self.next += 1
        self.used.add(ident)
        return ident


def _first(values: list[str] | None) -> str | None:
    if not values:
        return None
    text = values[0].strip()
    return text or None


@dataclass
class _Build:
    text: str
    base: dict[str, Any]
    annotation: Annotation
    problem: Any  # callable(code, where, message, hint) -> Finding
    findings: list[Finding] = field(default_factory=list)
    by_key: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    entity_of_key: dict[str, str] = field(default_factory=dict)  # typed key -> entity id

    def attribute(self, key: str, name: str) -> str | None:
        return _first(self.annotation.attributes.get((key, name)))

    def regions(self, tag: str) -> list[SpanRegion]:
        return sorted(
            (r for r in self.annotation.regions if r.tag == tag), key=lambda r: (r.start, r.end)
        )

    def fail(self, code: str, where: str, message: str, hint: str) -> None:
        self.findings.append(self.problem(code, where, message, hint))


def _match(
    numbering: Numbering, key: str, offsets: dict[tuple[int, int], str], start: int, end: int
) -> str:
    return numbering.claim(key, offsets.get((start, end))) or numbering.new()


def build_mentions(b: _Build) -> list[dict[str, Any]]:
    base = {m["id"]: m for m in b.base["mentions"]}
    at = {(m["start"], m["end"]): m["id"] for m in b.base["mentions"]}
    numbering = Numbering("m", set(base))
    out = []
    for region in b.regions(MENTION):
        if region.label not in ENTITY_LABELS:
            b.fail(
                "import-unknown-label",
                region.where + "/value/labels",
                f"{region.label!r} is not an entity label.",
                f"use one of {', '.join(ENTITY_LABELS)}",
            )
            continue
        ident = _match(numbering, region.key, at, region.start, region.end)
        old = base.get(ident, {})
        kind = b.attribute(region.key, MENTION_TYPE) or old.get("mention_type") or "NAM"
        if kind not in MENTION_TYPES:
            b.fail(
                "import-unknown-label",
                region.where,
                f"mention type {kind!r} is unknown.",
                f"choose one of {', '.join(MENTION_TYPES)}",
            )
            continue
        key = b.attribute(region.key, ENTITY_KEY) or old.get("entity")
        mention = {
            "id": ident,
            "start": region.start,
            "end": region.end,
            "text": b.text[region.start : region.end],
            "label": region.label,
            "mention_type": kind,
            "entity": key,
        }
        b.by_key[region.key] = (MENTION, mention)
        out.append(mention)
    return _in_base_order(out, b.base["mentions"])


def _in_base_order(items: list[dict[str, Any]], base: list[dict[str, Any]]) -> list[dict[str, Any]]:
    order = {item["id"]: i for i, item in enumerate(base)}
    kept = sorted((i for i in items if i["id"] in order), key=lambda i: order[i["id"]])
    return kept + [i for i in items if i["id"] not in order]


def build_entities(b: _Build, mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Coreference: mentions with the same entity key are one entity; keyless ones cluster by
    label and surface form, as for tools without coreference."""
    base = {e["id"]: e for e in b.base["entities"]}
    numbering = Numbering("e", set(base))
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for mention in sorted(mentions, key=lambda m: (m["start"], m["end"])):
        key = mention["entity"]
        groups[("key", key) if key else ("form", mention["label"], mention["text"])].append(mention)
    entities = []
    for group, members in groups.items():
        ident = numbering.claim(group[1] if group[0] == "key" else None) or numbering.new()
        named = [m for m in members if m["mention_type"] == "NAM"]
        entity = {
            "id": ident,
            "label": members[0]["label"],
            "name": base[ident]["name"] if ident in base else (named or members)[0]["text"],
        }
        if ident in base and "kb" in base[ident]:
            entity["kb"] = base[ident]["kb"]
        for mention in members:
            mention["entity"] = ident
        if group[0] == "key":
            b.entity_of_key[group[1]] = ident
        entities.append(entity)
    return _in_base_order(entities, b.base["entities"])


# The relation labels that may start at a region of each span tag.
_LINKS_FROM = {
    MENTION: RELATION_TYPES,
    EVENT: (*ROLES, TIME),
    QUOTE: (SOURCE, CUE_LINK, CONTINUES),
    CUE: (),
}


def check_links(b: _Build) -> None:
    """Keep the links whose label fits the region they start at; the others are findings."""
    kept = []
    for link in b.annotation.links:
        tag = next((r.tag for r in b.annotation.regions if r.key == link.source), None)
        if tag is None:
            b.fail(
                "import-reference-unresolved",
                link.where,
                f"the {link.label!r} relation starts at region {link.source!r}, which is "
                "not an imported region.",
                "draw relations between labelled regions",
            )
        elif link.label not in _LINKS_FROM[tag]:
            allowed = ", ".join(_LINKS_FROM[tag]) or "nothing"
            b.fail(
                "import-unknown-label",
                link.where + "/labels",
                f"a {link.label!r} relation cannot start at a {tag} region.",
                f"from a {tag}, draw {allowed}",
            )
        else:
            kept.append(link)
    b.annotation.links = kept


def _targets(b: _Build, source_key: str) -> list[Link]:
    return [link for link in b.annotation.links if link.source == source_key]


def _linked(b: _Build, link: Link, tag: str) -> dict[str, Any] | None:
    found = b.by_key.get(link.target)
    if found is None or found[0] != tag:
        b.fail(
            "import-reference-unresolved",
            link.where,
            f"the {link.label!r} relation points at region {link.target!r}, which is not "
            f"an imported {tag}.",
            f"draw it to a {tag} region",
        )
        return None
    return found[1]


def build_events(b: _Build, mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    base = {e["id"]: e for e in b.base["events"]}
    at = {(e["trigger"]["start"], e["trigger"]["end"]): e["id"] for e in b.base["events"]}
    numbering = Numbering("ev", set(base))
    clusters = Numbering("evc", {e["cluster"] for e in b.base["events"]})
    new_cluster: dict[str, str] = {}
    mention_ids = {m["id"] for m in mentions}
    out = []
    for region in b.regions(EVENT):
        if region.label not in EVENT_TYPES:
            b.fail(
                "import-unknown-label",
                region.where + "/value/labels",
                f"{region.label!r} is not an event type.",
                f"use one of {', '.join(EVENT_TYPES)}",
            )
            continue
        ident = _match(numbering, region.key, at, region.start, region.end)
        old = base.get(ident)
        modality = b.attribute(region.key, MODALITY) or (old or {}).get("modality") or "asserted"
        if modality not in MODALITIES:
            b.fail(
                "import-unknown-label",
                region.where,
                f"modality {modality!r} is unknown.",
                f"choose one of {', '.join(MODALITIES)}",
            )
            continue
        key = b.attribute(region.key, EVENT_CLUSTER) or (old or {}).get("cluster")
        if key in clusters.known:
            cluster = key
        else:
            cluster = new_cluster.setdefault(key, clusters.new()) if key else clusters.new()
        arguments, time = _event_links(b, region, old, mention_ids)
        event = {
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
    return _in_base_order(out, b.base["events"])


def _event_links(
    b: _Build, region: SpanRegion, old: dict[str, Any] | None, mention_ids: set[str]
) -> tuple[list[dict[str, str]], str | None]:
    if not b.annotation.carries_links:
        if old is None:
            return [], None
        kept = [a for a in old["arguments"] if a["mention"] in mention_ids]
        return kept, old["time"] if old["time"] in mention_ids else None
    arguments: list[dict[str, str]] = []
    time = None
    for link in _targets(b, region.key):
        mention = _linked(b, link, MENTION)
        if mention is None:
            continue
        if link.label == TIME:
            time = mention["id"]
        else:
            arguments.append({"role": link.label, "mention": mention["id"]})
    if old is not None and _same_set(arguments, old["arguments"]):
        arguments = list(old["arguments"])
    return arguments, time


def _same_set(a: list[Any], b: list[Any]) -> bool:
    return len(a) == len(b) and all(x in b for x in a) and all(y in a for y in b)


def build_quotes(b: _Build) -> list[dict[str, Any]]:
    """Quote parts joined by `continues` links become one quote, in text order."""
    parts = [r for r in b.regions(QUOTE) if _known(b, r, QUOTE_TYPES, "quote type")]
    cues = {r.key: r for r in b.regions(CUE)}
    parent = {r.key: r.key for r in parts}
    for link in b.annotation.links:
        if link.label == CONTINUES and link.source in parent and link.target in parent:
            parent[_root(parent, link.target)] = _root(parent, link.source)
    groups: dict[str, list[SpanRegion]] = defaultdict(list)
    for region in parts:
        groups[_root(parent, region.key)].append(region)
    base = {q["id"]: q for q in b.base["quotes"]}
    at = {(q["content"][0]["start"], q["content"][0]["end"]): q["id"] for q in b.base["quotes"]}
    numbering = Numbering("q", set(base))
    if not b.annotation.carries_links:
        return _min_quotes(b, parts, cues)
    out = []
    for members in sorted(groups.values(), key=lambda g: (g[0].start, g[0].end)):
        stems = [m.group(1) + m.group(2) for r in members if (m := _ID.match(r.key))]
        ident = (
            numbering.claim(*stems)
            or numbering.claim(at.get((members[0].start, members[0].end)))
            or numbering.new()
        )
        out.append(_quote(b, ident, members, cues))
    linked = {link.target for link in b.annotation.links if link.label == CUE_LINK}
    for key, region in cues.items():
        if key not in linked:
            b.fail(
                "import-reference-unresolved",
                region.where,
                "a cue that no quote links to.",
                f"draw a {CUE_LINK} relation from its quote",
            )
    return _in_base_order(out, b.base["quotes"])


def _known(b: _Build, region: SpanRegion, allowed: tuple[str, ...], what: str) -> bool:
    if region.label in allowed:
        return True
    b.fail(
        "import-unknown-label",
        region.where + "/value/labels",
        f"{region.label!r} is not a {what}.",
        f"use one of {', '.join(allowed)}",
    )
    return False


def _root(parent: dict[str, str], key: str) -> str:
    while parent[key] != key:
        key = parent[key]
    return key


def _quote(
    b: _Build, ident: str, members: list[SpanRegion], cues: dict[str, SpanRegion]
) -> dict[str, Any]:
    types = {r.label for r in members}
    if len(types) > 1:
        b.fail(
            "import-unknown-label",
            members[1].where,
            f"the parts of one quote are labelled {sorted(types)}.",
            "give every part of a quote the same quote type",
        )
    cue = source = speaker = None
    for region in members:
        for link in _targets(b, region.key):
            if link.label == CUE_LINK and link.target in cues:
                r = cues[link.target]
                cue = {"start": r.start, "end": r.end, "text": b.text[r.start : r.end]}
            elif link.label == SOURCE:
                mention = _linked(b, link, MENTION)
                source = mention["id"] if mention else None
                speaker = mention["entity"] if mention else None
        key = b.attribute(region.key, SPEAKER_KEY)
        if speaker is None and key is not None:
            speaker = _entity_for_key(b, key, region)
    return {
        "id": ident,
        "type": members[0].label,
        "content": [
            {"start": r.start, "end": r.end, "text": b.text[r.start : r.end]} for r in members
        ],
        "cue": cue,
        "source": source,
        "speaker": speaker,
    }


def _entity_for_key(b: _Build, key: str, region: SpanRegion) -> str | None:
    if key in b.entity_of_key:
        return b.entity_of_key[key]
    b.fail(
        "import-reference-unresolved",
        region.where,
        f"the speaker {key!r} is no entity of an imported mention.",
        "type the entity id of one of the speaker's mentions",
    )
    return None


def _min_quotes(
    b: _Build, parts: list[SpanRegion], cues: dict[str, SpanRegion]
) -> list[dict[str, Any]]:
    """Without links (JSON_MIN), a quote whose parts and cue are all still drawn stays whole;
    other quote regions become one-part quotes with no cue or source."""
    spans = {(r.start, r.end): r for r in parts}
    cue_spans = {(r.start, r.end) for r in cues.values()}
    mention_ids = {item["id"] for tag, item in b.by_key.values() if tag == MENTION}
    numbering = Numbering("q", {q["id"] for q in b.base["quotes"]})
    out, used = [], set()
    for quote in b.base["quotes"]:
        keys = [(c["start"], c["end"]) for c in quote["content"]]
        cue = quote["cue"]
        if all(k in spans for k in keys) and (
            cue is None or (cue["start"], cue["end"]) in cue_spans
        ):
            kept = dict(quote, type=spans[keys[0]].label)
            if kept["source"] not in mention_ids:
                kept["source"] = kept["speaker"] = None
            out.append(kept)
            numbering.claim(quote["id"])
            used.update(keys)
    for region in parts:
        if (region.start, region.end) not in used:
            out.append(
                {
                    "id": numbering.new(),
                    "type": region.label,
                    "content": [
                        {
                            "start": region.start,
                            "end": region.end,
                            "text": b.text[region.start : region.end],
                        }
                    ],
                    "cue": None,
                    "source": None,
                    "speaker": None,
                }
            )
    return out


def build_relations(b: _Build, mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
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
        head, tail = _mention_at(b, link.source, link), _mention_at(b, link.target, link)
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


def _mention_at(b: _Build, key: str, link: Link) -> dict[str, Any] | None:
    found = b.by_key.get(key)
    if found is None or found[0] != MENTION:
        b.fail(
            "import-reference-unresolved",
            link.where,
            f"the {link.label} relation links region {key!r}, which is not an imported mention.",
            "draw entity relations between two mentions",
        )
        return None
    return found[1]


def _relations_from_pairs(
    b: _Build,
    pairs: dict[tuple[str, str, str], list[tuple[str, str]]],
    mentions: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    base = {(r["type"], r["head"], r["tail"]): r for r in b.base["relations"]}
    numbering = Numbering("r", {r["id"] for r in b.base["relations"]})
    out = []
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
    return _in_base_order(out, b.base["relations"])


def build_labels(b: _Build) -> dict[str, list[str]]:
    """Topics and countries; an annotation with neither (a project made with another config)
    keeps the record's."""
    if TOPICS_TAG not in b.annotation.document and COUNTRIES_TAG not in b.annotation.document:
        return dict(b.base["labels"])
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
    text: str, base: dict[str, Any], annotation: Annotation, problem: Any
) -> tuple[dict[str, Any], list[Finding]]:
    """Every layer of `annotation`, with ids kept from `base`, and the findings."""
    b = _Build(text, base, annotation, problem)
    check_links(b)
    mentions = build_mentions(b)
    entities = build_entities(b, mentions)
    events = build_events(b, mentions)
    quotes = build_quotes(b)
    relations = build_relations(b, mentions)
    layers = {
        "mentions": mentions,
        "entities": entities,
        "quotes": quotes,
        "events": events,
        "relations": relations,
        "labels": build_labels(b),
    }
    return layers, b.findings
