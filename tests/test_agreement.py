"""`newscorpus agreement`: two annotations of one text, scored layer by layer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.curate.agreement import agreement, b_cubed, cohen_kappa
from newscorpus.ingest import draft_record
from newscorpus.jsonio import dumps

CURATOR = Path(__file__).resolve().parent / "data" / "curator"
GOLD = CURATOR / "root" / "corpus" / "records" / "rules_delay.json"
TEXT = "Amir Bajwa said the PTA will meet Google in Islamabad on Monday, and he will chair it."
LAYERS = ("mentions", "entities", "quotes", "events", "relations")


def _span(surface: str) -> dict:
    start = TEXT.index(surface)
    return {"start": start, "end": start + len(surface), "text": surface}


def _record(mentions, entities, quotes, events, relations) -> dict:
    record = draft_record(TEXT.encode(), "seeds/meeting.txt", "meeting")
    record["mentions"] = [
        {"id": f"m{i}", **_span(surface), "label": label, "mention_type": kind, "entity": entity}
        for i, (surface, label, kind, entity) in enumerate(mentions)
    ]
    record["entities"] = [{"id": e, "label": label, "name": e} for e, label in entities]
    record["quotes"] = quotes
    record["events"] = events
    record["relations"] = relations
    return record


def _event(event_id, kind, trigger, modality, arguments):
    return {
        "id": event_id,
        "type": kind,
        "trigger": _span(trigger),
        "modality": modality,
        "arguments": [{"role": r, "mention": m} for r, m in arguments],
        "time": None,
        "cluster": f"evc{event_id[2:]}",
    }


def reference() -> dict:
    return _record(
        [
            ("Amir Bajwa", "PERSON", "NAM", "e0"),
            ("PTA", "ORG", "NAM", "e1"),
            ("Google", "ORG", "NAM", "e2"),
            ("Islamabad", "GPE", "NAM", "e3"),
            ("Monday", "DATE", "NAM", "e4"),
            ("he", "PERSON", "PRO", "e0"),
            ("it", "ORG", "PRO", "e1"),
        ],
        [("e0", "PERSON"), ("e1", "ORG"), ("e2", "ORG"), ("e3", "GPE"), ("e4", "DATE")],
        [
            {
                "id": "q0",
                "type": "indirect",
                "content": [_span("the PTA will meet Google in Islamabad on Monday")],
                "cue": _span("said"),
                "source": "m0",
                "speaker": "e0",
            }
        ],
        [
            _event("ev0", "STATEMENT", "said", "asserted", [("speaker", "m0")]),
            _event(
                "ev1",
                "CONSULT",
                "meet",
                "planned",
                [("participant", "m1"), ("participant", "m2"), ("place", "m3")],
            ),
        ],
        [{"id": "r0", "type": "CHAIR_OF", "head": "e0", "tail": "e1", "evidence": ["m5", "m6"]}],
    )


def perturbed() -> dict:
    """Short name span, a label changed, a mention missed, 'it' linked to the wrong entity,
    a shorter quote, another modality, one extra relation."""
    return _record(
        [
            ("Bajwa", "PERSON", "NAM", "e0"),
            ("PTA", "ORG", "NAM", "e1"),
            ("Google", "ORG", "NAM", "e2"),
            ("Islamabad", "LOC", "NAM", "e3"),
            ("he", "PERSON", "PRO", "e0"),
            ("it", "ORG", "PRO", "e2"),
        ],
        [("e0", "PERSON"), ("e1", "ORG"), ("e2", "ORG"), ("e3", "LOC")],
        [
            {
                "id": "q0",
                "type": "indirect",
                "content": [_span("the PTA will meet Google")],
                "cue": _span("said"),
                "source": "m0",
                "speaker": "e0",
            }
        ],
        [
            _event("ev0", "STATEMENT", "said", "asserted", [("speaker", "m0")]),
            _event(
                "ev1",
                "CONSULT",
                "meet",
                "hypothetical",
                [("participant", "m1"), ("participant", "m2"), ("place", "m3")],
            ),
        ],
        [
            {"id": "r0", "type": "CHAIR_OF", "head": "e0", "tail": "e1", "evidence": ["m4", "m1"]},
            {
                "id": "r1",
                "type": "LOCATED_IN",
                "head": "e1",
                "tail": "e3",
                "evidence": ["m1", "m3"],
            },
        ],
    )


def _write(tmp_path: Path, name: str, record: dict) -> Path:
    path = tmp_path / name
    path.write_text(dumps(record), encoding="utf-8")
    return path


def _run(*args: str):
    return CliRunner().invoke(main, ["agreement", *map(str, args)])


def test_identical_records_agree_perfectly():
    result = _run(GOLD, GOLD, "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    for layer in LAYERS:
        assert scores[layer]["f1"] == 1.0, layer
        assert scores[layer]["overlap"]["f1"] == 1.0, layer
        assert all(s["f1"] == 1.0 for s in scores[layer]["exact"]["labels"].values()), layer
    assert scores["events"]["arguments"]["exact"]["f1"] == 1.0
    assert scores["kappa"] == 1.0


def test_known_perturbation_gives_the_hand_computed_figures(tmp_path):
    a, b = _write(tmp_path, "a.json", reference()), _write(tmp_path, "b.json", perturbed())
    result = _run(a, b, "--json")
    assert result.exit_code == 0, result.output
    s = json.loads(result.output)
    approx = pytest.approx

    # Mentions: exact matches PTA, Google, he, it (4 of A's 7 and B's 6);
    # overlap adds Bajwa ~ Amir Bajwa; Islamabad differs in label, Monday is missing.
    exact, overlap = s["mentions"]["exact"], s["mentions"]["overlap"]
    assert (exact["matched"], exact["a"], exact["b"]) == (4, 7, 6)
    assert exact["precision"] == approx(4 / 6) and exact["recall"] == approx(4 / 7)
    assert s["mentions"]["f1"] == approx(8 / 13)
    assert overlap["f1"] == approx(10 / 13)
    assert exact["labels"]["PERSON"]["f1"] == approx(0.5)
    assert exact["labels"]["ORG"]["f1"] == 1.0
    assert exact["labels"]["GPE"]["f1"] == 0.0 and exact["labels"]["LOC"]["f1"] == 0.0

    # Entities, B-cubed. Key {AB,he} {PTA,it} {Google} {Isl} {Mon};
    # response {Bajwa,he} {PTA} {Google,it} {Isl}: P = 3.5/6, R = 3.5/7, F1 = 7/13.
    assert s["entities"]["exact"]["precision"] == approx(3.5 / 6)
    assert s["entities"]["exact"]["recall"] == approx(0.5)
    assert s["entities"]["f1"] == approx(7 / 13)
    # Overlap pairs Bajwa with Amir Bajwa: P = 5/6, R = 5/7.
    assert s["entities"]["overlap"]["precision"] == approx(5 / 6)
    assert s["entities"]["overlap"]["recall"] == approx(5 / 7)

    # Quotes: the content spans differ (exact 0), but overlap and the speakers share 'he'.
    assert s["quotes"]["f1"] == 0.0 and s["quotes"]["overlap"]["f1"] == 1.0

    # Events: both triggers match; 3 of 4 arguments exactly (Bajwa vs Amir Bajwa overlaps);
    # one of two modalities agrees.
    assert s["events"]["f1"] == 1.0
    assert s["events"]["arguments"]["exact"]["f1"] == approx(0.75)
    assert s["events"]["arguments"]["overlap"]["f1"] == 1.0
    assert s["events"]["modality_agreement"] == approx(0.5)

    # Relations: CHAIR_OF matches (heads share 'he', tails share 'PTA'); LOCATED_IN is extra.
    assert s["relations"]["exact"]["precision"] == approx(0.5)
    assert s["relations"]["exact"]["recall"] == 1.0
    assert s["relations"]["f1"] == approx(2 / 3)

    # Kappa over 19 tokens: 15 agree (p_o = 15/19), p_e = 200/361, kappa = 85/161.
    assert s["tokens"] == 19
    assert s["kappa"] == approx(85 / 161)


def test_text_report_lists_layers_and_kappa(tmp_path):
    a, b = _write(tmp_path, "a.json", reference()), _write(tmp_path, "b.json", perturbed())
    result = _run(a, b)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(
        line.split()[:2] == ["mentions", "exact"] and line.split()[4] == "0.615" for line in lines
    )
    assert any(line.startswith("entities (B-cubed)") for line in lines)
    assert lines[-1] == "kappa (token BIO, 19 tokens): 0.528"


def test_agreement_refuses_different_texts(tmp_path):
    other = reference()
    other["text"] = other["text"].replace("Monday", "Sunday")
    result = _run(_write(tmp_path, "a.json", reference()), _write(tmp_path, "b.json", other))
    assert result.exit_code == 1
    assert "annotate different texts" in result.output
    assert "offset 57" in result.output


def test_agreement_exit_codes_for_bad_input(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = _run(GOLD, broken)
    assert result.exit_code == 1 and "json-invalid" in result.output

    dangling = reference()
    dangling["mentions"][0]["entity"] = "e9"
    result = _run(GOLD, _write(tmp_path, "dangling.json", dangling))
    assert result.exit_code == 1 and "ref-unresolved" in result.output

    assert _run(GOLD, tmp_path / "absent.json").exit_code == 2
    assert _run(GOLD).exit_code == 2


def test_metric_edge_cases():
    assert b_cubed([], [])["f1"] == 1.0
    assert b_cubed([{1, 2}], [])["f1"] == 0.0
    assert cohen_kappa(["O", "O"], ["O", "O"]) == 1.0
    assert cohen_kappa(["B-ORG", "O"], ["O", "B-ORG"]) == pytest.approx(-1.0)
    empty = agreement(
        reference() | {"mentions": [], "entities": [], "quotes": [], "events": [], "relations": []},
        reference() | {"mentions": [], "entities": [], "quotes": [], "events": [], "relations": []},
    )
    assert all(empty[layer]["f1"] == 1.0 for layer in LAYERS) and empty["kappa"] == 1.0


def test_overlap_pairing_prefers_the_identical_mention():
    # A nests "PTA" in "the PTA", listed first; B has only "PTA". B's "PTA" must pair with A's
    # own "PTA", so B-cubed with overlap cannot be worse than exact. Recall: the key cluster
    # {the PTA, PTA, it} gives 2*2/3, the other four 2*2/2 + 1 + 1 + 1, over 8 mentions.
    a = reference()
    a["mentions"].insert(
        0, {"id": "m7", **_span("the PTA"), "label": "ORG", "mention_type": "NOM", "entity": "e1"}
    )
    scores = agreement(a, reference())["entities"]
    assert scores["exact"]["precision"] == 1.0
    assert scores["overlap"]["precision"] == 1.0
    assert scores["overlap"]["recall"] == scores["exact"]["recall"] == pytest.approx(19 / 24)
