"""What the last build consumed and produced, so that a build with nothing to do stops early.

Light on purpose: deciding that a build is a no-op hashes the inputs and looks at the outputs
without importing pyarrow, datasets or spaCy, so it costs about what hashing the inputs costs.

Hashing costs about a stat per file: as git's index does, the last build kept each input's
and published file's (inode, size, mtime) with its sha256, and a file whose three are the
same is taken to hold the same bytes. Racy files are hashed again: one modified less than
RACY_NS before it was hashed could change again within the same timestamp tick unseen, so
its signature is not kept. The list is sealed like every cache entry (newscorpus.cache): a
hand-edited one is ignored, and the build hashes every file.
"""

from __future__ import annotations

import binascii
import hashlib
import os
import sys
import time
from array import array
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ..cache import WorkCache
from ..fsutil import sha256_file
from ..parallel import default_jobs
from ..paths import record_strings
from .agreement_stats import AGREEMENT_END, AGREEMENT_START
from .layout import CORPUS, DATASHEET, GENERATED
from .metadata import METADATA_END, METADATA_START
from .stats import STATS_START, replace_marked_block, replace_stats_block
from .transaction import SIGNATURE, BuildTransaction

Signature = tuple[int, int, int]  # inode, size, mtime in ns
RACY_NS = 2_000_000_000  # timestamps of some file systems tick every 2 s
SIGNATURES = "signatures"  # the cache entry of the kept signatures

PUBLISHED = (*(f"{CORPUS}/{name}" for name in GENERATED), DATASHEET)


def _sha256_files(paths: list[str]) -> list[str | None]:
    """fsutil.sha256_file of each path, in order, over a thread per CPU for many files."""
    jobs = min(default_jobs(), len(paths) // 256)
    if jobs <= 1:
        return [sha256_file(path) for path in paths]
    size = -(-len(paths) // jobs)
    with ThreadPoolExecutor(jobs) as pool:
        parts = pool.map(
            lambda part: [sha256_file(path) for path in part],
            [paths[i : i + size] for i in range(0, len(paths), size)],
        )
        return [digest for part in parts for digest in part]


class Hashes:
    """Files' signatures and sha256s by name, packed: a build holds one per input and
    published file, and as a dict of tuples and hex strings keyed by full path they took
    about 460 bytes each; here about 200 (the name under the root and its index, three int64
    and 32 bytes of digest)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.numbers = array("q")  # inode, size, mtime of each file in turn
        self.digests = bytearray()  # 32 bytes each (zeros where unreadable, see `missing`)
        self.missing: set[int] = set()  # files that could not be read: no digest

    def __len__(self) -> int:
        return len(self.index)

    def add(self, name: str, signature: Signature, digest: str | None) -> None:
        self.index[name] = at = len(self.numbers) // 3  # a name added again: the last holds
        self.numbers.extend(signature)
        if digest is None:
            self.missing.add(at)
            self.digests += bytes(32)
        else:
            self.digests += bytes.fromhex(digest)

    def get(self, name: str) -> tuple[Signature, str | None] | None:
        at = self.index.get(name)
        return None if at is None else (self.signature_at(at), self.digest_at(at))

    def signature_at(self, at: int) -> Signature:
        inode, size, mtime = self.numbers[3 * at : 3 * at + 3]
        return inode, size, mtime

    def digest_at(self, at: int) -> str | None:
        """The sha256 of the file at index `at`, None when it could not be read."""
        return None if at in self.missing else self.digests[32 * at : 32 * at + 32].hex()

    def items(self) -> Iterator[tuple[str, Signature, str | None]]:
        for name, at in self.index.items():
            yield name, self.signature_at(at), self.digest_at(at)

    def to_json(self) -> dict[str, Any]:
        """Names, signatures and digests as three JSON values (the hashed files only): a few
        strings in place of a list per file, quick to read back."""
        return orjson.loads(b"".join(self.json_pieces()))

    def json_pieces(
        self, keep: Callable[[str, int], bool] | None = None, then: Hashes | None = None
    ) -> list[bytes]:
        """to_json's object as compact JSON in a few pieces, never joined (of the hashed
        files, those `keep(name, index)` keeps, then those of the table `then`): a build
        keeps a table of every record and seed, and so written it holds the table's hex once,
        not three times over."""
        names, numbers, digests = [], array("q"), bytearray()
        tables = [(self, keep)] if then is None else [(self, keep), (then, None)]
        for table, chosen in tables:
            for name, at in table.index.items():
                if at not in table.missing and (chosen is None or chosen(name, at)):
                    names.append(name)
                    numbers.extend(table.numbers[3 * at : 3 * at + 3])
                    digests += table.digests[32 * at : 32 * at + 32]
        if sys.byteorder == "big":  # stored little-endian wherever it was made
            numbers.byteswap()
        return [
            b'{"names":',
            orjson.dumps(names),
            b',"signatures":"',
            binascii.hexlify(numbers),
            b'","sha256":"',
            binascii.hexlify(digests),
            b'"}',
        ]

    @classmethod
    def from_json(cls, value: Any) -> Hashes:
        """The table to_json gave; empty when the value is not one (then nothing is trusted,
        every file is hashed)."""
        table = cls()
        try:
            names, numbers, digests = value["names"], value["signatures"], value["sha256"]
            packed, hashed = array("q", bytes.fromhex(numbers)), bytes.fromhex(digests)
        except (KeyError, TypeError, ValueError):
            return table
        if (
            not isinstance(names, list)
            or not all(isinstance(name, str) for name in names)
            or len(set(names)) != len(names)
            or len(packed) != 3 * len(names)
            or len(hashed) != 32 * len(names)
        ):
            return table
        if sys.byteorder == "big":
            packed.byteswap()
        table.index = {name: at for at, name in enumerate(names)}
        table.numbers, table.digests = packed, bytearray(hashed)
        return table


@dataclass
class LastBuild:
    records: int
    rows: dict[str, dict[str, int]]
    include_drafts: bool


class BuildState:
    """Inputs: every record and seed (bytes), the datasheet outside its generated blocks and the
    drafts flag; the cache file itself is keyed by the code and schema fingerprint. Outputs:
    the size, mtime and inode of every published file (any touch means rebuild)."""

    def __init__(self, root: Path, include_drafts: bool, *, trust: bool = True) -> None:
        """`trust` False (`build --no-cache`): every file is hashed, none taken on its
        signature."""
        self.root = root
        self.cache = WorkCache(root, "build")
        self.previous = self._kept() if trust else Hashes()
        self.started = time.time_ns()  # no file is hashed before this
        digest = hashlib.sha256(f"drafts={include_drafts}".encode())
        try:  # every entry but a folder: a FIFO or a link put there is a change (no hash)
            with os.scandir(root / "seeds") as found:
                seeds = sorted(e.path for e in found if not e.is_dir(follow_symlinks=False))
        except OSError:
            seeds = []
        self.known = Hashes()  # by the path under the root, as the cache keeps it
        self._confirmed = bytearray()  # by index in `known`: unchanged since, per `confirm`
        paths = record_strings(root) + seeds
        for path, sha256 in zip(paths, self._hash_all(paths), strict=True):
            folder, name = os.path.split(path)
            digest.update(f"{os.path.basename(folder)}/{name}={sha256}\n".encode())
        datasheet = root / DATASHEET
        if datasheet.is_file():
            text = datasheet.read_text(encoding="utf-8")
            if STATS_START in text:
                text = replace_stats_block(text, "", name=DATASHEET)
            if METADATA_START in text:  # generated from schema/, which the fingerprint covers
                text = replace_marked_block(text, "", METADATA_START, METADATA_END, name=DATASHEET)
            if AGREEMENT_START in text:  # generated from the records, which are hashed above
                text = replace_marked_block(
                    text, "", AGREEMENT_START, AGREEMENT_END, name=DATASHEET
                )
            digest.update(text.encode())
        self.inputs = digest.hexdigest()

    def _kept(self) -> Hashes:
        """The signatures and sha256s the last build kept, by path under the root."""
        entry = self.cache.lookup(SIGNATURES, "", self.root)
        return Hashes.from_json(entry.get("result") if entry is not None else None)

    def _name(self, path: Path | str) -> str:
        """The path under the root (paths here are the root joined with a relative path)."""
        text, base = str(path), str(self.root)
        if base in (".", ""):
            return text
        return text[len(base) + 1 :] if text.startswith(base + os.sep) else text

    def _hash_all(self, paths: list[str]) -> list[str | None]:
        """The sha256 of each file (None: unreadable), noted in `known` with its signature.
        Each file's signature is taken before its bytes are hashed, so a write meanwhile
        changes it. Files the last build kept with the same signature are not read; the others
        are hashed by a thread per CPU (hashlib and reads release the GIL): a cold build has
        every input to hash before its workers start."""
        digests: list[str | None] = [None] * len(paths)
        noted: list[tuple[int, str, Signature]] = []  # the files that could be looked at
        todo: list[int] = []
        for at, path in enumerate(paths):
            try:
                info = os.stat(path)
            except OSError:
                continue
            signature = (info.st_ino, info.st_size, info.st_mtime_ns)
            name = self._name(path)
            kept = self.previous.get(name)
            if kept is not None and kept[0] == signature:
                digests[at] = kept[1]
            else:
                todo.append(at)
            noted.append((at, name, signature))
        for at, digest in zip(todo, _sha256_files([paths[at] for at in todo]), strict=True):
            digests[at] = digest
        for at, name, signature in noted:
            self.known.add(name, signature, digests[at])
        return digests

    def confirm(self, curated: dict[str, bytes]) -> None:
        """Take the records' signatures as the build transaction listed them (`curated`: by
        path under corpus/, listed after this state was made, each packed as
        transaction.SIGNATURE): a record whose signature is still the one hashed here
        needs no second look, since the transaction compares the whole listing again before
        publishing and refuses the build if anything changed."""
        prefix = f"{CORPUS}/"
        numbers = self.known.numbers
        self._confirmed = bytearray(len(numbers) // 3)
        for name, signature in curated.items():
            at = self.known.index.get(prefix + name)
            if at is not None and SIGNATURE.pack(*numbers[3 * at : 3 * at + 3]) == signature:
                self._confirmed[at] = 1

    def sha256(self, path: Path | str) -> str | None:
        """The file's sha256 now: the one hashed above while its inode, size and mtime are
        still those it had then (the build's own check of its inputs relies on the same),
        else hashed again. A record `confirm`ed is not looked at again. `path` may be a
        string: an edit-build asks this of every seed, and a Path costs more to make than
        the rest of the call."""
        name = self._name(path)
        at = self.known.index.get(name)
        if at is not None and at < len(self._confirmed) and self._confirmed[at]:
            return self.known.digest_at(at)
        try:
            info = os.stat(path)
        except OSError:
            return None
        signature = (info.st_ino, info.st_size, info.st_mtime_ns)
        if at is not None and self.known.signature_at(at) == signature:
            return self.known.digest_at(at)
        kept = self.previous.get(name)  # a published file the last build wrote
        if kept is not None and kept[0] == signature:
            return kept[1]
        return sha256_file(path)

    def _outputs(self) -> list[list[Any]]:
        found = []
        for name in PUBLISHED:
            path = self.root / name
            paths = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            for item in paths:
                if item.is_file():
                    info = item.stat()
                    found.append(
                        [
                            item.relative_to(self.root).as_posix(),
                            info.st_size,
                            info.st_mtime_ns,
                            info.st_ino,
                        ]
                    )
        return found

    def last_build(self) -> LastBuild | None:
        """The last build's summary when it had these inputs and its outputs are untouched."""
        entry = self.cache.entries.get("last")
        if not entry or entry["inputs"] != self.inputs or entry["outputs"] != self._outputs():
            return None
        if BuildTransaction.interrupted(self.root):  # leftovers the next build clears up
            return None
        return LastBuild(entry["records"], entry["rows"], entry["include_drafts"])

    def save(
        self,
        records: int,
        rows: dict[str, dict[str, int]],
        include_drafts: bool,
        files: dict[str, tuple[str, int]] | None = None,
    ) -> None:
        """Keep this build's inputs and outputs for the next one; `files`: the sha256 and
        size of each file published under corpus/ (by path in it)."""
        outputs = self._outputs()
        self._keep(files or {}, outputs)
        self.cache.entries["last"] = {
            "inputs": self.inputs,
            "outputs": outputs,
            "records": records,
            "rows": rows,
            "include_drafts": include_drafts,
        }
        self.cache.dirty = True
        self.cache.save()

    def _keep(self, files: dict[str, tuple[str, int]], outputs: list[list[Any]]) -> None:
        """Seal the signatures of the inputs hashed and the files published (`outputs`, as
        _outputs lists them), leaving out racy ones (modified within RACY_NS of the moment
        they were hashed or listed)."""
        now = time.time_ns()
        listed = {name: (inode, size, mtime) for name, size, mtime, inode in outputs}
        published = Hashes()
        for name, (digest, _) in files.items():
            found = listed.get(f"{CORPUS}/{name}")
            if found is not None and found[2] + RACY_NS < now:
                published.add(f"{CORPUS}/{name}", found, digest)
        numbers, started = self.known.numbers, self.started

        def hashed(name: str, at: int) -> bool:  # an input not racy, and not also published
            return numbers[3 * at + 2] + RACY_NS < started and name not in published.index

        # the inputs straight from the table, with no copy of it (it holds every record and
        # seed), then the published files
        self.cache.store_json(SIGNATURES, "", None, self.known.json_pieces(hashed, published))
