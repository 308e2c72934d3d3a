"""Build the published dataset: Parquet per config and split, the card, Croissant, stats.

Deterministic: records are read in file-name (= id) order, rows keep the record's item order,
row groups have a fixed size and the Parquet writer options are fixed, so the same records give
the same bytes (for a given pyarrow version, which the Parquet footer names).

Streaming: records are derived in shards by worker processes (a pure function, `derive`), a
bounded number of shards ahead of the writers; each (config, split) buffers at most one row
group, so memory does not grow with the corpus.

Atomic: the new corpus/ is assembled beside the live one (new outputs plus hard links to the
curated files) and exchanged with it in one renameat2(RENAME_EXCHANGE). Killed at any moment, a
build leaves either the previous corpus/ or the new one, each complete and loadable.

Incremental: a build whose inputs (record bytes, datasheet, code and schema) and outputs are
unchanged since the last build stops after hashing them; validation reuses cached findings.

Empty splits: datasets cannot load a Parquet file without rows, so a split is published for a
config only when it has rows, and a config without any row is left out of the card and of
Croissant (the card says so). With no gold record at all, the card and Croissant describe an
empty dataset and corpus/data is empty.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import hashlib
import itertools
import multiprocessing
import os
import shutil
import sys
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .features import CONFIGS, storage_schema
from .findings import Report
from .jsonio import read_record
from .labels import SPLITS
from .stats import STATS_START, Stats, render_markdown, replace_stats_block
from .validate import record_files, shown_path, validate_paths
from .views import VIEWS
from .workcache import WorkCache, sha256_file

CORPUS = "corpus"
DATA = "data"
CARD = "README.md"
CROISSANT = "croissant.json"
DATASHEET = "DATASHEET.md"
STAGING_PREFIX = ".corpus-staging-"  # beside corpus/, on the same file system
SHARD = 32  # records per task handed to a worker process

# Rows per Parquet row group: documents rows carry whole articles, the others are small.
ROW_GROUP_SIZE = {config: 10_000 for config in CONFIGS} | {"documents": 500}
PARQUET_OPTIONS: dict[str, Any] = {
    "version": "2.6",
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
    "write_page_index": False,
    "store_schema": True,
}


class BuildError(Exception):
    """The build cannot proceed; nothing was published."""


class InvalidRecordsError(BuildError):
    """Validation found errors; the report says where."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"validation failed: {report.summary()}")
        self.report = report


def data_path(config: str, split: str) -> str:
    """Path of a config's split file, relative to corpus/."""
    return f"{DATA}/{config}/{split}-00000-of-00001.parquet"


@dataclass
class Published:
    """What a build produced: the facts the card, Croissant and the CLI report on."""

    include_drafts: bool
    records: int = 0
    rows: dict[str, dict[str, int]] = field(
        default_factory=lambda: {config: {} for config in CONFIGS}
    )
    files: dict[str, tuple[str, int]] = field(default_factory=dict)  # path -> (sha256, bytes)
    examples: dict[str, dict[str, Any]] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    up_to_date: bool = False  # True when the build found nothing to do

    def splits(self, config: str) -> list[str]:
        """The config's splits with rows, in the inventory's order."""
        return [split for split in SPLITS if self.rows[config].get(split)]


# --- reading records ------------------------------------------------------------------------


def published_records(root: Path, *, include_drafts: bool = False) -> Iterator[dict[str, Any]]:
    """The records a build publishes, one at a time, in file-name order."""
    for path in record_files(root):
        record = _read(path, root)
        if include_drafts or record["annotation"]["status"] == "gold":
            yield record


def _read(path: Path, root: Path) -> dict[str, Any]:
    record, findings = read_record(path, shown_path(path, root))
    if record is None or findings:
        raise BuildError(f"{shown_path(path, root)} cannot be read; run `newscorpus validate`")
    return record


def check_valid(root: Path, *, jobs: int = 1) -> Report:
    report = validate_paths(root, jobs=jobs, use_cache=True)
    if not report.valid:
        raise InvalidRecordsError(report)
    return report


# --- the per-record stage: a pure function over shards ----------------------------------------


@dataclass
class Derived:
    """What one shard of records contributes: rows per config, per record, and counts."""

    records: list[tuple[str, dict[str, list[dict[str, Any]]]]]  # (split, rows by config)
    stats: Stats


def derive(records: Iterable[dict[str, Any]], *, include_drafts: bool = False) -> Derived:
    """Rows of every config and the counts, for a shard of (valid) records.

    Pure: the result depends only on the records, so shards can be derived anywhere, in any
    order, by any engine (see scale_out.py), and concatenated in id order.
    """
    out = Derived(records=[], stats=Stats())
    for record in records:
        if not include_drafts and record["annotation"]["status"] != "gold":
            continue
        rows = {config: view(record) for config, view in VIEWS.items()}
        out.stats.add(record, rows["ner"])
        out.records.append((record["split"], rows))
    return out


def _derive_files(task: tuple[Path, list[Path], bool]) -> Derived:
    root, paths, include_drafts = task
    return derive((_read(path, root) for path in paths), include_drafts=include_drafts)


# --- rendering into a folder ----------------------------------------------------------------


class _SplitWriter:
    """Buffers one row group of a (config, split) and writes it when full."""

    def __init__(self, path: Path, schema: pa.Schema, group_size: int) -> None:
        self.path, self.schema, self.group_size = path, schema, group_size
        self.buffer: list[dict[str, Any]] = []
        self.writer: pq.ParquetWriter | None = None
        self.count = 0

    def add(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.buffer.append(row)
            if len(self.buffer) == self.group_size:
                self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.path, self.schema, **PARQUET_OPTIONS)
        table = pa.Table.from_pylist(self.buffer, schema=self.schema)
        self.writer.write_table(table, row_group_size=self.group_size)
        self.count += len(self.buffer)
        self.buffer = []

    def close(self) -> None:
        self.flush()
        if self.writer is not None:
            self.writer.close()


def render(root: Path, target: Path, *, include_drafts: bool = False,
           jobs: int = 1) -> Published:
    """Write every output of a build into `target` (data/, README.md, croissant.json and,
    when the root has one, DATASHEET.md with fresh stats). Records must be valid.

    Records are derived in shards by `jobs` worker processes, at most a few shards ahead of the
    writers, so memory holds a bounded number of rows whatever the corpus size.
    """
    from .card import render_card
    from .croissant import render_croissant

    published = Published(include_drafts=include_drafts)
    stats = Stats()
    schemas = {config: storage_schema(config) for config in CONFIGS}
    writers: dict[tuple[str, str], _SplitWriter] = {}
    paths = record_files(root)
    tasks = [(root, paths[i : i + SHARD], include_drafts) for i in range(0, len(paths), SHARD)]
    try:
        for derived in bounded_map(_derive_files, tasks, jobs):
            stats.merge(derived.stats)
            for split, rows_by_config in derived.records:
                published.records += 1
                for config, rows in rows_by_config.items():
                    if rows and config not in published.examples:
                        published.examples[config] = rows[0]
                    key = (config, split)
                    if key not in writers:
                        writers[key] = _SplitWriter(target / data_path(config, split),
                                                    schemas[config], ROW_GROUP_SIZE[config])
                    writers[key].add(rows)
    finally:
        for writer in writers.values():
            writer.close()
    (target / DATA).mkdir(parents=True, exist_ok=True)
    for (config, split), writer in sorted(writers.items()):
        if writer.count:
            published.rows[config][split] = writer.count
            relative = data_path(config, split)
            size = (target / relative).stat().st_size
            published.files[relative] = (_sha256(target / relative), size)
    published.files = dict(sorted(published.files.items()))
    published.stats = stats.to_dict()

    (target / CARD).write_text(render_card(published), encoding="utf-8")
    (target / CROISSANT).write_text(render_croissant(published), encoding="utf-8")
    datasheet = root / DATASHEET
    if datasheet.is_file():
        block = render_markdown(published.stats, drafts_included=include_drafts)
        text = replace_stats_block(datasheet.read_text(encoding="utf-8"), block, name=DATASHEET)
        (target / DATASHEET).write_text(text, encoding="utf-8")
    return published


def bounded_map(func: Any, tasks: list[Any], jobs: int) -> Iterator[Any]:
    """Ordered map over tasks in worker processes, keeping at most 2 x jobs tasks in flight."""
    if jobs <= 1 or len(tasks) <= 1:
        yield from map(func, tasks)
        return
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        pending: deque[Future[Any]] = deque()
        queued = iter(tasks)
        for task in itertools.islice(queued, 2 * jobs):
            pending.append(pool.submit(func, task))
        while pending:
            result = pending.popleft().result()
            for task in itertools.islice(queued, 1):
                pending.append(pool.submit(func, task))
            yield result


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _tree(path: Path) -> dict[str, str]:
    """sha256 of every file under `path` (or of `path` itself), by relative name."""
    if path.is_file():
        return {"": _sha256(path)}
    if not path.is_dir():
        return {}
    return {
        p.relative_to(path).as_posix(): _sha256(p)
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


# --- publishing atomically ------------------------------------------------------------------

GENERATED = (DATA, CARD, CROISSANT)  # the build's outputs inside corpus/
OUTPUTS = (*GENERATED, DATASHEET)


def _live(root: Path, name: str) -> Path:
    return root / name if name == DATASHEET else root / CORPUS / name


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One build at a time per checkout; the kernel drops the lock if the process dies."""
    fd = os.open(root, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is running in {root}") from None
        yield
    finally:
        os.close(fd)


def _inputs(root: Path) -> dict[str, tuple[int, int, int]]:
    """(inode, size, mtime) of every curated file in corpus/: what the build must carry over."""
    corpus = root / CORPUS
    found = {}
    for path in sorted(corpus.rglob("*")) if corpus.is_dir() else ():
        relative = path.relative_to(corpus)
        if relative.parts[0] in GENERATED or relative.parts[0].startswith(".build-"):
            continue
        if path.is_file():
            info = path.stat()
            found[relative.as_posix()] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return found


def build(root: Path, *, include_drafts: bool = False, jobs: int = 1,
          use_cache: bool = True) -> Published:
    """Validate, render the new corpus/ beside the live one, then exchange them in one step.

    corpus/ is published as a whole: the staging folder gets the new data/, README.md and
    croissant.json plus hard links to every curated file (records, anything else), and one
    renameat2(RENAME_EXCHANGE) swaps it with the live folder. Killed at any moment, the build
    leaves either the previous corpus/ or the new one, each complete; leftovers are cleared by
    the next build. DATASHEET.md (outside corpus/) is replaced right after the exchange.
    With `use_cache`, a build whose inputs and outputs are unchanged since the last one stops
    after hashing them.
    """
    with _locked(root):
        recover(root)
        before = _inputs(root)
        check_valid(root, jobs=jobs)
        state = _BuildState(root, include_drafts) if use_cache else None
        if state is not None and state.up_to_date():
            return state.published()
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
        corpus = root / CORPUS
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, corpus.stat().st_mode & 0o7777 if corpus.is_dir() else 0o777 & ~umask)
        try:
            published = render(root, staging, include_drafts=include_drafts, jobs=jobs)
            datasheet = staging / DATASHEET
            if datasheet.exists():
                os.rename(datasheet, staging.with_name(staging.name + ".datasheet"))
            _carry_over(root / CORPUS, staging, before)
            _fsync_tree(staging)
            if _inputs(root) != before:
                raise BuildError("records changed while building; nothing was published, "
                                 "run `newscorpus build` again")
            _publish(root, staging)
        finally:
            recover(root)
        if state is not None:
            state.save(published)
    return published


def _carry_over(corpus: Path, staging: Path, files: dict[str, tuple[int, int, int]]) -> None:
    """Hard-link (or copy, across devices) each curated file into the staging corpus."""
    for relative in files:
        source, target = corpus / relative, staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)


def _publish(root: Path, staging: Path) -> None:
    corpus = root / CORPUS
    if corpus.exists():
        _exchange(staging, corpus)  # the commit point: old corpus/ now sits at `staging`
    else:
        os.rename(staging, corpus)
    _fsync_dir(root)
    datasheet = staging.with_name(staging.name + ".datasheet")
    if datasheet.exists():
        os.replace(datasheet, root / DATASHEET)
        _fsync_dir(root)


def recover(root: Path) -> bool:
    """Clear what an interrupted build left beside corpus/; True when there was something.

    An interrupted build never needs finishing: before its exchange the previous corpus/ is
    live and complete, after it the new one is.
    """
    leftovers = sorted(root.glob(STAGING_PREFIX + "*")) + sorted(
        (root / CORPUS).glob(".build-*"))
    for leftover in leftovers:
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    return bool(leftovers)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(new: Path, live: Path) -> None:
    """Swap two folders in one step (Linux renameat2); elsewhere, two renames."""
    libc_name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(libc_name, use_errno=True) if libc_name else None
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        result = renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(live),
                           _RENAME_EXCHANGE)
        if result == 0:
            return
    old = new.with_name(new.name + ".old")
    os.rename(live, old)
    os.rename(new, live)
    os.rename(old, new)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    for p in sorted(path.rglob("*"), reverse=True):
        if p.is_file():
            with p.open("rb") as handle:
                os.fsync(handle.fileno())
        else:
            _fsync_dir(p)
    _fsync_dir(path)


class _BuildState:
    """The inputs and outputs of the last build, to skip a rebuild that would change nothing.

    Inputs are every record's bytes, the datasheet outside its stats block, the drafts flag
    and the code and schema fingerprint; outputs are the published files. Both are hashed.
    """

    def __init__(self, root: Path, include_drafts: bool) -> None:
        self.root = root
        self.cache = WorkCache(root, "build")
        digest = hashlib.sha256(f"drafts={include_drafts}".encode())
        for path in record_files(root):
            digest.update(path.name.encode())
            digest.update((sha256_file(path) or "").encode())
        datasheet = root / DATASHEET
        if datasheet.is_file():
            text = datasheet.read_text(encoding="utf-8")
            digest.update(replace_stats_block(text, "", name=DATASHEET).encode()
                          if STATS_START in text else text.encode())
        self.inputs = digest.hexdigest()

    def _outputs(self) -> dict[str, dict[str, str]]:
        return {name: _tree(_live(self.root, name)) for name in OUTPUTS}

    def up_to_date(self) -> bool:
        entry = self.cache.entries.get("last")
        return bool(entry and entry["inputs"] == self.inputs
                    and entry["outputs"] == self._outputs())

    def published(self) -> Published:
        entry = self.cache.entries["last"]
        published = Published(include_drafts=entry["include_drafts"], records=entry["records"],
                              rows=entry["rows"], up_to_date=True)
        return published

    def save(self, published: Published) -> None:
        self.cache.entries["last"] = {
            "inputs": self.inputs, "outputs": self._outputs(), "records": published.records,
            "rows": published.rows, "include_drafts": published.include_drafts}
        self.cache.dirty = True
        self.cache.save()


# --- checking the committed outputs ---------------------------------------------------------


def check(root: Path, *, include_drafts: bool = False, jobs: int = 1) -> list[str]:
    """Rebuild in a temp folder; one line per output that differs from the committed one."""
    check_valid(root, jobs=jobs)
    problems = []
    with tempfile.TemporaryDirectory(prefix="newscorpus-check-") as tmp:
        fresh = Path(tmp)
        render(root, fresh, include_drafts=include_drafts, jobs=jobs)
        for name in OUTPUTS:
            shown = name if name == DATASHEET else f"{CORPUS}/{name}"
            expected, actual = _tree(fresh / name), _tree(_live(root, name))
            for part in sorted(expected.keys() | actual.keys()):
                where = f"{shown}/{part}" if part else shown
                if part not in actual:
                    problems.append(f"{where}: missing (the build would write it)")
                elif part not in expected:
                    problems.append(f"{where}: extra (the build would not write it)")
                elif expected[part] != actual[part]:
                    problems.append(f"{where}: differs from a fresh build")
    return problems
