"""`newscorpus evaluate`'s NER figures equal seqeval's and nervaluate's, to the last digit.

Random perturbations of the gold tags (drop, shift, relabel, split, merge, spurious entities and
ill-formed I- tags), written as `ner` rows, are scored by the scorer and by seqeval (default and
strict IOB2 modes) and nervaluate (strict, exact, partial, ent_type) on the same tags; every
figure, the macro averages too, must be the same float. Every mention of the gold (nested, of
all mention types) is likewise perturbed and scored against nervaluate on character spans.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from newscorpus.cli import main
from newscorpus.curate.evaluate import load_gold, score, sort_predictions, to_dict
from newscorpus.curate.evaluate.inputs import Item
from newscorpus.curate.evaluate.scoring.spans import chunks
from newscorpus.labels import ENTITY_LABELS
from newscorpus.publish.views import ner_rows

ROOT = Path(__file__).resolve().parent / "data" / "evaluate" / "root"  # frozen, see test_evaluate
GOLD = load_gold(ROOT, None, None)
GOLD_ROWS = [row for record in GOLD for row in ner_rows(record)]
GOLD_TAGS = [row["ner_tags"] for row in GOLD_ROWS]
NERVALUATE_SCHEMES = {
    "strict": "strict",
    "exact": "exact",
    "partial": "partial",
    "type": "ent_type",
}


# --- perturbing the gold tags ---------------------------------------------------------------


def _write(tags: list[str], start: int, end: int, label: str) -> None:
    for index in range(max(start, 0), min(end, len(tags))):
        tags[index] = ("B-" if index == max(start, 0) else "I-") + label


def _perturb(tags: list[str], op: str, pick: int, label: str, step: int) -> None:
    found = chunks(tags)
    if op in ("spurious", "stray") or not found:
        at = pick % len(tags)
        if op == "stray":
            tags[at] = "I-" + label
        else:
            _write(tags, at, at + 1 + step % 3, label)
        return
    start, end, old = found[pick % len(found)]
    if op == "drop":
        tags[start:end] = ["O"] * (end - start)
    elif op == "relabel":
        _write(tags, start, end, label)
    elif op == "shift":
        tags[start:end] = ["O"] * (end - start)
        delta = 1 if step % 2 else -1
        new_start, new_end = (start + delta, end) if step % 4 < 2 else (start, end + delta)
        _write(tags, new_start, max(new_end, new_start + 1), old)
    elif op == "split" and end - start > 1:
        tags[start + 1 + step % (end - start - 1)] = "B-" + old
    elif op == "merge":
        after = [c for c in found if c[0] >= end]
        if after:
            _write(tags, start, after[0][1], old)


OPERATION = st.tuples(
    st.sampled_from(("drop", "shift", "relabel", "split", "merge", "spurious", "stray")),
    st.integers(0, len(GOLD_TAGS) - 1),
    st.integers(0, 50),
    st.sampled_from(ENTITY_LABELS),
    st.integers(0, 7),
)


def perturbed(operations: list[tuple[str, int, int, str, int]]) -> list[list[str]]:
    tags = [list(row) for row in GOLD_TAGS]
    for op, sentence, pick, label, step in operations:
        _perturb(tags[sentence], op, pick, label, step)
    return tags


def ner_figures(tags: list[list[str]]) -> dict:
    items = [
        Item("pred.jsonl", (i + 1,), {"id": row["id"], "ner_tags": t})
        for i, (row, t) in enumerate(zip(GOLD_ROWS, tags, strict=True))
    ]
    predictions = sort_predictions(items, GOLD, {r["id"] for r in GOLD})
    result = to_dict(score(GOLD, predictions))
    assert result["valid"], result["findings"]
    return result["layers"]["ner"]


# --- the comparisons ------------------------------------------------------------------------


def assert_equals_seqeval(ours: dict, tags: list[list[str]], strict: bool) -> None:
    options = {"mode": "strict", "scheme": IOB2} if strict else {}
    report = classification_report(GOLD_TAGS, tags, output_dict=True, zero_division=0, **options)
    labels = {k: v for k, v in report.items() if not k.endswith(" avg")}
    assert set(labels) == set(ours["labels"])
    for label, figures in labels.items():
        mine = ours["labels"][label]
        assert (mine["precision"], mine["recall"], mine["f1"]) == (
            figures["precision"],
            figures["recall"],
            figures["f1-score"],
        ), label
        assert mine["gold"] == figures["support"]
    micro = report["micro avg"]
    assert (ours["precision"], ours["recall"], ours["f1"]) == (
        micro["precision"],
        micro["recall"],
        micro["f1-score"],
    )
    macro = report["macro avg"]
    for key, theirs in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
        assert ours["macro"][key] == macro[theirs], key


def assert_equals_nervaluate(ours: dict, tags: list[list[str]]) -> None:
    results = Evaluator(GOLD_TAGS, tags, tags=list(ENTITY_LABELS), loader="list").evaluate()
    for scheme, theirs in NERVALUATE_SCHEMES.items():
        overall = results["overall"][theirs]
        mine = ours[scheme]
        assert (mine["precision"], mine["recall"], mine["f1"]) == (
            overall.precision,
            overall.recall,
            overall.f1,
        ), scheme
        counts = mine["counts"]
        assert [counts[k] for k in ("correct", "incorrect", "partial", "missed", "spurious")] == [
            overall.correct,
            overall.incorrect,
            overall.partial,
            overall.missed,
            overall.spurious,
        ], scheme
        assert set(mine["labels"]) == set(results["entities"])
        for label, per_scheme in results["entities"].items():
            result = per_scheme[theirs]
            assert (mine["labels"][label]["precision"], mine["labels"][label]["f1"]) == (
                result.precision,
                result.f1,
            ), (scheme, label)
            assert mine["labels"][label]["recall"] == result.recall, (scheme, label)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPERATION, max_size=14))
def test_ner_figures_equal_seqeval_and_nervaluate(operations):
    tags = perturbed(operations)
    ours = ner_figures(tags)
    assert_equals_seqeval(ours["entity_f1"], tags, strict=False)
    assert_equals_seqeval(ours["entity_f1_strict"], tags, strict=True)
    assert_equals_nervaluate(ours, tags)


def test_the_command_prints_seqevals_figures_for_a_perturbed_prediction(tmp_path):
    tags = perturbed(
        [("relabel", 0, 0, "ORG", 0), ("shift", 2, 1, "ORG", 1), ("drop", 3, 0, "ORG", 0)]
        + [("merge", 5, 0, "ORG", 0), ("split", 6, 0, "ORG", 0), ("stray", 7, 3, "LAW", 0)]
    )
    pred = tmp_path / "pred.jsonl"
    pred.write_text(
        "".join(
            json.dumps({"id": row["id"], "ner_tags": t}) + "\n"
            for row, t in zip(GOLD_ROWS, tags, strict=True)
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["evaluate", str(pred), "--json", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    ner = json.loads(result.output)["layers"]["ner"]
    assert ner["entity_f1"]["f1"] < 1.0
    assert_equals_seqeval(ner["entity_f1"], tags, strict=False)
    assert_equals_seqeval(ner["entity_f1_strict"], tags, strict=True)
    assert_equals_nervaluate(ner, tags)
    assert json.loads(result.output)["layers"]["mentions"]["evaluated"] is False


# --- every mention (nested, all mention types) against nervaluate on character spans ---------

MENTIONS = sorted(
    ((m["start"], m["end"], m["label"]) for m in GOLD[0]["mentions"]), key=lambda s: s[:2]
)
TEXT_LENGTH = len(GOLD[0]["text"])
MENTION_OPERATION = st.tuples(
    st.sampled_from(("drop", "shift", "relabel", "split", "merge", "spurious")),
    st.integers(0, len(MENTIONS) - 1),
    st.integers(-6, 6),
    st.sampled_from(ENTITY_LABELS),
)


def perturbed_mentions(operations: list[tuple[str, int, int, str]]) -> list[tuple[int, int, str]]:
    spans = list(MENTIONS)
    for op, pick, delta, label in operations:
        if not spans:
            break
        index = pick % len(spans)
        start, end, old = spans[index]
        if op == "drop":
            spans.pop(index)
        elif op == "relabel":
            spans[index] = (start, end, label)
        elif op == "shift":
            moved = (start + delta, end) if pick % 2 else (start, end + delta)
            spans[index] = (max(moved[0], 0), min(max(moved[1], moved[0] + 1), TEXT_LENGTH), old)
        elif op == "split" and end - start > 1:
            cut = start + 1 + abs(delta) % (end - start - 1)
            spans[index : index + 1] = [(start, cut, old), (cut, end, old)]
        elif op == "merge" and index + 1 < len(spans):
            spans[index : index + 2] = [(start, max(end, spans[index + 1][1]), old)]
        elif op == "spurious":
            at = (start + 7 * abs(delta)) % (TEXT_LENGTH - 5)
            spans.append((at, at + 1 + abs(delta), label))
    return spans


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MENTION_OPERATION, max_size=12))
def test_mention_figures_equal_nervaluate_on_character_spans(operations):
    spans = perturbed_mentions(operations)
    mentions = [
        {"id": f"m{i}", "start": s, "end": e, "label": label, "mention_type": "NOM"}
        for i, (s, e, label) in enumerate(spans)
    ]
    item = Item("pred.jsonl", (1,), {"id": GOLD[0]["id"], "mentions": mentions})
    result = to_dict(score(GOLD, sort_predictions([item], GOLD, {GOLD[0]["id"]})))
    assert result["valid"], result["findings"]

    def entities(found):  # nervaluate's ends are inclusive; it scans spans in the order given
        return [[{"label": t, "start": s, "end": e - 1} for s, e, t in sorted(found)]]

    theirs = Evaluator(
        entities(MENTIONS), entities(spans), tags=list(ENTITY_LABELS), loader="dict"
    ).evaluate()
    ours = result["layers"]["mentions"]
    for scheme, name in NERVALUATE_SCHEMES.items():
        overall = theirs["overall"][name]
        assert (ours[scheme]["precision"], ours[scheme]["recall"], ours[scheme]["f1"]) == (
            overall.precision,
            overall.recall,
            overall.f1,
        ), scheme
        for label, per_scheme in theirs["entities"].items():
            assert ours[scheme]["labels"][label]["f1"] == per_scheme[name].f1, (scheme, label)
