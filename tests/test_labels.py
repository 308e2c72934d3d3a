"""The label inventory is the one source: the schema and the Python constants must agree with it."""

from __future__ import annotations

import json

from datasets import ClassLabel, List
from jsonschema import Draft202012Validator

from newscorpus import labels
from newscorpus.labels import inventory, record_schema
from newscorpus.publish.features import FEATURES, iter_fields

SECTIONS = {
    "entity_label": "entity_labels",
    "mention_type": "mention_types",
    "quote_type": "quote_types",
    "modality": "modalities",
    "event_type": "event_types",
    "role": "roles",
    "relation_type": "relation_types",
    "topic": "topics",
    "passage_type": "passage_types",
    "split": "splits",
    "status": "statuses",
}


def test_schema_is_valid_draft_2020_12():
    schema = record_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert "code points" in schema["description"] and "end-exclusive" in schema["description"]


def test_schema_enums_equal_the_inventory():
    defs = record_schema()["$defs"]
    for definition, section in SECTIONS.items():
        assert defs[definition]["enum"] == list(inventory()[section]), definition


def test_every_enum_of_the_schema_comes_from_the_inventory():
    enums = {name for name, spec in record_schema()["$defs"].items() if "enum" in spec}
    assert enums == set(labels.SCHEMA_ENUMS) == set(SECTIONS)


def test_every_class_label_of_the_published_configs_is_an_inventory_section():
    sections = [list(inventory()[section]) for section in SECTIONS.values()]
    sections.append(list(labels.NER_TAGS))
    for config, features in FEATURES.items():
        for path, feature in iter_fields(features):
            element = feature
            while isinstance(element, List):
                element = element.feature
            if isinstance(element, ClassLabel):
                assert element.names in sections, f"{config}: {path}"


def test_label_subsets_name_labels_of_the_inventory():
    assert set(labels.VALUE_LABELS) <= set(labels.ENTITY_LABELS)
    assert set(labels.TEMPORAL_LABELS) <= set(labels.VALUE_LABELS)
    assert set(labels.HIERARCHICAL_RELATIONS) <= set(labels.RELATION_TYPES)
    assert "PERSON" not in labels.VALUE_LABELS and "DATE" in labels.TEMPORAL_LABELS


def test_every_label_has_a_one_line_definition():
    inv = inventory()
    for section in SECTIONS.values():
        for name, spec in inv[section].items():
            text = spec["definition"] if isinstance(spec, dict) else spec
            assert text.strip() and "\n" not in text, (section, name)


def test_event_roles_and_relation_arguments_come_from_the_inventory():
    inv = inventory()
    for name, spec in inv["event_types"].items():
        assert set(spec["roles"]) <= set(inv["roles"]), name
        assert labels.EVENT_ROLES[name] == tuple(spec["roles"])
        assert spec["cameo"] is None or spec["cameo"].isdigit()
    for name, spec in inv["relation_types"].items():
        assert set(spec["head"]) | set(spec["tail"]) <= set(inv["entity_labels"]), name
        assert labels.RELATION_ARGUMENTS[name] == (tuple(spec["head"]), tuple(spec["tail"]))
    used_roles = {role for spec in inv["event_types"].values() for role in spec["roles"]}
    assert used_roles == set(inv["roles"]), "every role is allowed by some event type"


def test_ner_tags_cover_every_entity_label_in_bio():
    assert labels.NER_TAGS[0] == "O"
    assert len(labels.NER_TAGS) == 1 + 2 * len(labels.ENTITY_LABELS)
    for label in labels.ENTITY_LABELS:
        assert f"B-{label}" in labels.NER_TAGS and f"I-{label}" in labels.NER_TAGS


def test_inventory_file_repeats_no_key(repo_root):
    """json.loads keeps the last of two equal keys, silently dropping a label definition."""

    def unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
        return dict(pairs)

    raw = (repo_root / "schema" / "labels.json").read_text(encoding="utf-8")
    assert json.loads(raw, object_pairs_hook=unique) == inventory()
