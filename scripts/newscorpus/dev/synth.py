"""Synthetic gold records for load tests: plausible shapes, valid by construction.

Each synthetic article is assembled from sentence templates whose slots are mentions, so every
offset is known as the text is written. The seed file is the text itself, which ingestion
leaves unchanged, so provenance checks pass too. Never mix synthetic records into a release:
their ids start with `synth-`.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError, RecordExistsError
from ..fsutil import sha256_file, write_atomic
from ..ingest import split_for, split_passages
from ..jsonio import dumps
from ..labels import SCHEMA_VERSION
from ..model import Entity, Event, Mention, Quote, Record, Relation, Span
from ..progress import Progress, silent
from ..validate.gold import current_guidelines_version
from .words import (
    BACKGROUND,
    FILLER,
    FIRST,
    LAST,
    LAWS,
    MONTHS,
    ORG_HEAD,
    ORG_TAIL,
    PLACES,
)


@dataclass
class _Doc:
    """Text under construction, with the annotations that its slots produce."""

    rng: random.Random
    text: str = ""
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: dict[tuple[str, str, str], Relation] = field(default_factory=dict)

    def put(self, piece: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += piece
        return start, len(self.text)

    def span(self, piece: str) -> Span:
        start, end = self.put(piece)
        return {"start": start, "end": end, "text": piece}

    def mention(self, surface: str, label: str, kind: str = "NAM", name: str | None = None) -> str:
        key = (label, name or surface)
        entity = self.entities.get(key)
        if entity is None:
            entity = {"id": f"e{len(self.entities) + 1}", "label": label, "name": name or surface}
            self.entities[key] = entity
        start, end = self.put(surface)
        mention_id = f"m{len(self.mentions) + 1}"
        self.mentions.append(
            {
                "id": mention_id,
                "start": start,
                "end": end,
                "text": surface,
                "label": label,
                "mention_type": kind,
                "entity": entity["id"],
            }
        )
        return mention_id

    def entity_of(self, mention_id: str) -> str:
        return self.mentions[int(mention_id[1:]) - 1]["entity"]

    def event(
        self,
        kind: str,
        trigger: Span,
        args: list[tuple[str, str]],
        time: str | None = None,
        modality: str = "asserted",
    ) -> None:
        number = len(self.events) + 1
        self.events.append(
            {
                "id": f"ev{number}",
                "type": kind,
                "trigger": trigger,
                "modality": modality,
                "arguments": [{"role": role, "mention": m} for role, m in args],
                "time": time,
                "cluster": f"evc{number}",
            }
        )

    def relation(self, kind: str, head: str, tail: str) -> None:
        key = (kind, self.entity_of(head), self.entity_of(tail))
        if key[1] == key[2]:
            return
        if key in self.relations:
            self.relations[key]["evidence"].extend([head, tail])
        else:
            self.relations[key] = {
                "id": f"r{len(self.relations) + 1}",
                "type": kind,
                "head": key[1],
                "tail": key[2],
                "evidence": [head, tail],
            }


def _cast(rng: random.Random) -> dict[str, list[str]]:
    people = rng.sample([f"{first} {last}" for first in FIRST for last in LAST], 5)
    orgs = rng.sample([f"{h} {t}" for h in ORG_HEAD for t in ORG_TAIL], 5)
    return {
        "people": people,
        "orgs": orgs,
        "places": rng.sample(PLACES, 3),
        "laws": rng.sample(LAWS, 2),
    }


def _date(rng: random.Random) -> str:
    return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}"


@dataclass(frozen=True)
class _Cast:
    """Who and what one sentence is about."""

    person: str
    org: str
    org2: str
    place: str
    law: str


def _sentence(doc: _Doc, cast: dict[str, list[str]]) -> None:
    rng = doc.rng
    person, org, org2 = rng.choice(cast["people"]), *rng.sample(cast["orgs"], 2)
    place, law = rng.choice(cast["places"]), rng.choice(cast["laws"])
    _SENTENCES[rng.randrange(len(_SENTENCES))](doc, _Cast(person, org, org2, place, law))


def _approve(doc: _Doc, c: _Cast) -> None:
    """An ORG approves a LAW on a DATE."""
    rng = doc.rng
    agent = doc.mention(c.org, "ORG")
    doc.put(" ")
    trigger = doc.span("approved")
    doc.put(" the ")
    obj = doc.mention(c.law, "LAW")
    doc.put(" on ")
    when = doc.mention(_date(rng), "DATE")
    doc.put(f", {rng.choice(FILLER)}.")
    doc.event("APPROVE", trigger, [("agent", agent), ("object", obj)], when)


def _direct_quote(doc: _Doc, c: _Cast) -> None:
    """A direct quote, its speaker the chair of an ORG."""
    rng = doc.rng
    doc.put("\u201c")
    content = doc.span(f"We will not accept the new rules {rng.choice(FILLER)}")
    doc.put(",\u201d said ")
    source = doc.mention(c.person, "PERSON")
    doc.put(", chair of ")
    body = doc.mention(c.org, "ORG")
    doc.put(".")
    cue_at = doc.text.rindex("said")
    doc.quotes.append(
        {
            "id": f"q{len(doc.quotes) + 1}",
            "type": "direct",
            "content": [content],
            "cue": {"start": cue_at, "end": cue_at + 4, "text": "said"},
            "source": source,
            "speaker": doc.entity_of(source),
        }
    )
    doc.relation("CHAIR_OF", source, body)


def _fine(doc: _Doc, c: _Cast) -> None:
    """An ORG fines another an amount on a DATE."""
    rng = doc.rng
    agent = doc.mention(c.org, "ORG")
    doc.put(" ")
    trigger = doc.span("fined")
    doc.put(" ")
    offender = doc.mention(c.org2, "ORG")
    doc.put(" ")
    money = doc.mention(f"${rng.randint(2, 900)} million", "MONEY")
    doc.put(" on ")
    when = doc.mention(_date(rng), "DATE")
    doc.put(f" {rng.choice(FILLER)}.")
    doc.event("FINE", trigger, [("agent", agent), ("offender", offender), ("money", money)], when)


def _threaten(doc: _Doc, c: _Cast) -> None:
    """An ORG in a GPE threatens to suspend its services."""
    rng = doc.rng
    agent = doc.mention(c.org, "ORG")
    doc.put(", which is based in ")
    where = doc.mention(c.place, "GPE")
    doc.put(", ")
    trigger = doc.span("threatened")
    doc.put(" to ")
    suspend = doc.span("suspend")
    doc.put(f" its services {rng.choice(FILLER)}.")
    doc.relation("LOCATED_IN", agent, where)
    doc.event("THREATEN", trigger, [("agent", agent)])
    doc.event(
        "SUSPEND_SERVICE", suspend, [("agent", agent), ("place", where)], modality="threatened"
    )


def _demand(doc: _Doc, c: _Cast) -> None:
    """Groups demand that an ORG withdraw a LAW."""
    rng = doc.rng
    doc.mention(f"More than {rng.randint(12, 400)}", "CARDINAL")
    doc.put(" groups ")
    trigger = doc.span("demanded")
    doc.put(" that ")
    addressee = doc.mention(c.org, "ORG")
    doc.put(" ")
    withdraw = doc.span("withdraw")
    doc.put(" the ")
    obj = doc.mention(c.law, "LAW")
    doc.put(f" {rng.choice(FILLER)}.")
    doc.event("DEMAND", trigger, [("addressee", addressee)])
    doc.event("WITHDRAW", withdraw, [("agent", addressee), ("object", obj)], modality="demanded")


def _indirect_quote(doc: _Doc, c: _Cast) -> None:
    """An indirect quote by a member of an ORG."""
    rng = doc.rng
    source = doc.mention(c.person, "PERSON")
    doc.put(" of ")
    member = doc.mention(c.org, "ORG")
    doc.put(" ")
    cue = doc.span("said")
    doc.put(" ")
    start = len(doc.text)
    doc.put("the agency had met officials in ")
    doc.mention(c.place, "GPE")
    doc.put(f" {rng.choice(FILLER)}")
    content: Span = {"start": start, "end": len(doc.text), "text": doc.text[start:]}
    doc.put(".")
    doc.quotes.append(
        {
            "id": f"q{len(doc.quotes) + 1}",
            "type": "indirect",
            "content": [content],
            "cue": cue,
            "source": source,
            "speaker": doc.entity_of(source),
        }
    )
    doc.relation("MEMBER_OF", source, member)


_SENTENCES: tuple[Callable[[_Doc, _Cast], None], ...] = (
    _approve,
    _direct_quote,
    _fine,
    _threaten,
    _demand,
    _indirect_quote,
)


def synth_record(doc_id: str, rng: random.Random) -> tuple[Record, bytes]:
    """One synthetic gold record and its seed bytes."""
    doc = _Doc(rng)
    cast = _cast(rng)
    doc.put("Regulators and rights groups clash over new platform rules")
    target = rng.randint(3000, 4500)
    while len(doc.text) < target:
        doc.put("\n\n")
        for index in range(rng.randint(2, 4)):
            if index:
                doc.put(" ")
            if rng.random() < 0.45:  # background prose without annotations
                doc.put(f"{rng.choice(BACKGROUND)} {rng.choice(FILLER)}.")
            else:
                _sentence(doc, cast)
    text = doc.text
    data = (text + "\n").encode("utf-8")
    record: Record = {
        "id": doc_id,
        "schema_version": SCHEMA_VERSION,
        "split": split_for(doc_id),
        "source": {
            "seed_path": f"seeds/{doc_id}.txt",
            "seed_sha256": hashlib.sha256(data).hexdigest(),
            "publisher": None,
            "url": None,
            "published_date": None,
            "dateline": None,
            "language": {
                "value": "en",
                "inferred": False,
                "evidence": "synthetic text generated in English",
            },
            "cleaning": [],
        },
        "text": text,
        "passages": split_passages(text),
        "mentions": doc.mentions,
        "entities": list(doc.entities.values()),
        "quotes": doc.quotes,
        "events": doc.events,
        "relations": list(doc.relations.values()),
        "labels": {"topics": ["regulation", "internet"], "countries": []},
        "annotation": {
            "annotators": ["synth"],
            "guidelines_version": current_guidelines_version(),
            "status": "gold",
            "notes": "synthetic record for load tests",
        },
    }
    return record, data


def synth_id(seed: int, index: int) -> str:
    return f"synth-{seed}-{index:06d}"


def synth_records(count: int, seed: int = 0) -> Iterator[tuple[Record, bytes]]:
    for index in range(count):
        rng = random.Random(f"{seed}:{index}")
        yield synth_record(synth_id(seed, index), rng)


def write_synth(
    root: Path,
    count: int,
    seed: int = 0,
    *,
    overwrite: bool = False,
    progress: Progress = silent,
) -> int:
    """Write `count` synthetic records and their seeds under root.

    Refuses (RecordExistsError) to replace a record unless `overwrite`, which keeps a backup
    of each. The first clash stops the run before anything else is written.
    """
    records = root / "corpus" / "records"
    seeds = root / "seeds"
    marks = (root / "corpus", seeds, root / "DATASHEET.md")
    is_corpus = any(os.path.lexists(mark) for mark in marks)
    empty = root.is_dir() and not any(root.iterdir())
    if root.resolve() == Path("/") or not (is_corpus or empty):
        raise IngestError(
            f"{root} is not a corpus (no corpus/, seeds/ or DATASHEET.md in it) nor an empty "
            "folder; nothing was written. synth writes into a scratch root: make an empty "
            "folder (or a copy of a corpus) first, e.g. `mkdir /tmp/scratch`, then give "
            "--root /tmp/scratch"
        )
    if not overwrite:
        for index in range(count):
            path = records / f"{synth_id(seed, index)}.json"
            if path.exists():
                raise RecordExistsError(str(path))
    written = 0
    with progress("synth", count) as advance:
        for record, data in synth_records(count, seed):
            _write_one(records, seeds, record, data, overwrite)
            written += 1
            advance(1)
    return written


def _write_one(records: Path, seeds: Path, record: Record, data: bytes, overwrite: bool) -> None:
    """One record and its seed; a record that cannot be written takes its new seed along."""
    seed_path = seeds / f"{record['id']}.txt"
    created = False
    if sha256_file(seed_path) != hashlib.sha256(data).hexdigest():
        write_atomic(seed_path, data, overwrite=overwrite, durable=False)
        created = True
    try:
        write_atomic(
            records / f"{record['id']}.json", dumps(record), overwrite=overwrite, durable=False
        )
    except BaseException:  # a full disk: no seed without its record is left behind
        if created and not overwrite:
            seed_path.unlink(missing_ok=True)
        raise
