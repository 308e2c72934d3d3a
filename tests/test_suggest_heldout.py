"""How much of a gold record the `add --suggest` draft holds, on articles the suggester's rules
were never written from: the constructed articles of tests/data/articles, annotated to gold by
hand with the phrase API. The floors are those a draft must reach to be worth correcting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.cli import main

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("held-out")
    (root / "corpus" / "records").mkdir(parents=True)
    runner = CliRunner()
    for seed in sorted((ARTICLES / "seeds").glob("*.txt")):
        added = runner.invoke(main, ["add", str(seed), "--suggest", "--root", str(root)])
        assert added.exit_code == 0, added.output
    result = runner.invoke(
        main,
        ["evaluate", str(ARTICLES / "records"), str(root / "corpus" / "records"), "--json"]
        + ["--root", str(root)],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["layers"]


def test_the_draft_finds_most_names(scores: dict) -> None:
    assert scores["ner"]["entity_f1"]["f1"] >= 0.75
    assert scores["mentions"]["strict"]["f1"] >= 0.6


def test_the_draft_finds_most_quotes_and_statements(scores: dict) -> None:
    assert scores["quotes"]["identified"]["f1"] >= 0.7
    statement = scores["events"]["trigger_classification"]["labels"]["STATEMENT"]
    assert statement["f1"] >= 0.7


def test_the_draft_groups_mentions_into_entities(scores: dict) -> None:
    assert scores["coreference"]["b_cubed"]["f1"] >= 0.6


def test_the_draft_suggests_nothing_it_should_not_often(scores: dict) -> None:
    for layer, figure in (("mentions", "strict"), ("quotes", "identified")):
        assert scores[layer][figure]["precision"] >= 0.8, layer
