"""Label Studio without the server: the config and tasks `export labelstudio` writes, and
imports of exports shaped as Label Studio 1.23 writes them (tests/test_labelstudio_server.py
proves those shapes against the real server and its UI)."""

from __future__ import annotations

import copy
import json
import random
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscorpus.cli import main
from newscorpus.interop.labelstudio import labeling_config, record_task
from newscorpus.labels import inventory

ROOT = Path(__file__).parent / "data" / "interop" / "root"
RECORDS = ROOT / "corpus" / "records"
ASTRAL = json.loads((RECORDS / "002_astral.json").read_text("utf-8"))
TEXT = ASTRAL["text"]


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def submitted(
    record: dict[str, Any], result: list[dict[str, Any]] | None = None, **annotation: Any
) -> dict[str, Any]:
    """A JSON-export task for `record` whose one annotation accepted the predictions as given
    (what Label Studio 1.23 exports after the annotator submits them unchanged)."""
    task = record_task(record)
    task["id"] = 7
    result = task["predictions"][0]["result"] if result is None else result
    task["annotations"] = [
        {
            "id": 31,
            "completed_by": {"id": 1, "email": "ann@example.org"},
            "result": copy.deepcopy(result),
            "was_cancelled": False,
            **annotation,
        }
    ]
    return task


ANNOTATOR_IDS = {"ann@example.org": "ann", "bo@example.org": "bo"}


def import_ls(export: Path, *extra: str, root: Path = ROOT, mapped: bool = True) -> Any:
    """`newscorpus import labelstudio EXPORT --root ROOT EXTRA...`, with the test accounts
    mapped to annotator ids (`--annotator-map`, a file beside the export) unless not `mapped`."""
    if mapped:
        table = write_json(export.with_name("annotators.json"), ANNOTATOR_IDS)
        extra = ("--annotator-map", str(table), *extra)
    return run("import", "labelstudio", str(export), "--root", str(root), *extra)


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def record_path(root: Path) -> Path:
    return root / "corpus" / "records" / "002_astral.json"


# --- export ----------------------------------------------------------------------------------


def test_config_offers_every_label_of_the_inventory():
    tree = ET.fromstring(labeling_config())
    values = {
        tag.get("name"): {c.get("value") for c in tag} for tag in tree.iter() if tag.get("name")
    }
    inv = inventory()
    assert values["mention"] == set(inv["entity_labels"])
    assert values["event"] == set(inv["event_types"])
    assert values["quote"] == set(inv["quote_types"])
    assert values["mention_type"] == set(inv["mention_types"])
    assert values["modality"] == set(inv["modalities"])
    assert values["topics"] == set(inv["topics"])
    relations = {r.get("value") for r in tree.iter("Relation")}
    assert relations >= set(inv["relation_types"]) | set(inv["roles"])
    per_region = {t.get("name") for t in tree.iter() if t.get("perRegion") == "true"}
    assert per_region == {
        "mention_type",
        "entity",
        "entity_name",
        "modality",
        "event_cluster",
        "speaker",
    }


def test_export_writes_config_and_tasks_in_code_points(tmp_path: Path):
    out = tmp_path / "ls"
    result = run("export", "labelstudio", str(out), "--root", str(ROOT), "--include-drafts")
    assert result.exit_code == 0, result.output
    assert (out / "labeling-config.xml").read_text("utf-8") == labeling_config()
    tasks = json.loads((out / "tasks.json").read_text("utf-8"))
    assert [t["data"]["id"] for t in tasks] == ["001_rules", "002_astral", "003_draft"]
    astral = tasks[1]
    assert astral["data"]["text"] == TEXT
    spans = [r["value"] for r in astral["predictions"][0]["result"] if r["type"] == "labels"]
    assert spans and all(TEXT[v["start"] : v["end"]] == v["text"] for v in spans)
    # Label Studio 1.23 counts code points: "Ahmed Ali" comes after astral characters.
    ahmed = next(v for v in spans if v["text"] == "Ahmed Ali")
    assert ahmed["start"] == TEXT.index("Ahmed Ali")
    again = run("export", "labelstudio", str(out), "--root", str(ROOT))
    assert again.exit_code == 1 and "not an empty folder" in again.output


# --- round trips -----------------------------------------------------------------------------


def test_unchanged_annotation_gives_back_the_record(interop_root: Path, tmp_path: Path):
    before = record_path(interop_root).read_bytes()
    export = write_json(tmp_path / "ls.json", [submitted(ASTRAL)])
    result = import_ls(export, root=interop_root)
    assert result.exit_code == 0, result.output
    assert f"unchanged {record_path(interop_root)}" in result.output
    assert record_path(interop_root).read_bytes() == before


def test_new_region_ids_order_and_left_arrows_change_nothing(interop_root: Path, tmp_path: Path):
    task = submitted(ASTRAL)
    result = task["annotations"][0]["result"]
    rng = random.Random(5)
    fresh = {r["id"]: f"x{rng.randrange(10**8)}" for r in result if "id" in r}
    for item in result:
        if item["type"] == "relation":
            item["from_id"], item["to_id"] = fresh[item["to_id"]], fresh[item["from_id"]]
            item["direction"] = "left"
        else:
            item["id"] = fresh[item["id"]]
    rng.shuffle(result)
    before = record_path(interop_root).read_bytes()
    out = import_ls(write_json(tmp_path / "ls.json", [task]), root=interop_root)
    assert out.exit_code == 0, out.output
    assert record_path(interop_root).read_bytes() == before


def json_min_row(task: dict[str, Any]) -> dict[str, Any]:
    """The JSON_MIN row Label Studio's converter makes of a task's annotation."""
    row = {**task["data"], "id": task["id"]}
    for item in task["annotations"][0]["result"]:
        if item["type"] == "labels":
            row.setdefault(item["from_name"], []).append(dict(item["value"]))
        elif item["type"] in ("choices", "textarea"):
            row.setdefault(item["from_name"], []).append(item["value"])
    row["topics"] = {"choices": row["topics"][0]["choices"]}
    row["countries"] = row["countries"][0]["text"][0]
    row["annotator"] = 1
    return row


def test_json_min_export_keeps_what_it_cannot_carry(interop_root: Path, tmp_path: Path):
    before = record_path(interop_root).read_bytes()
    export = write_json(tmp_path / "min.json", [json_min_row(submitted(ASTRAL))])
    result = import_ls(export, root=interop_root)
    assert result.exit_code == 0, result.output
    assert record_path(interop_root).read_bytes() == before


# --- edits and what they would lose ----------------------------------------------------------


def edited(drop: set[str], entity_keys: dict[str, str] | None = None) -> dict[str, Any]:
    task = submitted(ASTRAL)
    result = task["annotations"][0]["result"]
    result[:] = [
        r
        for r in result
        if r.get("id") not in drop and r.get("from_id") not in drop and r.get("to_id") not in drop
    ]
    for item in result:
        if item.get("from_name") == "entity" and item["id"] in (entity_keys or {}):
            item["value"]["text"] = [entity_keys[item["id"]]]
    return task


def test_import_that_would_lose_work_is_refused(interop_root: Path, tmp_path: Path):
    quote = ASTRAL["quotes"][0]["id"]
    merged = next(
        e["id"]
        for e in ASTRAL["entities"]
        if sum(m["entity"] == e["id"] for m in ASTRAL["mentions"]) > 1
    )
    split = next(m["id"] for m in ASTRAL["mentions"] if m["entity"] == merged)
    task = edited({quote, f"{quote}-cue", f"{quote}-2"}, {split: "a new key"})
    before = record_path(interop_root).read_bytes()
    export = write_json(tmp_path / "ls.json", [task])
    result = import_ls(export, root=interop_root)
    assert result.exit_code == 1
    assert "[import-would-lose]" in result.output
    assert "would lose 1 coreference merge, 1 quote, status gold → draft" in result.output
    assert record_path(interop_root).read_bytes() == before
    forced = import_ls(export, "--force", root=interop_root)
    assert forced.exit_code == 0, forced.output
    backup = record_path(interop_root).with_name("002_astral.json.bak")
    assert f"kept the previous version as {backup}" in forced.output
    assert backup.read_bytes() == before
    now = json.loads(record_path(interop_root).read_text("utf-8"))
    assert now["annotation"]["status"] == "draft"
    assert now["annotation"]["annotators"] == [*ASTRAL["annotation"]["annotators"], "ann"]
    assert len(now["quotes"]) == len(ASTRAL["quotes"]) - 1
    # Items that stayed keep their ids; the split mention's entity is new.
    assert [m["id"] for m in now["mentions"]] == [m["id"] for m in ASTRAL["mentions"]]
    new_entity = next(m["entity"] for m in now["mentions"] if m["id"] == split)
    assert new_entity not in {e["id"] for e in ASTRAL["entities"]}


def test_a_second_and_third_forced_import_name_their_own_backups(
    interop_root: Path, tmp_path: Path
):
    target = record_path(interop_root)
    names = []
    for n, drop in enumerate([{"m1"}, {"m2"}, {"m3"}]):
        task = edited(drop)
        result = import_ls(write_json(tmp_path / f"{n}.json", [task]), "--force", root=interop_root)
        assert result.exit_code == 0, result.output
        names.append(result.output.split("kept the previous version as ")[1].split()[0])
    assert names == [
        str(target) + ".bak",
        str(target.with_name("002_astral.json.2.bak")),
        str(target.with_name("002_astral.json.3.bak")),
    ]
    assert all(Path(name).is_file() for name in names)


def test_an_added_mention_needs_no_force(interop_root: Path, tmp_path: Path):
    draft = json.loads((RECORDS / "003_draft.json").read_text("utf-8"))
    task = submitted(draft)
    text = draft["text"]
    word = next(w for w in text.split() if w.istitle() and w.isalpha())
    start = text.index(word)
    task["annotations"][0]["result"].append(
        {
            "id": "new1",
            "from_name": "mention",
            "to_name": "text",
            "type": "labels",
            "value": {"start": start, "end": start + len(word), "text": word, "labels": ["ORG"]},
        }
    )
    target = interop_root / "corpus" / "records" / "003_draft.json"
    result = import_ls(write_json(tmp_path / "ls.json", [task]), root=interop_root)
    assert result.exit_code == 0, result.output
    now = json.loads(target.read_text("utf-8"))
    added = [m for m in now["mentions"] if m["start"] == start]
    assert added and added[0]["text"] == word and added[0]["mention_type"] == "NAM"


# --- offsets ---------------------------------------------------------------------------------


def mention_region(
    words: str, label: str, start: int | None = None, **value: Any
) -> dict[str, Any]:
    at = TEXT.index(words) if start is None else start
    return {
        "id": "r1",
        "from_name": "mention",
        "to_name": "text",
        "type": "labels",
        "value": {"start": at, "end": at + len(words), "text": words, "labels": [label], **value},
    }


def units(point: int) -> int:
    return len(TEXT[:point].encode("utf-16-le")) // 2


def import_regions(tmp_path: Path, regions: list[dict[str, Any]]) -> Any:
    task = submitted(ASTRAL, regions)
    return import_ls(write_json(tmp_path / "ls.json", [task]), "--out", str(tmp_path / "out"))


def test_offsets_counted_in_utf16_are_recognised_by_their_text(tmp_path: Path):
    start = TEXT.index("Ahmed Ali")
    region = mention_region("Ahmed Ali", "PERSON")
    region["value"].update(start=units(start), end=units(start + 9))
    assert units(start) != start  # astral characters come first
    result = import_regions(tmp_path, [region])
    assert result.exit_code == 0, result.output
    rec = json.loads((tmp_path / "out" / "002_astral.json").read_text("utf-8"))
    assert [(m["start"], m["text"]) for m in rec["mentions"]] == [(start, "Ahmed Ali")]


def test_region_without_its_text_is_not_trusted(tmp_path: Path):
    region = mention_region("Ahmed Ali", "PERSON")
    del region["value"]["text"]
    result = import_regions(tmp_path, [region])
    assert result.exit_code == 1
    assert "/0/annotations/0/result/0/value: error [import-span-unchecked]" in result.output
    assert not (tmp_path / "out").exists()


def test_region_whose_text_differs_names_the_fix(tmp_path: Path):
    region = mention_region("Ahmed Ali", "PERSON", start=TEXT.index("Ahmed Ali") + 1)
    result = import_regions(tmp_path, [region])
    assert result.exit_code == 1
    assert "[import-span-mismatch]" in result.output
    assert "in code points (and no other reading of the offsets gives it)" in result.output
    assert "newscorpus export labelstudio" in result.output


def test_both_ways_relation_is_a_finding(tmp_path: Path):
    task = submitted(ASTRAL)
    links = [
        r
        for r in task["annotations"][0]["result"]
        if r["type"] == "relation" and r["labels"][0] in inventory()["relation_types"]
    ]
    if not links:
        pytest.skip("the fixture record has no entity relation")
    links[0]["direction"] = "bi"
    result = import_ls(write_json(tmp_path / "ls.json", [task]), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "[import-relation-direction]" in result.output


# --- annotators ------------------------------------------------------------------------------


def two_annotators() -> dict[str, Any]:
    task = submitted(ASTRAL)
    second = copy.deepcopy(task["annotations"][0])
    second.update(id=32, completed_by={"id": 2, "email": "bo@example.org"})
    second["result"] = [
        r
        for r in second["result"]
        if r.get("id") != "m1" and r.get("from_id") != "m1" and r.get("to_id") != "m1"
    ]
    cancelled = copy.deepcopy(second)
    cancelled.update(id=33, completed_by=3, was_cancelled=True)
    task["annotations"] += [second, cancelled]
    return task


def test_each_annotator_gives_a_record_that_agreement_compares(tmp_path: Path):
    export = write_json(tmp_path / "ls.json", [two_annotators()])
    out = tmp_path / "review"
    result = import_ls(export, "--out", str(out), "--each-annotator")
    assert result.exit_code == 0, result.output
    assert "[import-annotation-skipped]" in result.output
    assert "annotation 33 by labelstudio-user-3 was skipped" in result.output
    first = out / "ann" / "002_astral.json"
    second = out / "bo" / "002_astral.json"
    assert first.is_file() and second.is_file()
    agreement = run("agreement", str(first), str(second), "--root", str(ROOT), "--json")
    assert agreement.exit_code == 0, agreement.output
    assert '"mentions"' in agreement.output


def test_annotator_option_picks_one(tmp_path: Path):
    export = write_json(tmp_path / "ls.json", [two_annotators()])
    out = tmp_path / "out"
    result = import_ls(export, "--out", str(out), "--annotator", "bo@example.org")
    assert result.exit_code == 0, result.output
    assert "several" not in result.output
    rec = json.loads((out / "002_astral.json").read_text("utf-8"))
    assert "m1" not in {m["id"] for m in rec["mentions"]}
    assert rec["annotation"]["annotators"][-1] == "bo"


def test_several_annotations_without_a_choice_warn_and_take_the_last(tmp_path: Path):
    export = write_json(tmp_path / "ls.json", [two_annotators()])
    result = import_ls(export, "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (
        "2 annotations (ann@example.org, bo@example.org); the last one in the export, by "
        "bo@example.org, is imported" in result.output
    )


# --- hostile exports -------------------------------------------------------------------------


def test_two_tasks_for_one_record_write_nothing(interop_root: Path, tmp_path: Path):
    before = record_path(interop_root).read_bytes()
    export = write_json(tmp_path / "ls.json", [edited({"m1"}), edited({"m2"})])
    result = import_ls(export, "--force", root=interop_root)
    assert result.exit_code == 1
    assert "[import-document-duplicate]" in result.output
    assert record_path(interop_root).read_bytes() == before


def test_a_hostile_task_after_a_good_one_writes_nothing(interop_root: Path, tmp_path: Path):
    before = record_path(interop_root).read_bytes()
    hostile = submitted(ASTRAL)
    hostile["data"]["id"] = "001_rules"
    hostile["data"]["text"] = json.loads((RECORDS / "001_rules.json").read_text())["text"]
    hostile["annotations"] = 5
    export = write_json(tmp_path / "ls.json", [edited({"m1"}), hostile])
    result = import_ls(export, "--force", root=interop_root)
    assert result.exit_code == 1
    assert "/1/annotations: error [import-input-invalid]" in result.output
    assert "0 record(s) written" in result.output
    assert record_path(interop_root).read_bytes() == before


HOSTILE = [
    ("annotations", "a string"),
    ("annotations", {"id": 1}),
    ("result", 7),
    ("result", ["not an object"]),
    ("result", [{"type": "labels", "value": None}]),
    (
        "result",
        [
            {
                "from_name": "mention",
                "type": "labels",
                "id": ["list"],
                "value": {"start": 0, "end": 1e400, "text": "x", "labels": ["ORG"]},
            }
        ],
    ),
    ("result", [{"type": "relation", "from_id": ["m1"], "to_id": "m2", "labels": [{}]}]),
    (
        "result",
        [
            {
                "from_name": "mention",
                "type": "labels",
                "id": "z",
                "value": {"start": 2**60, "end": 2**61, "text": "x", "labels": ["ORG"]},
            }
        ],
    ),
]


@pytest.mark.parametrize(("where", "value"), HOSTILE)
def test_hostile_values_are_findings(tmp_path: Path, where: str, value: Any):
    task = submitted(ASTRAL)
    if where == "annotations":
        task["annotations"] = value
    else:
        task["annotations"][0]["result"] = value
    result = import_regions_task(tmp_path, task)
    assert result.exit_code == 1
    assert "error [import-" in result.output


def import_regions_task(tmp_path: Path, task: Any) -> Any:
    return import_ls(write_json(tmp_path / "ls.json", [task]), "--out", str(tmp_path / "out"))


@pytest.mark.parametrize(
    "text",
    ["[" * 10000 + "]" * 10000, '[{"data": {"text": Infinity}}]', '[{"id": 1e400}]', "\xff\xfe"],
)
def test_unparseable_exports_are_findings(tmp_path: Path, text: str):
    path = tmp_path / "ls.json"
    path.write_bytes(text.encode("latin-1") if text.startswith("\xff") else text.encode())
    result = import_ls(path, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "ls.json:/: error [import-input-invalid]" in result.output


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[{"id": 1, "id": 2}]', "at /0/id: the key 'id' appears more than once in this object."),
        ('[{"data": {"n": 1e400}}]', "at /0/data/n: the number 1e400 is too large"),
    ],
)
def test_json_that_readers_disagree_on_is_refused_with_its_place(
    tmp_path: Path, text: str, said: str
):
    path = tmp_path / "ls.json"
    path.write_text(text)
    result = import_ls(path, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"error [import-input-invalid] the export is not valid JSON {said}" in result.output


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "value",
                    "start",
                    "end",
                    "text",
                    "labels",
                    "from_id",
                    "to_id",
                    "from_name",
                    "direction",
                    "choices",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(item=JSON, position=st.integers(0, 40))
def test_fuzzed_result_items_never_raise(tmp_path: Path, item: Any, position: int):
    task = submitted(ASTRAL)
    result = task["annotations"][0]["result"]
    result.insert(min(position, len(result)), item)
    outcome = import_regions_task(tmp_path, task)
    assert outcome.exit_code in (0, 1)
