"""Sentences and tokens kept per text across runs, so that editing annotations never
re-tokenizes (nor even imports spaCy).

An entry is keyed by the sha256 of the text and its passage starts (all the split depends
on) and lives in its own small file, `.newscorpus-cache/tokens-<fingerprint>/<key>`, so a
run reads only the entries of the records it checks. The folder is named by the same
fingerprint as the validation cache (code, schema, library versions, spaCy's among them):
a new tokenizer finds no entries.

Like every cache here it may only make a run faster, never change a verdict or a byte: each
entry is sealed with an HMAC under the cache's key, and an entry that is missing, unsealed,
truncated or from another text is recomputed. Writes are best-effort and in place (one
write of the whole entry; one a writer was killed in leaves a partial entry, which its seal
refuses); a cache that cannot be written only costs time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import sys
from array import array
from collections.abc import Sequence
from pathlib import Path

from .cache import CACHE_DIR, _key_folder, _secret, fingerprint
from .model import Passage

_DIGEST = 32  # bytes of the HMAC-SHA256 seal at the head of each entry


def text_key(text: str, passages: Sequence[Passage]) -> str:
    """The entry's name: the text and its passage starts, all that the split depends on."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    digest.update(repr(sorted(p["start"] for p in passages)).encode())
    return digest.hexdigest()


class TokenCache:
    """Sentences (as token offsets) by text, for one corpus root."""

    def __init__(self, root: Path) -> None:
        self.base = root / CACHE_DIR
        self.folder = self.base / f"tokens-{fingerprint()}"
        self._folder = os.fspath(self.folder)
        self._key: bytes | None = None
        self._checked_folder = False

    def _seal(self, key: str, payload: bytes) -> bytes:
        if self._key is None:
            self._key = _secret(_key_folder())
        return hmac.new(self._key, b"tokens\0" + key.encode() + payload, "sha256").digest()

    def get(self, key: str) -> Split | None:
        """The split stored for `key`, else None."""
        try:
            data = (self.folder / key).read_bytes()
        except OSError:
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
        """Store a split, written in place in one call. No temporary name is needed: a reader
        that meets a partial entry (a writer killed or still writing) finds its seal wrong
        and splits the text again."""
        payload = split.payload()
        try:
            self._prepare()
            fd = os.open(f"{self._folder}/{key}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                os.write(fd, self._seal(key, payload) + payload)
            finally:
                os.close(fd)
        except OSError:
            pass

    def _prepare(self) -> None:
        """Make the folder on first write, and drop the entries of older fingerprints."""
        if self._checked_folder:
            return
        self._checked_folder = True
        if self.folder.is_dir():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.base / ".gitignore").write_text("*\n")
        for stale in self.base.glob("tokens-*"):
            if stale != self.folder and stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)


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
