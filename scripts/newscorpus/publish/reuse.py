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

Anything else (no entry, an edited or truncated cache, a published file changed or removed, a
seed changed) and the shard is derived again, as in a cold build. The card, Croissant and
stats are assembled from the summaries either way, in shard order, so the published bytes are
those of a cold build. The cache is scratch data: deleting it only makes the next build cold.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..cache import WorkCache
from ..findings import Finding
from ..fsutil import sha256_file
from ..validate import Checked
from .layout import CORPUS, DATA
from .shards import PARTS, PartFile, ShardResult, ShardTask
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
        sha256: Callable[[Path], str | None] = sha256_file,
        *,
        reuse: bool = True,
    ) -> None:
        self.root, self.sha256, self.reuse_allowed = root, sha256, reuse
        self.store = WorkCache(root, KIND)
        self.summaries: dict[str, Summary] = {}  # this build's shards, by key

    def reuse(self, task: ShardTask) -> ShardResult | None:
        """The shard's result from the last build, its files staged; None to derive it."""
        if not self.reuse_allowed:
            return None
        shown = _shown_paths(task.paths, task.root)
        names = [(name, self.sha256(path)) for name, path in zip(shown, task.paths, strict=True)]
        key = _key(task.include_drafts, names)
        entry = self.store.lookup(key, key, self.root) if key is not None else None
        if entry is None or not isinstance(entry.get("result"), dict):
            return None
        folder = task.target / PARTS / f"{task.index:05d}"
        try:
            result = self._restore(task, entry["result"], folder)
        except (KeyError, TypeError, ValueError, AttributeError, OSError):
            result = None
        if result is None:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        self.summaries[str(key)] = entry["result"]
        return result

    def _restore(self, task: ShardTask, summary: Summary, folder: Path) -> ShardResult | None:
        for seed, sha in summary["seeds"]:
            if self.sha256(self.root / seed) != sha:
                return None
        parts = {}
        for name, part in summary["parts"].items():
            config, split = name.split("/")
            staged = folder / config / f"{split}.parquet"
            if not _stage(self.root / CORPUS / part["published"], staged, part):
                return None
            relative = staged.relative_to(task.target).as_posix()
            parts[config, split] = PartFile(
                relative, part["rows"], part["sha256"], part["size"], part["arrow_bytes"]
            )
        checked = [
            Checked([Finding(**fields) for fields in findings], file=file, text_sha=text_sha)
            for file, text_sha, findings in summary["checked"]
        ]
        if len(checked) != len(task.paths) or not all(c.valid for c in checked):
            return None
        records, examples = summary["records"], summary["examples"]
        stats = Stats.from_state(summary["stats"])
        return ShardResult(task.index, checked, records, parts, examples, stats)

    def remember(self, task: ShardTask, result: ShardResult) -> None:
        """Keep the summary of a shard just derived, for the next build (when it is valid and
        every file was read whole, with its seed unchanged meanwhile)."""
        fresh = [checked.fresh for checked in result.checked]
        if len(fresh) != len(task.paths) or not all(c.valid for c in result.checked):
            return
        if any(entry is None for entry in fresh):
            return
        entries = [entry for entry in fresh if entry is not None]
        key = _key(task.include_drafts, ((entry.key, entry.sha) for entry in entries))
        if key is None:
            return
        self.summaries[key] = {
            "records": result.records,
            "checked": [[entry.key, entry.text, entry.findings] for entry in entries],
            "seeds": sorted({tuple(entry.seed) for entry in entries if entry.seed}),
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
        }

    def save(self, files: dict[str, tuple[str, int]]) -> None:
        """Once the build is published: keep this build's summaries (and only those), each
        file named as published (`files`: path in corpus/ -> sha256, size)."""
        published = {sha: path for path, (sha, _) in files.items()}
        self.store.entries = {}
        for key, summary in self.summaries.items():
            parts = summary["parts"].values()
            for part in parts:
                part["published"] = published.get(part["sha256"])
            if all(part["published"] is not None for part in parts):
                self.store.store(key, key, None, summary)
        self.store.dirty = True
        try:
            json.dumps(self.store.entries)  # what cannot be kept is not kept
        except (TypeError, ValueError):
            return
        self.store.save()


def _shown_paths(paths: Iterable[Path], root: Path) -> list[str]:
    """paths.shown_path of each path, resolving the root and each folder once rather than
    twice per file (a build asks this of every record file of every shard it reuses)."""
    base = root.resolve()
    folders: dict[Path, str | None] = {}
    shown = []
    for path in paths:
        if path.parent not in folders:
            try:
                folders[path.parent] = path.parent.resolve().relative_to(base).as_posix()
            except ValueError:
                folders[path.parent] = None  # outside the root: shown as given
        folder = folders[path.parent]
        if folder is None:
            shown.append(str(path))
        else:
            shown.append(path.name if folder == "." else f"{folder}/{path.name}")
    return shown


def _stage(source: Path, staged: Path, part: dict[str, Any]) -> bool:
    """Link (or copy) a published file to its place in the staging folder; True when it is a
    regular file with the size and sha256 the summary states."""
    relative = Path(part["published"])
    if relative.is_absolute() or ".." in relative.parts or relative.parts[0] != DATA:
        return False
    if not stat.S_ISREG(os.lstat(source).st_mode):
        return False
    staged.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, staged, follow_symlinks=False)
    except OSError:
        shutil.copyfile(source, staged)
    info = os.lstat(staged)
    return (
        stat.S_ISREG(info.st_mode)
        and info.st_size == part["size"]
        and sha256_file(staged) == part["sha256"]
    )
