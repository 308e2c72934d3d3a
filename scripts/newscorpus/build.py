"""Build the published dataset: Parquet per config and split, the card, Croissant, stats.

Deterministic: records are read in file-name (= id) order, rows keep the record's item order,
row groups have a fixed size and the Parquet writer options are fixed, so the same records give
the same bytes (for a given pyarrow version, which the Parquet footer names).

Streaming: one record at a time; each (config, split) buffers at most one row group.

Atomic: every output is first written to a staging folder inside corpus/. Renaming that
folder to corpus/.build-commit is the commit point; a manifest in it lists the sha256 of every
new file. Installing then swaps corpus/data (one atomic exchange where the OS offers it) and
replaces corpus/README.md, corpus/croissant.json and DATASHEET.md (one atomic rename each).
A build killed before the commit point leaves the previous outputs untouched; one killed after
it is rolled forward by the next `newscorpus build`, which compares each output with the
manifest and installs what is missing.

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
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .features import CONFIGS, storage_schema
from .findings import Report
from .jsonio import read_record
from .labels import SPLITS
from .stats import Stats, render_markdown, replace_stats_block
from .validate import record_files, shown_path, validate_paths
from .views import VIEWS

CORPUS = "corpus"
DATA = "data"
CARD = "README.md"
CROISSANT = "croissant.json"
DATASHEET = "DATASHEET.md"
COMMIT = ".build-commit"
STAGING_PREFIX = ".build-staging-"
TRASH_PREFIX = ".build-trash-"
MANIFEST = "manifest.json"

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

    def splits(self, config: str) -> list[str]:
        """The config's splits with rows, in the inventory's order."""
        return [split for split in SPLITS if self.rows[config].get(split)]


# --- reading records ------------------------------------------------------------------------


def published_records(root: Path, *, include_drafts: bool = False) -> Iterator[dict[str, Any]]:
    """The records a build publishes, one at a time, in file-name order."""
    for path in record_files(root):
        record, findings = read_record(path, shown_path(path, root))
        if record is None or findings:
            raise BuildError(f"{shown_path(path, root)} cannot be read; run `newscorpus validate`")
        if include_drafts or record["annotation"]["status"] == "gold":
            yield record


def check_valid(root: Path) -> Report:
    report = validate_paths(root)
    if not report.valid:
        raise InvalidRecordsError(report)
    return report


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


def render(root: Path, target: Path, *, include_drafts: bool = False) -> Published:
    """Write every output of a build into `target` (data/, README.md, croissant.json and,
    when the root has one, DATASHEET.md with fresh stats). Records must be valid."""
    from .card import render_card
    from .croissant import render_croissant

    published = Published(include_drafts=include_drafts)
    stats = Stats()
    schemas = {config: storage_schema(config) for config in CONFIGS}
    writers: dict[tuple[str, str], _SplitWriter] = {}
    try:
        for record in published_records(root, include_drafts=include_drafts):
            published.records += 1
            split = record["split"]
            for config, view in VIEWS.items():
                rows = view(record)
                if config == "ner":
                    stats.add(record, rows)
                if rows and config not in published.examples:
                    published.examples[config] = rows[0]
                key = (config, split)
                if key not in writers:
                    writers[key] = _SplitWriter(
                        target / data_path(config, split), schemas[config], ROW_GROUP_SIZE[config]
                    )
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

OUTPUTS = (DATA, CARD, CROISSANT, DATASHEET)


def _live(root: Path, name: str) -> Path:
    return root / name if name == DATASHEET else root / CORPUS / name


@contextlib.contextmanager
def _locked(corpus: Path) -> Iterator[None]:
    """One build at a time per checkout; the kernel drops the lock if the process dies."""
    fd = os.open(corpus, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is running in {corpus}") from None
        yield
    finally:
        os.close(fd)


def build(root: Path, *, include_drafts: bool = False) -> Published:
    """Validate, render into staging, commit, install. Raises InvalidRecordsError/BuildError."""
    check_valid(root)
    corpus = root / CORPUS
    corpus.mkdir(parents=True, exist_ok=True)
    with _locked(corpus):
        recover(root)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=corpus))
        try:
            published = render(root, staging, include_drafts=include_drafts)
            manifest = {n: _tree(staging / n) for n in OUTPUTS if (staging / n).exists()}
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
            _fsync_tree(staging)
            os.rename(staging, corpus / COMMIT)  # the commit point
            _fsync_dir(corpus)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _install(root)
    return published


def recover(root: Path) -> bool:
    """Finish an interrupted install and clear leftovers; True when there was one to finish."""
    corpus = root / CORPUS
    finished = False
    if (corpus / COMMIT).is_dir():
        _install(root)
        finished = True
    for leftover in sorted(corpus.glob(STAGING_PREFIX + "*")) + sorted(
        corpus.glob(TRASH_PREFIX + "*")
    ):
        shutil.rmtree(leftover, ignore_errors=True)
    return finished


def _install(root: Path) -> None:
    corpus = root / CORPUS
    commit = corpus / COMMIT
    manifest_path = commit / MANIFEST
    if not manifest_path.is_file():  # killed while the commit folder was being cleared
        _discard(commit)
        return
    manifest = json.loads(manifest_path.read_text())
    for name in OUTPUTS:
        if name not in manifest:
            continue
        live, staged = _live(root, name), commit / name
        if _tree(live) == manifest[name]:
            continue  # installed before an interruption
        if _tree(staged) != manifest[name]:
            raise BuildError(f"{staged} does not match its manifest; delete {commit} and rebuild")
        if name == DATA and live.exists():
            _exchange(staged, live)
        else:
            os.replace(staged, live)
        _fsync_dir(live.parent)
    _discard(commit)


def _discard(folder: Path) -> None:
    trash = Path(tempfile.mkdtemp(prefix=TRASH_PREFIX, dir=folder.parent))
    os.rename(folder, trash / folder.name)
    shutil.rmtree(trash, ignore_errors=True)


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


# --- checking the committed outputs ---------------------------------------------------------


def check(root: Path, *, include_drafts: bool = False) -> list[str]:
    """Rebuild in a temp folder; one line per output that differs from the committed one."""
    check_valid(root)
    problems = []
    if (root / CORPUS / COMMIT).exists():
        problems.append(f"{CORPUS}/{COMMIT}: an interrupted build is pending; run newscorpus build")
    with tempfile.TemporaryDirectory(prefix="newscorpus-check-") as tmp:
        fresh = Path(tmp)
        render(root, fresh, include_drafts=include_drafts)
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
