"""Quotes from a Label Studio annotation: parts joined by `continues`, a cue and a source
linked from the quote, the speaker from the source mention (or a typed entity key).

The `cue` link goes to a `cue` region, or to the event whose trigger is the cue; a quote linked
to a cue event and to no source takes the event's speaker or agent as its source."""

from __future__ import annotations

from collections import defaultdict

from ...labels import QUOTE_TYPES
from ...model import Event, Quote, Span
from .config import CONTINUES, CUE, CUE_LINK, EVENT, QUOTE, SOURCE, SPEAKER_KEY
from .context import (
    ITEM_ID,
    Build,
    Numbering,
    drawn_mentions,
    in_base_order,
    known,
    linked_event,
    linked_mention,
    targets,
)
from .reader import SpanRegion
from .tasks import implied_source


def build_quotes(b: Build) -> list[Quote]:
    """Quote parts joined by `continues` links become one quote, in text order."""
    parts = [r for r in b.regions(QUOTE) if known(b, r, QUOTE_TYPES, "a quote type")]
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
    out: list[Quote] = []
    for members in sorted(groups.values(), key=lambda g: (g[0].start, g[0].end)):
        stems = [m.group(1) + m.group(2) for r in members if (m := ITEM_ID.match(r.key))]
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
    return in_base_order(out, b.base["quotes"])


def _root(parent: dict[str, str], key: str) -> str:
    while parent[key] != key:
        key = parent[key]
    return key


def _quote(b: Build, ident: str, members: list[SpanRegion], cues: dict[str, SpanRegion]) -> Quote:
    types = {r.label for r in members}
    if len(types) > 1:
        b.fail(
            "import-unknown-label",
            members[1].where,
            f"the parts of one quote are labelled {sorted(types)}.",
            "give every part of a quote the same quote type",
        )
    cue: Span | None = None
    source: str | None = None
    speaker: str | None = None
    event: Event | None = None
    linked_source = False
    for region in members:
        for link in targets(b, region.key):
            if link.label == CUE_LINK and link.target in cues:
                r = cues[link.target]
                cue = {"start": r.start, "end": r.end, "text": b.text[r.start : r.end]}
            elif link.label == CUE_LINK:
                event = linked_event(b, link.target, link)
                cue = event["trigger"].copy() if event else cue
            elif link.label == SOURCE:
                linked_source = True
                mention = linked_mention(b, link.target, link)
                source = mention["id"] if mention else None
                speaker = mention["entity"] if mention else None
    implied = implied_source(event) if event is not None else None
    if not linked_source and implied is not None:
        mentions = {item["id"]: item for item in drawn_mentions(b)}
        source = implied
        speaker = mentions[source]["entity"] if source in mentions else None
    for region in members:
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


def _entity_for_key(b: Build, key: str, region: SpanRegion) -> str | None:
    if key in b.entity_of_key:
        return b.entity_of_key[key]
    b.fail(
        "import-reference-unresolved",
        region.where,
        f"the speaker {key!r} is no entity of an imported mention.",
        "type the entity id of one of the speaker's mentions",
    )
    return None


def _min_quotes(b: Build, parts: list[SpanRegion], cues: dict[str, SpanRegion]) -> list[Quote]:
    """Without links (JSON_MIN), a quote whose parts and cue (a cue region, or the event on the
    cue) are all still drawn stays whole; other quote regions become one-part quotes with no
    cue or source."""
    spans = {(r.start, r.end): r for r in parts}
    cue_spans = {(r.start, r.end) for r in [*cues.values(), *b.regions(EVENT)]}
    mention_ids = {item["id"] for item in drawn_mentions(b)}
    numbering = Numbering("q", {q["id"] for q in b.base["quotes"]})
    out: list[Quote] = []
    used: set[tuple[int, int]] = set()
    for quote in b.base["quotes"]:
        keys = [(c["start"], c["end"]) for c in quote["content"]]
        cue = quote["cue"]
        if all(k in spans for k in keys) and (
            cue is None or (cue["start"], cue["end"]) in cue_spans
        ):
            kept: Quote = {**quote, "type": spans[keys[0]].label}
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
