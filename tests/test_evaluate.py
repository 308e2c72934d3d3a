"""`newscorpus evaluate`: what a researcher sees when scoring a system on the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.curate.evaluate.report import baseline, evaluation_section
from newscorpus.ingest import draft_record
from newscorpus.jsonio import dumps

# A root frozen for these tests: the seed article as it was annotated when the figures below
# were counted by hand, so that the corpus can grow and its records be revised.
ROOT = Path(__file__).resolve().parent / "data" / "evaluate" / "root"
RECORD = ROOT / "corpus" / "records" / "000_1b05e77db752fde4.json"
BAD = Path(__file__).resolve().parent / "data" / "evaluate" / "bad"
FIGURES = ("precision", "recall", "f1", "accuracy", "conll_f1")


def _run(*args: str | Path):
    return CliRunner().invoke(main, ["evaluate", *map(str, args), "--root", str(ROOT)])


def _figures(value, path=""):
    """Every (path, figure) of the JSON output."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in FIGURES and not isinstance(item, dict):
                yield f"{path}/{key}", item
            yield from _figures(item, f"{path}/{key}")


def _gold() -> dict:
    return json.loads(RECORD.read_text(encoding="utf-8"))


def _jsonl(tmp_path: Path, *objects: dict) -> Path:
    path = tmp_path / "pred.jsonl"
    path.write_text("".join(json.dumps(o) + "\n" for o in objects), encoding="utf-8")
    return path


def test_the_gold_against_itself_scores_one_everywhere():
    result = _run(ROOT / "corpus" / "records", "--json")
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    assert output["valid"] and output["findings"] == [] and output["documents"] == 1
    assert all(block["evaluated"] for block in output["layers"].values())
    figures = dict(_figures(output["layers"]))
    assert len(figures) > 300
    assert {path: value for path, value in figures.items() if value != 1.0} == {}


def test_the_table_names_every_layer_and_figure():
    result = _run(RECORD)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["layer", "figure", "P", "R", "F1", "gold", "/", "predicted"]
    assert "mentions     strict                      1.000  1.000  1.000   80 / 80" in lines
    assert any(line.startswith("coreference  CoNLL-2012 (mean F1)") for line in lines)
    assert "quotes       speaker accuracy                          1.000   10 of 10" in lines
    assert lines[-1] == "1 gold document(s); predictions: 0 error(s), 0 warning(s): valid"


def test_a_layer_missing_from_the_prediction_is_not_evaluated(tmp_path):
    gold = _gold()
    pred = _jsonl(tmp_path, {"id": gold["id"], "mentions": gold["mentions"]})
    result = _run(pred, "--json")
    assert result.exit_code == 0, result.output
    layers = json.loads(result.output)["layers"]
    assert [name for name, block in layers.items() if not block["evaluated"]] == [
        "quotes",
        "events",
        "relations",
    ]
    assert layers["mentions"]["strict"]["f1"] == 1.0 and layers["coreference"]["conll_f1"] == 1.0
    text = _run(pred).output.splitlines()
    assert "quotes       not evaluated: no prediction carries this layer" in text


def test_hand_counted_semeval_figures_for_a_dropped_and_a_relabelled_mention(tmp_path):
    gold = _gold()
    mentions = [dict(m) for m in gold["mentions"][1:]]  # the first mention is missed
    relabelled = next(m for m in mentions if m["text"] == "Google")
    relabelled["label"] = "PRODUCT"
    result = _run(_jsonl(tmp_path, {"id": gold["id"], "mentions": mentions}), "--json")
    layer = json.loads(result.output)["layers"]["mentions"]
    # strict: 78 correct, 1 incorrect (Google), 1 missed; type: Google overlaps only itself
    assert layer["strict"]["counts"] == {
        "correct": 78,
        "incorrect": 1,
        "partial": 0,
        "missed": 1,
        "spurious": 0,
    }
    assert layer["strict"]["precision"] == 78 / 79 and layer["strict"]["recall"] == 78 / 80
    assert layer["exact"]["precision"] == 79 / 79 and layer["exact"]["recall"] == 79 / 80
    assert layer["strict"]["labels"]["PRODUCT"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "gold": 0,
        "predicted": 1,
    }


def test_bad_predictions_are_findings_with_the_place_never_a_traceback():
    expected = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
    result = _run(BAD / "pred.jsonl", "--json")
    assert result.exit_code == expected["exit_code"], result.output
    output = json.loads(result.output)
    found = [[f["code"], f["pointer"], f["severity"]] for f in output["findings"]]
    assert found == expected["findings"]
    assert all(f["file"].endswith("pred.jsonl") for f in output["findings"])
    # the one good mention and the good ner row are still scored
    assert output["layers"]["mentions"]["strict"]["counts"]["correct"] == 1
    text = _run(BAD / "pred.jsonl")
    assert text.exit_code == 1 and "Traceback" not in text.output
    assert (
        "pred.jsonl:/1/mentions/3: error [evaluate-span-mismatch] (record 000_1b05e77db752fde4) "
        "the span says 'Googel' but the text at 85..91 is 'Google'." in text.output
    )


def test_a_prediction_on_another_text_is_scored_as_empty(tmp_path):
    gold = _gold()
    pred = _jsonl(tmp_path, {"id": gold["id"], "text": gold["text"] + " ", "mentions": []})
    output = json.loads(_run(pred, "--json").output)
    assert [f["code"] for f in output["findings"]][:1] == ["evaluate-text-mismatch"]
    assert output["layers"]["mentions"]["evaluated"] is False


def test_a_folder_of_json_files_each_one_record_or_a_list(tmp_path):
    gold = _gold()
    (tmp_path / "pred").mkdir()
    (tmp_path / "pred" / "a.json").write_text(json.dumps([{"id": gold["id"], "quotes": []}]))
    (tmp_path / "pred" / "b.json").write_text(json.dumps({"id": "elsewhere", "quotes": []}))
    output = json.loads(_run(tmp_path / "pred", "--json").output)
    assert output["layers"]["quotes"]["identified"]["recall"] == 0.0
    ((code, file, where),) = [(f["code"], f["file"], f["pointer"]) for f in output["findings"]]
    assert (code, where) == ("evaluate-document-unmatched", "") and file.endswith("pred/b.json")


def test_ner_rows_as_parquet_with_classlabel_integers(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newscorpus.labels import NER_TAGS
    from newscorpus.publish.views import ner_rows

    rows = [
        {"id": row["id"], "ner_tags": [NER_TAGS.index(t) for t in row["ner_tags"]]}
        for row in ner_rows(_gold())
    ]
    rows[0]["ner_tags"][0] = 0  # "Pakistan" (B-GPE) missed
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "pred.parquet")
    result = _run(tmp_path / "pred.parquet", "--json")
    assert result.exit_code == 0, result.output
    ner = json.loads(result.output)["layers"]["ner"]
    assert (ner["entity_f1"]["gold"], ner["entity_f1"]["predicted"]) == (40, 39)
    assert ner["entity_f1"]["recall"] == 39 / 40 and ner["entity_f1"]["precision"] == 1.0
    assert ner["entity_f1"]["labels"]["GPE"]["recall"] == 3 / 4


# --- coreference on a small gold: the reference scorer's cases A10 and A11 -------------------

TEXT = "Ann met Bob and Cy. Dee, Eve and Flo came."
WORDS = ("Ann", "Bob", "Cy", "Dee", "Eve", "Flo")  # mentions a..f; key {a} {b c} {d e f}


def _small(entity_of: dict[str, str], doc_id: str = "small") -> dict:
    record = draft_record(TEXT.encode(), "seeds/small.txt", doc_id)
    record["mentions"] = [
        {
            "id": f"m{i}",
            "start": TEXT.index(word),
            "end": TEXT.index(word) + len(word),
            "text": word,
            "label": "PERSON",
            "mention_type": "NAM",
            "entity": entity_of[word],
        }
        for i, word in enumerate(WORDS, start=1)
    ]
    record["entities"] = [
        {"id": e, "label": "PERSON", "name": e} for e in sorted(set(entity_of.values()))
    ]
    return record


@pytest.mark.parametrize(
    ("response", "muc", "b_cubed"),
    [
        # A10: every mention alone. MUC 0; B-cubed R = 3/6, P = 1.
        ({w: f"e{i}" for i, w in enumerate(WORDS)}, (0.0, 0.0, 0.0), (3 / 6, 1.0, 2 / 3)),
        # A11: one entity. MUC R = 3/3, P = 3/5; B-cubed R = 1, P = (1/6 + 4/6 + 9/6) / 6.
        (
            {w: "e1" for w in WORDS},
            (1.0, 3 / 5, 6 / 8),
            (1.0, (1 / 6 + 4 / 6 + 9 / 6) / 6, 14 / 25),
        ),
    ],
)
def test_coreference_figures_of_the_command(tmp_path, response, muc, b_cubed):
    key = {"Ann": "e1", "Bob": "e2", "Cy": "e2", "Dee": "e3", "Eve": "e3", "Flo": "e3"}
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "small.json").write_text(dumps(_small(key)), encoding="utf-8")
    pred = _jsonl(tmp_path, _small(response))
    result = _run(tmp_path / "gold", pred, "--json")
    assert result.exit_code == 0, result.output
    layer = json.loads(result.output)["layers"]["coreference"]
    for name, expected in (("muc", muc), ("b_cubed", b_cubed)):
        got = (layer[name]["recall"], layer[name]["precision"], layer[name]["f1"])
        assert got == pytest.approx(expected, abs=1e-12), name
    assert layer["shared_mentions"]["matched"] == 6


def test_split_scores_one_split_and_ignores_predictions_for_the_others(tmp_path):
    key = {"Ann": "e1", "Bob": "e2", "Cy": "e2", "Dee": "e3", "Eve": "e3", "Flo": "e3"}
    (tmp_path / "gold").mkdir()
    for doc_id in ("small0", "small14"):  # train and test
        record = _small(key, doc_id)
        (tmp_path / "gold" / f"{doc_id}.json").write_text(dumps(record), encoding="utf-8")
    wrong = _small({word: "e1" for word in WORDS}, "small0")
    wrong["mentions"] = wrong["mentions"][:1]
    pred = _jsonl(tmp_path, wrong, _small(key, "small14"))
    output = json.loads(_run(tmp_path / "gold", pred, "--split", "test", "--json").output)
    assert (output["documents"], output["split"], output["findings"]) == (1, "test", [])
    assert output["layers"]["mentions"]["strict"]["f1"] == 1.0
    output = json.loads(_run(tmp_path / "gold", pred, "--json").output)
    assert output["documents"] == 2 and output["layers"]["mentions"]["strict"]["recall"] == 7 / 12


# --- usage, gold problems and the baseline --------------------------------------------------


def test_usage_errors_exit_2_and_gold_problems_exit_1(tmp_path):
    assert _run().exit_code == 2
    assert _run(RECORD, RECORD, RECORD).exit_code == 2
    result = _run(RECORD, "--split", "test")
    assert result.exit_code == 1 and "holds no gold document in split 'test'" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = _run(broken, RECORD)
    assert result.exit_code == 1 and "json-invalid" in result.output


def test_the_baseline_and_the_cards_evaluation_section():
    curator = Path(__file__).resolve().parent / "data" / "curator" / "root"
    result = CliRunner().invoke(main, ["evaluate", "--baseline", "--json", "--root", str(curator)])
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    # The suggester drafts every layer, so every layer is scored (leave-one-out).
    assert all(output["layers"][layer]["evaluated"] for layer in ("ner", "quotes", "events"))
    assert 0 < output["layers"]["ner"]["entity_f1"]["f1"] <= 1
    section = evaluation_section(baseline(curator))
    assert section.startswith("## Evaluation\n")
    assert "newscorpus evaluate predictions.jsonl --json" in section
    ner = output["layers"]["ner"]["entity_f1"]
    row = f"| ner | entity F1 (seqeval) | {ner['precision']:.3f} | {ner['recall']:.3f} "
    assert row + f"| {ner['f1']:.3f} |" in section
    assert "| quotes | identified |" in section and "Not evaluated" not in section


def test_agreement_is_the_same_scorer_applied_to_two_annotations(tmp_path):
    from test_agreement import perturbed, reference

    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(dumps(reference()), encoding="utf-8")
    b.write_text(dumps(perturbed()), encoding="utf-8")
    agreement = CliRunner().invoke(main, ["agreement", str(a), str(b), "--json"])
    assert agreement.exit_code == 0, agreement.output
    scores = json.loads(agreement.output)
    evaluated = json.loads(_run(a, b, "--json").output)
    assert scores["scorer"] == evaluated["layers"]
    # B's Bajwa and Islamabad overlap A's spans with other bounds or label: strict counts them
    # incorrect, as agreement's exact matching leaves them unmatched (P = 4/6, R = 4/7 both)
    strict = scores["scorer"]["mentions"]["strict"]
    assert strict["counts"] == {
        "correct": 4,
        "incorrect": 2,
        "partial": 0,
        "missed": 1,
        "spurious": 0,
    }
    exact = scores["mentions"]["exact"]
    assert (strict["precision"], strict["recall"]) == (exact["precision"], exact["recall"])
