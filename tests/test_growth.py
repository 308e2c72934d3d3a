"""The corpus grows: a copy of this checkout with more gold articles (tests/data/articles,
every layer annotated) goes through every corpus-wide step with nothing else changed.

Nothing here assumes what the live corpus holds: counts are the live records plus the two.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import datasets
import pytest
from click.testing import CliRunner

from newscorpus.cli import main

REPO = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
NEW = ("harbour_union_boycott", "regulator_fines_brightline", "teachers_strike_threat")

pytestmark = pytest.mark.slow

# How prose states the corpus's size when it is written by hand (each seen in this project's
# README or DATASHEET before the build generated those counts).
STALE = (
    r"\b(?:holds|contains|publishes|has|with|at)\s+(?:only\s+|just\s+)?(?:one|1|a single)\s+"
    r"(?:gold\s+)?articles?\b",
    r"\b(?:one|1|a single) gold articles?\b",
    r"\bthe single article\b",
    r"\bone article's\b",
    r"\bone[- ]article corpus\b",
)


def _run(root: Path, *args: str):
    result = CliRunner().invoke(main, [*args, "--root", str(root)])
    return result


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The checkout's corpus, seeds and prose plus the two articles, built."""
    root = tmp_path_factory.mktemp("grown")
    for folder in ("seeds", "corpus"):
        shutil.copytree(REPO / folder, root / folder)
    for name in ("README.md", "DATASHEET.md"):
        shutil.copy(REPO / name, root / name)
    for name in NEW:
        shutil.copy(ARTICLES / "seeds" / f"{name}.txt", root / "seeds")
        shutil.copy(ARTICLES / "records" / f"{name}.json", root / "corpus" / "records")
    result = _run(root, "build", "--quiet", "--jobs", "1")
    assert result.exit_code == 0, result.output
    return root


def _gold_count(root: Path) -> int:
    records = (json.loads(p.read_text("utf-8")) for p in (root / "corpus/records").glob("*.json"))
    return sum(record["annotation"]["status"] == "gold" for record in records)


def test_the_grown_corpus_validates_and_its_build_is_up_to_date(grown: Path) -> None:
    validated = _run(grown, "validate")
    assert validated.exit_code == 0, validated.output
    files = len(list((grown / "corpus" / "records").glob("*.json")))
    assert f"{files} file(s) checked: 0 error(s), 0 warning(s): valid" in validated.output
    checked = _run(grown, "build", "--check", "--quiet", "--jobs", "1")
    assert checked.exit_code == 0, checked.output
    assert _run(grown, "fmt", "--check").exit_code == 0


def test_card_and_datasheet_state_the_grown_counts(grown: Path) -> None:
    gold = _gold_count(grown)
    card = (grown / "corpus" / "README.md").read_text(encoding="utf-8")
    assert f"This build publishes {gold} gold (reviewed) article(s)." in card
    sheet = (grown / "DATASHEET.md").read_text(encoding="utf-8")
    row = re.search(r"^\| articles \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", sheet, re.M)
    assert row is not None and int(row.group(4)) == gold
    for prose in (sheet, (grown / "README.md").read_text(encoding="utf-8")):
        for claim in STALE:
            stale = re.search(claim, prose, re.IGNORECASE)
            assert stale is None, f"a count the build does not generate: {stale}"


def test_every_config_loads_the_new_articles(grown: Path, tmp_path: Path) -> None:
    gold = _gold_count(grown)
    docs = datasets.load_dataset(str(grown / "corpus"), "documents", cache_dir=str(tmp_path))
    assert sum(len(split) for split in docs.values()) == gold
    ids = {row["id"] for split in docs.values() for row in split}
    assert set(NEW) <= ids
    mentions = datasets.load_dataset(str(grown / "corpus"), "mentions", cache_dir=str(tmp_path))
    names = mentions["train"].features["label"].names
    rows = [r for split in mentions.values() for r in split if r["doc_id"] in NEW]
    assert ("Sara Lind", "PERSON") in {(r["text"], names[r["label"]]) for r in rows}


def test_evaluate_scores_the_grown_gold_against_itself(grown: Path) -> None:
    result = _run(grown, "evaluate", str(grown / "corpus" / "records"), "--json")
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    assert output["documents"] == _gold_count(grown)
    assert output["layers"]["mentions"]["strict"]["f1"] == 1.0
    assert output["layers"]["quotes"]["identified"]["f1"] == 1.0


def test_agreement_compares_two_annotations_of_a_new_article(grown: Path, tmp_path: Path) -> None:
    record = json.loads((ARTICLES / "records" / f"{NEW[1]}.json").read_text(encoding="utf-8"))
    other = json.loads(json.dumps(record))
    other["quotes"] = other["quotes"][1:]
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(record), encoding="utf-8")
    b.write_text(json.dumps(other), encoding="utf-8")
    result = _run(grown, "agreement", str(a), str(b), "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["mentions"]["f1"] == 1.0
    assert scores["quotes"]["f1"] == pytest.approx(2 * 4 / (5 + 4))


@pytest.mark.parametrize("fmt", ["labelstudio", "brat", "conll", "spacy", "bigbio"])
def test_every_exporter_carries_the_new_articles(grown: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / ("out.spacy" if fmt == "spacy" else "out")
    result = _run(grown, "export", fmt, str(out), "--quiet")
    assert result.exit_code == 0, result.output
    if fmt == "spacy":
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab

        docs = list(DocBin().from_disk(out).get_docs(Vocab()))
        assert len(docs) == _gold_count(grown)
        return
    files = [out] if out.is_file() else sorted(p for p in out.rglob("*") if p.is_file())
    text = "".join(p.read_text(encoding="utf-8") for p in files)
    assert "Okafor" in text and "Brightline" in text  # a name from each new article
