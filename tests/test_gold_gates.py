"""Gold gates: a record marked gold must follow the current guidelines, carry its topics, and
show no sign of one entity annotated as two."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.validate.gold import current_guidelines_version

REPO = Path(__file__).resolve().parent.parent
SEED_RECORD = next((REPO / "corpus" / "records").glob("000_*.json"))


def test_the_current_version_is_the_one_the_guidelines_state():
    text = (REPO / "schema" / "GUIDELINES.md").read_text(encoding="utf-8")
    assert f"Guidelines version: {current_guidelines_version()}\n" in text
    record = json.loads(SEED_RECORD.read_text(encoding="utf-8"))
    assert record["annotation"]["guidelines_version"] == current_guidelines_version()


def test_a_weak_gold_record_is_caught(tmp_path: Path):
    """The weak "gold" record: no guidelines version, no topics, and the regulator split into
    three entities (its name, its abbreviation, and "the regulator")."""
    root = tmp_path / "root"
    (root / "corpus" / "records").mkdir(parents=True)
    shutil.copytree(REPO / "seeds", root / "seeds")
    record = json.loads(SEED_RECORD.read_text(encoding="utf-8"))
    weak = copy.deepcopy(record)
    weak["annotation"]["guidelines_version"] = None
    weak["labels"]["topics"] = []
    name = next(m for m in weak["mentions"] if m["text"] == "Pakistan Telecommunication Authority")
    short = next(m for m in weak["mentions"] if m["text"] == "PTA")
    assert name["entity"] == short["entity"]
    short["entity"] = "e900"
    for relation in weak["relations"]:  # the abbreviation no longer states the relations
        relation["evidence"] = [m for m in relation["evidence"] if m != short["id"]]
    weak["entities"].append({"id": "e900", "label": "ORG", "name": "PTA"})
    (root / "corpus" / "records" / SEED_RECORD.name).write_text(json.dumps(weak), "utf-8")
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    out = result.output
    assert "error [gold-guidelines-version]" in out and f"({current_guidelines_version()})" in out
    assert "error [gold-without-topics]" in out
    index = weak["mentions"].index(short)
    assert f":/mentions/{index}/entity: warning [entity-split-abbreviation]" in out
    assert f"'PTA' abbreviates 'Pakistan Telecommunication Authority' ({name['entity']})" in out


def test_a_gold_record_holds_no_suggestion_in_any_layer(tmp_path: Path):
    articles = Path(__file__).resolve().parent / "data" / "articles"
    name = "regulator_fines_brightline"
    root = tmp_path / "root"
    (root / "corpus" / "records").mkdir(parents=True)
    shutil.copytree(articles / "seeds", root / "seeds")
    record = json.loads((articles / "records" / f"{name}.json").read_text(encoding="utf-8"))
    for layer in ("entities", "quotes", "events", "relations"):
        record[layer][0].update(suggested=True, suggested_by="rule:test")
    record["labels"]["suggested"] = {"topics": ["business"], "countries": []}
    (root / "corpus" / "records" / f"{name}.json").write_text(json.dumps(record), "utf-8")
    result = CliRunner().invoke(main, ["validate", "--json", "--root", str(root)])
    assert result.exit_code == 1
    found = [
        f["pointer"]
        for f in json.loads(result.output)["findings"]
        if f["code"] == "gold-with-suggestion"
    ]
    assert found == [
        "/entities/0/suggested",
        "/quotes/0/suggested",
        "/events/0/suggested",
        "/relations/0/suggested",
        "/labels/suggested",
    ]
