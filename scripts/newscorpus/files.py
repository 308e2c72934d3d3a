"""Where records live and how paths are shown: light enough for every command's start-up."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

RECORDS_DIR = Path("corpus") / "records"
# What a build publishes: inside corpus/, and the datasheet at the root (its stats block).
CORPUS = "corpus"
DATA = "data"
CARD = "README.md"
CROISSANT = "croissant.json"
DATASHEET = "DATASHEET.md"
GENERATED = (DATA, CARD, CROISSANT)  # the build's outputs inside corpus/


def record_files(root: Path, paths: Iterable[Path] = ()) -> list[Path]:
    """The record files to check: the given files and folders, or all of corpus/records."""
    chosen = list(paths) or [root / RECORDS_DIR]
    files: list[Path] = []
    for path in chosen:
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.json") if p.is_file()))
        else:
            files.append(path)
    return files


def shown_path(path: Path, root: Path) -> str:
    """The path relative to the corpus root when it is inside it, as given otherwise."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def sha256_file(path: Path) -> str | None:
    """Hex sha256 of a file's bytes, or None when it cannot be read."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except AttributeError:  # Python 3.10 has no file_digest
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None
    except OSError:
        return None
