"""The per-record stage of a build: valid records to the rows of every config, in shards.

Pure: a shard's result depends only on its record files, so shards can be derived by worker
processes or any other engine (see publish/engines.py), in any order, and written in id order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from ..errors import BuildError, InvalidCorpusError
from ..findings import Report
from ..jsonio import read_record
from ..model import Record
from ..paths import record_files, shown_path
from ..tokens import flush_cache
from ..validate import Checked, ShownPaths, check_file, fewer_collections, validate_paths
from .columns import columns_table, documents_table
from .ner_table import NerColumns
from .stats import Stats
from .view_columns import COLUMN_VIEWS, Columns, first_row
from .views import VIEWS, Row, document_rows, ner_rows

DERIVE_BATCH = 32  # records derived at a time inside a shard task (publish/shards.py)


# --- reading records ------------------------------------------------------------------------


def published_records(root: Path, *, include_drafts: bool = False) -> Iterator[Record]:
    """The records a build publishes, one at a time, in file-name order."""
    for path in record_files(root):
        record = _read(path, root)
        if include_drafts or record["annotation"]["status"] == "gold":
            yield record


def _read(path: Path, root: Path) -> Record:
    record, findings = read_record(path, shown_path(path, root))
    if record is None or findings:
        raise BuildError(f"{shown_path(path, root)} cannot be read; run `newscorpus validate`")
    return record


def check_valid(root: Path, *, jobs: int = 1) -> Report:
    report = validate_paths(root, jobs=jobs, use_cache=True)
    if not report.valid:
        raise InvalidCorpusError(report)
    return report


@dataclass
class Derived:
    """What one shard of records contributes: its records with their split and the number of
    rows each gives to each config, the rows of every config but documents (built from the
    records themselves) as columns, the first row of each as its example, and counts."""

    records: list[tuple[str, Record, dict[str, int]]]  # (split, record, rows by config)
    stats: Stats
    ner: dict[str, NerColumns] = field(default_factory=dict)  # by split
    columns: dict[tuple[str, str], Columns] = field(default_factory=dict)  # the flat views
    examples: dict[str, Row] = field(default_factory=dict)  # label strings, as views give


def derive(records: Iterable[Record], *, include_drafts: bool = False) -> Derived:
    """Rows of every config and the counts, for a shard of (valid) records.

    Pure: the result depends only on the records, so shards can be derived anywhere, in any
    order, by any engine (see publish/engines.py), and concatenated in id order.
    """
    out = Derived(records=[], stats=Stats())
    for record in records:
        if not include_drafts and record["annotation"]["status"] != "gold":
            continue
        split = record["split"]
        sentences, tokens = out.ner.setdefault(split, NerColumns()).add(record)
        counts = {"ner": sentences}
        if sentences and "ner" not in out.examples:
            out.examples["ner"] = ner_rows(record)[0]
        for config, view in COLUMN_VIEWS.items():
            found = view(record)
            counts[config] = len(found["id"])
            if not counts[config]:
                continue
            if config not in out.examples:
                out.examples[config] = first_row(found)
            columns = out.columns.setdefault((config, split), {})
            for name, values in found.items():
                columns.setdefault(name, []).extend(values)
        out.stats.add(record, (sentences, tokens))
        out.records.append((split, record, counts))
    return out


@dataclass
class Shard:
    """A derived shard in columnar form: one Arrow table per (config, split), in id order,
    with the validation results of its files."""

    records: int
    tables: dict[tuple[str, str], pa.Table]
    examples: dict[str, Row]
    stats: Stats
    checked: list[Checked] = field(default_factory=list)


def to_tables(derived: Derived) -> Shard:
    """Each (config, split)'s table, built column by column (publish/columns.py), and the
    first row of each config as its example (label strings, as the views give it)."""
    records: dict[str, list[Record]] = {}
    keys: dict[tuple[str, str], None] = {}  # the tables, in the order the views give them
    for split, record, counts in derived.records:
        records.setdefault(split, []).append(record)
        keys.setdefault(("documents", split))
        for config in VIEWS:
            if counts.get(config):
                keys.setdefault((config, split))
    examples = {"documents": document_rows(derived.records[0][1])[0]} if records else {}
    examples.update(derived.examples)
    tables = {
        (config, split): documents_table(records[split])
        if config == "documents"
        else derived.ner[split].table()
        if config == "ner"
        else columns_table(config, derived.columns[config, split])
        for config, split in keys
    }
    return Shard(len(derived.records), tables, examples, derived.stats)


def derive_shard(task: tuple[Path, list[Path], bool]) -> Shard:
    """The per-record stage over a shard of files: validate each (never trusting a cached
    verdict), then derive its rows. Pure apart from reading the files: any engine may run it."""
    root, paths, include_drafts = task
    checked: list[Checked] = []
    shown = ShownPaths(root)

    def valid_records() -> Iterator[Record]:
        # One record at a time: validated, then derived at once, while its sentences are
        # still at hand (tokens.sentences keeps the last split).
        for path in paths:
            # Validated afresh: a cached verdict is never trusted for what is published
            # (`remember` still refreshes the cache for the next `validate`).
            result = check_file(path, root, want_record=True, remember=True, shown=shown(path))
            checked.append(result)
            if result.valid and result.record is not None:
                record, result.record = result.record, None  # rows carry the data back
                yield record

    with fewer_collections():
        derived = derive(valid_records(), include_drafts=include_drafts)
        flush_cache()  # the token cache entries of these records, written together
        if not all(c.valid for c in checked):  # this build will fail: no rows needed
            return Shard(0, {}, {}, Stats(), checked)
        shard = to_tables(derived)
    shard.checked = checked
    return shard
