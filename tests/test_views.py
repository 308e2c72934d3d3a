"""Record -> rows: every view fits its config's Features, and the NER view is lossless."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from datasets import ClassLabel, Features, List
from hypothesis import given, settings
from hypothesis import strategies as st

from newscorpus.errors import ViewError
from newscorpus.publish.columns import columns_table, documents_table, rows_table
from newscorpus.publish.features import FEATURES, label_names, storage_schema
from newscorpus.publish.layout import CONFIGS
from newscorpus.publish.ner_table import NerColumns
from newscorpus.publish.view_columns import COLUMN_VIEWS
from newscorpus.publish.views import VIEWS, ner_rows, record_from_document
from newscorpus.tokens import token_boundaries, token_split

# The reference the columnar tables are held to: label strings replaced by class ids row by
# row, for Table.from_pylist (how the tables were built before publish/columns.py).
Encoder = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _encoder(feature: Any, where: str) -> Encoder:
    """A function that replaces the label strings under `feature` by their class ids.

    Built once per config; subtrees without a ClassLabel are passed through untouched, so
    the article text and the offsets cost nothing. An unknown label is an error (not a
    silent -1, which is what `Features.encode_example` would store).
    """
    if isinstance(feature, ClassLabel):
        ids = {name: index for index, name in enumerate(feature.names)}

        def encode_label(value: Any) -> Any:
            if value is None:
                return None
            if value not in ids:
                raise ViewError(f"{where}: {value!r} is not one of its labels")
            return ids[value]

        return encode_label
    if isinstance(feature, List):
        inner = _encoder(feature.feature, where)
        if inner is _identity:
            return _identity
        return lambda value: None if value is None else [inner(item) for item in value]
    if isinstance(feature, (dict, Features)):
        parts = {name: _encoder(sub, f"{where}.{name}") for name, sub in feature.items()}
        labelled = {name: part for name, part in parts.items() if part is not _identity}
        if not labelled:
            return _identity

        def encode_struct(value: Any) -> Any:
            if value is None:
                return None
            return {
                name: labelled[name](item) if name in labelled else item
                for name, item in value.items()
            }

        return encode_struct
    return _identity


@cache
def label_encoder(config: str) -> Encoder:
    """Row with label strings (as the views build it) -> row with class ids (as stored)."""
    return _encoder(FEATURES[config], config)


RECORDS = Path(__file__).resolve().parent / "data" / "publish" / "root" / "corpus" / "records"


def load(name: str) -> dict[str, Any]:
    return json.loads((RECORDS / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return [load(path.stem) for path in sorted(RECORDS.glob("*.json"))]


@pytest.mark.parametrize("config", CONFIGS)
def test_rows_have_exactly_the_config_columns_and_fit_its_schema(
    config: str, records: list[dict[str, Any]]
) -> None:
    schema = storage_schema(config)
    for record in records:
        rows = VIEWS[config](record)
        for row in rows:
            assert list(row) == list(FEATURES[config])
        stored = [label_encoder(config)(row) for row in rows]
        table = pa.Table.from_pylist(stored, schema=schema)  # raises on a type mismatch
        assert table.to_pylist() == stored
        assert [label_names(row, FEATURES[config]) for row in stored] == rows


ADJUDICATED = Path(__file__).resolve().parent / "data" / "agreement" / "adjudicated"


@pytest.mark.parametrize("config", CONFIGS)
def test_the_columnar_tables_are_the_encoded_rows(
    config: str, records: list[dict[str, Any]]
) -> None:
    # an adjudicated record too: documents publish its rounds, and [] for the others
    adjudicated = json.loads((ADJUDICATED / "press_sit_in.json").read_text(encoding="utf-8"))
    every = [*records, adjudicated]
    rows = [row for record in every for row in VIEWS[config](record)]
    expected = pa.Table.from_pylist(
        [label_encoder(config)(row) for row in rows], schema=storage_schema(config)
    )
    built = documents_table(every) if config == "documents" else rows_table(config, rows)
    assert built.num_rows == len(rows) > 0
    assert built.schema.equals(expected.schema, check_metadata=True)
    assert built.to_pylist() == expected.to_pylist()
    if config == "ner":  # what the build makes: columns from the token split
        assert _ner_columns(every).equals(expected, check_metadata=True)
    if config in COLUMN_VIEWS:  # what the build makes: each record's items as columns
        columns: dict[str, list[Any]] = {}
        for record in every:
            found = COLUMN_VIEWS[config](record)
            assert list(found) == list(FEATURES[config])
            transposed = [
                dict(zip(found, row, strict=True)) for row in zip(*found.values(), strict=True)
            ]
            assert transposed == VIEWS[config](record)
            for name, values in found.items():
                columns.setdefault(name, []).extend(values)
        assert columns_table(config, columns).equals(expected, check_metadata=True)


def _ner_columns(records: list[dict[str, Any]]) -> pa.Table:
    columns = NerColumns()
    sizes = [columns.add(record) for record in records]
    rows = [ner_rows(record) for record in records]
    assert sizes == [(len(found), sum(len(r["tokens"]) for r in found)) for found in rows]
    return columns.table()


# Words a news text may hold beyond ASCII: accents (precomposed and combining), CJK, Cyrillic,
# emoji (with a skin tone and a joiner), a flag, curly quotes and dashes.
_WORDS = st.sampled_from(
    [
        "Ann",
        "Lee",
        "Zürich",
        "Jose\u0301",
        "東京",
        "Москва",
        "said",
        "the",
        "U.S.",
        "it's",
        "\U0001f44d\U0001f3fd",
        "\U0001f468\u200d\U0001f469",
        "\U0001f1f5\U0001f1f0",
        "\u201cyes\u201d",
        "\u2014",
        "1,000",
        "(AP)",
        "Dr.",
        "e-mail",
        "ok.",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(_WORDS, min_size=1, max_size=12), min_size=1, max_size=3),
    st.lists(st.integers(0, 200), max_size=6),
)
def test_ner_columns_are_the_ner_rows_for_any_text(
    paragraphs: list[list[str]], picks: list[int]
) -> None:
    text, passages = "", []
    for index, words in enumerate(paragraphs):
        if text:
            text += "\n\n"
        start = len(text)
        text += " ".join(words) + "."
        passages.append({"id": f"p{index}", "type": "paragraph", "start": start, "end": len(text)})
    record: dict[str, Any] = {"id": "x", "text": text, "passages": passages, "mentions": []}
    split = token_split(text, passages)
    last_of = list(accumulate(split.sizes))  # the index after each sentence's last token
    for n, pick in enumerate(picks):
        first = pick % len(split.starts)
        # one token, or two of one sentence: names may then overlap (tagged the view's way)
        wide = pick % 3 == 0 and first + 1 not in last_of
        start, end = split.starts[first], split.ends[first + 1 if wide else first]
        record["mentions"].append(
            {
                "id": f"m{n}",
                "start": start,
                "end": end,
                "text": text[start:end],
                "label": ("PERSON", "GPE", "ORG")[n % 3],
                "mention_type": "NAM",
                "entity": "e0",
            }
        )
    expected = pa.Table.from_pylist(
        [label_encoder("ner")(row) for row in ner_rows(record)], schema=storage_schema("ner")
    )
    assert _ner_columns([record, record]).equals(
        pa.concat_tables([expected, expected]).combine_chunks(), check_metadata=True
    )


def test_ner_columns_refuse_what_ner_rows_refuse() -> None:
    off = copy.deepcopy(load("fixture_017"))
    off["mentions"][0]["start"] += 1
    with pytest.raises(ViewError, match="token boundaries"):
        NerColumns().add(off)
    unknown = copy.deepcopy(load("fixture_000"))
    named = next(m for m in unknown["mentions"] if m["mention_type"] == "NAM")
    named["label"] = "PERSN"
    with pytest.raises(ViewError, match="ner.ner_tags: 'B-PERSN' is not one of its labels"):
        NerColumns().add(unknown)


def test_an_unknown_label_in_a_column_is_an_error_naming_the_field() -> None:
    record = load("fixture_000")
    record["mentions"][0]["label"] = "PERSN"
    with pytest.raises(ViewError, match="documents.mentions.label: 'PERSN'"):
        documents_table([record])
    with pytest.raises(ViewError, match="mentions.label: 'PERSN'"):
        rows_table("mentions", VIEWS["mentions"](record))


def test_labels_are_stored_as_class_ids_with_the_features_as_datasets_writes_them() -> None:
    for config in CONFIGS:
        schema = storage_schema(config)
        for field in schema:
            assert "null" not in str(field.type), (config, field)
        assert schema.metadata == FEATURES[config].arrow_schema.metadata  # datasets' own
    assert str(storage_schema("ner").field("ner_tags").type) == "list<item: int64>"
    record = load("fixture_000")
    row = VIEWS["mentions"](record)[0]
    assert label_encoder("mentions")(row)["label"] == FEATURES["mentions"]["label"].str2int(
        row["label"]
    )


def test_an_unknown_label_is_an_error_not_a_silent_id() -> None:
    (row,) = VIEWS["documents"](load("fixture_000"))
    row["mentions"][0]["label"] = "PERSN"
    with pytest.raises(ViewError, match="documents.mentions.label: 'PERSN'"):
        label_encoder("documents")(row)


def test_ner_rows_carry_the_sentence_text_and_its_offset(records: list[dict[str, Any]]) -> None:
    for record in records:
        for row in ner_rows(record):
            assert row["text"] == record["text"][row["start_char"] : row["end_char"]]
            for token, start, end in zip(
                row["tokens"], row["token_starts"], row["token_ends"], strict=True
            ):
                offset = start - row["start_char"]  # the token's offset in the sentence
                assert row["text"][offset : offset + end - start] == token


def test_document_row_round_trips_and_keeps_kb_absent_vs_empty(
    records: list[dict[str, Any]],
) -> None:
    for record in records:
        (row,) = VIEWS["documents"](record)
        assert record_from_document(row) == record
    entities = {e["name"]: e for e in load("fixture_000")["entities"]}
    assert entities["Portmere"]["kb"] == [] and "kb" not in entities["Maria Okafor"]


def _bio_spans(row: dict[str, Any]) -> list[tuple[int, int, str]]:
    spans: list[list[Any]] = []
    for tag, start, end in zip(
        row["ner_tags"], row["token_starts"], row["token_ends"], strict=True
    ):
        if tag.startswith("B-"):
            spans.append([start, end, tag[2:]])
        elif tag.startswith("I-"):
            assert spans and spans[-1][2] == tag[2:] and spans[-1][1] < start, row["id"]
            spans[-1][1] = end
    return [tuple(span) for span in spans]


def test_ner_tags_give_back_exactly_the_named_mentions(records: list[dict[str, Any]]) -> None:
    for record in records:
        found = [span for row in ner_rows(record) for span in _bio_spans(row)]
        named = sorted(
            (m["start"], m["end"], m["label"])
            for m in record["mentions"]
            if m["mention_type"] == "NAM"
        )
        assert sorted(found) == named


def test_ner_tokens_are_the_validators_tokens(records: list[dict[str, Any]]) -> None:
    for record in records:
        starts, ends = token_boundaries(record["text"], record["passages"])
        rows = ner_rows(record)
        assert {s for row in rows for s in row["token_starts"]} == starts
        assert {e for row in rows for e in row["token_ends"]} == ends
        for row in rows:
            assert row["tokens"] == [
                record["text"][s:e]
                for s, e in zip(row["token_starts"], row["token_ends"], strict=True)
            ]


@settings(max_examples=25, deadline=None)
@given(keep=st.lists(st.booleans(), min_size=13, max_size=13))
def test_any_subset_of_named_mentions_round_trips_through_bio(keep: list[bool]) -> None:
    record = load("fixture_000")
    record["mentions"] = [m for m, k in zip(record["mentions"], keep, strict=False) if k]
    named = sorted(
        (m["start"], m["end"], m["label"]) for m in record["mentions"] if m["mention_type"] == "NAM"
    )
    assert sorted(s for row in ner_rows(record) for s in _bio_spans(row)) == named


def test_a_named_mention_across_sentences_is_refused() -> None:
    text = "Ann Lee spoke in Riga. Bob Ray left."
    start, end = text.index("Riga"), text.index("Bob") + len("Bob")
    record = {
        "id": "x",
        "text": text,
        "passages": [{"id": "p0", "type": "paragraph", "start": 0, "end": len(text)}],
        "mentions": [
            {
                "id": "m0",
                "start": start,
                "end": end,
                "text": text[start:end],
                "label": "GPE",
                "mention_type": "NAM",
                "entity": "e0",
            }
        ],
    }
    assert len(list(ner_rows({**record, "mentions": []}))) == 2
    with pytest.raises(ViewError, match="crosses a sentence boundary"):
        ner_rows(record)


def test_a_mention_off_token_boundaries_is_refused() -> None:
    record = copy.deepcopy(load("fixture_017"))
    record["mentions"][0]["start"] += 1
    with pytest.raises(ViewError, match="token boundaries"):
        ner_rows(record)
