"""Hostile predictions for `newscorpus evaluate`: each is a finding at its file and place,
exit 1, never a traceback, in its own process within 10 s and 500 MB (tests/bounded.py).

Prediction files are read as the older commands read records: regular files only, opened
without blocking and bounded, so a FIFO or a link to /dev/zero is a finding at once. Then a
hypothesis strategy damages a prediction structurally (a value replaced by one of another
JSON type: a list, an object, a boolean, a number where a list belongs, deep nesting).
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounded import run_bounded
from newscorpus.curate.evaluate.api import evaluate

ROOT = Path(__file__).resolve().parent / "data" / "evaluate" / "root"
GOLD = json.loads(
    (ROOT / "corpus" / "records" / "000_1b05e77db752fde4.json").read_text(encoding="utf-8")
)


def _evaluate(path: Path) -> str:
    run = run_bounded("evaluate", str(path), "--root", str(ROOT))
    assert run.code == 1, run.output
    return run.output


def test_a_fifo_as_the_prediction_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "pred.json"
    os.mkfifo(path)
    output = _evaluate(path)
    assert f"{path}:/: error [evaluate-input-invalid] cannot read the file: a FIFO" in output


def test_a_link_to_dev_zero_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "pred.jsonl"
    path.symlink_to("/dev/zero")
    output = _evaluate(path)
    assert "error [evaluate-input-invalid] cannot read the file: a character device" in output


def _mention(**change: Any) -> dict[str, Any]:
    return {**copy.deepcopy(GOLD["mentions"][0]), **change}


def _pred(**layers: Any) -> dict[str, Any]:
    return {"id": GOLD["id"], **layers}


CASES = {
    "list-valued-mention-id": (_pred(mentions=[_mention(id=["m1"])]), "/mentions/0"),
    "dict-valued-entity": (_pred(mentions=[_mention(entity={"e": 1})]), "/mentions/0"),
    "list-valued-label": (_pred(mentions=[_mention(label=["ORG"])]), "/mentions/0/label"),
    "list-valued-relation-head": (
        _pred(mentions=[_mention()], relations=[{"type": "PART_OF", "head": ["e1"], "tail": "e1"}]),
        "/relations/0/head",
    ),
    "number-where-a-list-belongs": (_pred(mentions=7), "/mentions"),
    "number-as-arguments": (
        _pred(
            mentions=[_mention()],
            events=[{**copy.deepcopy(GOLD["events"][0]), "arguments": 2.5}]
            if GOLD["events"]
            else [],
        ),
        None,
    ),
    "boolean-offsets": (_pred(mentions=[_mention(start=True, end=True)]), "/mentions/0"),
    "surrogate-in-a-label": (_pred(mentions=[_mention(label="\ud800")]), "/mentions/0/label"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_values_are_findings(tmp_path: Path, case: str) -> None:
    value, where = CASES[case]
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps(value) + "\n", encoding="ascii")  # a surrogate as \ud800
    run = run_bounded("evaluate", str(path), "--root", str(ROOT))
    assert run.code in (0, 1), run.output
    if where is not None:
        assert run.code == 1, run.output
        assert f"pred.jsonl:/1{where}: error [evaluate-" in run.output


def test_boolean_tag_ids_are_not_tags(tmp_path: Path) -> None:
    path = tmp_path / "pred.jsonl"
    row = {"id": f"{GOLD['id']}:s0", "ner_tags": [True] * 400}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    output = _evaluate(path)
    assert "error [evaluate-" in output


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_very_deep_nesting_is_a_finding(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"pred{suffix}"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    output = _evaluate(path)
    assert "error [evaluate-input-invalid]" in output and "nests too deeply" in output


def test_json_that_readers_disagree_on_is_a_finding_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "pred.jsonl"
    gold = json.dumps({"id": GOLD["id"], "mentions": []})
    path.write_text(f'{gold}\n{{"id": "a", "id": "b"}}\n', encoding="utf-8")
    output = _evaluate(path)
    assert (
        "pred.jsonl:/2: error [evaluate-input-invalid] line 2 is not valid JSON at /id: "
        "the key 'id' appears more than once in this object." in output
    )


# --- a strategy that damages predictions structurally ----------------------------------------

HOSTILE = st.one_of(
    st.sampled_from([None, True, False, 0, -1, 2.5, 10**30, "x", "\ud800", [], {}, [[1]]]),
    st.lists(st.text(max_size=3), min_size=1, max_size=2),
    st.dictionaries(st.sampled_from(["id", "start", "end", "label"]), st.integers(), max_size=2),
    st.integers(1, 200).map(lambda depth: json.loads("[" * depth + "]" * depth)),
)


def _places(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            found += _places(item, (*path, index))
    return found


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_structurally_damaged_predictions_are_findings(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    prediction = copy.deepcopy(GOLD)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_places(prediction)))
        holder = prediction
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = data.draw(HOSTILE)
    file = tmp_path_factory.mktemp("pred") / "pred.json"
    text = json.dumps(prediction, ensure_ascii=False)
    file.write_bytes(text.encode("utf-8", "surrogatepass"))
    out = evaluate(None, file, root=ROOT)  # raises nothing, whatever the damage
    json.dumps(out, ensure_ascii=False).encode("utf-8")  # what --json prints is encodable
    # Damage that is refused is a finding with its place; what is scored is a fraction.
    findings = out["findings"] or []
    assert out["valid"] == (not [f for f in findings if f["severity"] == "error"])
    assert all(f["file"] and f["message"] and f["hint"] for f in findings)
    assert all(f["pointer"] == "" or f["pointer"].startswith("/") for f in findings)
    assert all(0.0 <= figure <= 1.0 for figure in _fractions(out["layers"]))


def _fractions(value: Any) -> list[float]:
    """Every precision, recall and F1 in the scores, however deep."""
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k in ("precision", "recall", "f1")]
        return found + [x for v in value.values() for x in _fractions(v)]
    if isinstance(value, list):
        return [x for v in value for x in _fractions(v)]
    return []
