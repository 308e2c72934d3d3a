"""What an import that succeeded must have done, whatever its input: records that validate
without an error, and nothing left to change when the same file is imported again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newscorpus.interop import import_documents
from newscorpus.validate import validate_paths


def assert_imported_well(outcome: Any, fmt: str, path: Path, root: Path) -> None:
    """`outcome` is a valid import of `path` into root's corpus/records."""
    assert outcome.report.valid
    if outcome.written:
        report = validate_paths(root, outcome.written)
        assert [f.format() for f in report.errors] == []
    again = import_documents(fmt, path, root, root / "corpus/records", True)
    assert [f.format() for f in again.report.errors] == []
    assert again.written == [], f"a second import of the same {fmt} file changed records"
