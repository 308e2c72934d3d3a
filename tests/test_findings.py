"""One fixture per finding code: each case folder holds a record and the finding it must raise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscorpus.findings import CODES, LEVELS, Finding
from newscorpus.validate import validate_paths

FINDINGS = Path(__file__).parent / "data" / "findings"
CASES = sorted(p for p in (FINDINGS / "cases").iterdir() if p.is_dir())
# Codes with no fixture file: an unreadable path, a FIFO or two names that differ only in case
# cannot be committed (tests/test_faults.py makes them), and schema-other is the fallback for
# schema keywords the record schema does not use today.
NO_FIXTURE = {"file-unreadable", "file-not-regular", "id-case-collision", "schema-other"}


def test_the_base_record_is_valid():
    report = validate_paths(FINDINGS / "root")
    assert report.files == 1
    assert report.findings == []


def test_every_validation_code_has_a_fixture():
    validation_codes = {code for code, (level, _, _) in CODES.items() if level in LEVELS}
    assert {case.name for case in CASES} == validation_codes - NO_FIXTURE


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_raises_its_finding(case: Path):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    report = validate_paths(FINDINGS / "root", [case / expected.get("validate", expected["file"])])
    found = [f for f in report.findings if f.code == expected["code"]]
    assert found, [f.format() for f in report.findings]
    finding = found[0]
    assert finding.pointer == expected["pointer"]
    assert finding.severity == expected["severity"]
    assert finding.file.endswith(expected["file"])
    assert finding.message and finding.hint
    assert report.valid is (expected["severity"] == "warning")


def test_unreadable_path_is_a_finding(tmp_path: Path):
    report = validate_paths(tmp_path, [tmp_path / "missing.json"])
    assert [f.code for f in report.findings] == ["file-unreadable"]
    assert not report.valid


def test_unknown_code_is_refused():
    with pytest.raises(ValueError):
        Finding("no-such-code", "f.json", None, "", "m", "h")


def test_report_json_shape():
    case = FINDINGS / "cases" / "span-text-mismatch"
    report = validate_paths(FINDINGS / "root", [case / "mini.json"])
    data = json.loads(report.to_json())
    assert data["valid"] is False
    assert data["stats"] == {"files": 1, "errors": 1, "warnings": 0, "skipped": 0}
    (finding,) = data["findings"]
    assert set(finding) == {
        "level",
        "code",
        "severity",
        "file",
        "record",
        "pointer",
        "message",
        "hint",
    }
    assert finding["record"] == "mini" and finding["level"] == "spans"
