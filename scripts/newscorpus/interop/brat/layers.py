"""An .ann file's annotations made into record layers, each checked against the inventory.

What a curator adds in brat gets defaults (see the package docstring); a finding names each
annotation that cannot be carried over, and the rest is imported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TypedDict

from ...labels import (
    ENTITY_LABELS,
    EVENT_TYPES,
    MENTION_TYPES,
    MODALITIES,
    QUOTE_TYPES,
    RELATION_TYPES,
)
from ...model import Argument, Event, Mention, Quote, Record, Relation, Span
from ..common import Drawn, number
from .clusters import clusters
from .parse import Problems, TextBound, parse
from .vocab import (
    CORPUS_DB,
    CUE,
    CUE_LINK,
    EVIDENCE_NOTE,
    MENTION_TYPE,
    MODALITY,
    QUOTE,
    QUOTE_TYPE,
    SOURCE_LINK,
    SUGGESTED,
    TIME_ROLE,
)


class _Unclustered(TypedDict):
    """An event as its E line states it, before its cluster is known; `trigger` is None when
    the trigger cannot be imported (a finding says why)."""

    id: str
    type: str
    trigger: Span | None
    modality: str
    arguments: list[Argument]
    time: str | None


def ann_to_layers(ann: str, record: Record, out: Problems) -> Drawn:
    reader = _Layers(ann, record, out)
    entities = clusters(reader.parsed, reader.mention_of, out)  # sets each mention's entity
    events = reader.events()
    relations = reader.relations()
    return {
        "mentions": reader.mentions,
        "entities": entities,
        "quotes": reader.quotes(),
        "events": events,
        "relations": relations,
    }


class _Layers:
    """The parsed .ann of one record, with its attributes and mentions resolved."""

    def __init__(self, ann: str, record: Record, out: Problems) -> None:
        self.text, self.out = record["text"], out
        passages = [(p["start"], p["end"]) for p in record["passages"]]
        self.parsed = parse(ann, self.text, passages, out)
        self.bounds = self.parsed.text_bounds
        self.attributes = self._attributes()
        self.mention_of: dict[str, Mention] = {}
        self.mentions = self._mentions()

    def span(self, tb: TextBound) -> Span | None:
        if len(tb.spans) != 1:
            self.out.add(
                "import-span-discontinuous",
                tb.line,
                f"{tb.tid} ({tb.kind}) has {len(tb.spans)} separate fragments.",
                "a mention, trigger or cue is one "
                "continuous span: split it into several annotations",
            )
            return None
        start, end = tb.spans[0]
        return {"start": start, "end": end, "text": self.text[start:end]}

    def mention_ref(self, tid: str, line: int, what: str) -> Mention | None:
        if tid in self.mention_of:
            return self.mention_of[tid]
        self.out.add(
            "import-reference-unresolved",
            line,
            f"{what} refers to {tid}, which is not an imported mention.",
            "point it at an entity-labelled T annotation",
        )
        return None

    def unknown(self, line: int, message: str, hint: str) -> None:
        self.out.add("import-unknown-label", line, message, hint)

    def _attributes(self) -> dict[str, dict[str, str | None]]:
        attributes: dict[str, dict[str, str | None]] = defaultdict(dict)
        for name, target, value, line in self.parsed.attributes:
            if name not in (MENTION_TYPE, SUGGESTED, QUOTE_TYPE, MODALITY):
                self.unknown(
                    line,
                    f"unknown attribute {name!r}.",
                    f"use {MENTION_TYPE}, {SUGGESTED}, {QUOTE_TYPE} or {MODALITY}",
                )
                continue
            attributes[target][name] = value
        return attributes

    def _mentions(self) -> list[Mention]:
        mentions: list[Mention] = []
        for tid, tb in sorted(self.bounds.items(), key=lambda kv: number(kv[0])):
            if tb.kind not in ENTITY_LABELS:
                if tb.kind not in EVENT_TYPES and tb.kind not in (QUOTE, CUE):
                    self.unknown(
                        tb.line,
                        f"{tid} has the label {tb.kind!r}.",
                        "use an entity label or event type from schema/labels.json",
                    )
                continue
            place = self.span(tb)
            if place is None:
                continue
            kind = self.attributes[tid].get(MENTION_TYPE) or "NAM"
            if kind not in MENTION_TYPES:
                self.unknown(
                    tb.line,
                    f"{tid} has mention type {kind!r}.",
                    f"use one of {', '.join(MENTION_TYPES)}",
                )
                continue
            mention: Mention = {
                "id": f"m{number(tid)}",
                "start": place["start"],
                "end": place["end"],
                "text": place["text"],
                "label": tb.kind,
                "mention_type": kind,
                "entity": "",  # set by clusters()
            }
            if SUGGESTED in self.attributes[tid]:
                mention["suggested"] = True
            mentions.append(mention)
            self.mention_of[tid] = mention
        return mentions

    def events(self) -> list[Event]:
        norms = self.parsed.norms
        cluster_of = {t: key for t, db, key, _, _ in norms if db == CORPUS_DB and t.startswith("E")}
        used = [number(c) for c in cluster_of.values() if re.fullmatch(r"evc[0-9]+", c)]
        next_cluster = max(used, default=0)
        events: list[Event] = []
        for eid, kind, trigger_id, args, line in sorted(
            self.parsed.events, key=lambda e: number(e[0])
        ):
            event = self._event(eid, kind, trigger_id, args, line)
            if event is None:
                continue
            cluster = cluster_of.get(eid)
            if cluster is None:
                next_cluster += 1
                cluster = f"evc{next_cluster}"
            trigger = event["trigger"]
            if trigger is not None:
                events.append({**event, "trigger": trigger, "cluster": cluster})
        return events

    def _event(
        self, eid: str, kind: str, trigger_id: str, args: list[tuple[str, str]], line: int
    ) -> _Unclustered | None:
        """The event without its cluster, or None when it cannot be imported at all."""
        trigger_tb = self.bounds.get(trigger_id)
        if kind not in EVENT_TYPES:
            self.unknown(
                line,
                f"{eid} has the event type {kind!r}.",
                "use an event type from schema/labels.json",
            )
            return None
        if trigger_tb is None or trigger_tb.kind != kind:
            self.out.add(
                "import-reference-unresolved",
                line,
                f"{eid} has no {kind} trigger {trigger_id}.",
                "give the event a text-bound trigger of its own type",
            )
            return None
        trigger = self.span(trigger_tb)
        arguments: list[Argument] = []
        time = None
        for role, target in args:
            role = role.rstrip("0123456789")
            mention = self.mention_ref(target, line, f"{eid} {role}")
            if mention is None:
                continue
            if role == TIME_ROLE:
                time = mention["id"]
            else:
                arguments.append({"role": role, "mention": mention["id"]})
        modality = self.attributes[eid].get(MODALITY) or "asserted"
        if modality not in MODALITIES:
            self.unknown(
                line, f"{eid} has modality {modality!r}.", f"use one of {', '.join(MODALITIES)}"
            )
            return None
        return {
            "id": f"ev{number(eid)}",
            "type": kind,
            "trigger": trigger,
            "modality": modality,
            "arguments": arguments,
            "time": time,
        }

    def relations(self) -> list[Relation]:
        self.quote_links: dict[str, dict[str, str]] = defaultdict(dict)
        relations: list[Relation] = []
        for rid, kind, arg1, arg2, line in sorted(
            self.parsed.relations, key=lambda r: number(r[0])
        ):
            if kind in (CUE_LINK, SOURCE_LINK):
                self.quote_links[arg1][kind] = arg2
                continue
            if kind not in RELATION_TYPES:
                self.unknown(
                    line,
                    f"{rid} has the relation type {kind!r}.",
                    "use a relation type from schema/labels.json",
                )
                continue
            head = self.mention_ref(arg1, line, f"{rid} Arg1")
            tail = self.mention_ref(arg2, line, f"{rid} Arg2")
            if head is None or tail is None:
                continue
            evidence = [head["id"], tail["id"]]
            note = self.parsed.notes.get(rid)
            if note is not None and note[0].split()[:1] == [EVIDENCE_NOTE]:
                refs = [
                    self.mention_ref(t, note[1], f"the evidence of {rid}")
                    for t in note[0].split()[1:]
                ]
                evidence = [m["id"] for m in refs if m is not None]
            relations.append(
                {
                    "id": f"r{number(rid)}",
                    "type": kind,
                    "head": head["entity"],
                    "tail": tail["entity"],
                    "evidence": evidence,
                }
            )
        return relations

    def quotes(self) -> list[Quote]:
        """Called after `relations`, which collects the quotes' Cue and Source links."""
        bounds = self.bounds
        speaker_of = {
            target: key
            for target, db, key, _, _ in self.parsed.norms
            if db == CORPUS_DB and target in bounds and bounds[target].kind == QUOTE
        }
        quotes: list[Quote] = []
        for tid, tb in sorted(bounds.items(), key=lambda kv: number(kv[0])):
            if tb.kind != QUOTE:
                continue
            kind = self.attributes[tid].get(QUOTE_TYPE)
            if kind not in QUOTE_TYPES:
                self.unknown(
                    tb.line,
                    f"quote {tid} has quote type {kind!r}.",
                    f"add a {QUOTE_TYPE} attribute: {', '.join(QUOTE_TYPES)}",
                )
                continue
            quotes.append(self._quote(f"q{len(quotes) + 1}", tid, tb, kind, speaker_of.get(tid)))
        return quotes

    def _quote(self, ident: str, tid: str, tb: TextBound, kind: str, speaker: str | None) -> Quote:
        links = self.quote_links.get(tid, {})
        cue = None
        if CUE_LINK in links:
            cue_tb = self.bounds.get(links[CUE_LINK])
            cue = self.span(cue_tb) if cue_tb is not None and cue_tb.kind == CUE else None
            if cue is None and cue_tb is None:
                self.out.add(
                    "import-reference-unresolved",
                    tb.line,
                    f"the cue of {tid} is {links[CUE_LINK]}, which does not exist.",
                    "link a Cue annotation",
                )
        source = None
        if SOURCE_LINK in links:
            source = self.mention_ref(links[SOURCE_LINK], tb.line, f"the source of {tid}")
        return {
            "id": ident,
            "type": kind,
            "content": [{"start": s, "end": e, "text": self.text[s:e]} for s, e in tb.spans],
            "cue": cue,
            "source": source["id"] if source else None,
            "speaker": speaker or (source["entity"] if source else None),
        }
