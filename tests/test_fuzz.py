"""Property-based fuzzing: no mutation of a valid record makes the validator crash."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscorpus.findings import CODES, Report
from newscorpus.jsonio import iter_paths
from newscorpus.validate import validate_paths, validate_record

ROOT = Path(__file__).parent / "data" / "findings" / "root"
BASE = json.loads((ROOT / "corpus/records/mini.json").read_text(encoding="utf-8"))
BASE_BYTES = (ROOT / "corpus/records/mini.json").read_bytes()

values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.text(max_size=12),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-3, max_value=len(BASE["text"]) + 3),
        st.sampled_from(
            [
                "m1",
                "m99",
                "e1",
                "e99",
                "ORG",
                "DATE",
                "NAM",
                "gold",
                "agent",
                "\ud800",
                "\r\n",
                " Acme",
                "Acme",
                "FINE",
                "evc1",
            ]
        ),
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "start", "end", "text", "label", "x"]), children, max_size=3
        )
    ),
    max_leaves=6,
)


PATHS = [path for path, _ in iter_paths(BASE) if path]


def _mutate(record, mutations):
    for path, value, action in mutations:
        parent = record
        try:
            for key in path[:-1]:
                parent = parent[key]
            if action == "delete":
                del parent[path[-1]]
            elif action == "append" and isinstance(parent[path[-1]], list):
                parent[path[-1]].append(value)
            elif action == "duplicate" and isinstance(parent, list):
                parent.append(copy.deepcopy(parent[path[-1]]))
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    return record


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(PATHS),
            values,
            st.sampled_from(["set", "delete", "append", "duplicate"]),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_structural_mutations_never_crash(mutations):
    record = _mutate(copy.deepcopy(BASE), mutations)
    findings = validate_record(record, file="mini.json", root=ROOT, stem="mini")
    for finding in findings:
        assert finding.code in CODES and finding.message and finding.hint
        assert finding.pointer == "" or finding.pointer.startswith("/")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(BASE_BYTES) - 1),
            st.binary(min_size=0, max_size=4),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_byte_mutations_never_crash(tmp_path_factory, edits):
    data = bytearray(BASE_BYTES)
    for offset, replacement in edits:
        data[offset : offset + len(replacement)] = replacement
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "mini.json"
    path.write_bytes(bytes(data))
    report = validate_paths(ROOT, [path])
    assert isinstance(report, Report) and report.files == 1
    assert all(f.code in CODES for f in report.findings)


def test_mutating_the_text_is_always_caught():
    record = copy.deepcopy(BASE)
    record["text"] = record["text"].replace("Acme", "Acne", 1)
    codes = {f.code for f in validate_record(record, file="m", root=ROOT, stem="mini")}
    assert {"span-text-mismatch", "text-seed-mismatch"} <= codes
