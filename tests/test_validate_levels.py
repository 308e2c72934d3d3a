"""`validate` reports every finding it can compute, whatever else failed: errors never hide
warnings, and a level that a record's errors stop is named in a note, with what stopped it."""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.jsonio import dumps

FINDINGS = Path(__file__).parent / "data" / "findings"
BASE: dict[str, Any] = json.loads(
    (FINDINGS / "root" / "corpus" / "records" / "mini.json").read_text(encoding="utf-8")
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "root"
    shutil.copytree(FINDINGS / "root", target)
    return target


def _validate(root: Path, *mutations: Callable[[dict[str, Any]], None], json_out: bool = False):
    record = copy.deepcopy(BASE)
    for mutate in mutations:
        mutate(record)
    (root / "corpus" / "records" / "mini.json").write_text(dumps(record), encoding="utf-8")
    args = ["validate", "--root", str(root), "--no-cache"] + (["--json"] if json_out else [])
    return CliRunner().invoke(main, args)


def _codes(result) -> list[str]:
    return [f["code"] for f in json.loads(result.output)["findings"]]


def unresolved(record: dict[str, Any]) -> None:
    record["mentions"][0]["entity"] = "e99"  # an error: ref-unresolved


def two_labels(record: dict[str, Any]) -> None:
    """A warning: the third "Acme" becomes a PERSON of its own (label-inconsistent)."""
    record["mentions"][12].update(label="PERSON", entity="e7")
    record["entities"].append({"id": "e7", "label": "PERSON", "name": "Acme"})
    record["quotes"][1]["speaker"] = "e7"


def test_base_record_is_valid(root):
    result = _validate(root)
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s): valid" in result.output


def test_an_error_does_not_hide_the_warnings(root):
    result = _validate(root, unresolved, two_labels)
    assert result.exit_code == 1
    assert "error [ref-unresolved] (record mini)" in result.output
    assert "warning [label-inconsistent] (record mini)" in result.output
    assert re.search(
        r"1 file\(s\) checked: 1 error\(s\), [1-9][0-9]* warning\(s\): INVALID", result.output
    )
    assert "not run" not in result.output


def test_a_broken_span_is_reported_once_and_the_rest_still_checked(root):
    def misspelt(record):
        record["mentions"][3]["text"] = "Mondey"  # the first "Monday", DATE

    result = _validate(root, misspelt, two_labels, json_out=True)
    codes = _codes(result)
    assert "span-text-mismatch" in codes and "label-inconsistent" in codes
    # The misspelt mention still covers its place: no second finding about that "Monday".
    assert "unannotated-occurrence" not in codes and "mention-token-boundary" not in codes


def test_a_broken_shape_names_every_level_it_stopped(root):
    result = _validate(root, lambda r: r.pop("labels"))
    assert result.exit_code == 1
    out = result.output
    assert "mini.json:/: error [schema-required]" in out
    for level in ("spans", "references", "provenance", "consistency"):
        assert f"note [{level}-skipped] (record mini) the {level} checks did not run" in out
    assert "stopped by [schema-required] at /" in out
    assert "4 check level(s) not run on 1 broken record(s) (see the notes): INVALID" in out


def test_json_report_carries_the_notes(root):
    result = _validate(root, lambda r: r["mentions"][0].__setitem__("start", "0"), json_out=True)
    report = json.loads(result.output)
    notes = [f for f in report["findings"] if f["severity"] == "note"]
    assert {f["level"] for f in notes} == {"spans", "references", "provenance", "consistency"}
    assert {f["pointer"] for f in notes} == {"/mentions/0/start"}
    assert report["stats"] == {"files": 1, "errors": 1, "warnings": 0, "skipped": 4}
    assert report["valid"] is False


def test_labels_outside_the_inventory_stop_no_level(root):
    def unknown_types(record):
        record["events"][0]["type"] = "PARADE"
        record["relations"][0]["type"] = "NEIGHBOUR_OF"

    result = _validate(root, unknown_types, unresolved, two_labels, json_out=True)
    codes = _codes(result)
    assert codes.count("schema-enum") == 2
    assert "ref-unresolved" in codes and "label-inconsistent" in codes
    assert not [code for code in codes if code.endswith("-skipped")]


def test_a_seed_path_of_the_wrong_form_stops_only_provenance(root):
    def outside(record):
        record["source"]["seed_path"] = "seeds/../../etc/passwd"

    result = _validate(root, outside, unresolved, two_labels, json_out=True)
    codes = _codes(result)
    assert [c for c in codes if c.endswith("-skipped")] == ["provenance-skipped"]
    assert {"schema-pattern", "ref-unresolved", "label-inconsistent"} <= set(codes)
    assert "seed-missing" not in codes


def test_a_passage_out_of_range_still_lets_spans_be_checked(root):
    def broken(record):
        record["passages"][1]["end"] = 10**6
        record["mentions"][1]["text"] = "Acmx"

    result = _validate(root, broken, json_out=True)
    findings = json.loads(result.output)["findings"]
    codes = [f["code"] for f in findings]
    assert {"passage-tiling", "span-text-mismatch", "consistency-skipped"} <= set(codes)
    (note,) = [f for f in findings if f["code"] == "consistency-skipped"]
    assert note["pointer"] == "/passages/1" and "[passage-tiling]" in note["message"]
    assert "span-crosses-passage" not in codes


@pytest.mark.parametrize("status", ["gold", "draft"])
@pytest.mark.parametrize("account", ["admin@example.com", "Jane Roe <jane.roe@mail.example.org>"])
def test_an_annotator_that_is_an_email_address_is_an_error(root, status, account):
    def email(record):
        record["annotation"].update(status=status, annotators=["newscorpus-curators", account])

    result = _validate(root, email)
    assert result.exit_code == 1
    assert "mini.json:/annotation/annotators/1: error [annotator-email] (record mini)" in (
        result.output
    )
    assert "looks like an e-mail address" in result.output
    assert "fix: replace it with an annotator id" in result.output


def test_annotator_ids_with_an_at_sign_but_no_domain_are_ids(root):
    result = _validate(root, lambda r: r["annotation"].update(annotators=["@curator", "ann@x"]))
    assert result.exit_code == 0, result.output
