"""Sentences and tokens kept per text across runs, so that editing annotations never
re-tokenizes (nor even imports spaCy).

An entry is keyed by the sha256 of the text and its passage starts (all the split depends
on). All entries live in one SQLite file, `.newscorpus-cache/tokens-<fingerprint>.sqlite`,
read by key, so a run reads only the entries of the records it checks. The file is named by
the same fingerprint as the validation cache (code, schema, library versions, spaCy's among
them): a new tokenizer finds no entries. One file rather than one file per text: a cold
build of 20,000 records made 20,000 files, and creating them (two workers in one folder)
cost more system time than anything else the build did.

Like every cache here it may only make a run faster, never change a verdict or a byte: each
entry is sealed with an HMAC under the cache's key, and an entry that is missing, unsealed,
truncated or from another text is recomputed. Writes are best-effort: entries are kept in
memory and written a few dozen at a time, in one transaction (`flush`; SQLite's journal makes
a write that a kill interrupts leave no trace), and a file that cannot be opened, written or
read (a read-only folder, a full disk, a file that is not a database) only costs time.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import hmac
import os
import shutil
import sqlite3
import sys
from array import array
from collections.abc import Sequence
from pathlib import Path

from .cache import CACHE_DIR, _key_folder, _secret, fingerprint
from .model import Passage

_DIGEST = 32  # bytes of the HMAC-SHA256 seal at the head of each entry
_BATCH = 64  # entries written in one transaction
# Connections a forked worker inherited from its parent: never used, and never closed either
# (SQLite must not carry a connection across fork, and closing one there could disturb the
# parent's locks), so they are kept alive here.
_INHERITED: list[sqlite3.Connection] = []
_OPEN: list[TokenCache] = []  # caches with entries not yet written, flushed at exit


def text_key(text: str, passages: Sequence[Passage]) -> str:
    """The entry's key: the text and its passage starts, all that the split depends on."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    digest.update(repr(sorted(p["start"] for p in passages)).encode())
    return digest.hexdigest()


class TokenCache:
    """Sentences (as token offsets) by text, for one corpus root."""

    def __init__(self, root: Path) -> None:
        self.base = root / CACHE_DIR
        self.file = self.base / f"tokens-{fingerprint()}.sqlite"
        self._key: bytes | None = None
        self._db: sqlite3.Connection | None = None
        self._pid = 0  # the process that opened _db
        self._broken = False  # the file could not be used: no more attempts in this process
        self._pending: dict[str, bytes] = {}

    def _seal(self, key: str, payload: bytes) -> bytes:
        if self._key is None:
            self._key = _secret(_key_folder())
        return hmac.new(self._key, b"tokens\0" + key.encode() + payload, "sha256").digest()

    def get(self, key: str) -> Split | None:
        """The split stored for `key`, else None."""
        data = self._pending.get(key)
        if data is None:
            data = self._read(key)
        if data is None:
            return None
        seal, payload = data[:_DIGEST], data[_DIGEST:]
        if len(payload) % 8 or not hmac.compare_digest(seal, self._seal(key, payload)):
            return None
        numbers = array("q")
        numbers.frombytes(payload)
        if sys.byteorder == "big":  # entries are little-endian wherever they were made
            numbers.byteswap()
        return Split.checked(numbers)

    def put(self, key: str, split: Split) -> None:
        """Keep a split, to be written with the next few (`flush`)."""
        payload = split.payload()
        if not self._pending:
            _OPEN.append(self)
        self._pending[key] = self._seal(key, payload) + payload
        if len(self._pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the entries kept so far, in one transaction; a failure only drops them."""
        pending, self._pending = self._pending, {}
        with contextlib.suppress(ValueError):
            _OPEN.remove(self)
        db = self._connect(create=True) if pending else None
        if db is None:
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", pending.items())
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error as err:
            self._give_up(err)

    def _read(self, key: str) -> bytes | None:
        db = self._connect(create=False)
        if db is None:
            return None
        try:
            row = db.execute("SELECT entry FROM entries WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as err:
            self._give_up(err)
            return None
        return row[0] if row is not None and isinstance(row[0], bytes) else None

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._db is not None and self._pid != os.getpid():  # inherited through fork
            _INHERITED.append(self._db)
            self._db = None
        if self._db is not None or self._broken:
            return self._db
        if not create and not self.file.is_file():
            return None  # nothing stored yet: no file made just to look
        try:
            if create:
                self._prepare()
            db = sqlite3.connect(self.file, timeout=30, isolation_level=None)
            try:
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    # Readers never wait for a writer. Switching needs the file to itself, and
                    # fails at once when another run has it open; that run switches it.
                    with contextlib.suppress(sqlite3.OperationalError):
                        db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")  # no fsync per commit; still atomic
                db.execute(
                    "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, entry BLOB NOT NULL)"
                )
            except BaseException:
                db.close()
                raise
        except (sqlite3.Error, OSError) as err:
            self._give_up(err)
            return None
        self._db, self._pid = db, os.getpid()
        return db

    def _give_up(self, err: Exception) -> None:
        """Stop using the file in this process: a cache only makes runs faster. A file that
        is not a database, or a damaged one, is deleted, so that the next run makes it
        afresh (a lock held too long or a folder that cannot be written leaves it be)."""
        self._broken = True
        if self._db is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        if type(err) is sqlite3.DatabaseError:  # not OperationalError: the file itself
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.unlink(f"{self.file}{suffix}")

    def _prepare(self) -> None:
        """Make the folder, and drop the entries of older fingerprints."""
        if self.file.is_file():
            return
        self.base.mkdir(parents=True, exist_ok=True)
        (self.base / ".gitignore").write_text("*\n")
        for stale in self.base.glob("tokens-*"):
            if stale.name.startswith(self.file.name):
                continue  # this file, its journal and its index
            if stale.is_dir():  # entries one file each, as earlier versions kept them
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)


@atexit.register
def _flush_all() -> None:
    for cache in list(_OPEN):
        cache.flush()


class Split:
    """A text's sentences and tokens as one array of int64 numbers, as an entry stores them:
    the number of sentences, the number of tokens of each, then the start and end of every
    non-space token in text order. Views of it (`sizes`, `starts`, `ends`) are arrays too,
    which numpy and Arrow read without a copy; Sentence tuples are made only when asked
    for (tokens.sentences)."""

    __slots__ = ("numbers", "count")

    def __init__(self, numbers: array) -> None:
        self.numbers = numbers
        self.count = numbers[0]

    @classmethod
    def checked(cls, numbers: array) -> Split | None:
        """The split these numbers hold, or None when they are not one (a count that does
        not match, a sentence without tokens)."""
        count = numbers[0] if numbers else -1
        sizes = numbers[1 : 1 + count]
        if count < 0 or len(sizes) != count or (count and min(sizes) < 1):
            return None
        if len(numbers) != 1 + count + 2 * sum(sizes):
            return None
        return cls(numbers)

    @property
    def sizes(self) -> array:
        return self.numbers[1 : 1 + self.count]

    @property
    def starts(self) -> array:
        return self.numbers[1 + self.count :: 2]

    @property
    def ends(self) -> array:
        return self.numbers[2 + self.count :: 2]

    def payload(self) -> bytes:
        """The numbers as an entry stores them: little-endian wherever it is written."""
        if sys.byteorder == "big":
            swapped = array("q", self.numbers)
            swapped.byteswap()
            return swapped.tobytes()
        return self.numbers.tobytes()
