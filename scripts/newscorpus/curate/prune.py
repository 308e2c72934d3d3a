"""What a re-anchored record loses with the spans that vanished (see curate.reanchor): each
item that only made sense with them is removed or set to null, and every removal is reported."""

from __future__ import annotations

import re

from ..model import Record


def remove_vanished(record: Record, vanished: set[int], removals: list[str]) -> None:
    """Remove what vanished, and what only made sense with it; report every removal."""
    gone = [m for m in record["mentions"] if id(m) in vanished]
    gone_mentions = {m["id"] for m in gone}
    record["mentions"] = [m for m in record["mentions"] if m["id"] not in gone_mentions]
    for mention_id in sorted(gone_mentions, key=_number):
        removals.append(f"mention {mention_id} (its text vanished)")
    kept_entities = {m["entity"] for m in record["mentions"]}
    gone_entities = {m["entity"] for m in gone} - kept_entities
    for entity in record["entities"]:
        if entity["id"] in gone_entities:
            removals.append(f"entity {entity['id']} {entity['name']!r} (no mention left)")
    record["entities"] = [e for e in record["entities"] if e["id"] not in gone_entities]
    _prune_quotes(record, vanished, gone_mentions, gone_entities, removals)
    _prune_events(record, vanished, gone_mentions, removals)
    _prune_relations(record, gone_mentions, gone_entities, removals)


def _prune_quotes(
    record: Record,
    vanished: set[int],
    gone_mentions: set[str],
    gone_entities: set[str],
    removals: list[str],
) -> None:
    quotes = []
    for quote in record["quotes"]:
        parts = [part for part in quote["content"] if id(part) not in vanished]
        if not parts:
            removals.append(f"quote {quote['id']} (its content vanished)")
            continue
        if len(parts) < len(quote["content"]):
            removals.append(
                f"quote {quote['id']}: {len(quote['content']) - len(parts)} content part(s)"
            )
        quote["content"] = parts
        if quote["cue"] is not None and id(quote["cue"]) in vanished:
            quote["cue"] = None
            removals.append(f"quote {quote['id']} cue (set to null)")
        if quote["source"] in gone_mentions:
            removals.append(f"quote {quote['id']} source {quote['source']} (set to null)")
            quote["source"] = None
        if quote["speaker"] in gone_entities:
            removals.append(f"quote {quote['id']} speaker {quote['speaker']} (set to null)")
            quote["speaker"] = None
        quotes.append(quote)
    record["quotes"] = quotes


def _prune_events(
    record: Record, vanished: set[int], gone_mentions: set[str], removals: list[str]
) -> None:
    events = []
    for event in record["events"]:
        if id(event["trigger"]) in vanished:
            removals.append(f"event {event['id']} {event['type']} (its trigger vanished)")
            continue
        for argument in event["arguments"]:
            if argument["mention"] in gone_mentions:
                removals.append(
                    f"event {event['id']} argument {argument['role']}={argument['mention']}"
                )
        event["arguments"] = [a for a in event["arguments"] if a["mention"] not in gone_mentions]
        if event["time"] in gone_mentions:
            removals.append(f"event {event['id']} time {event['time']} (set to null)")
            event["time"] = None
        events.append(event)
    record["events"] = events


def _prune_relations(
    record: Record, gone_mentions: set[str], gone_entities: set[str], removals: list[str]
) -> None:
    relations = []
    for relation in record["relations"]:
        evidence = [m for m in relation["evidence"] if m not in gone_mentions]
        if relation["head"] in gone_entities or relation["tail"] in gone_entities:
            removals.append(
                f"relation {relation['id']} {relation['type']} (its head or "
                "tail entity was removed)"
            )
            continue
        if not evidence:
            removals.append(f"relation {relation['id']} {relation['type']} (no evidence left)")
            continue
        for mention_id in relation["evidence"]:
            if mention_id in gone_mentions:
                removals.append(f"relation {relation['id']} evidence {mention_id}")
        relation["evidence"] = evidence
        relations.append(relation)
    record["relations"] = relations


def _number(identifier: str) -> tuple[int, str]:
    digits = re.sub(r"\D", "", identifier)
    return (int(digits) if digits else -1, identifier)
