"""`newscorpus.evaluate(gold, predictions)`: the scorer from Python, as `evaluate --json` runs it.

Both sides may be paths, `datasets.Dataset` objects (or a `DatasetDict`, every split of it) or
lists of rows, in any shape the dataset publishes (newscorpus.curate.evaluate.shapes). GOLD is
the gold records of `root` (the current folder) when None; otherwise records, a folder of them,
`documents` rows (a Dataset loaded from the published folder, its Parquet files, or a dataset
folder without records/, as the Hub serves it). The result is the dict `--json` prints.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from ...errors import EvaluationError
from ...findings import Finding, Findings
from ...model import Record
from ...paths import RECORDS_DIR, shown_path
from ...publish.views import record_from_document
from ...validate import validate_record
from . import BLOCKING, Predictions, in_split, load_gold, score, sort_predictions, to_dict
from .inputs import Item, read_items
from .shapes import detect, shape_items

Source = Any  # a path, a datasets.Dataset or DatasetDict, or an iterable of rows


def evaluate(
    gold: Source,
    predictions: Source,
    *,
    split: str | None = None,
    root: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Score `predictions` against `gold` (None: the gold records under `root`); every figure
    and finding, exactly as `newscorpus evaluate --json` prints them. Raises EvaluationError
    when there is no sound gold to score against; bad predictions are findings."""
    base = Path.cwd() if root is None else Path(root)
    every, gold_name = gold_records(base, gold)
    records = in_split(every, split, gold_name)
    items, findings, shown = _objects(predictions, base)
    shaped = shape_items(items)
    sorted_ = sort_predictions(shaped.items, records, {r["id"] for r in every}, shown)
    files = [item.file for item in items]
    ordered = _in_file_order(shaped.findings + sorted_.findings, files)
    sorted_.findings = Findings(found=[*findings, *ordered])
    _fill_row_layers(sorted_, records, shaped.row_layers)
    result = score(records, sorted_)
    result.report.files = 1
    out = to_dict(result, split)
    return {
        "documents": out.pop("documents"),
        "split": out.pop("split"),
        "read": shaped.summary(),
        **out,
    }


def _fill_row_layers(predictions: Predictions, records: list[Record], layers: set[str]) -> None:
    """Rows cannot say "nothing here": a gold document without rows of a config predicted as
    rows predicts none of that layer."""
    for record in records if layers else ():
        predicted = predictions.records.setdefault(record["id"], {"id": record["id"]})
        for layer in layers:
            predicted.setdefault(layer, [])


def _in_file_order(findings: list[Finding], read: list[str]) -> list[Finding]:
    """Findings about objects in the order the files were read (`read`: the file of each
    object, in order) and of the objects in them."""
    files = {file: rank for rank, file in enumerate(dict.fromkeys(read))}

    def place(finding: Finding) -> tuple[int, float]:
        first = files.setdefault(finding.file, len(files))
        parts = [p for p in finding.pointer.split("/")[1:3] if p.isdigit()]
        return first, int(parts[0]) if parts else float("inf")

    return sorted(findings, key=place)


# --- gold -----------------------------------------------------------------------------------


def gold_records(root: Path, gold: Source) -> tuple[list[Record], Path]:
    """The gold records in id order, and how to name them."""
    if gold is None or isinstance(gold, (str, os.PathLike)):
        path = None if gold is None else Path(gold)
        parquet = None if path is None else _documents_files(path)
        if not parquet:
            return load_gold(root, path, None), path or root / RECORDS_DIR
        assert path is not None
        import pyarrow.parquet as pq

        rows: Iterable[Any] = (row for f in parquet for row in pq.read_table(f).to_pylist())
        return _sound(rows, shown_path(path, root)), path
    return _sound(_rows_of(gold)[1], "GOLD"), Path("GOLD")


def _documents_files(path: Path) -> list[Path]:
    """The Parquet files of documents rows that `path` names: itself, or a dataset folder's
    data/documents/ when the folder has no records/ (as the Hub serves it)."""
    if path.is_file() and path.suffix == ".parquet":
        return [path]
    if path.is_dir() and not (path / "records").is_dir() and not any(path.glob("*.json")):
        return sorted((path / "data" / "documents").glob("*.parquet"))
    return []


def _sound(rows: Iterable[Any], name: str) -> list[Record]:
    records: list[Record] = []
    for index, row in enumerate(rows):
        shape, problem = detect(row)
        if shape not in ("records", "documents"):
            raise EvaluationError(
                f"{name}, row {index}: gold is records or rows of the documents config; "
                f"this one {problem or 'is one of the ' + str(shape) + ' rows'}"
            )
        try:
            record = record_from_document(row) if shape == "documents" else row
            errors = [
                f
                for f in validate_record(record, file=name, root=None)
                if f.severity == "error" and (f.level == "schema" or f.code in BLOCKING)
            ]
        except (KeyError, TypeError, ValueError) as err:
            raise EvaluationError(
                f"{name}, row {index}: not a whole documents row ({err})"
            ) from None
        if errors:
            raise EvaluationError(
                f"{name}, row {index} is not a sound record, so it cannot be compared:\n"
                f"{errors[0].format()}"
            )
        records.append(cast(Record, record))  # its shape is the schema's
    if not records:
        raise EvaluationError(f"{name} holds no gold document to evaluate against")
    return sorted(records, key=lambda r: r["id"])


# --- predictions ----------------------------------------------------------------------------


def _objects(predictions: Source, root: Path) -> tuple[list[Item], list[Finding], str]:
    if isinstance(predictions, (str, os.PathLike)):
        path = Path(predictions)
        if not path.exists():
            raise EvaluationError(f"{path}: no such file or folder of predictions")
        shown = shown_path(path, root)
        items, findings = read_items(path, shown)
        return items, findings, shown
    name, rows = _rows_of(predictions)
    return [Item(name, where, row) for where, row in _numbered(predictions, rows)], [], name


def _rows_of(source: Source) -> tuple[str, list[Any]]:
    """A name for findings, and the rows of a Dataset, a DatasetDict or an iterable."""
    if _is_dataset_dict(source):
        return "the DatasetDict", [row for part in source.values() for row in part.to_list()]
    if hasattr(source, "to_list") and hasattr(source, "features"):
        return "the Dataset", source.to_list()
    if isinstance(source, dict):
        return "the rows", [source]
    return "the rows", list(source)


def _numbered(source: Source, rows: list[Any]) -> Iterable[tuple[tuple[str | int, ...], Any]]:
    """Each row with its place: (split, index) in a DatasetDict, (index,) otherwise."""
    if _is_dataset_dict(source):
        places = [(name, i) for name, part in source.items() for i in range(len(part))]
        return zip(places, rows, strict=True)
    return (((i,), row) for i, row in enumerate(rows))


def _is_dataset_dict(source: Source) -> bool:
    return (
        isinstance(source, dict)
        and bool(source)
        and all(hasattr(v, "to_list") and hasattr(v, "features") for v in source.values())
    )
