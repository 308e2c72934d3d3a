"""The compiled schema validator, the validator's only one, agrees with the reference,
jsonschema: on the verdict, and on what fails where (the keyword and the JSON pointer of each
finding).

Both are compared on every record fixture in the repository, valid and invalid, on the
synthetic records, and on random mutations of a valid record.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from newscorpus.dev.synth import synth_records
from newscorpus.findings import Findings, pointer
from newscorpus.jsonio import MAX_DEPTH, MAX_SAFE_INTEGER, iter_paths, nesting_depth, read_record
from newscorpus.labels import record_schema
from newscorpus.validate import schema_is_valid_fast
from newscorpus.validate.schema import check_schema

REPO = Path(__file__).resolve().parent.parent
REFERENCE = Draft202012Validator(record_schema())


def _fixture_records() -> list[tuple[str, object]]:
    found = []
    for path in sorted((REPO / "tests" / "data").rglob("*.json")):
        if path.name == "expected.json" or any(part.startswith(".") for part in path.parts):
            continue  # expectations, and caches that runs leave in fixture roots
        record, problems = read_record(path, path.name)
        if record is not None:
            found.append((str(path.relative_to(REPO)), record))
    for path in sorted((REPO / "corpus" / "records").glob("*.json")):
        record, _ = read_record(path, path.name)
        found.append((str(path.relative_to(REPO)), record))
    return found


FIXTURES = _fixture_records()


def test_there_are_valid_and_invalid_fixtures():
    verdicts = {REFERENCE.is_valid(record) for _, record in FIXTURES}
    assert verdicts == {True, False}
    assert len(FIXTURES) >= 40


@pytest.mark.parametrize(("name", "record"), FIXTURES, ids=[name for name, _ in FIXTURES])
def test_same_verdict_on_every_fixture(name, record):
    assert schema_is_valid_fast(record) is REFERENCE.is_valid(record)
    assert_same_failures(record)


def assert_same_failures(record) -> None:
    """The findings name the keywords and places that the reference's errors name, in order."""
    if nesting_depth(record) > MAX_DEPTH or any(
        isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_SAFE_INTEGER
        for _, v in iter_paths(record)
    ):
        return  # json-too-deep or json-huge-integer, reported before the schema is asked
    out = Findings("x.json")
    check_schema(record, out)
    errors = sorted(REFERENCE.iter_errors(record), key=lambda e: list(e.absolute_path))
    expected = [(str(e.validator), pointer(*e.absolute_path)) for e in errors]
    found = [(f.code, f.pointer) for f in out]
    assert [pointer for _, pointer in found] == [pointer for _, pointer in expected]
    assert [code.removeprefix("schema-") for code, _ in found] == [
        _CODE_OF.get(keyword, "other") for keyword, _ in expected
    ]


_CODE_OF = {
    "required": "required",
    "additionalProperties": "additional-properties",
    "type": "type",
    "enum": "enum",
    "pattern": "pattern",
    "minimum": "minimum",
    "minLength": "min-length",
    "minItems": "min-items",
    "uniqueItems": "unique-items",
    "oneOf": "one-of",
}


def test_same_verdict_on_synthetic_records():
    for record, _ in synth_records(20, seed=7):
        assert schema_is_valid_fast(record) is True
        assert REFERENCE.is_valid(record)


BASE = json.loads((REPO / "tests/data/findings/root/corpus/records/mini.json").read_text())
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["ORG", "NAM", "gold", "e1", "m1", "ev1", "q1", "r1", "p0", "asserted"]),
)


PATHS = [path for path, _ in iter_paths(BASE) if path]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), scalars, st.booleans()), max_size=4))
def test_same_verdict_on_mutations(mutations):
    record = copy.deepcopy(BASE)
    for path, value, delete in mutations:
        parent = record
        try:
            for key in path[:-1]:
                parent = parent[key]
            if delete and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    assert schema_is_valid_fast(record) is REFERENCE.is_valid(record)
    assert_same_failures(record)
