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
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..cache import CACHE_DIR, WorkCache
from ..errors import BuildError, InvalidCorpusError
from ..findings import Report
from ..fsutil import exchange, fsync_dir, fsync_tree, sha256_file
from ..parallel import bounded_map
from ..records import record_files
from .buildstate import BuildState
from .card import render_card
from .croissant import render_croissant
from .derive import SHARD, Shard, derive_shard
from .features import storage_schema
from .layout import (
    CARD,
    CORPUS,
    CROISSANT,
    DATA,
    DATASHEET,
    GENERATED,
    LICENSE,
    Published,
    data_path,
)
from .metadata import METADATA_END, METADATA_START, facts_markdown, license_text, metadata
from .parquet import ROW_GROUP_SIZE, SplitWriter, arrow_bytes
from .stats import Stats, render_markdown, replace_marked_block, replace_stats_block

STAGING_PREFIX = ".corpus-staging-"  # beside corpus/, on the same file system

# --- rendering into a folder ----------------------------------------------------------------


def render(root: Path, target: Path, *, include_drafts: bool = False, jobs: int = 1) -> Published:
    """Write every output of a build into `target` (data/, README.md, croissant.json,
    LICENSE.md and, when the root has one, DATASHEET.md with fresh stats and facts).

    Worker processes validate shards of records and derive them into Arrow tables, at most a
    few shards ahead of the writers, so memory holds a bounded number of rows whatever the
    corpus size. Any invalid record raises InvalidCorpusError, naming every error, before the
    card and Croissant are written; the caller discards `target`.
    """
    paths = record_files(root)
    tasks = [(root, paths[i : i + SHARD], include_drafts) for i in range(0, len(paths), SHARD)]
    return write_outputs(
        root, target, bounded_map(derive_shard, tasks, jobs), include_drafts=include_drafts
    )


def write_outputs(
    root: Path, target: Path, shards: Iterable[Shard], *, include_drafts: bool = False
) -> Published:
    """Write the outputs of derived shards, given in id order, into `target`.

    The shards may come from this machine's worker processes (`render`) or from any engine
    that ran `derive_shard` (see dev/scale_out.py); the bytes are the same either way.
    """
    published = Published(include_drafts=include_drafts)
    stats = Stats()
    writers: dict[tuple[str, str], SplitWriter] = {}
    cache = WorkCache(root, "validate")
    problems = Report()
    try:
        for shard in shards:
            for checked in shard.checked:
                cache.store_checked(checked)
                problems.files += 1
                problems.findings.extend(checked.findings)
            if not problems.valid:
                continue  # keep validating the rest, so the report names every error
            published.records += shard.records
            stats.merge(shard.stats)
            for config, example in shard.examples.items():
                published.examples.setdefault(config, example)
            for (config, split), table in shard.tables.items():
                if (config, split) not in writers:
                    writers[config, split] = SplitWriter(
                        target / data_path(config, split),
                        storage_schema(config),
                        ROW_GROUP_SIZE[config],
                    )
                writers[config, split].add(table)
    finally:
        for writer in writers.values():
            writer.close()
        cache.save()
    if not problems.valid:
        raise InvalidCorpusError(problems)
    (target / DATA).mkdir(parents=True, exist_ok=True)
    for (config, split), writer in sorted(writers.items()):
        if writer.count:
            published.rows[config][split] = writer.count
            relative = data_path(config, split)
            size = (target / relative).stat().st_size
            published.files[relative] = (_sha256(target / relative), size)
            published.arrow_bytes[relative] = arrow_bytes(target / relative)
    published.files = dict(sorted(published.files.items()))
    published.stats = stats.to_dict()

    (target / CARD).write_text(render_card(published), encoding="utf-8")
    (target / CROISSANT).write_text(render_croissant(published), encoding="utf-8")
    (target / LICENSE).write_text(license_text(metadata()), encoding="utf-8")
    datasheet = root / DATASHEET
    if datasheet.is_file():
        block = render_markdown(published.stats, drafts_included=include_drafts)
        text = replace_stats_block(datasheet.read_text(encoding="utf-8"), block, name=DATASHEET)
        if METADATA_START in text:  # optional: a datasheet may state the facts by hand
            facts = facts_markdown(metadata())
            text = replace_marked_block(text, facts, METADATA_START, METADATA_END, name=DATASHEET)
        (target / DATASHEET).write_text(text, encoding="utf-8")
    return published


def _sha256(path: Path) -> str:
    """sha256 of an output: one that cannot be read is an error, never a None in a digest."""
    digest = sha256_file(path)
    if digest is None:
        raise BuildError(f"cannot read {path}: check that it exists and is readable")
    return digest


def _tree(path: Path) -> dict[str, str]:
    """sha256 of every file under `path` (or of `path` itself), by relative name."""
    if path.is_file():
        return {"": _sha256(path)}
    if not path.is_dir():
        return {}
    return {
        p.relative_to(path).as_posix(): _sha256(p) for p in sorted(path.rglob("*")) if p.is_file()
    }


# --- publishing atomically ------------------------------------------------------------------

OUTPUTS = (*GENERATED, DATASHEET)


def _live(root: Path, name: str) -> Path:
    return root / name if name == DATASHEET else root / CORPUS / name


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One build at a time per checkout.

    A POSIX record lock belongs to this process alone: worker processes do not inherit it, and
    the kernel drops it the moment the process dies, even when it is killed with SIGKILL.
    """
    lock_dir = root / CACHE_DIR
    lock_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_dir / "build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BuildError(f"another build is running in {root}") from None
        yield
    finally:
        os.close(fd)


def _inputs(root: Path, name: str = CORPUS) -> dict[str, tuple[int, int, int]]:
    """(inode, size, mtime) of every curated file in corpus/: what the build must carry over."""
    corpus = root / name
    found = {}
    for path in sorted(corpus.rglob("*")) if corpus.is_dir() else ():
        relative = path.relative_to(corpus)
        if relative.parts[0] in GENERATED or relative.parts[0].startswith(".build-"):
            continue
        if path.is_file():
            info = path.stat()
            found[relative.as_posix()] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return found


def build(
    root: Path,
    *,
    include_drafts: bool = False,
    jobs: int = 1,
    use_cache: bool = True,
    state: BuildState | None = None,
) -> Published:
    """Validate, render the new corpus/ beside the live one, then exchange them in one step.

    corpus/ is published as a whole: the staging folder gets the new data/, README.md and
    croissant.json plus hard links to every curated file (records, anything else), and one
    renameat2(RENAME_EXCHANGE) swaps it with the live folder. Killed at any moment, the build
    leaves either the previous corpus/ or the new one, each complete; leftovers are cleared by
    the next build. DATASHEET.md (outside corpus/) is replaced right after the exchange.
    With `use_cache`, a build whose inputs and outputs are unchanged since the last one stops
    after hashing them (`state`: those hashes, when the caller has them already). Every
    build records its inputs and outputs for the next one.
    """
    with _locked(root):
        recover(root)
        before = _inputs(root)
        state = state or BuildState(root, include_drafts)  # inputs as they are now
        if use_cache:
            last = state.last_build()
            if last is not None:
                return Published(
                    include_drafts=last.include_drafts,
                    records=last.records,
                    rows=last.rows,
                    up_to_date=True,
                )
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
            linked = _carry_over(root / CORPUS, staging, before)
            fsync_tree(staging, linked)
            if _inputs(root) != before:
                raise BuildError(
                    "records changed while building; nothing was published, "
                    "run `newscorpus build` again"
                )
            _publish(root, staging, before)
        finally:
            recover(root)
        state.save(published.records, published.rows, include_drafts)
    return published


def _carry_over(corpus: Path, staging: Path, files: dict[str, tuple[int, int, int]]) -> set[str]:
    """Hard-link (or copy, where links fail) each curated file into the staging corpus;
    return the ones linked, whose data is already on disk."""
    linked = set()
    for relative in files:
        source, target = corpus / relative, staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
            linked.add(relative)
        except OSError:
            shutil.copy2(source, target)
    return linked


def _publish(root: Path, staging: Path, before: dict[str, tuple[int, int, int]]) -> None:
    corpus = root / CORPUS
    if corpus.exists():
        exchange(staging, corpus)  # the commit point: old corpus/ now sits at `staging`
        _rescue(staging, corpus, before)
    else:
        os.rename(staging, corpus)
    fsync_dir(root)
    datasheet = staging.with_name(staging.name + ".datasheet")
    if datasheet.exists():
        os.replace(datasheet, root / DATASHEET)
        fsync_dir(root)


def _rescue(old: Path, live: Path, before: dict[str, tuple[int, int, int]]) -> None:
    """Carry over a curated file written into the old corpus/ after the last input check.

    The build compares the curated files just before the exchange; a file replaced in the
    instant between that check and the exchange lands in the old folder, which is about to be
    deleted. Files edited in place need nothing: live and old share their inode.
    """
    for relative, signature in _inputs(old.parent, old.name).items():
        if before.get(relative) != signature:
            target = live / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(old / relative, target)


def recover(root: Path) -> bool:
    """Clear what an interrupted build left beside corpus/; True when there was something.

    An interrupted build never needs finishing: before its exchange the previous corpus/ is
    live and complete, after it the new one is.
    """
    leftovers = sorted(root.glob(STAGING_PREFIX + "*")) + sorted((root / CORPUS).glob(".build-*"))
    for leftover in leftovers:
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    return bool(leftovers)


# --- checking the committed outputs ---------------------------------------------------------


def check(root: Path, *, include_drafts: bool = False, jobs: int = 1) -> list[str]:
    """Rebuild in a temp folder; one line per output that differs from the committed one."""
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
