"""Imports over records damaged by hand: a layer deleted, a layer that is a number or null, a
trigger that is null. Each importer (Label Studio, doccano, brat) reads the record it merges
into only once its shape is sound; a damaged one is a finding at the record's file and JSON
pointer that says to run `newscorpus validate`, and nothing changes (exit 1, no traceback).

Then a hypothesis strategy damages the record structurally at random places (a key deleted,
a value replaced by one of another JSON type) over the three importers.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from import_checks import assert_imported_well
from newscorpus.cli import main
from newscorpus.interop import export_corpus, import_documents
from newscorpus.validate import shape_findings

DATA = Path(__file__).parent / "data" / "interop" / "root"
RECORD = "corpus/records/001_rules.json"
FORMATS = ("labelstudio", "doccano", "brat")


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".newscorpus-cache" not in p.parts
    }


def _utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A valid export of the interop corpus in each format, as a curator would submit it."""
    base = tmp_path_factory.mktemp("exports")
    root = base / "root"
    shutil.copytree(DATA, root)
    export_corpus("labelstudio", root, base / "ls")
    tasks = json.loads((base / "ls" / "tasks.json").read_text(encoding="utf-8"))
    for task in tasks:
        task["annotations"] = [
            {"id": 1, "completed_by": 7, "result": task["predictions"][0]["result"]}
        ]
    (base / "tasks.json").write_text(json.dumps(tasks), encoding="utf-8")
    record = json.loads((root / RECORD).read_text(encoding="utf-8"))
    text = record["text"]
    line = {
        "text": text,
        "meta": {"doc_id": record["id"]},
        "label": [
            [_utf16(text, m["start"]), _utf16(text, m["end"]), m["label"]]
            for m in record["mentions"]
        ],
    }
    (base / "doccano.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    export_corpus("brat", root, base / "brat")
    return {
        "labelstudio": base / "tasks.json",
        "doccano": base / "doccano.jsonl",
        "brat": base / "brat",
    }


def _damaged_root(tmp_path: Path, damage: Callable[[dict[str, Any]], Any]) -> Path:
    root = tmp_path / "root"
    shutil.copytree(DATA, root)
    record = json.loads((root / RECORD).read_text(encoding="utf-8"))
    damage(record)
    (root / RECORD).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return root


DAMAGES: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "mentions-deleted": (lambda r: r.pop("mentions"), "/"),
    "entities-deleted": (lambda r: r.pop("entities"), "/"),
    "events-deleted": (lambda r: r.pop("events"), "/"),
    "mentions-number": (lambda r: r.update(mentions=3), "/mentions"),
    "events-number": (lambda r: r.update(events=7), "/events"),
    "quotes-null": (lambda r: r.update(quotes=None), "/quotes"),
    "relations-null": (lambda r: r.update(relations=None), "/relations"),
    "trigger-null": (lambda r: r["events"][0].update(trigger=None), "/events/0/trigger"),
    "trigger-deleted": (lambda r: r["events"][0].pop("trigger"), "/events/0"),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(DAMAGES))
def test_an_import_over_a_damaged_record_is_a_finding(
    tmp_path: Path, exports: dict[str, Path], fmt: str, case: str
) -> None:
    damage, where = DAMAGES[case]
    root = _damaged_root(tmp_path, damage)
    before = files(root)
    args = ["import", fmt, str(exports[fmt]), "--root", str(root), "--force"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert f"{RECORD}:{where}: error [import-record-damaged]" in result.output
    assert f"run `newscorpus validate {RECORD}`" in result.output
    assert "Traceback" not in result.output
    assert files(root) == before


def test_a_damaged_record_where_the_import_writes_is_refused(
    tmp_path: Path, exports: dict[str, Path]
) -> None:
    """With --out, the record the import would replace is read too: damaged, it is a finding
    without --force (with it, it is replaced and kept as a backup)."""
    root = tmp_path / "root"
    shutil.copytree(DATA, root)
    out = tmp_path / "out"
    out.mkdir()
    (out / "001_rules.json").write_text('{"id": "001_rules", "mentions": null}', encoding="utf-8")
    before = files(out)
    args = ["import", "doccano", str(exports["doccano"]), "--root", str(root), "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "001_rules.json:/: error [import-record-damaged]" in result.output
    assert files(out) == before
    result = CliRunner().invoke(main, [*args, "--force"])
    assert result.exit_code == 0, result.output
    assert (out / "001_rules.json.bak").read_bytes() == before["001_rules.json"]


# --- a strategy that damages records structurally --------------------------------------------

OTHER_TYPE = st.sampled_from([None, 0, 3, -1, 2.5, True, "x", [], [1], {}, {"start": 0}])


def _places(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*path, index))
    return found


def _kind(value: Any) -> str:
    return (
        "number"
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else type(value).__name__
    )


@st.composite
def structural_damage(draw: st.DrawFn, record: dict[str, Any]) -> dict[str, Any]:
    """`record` with 1 to 3 structural changes: a key deleted, or a value replaced by a
    value of another JSON type (a list by a number, a trigger by null, ...)."""
    record = copy.deepcopy(record)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_places(record)))
        holder = record
        for key in path[:-1]:
            holder = holder[key]
        if isinstance(holder, dict) and draw(st.booleans()):
            del holder[path[-1]]
        else:
            was = _kind(holder[path[-1]])
            new = draw(OTHER_TYPE.filter(lambda v, was=was: _kind(v) != was))
            holder[path[-1]] = new
        if not _places(record):
            break
    return record


GOOD = json.loads((DATA / RECORD).read_text(encoding="utf-8"))


@settings(
    max_examples=90, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fmt=st.sampled_from(FORMATS), record=structural_damage(GOOD))
def test_structurally_damaged_records_never_crash_an_import(
    tmp_path_factory: pytest.TempPathFactory, exports: dict[str, Path], fmt: str, record: Any
) -> None:
    tmp = tmp_path_factory.mktemp("damaged")
    root = tmp / "root"
    shutil.copytree(DATA, root)
    (root / RECORD).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    before = files(root)
    outcome = import_documents(fmt, exports[fmt], root, root / "corpus/records", True)
    codes = {f.code for f in outcome.report.findings}
    if record.get("id") == GOOD["id"] and shape_findings(record, file=RECORD):
        assert "import-record-damaged" in codes
    if not outcome.report.valid:
        assert files(root) == before
    else:
        assert_imported_well(outcome, fmt, exports[fmt], root)
