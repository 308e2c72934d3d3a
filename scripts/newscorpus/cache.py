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
import struct
import tempfile
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

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

    def __init__(self, root: Path, kind: str, *, spool: bool = False) -> None:
        """With `spool`, what is stored is written out to an unnamed file as it comes (and
        cannot be looked up before the next run): a build stores an entry per record and
        looks none of them up, and holding them all would grow its memory with the corpus."""
        self.path = root / CACHE_DIR / f"{kind}-{fingerprint()}.json"
        self.kind = kind
        self.entries: dict[str, dict[str, Any]] = {}  # as loaded (or set by hand)
        # stored by this run, sealed and serialized (in pieces, for a large one: see store)
        self._stored: dict[str, bytes | tuple[bytes | memoryview, ...]] = {}
        # entries written out as they come; once it cannot be written, they are kept instead
        self._spool = Spool(self.path.parent) if spool else None
        self.dirty = False
        self._key: bytes | None = None
        self._where: str | None = None
        try:  # a regular file only: a FIFO put in its place must not hang every command
            loaded = orjson.loads(read_regular(self.path, follow_symlinks=False))
            self.entries = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            self.entries = {}

    def _seal(self, key: str, entry: dict[str, Any]) -> str:
        fields = {k: v for k, v in entry.items() if k != "mac"}
        return self._mac(key, (orjson.dumps(fields),))

    def _mac(self, key: str, fields: Iterable[bytes | memoryview]) -> str:
        """The HMAC of `[kind, checkout, key, fields]` as compact JSON, given the fields so
        serialized, in pieces. Keys keep their order: the file holds them in the order they
        were sealed in, and orjson reads and writes them in that order, so an entry read
        back serializes to the very bytes that were sealed. (The list is fed to the HMAC in
        pieces: the fields of a large entry are never joined.)"""
        mac = hmac.new(self._secret(), self._place(key), "sha256")
        for piece in fields:
            mac.update(piece)
        mac.update(b"]")
        return mac.hexdigest()

    def _secret(self) -> bytes:
        if self._key is None:
            self._key = _secret(_key_folder())
        return self._key

    def _place(self, key: str) -> bytes:
        """`[kind, checkout, key,` as the sealed JSON list begins: an entry holds for this
        kind of work in this checkout only."""
        if self._where is None:
            self._where = str(self.path.parent.resolve())
        return orjson.dumps([self.kind, self._where, key])[:-1] + b","

    def lookup(self, key: str, sha: str, root: Path) -> Any | None:
        """The result stored for `key` when it describes exactly these bytes (`sha`) and its
        seed is unchanged, and the entry is sealed by this cache's key; else None."""
        entry = self.entries.get(key)
        if entry is None and key in self._stored:
            entry = orjson.loads(b"".join(_parts(self._stored[key])))
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
        """Keep `result` for the file `key` with bytes `sha` (and its seed, path and sha256).

        The entry is sealed and serialized at once: a build stores one per record, and as
        bytes an entry takes about a third of the memory its dict would, and lets go of the
        strings (from the workers that derived it) the dict would hold."""
        entry = {"sha": sha, "seed": list(seed) if seed else None, "result": result, **extra}
        self._keep(key, (orjson.dumps(entry),))

    def store_json(
        self, key: str, sha: str, seed: tuple[str, str] | None, result: Iterable[bytes]
    ) -> None:
        """store() for a large result given already serialized, in pieces (compact JSON, as
        orjson writes it), so that the entry is never serialized whole."""
        head = orjson.dumps({"sha": sha, "seed": list(seed) if seed else None})
        self._keep(key, (memoryview(head)[:-1], b',"result":', *result, b"}"))

    def _keep(self, key: str, fields: tuple[bytes | memoryview, ...]) -> None:
        """Seal an entry given as the pieces of its JSON object (never `{}`: it holds "sha"),
        then spool it or keep it."""
        *body, last = fields
        tail = b',"mac":"' + self._mac(key, fields).encode() + b'"}'
        pieces = (*body, memoryview(last)[:-1], tail)
        self.entries.pop(key, None)
        self.dirty = True
        if self._spool is not None and self._spool.write(key, *pieces):
            return
        # a large entry is kept as it was written, small ones compacted
        size = sum(len(piece) for piece in pieces)
        self._stored[key] = pieces if size > 1 << 16 else b"".join(pieces)

    def clear(self) -> None:
        """Drop every entry, loaded or stored (the next save keeps only what is stored after)."""
        self.entries, self._stored = {}, {}
        if self._spool is not None:
            self._spool.close()
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
            write_atomic(self.path, self._file(), overwrite=True, backup=False)
        except (OSError, WriteError, TypeError):  # (TypeError: what JSON cannot hold)
            pass  # a cache that cannot be written only costs time next run
        finally:
            if self._spool is not None:
                self._spool.close()
        self.dirty = False

    def _file(self) -> Iterator[bytes | memoryview]:
        """The cache file, one JSON object, entry by entry (never serialized whole): the
        spool's entries, then the others."""
        comma = b"{"
        for key, spooled in self._spool or ():
            yield comma + orjson.dumps(key) + b":"
            yield spooled
            comma = b","
        for key, entry in self.entries.items():
            if key not in self._stored:
                yield comma + orjson.dumps(key) + b":" + orjson.dumps(entry)
                comma = b","
        for key, value in self._stored.items():
            yield comma + orjson.dumps(key) + b":"
            yield from _parts(value)
            comma = b","
        yield b"{}" if comma == b"{" else b"}"


class Spool:
    """(key, bytes) pairs written out as they come and read back once, in order: for what a
    run collects per shard or record and needs only at its end. The file is unnamed (gone
    when closed, or when the process dies); where none can be made or written (a read-only
    or full cache folder), the pairs stay in memory."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._file: IO[bytes] | None = None
        self._memory: list[tuple[str, bytes]] = []
        self._usable = True

    def append(self, key: str, value: bytes) -> None:
        if not self.write(key, value):
            self._memory.append((key, value))

    def write(self, key: str, *pieces: bytes | memoryview) -> bool:
        """Write a pair (its value given in pieces) to the file; False, and nothing kept,
        once the file cannot be made or written. What was written before a failed write is
        lost with the file: scratch data, it only costs time next run."""
        if not self._usable:
            return False
        try:
            if self._file is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._file = tempfile.TemporaryFile(dir=self.folder)  # noqa: SIM115
            name = key.encode()
            length = sum(len(piece) for piece in pieces)
            self._file.write(_SIZES.pack(len(name), length) + name)
            for piece in pieces:
                self._file.write(piece)
            return True
        except OSError:
            self.close()
            self._usable = False
            return False

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        """Every pair, in the order appended (those lost to a failed write left out)."""
        if self._file is not None:
            self._file.flush()
            self._file.seek(0)
            while head := self._file.read(_SIZES.size):
                size, length = _SIZES.unpack(head)
                key = self._file.read(size).decode()
                yield key, self._file.read(length)
        yield from self._memory

    def close(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
        self._memory = []


_SIZES = struct.Struct("<IQ")  # a spooled pair's key and value lengths


def _parts(stored: bytes | tuple[bytes | memoryview, ...]) -> tuple[bytes | memoryview, ...]:
    return stored if isinstance(stored, tuple) else (stored,)


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
