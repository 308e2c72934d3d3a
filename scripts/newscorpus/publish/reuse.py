"""Incremental builds: a shard whose inputs are unchanged is not derived again.

A shard's result (publish/shards.py) depends only on its record files (names and bytes), the
seeds they cite, the drafts flag, and the code, schema and pinned libraries. After a build,
each shard's small summary is kept under `.newscorpus-cache/`: the validation results of its
files, its counts, one example row per config and, per Parquet file, its rows, sha256, sizes
and the name it was published under. The cache file is named by the fingerprint of the code,
schema and libraries (newscorpus.cache); an entry is keyed by the sha256 of the shard's record
names and bytes and sealed with an HMAC under the cache's key.

The next build reuses a shard only when, all at once:

- an entry exists for exactly its records' names and bytes (and drafts flag), sealed;
- every seed its records cite has the bytes it had;
- each of its files, hard-linked (or copied, where links fail) from the live corpus/ into the
  staging folder, is a regular file with the sha256 and size the entry states.

A shard that fails these is patched from the last build's shard of the same number when few
of its batches (DERIVE_BATCH records each) are stale, that is, hold a record edited, or added
or removed at or before them (an article added after every other id leaves only the last
batch stale): the summary keeps, per batch, its files' names, sha256s and verdicts, its
counts and how many rows it put in each file, so the stale batches are derived again (here,
in this process) and the other batches' rows are read back from the shard's published files,
checked by sha256 first; the shard's files are then written from the batches in order, as a
cold build writes them.

Anything else (no entry, an edited or truncated cache, a published file changed or removed, a
seed changed) and the shard is derived again, as in a cold build. The card, Croissant and
stats are assembled from the summaries either way, in shard order, so the published bytes are
those of a cold build. The cache is scratch data: deleting it only makes the next build cold.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from ..cache import Spool, WorkCache
from ..findings import Finding
from ..fsutil import sha256_file
from ..validate import Checked, ShownPaths
from .derive import DERIVE_BATCH, Shard, derive_shard
from .features import storage_schema
from .layout import CORPUS, DATA
from .shards import PARTS, Batch, PartFile, ShardResult, ShardTask, write_shard
from .stats import Stats

KIND = "shards"
Summary = dict[str, Any]


def _key(include_drafts: bool, files: Iterable[tuple[str, str | None]]) -> str | None:
    """The sha256 of a shard's inputs: the drafts flag, then each record's name and sha256."""
    digest = hashlib.sha256(f"drafts={include_drafts}\n".encode())
    for name, sha in files:
        if sha is None:
            return None
        digest.update(f"{name}={sha}\n".encode())
    return digest.hexdigest()


class ShardCache:
    """The summaries of the last build's shards, and of this build's once it is published.

    `sha256` gives a file's current sha256 (the build's state hashed every input already);
    with `reuse` False (`build --no-cache`) nothing is reused, but the summaries are kept.
    """

    def __init__(
        self,
        root: Path,
        sha256: Callable[[Path | str], str | None] = sha256_file,
        *,
        reuse: bool = True,
    ) -> None:
        self.root, self.sha256, self.reuse_allowed = root, sha256, reuse
        self.store = WorkCache(root, KIND, spool=True)  # this build's: stored, not looked up
        # this build's shards, by key, serialized and spooled: a summary holds a few hundred
        # bytes per record, which a build would otherwise hold to its end
        self.summaries = Spool(self.store.path.parent)
        self._by_index: dict[int, str] | None = None  # the last build's shards, by number

    def reuse(self, task: ShardTask) -> ShardResult | None:
        """The shard's result from the last build, its files staged, or, with few of its
        batches stale, the shard patched from it; None to derive it whole."""
        if not self.reuse_allowed:
            return None
        shown_path = ShownPaths(task.root)
        files = task.files()
        shown = [shown_path(path) for path in files]
        shas = [self.sha256(path) for path in files]
        return self._whole(task, shown, shas) or self._patch(task, shown, shas)

    def _whole(
        self, task: ShardTask, shown: list[str], shas: list[str | None]
    ) -> ShardResult | None:
        """The last build's shard of exactly these records, its files staged."""
        key = _key(task.include_drafts, zip(shown, shas, strict=True))
        entry = self.store.lookup(key, key, self.root) if key is not None else None
        if entry is None or not isinstance(entry.get("result"), dict):
            return None
        folder = task.target / PARTS / f"{task.index:05d}"
        try:
            result = self._restore(task, entry["result"])
        except (KeyError, TypeError, ValueError, AttributeError, OSError):
            result = None
        if result is None:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        self.summaries.append(str(key), orjson.dumps({**entry["result"], "index": task.index}))
        return result

    def _restore(self, task: ShardTask, summary: Summary) -> ShardResult | None:
        if not self._seeds_unchanged(summary):
            return None
        parts = {}
        for name, part in summary["parts"].items():
            staged = self._stage_part(task, name, part)
            if staged is None:
                return None
            parts[_config_split(name)] = staged
        checked = [_checked(file) for batch in summary["batches"] for file in batch["files"]]
        if len(checked) != len(task.paths) or not all(c.valid for c in checked):
            return None
        records, examples = summary["records"], summary["examples"]
        stats = Stats.from_state(summary["stats"])
        return ShardResult(task.index, checked, records, parts, examples, stats)

    def _seeds_unchanged(self, summary: Summary) -> bool:
        """Whether every seed the summary's records cite has the bytes it had."""
        root = os.fspath(self.root)
        return all(self.sha256(os.path.join(root, seed)) == sha for seed, sha in summary["seeds"])

    def _intact(self, part: dict[str, Any]) -> Path | None:
        """Where a file of the shard was published, when it still has the sha256 the summary
        states; else None."""
        path = self._published(part)
        return path if path is not None and self.sha256(path) == part["sha256"] else None

    def _published(self, part: dict[str, Any]) -> Path | None:
        """Where the summary says a file of the shard was published, under corpus/data/;
        None for a name that points anywhere else."""
        relative = Path(part["published"])
        if relative.is_absolute() or ".." in relative.parts or relative.parts[0] != DATA:
            return None
        return self.root / CORPUS / relative

    def _patch(
        self, task: ShardTask, shown: list[str], shas: list[str | None]
    ) -> ShardResult | None:
        """The shard written afresh from the last build's rows of its unchanged batches and
        the stale batches derived again; None when few of its batches are the last build's
        shard's at the same place (then it is derived whole). A batch is stale when a record
        of it was edited, or added or removed at or before it: records added at the end of
        the corpus (as `newscorpus add` does) leave every earlier batch kept."""
        found = self._previous(task.index)
        if found is None:
            return None
        summary = found["result"]
        starts = range(0, len(task.paths), DERIVE_BATCH)
        try:
            kept = summary["batches"]
            stale = {
                number
                for number, start in enumerate(starts)
                if number >= len(kept)
                or _key(task.include_drafts, _pairs(shown, shas, start)) != kept[number]["key"]
            }
            if not stale or len(stale) > len(starts) * PATCH_SHARE:
                return None
            if not self._seeds_unchanged(summary):
                return None
            # every file intact before the stale batches are derived (else the shard is)
            if not all(self._intact(part) for part in summary["parts"].values()):
                return None
            batches = [_batch(batch) for batch in kept]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        fresh = {  # the stale batches, validated and derived again
            number: derive_shard(
                (task.root, task.files(start, start + DERIVE_BATCH), task.include_drafts)
            )
            for number, start in enumerate(starts)
            if number in stale
        }
        try:
            same = self._unchanged(summary["parts"], kept, fresh, len(starts))
            tables = self._tables(
                {name: part for name, part in summary["parts"].items() if name not in same}
            )
        except (KeyError, TypeError, ValueError, AttributeError, OSError, pa.ArrowException):
            return None
        if tables is None:
            return None
        keep = set(map(_config_split, same))
        result = write_shard(task, self._batches(len(starts), batches, fresh, tables), keep=keep)
        if not self._stage_kept(task, result, summary["parts"], same):
            shutil.rmtree(task.target / PARTS / f"{task.index:05d}", ignore_errors=True)
            return None
        if {config for config, _ in result.parts} != set(result.examples):
            # an edit took the rows of a config's example away, and the next batch that has
            # rows of it kept none as an example (only a shard's first are kept): whole
            shutil.rmtree(task.target / PARTS / f"{task.index:05d}", ignore_errors=True)
            return None
        if len(result.batches) == len(starts):  # all valid: the kept batches' own summaries
            for number in set(range(len(starts))) - stale:
                result.batches[number] = batches[number]
        self.remember(task, result)
        return result

    def _previous(self, index: int) -> dict[str, Any] | None:
        """The last build's (sealed) summary of its shard number `index`."""
        if self._by_index is None:
            self._by_index = {}
            for key, entry in self.store.entries.items():
                with contextlib.suppress(KeyError, TypeError):
                    self._by_index[entry["result"]["index"]] = key
        found = self._by_index.get(index)
        return self.store.lookup(found, found, self.root) if found is not None else None

    def _tables(self, parts: dict[str, Any]) -> dict[tuple[str, str], pa.Table] | None:
        """The last build's published files of a shard, read back, each checked by sha256."""
        tables = {}
        for name, part in parts.items():
            config, split = name.split("/")
            path = self._intact(part)
            if path is None:
                return None
            table = pq.read_table(path)
            if table.num_rows != part["rows"]:
                return None
            tables[config, split] = table.cast(storage_schema(config))
        return tables

    def _unchanged(
        self,
        parts: dict[str, Any],
        kept: list[Summary],
        fresh: dict[int, Shard],
        count: int,
    ) -> set[str]:
        """The shard's files (by "config/split") whose rows the stale batches, derived again,
        leave as they were: each such batch gives the file the very rows the last build's
        batch at its place gave it, so the file written again would have the same bytes, and
        the published one is staged instead (an edit of a record's notes changes only its
        documents row). Only when the shard has as many batches as before, all valid."""
        if len(kept) != count or not all(
            all(c.valid for c in shard.checked) for shard in fresh.values()
        ):
            return set()
        same = set(parts)
        for number, shard in sorted(fresh.items()):
            before = kept[number]["rows"]
            after = {f"{config}/{split}": t for (config, split), t in shard.tables.items()}
            for name in sorted(same):
                table, rows = after.get(name), int(before.get(name, 0))
                if (table.num_rows if table is not None else 0) != rows:
                    same.discard(name)
                elif rows and table is not None:
                    start = sum(int(batch["rows"].get(name, 0)) for batch in kept[:number])
                    if not self._same_rows(name, parts[name], start, table):
                        same.discard(name)
        return same

    def _same_rows(self, name: str, part: dict[str, Any], start: int, table: pa.Table) -> bool:
        """Whether rows start..start+len(table) of a published file (checked by sha256) are
        `table`'s, read from the row groups that hold them only."""
        path = self._intact(part)
        if path is None:
            return False
        parquet = pq.ParquetFile(path)
        groups: list[int] = []
        first = at = 0
        for index in range(parquet.num_row_groups):
            size = parquet.metadata.row_group(index).num_rows
            if at + size > start and at < start + table.num_rows:
                if not groups:
                    first = at
                groups.append(index)
            at += size
        old = parquet.read_row_groups(groups).slice(start - first, table.num_rows)
        return old.cast(storage_schema(name.split("/")[0])).equals(table)

    def _stage_kept(
        self, task: ShardTask, result: ShardResult, parts: dict[str, Any], same: set[str]
    ) -> bool:
        """Stage the published files of the shard that `_unchanged` found unchanged into the
        shard's folder, each checked by size and sha256; False when one cannot be."""
        if not same:
            return True
        for name in sorted(same):
            staged = self._stage_part(task, name, parts[name])
            if staged is None:
                return False
            result.parts[_config_split(name)] = staged
        result.parts = dict(sorted(result.parts.items()))
        return True

    def _stage_part(self, task: ShardTask, name: str, part: dict[str, Any]) -> PartFile | None:
        """Stage one published file of the shard ("config/split" `name`) into the shard's
        folder, checked by size and sha256; its PartFile, or None when it cannot be."""
        config, split = _config_split(name)
        staged = task.target / PARTS / f"{task.index:05d}" / config / f"{split}.parquet"
        source = self._published(part)
        if source is None or not _stage(source, staged, part, self.sha256):
            return None
        relative = staged.relative_to(task.target).as_posix()
        return PartFile(relative, part["rows"], part["sha256"], part["size"], part["arrow_bytes"])

    @staticmethod
    def _batches(
        count: int,
        batches: list[Batch],
        fresh: dict[int, Shard],
        tables: dict[tuple[str, str], pa.Table],
    ) -> Iterator[Shard]:
        """The shard's `count` batches in order: stale ones as derived again (`fresh`), the
        others' rows sliced from the files the last build's batches (`batches`) were
        published in (those that are written again: `tables`)."""
        offsets = dict.fromkeys(tables, 0)
        for number in range(count):
            if number in fresh:
                yield fresh[number]
            else:
                batch = batches[number]
                rows = {
                    key: tables[key].slice(offsets[key], n)
                    for key, n in batch.rows.items()
                    if key in tables
                }
                yield Shard(batch.records, rows, batch.examples, batch.stats, batch.checked)
            if number < len(batches):  # the last build's rows of this batch, passed over
                for key, n in batches[number].rows.items():
                    if key in offsets:
                        offsets[key] += n

    def remember(self, task: ShardTask, result: ShardResult) -> None:
        """Keep the summary of a shard just derived, for the next build (when it is valid and
        every file was read whole, with its seed unchanged meanwhile, or is one of a batch
        kept from the last build)."""
        if not all(c.valid for c in result.checked):
            return
        batches = []
        for batch in result.batches:
            files = batch.files if batch.files is not None else _files(batch.checked)
            if files is None:
                return
            batches.append(_batch_summary(task.include_drafts, batch, files))
        files = [file for batch in batches for file in batch["files"]]
        key = _key(task.include_drafts, ((file[0], file[1]) for file in files))
        if key is None or len(files) != len(task.paths):
            return
        self.summaries.append(key, orjson.dumps({
            "index": task.index,
            "records": result.records,
            "batches": batches,
            "seeds": sorted({tuple(file[2]) for file in files if file[2]}),
            "parts": {
                f"{config}/{split}": {
                    "rows": part.rows,
                    "sha256": part.sha256,
                    "size": part.size,
                    "arrow_bytes": part.arrow_bytes,
                }
                for (config, split), part in result.parts.items()
            },
            "examples": result.examples,
            "stats": result.stats.state(),
        }))  # fmt: skip

    def save(self, files: dict[str, tuple[str, int]]) -> None:
        """Once the build is published: keep this build's summaries (and only those), each
        file named as published (`files`: path in corpus/ -> sha256, size)."""
        published = {sha: path for path, (sha, _) in files.items()}
        self.store.clear()
        for key, value in self.summaries:  # one summary at a time as a dict
            summary = orjson.loads(value)
            parts = summary["parts"].values()
            for part in parts:
                part["published"] = published.get(part["sha256"])
            if all(part["published"] is not None for part in parts):
                self.store.store(key, key, None, summary)
        self.summaries.close()
        self.store.save()


# A stale shard is patched when at most this share of its batches is stale; above it, the
# shard is derived whole, by the engine's workers rather than in this process.
PATCH_SHARE = 0.25


def _config_split(name: str) -> tuple[str, str]:
    """("config", "split") from a summary's "config/split"."""
    config, split = name.split("/")
    return config, split


def _pairs(shown: list[str], shas: list[str | None], start: int) -> list[tuple[str, str | None]]:
    """(name, sha256) of the files of the batch that starts at `start`."""
    stop = start + DERIVE_BATCH
    return list(zip(shown[start:stop], shas[start:stop], strict=True))


def _files(checked: list[Checked]) -> list[list[Any]] | None:
    """What a summary keeps of each freshly validated file: name, sha256, seed, text sha256,
    findings; None when one was not validated afresh (not read whole)."""
    files = []
    for result in checked:
        entry = result.fresh
        if entry is None:
            return None
        seed = list(entry.seed) if entry.seed else None
        files.append([entry.key, entry.sha, seed, entry.text, entry.findings])
    return files


def _batch_summary(include_drafts: bool, batch: Batch, files: list[list[Any]]) -> Summary:
    return {
        "key": _key(include_drafts, ((file[0], file[1]) for file in files)),
        "files": files,
        "records": batch.records,
        "rows": {f"{config}/{split}": rows for (config, split), rows in batch.rows.items()},
        "stats": batch.stats.state(),
        "examples": batch.examples,
    }


def _checked(file: list[Any]) -> Checked:
    """A file's validation result as a summary keeps it."""
    name, _, _, text, findings = file
    return Checked([Finding(**fields) for fields in findings], file=name, text_sha=text)


def _batch(summary: Summary) -> Batch:
    """A batch as its summary describes it (its files' results as the summary keeps them)."""
    rows = {}
    for name, count in summary["rows"].items():
        config, split = name.split("/")
        rows[config, split] = int(count)
    checked = [_checked(file) for file in summary["files"]]
    stats = Stats.from_state(summary["stats"])
    files = summary["files"]
    return Batch(checked, int(summary["records"]), rows, stats, summary["examples"], files)


def _stage(
    source: Path, staged: Path, part: dict[str, Any], sha256: Callable[[Path | str], str | None]
) -> bool:
    """Link (or copy) a published file to its place in the staging folder; True when it is a
    regular file with the size and sha256 the summary states. A link is the published file
    itself, whose sha256 the build state knows without reading it when it is unchanged since
    the last build (publish/buildstate.py); a copy is hashed."""
    before = os.lstat(source)
    if not stat.S_ISREG(before.st_mode):
        return False
    staged.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, staged, follow_symlinks=False)
    except OSError:
        shutil.copyfile(source, staged)
    info = os.lstat(staged)
    if not stat.S_ISREG(info.st_mode) or info.st_size != part["size"]:
        return False
    if (info.st_ino, info.st_dev) == (before.st_ino, before.st_dev):  # linked
        digest = sha256(source)
        after = os.lstat(source)
        if (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns):
            return digest == part["sha256"]
    return sha256_file(staged) == part["sha256"]
