"""The suggester's layers on constructed sentences, `newscorpus suggest`, a spaCy pipeline as a
source, and the property that no suggestion ever changes or removes a confirmed item."""

from __future__ import annotations

import copy
import json
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscorpus.cli import main
from newscorpus.curate.suggest import suggest_record
from newscorpus.ingest import draft_record
from newscorpus.validate import validate_record

CURATOR = Path(__file__).resolve().parent / "data" / "curator"
RECORDS = CURATOR / "root" / "corpus" / "records"


def _suggest(text: str) -> dict:
    record, _ = suggest_record(draft_record(text.encode(), "seeds/x.txt", "x"), [])
    errors = [f.format() for f in validate_record(record, file="x", root=None)]
    assert [e for e in errors if "error" in e] == []
    return record


def _names(record: dict) -> list[tuple[str, str, str]]:
    return [(m["text"], m["label"], m["mention_type"]) for m in record["mentions"]]


def test_titles_are_stripped_and_abbreviations_join_their_long_form():
    record = _suggest(
        "Lahore: Lahore Press Club President Sana Mir met officials of the National "
        "Highway Authority (NHA) on Friday. The NHA said Mir had asked for more time."
    )
    names = _names(record)
    assert ("Lahore Press Club", "ORG", "NAM") in names
    assert ("Sana Mir", "PERSON", "NAM") in names
    assert ("National Highway Authority", "ORG", "NAM") in names
    entities = {m["text"]: m["entity"] for m in record["mentions"]}
    assert entities["NHA"] == entities["National Highway Authority"]
    assert entities["Mir"] == entities["Sana Mir"]  # the surname after the full name
    assert {e["name"] for e in record["entities"]} >= {"National Highway Authority", "Sana Mir"}
    [relation] = record["relations"]
    assert relation["type"] == "CHAIR_OF" and relation["suggested_by"] == "rule:title"


def test_direct_split_and_indirect_quotes_with_their_statement_events():
    record = _suggest(
        "Union leader Omar Ali spoke on Tuesday.\n\n"
        "“We will not back down,” Ali said, “and we will win.”\n\n"
        "He added that the strike would continue."
    )
    quotes = record["quotes"]
    assert [q["type"] for q in quotes] == ["direct", "indirect"]
    assert [p["text"] for p in quotes[0]["content"]] == ["We will not back down", "and we will win"]
    assert quotes[1]["content"][0]["text"] == "the strike would continue"
    mentions = {m["id"]: m for m in record["mentions"]}
    he = mentions[quotes[1]["source"]]
    assert (he["text"], he["mention_type"], he["label"]) == ("He", "PRO", "PERSON")
    assert he["entity"] == mentions[quotes[0]["source"]]["entity"]
    assert [(e["type"], e["trigger"]["text"]) for e in record["events"]] == [
        ("STATEMENT", "said"),
        ("STATEMENT", "added"),
    ]
    assert all(q["suggested"] and q["suggested_by"] == "rule:reporting-verb" for q in quotes)


def test_a_document_that_speaks_is_a_nominal_source_and_its_remention_joins_it():
    record = _suggest(
        "A report by the commission said the dam was unsafe. Engineers disagreed, the report said."
    )
    sources = [m for m in record["mentions"] if m["mention_type"] == "NOM"]
    assert [(m["text"], m["label"]) for m in sources] == [
        ("A report", "WORK_OF_ART"),
        ("the report", "WORK_OF_ART"),
    ]
    assert sources[0]["entity"] == sources[1]["entity"]
    names = {e["id"]: e["name"] for e in record["entities"]}
    assert names[sources[0]["entity"]] == "Report"


# --- `newscorpus suggest ID` -----------------------------------------------------------------


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "root"
    shutil.copytree(CURATOR / "root", target)
    return target


def _cli(*args: str | Path):
    return CliRunner().invoke(main, [*map(str, args)])


def test_suggest_refreshes_a_draft_and_keeps_what_is_confirmed(root):
    path = root / "corpus/records/draft_note.json"
    before = json.loads(path.read_text())
    result = _cli("suggest", "draft_note", "--root", root)
    assert result.exit_code == 0, result.output
    assert "suggested into corpus/records/draft_note.json:" in result.output
    assert "previous record is kept as corpus/records/draft_note.json.bak" in result.output
    after = json.loads(path.read_text())
    for layer in ("mentions", "entities"):
        confirmed = [i for i in after[layer] if not i.get("suggested")]
        assert confirmed == before[layer]
    assert any(e["type"] == "STATEMENT" for e in after["events"])  # "The Dawn newspaper reported"
    again = _cli("suggest", "draft_note", "--root", root)
    assert again.exit_code == 0
    refreshed = json.loads(path.read_text())
    assert len(refreshed["events"]) == len(after["events"])  # stale suggestions are replaced


def test_suggest_refuses_gold_and_unknown_records_without_a_traceback(root):
    gold = _cli("suggest", "rules_delay", "--root", root)
    assert gold.exit_code == 1
    assert "/annotation/status is gold" in gold.output and "Traceback" not in gold.output
    missing = _cli("suggest", "nothing_here", "--root", root)
    assert missing.exit_code == 1 and "does not exist" in missing.output
    bad = root / "corpus/records/broken.json"
    bad.write_text("{", encoding="utf-8")
    broken = _cli("suggest", "broken", "--root", root)
    assert broken.exit_code == 1 and "json-invalid" in broken.output


# --- a spaCy pipeline ------------------------------------------------------------------------


def _train(target: Path) -> Path:
    """A tiny NER pipeline trained offline on the fixture's gold records."""
    import spacy
    from spacy.training import Example

    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    examples = []
    for path in sorted(RECORDS.glob("*.json")):
        record = json.loads(path.read_text())
        if record["annotation"]["status"] != "gold":
            continue
        for passage in record["passages"]:
            text = record["text"][passage["start"] : passage["end"]]
            ents = [
                (m["start"] - passage["start"], m["end"] - passage["start"], m["label"])
                for m in record["mentions"]
                if m["mention_type"] == "NAM" and passage["start"] <= m["start"] < passage["end"]
            ]
            examples.append(Example.from_dict(nlp.make_doc(text), {"entities": ents}))
    nlp.initialize(lambda: examples)
    rng = random.Random(0)
    for _ in range(40):
        rng.shuffle(examples)
        nlp.update(examples)
    nlp.to_disk(target)
    return target


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _train(tmp_path_factory.mktemp("model") / "tiny_ner")


def test_add_suggest_model_maps_a_spacy_pipelines_entities(tmp_path, pipeline):
    root = tmp_path / "root"
    (root / "corpus" / "records").mkdir(parents=True)
    seed = tmp_path / "letter.txt"
    seed.write_bytes((CURATOR / "root" / "seeds").glob("*coalition*").__next__().read_bytes())
    result = _cli("add", seed, "--suggest", "--model", pipeline, "--root", root)
    assert result.exit_code == 0, result.output
    record = json.loads((root / "corpus/records/letter.json").read_text())
    by_model = [m for m in record["mentions"] if m["suggested_by"] == f"model:{pipeline}"]
    assert by_model, [(m["text"], m["suggested_by"]) for m in record["mentions"]]
    assert all(m["suggested"] for m in record["mentions"])


def test_add_suggest_with_a_missing_model_says_so(tmp_path):
    seed = tmp_path / "story.txt"
    seed.write_text("Nothing happened on Monday.\n", encoding="utf-8")
    result = _cli("add", seed, "--suggest", "--model", tmp_path / "no_model", "--root", tmp_path)
    assert result.exit_code == 1
    assert "cannot load the spaCy pipeline" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "corpus/records/story.json").exists()


# --- the property: confirmed items are never touched ------------------------------------------

_GOLD = [json.loads(p.read_text()) for p in sorted(RECORDS.glob("*.json"))]


def _confirmed_subset(record: dict, keep: st.DataObject) -> dict:
    """The record with a random subset of its items, every reference still resolving."""
    out = copy.deepcopy(record)
    out["annotation"] = {**out["annotation"], "status": "draft"}
    out["mentions"] = [m for m in out["mentions"] if keep.draw(st.booleans())]
    ids = {m["id"] for m in out["mentions"]}
    entities = {m["entity"] for m in out["mentions"]}
    out["entities"] = [e for e in out["entities"] if e["id"] in entities]
    out["quotes"] = [
        q
        for q in out["quotes"]
        if q["source"] in ids | {None}
        and q["speaker"] in entities | {None}
        and keep.draw(st.booleans())
    ]
    out["events"] = [
        e
        for e in out["events"]
        if {a["mention"] for a in e["arguments"]} <= ids
        and e["time"] in ids | {None}
        and keep.draw(st.booleans())
    ]
    out["relations"] = [
        r
        for r in out["relations"]
        if {r["head"], r["tail"]} <= entities and set(r["evidence"]) <= ids
    ]
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(_GOLD) - 1), keep=st.data(), twice=st.booleans())
def test_no_suggestion_changes_or_removes_a_confirmed_item(index, keep, twice):
    record = _confirmed_subset(_GOLD[index], keep)
    result, _ = suggest_record(record, [])
    if twice:
        result, _ = suggest_record(result, [])
    for layer in ("mentions", "entities", "quotes", "events", "relations"):
        mine = {item["id"]: item for item in result[layer]}
        for item in record[layer]:
            assert mine.get(item["id"]) == item, (layer, item["id"])
        assert len(mine) == len(result[layer])  # ids stay unique
    assert set(record["labels"]["topics"]) <= set(result["labels"]["topics"])
    errors = [f for f in validate_record(result, file="x", root=None) if f.severity == "error"]
    assert [f.format() for f in errors if f.level in ("schema", "references", "spans")] == []


# --- failure classes of ordinary news text -----------------------------------------------------


def _quotes(record: dict) -> list[tuple[str, list[str], str, str]]:
    """(type, content, cue, source) of every quote, as a curator reads them."""
    mentions = {m["id"]: m["text"] for m in record["mentions"]}
    return [
        (q["type"], [p["text"] for p in q["content"]], q["cue"]["text"], mentions[q["source"]])
        for q in record["quotes"]
    ]


def _events(record: dict) -> list[tuple[str, str, list[tuple[str, str]], str | None]]:
    mentions = {m["id"]: m["text"] for m in record["mentions"]}
    return [
        (
            e["type"],
            e["trigger"]["text"],
            [(a["role"], mentions[a["mention"]]) for a in e["arguments"]],
            mentions.get(e["time"]),
        )
        for e in record["events"]
    ]


def test_a_straight_quoted_sentence_after_another_is_quoted_from_its_own_first_word():
    record = _suggest(
        'Mayor Rosa Lind opened the bridge on Sunday. "This crossing will change the town," '
        "she said. The works cost less than planned."
    )
    assert _quotes(record) == [("direct", ["This crossing will change the town"], "said", "she")]
    entities = {m["text"]: m["entity"] for m in record["mentions"]}
    assert entities["she"] == entities["Rosa Lind"]


def test_a_trailing_frame_with_a_title_before_the_name_is_a_quote_of_that_person():
    record = _suggest(
        '"The figures speak for themselves," Corvel Airlines spokesman Tomas Berg said.\n\n'
        "Talks will resume after the holiday, party secretary Lena Moss said."
    )
    assert _quotes(record) == [
        ("direct", ["The figures speak for themselves"], "said", "Tomas Berg"),
        ("indirect", ["Talks will resume after the holiday"], "said", "Lena Moss"),
    ]
    names = _names(record)
    assert ("Tomas Berg", "PERSON", "NAM") in names and ("Lena Moss", "PERSON", "NAM") in names
    assert ("Corvel Airlines", "ORG", "NAM") in names  # the body before the title, on its own
    assert [e[:3] for e in _events(record)] == [
        ("STATEMENT", "said", [("speaker", "Tomas Berg")]),
        ("STATEMENT", "said", [("speaker", "Lena Moss")]),
    ]


def test_a_trailing_frame_with_a_nominal_source_and_a_date():
    record = _suggest("Water bills will go up by a tenth, the watchdog announced on Thursday.")
    assert _quotes(record) == [
        ("indirect", ["Water bills will go up by a tenth"], "announced", "the watchdog")
    ]
    assert ("the watchdog", "ORG", "NOM") in _names(record)
    assert _events(record) == [("ANNOUNCE", "announced", [("agent", "the watchdog")], "Thursday")]


def test_a_name_with_a_company_head_noun_is_an_organisation_whatever_precedes_it():
    record = _suggest(
        "A tribunal penalised Brightwater Media last year, and investors sued Tollan Motors "
        "and Quarry Lane Holdings in March."
    )
    names = _names(record)
    for name in ("Brightwater Media", "Tollan Motors", "Quarry Lane Holdings"):
        assert (name, "ORG", "NAM") in names


def test_a_name_after_the_village_of_is_a_place():
    record = _suggest(
        "A clinic in the village of Brennock will close in March, and the town of Ardmore "
        "will keep its own, the board said."
    )
    names = _names(record)
    assert ("Brennock", "GPE", "NAM") in names and ("Ardmore", "GPE", "NAM") in names
    assert ("March", "DATE", "NAM") in names


def test_a_sentence_initial_pronoun_prefers_the_subject_of_the_sentence_before():
    record = _suggest(
        "The federation urged Carver Bank to freeze the accounts. It said the money had been "
        "stolen.\n\nArdent Foods has sold its stake to Pellam Group. It said the sale would "
        "close in June."
    )
    mentions = {m["text"]: m for m in record["mentions"]}
    pronouns = [m for m in record["mentions"] if m["text"] == "It"]
    assert [m["entity"] for m in pronouns] == [
        mentions["The federation"]["entity"],
        mentions["Ardent Foods"]["entity"],
    ]
    assert mentions["Carver Bank"]["entity"] != mentions["The federation"]["entity"]
