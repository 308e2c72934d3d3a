"""Checks across the records of one folder, and of the seeds folder.

A record can be valid alone and still wrong beside the others: the same article twice (its
copies land in different splits, and test text leaks into train), or two ids that differ only
in case (one file on a case-insensitive file system, one name in a brat export). Each needs
only a digest per record, so the checks stay linear in the corpus.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import Protocol

from ..findings import Findings
from ..fsutil import NotRegularFileError, check_regular

SEEDS = "seeds"


class CheckedLike(Protocol):
    file: str
    text_sha: str | None


class _Folder:
    """The files checked in one folder and their texts' digests: a sha256 given in hex is
    kept as its 32 bytes, side by side (a build checks every record of the corpus)."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.digests = bytearray()  # 32 bytes per file; zeros where `other` has its digest
        self.other: dict[int, str | None] = {}  # digests that are not a sha256 in hex (None)

    def add(self, file: str, digest: str | None) -> None:
        try:
            raw = bytes.fromhex(digest) if digest is not None else b""
        except ValueError:
            raw = b""
        if len(raw) != 32:
            self.other[len(self.files)] = digest
            raw = bytes(32)
        self.files.append(file)
        self.digests += raw

    def sorted(self) -> list[tuple[str, str | bytes | None]]:
        """(file, digest) by file name."""
        order = sorted(range(len(self.files)), key=self.files.__getitem__)
        return [
            (
                self.files[at],
                self.other[at] if at in self.other else bytes(self.digests[32 * at : 32 * at + 32]),
            )
            for at in order
        ]


class CorpusChecks:
    """Collects one digest per checked file, then names duplicates within each folder."""

    def __init__(self) -> None:
        self._by_folder: dict[str, _Folder] = defaultdict(_Folder)

    def add(self, checked: CheckedLike) -> None:
        if checked.file.endswith(".json"):
            folder = str(PurePosixPath(checked.file).parent)
            self._by_folder[folder].add(checked.file, checked.text_sha)

    def findings(self) -> Findings:
        out = Findings()
        for folder in self._by_folder.values():
            files = folder.sorted()
            _duplicate_texts(files, out)
            _case_collisions([file for file, _ in files], out)
        return out


def _stem(file: str) -> str:
    return PurePosixPath(file).stem


def _duplicate_texts(files: list[tuple[str, str | bytes | None]], out: Findings) -> None:
    first: dict[str | bytes, str] = {}
    for file, digest in files:
        if digest is None:
            continue
        if digest in first:
            out.add(
                "text-duplicate",
                "/text",
                f"the text is the same as that of {first[digest]}.",
                "one article is one record: delete the copy (and its seed), or merge the "
                "annotations into one record",
                file=file,
                record=_stem(file),
            )
        else:
            first[digest] = file


def _case_collisions(files: list[str], out: Findings) -> None:
    first: dict[str, str] = {}
    for file in files:
        folded = _stem(file).casefold()
        if folded in first:
            out.add(
                "id-case-collision",
                "/id",
                f"the id differs only in case from {first[folded]}: on macOS and Windows "
                "both are one file.",
                "rename one record (its id and file name) so that ids differ in more than case",
                file=file,
                record=_stem(file),
            )
        else:
            first[folded] = file


def check_seed_folder(root: Path) -> Findings:
    """Every entry of seeds/ is a regular file that can be read (a FIFO there would hang the
    build's hashing, a link to /dev/zero would never end)."""
    out = Findings(SEEDS)
    folder = root / SEEDS
    if not folder.is_dir():
        return out
    hint = "seeds are regular files anyone can read: put the raw article itself there"
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda entry: entry.name)
    except OSError as err:
        out.add("file-unreadable", "", f"cannot list seeds/: {err.strerror}.", hint)
        return out
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            continue
        if entry.is_file(follow_symlinks=False) and os.access(entry.path, os.R_OK):
            continue  # a regular file this process may read: no need to open it
        name = entry.name
        shown = f"{SEEDS}/{name}"
        path = folder / name
        try:
            check_regular(path, follow_symlinks=False)
        except NotRegularFileError as err:
            out.add("file-not-regular", "", f"the seed is {err.strerror}.", hint, file=shown)
        except OSError as err:
            out.add("file-unreadable", "", f"cannot read: {err.strerror}.", hint, file=shown)
    return out
