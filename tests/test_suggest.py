"""`newscorpus add --suggest`: known names and value patterns, marked as suggestions."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.curate.suggest import Candidate, KnownEntity, candidates, resolve_overlaps
from newscorpus.ingest import draft_record
from newscorpus.validate import validate_paths

CURATOR = Path(__file__).resolve().parent / "data" / "curator"
NEW_ARTICLE = CURATOR / "incoming" / "new_article.txt"


@pytest.fixture
def curator_root(tmp_path: Path) -> Path:
    """A scratch copy of the curator fixture corpus: two gold records and a draft."""
    target = tmp_path / "corpus-root"
    shutil.copytree(CURATOR / "root", target)
    return target


def _load_fixture_builder():
    spec = importlib.util.spec_from_file_location("make_fixtures", CURATOR / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fixture_records_are_current_and_valid():
    for path, content in _load_fixture_builder().expected().items():
        assert path.read_text(encoding="utf-8") == content, (
            f"{path.name} is stale: run python tests/data/curator/make_fixtures.py"
        )
    report = validate_paths(CURATOR / "root")
    assert report.files == 3
    assert [f.format() for f in report.findings] == []


def _add(root: Path, *extra: str):
    return CliRunner().invoke(main, ["add", str(NEW_ARTICLE), "--root", str(root), *extra])


def test_add_suggest_pre_annotates_known_names_and_values(curator_root):
    result = _add(curator_root, "--suggest")
    assert result.exit_code == 0, result.output
    assert "suggested 16 mentions, 12 entities, 2 quotes, 2 events, 1 relations" in result.output
    assert "(9 known names, 5 values)" in result.output

    record = json.loads((curator_root / "corpus/records/new_article.json").read_text())
    assert record["annotation"]["status"] == "draft"
    mentions = record["mentions"]
    assert all(m["suggested"] is True and m["mention_type"] == "NAM" for m in mentions)
    # Numbered as the guidelines number items: from m1 and e1, in reading order.
    assert [m["id"] for m in mentions] == [f"m{i}" for i in range(1, len(mentions) + 1)]
    assert record["entities"][0]["id"] == "e1"
    assert [(m["text"], m["label"], m["suggested_by"]) for m in mentions] == [
        ("PTA", "ORG", "gazetteer"),
        ("Google", "ORG", "gazetteer"),
        ("Islamabad", "GPE", "gazetteer"),
        ("Islamabad", "GPE", "gazetteer"),
        ("Amir Bajwa", "PERSON", "gazetteer"),
        ("Pakistan Telecommunication Authority", "ORG", "gazetteer"),
        ("Google", "ORG", "gazetteer"),
        ("Facebook", "ORG", "gazetteer"),
        ("Tuesday", "DATE", "pattern:DATE"),
        ("March 3, 2020", "DATE", "pattern:DATE"),
        ("Dawn", "ORG", "rule:names"),
        ("$3 billion", "MONEY", "pattern:MONEY"),
        ("More than 100", "CARDINAL", "pattern:CARDINAL"),
        ("12", "CARDINAL", "pattern:CARDINAL"),
        ("Citizens Protection Rules 2020", "LAW", "rule:names"),
        ("PTA", "ORG", "gazetteer"),
    ]
    for mention in mentions:
        assert record["text"][mention["start"] : mention["end"]] == mention["text"]

    entities = {e["id"]: e for e in record["entities"]}
    by_text = {m["text"]: entities[m["entity"]] for m in mentions}
    # The alias and the canonical name join one entity, named canonically, with its kb links.
    assert by_text["PTA"] is by_text["Pakistan Telecommunication Authority"]
    assert by_text["PTA"]["name"] == "Pakistan Telecommunication Authority"
    assert by_text["Islamabad"]["kb"] == [{"db": "wikidata", "id": "Q1362"}]
    # "Amir Bajwa, chairman of the Pakistan Telecommunication Authority": a stated relation.
    [relation] = record["relations"]
    assert (relation["type"], entities[relation["head"]]["name"]) == ("CHAIR_OF", "Amir Bajwa")
    assert entities[relation["tail"]] is by_text["PTA"]
    # "... withdrawn, the PTA said." and "the Dawn newspaper said ...": sources and contents.
    quotes = {q["content"][0]["text"]: q for q in record["quotes"]}
    assert set(quotes) == {
        "the firms could pay $3 billion in fines",
        "More than 100 rights groups and 12 companies want the Citizens Protection Rules 2020 "
        "withdrawn",
    }
    assert entities[quotes["the firms could pay $3 billion in fines"]["speaker"]] is by_text["Dawn"]
    assert [e["type"] for e in record["events"]] == ["STATEMENT", "STATEMENT"]

    report = validate_paths(curator_root)
    assert report.errors == [], [f.format() for f in report.errors]


def test_suggestions_never_overlap_and_the_longest_name_wins(curator_root):
    assert _add(curator_root, "--suggest").exit_code == 0
    record = json.loads((curator_root / "corpus/records/new_article.json").read_text())
    spans = sorted((m["start"], m["end"]) for m in record["mentions"])
    for (_, left_end), (right_start, _) in zip(spans, spans[1:], strict=False):
        assert left_end <= right_start
    # "Pakistan" (a known GPE) sits inside the longer known ORG name: only the ORG is kept.
    assert "Pakistan" not in {m["text"] for m in record["mentions"]}


def test_add_without_suggest_leaves_the_layers_empty(curator_root):
    result = _add(curator_root)
    assert result.exit_code == 0, result.output
    assert "suggested" not in result.output
    record = json.loads((curator_root / "corpus/records/new_article.json").read_text())
    assert record["mentions"] == [] and record["entities"] == []


def test_add_suggest_exit_codes(curator_root):
    assert _add(curator_root, "--suggest").exit_code == 0
    again = _add(curator_root, "--suggest")
    assert again.exit_code == 1
    assert "already exists" in again.output
    missing = CliRunner().invoke(
        main, ["add", "nowhere.txt", "--suggest", "--root", str(curator_root)]
    )
    assert missing.exit_code == 2


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Approximators and bounds are inside the value (guidelines 1.1, 2.7).
        ("A fine of up to Rs 500 million was set.", ("up to Rs 500 million", "MONEY")),
        ("They have at least 90 days to comply.", ("at least 90 days", "DATE")),
        ("The talks lasted two hours.", ("two hours", "TIME")),
        ("They could pay $3 billion in fines.", ("$3 billion", "MONEY")),
        ("More than 100 groups objected.", ("More than 100", "CARDINAL")),
        ("Some 12 firms objected.", ("Some 12", "CARDINAL")),
        ("It was approved on February 11 by the cabinet.", ("February 11", "DATE")),
        ("It was approved on 11 February 2020 by the cabinet.", ("11 February 2020", "DATE")),
        ("The report said on Monday that it had left.", ("Monday", "DATE")),
        ("The rules of 2020 were withdrawn.", ("2020", "DATE")),
        ("Prices rose 12% in a year.", ("12%", "PERCENT")),
        ("The road is 5 km long.", ("5 km", "QUANTITY")),
        ("The clinic will close in March after the cut.", ("March", "DATE")),
        ("The vote was moved to March 3 by the council.", ("March 3", "DATE")),
    ],
)
def test_value_patterns(sentence, expected):
    record = draft_record(sentence.encode(), "seeds/x.txt", "x")
    found = resolve_overlaps(candidates(record["text"], record["passages"], []))
    assert [(record["text"][c.start : c.end], c.label) for c in found] == [expected]


def test_may_alone_is_not_a_date():
    record = draft_record(b"May the board think again, residents asked.", "seeds/x.txt", "x")
    assert candidates(record["text"], record["passages"], []) == []


def test_value_patterns_ignore_numbers_inside_tokens():
    record = draft_record(b"COVID-19 reached the city.", "seeds/x.txt", "x")
    assert candidates(record["text"], record["passages"], []) == []


def test_resolve_overlaps_keeps_the_longest_then_the_earlier_pattern():
    short = Candidate(0, 8, "GPE", ("known", "0"), 0)
    long = Candidate(0, 36, "ORG", ("known", "1"), 0)
    pattern_same_span = Candidate(40, 44, "CARDINAL", ("value", "CARDINAL", "2020"), 9)
    date_same_span = Candidate(40, 44, "DATE", ("value", "DATE", "2020"), 5)
    kept = resolve_overlaps([short, pattern_same_span, long, date_same_span])
    assert kept == [long, date_same_span]
    assert resolve_overlaps([short], taken=[(4, 10)]) == []


def test_a_known_name_inside_a_longer_unknown_name_is_not_suggested():
    text = "The Pakistan Software Houses Association met Prime Minister Imran Khan in Pakistan."
    record = draft_record(text.encode(), "seeds/x.txt", "x")
    inventory = [
        KnownEntity("GPE", "Pakistan", forms={"Pakistan"}, weight=3),
        KnownEntity("PERSON", "Imran Khan", forms={"Imran Khan"}, weight=2),
    ]
    found = resolve_overlaps(candidates(record["text"], record["passages"], inventory))
    spans = [(c.start, record["text"][c.start : c.end]) for c in found]
    # The association's "Pakistan" is part of its name; a title before a name is not.
    assert spans == [
        (text.index("Imran Khan"), "Imran Khan"),
        (text.rindex("Pakistan"), "Pakistan"),
    ]
