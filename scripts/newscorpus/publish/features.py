"""The `datasets.Features` of every published config: the one source of column types.

The Parquet schemas, the dataset card's `dataset_info`, the Croissant fields and the card's
field documentation all derive from FEATURES. Labels are `ClassLabel`s (names from
newscorpus.labels), stored as their integer ids the way `datasets` stores them, with the
Features embedded in the Parquet schema metadata exactly as `datasets` writes them: every
reader (`load_dataset` on the folder or on the files alone, `Dataset.from_parquet`, the Hub's
viewer) then sees the same features. The views build rows with label strings, which
publish/columns.py turns into ids column by column; `label_names` turns ids back into
strings.

Offsets are published as `start_char`/`end_char` (the curated records say `start`/`end`):
`end` is a reserved word in SQL, so DuckDB could not select it without quotes.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import pyarrow as pa
from datasets import ClassLabel, Features, List, Value

from ..labels import (
    ENTITY_LABELS,
    EVENT_TYPES,
    MENTION_TYPES,
    MODALITIES,
    NER_TAGS,
    PASSAGE_TYPES,
    QUOTE_TYPES,
    RELATION_TYPES,
    ROLES,
    SPLITS,
    STATUSES,
    TOPICS,
)


def _string() -> Value:
    return Value("string")


def _offset() -> Value:
    return Value("int32")


def _span() -> dict[str, Value]:
    return {"start_char": _offset(), "end_char": _offset(), "text": _string()}


def _meta() -> dict[str, Value]:
    return {"value": _string(), "inferred": Value("bool"), "evidence": _string()}


ENTITY_LABEL = ClassLabel(names=list(ENTITY_LABELS))

DOCUMENTS = Features(
    {
        "id": _string(),
        "schema_version": _string(),
        "split": ClassLabel(names=list(SPLITS)),
        "source": {
            "seed_path": _string(),
            "seed_sha256": _string(),
            "publisher": _meta(),
            "url": _meta(),
            "published_date": _meta(),
            "dateline": _meta(),
            "language": _meta(),
            "cleaning": List({"rule": _string(), "count": Value("int32")}),
        },
        "text": _string(),
        "passages": List(
            {
                "id": _string(),
                "type": ClassLabel(names=list(PASSAGE_TYPES)),
                "start_char": _offset(),
                "end_char": _offset(),
            }
        ),
        "mentions": List(
            {
                "id": _string(),
                "start_char": _offset(),
                "end_char": _offset(),
                "text": _string(),
                "label": ENTITY_LABEL,
                "mention_type": ClassLabel(names=list(MENTION_TYPES)),
                "entity": _string(),
            }
        ),
        "entities": List(
            {
                "id": _string(),
                "label": ENTITY_LABEL,
                "name": _string(),
                "kb": List({"db": _string(), "id": _string()}),
            }
        ),
        "quotes": List(
            {
                "id": _string(),
                "type": ClassLabel(names=list(QUOTE_TYPES)),
                "content": List(_span()),
                "cue": _span(),
                "source": _string(),
                "speaker": _string(),
            }
        ),
        "events": List(
            {
                "id": _string(),
                "type": ClassLabel(names=list(EVENT_TYPES)),
                "trigger": _span(),
                "modality": ClassLabel(names=list(MODALITIES)),
                "arguments": List({"role": ClassLabel(names=list(ROLES)), "mention": _string()}),
                "time": _string(),
                "cluster": _string(),
            }
        ),
        "relations": List(
            {
                "id": _string(),
                "type": ClassLabel(names=list(RELATION_TYPES)),
                "head": _string(),
                "tail": _string(),
                "evidence": List(_string()),
            }
        ),
        "labels": {"topics": List(ClassLabel(names=list(TOPICS))), "countries": List(_string())},
        "annotation": {
            "annotators": List(_string()),
            "adjudication": List(
                {
                    "a": List(_string()),
                    "b": List(_string()),
                    "adjudicator": _string(),
                    "decisions": Value("int32"),
                    "tokens": Value("int32"),
                    "kappa": Value("float64"),
                    "agreement": List(
                        {
                            "layer": _string(),
                            "precision": Value("float64"),
                            "recall": Value("float64"),
                            "f1": Value("float64"),
                            "a": Value("int32"),
                            "b": Value("int32"),
                        }
                    ),
                }
            ),
            "guidelines_version": _string(),
            "status": ClassLabel(names=list(STATUSES)),
            "notes": _string(),
        },
    }
)

NER = Features(
    {
        "id": _string(),
        "doc_id": _string(),
        "passage": _string(),
        "text": _string(),
        "start_char": _offset(),
        "end_char": _offset(),
        "tokens": List(_string()),
        "ner_tags": List(ClassLabel(names=list(NER_TAGS))),
        "token_starts": List(_offset()),
        "token_ends": List(_offset()),
    }
)

MENTIONS = Features(
    {
        "doc_id": _string(),
        "id": _string(),
        "passage": _string(),
        "start_char": _offset(),
        "end_char": _offset(),
        "text": _string(),
        "label": ENTITY_LABEL,
        "mention_type": ClassLabel(names=list(MENTION_TYPES)),
        "entity": _string(),
        "entity_name": _string(),
    }
)

QUOTES = Features(
    {
        "doc_id": _string(),
        "id": _string(),
        "type": ClassLabel(names=list(QUOTE_TYPES)),
        "text": _string(),
        "content": List(_span()),
        "cue_text": _string(),
        "cue_start": _offset(),
        "cue_end": _offset(),
        "source": _string(),
        "source_text": _string(),
        "speaker": _string(),
        "speaker_name": _string(),
    }
)

EVENTS = Features(
    {
        "doc_id": _string(),
        "id": _string(),
        "type": ClassLabel(names=list(EVENT_TYPES)),
        "modality": ClassLabel(names=list(MODALITIES)),
        "trigger_text": _string(),
        "trigger_start": _offset(),
        "trigger_end": _offset(),
        "cluster": _string(),
        "time": _string(),
        "time_text": _string(),
        "arguments": List(
            {
                "role": ClassLabel(names=list(ROLES)),
                "mention": _string(),
                "text": _string(),
                "entity": _string(),
                "entity_name": _string(),
            }
        ),
    }
)

RELATIONS = Features(
    {
        "doc_id": _string(),
        "id": _string(),
        "type": ClassLabel(names=list(RELATION_TYPES)),
        "head": _string(),
        "head_name": _string(),
        "head_label": ENTITY_LABEL,
        "tail": _string(),
        "tail_name": _string(),
        "tail_label": ENTITY_LABEL,
        "evidence": List(_string()),
        "evidence_text": List(_string()),
    }
)

FEATURES: dict[str, Features] = {
    "documents": DOCUMENTS,
    "ner": NER,
    "mentions": MENTIONS,
    "quotes": QUOTES,
    "events": EVENTS,
    "relations": RELATIONS,
}


@cache
def storage_schema(config: str) -> pa.Schema:
    """The explicit Arrow schema of a config's Parquet files: class ids for labels, and the
    Features in the `huggingface` metadata, byte for byte as `datasets` writes them."""
    return FEATURES[config].arrow_schema


def iter_fields(feature: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every field as (dotted path, feature), parents before children; `[]` never appears."""
    if isinstance(feature, (dict, Features)):
        for name, sub in feature.items():
            path = f"{prefix}.{name}" if prefix else name
            yield path, sub
            yield from iter_fields(_element(sub), path)
    elif isinstance(feature, List):
        yield from iter_fields(_element(feature), prefix)


def _element(feature: Any) -> Any:
    """Down through list wrappers to the element type (a struct, a label or a value)."""
    while isinstance(feature, List):
        feature = feature.feature
    return feature


def label_names(value: Any, feature: Any) -> Any:
    """Turn the class ids of a loaded row back into label strings, at any depth."""
    if value is None:
        return None
    if isinstance(feature, ClassLabel):
        return feature.int2str(value) if isinstance(value, int) else value
    if isinstance(feature, (dict, Features)):
        return {name: label_names(value[name], sub) for name, sub in feature.items()}
    if isinstance(feature, List):
        return [label_names(item, feature.feature) for item in value]
    return value


def prediction_label_names(value: Any, feature: Any, seen: set[str] | None = None) -> Any:
    """label_names for a prediction, which may leave fields out or hold bad values: only the
    fields present are read, and an id out of range (or a value of another type) is kept as it
    is, for the scorer to report. `seen` collects "names" and "class ids", as they occur."""
    if isinstance(feature, ClassLabel):
        if isinstance(value, int) and not isinstance(value, bool):
            if seen is not None:
                seen.add("class ids")
            return feature.names[value] if 0 <= value < feature.num_classes else value
        if isinstance(value, str) and seen is not None:
            seen.add("names")
        return value
    if isinstance(feature, (dict, Features)) and isinstance(value, dict):
        return {
            name: prediction_label_names(item, feature[name], seen) if name in feature else item
            for name, item in value.items()
        }
    if isinstance(feature, List) and isinstance(value, list):
        return [prediction_label_names(item, feature.feature, seen) for item in value]
    return value
