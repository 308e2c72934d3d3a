"""The flat views (mentions, quotes, events, relations) as columns: each record's items go
straight into one list per column, with no dict per row.

views.py gives the same data as rows, one dict each; that is the reference these are held to
(tests/test_views.py: for every config the columns are the rows, transposed, and the tables
equal). Names are looked up as the views look them up, so a record whose references dangle
fails here as it fails there.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from ..model import Record
from .views import (
    OFFSET_NAMES,
    QUOTE_PART_SEPARATOR,
    _renamed,
    event_arguments,
    passage_finder,
)

Columns = dict[str, list[Any]]

_ID, _START, _END, _TEXT = (
    itemgetter("id"),
    itemgetter("start"),
    itemgetter("end"),
    itemgetter("text"),
)


def mention_columns(record: Record) -> Columns:
    mentions = record["mentions"]
    names = {e["id"]: e["name"] for e in record["entities"]}
    entities = list(map(itemgetter("entity"), mentions))
    starts = list(map(_START, mentions))
    passage_of = passage_finder(record)
    return {
        "doc_id": [record["id"]] * len(mentions),
        "id": list(map(_ID, mentions)),
        "passage": list(map(passage_of, starts)),
        "start_char": starts,
        "end_char": list(map(_END, mentions)),
        "text": list(map(_TEXT, mentions)),
        "label": list(map(itemgetter("label"), mentions)),
        "mention_type": list(map(itemgetter("mention_type"), mentions)),
        "entity": entities,
        "entity_name": list(map(names.__getitem__, entities)),
    }


def quote_columns(record: Record) -> Columns:
    quotes = record["quotes"]
    mentions = {m["id"]: m for m in record["mentions"]}
    names = {e["id"]: e["name"] for e in record["entities"]}
    cues = list(map(itemgetter("cue"), quotes))
    sources = list(map(itemgetter("source"), quotes))
    speakers = list(map(itemgetter("speaker"), quotes))
    source_items = [mentions.get(ref) if ref else None for ref in sources]
    return {
        "doc_id": [record["id"]] * len(quotes),
        "id": list(map(_ID, quotes)),
        "type": list(map(itemgetter("type"), quotes)),
        "text": [QUOTE_PART_SEPARATOR.join(map(_TEXT, q["content"])) for q in quotes],
        "content": [_renamed(q["content"], OFFSET_NAMES) for q in quotes],
        "cue_text": [cue["text"] if cue else None for cue in cues],
        "cue_start": [cue["start"] if cue else None for cue in cues],
        "cue_end": [cue["end"] if cue else None for cue in cues],
        "source": sources,
        "source_text": [item["text"] if item else None for item in source_items],
        "speaker": speakers,
        "speaker_name": [names.get(ref) if ref else None for ref in speakers],
    }


def event_columns(record: Record) -> Columns:
    events = record["events"]
    mentions = {m["id"]: m for m in record["mentions"]}
    entities = {e["id"]: e for e in record["entities"]}
    triggers = list(map(itemgetter("trigger"), events))
    times = list(map(itemgetter("time"), events))
    time_items = [mentions.get(ref) if ref else None for ref in times]
    return {
        "doc_id": [record["id"]] * len(events),
        "id": list(map(_ID, events)),
        "type": list(map(itemgetter("type"), events)),
        "modality": list(map(itemgetter("modality"), events)),
        "trigger_text": list(map(_TEXT, triggers)),
        "trigger_start": list(map(_START, triggers)),
        "trigger_end": list(map(_END, triggers)),
        "cluster": list(map(itemgetter("cluster"), events)),
        "time": times,
        "time_text": [item["text"] if item else None for item in time_items],
        "arguments": [event_arguments(event, mentions, entities) for event in events],
    }


def relation_columns(record: Record) -> Columns:
    relations = record["relations"]
    mentions = {m["id"]: m for m in record["mentions"]}
    entities = {e["id"]: e for e in record["entities"]}
    heads = [entities[ref] for ref in map(itemgetter("head"), relations)]
    tails = [entities[ref] for ref in map(itemgetter("tail"), relations)]
    evidence = list(map(itemgetter("evidence"), relations))
    return {
        "doc_id": [record["id"]] * len(relations),
        "id": list(map(_ID, relations)),
        "type": list(map(itemgetter("type"), relations)),
        "head": list(map(_ID, heads)),
        "head_name": list(map(itemgetter("name"), heads)),
        "head_label": list(map(itemgetter("label"), heads)),
        "tail": list(map(_ID, tails)),
        "tail_name": list(map(itemgetter("name"), tails)),
        "tail_label": list(map(itemgetter("label"), tails)),
        "evidence": evidence,
        "evidence_text": [[mentions[ref]["text"] for ref in refs] for refs in evidence],
    }


COLUMN_VIEWS: dict[str, Callable[[Record], Columns]] = {
    "mentions": mention_columns,
    "quotes": quote_columns,
    "events": event_columns,
    "relations": relation_columns,
}


def first_row(columns: Columns) -> dict[str, Any]:
    """The first row of some columns (which must have one), as the row view gives it."""
    return {name: values[0] for name, values in columns.items()}
