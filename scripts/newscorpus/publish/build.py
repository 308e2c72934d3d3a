"""Build the published dataset: Parquet per config and split, the card, Croissant, stats.

Deterministic: records are read in file-name (= id) order, rows keep the record's item order,
row groups have a fixed size and the Parquet writer options are fixed, so the same records give
the same bytes (for a given pyarrow version, which the Parquet footer names).

Sharded: records are cut into shards by id (publish/shards.py); each shard is one task that
validates, derives and writes its own Parquet file per config and split, buffering at most one
row group per file, so memory does not grow with the corpus. An engine (worker processes or
Ray, publish/engines.py) runs the tasks; only their small results come back here.

Atomic: one transaction (publish/transaction.py) holds the build lock, stages the new outputs
beside the live corpus/, carries the curated files over and exchanges the two folders in one
renameat2(RENAME_EXCHANGE). Killed at any moment, a build leaves either the previous corpus/ or
the new one, each complete and loadable.

Incremental: a build whose inputs (record bytes, datasheet, code and schema) and outputs are
unchanged since the last build stops after hashing them. Otherwise a shard whose records and
seeds are unchanged is not derived again: its files and summary come from the last build,
checked by sha256 (publish/reuse.py), and only the assembly runs over every shard.

Empty splits: datasets cannot load a Parquet file without rows, so a split is published for a
config only when it has rows, and a config without any row is left out of the card and of
Croissant (the card says so). With no gold record at all, the card and Croissant describe an
empty dataset and corpus/data is empty.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..cache import WorkCache
from ..errors import BuildError, InvalidCorpusError
from ..findings import Report
from ..fsutil import sha256_file
from ..paths import record_strings
from ..progress import Advance, Progress, nothing, silent
from ..validate.corpus import CorpusChecks, check_seed_folder
from .agreement_stats import AGREEMENT_END, AGREEMENT_START, agreement_markdown
from .buildstate import BuildState
from .card import render_card
from .croissant import render_croissant
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
from .reuse import ShardCache
from .shards import PARTS, RECORDS_PER_SHARD, PartFile, ShardResult, ShardTask, plan, run_shards
from .stats import Stats, render_markdown, replace_marked_block, replace_stats_block
from .transaction import BuildTransaction

# --- rendering into a folder ----------------------------------------------------------------


def render(
    root: Path,
    target: Path,
    *,
    include_drafts: bool = False,
    jobs: int = 1,
    engine: str = "local",
    address: str | None = None,
    shard_records: int = RECORDS_PER_SHARD,
    shard_cache: ShardCache | None = None,
    progress: Progress = silent,
) -> Published:
    """Write every output of a build into `target` (data/, README.md, croissant.json,
    LICENSE.md and, when the root has one, DATASHEET.md with fresh stats and facts).

    Each shard of records (see publish/shards.py) is one task that validates, derives and
    writes its own Parquet files; `engine` runs the tasks (worker processes here, or Ray: see
    publish/engines.py) and their small results are assembled into the card, Croissant and
    stats. With `shard_cache`, a shard whose inputs are those of a shard of the last build
    takes that shard's files and summary instead (publish/reuse.py). Any invalid record
    raises InvalidCorpusError, naming every error, before the card and Croissant are written;
    the caller discards `target`.
    """
    tasks = plan(
        root,
        target,
        record_strings(root),
        include_drafts=include_drafts,
        shard_records=shard_records,
    )
    results = _results(tasks, shard_cache, engine=engine, jobs=jobs, address=address)
    with progress("build", sum(len(task.paths) for task in tasks)) as advance:
        return write_outputs(root, target, results, include_drafts=include_drafts, on_shard=advance)


def _results(
    tasks: list[ShardTask], shard_cache: ShardCache | None, *, engine: str, **options: Any
) -> Iterator[ShardResult]:
    """Each shard's result in shard order: reused from the last build where it can be, the
    others derived by the engine (and remembered for the next build)."""
    reused: dict[int, ShardResult] = {}
    for task in tasks:
        result = shard_cache.reuse(task) if shard_cache is not None else None
        if result is not None:
            reused[task.index] = result
    todo = [task for task in tasks if task.index not in reused]
    fresh = run_shards(todo, engine, **options) if todo else iter(())
    for task in tasks:
        if task.index in reused:
            yield reused[task.index]
            continue
        result = next(fresh)
        if shard_cache is not None:
            shard_cache.remember(task, result)
        yield result


def write_outputs(
    root: Path,
    target: Path,
    results: Iterable[ShardResult],
    *,
    include_drafts: bool = False,
    on_shard: Advance = nothing,
) -> Published:
    """Assemble the shards' results, given in shard order, into `target`: check across
    records, name each shard file as the Hub does, then write the card, Croissant and stats.
    """
    published = Published(include_drafts=include_drafts)
    stats = Stats()
    parts: dict[tuple[str, str], list[PartFile]] = {}
    cache = WorkCache(root, "validate", spool=True)  # stored only, never looked up here
    problems = Report()
    across = CorpusChecks()  # the same text twice, ids that differ only in case
    try:
        for result in results:
            for checked in result.checked:
                cache.store_checked(checked)
                across.add(checked)
                problems.files += 1
                problems.findings.extend(checked.findings)
            on_shard(len(result.checked))
            if not problems.valid:
                continue  # keep validating the rest, so the report names every error
            published.records += result.records
            stats.merge(result.stats)
            for config, example in result.examples.items():
                published.examples.setdefault(config, example)
            for key, part in result.parts.items():
                parts.setdefault(key, []).append(part)
    finally:
        cache.save()
    problems.findings += across.findings() + check_seed_folder(root)
    if not problems.valid:
        raise InvalidCorpusError(problems)
    _place_shards(target, parts, published)
    published.stats = stats.to_dict()
    _write_descriptions(root, target, published, include_drafts)
    return published


def _place_shards(
    target: Path, parts: dict[tuple[str, str], list[PartFile]], published: Published
) -> None:
    """Name each shard file as the Hub does (<split>-NNNNN-of-MMMMM) and record its digest."""
    (target / DATA).mkdir(parents=True, exist_ok=True)
    for (config, split), found in sorted(parts.items()):
        published.rows[config][split] = sum(part.rows for part in found)
        for shard, part in enumerate(found):
            relative = data_path(config, split, shard, len(found))
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(target / part.name, target / relative)
            published.files[relative] = (part.sha256, part.size)
            published.arrow_bytes[relative] = part.arrow_bytes
    shutil.rmtree(target / PARTS, ignore_errors=True)
    published.files = dict(sorted(published.files.items()))


def _write_descriptions(
    root: Path, target: Path, published: Published, include_drafts: bool
) -> None:
    """The card, Croissant, licence and datasheet, from the assembled results."""
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
        if AGREEMENT_START in text:  # optional, like the facts
            figures = agreement_markdown(published.stats.get("agreement", {}))
            text = replace_marked_block(
                text, figures, AGREEMENT_START, AGREEMENT_END, name=DATASHEET
            )
        (target / DATASHEET).write_text(text, encoding="utf-8")


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


def build(
    root: Path,
    *,
    include_drafts: bool = False,
    jobs: int = 1,
    use_cache: bool = True,
    state: BuildState | None = None,
    engine: str = "local",
    address: str | None = None,
    shard_records: int = RECORDS_PER_SHARD,
    progress: Progress = silent,
) -> Published:
    """Validate, render the new corpus/ beside the live one, then exchange them in one step.

    corpus/ is published as a whole by one BuildTransaction (publish/transaction.py): the
    build renders its outputs into the transaction's staging folder, which then gets hard
    links to every curated file (records, anything else), and one renameat2(RENAME_EXCHANGE)
    swaps it with the live folder. Killed at any moment, the build leaves either the previous
    corpus/ or the new one, each complete; leftovers are cleared by the next build.
    DATASHEET.md (outside corpus/) is replaced right after the exchange. A disk that fills
    up, or a folder that cannot be read or cleared, raises BuildError before the exchange:
    nothing is published. With `use_cache`, a build whose inputs and outputs are unchanged
    since the last one stops after hashing them (`state`: those hashes, when the caller has
    them already), and a shard whose inputs are unchanged is not derived again
    (publish/reuse.py). Every build records its inputs, outputs and shard summaries for the
    next one.
    """
    with BuildTransaction(root) as txn:
        state = state or BuildState(root, include_drafts, trust=use_cache)  # inputs as they are now
        if use_cache:
            last = state.last_build()
            if last is not None:
                return Published(
                    include_drafts=last.include_drafts,
                    records=last.records,
                    rows=last.rows,
                    up_to_date=True,
                )
            state.confirm(txn.before)  # records unchanged since need no stat when reused
        shard_cache = ShardCache(root, state.sha256, reuse=use_cache)
        published = render(
            root, txn.stage(), include_drafts=include_drafts, jobs=jobs, engine=engine,
            address=address, shard_records=shard_records, shard_cache=shard_cache,
            progress=progress,
        )  # fmt: skip
        txn.publish()
        shard_cache.save(published.files)
        state.save(published.records, published.rows, include_drafts, published.files)
    return published


# --- checking the committed outputs ---------------------------------------------------------


def check(
    root: Path,
    *,
    include_drafts: bool = False,
    jobs: int = 1,
    engine: str = "local",
    address: str | None = None,
    progress: Progress = silent,
) -> list[str]:
    """Rebuild in a temp folder; one line per output that differs from the committed one."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="newscorpus-check-") as tmp:
        fresh = Path(tmp)
        render(
            root,
            fresh,
            include_drafts=include_drafts,
            jobs=jobs,
            engine=engine,
            address=address,
            progress=progress,
        )
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
