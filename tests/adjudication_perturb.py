"""Random but sound second annotations of a record, for the adjudication tests: each edit is
one an annotator could make (drop, relabel, re-bound, merge, split, retype, reattribute)."""

from __future__ import annotations

import copy
import random
from typing import Any

EDITS = (
    "drop_mention",
    "relabel_entity",
    "rebound_mention",
    "merge_entities",
    "split_entity",
    "mention_type",
    "drop_quote",
    "quote_type",
    "modality",
    "drop_argument",
    "argument_role",
    "drop_event",
    "event_type",
    "uncluster_event",
    "drop_relation",
    "relation_type",
    "drop_evidence",
    "drop_topic",
    "add_country",
    "rename_entity",
)


def perturb(record: dict[str, Any], rng: random.Random, edits: int) -> dict[str, Any]:
    """A copy of `record` with `edits` random edits; references stay resolvable."""
    out = copy.deepcopy(record)
    for _ in range(edits):
        globals()["_" + rng.choice(EDITS)](out, rng)
    return out


def _pick(items: list[Any], rng: random.Random) -> Any:
    return rng.choice(items) if items else None


def _forget_mention(record: dict[str, Any], mention_id: str) -> None:
    record["mentions"] = [m for m in record["mentions"] if m["id"] != mention_id]
    for quote in record["quotes"]:
        if quote["source"] == mention_id:
            quote["source"] = None
    for event in record["events"]:
        event["arguments"] = [a for a in event["arguments"] if a["mention"] != mention_id]
        if event["time"] == mention_id:
            event["time"] = None
    for relation in record["relations"]:
        relation["evidence"] = [m for m in relation["evidence"] if m != mention_id]
    used = {m["entity"] for m in record["mentions"]}
    gone = {e["id"] for e in record["entities"]} - used
    record["entities"] = [e for e in record["entities"] if e["id"] in used]
    for quote in record["quotes"]:
        if quote["speaker"] in gone:
            quote["speaker"] = None
    record["relations"] = [
        r for r in record["relations"] if r["head"] not in gone and r["tail"] not in gone
    ]


def _drop_mention(record: dict[str, Any], rng: random.Random) -> None:
    mention = _pick(record["mentions"], rng)
    if mention is not None:
        _forget_mention(record, mention["id"])


def _relabel_entity(record: dict[str, Any], rng: random.Random) -> None:
    entity = _pick(record["entities"], rng)
    if entity is None:
        return
    label = rng.choice(["ORG", "PERSON", "GPE", "NORP"])
    entity["label"] = label
    for mention in record["mentions"]:
        if mention["entity"] == entity["id"]:
            mention["label"] = label


def _rebound_mention(record: dict[str, Any], rng: random.Random) -> None:
    mention = _pick(record["mentions"], rng)
    if mention is None:
        return
    text = record["text"]
    start, end = mention["start"], mention["end"]
    if rng.random() < 0.5 and " " in mention["text"]:
        start = start + mention["text"].index(" ") + 1
    else:
        before = text.rfind(" ", 0, max(start - 1, 0))
        start = before + 1 if before >= 0 and "\n" not in text[before:start] else start
    taken = {(m["start"], m["end"]) for m in record["mentions"]}
    if (start, end) not in taken and text[start:end].strip() == text[start:end]:
        mention["start"], mention["text"] = start, text[start:end]


def _merge_entities(record: dict[str, Any], rng: random.Random) -> None:
    entities = record["entities"]
    if len(entities) < 2:
        return
    keep, lose = rng.sample(entities, 2)
    if keep["label"] != lose["label"]:
        return
    for mention in record["mentions"]:
        if mention["entity"] == lose["id"]:
            mention["entity"] = keep["id"]
    record["entities"] = [e for e in entities if e["id"] != lose["id"]]
    for quote in record["quotes"]:
        if quote["speaker"] == lose["id"]:
            quote["speaker"] = keep["id"]
    for relation in record["relations"]:
        for end in ("head", "tail"):
            if relation[end] == lose["id"]:
                relation[end] = keep["id"]
    record["relations"] = [r for r in record["relations"] if r["head"] != r["tail"]]


def _split_entity(record: dict[str, Any], rng: random.Random) -> None:
    entity = _pick(record["entities"], rng)
    members = [m for m in record["mentions"] if entity and m["entity"] == entity["id"]]
    if len(members) < 2:
        return
    moved = members[-1]
    new_id = "e" + str(1 + max(int(e["id"][1:]) for e in record["entities"]))
    record["entities"].append({"id": new_id, "label": entity["label"], "name": moved["text"]})
    moved["entity"] = new_id
    for quote in record["quotes"]:
        if quote["source"] == moved["id"]:
            quote["speaker"] = new_id


def _mention_type(record: dict[str, Any], rng: random.Random) -> None:
    mention = _pick(record["mentions"], rng)
    if mention is not None:
        mention["mention_type"] = rng.choice(["NAM", "NOM", "PRO"])


def _drop_quote(record: dict[str, Any], rng: random.Random) -> None:
    quote = _pick(record["quotes"], rng)
    if quote is not None:
        record["quotes"].remove(quote)


def _quote_type(record: dict[str, Any], rng: random.Random) -> None:
    quote = _pick(record["quotes"], rng)
    if quote is not None:
        quote["type"] = rng.choice(["direct", "indirect", "mixed"])


def _modality(record: dict[str, Any], rng: random.Random) -> None:
    event = _pick(record["events"], rng)
    if event is not None:
        event["modality"] = rng.choice(["asserted", "hypothetical", "demanded"])


def _drop_argument(record: dict[str, Any], rng: random.Random) -> None:
    event = _pick([e for e in record["events"] if e["arguments"]], rng)
    if event is not None:
        event["arguments"].remove(rng.choice(event["arguments"]))


def _argument_role(record: dict[str, Any], rng: random.Random) -> None:
    event = _pick([e for e in record["events"] if e["arguments"]], rng)
    if event is not None:
        rng.choice(event["arguments"])["role"] = rng.choice(["agent", "target", "place"])


def _drop_event(record: dict[str, Any], rng: random.Random) -> None:
    event = _pick(record["events"], rng)
    if event is not None:
        record["events"].remove(event)


def _event_type(record: dict[str, Any], rng: random.Random) -> None:
    event = _pick(record["events"], rng)
    if event is not None:
        event["type"] = rng.choice(["STATEMENT", "MEET", "ANNOUNCE"])


def _uncluster_event(record: dict[str, Any], rng: random.Random) -> None:
    event = _pick(record["events"], rng)
    if event is not None:
        event["cluster"] = "evc" + str(900 + rng.randrange(50))


def _drop_relation(record: dict[str, Any], rng: random.Random) -> None:
    relation = _pick(record["relations"], rng)
    if relation is not None:
        record["relations"].remove(relation)


def _relation_type(record: dict[str, Any], rng: random.Random) -> None:
    relation = _pick(record["relations"], rng)
    if relation is not None:
        relation["type"] = rng.choice(["MEMBER_OF", "PART_OF", "EMPLOYEE_OF"])


def _drop_evidence(record: dict[str, Any], rng: random.Random) -> None:
    relation = _pick([r for r in record["relations"] if len(r["evidence"]) > 1], rng)
    if relation is not None:
        relation["evidence"].pop()


def _drop_topic(record: dict[str, Any], rng: random.Random) -> None:
    if record["labels"]["topics"]:
        record["labels"]["topics"].remove(rng.choice(record["labels"]["topics"]))


def _add_country(record: dict[str, Any], rng: random.Random) -> None:
    code = rng.choice(["FR", "DE", "IE", "PK"])
    if code not in record["labels"]["countries"]:
        record["labels"]["countries"].append(code)


def _rename_entity(record: dict[str, Any], rng: random.Random) -> None:
    entity = _pick(record["entities"], rng)
    if entity is not None:
        entity["name"] = entity["name"] + " (renamed)"
