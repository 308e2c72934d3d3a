"""Where records live and how paths are shown: light enough for every command's start-up."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

RECORDS_DIR = Path("corpus") / "records"


def record_files(root: Path, paths: Iterable[Path] = ()) -> list[Path]:
    """The record files to check: the given files and folders, or all of corpus/records."""
    chosen = list(paths) or [root / RECORDS_DIR]
    files: list[Path] = []
    for path in chosen:
        if path.is_dir():
            files.extend(records_in(path))
        else:
            files.append(path)
    return files


def record_strings(root: Path) -> list[str]:
    """record_files(root) as strings: what a build lists and keeps for every record (a Path
    takes about two and a half times the memory of its string)."""
    folder = root / RECORDS_DIR
    names = _names(folder) if folder.is_dir() else None
    if names is None:
        return [str(folder)]
    base = str(folder)
    return [os.path.join(base, name) for name in names]


def shown_path(path: Path, root: Path) -> str:
    """The path relative to the corpus root when it is inside it, as given otherwise."""
    try:  # the folder resolved, not the name: a symlink is shown as itself
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def records_in(folder: Path) -> list[Path]:
    """The record files of one folder, in file-name (= id) order, with what cannot be one.

    Every `*.json` entry is listed, and so is any entry that is not a regular file or a
    folder (a FIFO, a device, a symbolic link): reading them reports each as a finding
    (`file-not-regular`), never a silent skip. A folder that cannot be listed is returned
    itself, so that reading it reports `file-unreadable`.
    """
    names = _names(folder)
    if names is None:
        return [folder]
    return [folder / name for name in names]


def _names(folder: Path) -> list[str] | None:
    """The names records_in lists, in order; None when the folder cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            names = [
                entry.name
                for entry in entries
                if entry.name.endswith(".json")
                or not (entry.is_file(follow_symlinks=False) or entry.is_dir(follow_symlinks=False))
            ]
    except OSError:
        return None
    return sorted(names)  # names sort as their paths do, faster
