"""File-system helpers every part shares: hashing a file, and writing one atomically with a
backup of what it replaces."""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import RecordExistsError


def sha256_file(path: Path) -> str | None:
    """Hex sha256 of a file's bytes, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _keep_backup(path: Path) -> Path:
    """Link the current file to the first free backup name (atomic, no copy, no overwrite)."""
    for number in range(1, 10_000):
        saved = path.with_name(f"{path.name}.bak" if number == 1 else f"{path.name}.{number}.bak")
        try:
            os.link(path, saved)
            return saved
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links
            if not saved.exists():
                shutil.copy2(path, saved)
                return saved
    raise OSError(f"no free backup name for {path}")


def write_atomic(
    path: Path,
    content: str | bytes,
    *,
    overwrite: bool = False,
    backup: bool = True,
    durable: bool = True,
) -> Path | None:
    """Write via a temp file in the same folder, then link or rename it into place.

    Without `overwrite`, refuse (RecordExistsError) if `path` exists; the check and the write
    are one atomic link(2). With `overwrite`, the previous file is kept as `<name>.bak` (or
    `<name>.2.bak`, ... : no backup ever replaces another), unless `backup` is false, and that
    backup path is returned. `durable` fsyncs before the rename; only scratch data (caches,
    synthetic load-test corpora) turns it off.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    saved = None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if overwrite:
            if backup and path.exists():
                saved = _keep_backup(path)
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise RecordExistsError(str(path)) from None
            tmp.unlink()
    finally:
        if tmp.exists():
            tmp.unlink()
    return saved


# --- publishing a folder durably, in one step ----------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(new: Path, live: Path) -> None:
    """Swap two folders in one step (Linux renameat2); elsewhere, two renames."""
    libc_name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(libc_name, use_errno=True) if libc_name else None
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        result = renameat2(
            _AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(live), _RENAME_EXCHANGE
        )
        if result == 0:
            return
    old = new.with_name(new.name + ".old")
    os.rename(live, old)
    os.rename(new, live)
    os.rename(old, new)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(path: Path, linked: Iterable[str] = ()) -> None:
    """Flush new files and every folder; files in `linked` are hard links to data already
    on disk, so only their folder entries need flushing."""
    skip = set(linked)
    for p in sorted(path.rglob("*"), reverse=True):
        if p.is_file():
            if p.relative_to(path).as_posix() not in skip:
                with p.open("rb") as handle:
                    os.fsync(handle.fileno())
        else:
            fsync_dir(p)
    fsync_dir(path)
