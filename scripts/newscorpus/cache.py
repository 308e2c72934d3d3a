"""A cache of per-file results, so that re-running over unchanged inputs costs only hashing.

Entries are keyed by the file's path and the sha256 of its bytes, and remember the seed they
depended on (path and sha256), which is re-hashed on lookup. The cache file is named by a
fingerprint of everything else the result depends on: the package's code, the schema and label
files, and the versions of the libraries that shape results. Change any of them and the cache
is simply not found. It lives in `.newscorpus-cache/` under the corpus root (git-ignored).
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .fsutil import sha256_file, write_atomic
from .labels import schema_dir

CACHE_DIR = ".newscorpus-cache"
_PACKAGE = Path(__file__).resolve().parent


@cache
def fingerprint() -> str:
    digest = hashlib.sha256()
    sources = sorted(_PACKAGE.rglob("*.py")) + sorted(schema_dir().glob("*.json"))
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for dist in ("spacy", "jsonschema", "datasets", "pyarrow"):
        try:
            digest.update(f"{dist}={version(dist)}".encode())
        except PackageNotFoundError:
            digest.update(f"{dist}=none".encode())
    return digest.hexdigest()[:20]


class WorkCache:
    """Results of one kind of work (`validate`, `rows`, ...) for one corpus root."""

    def __init__(self, root: Path, kind: str) -> None:
        self.path = root / CACHE_DIR / f"{kind}-{fingerprint()}.json"
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        try:
            self.entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def lookup(self, key: str, sha: str, root: Path) -> Any | None:
        entry = self.entries.get(key)
        if entry is None or entry["sha"] != sha:
            return None
        seed = entry.get("seed")
        if seed is not None and sha256_file(root / seed[0]) != seed[1]:
            return None
        return entry["result"]

    def store(self, key: str, sha: str, seed: tuple[str, str] | None, result: Any) -> None:
        self.entries[key] = {"sha": sha, "seed": list(seed) if seed else None, "result": result}
        self.dirty = True

    def store_checked(self, checked: Any) -> None:
        """Remember a freshly validated file (validate.Checked); cached ones need nothing."""
        entry = checked.fresh
        if entry is not None:
            self.store(entry.key, entry.sha, entry.seed, entry.findings)

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            (self.path.parent / ".gitignore").write_text("*\n")
            for stale in self.path.parent.glob(self.path.name.split("-")[0] + "-*.json"):
                if stale != self.path:
                    os.unlink(stale)
            write_atomic(
                self.path,
                json.dumps(self.entries, separators=(",", ":")),
                overwrite=True,
                backup=False,
            )
        except OSError:
            pass  # a cache that cannot be written only costs time next run
        self.dirty = False
