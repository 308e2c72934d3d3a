"""The records an import may merge into, found by id or by text, and refused when damaged.

An import reads every field of the record it merges into (its text, each layer, each
trigger). A record damaged by hand (a layer deleted, a layer that is a number or null, a
trigger that is null) is not read at all: `damage` gives the validator's own shape finding
(validate.shape_findings), at the record's file and JSON pointer, and the import writes
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding, Findings
from ..jsonio import read_record
from ..model import Record
from ..paths import RECORDS_DIR, shown_path
from ..validate import shape_findings


@dataclass
class RecordIndex:
    """The records of a corpus root, found by id or by text."""

    root: Path
    by_id: dict[str, Record] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    _damage: dict[str, list[Finding]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> RecordIndex:
        index = cls(root)
        for path in sorted((root / RECORDS_DIR).glob("*.json")):
            record, _ = read_record(path, path.name)
            if record is not None and isinstance(record.get("id"), str):
                # a record to merge into: `damage` refuses one whose shape is broken
                index.by_id[record["id"]] = record
                index.paths[record["id"]] = path
        return index

    def match(self, keys: Iterable[object], text: str | None) -> Record | None:
        for key in keys:
            if isinstance(key, str) and key in self.by_id:
                return self.by_id[key]
        if text is not None:
            found = [r for r in self.by_id.values() if r.get("text") == text]
            if len(found) == 1:
                return found[0]
        return None

    def damage(self, record: Record, document: str) -> list[Finding]:
        """One finding when `record` (matched by `document` of the export) has a broken
        shape, at the record's file and the first broken place; empty when it is sound."""
        doc_id = record["id"]
        if doc_id not in self._damage:
            path = self.paths.get(doc_id)
            shown = shown_path(path, self.root) if path is not None else f"{doc_id}.json"
            # the record may be broken in any way: the validator reads it as any JSON object
            problems = shape_findings(record, file=shown)
            self._damage[doc_id] = [damaged(shown, doc_id, problems, document)] if problems else []
        return self._damage[doc_id]


def damaged(shown: str, doc_id: str | None, problems: list[Finding], document: str) -> Finding:
    """The refusal to merge into the record at `shown`, whose shape `problems` break."""
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return Findings(shown, doc_id).finding(
        "import-record-damaged",
        first.pointer,
        f"the record is damaged at {first.pointer or '/'}: {first.message}{more}; "
        f"{document} would be merged into it, so nothing was imported.",
        f"run `newscorpus validate {shown}` and repair the record (git or its .bak files keep "
        "earlier versions), then import again",
    )
