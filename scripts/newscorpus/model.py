"""The record model: one curated article as types the type checker understands.

A record is the JSON object of `schema/record.schema.json`, and at run time it stays exactly
that: a `dict` as the strict reader decodes it. The types below are `TypedDict`s, so they cost
nothing when the build reads every record (no conversion, no copy), while every module that
reads or writes a record is checked against one description of it. Each class mirrors one
object of the schema, key for key and required for required (`tests/test_model.py` holds the
two together); keys the schema leaves optional sit in a `total=False` subclass.

This module also holds what used to be written out in several places: the annotation layers
(`LAYERS`), and the empty record (`empty_layers`). Canonical order and id assignment live in
`canonical.py`, which works on these types; the phrase API (`curate/phrase/`) is the public
way to change a record by what its text says.

Values that the schema constrains further (offsets within the text, labels from
`schema/labels.json`) are typed by their JSON type here; the validator checks the rest.
"""

from __future__ import annotations

from typing import Literal, TypedDict, get_args

# --- the article and where it came from ------------------------------------------------------


class Meta(TypedDict):
    """A metadata value that is known: given by the source, or read off the text (inferred)."""

    value: str
    inferred: bool
    evidence: str | None


class Cleaning(TypedDict):
    rule: str
    count: int


class Source(TypedDict):
    seed_path: str
    seed_sha256: str
    publisher: Meta | None
    url: Meta | None
    published_date: Meta | None
    dateline: Meta | None
    language: Meta | None
    cleaning: list[Cleaning]


class Passage(TypedDict):
    id: str
    type: str
    start: int
    end: int


class Span(TypedDict):
    """A stretch of the text: `text == record["text"][start:end]`, offsets in code points."""

    start: int
    end: int
    text: str


# --- the annotation layers -------------------------------------------------------------------


class _Suggestible(TypedDict, total=False):
    """Set on an item a suggester proposed and no curator has confirmed yet."""

    suggested: bool
    suggested_by: str


class _MentionKeys(TypedDict):
    id: str
    start: int
    end: int
    text: str
    label: str
    mention_type: str
    entity: str


class Mention(_MentionKeys, _Suggestible):
    pass


class KbLink(TypedDict):
    db: str
    id: str


class _EntityKeys(TypedDict):
    id: str
    label: str
    name: str


class Entity(_EntityKeys, _Suggestible, total=False):
    kb: list[KbLink]


class _QuoteKeys(TypedDict):
    id: str
    type: str
    content: list[Span]
    cue: Span | None
    source: str | None
    speaker: str | None


class Quote(_QuoteKeys, _Suggestible):
    pass


class Argument(TypedDict):
    role: str
    mention: str


class _EventKeys(TypedDict):
    id: str
    type: str
    trigger: Span
    modality: str
    arguments: list[Argument]
    time: str | None
    cluster: str


class Event(_EventKeys, _Suggestible):
    pass


class _RelationKeys(TypedDict):
    id: str
    type: str
    head: str
    tail: str
    evidence: list[str]


class Relation(_RelationKeys, _Suggestible):
    pass


class SuggestedLabels(TypedDict, total=False):
    topics: list[str]
    countries: list[str]
    suggested_by: str


class _LabelsKeys(TypedDict):
    topics: list[str]
    countries: list[str]


class Labels(_LabelsKeys, total=False):
    suggested: SuggestedLabels


# --- who annotated it ------------------------------------------------------------------------


class LayerAgreement(TypedDict):
    layer: str
    precision: float
    recall: float
    f1: float
    a: int
    b: int


class AdjudicationRound(TypedDict):
    a: list[str]
    b: list[str]
    adjudicator: str | None
    decisions: int
    tokens: int
    kappa: float
    agreement: list[LayerAgreement]


class _AnnotationKeys(TypedDict):
    annotators: list[str]
    guidelines_version: str | None
    status: str
    notes: str | None


class Annotation(_AnnotationKeys, total=False):
    adjudication: list[AdjudicationRound]


class Layers(TypedDict):
    """The annotation of a record without its text: what an empty draft starts from."""

    mentions: list[Mention]
    entities: list[Entity]
    quotes: list[Quote]
    events: list[Event]
    relations: list[Relation]
    labels: Labels


class _Article(TypedDict):
    id: str
    schema_version: str
    split: str
    source: Source
    text: str
    passages: list[Passage]


class Record(_Article, Layers):
    """One curated article, `corpus/records/<id>.json`: the article, its annotation layers
    (`Layers`), and who annotated it."""

    annotation: Annotation


# --- the layers, and the empty record --------------------------------------------------------

Layer = Literal["mentions", "entities", "quotes", "events", "relations"]
"""The name of an annotation layer: a list of items with ids in a record."""

LAYERS: tuple[Layer, ...] = get_args(Layer)
"""The annotation layers, in the order the schema (and every listing) gives them."""

Item = Mention | Entity | Quote | Event | Relation
"""One item of an annotation layer."""


def empty_layers() -> Layers:
    """Every annotation layer of a record, empty: a fresh draft's annotation."""
    return {
        "mentions": [],
        "entities": [],
        "quotes": [],
        "events": [],
        "relations": [],
        "labels": {"topics": [], "countries": []},
    }
