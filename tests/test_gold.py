"""Checks of the gold record 000_1b05e77db752fde4 that a careful reader would make by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newscorpus.labels import EVENT_ROLES, RELATION_ARGUMENTS, inventory
from newscorpus.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent
RECORD_PATH = REPO / "corpus" / "records" / "000_1b05e77db752fde4.json"
GUIDELINES_PATH = REPO / "schema" / "GUIDELINES.md"


@pytest.fixture(scope="module")
def record() -> dict:
    return json.loads(RECORD_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def guidelines() -> str:
    return GUIDELINES_PATH.read_text(encoding="utf-8")


def _mentions(record: dict) -> dict[str, dict]:
    return {m["id"]: m for m in record["mentions"]}


def _entities(record: dict) -> dict[str, dict]:
    return {e["id"]: e for e in record["entities"]}


def _guidelines_version(text: str) -> str:
    found = re.search(r"^Guidelines version:\s*([0-9][0-9.]*)\s*$", text, re.MULTILINE)
    assert found, "GUIDELINES.md states no 'Guidelines version:' line"
    return found.group(1)


def test_record_is_gold_and_validates_without_findings(record):
    assert record["annotation"]["status"] == "gold"
    report = validate_paths(REPO, [RECORD_PATH])
    assert [f.code for f in report.findings] == []


def test_every_span_matches_the_text(record):
    text = record["text"]
    spans = list(record["mentions"])
    for quote in record["quotes"]:
        spans.extend(quote["content"])
        if quote["cue"] is not None:
            spans.append(quote["cue"])
    spans.extend(event["trigger"] for event in record["events"])
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"], span


def test_every_occurrence_of_each_org_name_is_covered(record):
    text = record["text"]
    covered = [(m["start"], m["end"]) for m in record["mentions"] if m["mention_type"] == "NAM"]
    names = {
        m["text"] for m in record["mentions"] if m["label"] == "ORG" and m["mention_type"] == "NAM"
    }
    assert names, "the record names no organisation"
    for name in sorted(names):
        for hit in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            start, end = hit.span()
            assert any(s <= start and end <= e for s, e in covered), (
                f"{name!r} at [{start}, {end}) is not inside any named mention"
            )


def test_expected_named_mentions_are_present(record):
    labelled = {(m["text"], m["label"]) for m in record["mentions"] if m["mention_type"] == "NAM"}
    for expected in [
        ("Google", "ORG"),
        ("Twitter", "ORG"),
        ("Facebook", "ORG"),
        ("Amazon", "ORG"),
        ("Apple", "ORG"),
        ("Dawn", "ORG"),
        ("Islamabad", "GPE"),
        ("Pakistan", "GPE"),
        ("Human Rights Commission of Pakistan", "ORG"),
        ("Citizens Protection Rules 2020", "LAW"),
        ("February 11", "DATE"),
        ("Monday", "DATE"),
        ("Imran Khan", "PERSON"),
        ("Khan", "PERSON"),
        ("up to Rs 500 million", "MONEY"),
        ("More than 100", "CARDINAL"),
        ("Pakistan Telecommunication Authority", "ORG"),
        ("PTA", "ORG"),
    ]:
        assert expected in labelled, expected
    # Titles stay outside PERSON spans.
    for mention in record["mentions"]:
        if mention["label"] == "PERSON":
            assert "Minister" not in mention["text"] and "chairman" not in mention["text"]


def test_abbreviations_share_the_entity_of_the_full_name(record):
    by_text = {}
    for mention in record["mentions"]:
        by_text.setdefault(mention["text"], set()).add(mention["entity"])
    assert by_text["PTA"] == by_text["Pakistan Telecommunication Authority"]
    assert by_text["AIC"] == by_text["Asia Internet Coalition"]
    assert by_text["Khan"] == by_text["Imran Khan"]


def test_each_quote_speaker_resolves_and_owns_its_source(record):
    mentions, entities = _mentions(record), _entities(record)
    assert record["quotes"], "the record has no quotes"
    for quote in record["quotes"]:
        assert quote["speaker"] in entities, quote["id"]
        assert quote["source"] in mentions, quote["id"]
        assert mentions[quote["source"]]["entity"] == quote["speaker"], quote["id"]
        for part in quote["content"]:
            cue = quote["cue"]
            assert not (part["start"] < cue["end"] and cue["start"] < part["end"]), quote["id"]


def test_media_report_is_not_attributed_to_dawn(record):
    mentions, entities = _mentions(record), _entities(record)
    sources = {
        mentions[q["source"]]["text"]: entities[q["speaker"]]["name"] for q in record["quotes"]
    }
    assert sources["Dawn"] == "Dawn"
    assert sources["a media report"] != "Dawn"
    assert sources["the report"] != "Dawn"


def test_event_roles_are_allowed_for_their_type(record):
    mentions = _mentions(record)
    assert record["events"], "the record has no events"
    for event in record["events"]:
        allowed = EVENT_ROLES[event["type"]]
        for argument in event["arguments"]:
            assert argument["role"] in allowed, (event["id"], argument["role"])
            assert argument["mention"] in mentions, (event["id"], argument["mention"])
        if event["time"] is not None:
            assert mentions[event["time"]]["label"] in ("DATE", "TIME"), event["id"]


def test_coreferent_events_share_a_type(record):
    types: dict[str, set[str]] = {}
    for event in record["events"]:
        types.setdefault(event["cluster"], set()).add(event["type"])
    assert all(len(found) == 1 for found in types.values()), types


def test_relation_arguments_have_allowed_labels(record):
    entities = _entities(record)
    mentions = _mentions(record)
    for relation in record["relations"]:
        heads, tails = RELATION_ARGUMENTS[relation["type"]]
        assert entities[relation["head"]]["label"] in heads, relation["id"]
        assert entities[relation["tail"]]["label"] in tails, relation["id"]
        for ref in relation["evidence"]:
            assert mentions[ref]["entity"] in (relation["head"], relation["tail"]), relation["id"]


def test_named_mentions_never_overlap(record):
    named = sorted(
        (m["start"], m["end"], m["id"]) for m in record["mentions"] if m["mention_type"] == "NAM"
    )
    for (_s1, e1, a), (s2, _e2, b) in zip(named, named[1:], strict=False):
        assert e1 <= s2, (a, b)


def test_every_used_label_is_explained_in_the_guidelines(record, guidelines):
    used: set[str] = set()
    for mention in record["mentions"]:
        used.update({mention["label"], mention["mention_type"]})
    used.update(entity["label"] for entity in record["entities"])
    used.update(quote["type"] for quote in record["quotes"])
    for event in record["events"]:
        used.update({event["type"], event["modality"]})
        used.update(argument["role"] for argument in event["arguments"])
    used.update(relation["type"] for relation in record["relations"])
    used.update(record["labels"]["topics"])
    used.update(record["labels"]["countries"])
    used.update(passage["type"] for passage in record["passages"])
    missing = sorted(
        label
        for label in used
        if not re.search(r"(?<![\w-])" + re.escape(label) + r"(?![\w-])", guidelines)
    )
    assert missing == []


def test_every_inventory_label_is_explained_in_the_guidelines(guidelines):
    inv = inventory()
    for section in (
        "entity_labels",
        "mention_types",
        "quote_types",
        "modalities",
        "event_types",
        "roles",
        "relation_types",
        "topics",
    ):
        for label in inv[section]:
            assert re.search(r"(?<![\w-])" + re.escape(label) + r"(?![\w-])", guidelines), (
                section,
                label,
            )


def test_guidelines_version_matches_the_record(record, guidelines):
    assert record["annotation"]["guidelines_version"] == _guidelines_version(guidelines)
    assert _guidelines_version(guidelines) == "1.2"


def test_metadata_invents_nothing(record):
    source = record["source"]
    assert source["publisher"] is None and source["url"] is None
    for key in ("published_date", "language"):
        value = source[key]
        assert value is not None and value["inferred"] is True and value["evidence"], key
    assert record["annotation"]["annotators"] == ["newscorpus-curators"]
    assert record["labels"]["countries"] == ["PK"]


def test_ids_are_unique_and_never_reused(record):
    # Ids are stable: a removed item leaves a gap, an added one takes the next free number.
    for layer, prefix in (
        ("mentions", "m"),
        ("entities", "e"),
        ("quotes", "q"),
        ("events", "ev"),
        ("relations", "r"),
    ):
        numbers = [int(item["id"][len(prefix) :]) for item in record[layer]]
        pairs = zip(record[layer], numbers, strict=True)
        assert all(item["id"] == f"{prefix}{n}" for item, n in pairs)
        assert len(set(numbers)) == len(numbers), layer
        assert min(numbers, default=1) >= 1, layer
    starts = [(m["start"], -m["end"]) for m in record["mentions"]]
    assert starts == sorted(starts)
