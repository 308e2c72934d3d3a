"""Hostile import files: every shape an export can take is a finding, never a traceback, and
an import that reports an error writes nothing (all prior records byte-identical).

The cases of issue 17 first (each exactly as reported), then property-based fuzzing: a valid
Label Studio, doccano or brat export is mutated at random places with hostile values.
"""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from import_checks import assert_imported_well
from newscorpus.cli import main
from newscorpus.interop import export_corpus, import_documents

DATA = Path(__file__).parent / "data" / "interop" / "root"


def files(root: Path) -> dict[str, bytes]:
    """Every file under the root (the cache aside), by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".newscorpus-cache" not in p.parts
    }


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The interop corpus (gold made of every record) and its Label Studio tasks, with one
    annotation each, as a curator would submit them unchanged."""
    base = tmp_path_factory.mktemp("exported")
    root = base / "root"
    shutil.copytree(DATA, root)
    export_corpus("labelstudio", root, base / "ls")
    tasks = json.loads((base / "ls" / "tasks.json").read_text(encoding="utf-8"))
    for task in tasks:
        task["annotations"] = [
            {"id": 1, "completed_by": 7, "result": task["predictions"][0]["result"]}
        ]
    return {"root": root, "tasks": tasks}


def run_import(root: Path, fmt: str, path: Path, *extra: str) -> Any:
    return CliRunner().invoke(main, ["import", fmt, str(path), "--root", str(root), *extra])


def hostile_import(tmp_path: Path, exported: dict[str, Any], tasks: Any, *extra: str) -> Any:
    root = tmp_path / "root"
    shutil.copytree(exported["root"], root)
    before = files(root)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks) if not isinstance(tasks, str) else tasks)
    result = run_import(root, "labelstudio", export, *extra)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    if result.exit_code != 0:
        assert files(root) == before  # nothing written
    return result


def _first_region(tasks: list[dict[str, Any]]) -> dict[str, Any]:
    return next(r for r in tasks[0]["annotations"][0]["result"] if "value" in r)


CASES = {
    "infinity-offset": lambda t: _first_region(t)["value"].update(start="INF"),
    "huge-offset": lambda t: _first_region(t)["value"].update(start="HUGE"),
    "annotations-number": lambda t: t[0].update(annotations=3),
    "annotations-string": lambda t: t[0].update(annotations="yes"),
    "annotations-object": lambda t: t[0].update(annotations={"result": []}),
    "result-item-number": lambda t: t[0]["annotations"][0]["result"].append(5),
    "result-item-list": lambda t: t[0]["annotations"][0]["result"].append([1, 2]),
    "result-not-list": lambda t: t[0]["annotations"][0].update(result={"a": 1}),
    "list-valued-id": lambda t: _first_region(t).update(id=["a", "b"]),
    "list-valued-task-id": lambda t: t[0].update(id=[1]),
    "relation-labels-object": lambda t: t[0]["annotations"][0]["result"].append(
        {"type": "relation", "from_id": "a", "to_id": "b", "labels": {}}
    ),
    "relation-ids-object": lambda t: t[0]["annotations"][0]["result"].append(
        {"type": "relation", "from_id": {}, "to_id": [], "labels": ["PART_OF"]}
    ),
    "data-not-object": lambda t: t[0].update(data=[1]),
    "text-number": lambda t: t[0]["data"].update(text=12),
    "value-labels-object": lambda t: _first_region(t)["value"].update(labels={"x": 1}),
}


# Ids that only name a region or a task are not needed to match it: a list there is ignored
# (the region is keyed by its offsets, the task by its data), so the import changes nothing.
IGNORED = {"list-valued-id", "list-valued-task-id"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_issue_cases_are_findings(tmp_path: Path, exported: dict[str, Any], case: str) -> None:
    tasks = copy.deepcopy(exported["tasks"])
    CASES[case](tasks)
    text = json.dumps(tasks).replace('"INF"', "Infinity").replace('"HUGE"', "1e400")
    root = tmp_path / "root"
    result = hostile_import(tmp_path, exported, text, "--force")
    if case in IGNORED:
        assert result.exit_code == 0 and "0 record(s) written" in result.output
        assert files(root) == files(exported["root"])
    else:
        assert result.exit_code == 1, result.output
        assert "error" in result.output


def test_deep_nesting_is_a_finding(tmp_path: Path, exported: dict[str, Any]) -> None:
    text = "[" * 10_000 + "]" * 10_000
    result = hostile_import(tmp_path, exported, text)
    assert result.exit_code == 1 and "nests too deeply" in result.output


def test_a_good_task_then_a_hostile_one_writes_nothing_even_with_force(
    tmp_path: Path, exported: dict[str, Any]
) -> None:
    tasks = copy.deepcopy(exported["tasks"])
    tasks[0]["annotations"][0]["result"] = tasks[0]["annotations"][0]["result"][:1]
    tasks[1]["annotations"] = [{"result": [{"type": "relation", "labels": {}}]}]
    result = hostile_import(tmp_path, exported, tasks, "--force")
    assert result.exit_code == 1
    assert "record(s) written" in result.output  # the summary, not a traceback
    assert "0 record(s) written" in result.output


def test_two_documents_for_one_record_are_refused(tmp_path: Path, exported: dict[str, Any]):
    tasks = copy.deepcopy(exported["tasks"])
    tasks.append(copy.deepcopy(tasks[0]))
    result = hostile_import(tmp_path, exported, tasks, "--force")
    assert result.exit_code == 1
    assert "import-document-duplicate" in result.output


def test_a_fifo_in_a_brat_folder_does_not_hang(tmp_path: Path, exported: dict[str, Any]):
    root = tmp_path / "root"
    shutil.copytree(exported["root"], root)
    export_corpus("brat", root, tmp_path / "brat")
    ann = next((tmp_path / "brat").glob("*.ann"))
    ann.unlink()
    os.mkfifo(ann)
    before = files(root)
    result = run_import(root, "brat", tmp_path / "brat")
    assert result.exit_code == 1 and "not a regular file" in result.output
    assert files(root) == before


def test_a_fifo_given_as_the_export_does_not_hang(tmp_path: Path, exported: dict[str, Any]):
    root = tmp_path / "root"
    shutil.copytree(exported["root"], root)
    os.mkfifo(tmp_path / "export.json")
    for fmt in ("labelstudio", "doccano"):
        result = run_import(root, fmt, tmp_path / "export.json")
        assert result.exit_code == 1 and "not a regular file" in result.output


# --- fuzzing --------------------------------------------------------------------------------

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**53, max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["Infinity", "1e400", "[/bold]", "\x1b[31m", "\ud800", "PART_OF", "ORG"]),
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(
        st.sampled_from(["id", "value", "labels", "start", "end", "text"]), st.integers()
    ),
)


def _places(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, path + (index,))
    return found


def _set(document: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    holder = document
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    return document


def _mutated(base: Any, data: st.DataObject) -> Any:
    document = copy.deepcopy(base)
    places = _places(document)
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        places = _places(document)
        path = data.draw(st.sampled_from(places))
        document = _set(document, path, data.draw(HOSTILE))
    return document


def _json(document: Any) -> str:
    text = json.dumps(document, ensure_ascii=False)
    return text.replace('"Infinity"', "Infinity").replace('"1e400"', "1e400")


FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(data=st.data())
def test_fuzzed_label_studio_exports_never_crash(
    tmp_path_factory: pytest.TempPathFactory, exported: dict[str, Any], data: st.DataObject
) -> None:
    tmp = tmp_path_factory.mktemp("ls")
    root = tmp / "root"
    shutil.copytree(exported["root"], root)
    before = files(root)
    (tmp / "export.json").write_text(
        _json(_mutated(exported["tasks"], data)), encoding="utf-8", errors="surrogatepass"
    )
    outcome = import_documents(
        "labelstudio", tmp / "export.json", root, root / "corpus/records", True
    )
    if not outcome.report.valid:
        assert files(root) == before
    else:
        assert_imported_well(outcome, "labelstudio", tmp / "export.json", root)


def _doccano_zip(lines: list[Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        text = "\n".join(_json(line) for line in lines) + "\n"
        archive.writestr("admin.jsonl", text.encode("utf-8", "surrogatepass"))
    return buffer.getvalue()


@FUZZ
@given(data=st.data())
def test_fuzzed_doccano_exports_never_crash(
    tmp_path_factory: pytest.TempPathFactory, exported: dict[str, Any], data: st.DataObject
) -> None:
    tmp = tmp_path_factory.mktemp("doccano")
    root = tmp / "root"
    shutil.copytree(exported["root"], root)
    before = files(root)
    records = [json.loads(p.read_text()) for p in sorted((root / "corpus/records").glob("*.json"))]
    lines = [
        {
            "id": i,
            "text": r["text"],
            "label": [[m["start"], m["end"], m["label"]] for m in r["mentions"]],
            "meta": {"newscorpus_id": r["id"]},
        }
        for i, r in enumerate(records)
    ]
    mutated = _mutated(lines, data)
    if not isinstance(mutated, list):
        mutated = [mutated]
    path = tmp / "export.zip"
    path.write_bytes(_doccano_zip(mutated))
    outcome = import_documents("doccano", path, root, root / "corpus/records", True)
    if not outcome.report.valid:
        assert files(root) == before
    else:
        assert_imported_well(outcome, "doccano", path, root)


ANN_LINES = st.lists(
    st.one_of(
        st.builds(
            lambda n, label, a, b, text: f"T{n}\t{label} {a} {b}\t{text}",
            st.integers(-2, 99),
            st.sampled_from(["ORG", "PERSON", "GPE", "Nope", ""]),
            st.one_of(st.integers(-5, 400), st.just(10**30)),
            st.one_of(st.integers(-5, 400), st.just(10**30)),
            st.text(max_size=6),
        ),
        st.builds(
            lambda n, kind, a, b: f"R{n}\t{kind} Arg1:T{a} Arg2:T{b}",
            st.integers(0, 9),
            st.sampled_from(["PART_OF", "MEMBER_OF", "X", ""]),
            st.integers(0, 9),
            st.integers(0, 9),
        ),
        st.text(max_size=20),
    ),
    max_size=8,
)


@FUZZ
@given(lines=ANN_LINES)
def test_fuzzed_brat_files_never_crash(
    tmp_path_factory: pytest.TempPathFactory, exported: dict[str, Any], lines: list[str]
) -> None:
    tmp = tmp_path_factory.mktemp("brat")
    root = tmp / "root"
    shutil.copytree(exported["root"], root)
    before = files(root)
    export_corpus("brat", root, tmp / "brat")
    ann = sorted((tmp / "brat").glob("*.ann"))[0]
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    outcome = import_documents("brat", tmp / "brat", root, root / "corpus/records", True)
    if not outcome.report.valid:
        assert files(root) == before
    else:
        assert_imported_well(outcome, "brat", tmp / "brat", root)


def test_an_import_that_fails_half_way_puts_back_what_it_wrote(
    tmp_path: Path, exported: dict[str, Any], monkeypatch: pytest.MonkeyPatch
):
    """The second record's write fails (a disk that fills up exactly then, which a real disk
    cannot be made to do on cue): the first, already replaced, is put back."""
    import newscorpus.interop.engine as interop
    from newscorpus.errors import WriteError

    root = tmp_path / "root"
    shutil.copytree(exported["root"], root)
    export_corpus("brat", root, tmp_path / "brat")
    for ann in sorted((tmp_path / "brat").glob("*.ann")):
        ann.write_text("\n".join(ann.read_text().splitlines()[:1]) + "\n")
    before = files(root)
    real, calls = interop.write_atomic, []

    def full_on_the_second(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        if len(calls) == 2:
            raise WriteError(f"cannot write {args[0]}: No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(interop, "write_atomic", full_on_the_second)
    result = run_import(root, "brat", tmp_path / "brat", "--force")
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert len(calls) == 2 and files(root) == before
