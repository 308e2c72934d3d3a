"""The import and export engine: the tables of formats the command line offers, exporting the
corpus, and importing documents into records (planned, checked, written with a way back).

Each entry is a plain function that works from Python too. Library code returns findings or
raises; only the command line prints.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding, Findings, Report
from ..fsutil import write_atomic
from ..jsonio import dumps, read_record
from ..model import Record
from ..outputs import refuse_curated
from ..paths import shown_path
from ..progress import Progress, silent
from ..validate import shape_findings, validate_record
from . import bigbio, brat, conll, doccano, labelstudio, spacy_docbin
from .annotators import AnnotatorMapError, load_annotator_map
from .common import (
    ExportError,
    Imported,
    ImportOptions,
    InvalidRecordsError,
    NoRecordsError,
    RecordIndex,
    select_records,
)
from .finish import changes, prepared, stale_refusal
from .index import damaged
from .merge import keep_uncarried, losses

Exporter = Callable[[list[Record], Path], list[Path]]
Importer = Callable[[Path, RecordIndex, ImportOptions], Iterator[Imported]]

EXPORTERS: dict[str, Exporter] = {
    "labelstudio": labelstudio.export_records,
    "brat": brat.export_records,
    "conll": conll.export_records,
    "spacy": spacy_docbin.export_records,
    "bigbio": bigbio.export_records,
}
IMPORTERS: dict[str, Importer] = {
    "labelstudio": labelstudio.read_documents,
    "doccano": doccano.read_documents,
    "brat": lambda path, index, options: brat.read_documents(path, index),
}

__all__ = [
    "AnnotatorMapError",
    "EXPORTERS",
    "IMPORTERS",
    "ExportError",
    "ImportOptions",
    "ImportOutcome",
    "InvalidRecordsError",
    "NoRecordsError",
    "export_corpus",
    "import_documents",
    "load_annotator_map",
]


def export_corpus(
    fmt: str, root: Path, out: Path, include_drafts: bool = False, progress: Progress = silent
) -> tuple[list[Record], list[Path]]:
    """Export the valid gold records (and drafts if asked) of `root` to `out`. A failed
    export leaves `out` as it was: absent, or the empty folder it was."""
    refuse_curated(root, out, "Export elsewhere, e.g. exports/ or /tmp/")
    records = select_records(root, include_drafts, progress)
    existed = os.path.lexists(out)
    fresh = not existed or (out.is_dir() and not out.is_symlink() and not any(out.iterdir()))
    try:
        return records, EXPORTERS[fmt](records, out)
    except BaseException:
        if fresh:  # a disk that fills up half-way: no partial export is left to refuse a retry
            with contextlib.suppress(OSError):
                _clear(out, keep=existed)
        raise


def _clear(out: Path, keep: bool) -> None:
    """Remove what an export wrote at `out`, which was new (`keep` false: out goes too) or an
    empty folder (kept)."""
    if out.is_dir() and not out.is_symlink():
        for item in out.iterdir():
            if item.is_dir() and not item.is_symlink():
                shutil.rmtree(item)
            else:
                item.unlink(missing_ok=True)
        if not keep:
            out.rmdir()
    elif os.path.lexists(out) and not keep:
        out.unlink()


@dataclass
class ImportOutcome:
    report: Report = field(default_factory=Report)
    written: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _slug(annotator: str) -> str:
    """A folder name for an annotator's records (emails keep their letters, digits, . _ -)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", annotator).strip("._") or "annotator"


@dataclass
class _Planned:
    item: Imported
    record: Record
    target: Path


def import_documents(
    fmt: str,
    path: Path,
    root: Path,
    out: Path,
    force: bool = False,
    options: ImportOptions | None = None,
) -> ImportOutcome:
    """Import every document of `path` as records in `out`, all or nothing.

    Each document becomes its record with the imported layers (layers the format cannot carry
    are kept from the record). Nothing is written when any document has an error, when two
    documents would write one file, or when replacing a record would lose work (removed
    quotes, undone coreference merges, gold demoted to draft, ...) without `force`; with
    `force`, each replaced file is kept as a numbered backup.
    """
    outcome = ImportOutcome()
    index = RecordIndex.load(root)
    planned: dict[Path, _Planned] = {}
    for item in IMPORTERS[fmt](path, index, options or ImportOptions()):
        outcome.report.files += 1
        plan = _plan(item, index, root, out, force, planned, outcome.report)
        if plan is None:
            outcome.skipped.append(item.doc_id or item.source)
        else:
            planned[plan.target] = plan
    if not planned and not outcome.report.findings:
        outcome.report.findings.append(_nothing(path))
    if not outcome.report.valid:
        outcome.skipped += [p.record["id"] for p in planned.values()]
        return outcome
    try:
        for plan in planned.values():
            _write(plan, force, outcome)
    except BaseException:
        _undo(outcome)  # a full disk half-way: the records written so far go back too
        raise
    return outcome


def _nothing(path: Path) -> Finding:
    return Findings(str(path)).finding(
        "import-nothing",
        "",
        "the export gave no document to import and no reason why.",
        "check that it is the export of a project made with `newscorpus export` (Label "
        "Studio: JSON or JSON_MIN; doccano: the zip or JSONL; brat: the folder of pairs)",
    )


def _undo(outcome: ImportOutcome) -> None:
    """Put back what an import that failed half-way had written: each replaced record from
    its backup (the same inode, so the backup's name goes away), each new one removed."""
    for target in outcome.written:
        saved = next(
            (
                b
                for b in outcome.backups
                if b.parent == target.parent and b.name.startswith(f"{target.name}.")
            ),
            None,
        )
        if saved is not None:
            os.replace(saved, target)
        else:
            target.unlink(missing_ok=True)
    outcome.written.clear()
    outcome.backups.clear()


def _plan(
    item: Imported,
    index: RecordIndex,
    root: Path,
    out: Path,
    force: bool,
    planned: dict[Path, _Planned],
    report: Report,
) -> _Planned | None:
    findings = list(item.findings)
    report.findings.extend(findings)
    record = item.record
    if record is None or any(f.severity == "error" for f in findings):
        return None
    folder = out / _slug(item.annotator) if item.annotator else out
    target = folder / f"{record['id']}.json"
    shown = shown_path(target, root)
    base = index.by_id[record["id"]]
    record = keep_uncarried(base, record, item.carried)
    record = prepared(base, record, item.ids_trusted, "names" in item.carried)
    if not changes(base, record):
        record = base  # the same annotation: the record stays as it is, bytes and status
    elif item.if_changed:  # e.g. an annotator account that would put an e-mail in the record
        report.findings.extend(item.if_changed)
        return None
    if target in planned:
        report.findings.add(
            "import-document-duplicate",
            "",
            f"two documents of the export would both write {shown}; neither is written.",
            "keep one task per record in the export, or import each annotator with "
            "--each-annotator",
            file=item.source,
            record=record["id"],
        )
        planned.pop(target)
        return None
    # An unchanged record is not the import's to judge (`newscorpus validate` is).
    problems = (
        [] if record is base else validate_record(record, file=shown, root=root, stem=record["id"])
    )
    report.findings.extend(problems)
    if any(f.severity == "error" for f in problems):
        return None
    refusal = stale_refusal(base, record, item.fingerprint, item.source, force)
    refusal = refusal or _replacing(target, record, shown, force)
    if refusal is not None:
        report.findings.append(refusal)
        return None
    return _Planned(item, record, target)


def _replacing(target: Path, record: Record, shown: str, force: bool) -> Finding | None:
    """Why writing `record` over `target` must not happen without --force, if it must not."""
    existing = _existing(target)
    problems = shape_findings(existing, file=shown) if existing is not None else []
    if problems and not force:
        return damaged(shown, record["id"], problems, "the import")
    if problems:  # replaced with --force: its losses cannot be counted; the backup keeps it
        return None
    if existing is not None and existing != record:
        lost = losses(existing, record)
        if lost and not force:
            return Findings(shown, record["id"]).finding(
                "import-would-lose", "",
                f"importing over {shown} would lose {', '.join(lost)}; nothing was written.",
                "correct the annotation in the tool, import with --out into another folder to "
                "compare, or pass --force to replace it (the old file is kept as a backup)",
            )  # fmt: skip
    elif existing is None and target.exists() and not force:
        return Findings(shown, record["id"]).finding(
            "import-record-exists", "",
            f"{shown} already exists and is not a readable record; nothing was written.",
            "move it away, or pass --force to replace it (the old file is kept as a backup)",
        )  # fmt: skip
    return None


def _existing(target: Path) -> Record | None:
    if not target.is_file():
        return None
    record, _ = read_record(target, target.name)
    return record


def _write(plan: _Planned, force: bool, outcome: ImportOutcome) -> None:
    target = plan.target
    if _existing(target) == plan.record:
        outcome.unchanged.append(target)
        return
    saved = write_atomic(target, dumps(plan.record), overwrite=target.exists())
    outcome.written.append(target)
    if saved is not None:
        outcome.backups.append(saved)
