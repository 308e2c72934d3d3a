"""Sharded outputs: each shard of records is one independent task, written to its own files.

The records, in id (= file name) order, are cut into shards of `RECORDS_PER_SHARD` files. A
shard task reads, validates and derives its records and writes one Parquet file per config
and split it has rows for, then hashes them. It depends on nothing but its input files and
writes only under `target/.shards/<index>/`, so any worker on any machine that sees the same
folders can run it, and running it twice (a retry after a worker died) writes the same bytes
again. What it returns is small: the validation results of its files, counts, one example row
per config and, per file, its rows, sha256, size and size as Arrow data.

`assemble` then takes the results in shard order: it keeps the validation cache and the checks
across records, and, when everything is valid, moves each file to its Hub name,
`data/<config>/<split>-NNNNN-of-MMMMM.parquet` (numbered over the shards that have rows for
that split), before the card, Croissant and stats are written from the same results. Same
records, same shard size: same bytes, whatever ran the tasks.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BuildError
from ..fsutil import sha256_file
from ..parallel import max_jobs
from ..validate import Checked
from .derive import DERIVE_BATCH, Shard, derive_shard
from .engines import run_tasks
from .features import storage_schema
from .parquet import ROW_GROUP_SIZE, SplitWriter, arrow_bytes
from .stats import Stats

# Records per output shard. About 27 KB of JSON per article gives Parquet files of a few tens
# of MB: large enough that a split of a million articles is a thousand files, small enough
# that a 2,000-article corpus is two tasks for two CPUs. Changing it changes the outputs.
RECORDS_PER_SHARD = 1_000
PARTS = ".shards"  # where tasks write, inside the target folder; gone once assembled


@dataclass(frozen=True)
class ShardTask:
    """One shard of record files and where its outputs go."""

    root: Path
    target: Path
    index: int
    paths: tuple[str, ...]  # strings: a build holds every record's path, and a Path is large
    include_drafts: bool = False

    def files(self, start: int = 0, stop: int | None = None) -> list[Path]:
        """Records `start` to `stop` of the shard."""
        return [Path(path) for path in self.paths[start:stop]]


@dataclass(frozen=True)
class PartFile:
    """One (config, split) file written by a shard task, relative to the target folder."""

    name: str
    rows: int
    sha256: str
    size: int
    arrow_bytes: int


@dataclass
class Batch:
    """What one batch of a shard (DERIVE_BATCH records from a multiple of it) contributed:
    its files' validation results, its published records, its rows per (config, split), in
    the shard's files, its counts, and the shard's examples it gave (the first row of each
    config; a later batch's rows are not kept as examples). Kept so that a build after an
    edit derives only the edited batch of a shard again (publish/reuse.py)."""

    checked: list[Checked]
    records: int
    rows: dict[tuple[str, str], int]
    stats: Stats
    examples: dict[str, dict[str, Any]]
    files: list[list[Any]] | None = None  # as a summary keeps them, for a batch kept from one


@dataclass
class ShardResult:
    index: int
    checked: list[Checked]
    records: int = 0
    parts: dict[tuple[str, str], PartFile] = field(default_factory=dict)
    examples: dict[str, dict[str, Any]] = field(default_factory=dict)
    stats: Stats = field(default_factory=Stats)
    batches: list[Batch] = field(default_factory=list)


def plan(
    root: Path,
    target: Path,
    paths: list[str],
    *,
    include_drafts: bool = False,
    shard_records: int = RECORDS_PER_SHARD,
) -> list[ShardTask]:
    """The shard tasks for record files given in id order."""
    starts = range(0, len(paths), shard_records)
    return [
        ShardTask(root, target, index, tuple(paths[start : start + shard_records]), include_drafts)
        for index, start in enumerate(starts)
    ]


def run_shard(task: ShardTask) -> ShardResult:
    """Validate and derive a shard's records in small batches, writing each (config, split)
    as it goes, so memory holds about one row group per file whatever the shard's size."""
    batches = range(0, len(task.paths), DERIVE_BATCH)
    return write_shard(task, (_derive(task, start, start + DERIVE_BATCH) for start in batches))


@dataclass(frozen=True)
class PieceTask:
    """Records `start` to `stop` of a shard: derived by a worker, written by the caller."""

    shard: ShardTask
    start: int
    stop: int


def derive_piece(piece: PieceTask) -> list[Shard]:
    """The derived batches of a piece of a shard, in order (see run_shards)."""
    batches = range(piece.start, piece.stop, DERIVE_BATCH)
    return [_derive(piece.shard, start, min(start + DERIVE_BATCH, piece.stop)) for start in batches]


def _derive(task: ShardTask, start: int, stop: int) -> Shard:
    return derive_shard((task.root, task.files(start, stop), task.include_drafts))


# Pieces per worker when shards are cut (see run_shards): enough that the writing of one
# piece (in the caller) overlaps the deriving of the next ones.
PIECES_PER_WORKER = 4


def run_shards(
    tasks: list[ShardTask], engine: str, *, jobs: int, address: str | None = None
) -> Iterator[ShardResult]:
    """Each task's result, in task order, run by `engine` over `jobs` workers.

    Workers run whole shards (run_shard) as long as every worker has one. The shards left
    over, fewer than the workers (a build after editing one record derives one shard
    again; three shards on two workers leave one), would keep a single worker busy while the
    others wait: they are cut into pieces of whole batches, the workers derive the pieces,
    and each such shard is written here as its pieces come back, in order. The bytes are the
    same either way (SplitWriter cuts row groups by rows, not by pieces).
    """
    width = min(jobs, max_jobs()) if engine == "local" else jobs
    whole = len(tasks) - len(tasks) % width if width > 1 else len(tasks)
    cut = tasks[whole:]
    if not cut:
        yield from run_tasks(engine, run_shard, tasks, jobs=jobs, address=address)
        return
    wanted = PIECES_PER_WORKER * width // len(cut)
    pieces = {task.index: _pieces(task, wanted) for task in cut}
    units: list[ShardTask | PieceTask] = [*tasks[:whole]]
    units += [piece for task in cut for piece in pieces[task.index]]
    done = run_tasks(engine, run_unit, units, jobs=jobs, address=address)
    for _ in tasks[:whole]:
        result = next(done)
        assert isinstance(result, ShardResult)  # a whole shard's unit
        yield result
    for task in cut:
        batches = itertools.islice(done, len(pieces[task.index]))
        yield write_shard(task, (batch for piece in batches for batch in _batches(piece)))


def run_unit(unit: ShardTask | PieceTask) -> ShardResult | list[Shard]:
    """A whole shard, run and written, or a piece of one, derived (see run_shards)."""
    return run_shard(unit) if isinstance(unit, ShardTask) else derive_piece(unit)


def _batches(piece: ShardResult | list[Shard]) -> list[Shard]:
    assert isinstance(piece, list)  # a piece's unit
    return piece


def _pieces(task: ShardTask, wanted: int) -> list[PieceTask]:
    """About `wanted` pieces of whole batches (DERIVE_BATCH records each), in shard order."""
    batches = -(-len(task.paths) // DERIVE_BATCH)
    per = max(1, -(-batches // max(1, wanted))) * DERIVE_BATCH
    starts = range(0, len(task.paths), per)
    return [PieceTask(task, start, min(start + per, len(task.paths))) for start in starts]


def write_shard(
    task: ShardTask,
    derived_batches: Iterable[Shard],
    *,
    keep: Collection[tuple[str, str]] = (),
) -> ShardResult:
    """Write a shard's derived batches, given in record order, to its Parquet files, but for
    the (config, split)s in `keep`, whose files the caller stages from the last build
    (publish/reuse.py: their rows are unchanged).

    Once a record is invalid, the shard only collects the validation results of the rest
    (the build will publish nothing, and its report names every error) and writes no file.
    """
    folder = task.target / PARTS / f"{task.index:05d}"
    shutil.rmtree(folder, ignore_errors=True)  # what an earlier attempt left
    result = ShardResult(task.index, checked=[])
    writers: dict[tuple[str, str], SplitWriter] = {}
    valid = True
    try:
        for derived in derived_batches:
            result.checked.extend(derived.checked)
            valid = valid and all(c.valid for c in derived.checked)
            if not valid:
                continue
            # a batch keeps only the examples that are its shard's (the first of each config)
            examples = {c: e for c, e in derived.examples.items() if c not in result.examples}
            rows = {key: table.num_rows for key, table in derived.tables.items()}
            result.batches.append(
                Batch(derived.checked, derived.records, rows, derived.stats, examples)
            )
            result.records += derived.records
            result.stats.merge(derived.stats)
            result.examples.update(examples)
            for (config, split), table in derived.tables.items():
                if (config, split) in keep:
                    continue
                if (config, split) not in writers:
                    temp = folder / config / f"{split}.{os.getpid()}.tmp"
                    writers[config, split] = SplitWriter(
                        temp, storage_schema(config), ROW_GROUP_SIZE[config]
                    )
                writers[config, split].add(table)
    finally:
        for writer in writers.values():
            writer.close()
    if not valid:
        shutil.rmtree(folder, ignore_errors=True)
        return ShardResult(task.index, result.checked)
    for (config, split), writer in sorted(writers.items()):
        if not writer.count:
            continue
        path = folder / config / f"{split}.parquet"
        os.replace(writer.path, path)  # a retried task replaces, never appends
        digest = sha256_file(path)
        if digest is None:
            raise BuildError(f"cannot read {path}: check that it exists and is readable")
        result.parts[config, split] = PartFile(
            path.relative_to(task.target).as_posix(),
            writer.count,
            digest,
            path.stat().st_size,
            arrow_bytes(path),
        )
    return result
