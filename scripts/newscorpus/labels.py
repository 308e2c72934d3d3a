"""The label inventory, loaded from schema/labels.json, the one source of every label set.

Everything else (the JSON Schema enums, the validator's role and argument checks, the
ClassLabel names of the published configs) derives from the constants defined here.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent


def schema_dir() -> Path:
    """The schema folder: packaged inside a wheel, or the repository's own in a source tree."""
    for candidate in (_PACKAGE_DIR / "_schema", _PACKAGE_DIR.parent.parent / "schema"):
        if (candidate / "labels.json").is_file():
            return candidate
    raise FileNotFoundError("schema/labels.json not found next to the newscorpus package")


@cache
def inventory() -> dict[str, Any]:
    return json.loads((schema_dir() / "labels.json").read_text(encoding="utf-8"))


# The version of schema/record.schema.json that records written by this package carry.
SCHEMA_VERSION = "1.1.0"


@cache
def record_schema() -> dict[str, Any]:
    return json.loads((schema_dir() / "record.schema.json").read_text(encoding="utf-8"))


_INV = inventory()

ENTITY_LABELS: tuple[str, ...] = tuple(_INV["entity_labels"])
MENTION_TYPES: tuple[str, ...] = tuple(_INV["mention_types"])
QUOTE_TYPES: tuple[str, ...] = tuple(_INV["quote_types"])
MODALITIES: tuple[str, ...] = tuple(_INV["modalities"])
EVENT_TYPES: tuple[str, ...] = tuple(_INV["event_types"])
ROLES: tuple[str, ...] = tuple(_INV["roles"])
RELATION_TYPES: tuple[str, ...] = tuple(_INV["relation_types"])
TOPICS: tuple[str, ...] = tuple(_INV["topics"])
PASSAGE_TYPES: tuple[str, ...] = tuple(_INV["passage_types"])
SPLITS: tuple[str, ...] = tuple(_INV["splits"])
STATUSES: tuple[str, ...] = tuple(_INV["statuses"])

EVENT_ROLES: dict[str, tuple[str, ...]] = {
    name: tuple(spec["roles"]) for name, spec in _INV["event_types"].items()
}
RELATION_ARGUMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    name: (tuple(spec["head"]), tuple(spec["tail"]))
    for name, spec in _INV["relation_types"].items()
}
# Entity labels of value expressions (dates, amounts, numbers) rather than names.
VALUE_LABELS: tuple[str, ...] = tuple(_INV["value_labels"])
# Labels whose mentions may serve as an event's time.
TEMPORAL_LABELS: tuple[str, ...] = tuple(_INV["temporal_labels"])
# Relation types that order entities (a part is never a whole of its whole).
HIERARCHICAL_RELATIONS: tuple[str, ...] = tuple(_INV["hierarchical_relations"])
# BIO tag names of the NER view, in a fixed order: O, then B-/I- for each entity label.
NER_TAGS: tuple[str, ...] = ("O",) + tuple(
    f"{prefix}-{label}" for label in ENTITY_LABELS for prefix in ("B", "I")
)

# The schema $defs that must list exactly the keys of an inventory section.
SCHEMA_ENUMS: dict[str, tuple[str, ...]] = {
    "entity_label": ENTITY_LABELS,
    "mention_type": MENTION_TYPES,
    "quote_type": QUOTE_TYPES,
    "modality": MODALITIES,
    "event_type": EVENT_TYPES,
    "role": ROLES,
    "relation_type": RELATION_TYPES,
    "topic": TOPICS,
    "passage_type": PASSAGE_TYPES,
    "split": SPLITS,
    "status": STATUSES,
}
