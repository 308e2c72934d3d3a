"""The two-annotator study of guidelines 1.2 (tests/data/agreement): two independent gold
annotations of one constructed article, the adjudicator's decisions, and the adjudicated
record. Rerunning the tools on the committed inputs must give the committed results."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.cli import main

STUDY = Path(__file__).resolve().parent / "data" / "agreement"
A = STUDY / "a" / "press_sit_in.json"
B = STUDY / "b" / "press_sit_in.json"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "corpus" / "records").mkdir(parents=True)
    shutil.copytree(STUDY / "seeds", tmp_path / "seeds")
    return tmp_path


def _run(root: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--root", str(root)])


@pytest.mark.parametrize("record", [A, B, STUDY / "adjudicated" / "press_sit_in.json"])
def test_each_annotation_is_valid_gold(root: Path, record: Path) -> None:
    shutil.copy(record, root / "corpus" / "records")
    result = _run(root, "validate")
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_the_committed_decisions_give_the_committed_record(root: Path) -> None:
    decisions = root / "decisions.json"
    shutil.copy(STUDY / "press_sit_in.decisions.json", decisions)
    out = root / "press_sit_in.json"
    result = _run(
        root,
        "adjudicate",
        str(A),
        str(B),
        "--decisions",
        str(decisions),
        "--adjudicator",
        "newscorpus-curators",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (STUDY / "adjudicated" / "press_sit_in.json").read_bytes()


def test_the_record_keeps_the_agreement_that_agreement_reports(root: Path) -> None:
    result = _run(root, "agreement", str(A), str(B), "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    record = json.loads((STUDY / "adjudicated" / "press_sit_in.json").read_text("utf-8"))
    (kept,) = record["annotation"]["adjudication"]
    for layer in kept["agreement"]:
        assert layer["f1"] == pytest.approx(scores[layer["layer"]]["f1"], abs=1e-6)
    assert kept["kappa"] == pytest.approx(scores["kappa"], abs=1e-6)
