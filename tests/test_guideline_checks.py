"""The checks of guidelines 1.2 that a program can make: a promise quoted without its PROMISE
event (6.4) and a facility's name left unannotated (3.6), as a curator sees them."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from newscorpus.validate import validate_paths

FINDINGS = Path(__file__).parent / "data" / "findings"
# The clean record of the promise case, before the case took its PROMISE event away.
BASE = json.loads((FINDINGS / "cases" / "facility-unannotated" / "pledge.json").read_text())


def _clean() -> dict:
    record = copy.deepcopy(BASE)
    record["mentions"].append(
        {"id": "m4", "start": 107, "end": 119, "text": "Calder House", "label": "FAC",
         "mention_type": "NAM", "entity": "e4"}
    )  # fmt: skip
    record["entities"].append({"id": "e4", "label": "FAC", "name": "Calder House"})
    return record


def _codes(tmp_path: Path, record: dict) -> list[str]:
    path = tmp_path / "pledge.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    report = validate_paths(FINDINGS / "root", [path])
    return [f.code for f in report.findings]


def _with_cue(record: dict, word: str) -> dict:
    """The record with its cue `pledged` replaced by `word` in the text and every span."""
    text = record["text"].replace("pledged", word)
    shift = len(word) - len("pledged")
    start = record["text"].index("pledged")

    def moved(span: dict) -> dict:
        if span["start"] > start:
            span["start"] += shift
            span["end"] += shift
        elif span["start"] == start:
            span["end"] += shift
        span["text"] = text[span["start"] : span["end"]]
        return span

    record["text"] = text
    for passage in record["passages"][2:]:
        passage["end"] += shift
    for mention in record["mentions"]:
        moved(mention)
    for quote in record["quotes"]:
        quote["content"] = [moved(part) for part in quote["content"]]
        moved(quote["cue"])
    for event in record["events"]:
        moved(event["trigger"])
    return record


def test_the_clean_record_raises_nothing(tmp_path):
    assert _codes(tmp_path, _clean()) == []


@pytest.mark.parametrize(
    "cue", ["pledged", "promised", "promises", "vowed", "vows", "assured", "guarantees", "Pledging"]
)
def test_a_promise_cue_without_a_promise_event_is_a_warning(tmp_path, cue):
    record = _with_cue(_clean(), cue)
    record["events"] = []
    codes = _codes(tmp_path, record)
    assert "promise-without-event" in codes
    assert "text-seed-mismatch" in codes or cue == "pledged"  # the seed says "pledged"


def test_a_promise_event_on_the_cue_settles_it_and_any_other_type_does_not(tmp_path):
    record = _clean()
    assert "promise-without-event" not in _codes(tmp_path, record)
    record["events"][0]["type"] = "STATEMENT"
    record["events"][0]["arguments"] = [{"role": "speaker", "mention": "m3"}]
    assert "promise-without-event" in _codes(tmp_path, record)


@pytest.mark.parametrize("cue", ["said", "proposed", "vowels"])
def test_other_cues_need_no_promise(tmp_path, cue):
    record = _with_cue(_clean(), cue)
    record["events"] = []
    assert "promise-without-event" not in _codes(tmp_path, record)


def test_an_unannotated_facility_name_is_a_warning_with_its_place(tmp_path):
    path = FINDINGS / "cases" / "facility-unannotated" / "pledge.json"
    report = validate_paths(FINDINGS / "root", [path])
    (finding,) = report.findings
    assert finding.code == "facility-unannotated" and finding.severity == "warning"
    assert "'Calder House' at [107, 119)" in finding.message
    assert report.valid


@pytest.mark.parametrize(
    ("phrase", "warned"),
    [
        ("The Calder House", True),  # the determiner is no part of the name
        ("Kestrel Airport", True),
        ("Old Mill Bridge", True),
        ("The Hall", False),  # a determiner and a facility noun: no name
        ("the house", False),
        ("Calder Housing", False),
    ],
)
def test_which_phrases_look_like_facility_names(tmp_path, phrase, warned):
    record = _clean()
    record["text"] = record["text"].replace("its chair said.", f"{phrase} said.")
    record["passages"][-1]["end"] = len(record["text"])
    assert ("facility-unannotated" in _codes(tmp_path, record)) is warned


def test_any_mention_over_the_name_covers_it_and_none_does_not(tmp_path):
    record = _clean()
    record["mentions"][3].update(label="ORG", entity="e4")
    record["entities"][3]["label"] = "ORG"
    assert "facility-unannotated" not in _codes(tmp_path, record)
    del record["mentions"][3]
    del record["entities"][3]
    assert "facility-unannotated" in _codes(tmp_path, record)
