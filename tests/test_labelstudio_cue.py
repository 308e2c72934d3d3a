"""A speech act's cue is drawn as its event's region (never a second region on the same
characters), its source implied by the event's speaker or agent; every case reads back as the
record it was drawn from."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from newscorpus.findings import Findings
from newscorpus.interop.labelstudio.layers import annotation_layers
from newscorpus.interop.labelstudio.reader import Annotation, checker, read_result
from newscorpus.interop.labelstudio.tasks import prediction_result

RECORD = Path(__file__).parent / "data" / "interop" / "root" / "corpus" / "records"


def with_statement(source: str | None, speaker: str | None) -> dict[str, Any]:
    """The fixture record with a STATEMENT event on q1's cue, whose speaker is `speaker`, and
    q1's source set to `source`."""
    record = copy.deepcopy(json.loads((RECORD / "001_rules.json").read_text("utf-8")))
    quote = record["quotes"][0]
    entity_of = {m["id"]: m["entity"] for m in record["mentions"]}
    quote["source"], quote["speaker"] = source, entity_of.get(source) if source else None
    arguments = [{"role": "speaker", "mention": speaker}] if speaker else []
    record["events"].append(
        {"id": "ev90", "type": "STATEMENT", "trigger": dict(quote["cue"]),
         "modality": "asserted", "arguments": arguments, "time": None, "cluster": "evc90"}
    )  # fmt: skip
    return record


def read_back(record: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    annotation = Annotation("", "ann")
    check = checker("export.json", record["id"], record["text"])
    read_result(prediction_result(record), "/0/annotations/0/result", check, annotation)
    return annotation_layers(
        record["text"], record, annotation, Findings("export.json", record["id"])
    )


def regions_at(result: list[dict[str, Any]], span: dict[str, Any]) -> list[str]:
    return [
        r["from_name"]
        for r in result
        if r["type"] == "labels" and (r["value"]["start"], r["value"]["end"]) == (
            span["start"], span["end"])
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "regions", "source_arrows"),
    [
        ("source is the speaker", ["event"], 0),  # one region, the arrow drawn from the event
        ("another source", ["event"], 1),  # one region, an explicit source arrow
        ("no speaker", ["event"], 1),  # the event has no speaker: the source is linked
        ("no source", ["event", "cue"], 0),  # a cue region, so that no source is implied
    ],
)
def test_each_cue_case_reads_back_as_drawn(case: str, regions: list[str], source_arrows: int):
    first = json.loads((RECORD / "001_rules.json").read_text("utf-8"))["quotes"][0]["source"]
    other = next(
        m["id"]
        for m in json.loads((RECORD / "001_rules.json").read_text("utf-8"))["mentions"]
        if m["id"] != first and m["label"] in ("PERSON", "ORG")
    )
    source, speaker = {
        "source is the speaker": (first, first),
        "another source": (other, first),
        "no speaker": (first, None),
        "no source": (None, first),
    }[case]
    record = with_statement(source, speaker)
    result = prediction_result(record)
    assert sorted(regions_at(result, record["quotes"][0]["cue"])) == sorted(regions)
    arrows = [r for r in result if r["type"] == "relation" and r["labels"] == ["source"]]
    assert len([a for a in arrows if a["from_id"] == "q1"]) == source_arrows
    layers, findings = read_back(record)
    assert findings == []
    for layer in ("mentions", "quotes", "events"):
        assert layers[layer] == record[layer], layer
