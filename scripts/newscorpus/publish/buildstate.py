"""What the last build consumed and produced, so that a build with nothing to do stops early.

Light on purpose: deciding that a build is a no-op hashes the inputs and looks at the outputs
without importing pyarrow, datasets or spaCy, so it costs about what hashing the inputs costs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache import WorkCache
from ..fsutil import sha256_file
from ..paths import record_files
from .agreement_stats import AGREEMENT_END, AGREEMENT_START
from .layout import CORPUS, DATASHEET, GENERATED
from .metadata import METADATA_END, METADATA_START
from .stats import STATS_START, replace_marked_block, replace_stats_block
from .transaction import BuildTransaction

Signature = tuple[int, int, int]  # inode, size, mtime in ns

PUBLISHED = (*(f"{CORPUS}/{name}" for name in GENERATED), DATASHEET)


@dataclass
class LastBuild:
    records: int
    rows: dict[str, dict[str, int]]
    include_drafts: bool


class BuildState:
    """Inputs: every record and seed (bytes), the datasheet outside its generated blocks and the
    drafts flag; the cache file itself is keyed by the code and schema fingerprint. Outputs:
    the size, mtime and inode of every published file (any touch means rebuild)."""

    def __init__(self, root: Path, include_drafts: bool) -> None:
        self.root = root
        self.cache = WorkCache(root, "build")
        digest = hashlib.sha256(f"drafts={include_drafts}".encode())
        seeds = sorted(p for p in (root / "seeds").glob("*") if p.is_file())
        self.known: dict[Path, tuple[Signature, str | None]] = {}
        for path in record_files(root) + seeds:
            digest.update(f"{path.parent.name}/{path.name}={self._hash(path)}\n".encode())
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

    def _hash(self, path: Path) -> str | None:
        try:
            info = path.stat()  # taken first: a write during the hashing changes it
        except OSError:
            return None
        digest = sha256_file(path)
        self.known[path] = ((info.st_ino, info.st_size, info.st_mtime_ns), digest)
        return digest

    def sha256(self, path: Path) -> str | None:
        """The file's sha256 now: the one hashed above while its inode, size and mtime are
        still those it had then (the build's own check of its inputs relies on the same),
        else hashed again."""
        known = self.known.get(path)
        try:
            info = path.stat()
        except OSError:
            return None
        if known is not None and known[0] == (info.st_ino, info.st_size, info.st_mtime_ns):
            return known[1]
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

    def save(self, records: int, rows: dict[str, dict[str, int]], include_drafts: bool) -> None:
        self.cache.entries["last"] = {
            "inputs": self.inputs,
            "outputs": self._outputs(),
            "records": records,
            "rows": rows,
            "include_drafts": include_drafts,
        }
        self.cache.dirty = True
        self.cache.save()
