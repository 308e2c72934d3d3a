"""The record model (newscorpus.model) and the record schema describe the same object.

Each TypedDict is held to its object in schema/record.schema.json: the same keys, the same
required keys, and list-valued keys where the schema has arrays. A key added to the schema and
not to the model (or the other way round) fails here, naming both."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

import pytest

from newscorpus import model
from newscorpus.canonical import LAYERS as CANONICAL_LAYERS
from newscorpus.jsonio import read_record

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "schema" / "record.schema.json").read_text(encoding="utf-8")
)


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """The object a schema node describes, through $ref and a nullable oneOf."""
    if "$ref" in node:
        return _resolve(SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]])
    for choice in node.get("oneOf", ()):
        if choice.get("type") != "null":
            return _resolve(choice)
    return node


def _at(*path: str) -> dict[str, Any]:
    node: dict[str, Any] = SCHEMA
    for step in path:
        node = _resolve(node)
        node = node["items"] if step == "[]" else node["properties"][step]
    return _resolve(node)


OBJECTS = {
    model.Record: SCHEMA,
    model.Source: _at("source"),
    model.Meta: _at("source", "publisher"),
    model.Cleaning: _at("source", "cleaning", "[]"),
    model.Passage: _at("passages", "[]"),
    model.Span: _resolve({"$ref": "#/$defs/span"}),
    model.Mention: _at("mentions", "[]"),
    model.Entity: _at("entities", "[]"),
    model.KbLink: _at("entities", "[]", "kb", "[]"),
    model.Quote: _at("quotes", "[]"),
    model.Event: _at("events", "[]"),
    model.Argument: _at("events", "[]", "arguments", "[]"),
    model.Relation: _at("relations", "[]"),
    model.Labels: _at("labels"),
    model.SuggestedLabels: _at("labels", "suggested"),
    model.Annotation: _at("annotation"),
    model.AdjudicationRound: _at("annotation", "adjudication", "[]"),
    model.LayerAgreement: _at("annotation", "adjudication", "[]", "agreement", "[]"),
}


@pytest.mark.parametrize("kind", OBJECTS, ids=lambda kind: kind.__name__)
def test_each_type_has_the_keys_and_required_keys_of_its_schema_object(kind: Any):
    schema = OBJECTS[kind]
    assert schema.get("additionalProperties") is False, f"{kind.__name__}: schema is open"
    assert set(kind.__annotations__) | set(kind.__required_keys__) | set(
        kind.__optional_keys__
    ) == set(schema["properties"]), kind.__name__
    assert kind.__required_keys__ == frozenset(schema.get("required", ())), kind.__name__


@pytest.mark.parametrize("kind", OBJECTS, ids=lambda kind: kind.__name__)
def test_list_keys_are_the_schema_arrays(kind: Any):
    hints = typing.get_type_hints(kind)
    schema = OBJECTS[kind]["properties"]
    lists = {key for key, hint in hints.items() if typing.get_origin(hint) is list}
    arrays = {key for key, node in schema.items() if _resolve(node).get("type") == "array"}
    assert lists == arrays, kind.__name__


def test_layers_are_the_schema_order_and_the_canonical_ones():
    in_schema = [key for key in SCHEMA["properties"] if key in model.LAYERS]
    assert list(model.LAYERS) == in_schema
    assert CANONICAL_LAYERS is model.LAYERS


def test_an_empty_draft_is_every_layer_empty_and_valid_against_the_schema():
    import jsonschema

    layers = model.empty_layers()
    assert set(layers) == {*model.LAYERS, "labels"}
    assert model.empty_layers() is not model.empty_layers()  # a fresh one each time
    record, problems = read_record(
        Path(__file__).parent / "data" / "articles" / "records" / "harbour_union_boycott.json",
        "harbour_union_boycott.json",
    )
    assert record is not None and not problems
    record.update(layers)
    jsonschema.Draft202012Validator(SCHEMA).validate(record)
