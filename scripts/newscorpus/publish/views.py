"""Record -> rows of each published config: pure functions, one record at a time.

Rows hold label strings (publish/columns.py turns them into the stored class ids); the
column set of each row is exactly the config's Features, which name offsets `start_char` and
`end_char` where the curated record says `start` and `end`. The `ner` view tokenizes with
newscorpus.tokens.sentences, the tokenizer the validator's `mention-token-boundary` check
uses, so a valid record's named mentions always map
onto whole tokens.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from itertools import accumulate
from operator import itemgetter
from typing import Any

from ..errors import ViewError
from ..model import LAYERS, Record
from ..tokens import bio_tags, sentences

Row = dict[str, Any]


# --- documents ------------------------------------------------------------------------------


# Offsets as the published configs name them (features.py says why), and back.
OFFSET_NAMES = {"start": "start_char", "end": "end_char"}
_RECORD_NAMES = {published: curated for curated, published in OFFSET_NAMES.items()}
_SPAN_LAYERS = ("passages", "mentions", "quotes", "events")  # the layers with offsets


def _renamed(value: Any, names: dict[str, str]) -> Any:
    """`value` with every dict key in `names` renamed, at any depth."""
    if isinstance(value, dict):
        return {names.get(key, key): _renamed(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_renamed(item, names) for item in value]
    return value


def document_rows(record: Record) -> list[Row]:
    """The whole record as one row; an entity without `kb` gets kb=None (absent, not empty)."""
    fields: Mapping[str, Any] = record  # read by name, in the config's column order
    row = {key: fields[key] for key in _DOCUMENT_KEYS}
    for layer in _SPAN_LAYERS:
        row[layer] = _renamed(fields[layer], OFFSET_NAMES)
    row["entities"] = [
        {"id": e["id"], "label": e["label"], "name": e["name"], "kb": e.get("kb")}
        for e in record["entities"]
    ]
    # every article has the field: [] when it was annotated once (the record leaves it out)
    annotation = record["annotation"]
    row["annotation"] = {
        "annotators": annotation["annotators"],
        "adjudication": annotation.get("adjudication", []),
        **{k: annotation[k] for k in ("guidelines_version", "status", "notes")},
    }
    return [row]


_DOCUMENT_KEYS = (
    "id",
    "schema_version",
    "split",
    "source",
    "text",
    "passages",
    "mentions",
    "entities",
    "quotes",
    "events",
    "relations",
    "labels",
    "annotation",
)


def record_from_document(row: Row) -> dict[str, Any]:
    """The inverse of document_rows: the curated record, from a row with label strings or
    with class ids (as read from the Parquet files)."""
    from .features import FEATURES, label_names  # here: datasets is heavy, views stays light

    row = label_names(row, FEATURES["documents"])
    record = {key: row[key] for key in _DOCUMENT_KEYS}
    for layer in _SPAN_LAYERS:
        record[layer] = _renamed(row[layer], _RECORD_NAMES)
    record["entities"] = [
        {k: v for k, v in entity.items() if not (k == "kb" and v is None)}
        for entity in row["entities"]
    ]
    record["annotation"] = {
        k: v for k, v in row["annotation"].items() if not (k == "adjudication" and not v)
    }
    return record


# --- ner ------------------------------------------------------------------------------------


def ner_rows(record: Record) -> list[Row]:
    """One row per sentence, with BIO tags from the NAM mentions (which never overlap).

    The build makes the same rows as columns (publish/ner_table.py); this is the reference
    the tests hold it to, and what the row API gives."""
    text = record["text"]
    passage_of = passage_finder(record)
    sentence_list = sentences(text, record["passages"])
    tokens = [token for sentence in sentence_list for token in sentence.tokens]
    # The record's columns at once, then each sentence's slice of them.
    starts = list(map(itemgetter(0), tokens))
    ends = list(map(itemgetter(1), tokens))
    sentence_ends = list(accumulate(len(sentence.tokens) for sentence in sentence_list))
    check_taggable(record, starts, ends, sentence_ends)
    tags = bio_tags(record["mentions"], tokens)
    words = [text[s:e] for s, e in tokens]
    rows = []
    at = 0
    for index, sentence in enumerate(sentence_list):
        stop = at + len(sentence.tokens)
        rows.append(
            {
                "id": f"{record['id']}:s{index}",
                "doc_id": record["id"],
                "passage": passage_of(sentence.start),
                "text": text[sentence.start : sentence.end],
                "start_char": sentence.start,
                "end_char": sentence.end,
                "tokens": words[at:stop],
                "ner_tags": tags[at:stop],
                "token_starts": starts[at:stop],
                "token_ends": ends[at:stop],
            }
        )
        at = stop
    return rows


def check_taggable(
    record: Record,
    token_starts: Sequence[int],
    token_ends: Sequence[int],
    sentence_ends: Sequence[int],
) -> None:
    """Every named mention covers whole tokens of one sentence, or its tags would lose it.
    The tokens of the record's sentences, in order, start at `token_starts` and end at
    `token_ends`; `sentence_ends` holds the index of the token after each sentence's last,
    so token k is in sentence bisect_right(sentence_ends, k)."""
    named = sorted(
        (m for m in record["mentions"] if m["mention_type"] == "NAM"),
        key=lambda m: (m["start"], m["end"]),
    )
    for mention in named:
        first = bisect_left(token_starts, mention["start"])
        last = bisect_left(token_starts, mention["end"]) - 1
        if (
            last < first
            or token_starts[first] != mention["start"]
            or token_ends[last] != mention["end"]
        ):
            raise ViewError(
                f"{record['id']}: mention {mention['id']} {mention['text']!r} does not start "
                "and end on token boundaries; run `newscorpus validate`"
            )
        if bisect_right(sentence_ends, first) != bisect_right(sentence_ends, last):
            raise ViewError(
                f"{record['id']}: named mention {mention['id']} {mention['text']!r} crosses a "
                "sentence boundary of the tokenizer, so its BIO tags would be cut in two"
            )


def passage_finder(record: Record) -> Callable[[int], str]:
    passages = record["passages"]

    def find(offset: int) -> str:
        for passage in passages:
            if passage["start"] <= offset < passage["end"]:
                return passage["id"]
        raise ViewError(f"{record['id']}: offset {offset} is in no passage")

    return find


# --- flat views for analysis ----------------------------------------------------------------


def mention_rows(record: Record) -> list[Row]:
    entities = {e["id"]: e for e in record["entities"]}
    passage_of = passage_finder(record)
    return [
        {
            "doc_id": record["id"],
            "id": m["id"],
            "passage": passage_of(m["start"]),
            "start_char": m["start"],
            "end_char": m["end"],
            "text": m["text"],
            "label": m["label"],
            "mention_type": m["mention_type"],
            "entity": m["entity"],
            "entity_name": entities[m["entity"]]["name"],
        }
        for m in record["mentions"]
    ]


QUOTE_PART_SEPARATOR = " … "


def quote_rows(record: Record) -> list[Row]:
    mentions = {m["id"]: m for m in record["mentions"]}
    entities = {e["id"]: e for e in record["entities"]}
    rows = []
    for quote in record["quotes"]:
        cue = quote["cue"]
        source = mentions.get(quote["source"]) if quote["source"] else None
        speaker = entities.get(quote["speaker"]) if quote["speaker"] else None
        rows.append(
            {
                "doc_id": record["id"],
                "id": quote["id"],
                "type": quote["type"],
                "text": QUOTE_PART_SEPARATOR.join(part["text"] for part in quote["content"]),
                "content": _renamed(quote["content"], OFFSET_NAMES),
                "cue_text": cue["text"] if cue else None,
                "cue_start": cue["start"] if cue else None,
                "cue_end": cue["end"] if cue else None,
                "source": quote["source"],
                "source_text": source["text"] if source else None,
                "speaker": quote["speaker"],
                "speaker_name": speaker["name"] if speaker else None,
            }
        )
    return rows


def event_rows(record: Record) -> list[Row]:
    mentions = {m["id"]: m for m in record["mentions"]}
    entities = {e["id"]: e for e in record["entities"]}
    rows = []
    for event in record["events"]:
        time = mentions.get(event["time"]) if event["time"] else None
        arguments = event_arguments(event, mentions, entities)
        rows.append(
            {
                "doc_id": record["id"],
                "id": event["id"],
                "type": event["type"],
                "modality": event["modality"],
                "trigger_text": event["trigger"]["text"],
                "trigger_start": event["trigger"]["start"],
                "trigger_end": event["trigger"]["end"],
                "cluster": event["cluster"],
                "time": event["time"],
                "time_text": time["text"] if time else None,
                "arguments": arguments,
            }
        )
    return rows


def event_arguments(
    event: Mapping[str, Any], mentions: Mapping[str, Any], entities: Mapping[str, Any]
) -> list[Row]:
    """An event's arguments as the events config has them: each with its mention's text and
    entity, and that entity's name (`mentions`, `entities`: the record's, by id)."""
    arguments = []
    for argument in event["arguments"]:
        mention = mentions[argument["mention"]]
        arguments.append(
            {
                "role": argument["role"],
                "mention": argument["mention"],
                "text": mention["text"],
                "entity": mention["entity"],
                "entity_name": entities[mention["entity"]]["name"],
            }
        )
    return arguments


def relation_rows(record: Record) -> list[Row]:
    mentions = {m["id"]: m for m in record["mentions"]}
    entities = {e["id"]: e for e in record["entities"]}
    rows = []
    for relation in record["relations"]:
        head, tail = entities[relation["head"]], entities[relation["tail"]]
        rows.append(
            {
                "doc_id": record["id"],
                "id": relation["id"],
                "type": relation["type"],
                "head": head["id"],
                "head_name": head["name"],
                "head_label": head["label"],
                "tail": tail["id"],
                "tail_name": tail["name"],
                "tail_label": tail["label"],
                "evidence": relation["evidence"],
                "evidence_text": [mentions[ref]["text"] for ref in relation["evidence"]],
            }
        )
    return rows


# --- back from rows to record items (what `evaluate` reads) ---------------------------------
#
# The inverses of the views above, for predictions written in a config's own shape: each takes
# the columns a row has (a prediction may leave optional ones out) and gives the record's item,
# with `start`/`end` offsets and the record's references (ids), never the resolved names.

# A record item's key -> the row's column a finding about it points at.
ROW_COLUMNS = {**OFFSET_NAMES, "trigger": "trigger_start", "cue": "cue_start"}


def _present(row: Row, keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: row[key] for key in keys if key in row}


def _span_columns(row: Row, prefix: str) -> dict[str, Any] | None:
    """A span from `<prefix>_start`, `<prefix>_end` and `<prefix>_text`; None when absent."""
    if row.get(f"{prefix}_start") is None and row.get(f"{prefix}_end") is None:
        return None
    span = {"start": row.get(f"{prefix}_start"), "end": row.get(f"{prefix}_end")}
    if row.get(f"{prefix}_text") is not None:
        span["text"] = row[f"{prefix}_text"]
    return span


def mention_from_row(row: Row) -> dict[str, Any]:
    item = _present(row, ("id", "text", "label", "mention_type", "entity"))
    return {"start": row.get("start_char"), "end": row.get("end_char"), **item}


def quote_from_row(row: Row) -> dict[str, Any]:
    return {
        **_present(row, ("id", "type", "source", "speaker")),
        "content": _renamed(row.get("content"), _RECORD_NAMES),
        "cue": _span_columns(row, "cue"),
    }


def event_from_row(row: Row) -> dict[str, Any]:
    arguments = row.get("arguments")
    return {
        **_present(row, ("id", "type", "modality", "time", "cluster")),
        "trigger": _span_columns(row, "trigger"),
        "arguments": [
            _present(a, ("role", "mention")) if isinstance(a, dict) else a for a in arguments
        ]
        if isinstance(arguments, list)
        else arguments or [],
    }


def relation_from_row(row: Row) -> dict[str, Any]:
    return _present(row, ("id", "type", "head", "tail", "evidence"))


def layers_from_document(row: Row) -> dict[str, Any]:
    """The id, text and annotation layers of a `documents` row, as a record has them; only
    the keys the row has."""
    kept = _present(row, ("id", "text", *LAYERS))
    return {key: _renamed(value, _RECORD_NAMES) for key, value in kept.items()}


FROM_ROWS: dict[str, Callable[[Row], dict[str, Any]]] = {
    "mentions": mention_from_row,
    "quotes": quote_from_row,
    "events": event_from_row,
    "relations": relation_from_row,
}


VIEWS: dict[str, Callable[[Record], list[Row]]] = {
    "documents": document_rows,
    "ner": ner_rows,
    "mentions": mention_rows,
    "quotes": quote_rows,
    "events": event_rows,
    "relations": relation_rows,
}
