"""Annotating by phrase (the Python API and `newscorpus edit`) and the canonical form (`fmt`).

The two articles of tests/data/articles were annotated to gold from an `add` draft by the
scripts beside them, with nothing but the phrase API; the first test does it again and must
reproduce each gold record byte for byte.
"""

from __future__ import annotations

import importlib.util
import json
import random
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.canonical import canonicalize, is_canonical, next_id
from newscorpus.cli import main
from newscorpus.curate.add import add_seed
from newscorpus.curate.phrase import Editor, Phrase, PhraseError, locate
from newscorpus.jsonio import dumps

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
NAMES = ("harbour_union_boycott", "regulator_fines_brightline", "teachers_strike_threat")


def _annotator(name: str):
    spec = importlib.util.spec_from_file_location(name, ARTICLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.annotate


def _draft(tmp_path: Path, name: str) -> Path:
    root = tmp_path / "root"
    (root / "corpus" / "records").mkdir(parents=True, exist_ok=True)
    add_seed(root, ARTICLES / "seeds" / f"{name}.txt")
    return root


def _record(root: Path, name: str) -> dict:
    return json.loads((root / "corpus" / "records" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", NAMES)
def test_the_phrase_api_takes_a_draft_to_the_gold_record_byte_for_byte(tmp_path, name):
    root = _draft(tmp_path, name)
    _annotator(name)(root)
    made = (root / "corpus" / "records" / f"{name}.json").read_bytes()
    assert made == (ARTICLES / "records" / f"{name}.json").read_bytes()


@pytest.mark.parametrize("name", NAMES)
def test_the_gold_fixtures_are_canonical_and_numbered_in_reading_order(name):
    record = json.loads((ARTICLES / "records" / f"{name}.json").read_text(encoding="utf-8"))
    assert is_canonical(record)
    assert canonicalize(record, renumber=True) == record
    starts = [m["start"] for m in record["mentions"]]
    assert starts == sorted(starts)
    assert [m["id"] for m in record["mentions"]] == [f"m{i}" for i in range(1, len(starts) + 1)]


def test_a_phrase_that_occurs_twice_must_say_which():
    text = "Khan met Khanewal officials. Khan said so."
    with pytest.raises(PhraseError, match="occurs 2 times; say which: nth=1..2"):
        locate(text, "Khan")
    assert locate(text, Phrase("Khan", nth=2)) == (29, 33)
    assert locate(text, Phrase("Khan", within="Khan said")) == (29, 33)
    with pytest.raises(PhraseError, match="no occurrence 3"):
        locate(text, Phrase("Khan", nth=3))
    with pytest.raises(PhraseError, match="not in the text"):
        locate(text, "Imran")


def test_ids_are_never_renumbered_after_the_first_annotation(tmp_path):
    name = NAMES[0]
    root = _draft(tmp_path, name)
    shutil.copy(ARTICLES / "records" / f"{name}.json", root / "corpus" / "records")
    before = _record(root, name)
    with Editor.open(name, root) as doc:
        added = doc.mention("a table", "FAC", type="NOM")  # early in the text, added late
    after = _record(root, name)
    assert added == next_id(before, "mentions")
    kept = {m["id"]: (m["start"], m["end"]) for m in before["mentions"]}
    assert {m["id"]: (m["start"], m["end"]) for m in after["mentions"] if m["id"] in kept} == kept
    positions = [m["id"] for m in after["mentions"]]
    assert positions.index(added) < len(positions) - 1  # listed by offset, not at the end


def test_an_edit_that_would_not_validate_writes_nothing(tmp_path):
    name = NAMES[0]
    root = _draft(tmp_path, name)
    path = root / "corpus" / "records" / f"{name}.json"
    before = path.read_bytes()
    editor = Editor.open(name, root)
    editor.mention("Marlow", "NOT_A_LABEL")
    with pytest.raises(PhraseError, match="not saved, the record would not validate"):
        editor.save()
    assert path.read_bytes() == before


def test_an_edit_of_a_record_changed_on_disk_is_refused(tmp_path):
    name = NAMES[0]
    root = _draft(tmp_path, name)
    path = root / "corpus" / "records" / f"{name}.json"
    editor = Editor.open(name, root)
    editor.mention("Marlow", "GPE")
    other = Editor.open(name, root)
    other.mention("Tom Reyes", "PERSON")
    other.save()
    saved = path.read_bytes()
    with pytest.raises(PhraseError, match="changed on disk since it was opened"):
        editor.save()
    assert path.read_bytes() == saved


def test_a_mention_still_used_cannot_be_removed(tmp_path):
    name = NAMES[1]
    root = _draft(tmp_path, name)
    _annotator(name)(root)
    with (
        Editor.open(name, root) as doc,
        pytest.raises(PhraseError, match="still used by"),
    ):
        doc.remove(doc.mention_id("Sara Lind"))


FERRY = (
    "Ferry operator suspends night crossings\n\n"
    '"Nobody was hurt," the chief executive, Dana Orsel, told reporters in Port Elden. '
    "She said engineers would inspect the fleet.\n"
)


def test_moving_a_mention_to_another_entity_takes_its_label_and_its_quotes_speaker(tmp_path):
    """A curator corrects a draft that put "She" in the wrong cluster: the mention takes the
    label of the entity it joins, and a quote it is the source of follows it to that speaker."""
    root = tmp_path / "root"
    (root / "corpus" / "records").mkdir(parents=True)
    seed = tmp_path / "ferry.txt"
    seed.write_text(FERRY, encoding="utf-8")
    add_seed(root, seed, "ferry")
    with Editor.open("ferry", root) as doc:
        orsel = doc.mention("Dana Orsel", "PERSON")
        place = doc.mention("Port Elden", "GPE")
        she = doc.mention("She", "GPE", type="PRO", entity=place)  # the wrong cluster
        doc.quote("engineers would inspect the fleet", cue="said", source=she)
    with Editor.open("ferry", root) as doc:
        doc.change_mention("She", entity=orsel)
    record = _record(root, "ferry")
    moved = next(m for m in record["mentions"] if m["id"] == she)
    person = next(m["entity"] for m in record["mentions"] if m["id"] == orsel)
    assert (moved["label"], moved["entity"]) == ("PERSON", person)
    assert [q["speaker"] for q in record["quotes"]] == [person]
    assert {e["label"] for e in record["entities"]} == {"PERSON", "GPE"}


def _cli(root: Path, *args: str):
    return CliRunner().invoke(main, ["edit", *args, "--root", str(root)], catch_exceptions=False)


def test_the_edit_command_annotates_by_phrase(tmp_path):
    name = NAMES[0]
    root = _draft(tmp_path, name)
    result = _cli(root, name, "mention", "Tom Reyes", "PERSON")
    assert result.exit_code == 0, result.output
    assert f"{name}.json: mention m1" in result.output
    result = _cli(root, name, "mention", "He", "PERSON", "--type", "PRO", "--entity", "Tom Reyes")
    assert result.exit_code == 0, result.output
    result = _cli(root, name, "event", "STATEMENT", "said#4", "--arg", "speaker=He@He said")
    assert result.exit_code == 0, result.output
    record = _record(root, name)
    assert [(m["text"], m["entity"]) for m in record["mentions"]] == [
        ("Tom Reyes", "e1"),
        ("He", "e1"),
    ]
    (event,) = record["events"]
    assert event["trigger"]["start"] == record["text"].rindex("said")
    assert event["arguments"] == [{"role": "speaker", "mention": "m2"}]
    assert record["entities"] == [{"id": "e1", "label": "PERSON", "name": "Tom Reyes"}]


def test_remove_takes_a_mention_by_the_phrase_on_its_span(tmp_path):
    """A curator who reads the text need not look up ids: `remove He@He said` removes the
    mention on that span and says which id it was; a quote, event or relation is still
    removed by id, and an id that names nothing is refused as before."""
    name = NAMES[0]
    root = _draft(tmp_path, name)
    assert _cli(root, name, "mention", "Tom Reyes", "PERSON").exit_code == 0
    assert _cli(root, name, "mention", "He", "PERSON", "--type", "PRO").exit_code == 0
    result = _cli(root, name, "remove", "He@He said")
    assert result.exit_code == 0, result.output
    assert f"{name}.json: removed m2" in result.output
    assert [m["text"] for m in _record(root, name)["mentions"]] == ["Tom Reyes"]
    missing = _cli(root, name, "remove", "q7")
    assert missing.exit_code == 1 and "no mention, quote, event or relation 'q7'" in missing.output
    nowhere = _cli(root, name, "remove", "Marlow")
    assert nowhere.exit_code == 1 and "no mention on 'Marlow'" in nowhere.output
    operations = tmp_path / "ops.json"
    operations.write_text(json.dumps([{"op": "remove", "id": "Tom Reyes"}]), encoding="utf-8")
    assert _cli(root, name, "apply", str(operations)).exit_code == 0
    assert _record(root, name)["mentions"] == []


def test_the_edit_command_says_what_to_fix_and_changes_nothing(tmp_path):
    name = NAMES[0]
    root = _draft(tmp_path, name)
    path = root / "corpus" / "records" / f"{name}.json"
    before = path.read_bytes()
    result = _cli(root, name, "mention", "HWU", "ORG")
    assert result.exit_code == 1
    assert "'HWU' occurs 3 times; say which: nth=1..3" in result.output
    assert "Traceback" not in result.output
    assert path.read_bytes() == before


def test_apply_runs_a_file_of_operations_all_or_nothing(tmp_path):
    name = NAMES[0]
    root = _draft(tmp_path, name)
    path = root / "corpus" / "records" / f"{name}.json"
    operations = [
        {"op": "mention", "phrase": "Maria Okafor", "label": "PERSON"},
        {"op": "mention", "phrase": {"text": "HWU", "nth": 2}, "label": "ORG"},
        {"op": "relation", "type": "CHAIR_OF", "head": "Maria Okafor",
         "tail": {"text": "HWU", "nth": 2},
         "evidence": [{"text": "HWU", "nth": 2}, "Maria Okafor"]},
    ]  # fmt: skip
    ops = tmp_path / "ops.json"
    ops.write_text(json.dumps(operations), encoding="utf-8")
    result = _cli(root, name, "apply", str(ops))
    assert result.exit_code == 0, result.output
    record = _record(root, name)
    assert [r["type"] for r in record["relations"]] == ["CHAIR_OF"]

    before = path.read_bytes()
    bad = [
        {"op": "mention", "phrase": "Tom Reyes", "label": "PERSON"},
        {"op": "event", "type": "STATEMENT", "trigger": "said"},
    ]
    ops.write_text(json.dumps(bad), encoding="utf-8")
    result = _cli(root, name, "apply", str(ops))
    assert result.exit_code == 1
    assert f"{ops}:/1: the phrase 'said' occurs 4 times" in result.output
    assert "nothing was changed" in result.output
    assert path.read_bytes() == before


def test_an_operations_file_reads_a_reference_as_the_command_line_does(tmp_path):
    """`HWU#2` and `He@He said` mean in a file what they mean on the command line."""
    name = NAMES[0]
    root = _draft(tmp_path, name)
    operations = [
        {"op": "mention", "phrase": "HWU#2", "label": "ORG"},
        {"op": "mention", "phrase": "He@He said", "label": "PERSON", "type": "PRO"},
    ]
    ops = tmp_path / "ops.json"
    ops.write_text(json.dumps(operations), encoding="utf-8")
    result = _cli(root, name, "apply", str(ops))
    assert result.exit_code == 0, result.output
    record = _record(root, name)
    text = record["text"]
    second = text.index("HWU", text.index("HWU") + 1)
    assert [(m["text"], m["start"]) for m in record["mentions"]] == [
        ("HWU", second),
        ("He", text.index("He said")),
    ]


def test_the_annotation_command_marks_a_record_gold_only_when_it_is_complete(tmp_path):
    """The last step from draft to gold without editing JSON by hand: who, which guidelines,
    the status and the notes. A draft that still holds suggestions stays a draft."""
    name = NAMES[0]
    root = _suggested_draft(tmp_path, name)
    path = root / "corpus" / "records" / f"{name}.json"
    before = path.read_bytes()
    gold = ("annotation", "--status", "gold", "--annotator", "newscorpus-curators")
    result = _cli(root, name, *gold, "--guidelines", "1.2")
    assert result.exit_code == 1
    assert "[gold-with-suggestion]" in result.output and "not saved" in result.output
    assert path.read_bytes() == before

    root = _draft(tmp_path / "complete", name)
    _annotator(name)(root)
    result = _cli(root, name, "annotation", "--status", "draft", "--notes", "")
    assert result.exit_code == 0, result.output
    block = _record(root, name)["annotation"]
    assert (block["status"], block["notes"], block["guidelines_version"]) == ("draft", None, "1.2")
    result = _cli(root, name, *gold, "--annotator", "ann-b", "--notes", "4.3: generic.")
    assert result.exit_code == 0, result.output
    block = _record(root, name)["annotation"]
    assert block["annotators"] == ["newscorpus-curators", "ann-b"]
    assert (block["status"], block["notes"]) == ("gold", "4.3: generic.")


def test_changing_a_suggested_mention_confirms_it_and_its_entity(tmp_path):
    name = NAMES[0]
    root = _suggested_draft(tmp_path, name)
    draft = _record(root, name)
    mention = next(m for m in draft["mentions"] if m.get("suggested"))
    with Editor.open(name, root) as doc:
        doc.change_mention(mention["id"], type=mention["mention_type"])
    record = _record(root, name)
    changed = next(m for m in record["mentions"] if m["id"] == mention["id"])
    entity = next(e for e in record["entities"] if e["id"] == changed["entity"])
    assert "suggested" not in changed and "suggested_by" not in changed
    assert "suggested" not in entity and "suggested_by" not in entity


def test_fmt_orders_every_layer_and_keeps_every_id(tmp_path):
    name = NAMES[1]
    root = tmp_path / "root"
    (root / "corpus" / "records").mkdir(parents=True)
    gold = json.loads((ARTICLES / "records" / f"{name}.json").read_text(encoding="utf-8"))
    shuffled = json.loads(json.dumps(gold))
    rng = random.Random(7)
    for layer in ("mentions", "entities", "quotes", "events", "relations"):
        rng.shuffle(shuffled[layer])
    shuffled["mentions"][0] = dict(reversed(list(shuffled["mentions"][0].items())))
    path = root / "corpus" / "records" / f"{name}.json"
    path.write_text(dumps(shuffled), encoding="utf-8")
    runner = CliRunner()
    check = runner.invoke(main, ["fmt", "--check", "--root", str(root)])
    assert check.exit_code == 1
    assert f"{name}.json: not in canonical form; run `newscorpus fmt {name}`" in check.output
    assert path.read_text(encoding="utf-8") == dumps(shuffled)
    done = runner.invoke(main, ["fmt", name, "--root", str(root)])
    assert done.exit_code == 0 and "1 record(s) checked, 1 changed" in done.output
    assert path.read_text(encoding="utf-8") == dumps(gold)
    again = runner.invoke(main, ["fmt", "--check", "--root", str(root)])
    assert again.exit_code == 0 and "0 would change" in again.output


def test_the_live_records_are_canonical():
    result = CliRunner().invoke(main, ["fmt", "--check", "--root", str(ARTICLES.parents[2])])
    assert result.exit_code == 0, result.output


def _readme_blocks(language: str) -> list[str]:
    readme = (ARTICLES.parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Annotating by phrase", 1)[1].split("\n### ", 1)[0]
    return [b.split("\n", 1)[1] for b in section.split("```")[1::2] if b.startswith(language)]


def _seed_draft(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "seeded"
    (root / "corpus" / "records").mkdir(parents=True)
    seed = next((ARTICLES.parents[2] / "seeds").glob("000_*.txt"))
    add_seed(root, seed)
    return root, seed.stem


def test_the_readme_phrase_example_runs(tmp_path, monkeypatch):
    (code,) = _readme_blocks("python")
    root, doc_id = _seed_draft(tmp_path)
    monkeypatch.chdir(root)
    exec(compile(code, "README.md", "exec"), {})
    record = _record(root, doc_id)
    assert [(m["text"], m["label"]) for m in record["mentions"]] == [
        ("Pakistan", "GPE"),
        ("Imran Khan", "PERSON"),
        ("stakeholders", "PERSON"),
        ("Citizens Protection Rules 2020", "LAW"),
    ]
    assert [m["id"] for m in record["mentions"]] == ["m1", "m2", "m3", "m4"]
    (quote,) = record["quotes"]
    assert quote["cue"]["text"] == "announced" and quote["source"] == "m2"
    assert [(e["type"], e["arguments"]) for e in record["events"]] == [
        ("ANNOUNCE", [{"role": "agent", "mention": "m2"}]),
        ("CONSULT", [{"role": "participant", "mention": "m3"}, {"role": "topic", "mention": "m4"}]),
    ]
    assert record["relations"][0]["type"] == "HEAD_OF_GOVERNMENT_OF"


def test_the_readme_edit_commands_run(tmp_path):
    (script,) = _readme_blocks("bash")
    root, doc_id = _seed_draft(tmp_path)
    for line in script.strip().splitlines():
        args = shlex.split(line)
        assert args[:2] == ["newscorpus", "edit"]
        result = CliRunner().invoke(main, [*args[1:], "--root", str(root)])
        assert result.exit_code == 0, (line, result.output)
    record = _record(root, doc_id)
    assert {m["text"] for m in record["mentions"]} == {"Imran Khan", "Pakistan"}
    assert [r["type"] for r in record["relations"]] == ["HEAD_OF_GOVERNMENT_OF"]
    assert record["events"][0]["arguments"][0]["mention"] == record["mentions"][1]["id"]


def _suggested_draft(tmp_path: Path, name: str) -> Path:
    root = tmp_path / "root"
    (root / "corpus" / "records").mkdir(parents=True, exist_ok=True)
    add_seed(root, ARTICLES / "seeds" / f"{name}.txt", suggest=True)
    return root


def _suggestions(record: dict) -> list[str]:
    layers = ("mentions", "entities", "quotes", "events", "relations")
    return [item["id"] for layer in layers for item in record[layer] if item.get("suggested")]


def test_annotating_what_was_suggested_confirms_it_instead_of_adding_a_copy(tmp_path):
    name = NAMES[2]
    root = _suggested_draft(tmp_path, name)
    draft = _record(root, name)
    said = [e for e in draft["events"] if e.get("suggested") and e["trigger"]["text"] == "said"]
    assert said, "the suggester drafts the STATEMENT events of 'said'"
    text = draft["text"]
    nth = [i for i in range(len(text)) if text.startswith("said", i)].index(
        said[0]["trigger"]["start"]
    )
    with Editor.open(name, root) as doc:
        doc.event("STATEMENT", Phrase("said", nth=nth + 1))
    record = _record(root, name)
    on_span = [e for e in record["events"] if e["trigger"] == said[0]["trigger"]]
    assert len(on_span) == 1 and "suggested" not in on_span[0]
    assert len(record["events"]) == len(draft["events"])


def test_confirm_and_reject_review_a_whole_draft(tmp_path):
    name = NAMES[2]
    root = _suggested_draft(tmp_path, name)
    draft = _record(root, name)
    assert _suggestions(draft)
    kept = draft["quotes"][0]["id"]
    result = _cli(root, name, "confirm", kept)
    assert result.exit_code == 0, result.output
    assert f"confirmed {kept}" in result.output
    result = _cli(root, name, "reject")
    assert result.exit_code == 0, result.output
    record = _record(root, name)
    assert _suggestions(record) == [] and "suggested" not in record["labels"]
    assert [q["id"] for q in record["quotes"]] == [kept]
    source = draft["quotes"][0]["source"]
    assert source in {m["id"] for m in record["mentions"]}  # what the quote uses stays
    assert _cli(root, name, "confirm", "q99").exit_code == 1


def test_setting_a_label_list_confirms_its_suggestions_and_keeps_the_others(tmp_path):
    """`edit labels --topic ...` is the curator's own list of topics: the suggested topics are
    reviewed with it, so the record can go gold without a separate `confirm labels`. A list
    the command does not set keeps what was suggested for it."""
    name = NAMES[1]
    root = _suggested_draft(tmp_path, name)
    draft = _record(root, name)
    assert draft["labels"]["suggested"]["topics"], "the draft's topics are suggested"
    path = root / "corpus" / "records" / f"{name}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["labels"]["suggested"]["countries"] = ["GB"]  # a second suggested list
    record["labels"]["countries"] = ["GB"]
    path.write_text(dumps(record), encoding="utf-8")
    result = _cli(root, name, "labels", "--topic", "regulation", "--topic", "business")
    assert result.exit_code == 0, result.output
    labels = _record(root, name)["labels"]
    assert labels["topics"] == ["regulation", "business"]
    assert labels["suggested"] == {"countries": ["GB"], "suggested_by": "rule:entities"}
    assert _cli(root, name, "labels", "--country", "IE").exit_code == 0
    labels = _record(root, name)["labels"]
    assert labels["countries"] == ["IE"] and "suggested" not in labels


def test_is_canonical_says_what_canonicalize_would_do(tmp_path: Path):
    """is_canonical compares neighbours' offsets without a call per item and looks at whole
    keys only where two start together; on records with neighbours swapped, starts tied,
    spans duplicated and offsets of the wrong type, it agrees with canonicalize."""
    from newscorpus.dev.synth import write_synth

    write_synth(tmp_path, 6, seed=5)
    records = [json.loads(p.read_text()) for p in sorted(tmp_path.glob("corpus/records/*.json"))]
    rng = random.Random(7)
    verdicts = []
    for _ in range(400):
        record = json.loads(json.dumps(rng.choice(records)))
        layer = rng.choice(["mentions", "events", "entities"])
        items = record[layer]
        i = rng.randrange(len(items) - 1)
        spans = items if layer == "mentions" else [e.get("trigger") or {} for e in items]
        change = rng.randrange(4)
        if change == 0:  # two neighbours swapped
            items[i], items[i + 1] = items[i + 1], items[i]
        elif change == 1 and layer != "entities":  # two spans that start together
            spans[i + 1]["start"] = spans[i]["start"]
            if rng.random() < 0.5:
                spans[i + 1]["end"] = spans[i]["end"]
        elif change == 2 and layer != "entities":  # an offset of the wrong type
            spans[i]["start"] = rng.choice(["7", None, True, 7.0])
        same = dumps(canonicalize(record)) == dumps(record)
        assert is_canonical(record) == same, (layer, change, i)
        verdicts.append(same)
    assert 50 < sum(verdicts) < 350  # both verdicts were tested, many times
