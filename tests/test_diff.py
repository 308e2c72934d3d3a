"""`newscorpus diff`: what changed between two states of the corpus, matched by content.

Each test builds a small git history with real git in a temp folder, from the curator
corpus (three records), and asserts exactly what a user sees: the lines, the exit code.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from githistory import CURATOR, commit, curator_history, git
from newscorpus.cli import main
from newscorpus.curate.diff import diff_records
from newscorpus.curate.reanchor import reanchor_file
from newscorpus.jsonio import dumps

DATA = Path(__file__).resolve().parent / "data"
SEED_RECORD = Path(__file__).resolve().parent.parent / "corpus/records/000_1b05e77db752fde4.json"
RECORDS = "corpus/records"


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return curator_history(tmp_path)


def load(root: Path, doc_id: str) -> dict[str, Any]:
    return json.loads((root / RECORDS / f"{doc_id}.json").read_text(encoding="utf-8"))


def save(root: Path, record: dict[str, Any]) -> None:
    (root / RECORDS / f"{record['id']}.json").write_text(dumps(record), encoding="utf-8")


def edit(root: Path, doc_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    record = load(root, doc_id)
    change(record)
    save(root, record)


def item(record: dict[str, Any], layer: str, item_id: str) -> dict[str, Any]:
    return next(x for x in record[layer] if x["id"] == item_id)


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["diff", *args, "--root", str(root)])
    return result.exit_code, result.output


def _table_start(lines: list[str]) -> int:
    return next(
        i for i, line in enumerate(lines) if line.split() == ["added", "removed", "changed"]
    )


def article_lines(output: str) -> list[str]:
    """The lines of the changes, between the header and the summary table."""
    lines = output.splitlines()
    return lines[2 : _table_start(lines) - 1]


def table(output: str) -> dict[str, list[int]]:
    lines = output.splitlines()
    start = _table_start(lines)
    rows = {}
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        name, *numbers = line.split()
        rows[name] = [int(n) for n in numbers]
    return rows


# --- what a user sees -----------------------------------------------------------------------


def test_no_difference_exits_0(history):
    code, output = run(history)
    head = git(history, "rev-parse", "--short=7", "HEAD")
    assert code == 0
    assert output == (
        f"no difference between HEAD ({head}) and working tree (3 article(s) on both sides)\n"
    )


def test_a_relabelled_mention_is_reported_with_its_entity(history):
    def relabel(record: dict[str, Any]) -> None:
        item(record, "mentions", "m4")["label"] = "LOC"
        item(record, "entities", "e5")["label"] = "LOC"

    edit(history, "rules_delay", relabel)
    head = git(history, "rev-parse", "--short=7", "HEAD")
    code, output = run(history)
    assert code == 1
    assert output.splitlines()[0] == (
        f"HEAD ({head}) -> working tree: 1 article(s) changed, 0 added, 0 removed"
    )
    assert article_lines(output) == [
        "rules_delay:",
        '  mentions   relabelled  m4 "Islamabad" [89, 98): GPE -> LOC',
        '  entities   relabelled  e5 "Islamabad": label GPE -> LOC',
    ]
    assert table(output)["mentions"] == [0, 0, 1]
    assert table(output)["entities"] == [0, 0, 1]
    assert output.endswith(
        "label counts (new - old):\n  mentions   GPE -1, LOC +1\n  entities   GPE -1, LOC +1\n"
    )


def test_a_coreference_merge_is_one_merge(history):
    def separate(record: dict[str, Any]) -> None:
        item(record, "mentions", "m0")["entity"] = "e11"
        record["entities"].append({"id": "e11", "label": "ORG", "name": "Ministry"})

    original = (history / RECORDS / "rules_delay.json").read_bytes()
    edit(history, "rules_delay", separate)
    old = commit(history, "the title's Ministry as an entity of its own")
    (history / RECORDS / "rules_delay.json").write_bytes(original)
    commit(history, "the title's Ministry is the ministry")
    code, output = run(history, old, "HEAD")
    assert code == 1
    assert article_lines(output) == [
        "rules_delay:",
        '  entities   merged      e0 "Ministry of Information Technology" ORG (2 mention(s)) + '
        'e11 "Ministry" ORG (1 mention(s)) merged into e0 "Ministry of Information Technology" '
        "ORG (3 mention(s))",
    ]
    assert table(output)["entities"] == [0, 0, 1]
    assert "  entities   ORG -1\n" in output


def test_a_coreference_split_and_a_moved_mention(history):
    def regroup(record: dict[str, Any]) -> None:
        item(record, "mentions", "m12")["entity"] = "e0"  # "We": the ministry, not the PTA

    edit(history, "rules_delay", regroup)
    code, output = run(history)
    assert article_lines(output) == [
        "rules_delay:",
        '  entities   moved       mention m12 "We" [263, 265) moved from e1 "Pakistan '
        'Telecommunication Authority" ORG (4 mention(s)) to e0 "Ministry of Information '
        'Technology" ORG (4 mention(s))',
    ]


def test_a_coreference_split(history):
    def split(record: dict[str, Any]) -> None:
        item(record, "mentions", "m12")["entity"] = "e11"
        record["entities"].append({"id": "e11", "label": "ORG", "name": "PTA officials"})
        item(record, "mentions", "m3")["suggested"] = True

    edit(history, "rules_delay", split)
    code, output = run(history)
    assert article_lines(output) == [
        "rules_delay:",
        '  mentions   suggested   m3 "Monday" [81, 87): marked as a suggestion',
        '  entities   split       e1 "Pakistan Telecommunication Authority" ORG (4 mention(s)) '
        'split into e1 "Pakistan Telecommunication Authority" ORG (3 mention(s)) + e11 "PTA '
        'officials" ORG (1 mention(s))',
    ]
    assert "  entities   ORG +1\n" in output


def test_every_layer_on_top_of_mentions(history):
    def correct(record: dict[str, Any]) -> None:
        quote = item(record, "quotes", "q1")
        quote["type"], quote["source"], quote["speaker"] = "mixed", "m16", "e1"
        quote["cue"] = None
        said = item(record, "events", "ev1")
        said["modality"], said["time"] = "negated", None
        delay = item(record, "events", "ev2")
        delay["arguments"] = [{"role": "agent", "mention": "m7"}] + delay["arguments"][1:]
        item(record, "relations", "r0")["evidence"].append("m16")
        record["labels"]["topics"] = ["internet", "politics"]
        record["annotation"]["status"] = "draft"

    edit(history, "rules_delay", correct)

    def reverse(record: dict[str, Any]) -> None:
        relation = item(record, "relations", "r1")
        relation["head"], relation["tail"] = relation["tail"], relation["head"]
        relation["type"] = "PART_OF"

    edit(history, "coalition_letter", reverse)
    code, output = run(history)
    assert code == 1
    assert article_lines(output) == [
        "coalition_letter:",
        '  relations  reversed    r1 PART_OF "Asia Internet Coalition" -> "Facebook": head and '
        "tail swapped",
        '  relations  re-typed    r1 PART_OF "Asia Internet Coalition" -> "Facebook": type '
        "MEMBER_OF -> PART_OF",
        "",
        "rules_delay:",
        '  quotes     re-typed    q1 "Firms that break the rules co…face a fine of Rs 500 '
        'million" [396, 458): indirect -> mixed',
        '  quotes     cue         q1 "Firms that break the rules co…face a fine of Rs 500 '
        'million" [396, 458): cue "said" [468, 472) -> none',
        '  quotes     source      q1 "Firms that break the rules co…face a fine of Rs 500 '
        'million" [396, 458): source m20 "PTA" -> m16 "PTA"',
        '  events     modality    ev1 STATEMENT "said" [139, 143): modality asserted -> negated',
        '  events     time        ev1 STATEMENT "said" [139, 143): time m6 "Monday" -> none',
        '  events     arguments   ev2 WITHDRAW "delay" [163, 168): arguments +agent m7 "it", '
        '-agent m5 "Ministry of Information Technology"',
        '  relations  evidence    r0 CHAIR_OF "Amir Bajwa" -> "Pakistan Telecommunication '
        'Authority": evidence +m16 "PTA"',
        "  labels     added       topic politics",
        "  labels     removed     topic regulation",
        "  annotation status      status gold -> draft",
    ]
    rows = table(output)
    assert rows["events"] == [0, 0, 2] and rows["quotes"] == [0, 0, 1]
    assert rows["relations"] == [0, 0, 2] and rows["labels"] == [1, 1, 0]


def test_renumbered_ids_and_reordered_lists_are_no_change(history):
    for doc_id in ("rules_delay", "coalition_letter", "draft_note"):
        save(history, renumbered(load(history, doc_id), random.Random(doc_id)))
    assert load(history, "rules_delay") != json.loads(
        (CURATOR / RECORDS / "rules_delay.json").read_text(encoding="utf-8")
    )
    code, output = run(history)
    assert code == 0, output
    assert output.startswith("no difference between HEAD")


def test_an_added_article_and_a_removed_one(history):
    record = load(history, "draft_note")
    record["id"] = "draft_note_2"
    save(history, record)
    (history / RECORDS / "coalition_letter.json").unlink()
    code, output = run(history)
    assert code == 1
    assert article_lines(output) == [
        "coalition_letter: removed (12 mentions, 8 entities, 0 quotes, 3 events, "
        "2 relations, 3 labels)",
        "",
        "draft_note_2: added (2 mentions, 1 entities, 0 quotes, 0 events, 0 relations, 0 labels)",
    ]
    rows = table(output)
    assert rows["articles"] == [1, 1, 0]
    assert rows["mentions"] == [2, 12, 0]
    assert rows["relations"] == [0, 2, 0]


def insert(record: dict[str, Any], at: int, words: str) -> None:
    """The publisher's correction `words` inserted at `at`, every span after it shifted."""
    record["text"] = record["text"][:at] + words + record["text"][at:]

    def shift(span: dict[str, Any]) -> None:
        for key in ("start", "end"):
            if span[key] > at or (key == "start" and span[key] == at):
                span[key] += len(words)

    for passage in record["passages"]:
        shift(passage)
    for mention in record["mentions"]:
        shift(mention)
    for quote in record["quotes"]:
        for part in quote["content"]:
            shift(part)
        if quote["cue"]:
            shift(quote["cue"])
    for event in record["events"]:
        shift(event["trigger"])


def test_a_text_correction_moves_the_span_after_it(history):
    record = load(history, "rules_delay")
    at = record["text"].index(" said.") + 1
    insert(record, at, "has ")
    assert record["text"].endswith("the PTA has said.")
    save(history, record)
    code, output = run(history)
    assert code == 1
    assert article_lines(output) == [
        "rules_delay:",
        "  article    text        text changed in 1 place(s); 1 span(s) moved with it",
        f'  article    text        inserted "has " [{at}, {at}) -> [{at}, {at + 4})',
    ]
    assert table(output)["quotes"] == [0, 0, 0]


def test_a_corrected_name_is_one_changed_span(history, tmp_path):
    seed = (history / "seeds/rules_delay.txt").read_text(encoding="utf-8")
    corrected = tmp_path / "rules_delay_v2.txt"
    corrected.write_text(seed.replace("Amir Bajwa", "Amir Azeem Bajwa"), encoding="utf-8")
    reanchor_file(history, "rules_delay", corrected, force=True)
    (history / RECORDS / "rules_delay.json.bak").unlink()
    code, output = run(history)
    assert code == 1
    lines = article_lines(output)
    assert lines[0] == "rules_delay:"
    changes = [line.split(None, 2) for line in lines[1:]]
    assert [(layer, kind) for layer, kind, _ in changes] == [
        ("article", "source"),
        ("article", "source"),
        ("article", "text"),
        ("article", "text"),
        ("mentions", "span"),
        ("annotation", "status"),
        ("annotation", "notes"),
    ]
    assert changes[0][2] == "source.seed_path seeds/rules_delay.txt -> seeds/rules_delay_v2.txt"
    assert changes[3][2] == 'inserted "Azeem " [329, 329) -> [329, 335)'
    assert changes[4][2] == 'm14 "Amir Bajwa" [324, 334) -> "Amir Azeem Bajwa" [324, 340)'
    assert changes[5][2] == "status gold -> draft"
    rows = table(output)
    assert rows["mentions"] == [0, 0, 1] and rows["events"] == [0, 0, 0]


def test_deleted_text_removes_what_it_held(history, tmp_path):
    seed = (history / "seeds/rules_delay.txt").read_text(encoding="utf-8")
    corrected = tmp_path / "rules_delay_v2.txt"
    clause = ", after more than 100 rights groups objected"
    corrected.write_text(seed.replace(clause, ""), encoding="utf-8")
    reanchor_file(history, "rules_delay", corrected, force=True)
    (history / RECORDS / "rules_delay.json.bak").unlink()
    code, output = run(history)
    assert code == 1
    assert article_lines(output)[3:10] == [
        "  article    text        text changed in 1 place(s); 15 span(s) moved with it",
        f"  article    text        deleted {json.dumps(clause)} [215, 259) -> [215, 215)",
        '  mentions   removed     m10 "more than 100" [223, 236) CARDINAL NAM, entity "more '
        'than 100" (its text was deleted)',
        '  mentions   removed     m11 "rights groups" [237, 250) ORG NOM, entity "rights '
        'groups" (its text was deleted)',
        '  entities   removed     e8 "more than 100" CARDINAL (1 mention(s))',
        '  events     removed     ev3 OBJECT "objected" [251, 259) asserted',
        "  annotation status      status gold -> draft",
    ]


def test_json_gives_the_same_as_data(history):
    edit(history, "coalition_letter", lambda r: r["labels"]["topics"].append("politics"))
    edit(history, "draft_note", lambda r: r["annotation"].update(status="gold"))
    result = CliRunner().invoke(main, ["diff", "--json", "--root", str(history)])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["different"] is True and data["compared"] == 3
    assert data["summary"]["labels"] == {"added": 1, "removed": 0, "changed": 0}
    assert data["summary"]["annotation"] == {"added": 0, "removed": 0, "changed": 1}
    assert data["label_deltas"] == {"topics": {"politics": 1}}
    assert [a["id"] for a in data["articles"]] == ["coalition_letter", "draft_note"]
    assert data["articles"][1]["changes"] == [
        {
            "layer": "annotation",
            "kind": "status",
            "item": "status",
            "text": "status draft -> gold",
            "before": "draft",
            "after": "gold",
        }
    ]


def test_two_folders(history, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(history / RECORDS, other)
    record = json.loads((other / "draft_note.json").read_text(encoding="utf-8"))
    record["mentions"][1]["mention_type"] = "NOM"
    (other / "draft_note.json").write_text(dumps(record), encoding="utf-8")
    code, output = run(history, str(history), str(other))
    assert code == 1
    assert output.splitlines()[0] == (
        f"folder {history} -> folder {other}: 1 article(s) changed, 0 added, 0 removed"
    )
    assert article_lines(output)[1] == '  mentions   re-typed    m1 "Dawn" [31, 35): NAM -> NOM'


# --- bad input: a message and exit 2, never a traceback -------------------------------------


def test_an_unknown_revision(history):
    code, output = run(history, "v9.9.9")
    assert code == 2
    assert output == (
        "Error: unknown revision 'v9.9.9': it is neither a folder nor a commit of the "
        f"repository at {history} (try a branch, a tag, HEAD~1 or a commit id)\n"
    )


def test_a_folder_without_records(history, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, output = run(history, "HEAD", str(empty))
    assert code == 2
    assert output == (
        f"Error: {empty} holds no records: give a corpus root (with corpus/records/) or a "
        "folder of record files (*.json)\n"
    )


def test_an_unreadable_record(history):
    (history / RECORDS / "draft_note.json").write_text('{"id": "draft_note",', encoding="utf-8")
    code, output = run(history)
    assert code == 2
    assert output.startswith(
        "Error: corpus/records/draft_note.json cannot be compared: "
        "corpus/records/draft_note.json:/: error [json-invalid]"
    )


def test_a_record_the_schema_refuses(history):
    edit(history, "draft_note", lambda r: r.pop("mentions"))
    code, output = run(history)
    assert code == 2
    assert "[schema-required]" in output and "Traceback" not in output


def test_a_changed_text_whose_spans_were_not_moved(history):
    def edit_text_only(record: dict[str, Any]) -> None:
        record["text"] = record["text"].replace("Amir Bajwa", "Amir A. Bajwa")
        record["passages"][-1]["end"] += 3
        record["passages"][-2]["end"] += 3

    edit(history, "rules_delay", edit_text_only)
    code, output = run(history)
    assert code == 2
    assert output.startswith(
        "Error: the text changed, but the spans of the new record do not fit its text, so they "
        "cannot be followed onto the new one: new record rules_delay:/"
    )


def test_a_revision_outside_a_repository(tmp_path):
    root = tmp_path / "plain"
    shutil.copytree(CURATOR, root)
    code, output = run(root, "HEAD")
    assert code == 2
    assert output.startswith(f"Error: 'HEAD' is not a folder, and {root} is not in a git")


def test_a_revision_without_records(history):
    git(history, "checkout", "-q", "--orphan", "empty")
    git(history, "rm", "-rfq", ".")
    (history / "README").write_text("nothing yet\n", encoding="utf-8")
    empty = commit(history, "an empty history")
    git(history, "checkout", "-q", "main")
    code, output = run(history, "empty")
    assert code == 2
    assert output == f"Error: revision empty ({empty}) has no corpus/records folder\n"


# --- the property: renumbering and reordering are never a change ----------------------------


def renumbered(record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The record with every id renamed and every list shuffled: the same annotation."""
    out = copy.deepcopy(record)
    names: dict[tuple[str, str], str] = {}
    for layer, prefix in (
        ("mentions", "m"),
        ("entities", "e"),
        ("quotes", "q"),
        ("events", "ev"),
        ("relations", "r"),
    ):
        numbers = rng.sample(range(100, 1000), len(out[layer]))
        for x, number in zip(out[layer], numbers, strict=True):
            names[(prefix, x["id"])] = f"{prefix}{number}"
    clusters = sorted({e["cluster"] for e in out["events"]})
    for cluster, number in zip(clusters, rng.sample(range(100, 1000), len(clusters)), strict=True):
        names[("evc", cluster)] = f"evc{number}"

    def name(prefix: str, old: str | None) -> str | None:
        return None if old is None else names.get((prefix, old), old)

    for mention in out["mentions"]:
        mention["id"], mention["entity"] = name("m", mention["id"]), name("e", mention["entity"])
    for entity in out["entities"]:
        entity["id"] = name("e", entity["id"])
    for quote in out["quotes"]:
        quote["id"], quote["source"] = name("q", quote["id"]), name("m", quote["source"])
        quote["speaker"] = name("e", quote["speaker"])
    for event in out["events"]:
        event["id"], event["time"] = name("ev", event["id"]), name("m", event["time"])
        event["cluster"] = name("evc", event["cluster"])
        for argument in event["arguments"]:
            argument["mention"] = name("m", argument["mention"])
        rng.shuffle(event["arguments"])
    for relation in out["relations"]:
        relation["id"] = name("r", relation["id"])
        relation["head"], relation["tail"] = (
            name("e", relation["head"]),
            name("e", relation["tail"]),
        )
        relation["evidence"] = [name("m", m) for m in relation["evidence"]]
        rng.shuffle(relation["evidence"])
    for layer in ("mentions", "entities", "quotes", "events", "relations"):
        rng.shuffle(out[layer])
    for key in ("topics", "countries"):
        rng.shuffle(out["labels"][key])
    return out


RECORD_FILES = [SEED_RECORD, *sorted((CURATOR / RECORDS).glob("*.json"))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(RECORD_FILES), st.randoms(use_true_random=False))
def test_a_record_against_itself_renumbered_and_shuffled_is_no_difference(path, rng):
    record = json.loads(path.read_text(encoding="utf-8"))
    assert diff_records(record, renumbered(record, rng)) == []
    assert diff_records(renumbered(record, rng), record) == []
