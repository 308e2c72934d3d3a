"""Imports that cannot corrupt: a stale export is matched by content or refused with the list
of changes; what an export holds that the importer does not map is a finding; JSON_MIN says
what it cannot carry; an e-mail address never lands in a record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newscorpus.canonical import canonicalize
from newscorpus.jsonio import dumps
from test_import_roundtrip import json_min, ls_tasks, records_dir, run, snapshot, submitted
from test_import_roundtrip import write_json as write


def import_ls(path: Path, root: Path, *extra: str) -> Any:
    return run("import", "labelstudio", str(path), "--root", str(root), *extra)


def renumber(root: Path, doc_id: str) -> dict[str, Any]:
    """Renumber a record's ids in reading order (as a first annotation would), after its
    tasks were exported: e13 "Pakistani rights groups" becomes e2, Google e3, and so on."""
    path = records_dir(root) / f"{doc_id}.json"
    record = canonicalize(json.loads(path.read_text("utf-8")), renumber=True)
    path.write_text(dumps(record), encoding="utf-8")
    return record


def rules_task(root: Path, tmp_path: Path) -> dict[str, Any]:
    return submitted(next(t for t in ls_tasks(root, tmp_path) if t["data"]["id"] == "001_rules"))


def test_an_unchanged_stale_export_is_matched_by_content(interop_root: Path, tmp_path: Path):
    task = rules_task(interop_root, tmp_path)
    renumber(interop_root, "001_rules")
    before = snapshot(interop_root)
    result = import_ls(write(tmp_path / "old.json", [task]), interop_root)
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output and "0 error(s), 0 warning(s)" in result.output
    assert snapshot(interop_root) == before  # no stale key joined a renumbered entity


def entity_key(task: dict[str, Any], words: str, key: str) -> None:
    result = task["annotations"][0]["result"]
    rid = next(
        r["id"] for r in result if r["from_name"] == "mention" and r["value"]["text"] == words
    )
    for item in result:
        if item.get("from_name") == "entity" and item["id"] == rid:
            item["value"]["text"] = [key]


def test_a_stale_export_that_changes_the_record_is_refused_with_the_changes(
    interop_root: Path, tmp_path: Path
):
    task = rules_task(interop_root, tmp_path)
    entity_key(task, "He", "e12")  # e12 was Imran Khan when the task was exported
    now = renumber(interop_root, "001_rules")
    assert next(e["name"] for e in now["entities"] if e["id"] == "e12") == "social media rules"
    before = snapshot(interop_root)
    export = write(tmp_path / "old.json", [task])
    result = import_ls(export, interop_root, "--annotator-id", "newscorpus-curators")
    assert result.exit_code == 1
    assert "error [import-stale-export] (record 001_rules)" in result.output
    assert "was made from another version of 001_rules" in result.output
    assert '"He"' in result.output and "Usama Khilji" in result.output
    assert (
        "Nothing was written." in result.output and "fix: export the record again" in result.output
    )
    assert snapshot(interop_root) == before
    forced = import_ls(export, interop_root, "--annotator-id", "newscorpus-curators", "--force")
    assert forced.exit_code == 0, forced.output
    after = json.loads((records_dir(interop_root) / "001_rules.json").read_text("utf-8"))
    entity_of = {m["text"]: m["entity"] for m in after["mentions"]}
    names = {e["id"]: e["name"] for e in after["entities"]}
    # Matched by content: "He" joins Imran Khan, the entity e12 was at export time.
    assert names[entity_of["He"]] == "Imran Khan"
    assert entity_of["He"] == entity_of["Imran Khan"] == "e13"


def test_unknown_keys_region_notes_and_drafts_are_warnings(interop_root: Path, tmp_path: Path):
    task = rules_task(interop_root, tmp_path)
    task["data"]["source_url"] = "https://example.org/a"
    task["drafts"] = [{"id": 4, "result": []}]
    task["annotations"][0]["reviewed"] = True
    task["annotations"][0]["result"][0]["meta"] = {"text": ["check the span"]}
    result = import_ls(write(tmp_path / "x.json", [task]), interop_root)
    lines = result.output
    assert result.exit_code == 0, lines
    for where in ("/0/data/source_url", "/0/drafts", "/0/annotations/0/reviewed",
                  "/0/annotations/0/result/0/meta/text"):  # fmt: skip
        assert f"x.json:{where}: warning [import-unmapped] (record 001_rules)" in lines, where
    assert "4 warning(s)" in lines


def test_an_export_of_another_config_never_reports_zero_findings(
    interop_root: Path, tmp_path: Path
):
    """Label Studio's default NER config (`label`, PER/ORG/LOC/MISC) over the draft: nothing can
    be imported, and the import says so instead of "0 error(s), 0 warning(s)"."""
    text = json.loads((records_dir(interop_root) / "003_draft.json").read_text("utf-8"))["text"]
    at = text.index("Lahore")
    span = {"start": at, "end": at + 6, "text": "Lahore", "labels": ["PER"]}
    before = snapshot(interop_root)
    row = {"id": 5, "text": text, "label": [span], "annotator": 1, "lead_time": 3.0}
    result = import_ls(write(tmp_path / "min.json", [row]), interop_root)
    assert "min.json:/0/label: warning [import-unmapped] (record 003_draft)" in result.output
    assert "0 error(s), 0 warning(s)" not in result.output
    region = {"id": "x", "from_name": "label", "to_name": "text", "type": "labels", "value": span}
    task = {"id": 5, "data": {"text": text}, "annotations": [{"id": 1, "result": [region]}]}
    result = import_ls(write(tmp_path / "json.json", [task]), interop_root)
    assert result.exit_code == 1
    assert "json.json:/0/annotations/0/result/0/value/labels: error [import-unknown-label]" in (
        result.output
    )
    empty = import_ls(write(tmp_path / "empty.json", []), interop_root)
    assert empty.exit_code == 1 and "error [import-nothing]" in empty.output
    assert snapshot(interop_root) == before


def test_json_min_of_a_first_annotation_says_what_it_cannot_carry(
    interop_root: Path, tmp_path: Path
):
    task = submitted(next(t for t in ls_tasks(interop_root, tmp_path)
                          if t["data"]["id"] == "003_draft"))  # fmt: skip
    text = task["data"]["text"]
    for words, label, kind in (("A draft headline", "ORG", "NOM"), ("draft", "ORG", "NAM")):
        at = text.index(words)
        value = {"start": at, "end": at + len(words)}
        task["annotations"][0]["result"] += [
            {"id": words, "from_name": "mention", "to_name": "text", "type": "labels",
             "value": {**value, "text": words, "labels": [label]}},
            {"id": words, "from_name": "mention_type", "to_name": "text", "type": "choices",
             "value": {**value, "choices": [kind]}},
        ]  # fmt: skip
    before = snapshot(interop_root)
    result = import_ls(write(tmp_path / "min.json", [json_min(task)]), interop_root)
    assert result.exit_code == 1
    assert "min.json:/0: error [import-json-min-incomplete] (record 003_draft)" in result.output
    assert "2 new mention(s), without their mention_type, entity and relations" in result.output
    assert "min.json:/0/mention_type: error [import-json-min-incomplete]" in result.output
    assert "mention-overlap" not in result.output
    assert "fix: export the project with Label Studio's JSON export" in result.output
    assert snapshot(interop_root) == before


def test_an_email_account_is_refused_unless_mapped(interop_root: Path, tmp_path: Path):
    task = rules_task(interop_root, tmp_path)
    entity_key(task, "He", "e12")
    export = write(tmp_path / "ls.json", [task])
    before = snapshot(interop_root)
    result = import_ls(export, interop_root, "--force")
    assert result.exit_code == 1
    assert "error [import-annotator-unmapped] (record 001_rules)" in result.output
    assert "the account 'curator@example.org', an e-mail address" in result.output
    assert "--annotator-map FILE" in result.output
    assert snapshot(interop_root) == before
    table = tmp_path / "annotators.toml"
    table.write_text('"curator@example.org" = "newscorpus-curators"\n', encoding="utf-8")
    mapped = import_ls(export, interop_root, "--annotator-map", str(table), "--force")
    assert mapped.exit_code == 0, mapped.output
    written = (records_dir(interop_root) / "001_rules.json").read_text("utf-8")
    assert "@" not in written
    assert json.loads(written)["annotation"]["annotators"] == ["fixture", "newscorpus-curators"]


def test_a_bad_annotator_map_is_a_usage_error(interop_root: Path, tmp_path: Path):
    table = write(tmp_path / "map.json", {"curator@example.org": "curator@example.org"})
    export = write(tmp_path / "ls.json", [rules_task(interop_root, tmp_path)])
    result = import_ls(export, interop_root, "--annotator-map", str(table))
    assert result.exit_code == 2
    assert "maps accounts to e-mail addresses" in result.output
    assert "Traceback" not in result.output
