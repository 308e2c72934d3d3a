"""Property: a record that validate accepts always builds, and loads back exactly."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from datasets import load_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscorpus.errors import InvalidCorpusError
from newscorpus.jsonio import dumps
from newscorpus.labels import ENTITY_LABELS, MODALITIES, QUOTE_TYPES, SPLITS, TOPICS
from newscorpus.publish.build import build
from newscorpus.publish.features import FEATURES, label_names
from newscorpus.publish.views import record_from_document
from newscorpus.validate import validate_paths

ROOT = Path(__file__).parent / "data" / "findings" / "root"
BASE = json.loads((ROOT / "corpus/records/mini.json").read_text(encoding="utf-8"))


def _drop(record: dict, layer: str, index: int) -> None:
    if record[layer]:
        del record[layer][index % len(record[layer])]


def _relabel(record: dict, entity_index: int, label: str) -> None:
    entity = record["entities"][entity_index % len(record["entities"])]
    entity["label"] = label
    for mention in record["mentions"]:
        if mention["entity"] == entity["id"]:
            mention["label"] = label


edits = st.one_of(
    st.tuples(
        st.just("drop"),
        st.sampled_from(["quotes", "events", "relations", "mentions", "entities"]),
        st.integers(0, 20),
    ),
    st.tuples(st.just("relabel"), st.integers(0, 10), st.sampled_from(ENTITY_LABELS)),
    st.tuples(st.just("modality"), st.integers(0, 5), st.sampled_from(MODALITIES)),
    st.tuples(st.just("quote-type"), st.integers(0, 5), st.sampled_from(QUOTE_TYPES)),
    st.tuples(st.just("topics"), st.lists(st.sampled_from(TOPICS), unique=True, max_size=4)),
    st.tuples(st.just("split"), st.sampled_from(SPLITS)),
    st.tuples(st.just("kb"), st.integers(0, 10), st.text("Q0123456789", min_size=1)),
    st.tuples(st.just("notes"), st.text(max_size=20)),
)


def _apply(record: dict, edit: tuple) -> None:
    kind = edit[0]
    if kind == "drop":
        _drop(record, edit[1], edit[2])
    elif kind == "relabel":
        _relabel(record, edit[1], edit[2])
    elif kind == "modality" and record["events"]:
        record["events"][edit[1] % len(record["events"])]["modality"] = edit[2]
    elif kind == "quote-type" and record["quotes"]:
        record["quotes"][edit[1] % len(record["quotes"])]["type"] = edit[2]
    elif kind == "topics":
        record["labels"]["topics"] = edit[1]
    elif kind == "split":
        record["split"] = edit[1]
    elif kind == "kb" and record["entities"]:
        record["entities"][edit[1] % len(record["entities"])]["kb"] = [
            {"db": "wikidata", "id": edit[2]}
        ]
    elif kind == "notes":
        record["annotation"]["notes"] = edit[1] or None


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(edits, min_size=1, max_size=4))
def test_accepted_records_build_and_load_back(tmp_path_factory, edit_list):
    record = copy.deepcopy(BASE)
    for edit in edit_list:
        _apply(record, edit)
    root = tmp_path_factory.mktemp("fuzzbuild") / "root"
    shutil.copytree(ROOT, root)
    (root / "corpus/records/mini.json").write_text(dumps(record), encoding="utf-8")
    if not validate_paths(root).valid:  # a rejected record is never published
        with pytest.raises(InvalidCorpusError):
            build(root, use_cache=False)
        assert not (root / "corpus/data").exists() and not list(root.glob(".corpus-staging-*"))
        return
    published = build(root, use_cache=False)
    assert published.records == 1
    loaded = load_dataset(
        str(root / "corpus"), "documents", cache_dir=str(tmp_path_factory.mktemp("hf"))
    )
    (row,) = loaded[record["split"]]
    assert record_from_document(label_names(row, FEATURES["documents"])) == record
