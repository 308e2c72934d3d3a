"""The levelled validator, one module per level: schema, spans, references, provenance,
consistency (level 1, the file, is jsonio.read_record). run.py runs them over files."""

from __future__ import annotations

from .run import (
    Checked,
    ShownPaths,
    check_file,
    fewer_collections,
    load_record,
    shape_findings,
    validate_paths,
    validate_record,
)
from .schema import schema_is_valid_fast

__all__ = [
    "Checked",
    "ShownPaths",
    "check_file",
    "fewer_collections",
    "load_record",
    "schema_is_valid_fast",
    "shape_findings",
    "validate_paths",
    "validate_record",
]
