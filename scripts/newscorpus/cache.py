"""A cache of per-file results, so that re-running over unchanged inputs costs only hashing.

Entries are keyed by the file's path and the sha256 of its bytes, and remember the seed they
depended on (path and sha256), which is re-hashed on lookup. The cache file is named by a
fingerprint of everything else the result depends on: the package's code, the schema and label
files, and the versions of the libraries that shape results. Change any of them and the cache
is simply not found. It lives in `.newscorpus-cache/` under the corpus root (git-ignored).

The cache may only make a run faster, never change its verdict: each entry is sealed with an
HMAC under a key kept outside the checkout, in the user's own cache folder
(`$XDG_CACHE_HOME/newscorpus/key`, else `~/.cache/newscorpus/key`), a folder only its owner
may write and a file only its owner may read. Whoever can write the checkout's cache folder
but not that key cannot make an entry this user's runs accept; a key folder that others may
write, or a key that is not the user's, is not used (entries are then sealed for the one run).
An entry edited by hand, by another tool or by a half-written file is ignored. A build never
trusts `validate`'s per-file verdicts (it validates every record it derives); it reuses its
own sealed shard and batch summaries, and its own list of file signatures (publish/reuse.py,
publish/buildstate.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import orjson

from .errors import WriteError
from .fsutil import read_regular, sha256_file, write_atomic
from .labels import schema_files

CACHE_DIR = ".newscorpus-cache"
_PACKAGE = Path(__file__).resolve().parent


def fingerprint() -> str:
    """Of the code, the schema/ files the selected corpus root reads, and the libraries."""
    files = tuple((path, path.stat().st_mtime_ns, path.stat().st_size) for path in schema_files())
    return _fingerprint(files)


@cache
def _fingerprint(schema: tuple[tuple[Path, int, int], ...]) -> str:
    """Computed once per set of schema files and version of them (mtime and size)."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")) + [path for path, _, _ in schema]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for dist in ("spacy", "jsonschema-rs", "datasets", "pyarrow"):
        try:
            digest.update(f"{dist}={version(dist)}".encode())
        except PackageNotFoundError:
            digest.update(f"{dist}=none".encode())
    return digest.hexdigest()[:20]


class WorkCache:
    """Results of one kind of work (`validate`, `rows`, ...) for one corpus root."""

    def __init__(self, root: Path, kind: str) -> None:
        self.path = root / CACHE_DIR / f"{kind}-{fingerprint()}.json"
        self.kind = kind
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        self._key: bytes | None = None
        self._where: str | None = None
        try:  # a regular file only: a FIFO put in its place must not hang every command
            loaded = orjson.loads(read_regular(self.path, follow_symlinks=False))
            self.entries = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            self.entries = {}

    def _seal(self, key: str, entry: dict[str, Any]) -> str:
        if self._key is None:
            self._key = _secret(_key_folder())
        fields = {k: v for k, v in entry.items() if k != "mac"}
        if self._where is None:
            self._where = str(self.path.parent.resolve())
        where = self._where  # an entry holds for this checkout only
        message = orjson.dumps([self.kind, where, key, fields], option=orjson.OPT_SORT_KEYS)
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def lookup(self, key: str, sha: str, root: Path) -> Any | None:
        """The result stored for `key` when it describes exactly these bytes (`sha`) and its
        seed is unchanged, and the entry is sealed by this cache's key; else None."""
        entry = self.entries.get(key)
        if not isinstance(entry, dict) or entry.get("sha") != sha:
            return None
        try:
            if not hmac.compare_digest(str(entry.get("mac")), self._seal(key, entry)):
                return None
        except (TypeError, ValueError):
            return None
        seed = entry.get("seed")
        if seed is not None and sha256_file(root / seed[0]) != seed[1]:
            return None
        return entry

    def store(
        self, key: str, sha: str, seed: tuple[str, str] | None, result: Any, **extra: Any
    ) -> None:
        entry = {"sha": sha, "seed": list(seed) if seed else None, "result": result, **extra}
        entry["mac"] = self._seal(key, entry)
        self.entries[key] = entry
        self.dirty = True

    def store_checked(self, checked: Any) -> None:
        """Remember a freshly validated file (validate.Checked); cached ones need nothing."""
        entry = checked.fresh
        if entry is not None:
            self.store(entry.key, entry.sha, entry.seed, entry.findings, text=entry.text)

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            (self.path.parent / ".gitignore").write_text("*\n")
            for stale in self.path.parent.glob(self.path.name.split("-")[0] + "-*.json"):
                if stale != self.path:
                    os.unlink(stale)
            write_atomic(self.path, orjson.dumps(self.entries), overwrite=True, backup=False)
        except (OSError, WriteError, TypeError):  # (TypeError: what JSON cannot hold)
            pass  # a cache that cannot be written only costs time next run
        self.dirty = False


def _key_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newscorpus"


def _own(path: Path, others: int) -> bool:
    """`path` belongs to this user and grants none of the `others` mode bits."""
    info = os.lstat(path)
    return info.st_uid == os.getuid() and not info.st_mode & others


def _secret(folder: Path) -> bytes:
    """This user's HMAC key, made on first use (0600 in a 0700 folder). A folder or key that
    another user could have written gives a key for this run only.

    The key file appears whole or not at all (written aside, then linked into place), so a
    run that starts while another makes the key never reads half of it."""
    path = folder / "key"
    key = secrets.token_bytes(32)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _own(folder, 0o022):
            return key
        if path.exists() or path.is_symlink():
            return _read_key(path) or key
    except OSError:
        return key
    aside = folder / f".key.{os.getpid()}.{secrets.token_hex(4)}"
    try:
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.hex())
        os.link(aside, path)  # fails if another process linked its key first
    except FileExistsError:  # made by another process meanwhile: use theirs
        return _read_key(path) or key
    except OSError:
        pass  # a folder that cannot be written: entries are sealed for this run only
    finally:
        with contextlib.suppress(OSError):
            os.unlink(aside)
    return key


def _read_key(path: Path) -> bytes | None:
    """The key in `path` when it is this user's, private and whole; else None."""
    try:
        if not _own(path, 0o077):
            return None
        key = bytes.fromhex(read_regular(path, limit=4096).decode("ascii").strip())
    except (OSError, ValueError):
        return None
    return key if len(key) == 32 else None
