"""Exchange with annotation tools and other NLP ecosystems: one module per external format.

EXPORTERS and IMPORTERS are the tables the CLI offers; each entry is a plain function that works
from Python too. Library code returns findings or raises; only the CLI prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RecordExistsError
from ..findings import Finding, Report
from ..fsutil import write_atomic
from ..jsonio import dumps
from ..records import shown_path
from ..validate import validate_record
from . import bigbio, brat, conll, doccano, labelstudio, spacy_docbin
from .common import (
    ExportError,
    Imported,
    InvalidRecordsError,
    NoRecordsError,
    RecordIndex,
    select_records,
)

Exporter = Callable[[list[dict[str, Any]], Path], list[Path]]
Importer = Callable[[Path, RecordIndex], Iterator[Imported]]

EXPORTERS: dict[str, Exporter] = {
    "brat": brat.export_records,
    "conll": conll.export_records,
    "spacy": spacy_docbin.export_records,
    "bigbio": bigbio.export_records,
}
IMPORTERS: dict[str, Importer] = {
    "labelstudio": labelstudio.read_documents,
    "doccano": doccano.read_documents,
    "brat": brat.read_documents,
}

__all__ = [
    "EXPORTERS",
    "IMPORTERS",
    "ExportError",
    "InvalidRecordsError",
    "NoRecordsError",
    "ImportOutcome",
    "export_corpus",
    "import_documents",
]


def export_corpus(fmt: str, root: Path, out: Path, include_drafts: bool = False
                  ) -> tuple[list[dict[str, Any]], list[Path]]:
    """Export the valid gold records (and drafts if asked) of `root` to `out`."""
    records = select_records(root, include_drafts)
    return records, EXPORTERS[fmt](records, out)


@dataclass
class ImportOutcome:
    report: Report = field(default_factory=Report)
    written: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def import_documents(fmt: str, path: Path, root: Path, out: Path, force: bool = False
                     ) -> ImportOutcome:
    """Import every document of `path` as a draft record in `out`.

    A document is written only when it has no error finding and the record it becomes passes
    validation; an existing file is replaced only with `force` (keeping `<name>.bak`).
    """
    outcome = ImportOutcome()
    index = RecordIndex.load(root)
    for item in IMPORTERS[fmt](path, index):
        outcome.report.files += 1
        findings = list(item.findings)
        record = item.record
        if record is not None and not any(f.severity == "error" for f in findings):
            target = out / f"{record['id']}.json"
            findings.extend(validate_record(record, file=shown_path(target, root), root=root,
                                            stem=record["id"]))
        outcome.report.findings.extend(findings)
        if record is None or any(f.severity == "error" for f in findings):
            outcome.skipped.append(item.doc_id or item.source)
            continue
        target = out / f"{record['id']}.json"
        replaced = force and target.exists()
        try:
            write_atomic(target, dumps(record), overwrite=force)
        except RecordExistsError:
            outcome.report.findings.append(Finding(
                "import-record-exists", shown_path(target, root), record["id"], "",
                f"{shown_path(target, root)} already exists; nothing was written for "
                f"{record['id']}.", "import with --out into another folder and review, or "
                "pass --force to replace it (the old file is kept as .bak)"))
            outcome.skipped.append(record["id"])
            continue
        outcome.written.append(target)
        if replaced:  # write_atomic keeps the replaced file next to it
            outcome.backups.append(target.with_name(target.name + ".bak"))
    return outcome
