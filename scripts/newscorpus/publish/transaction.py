"""Publishing corpus/ as a whole, and clearing up after a build that did not finish.

The new corpus/ is assembled in a staging folder beside the live one (new outputs plus hard
links to the curated files) and swapped with it in one renameat2(RENAME_EXCHANGE). The rules
that keep curator work safe whatever happens, including SIGKILL between any two steps and a
command writing a record while the build runs:

- nothing that cannot be read is ever moved, replaced or deleted: an unreadable folder, a
  folder the build could not clear afterwards, or an entry that is not a regular file stops
  the build before anything changes;
- a staging folder holds a marker (MARKER) until the exchange, so the next build can tell a
  new corpus that was never published (deleted) from the previous corpus it replaced (each
  curated file in it is compared, by content, with the live one: one that is missing is
  linked back, one that differs is kept as a backup, and only then is the folder deleted);
- a record written during the build is carried into the live corpus by linking it under a
  temp name and renaming that into place: bytes are never copied onto a live file, which may
  be a hard link shared with a backup.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

from ..cache import CACHE_DIR
from ..errors import BuildError
from ..fsutil import exchange, fsync_dir
from .layout import CORPUS, DATASHEET, GENERATED

STAGING_PREFIX = ".corpus-staging-"  # beside corpus/, on the same file system
MARKER = ".build-new"  # names its staging folder; inside corpus/ once exchanged

Signature = tuple[int, int, int]  # inode, size, mtime of a curated file


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """One build at a time per checkout.

    A POSIX record lock belongs to this process alone: worker processes do not inherit it, and
    the kernel drops it the moment the process dies, even when it is killed with SIGKILL.
    """
    if not root.is_dir() or not ((root / CORPUS).is_dir() or (root / "seeds").is_dir()):
        raise BuildError(f"no corpus under {root} (no corpus/ or seeds/); is --root the root?")
    lock_dir = root / CACHE_DIR
    try:
        lock_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_dir / "build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise BuildError(
            f"cannot take the build lock in {lock_dir}: {err.strerror}; nothing was published"
        ) from None
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BuildError(f"another build is running in {root}") from None
        yield
    finally:
        os.close(fd)


def _refuse(path: Path, why: str) -> BuildError:
    return BuildError(f"{path} {why}; nothing was published")


def curated(root: Path, name: str = CORPUS, *, strict: bool = True) -> dict[str, Signature]:
    """(inode, size, mtime) of every curated file in `root/name`: what a build carries over.

    Strict (the live corpus/), anything the build could not carry over or clear afterwards
    raises BuildError: a folder it cannot read or write, an entry that is not a regular file
    (a FIFO, a device, a symlink). Lenient (a leftover), such entries are skipped.
    """
    found: dict[str, Signature] = {}
    top = root / name
    if not top.is_dir():
        return found
    pending = [top]
    while pending:
        folder = pending.pop()
        if strict and not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
            mode = stat.S_IMODE(folder.stat().st_mode)
            raise _refuse(
                folder,
                f"is not readable and writable (mode {mode:03o}): a build replaces corpus/ as a "
                f"whole and must clear the previous one. Give it back its permissions "
                f"(chmod u+rwx {folder})",
            )
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            if strict:
                raise _refuse(folder, f"cannot be read ({err.strerror})") from None
            continue
        for entry in entries:
            relative = Path(entry.path).relative_to(top)
            generated = relative.parts[0] in GENERATED or relative.parts[0].startswith(".build-")
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
            elif generated:
                continue
            elif entry.is_file(follow_symlinks=False):
                info = entry.stat(follow_symlinks=False)
                found[relative.as_posix()] = (info.st_ino, info.st_size, info.st_mtime_ns)
            elif strict:
                raise _refuse(
                    Path(entry.path),
                    "is not a regular file (a FIFO, device or symbolic link): the build "
                    "cannot carry it over. Replace it with the file itself, or move it away",
                )
    return found


def _folders(top: Path) -> list[tuple[str, int]]:
    """The curated folders under `top` and their modes, deepest first."""
    found = []
    for folder, names, _ in os.walk(top):
        relative = Path(folder).relative_to(top)
        if relative.parts and relative.parts[0] in GENERATED:
            names.clear()
            continue
        found.append((relative.as_posix(), stat.S_IMODE(os.stat(folder).st_mode)))
    return sorted(found, key=lambda item: -item[0].count("/") - (item[0] != "."))


def start_staging(root: Path, staging: Path) -> None:
    """Mark a fresh staging folder as not yet published, with the live corpus/'s mode."""
    corpus = root / CORPUS
    umask = os.umask(0o022)
    os.umask(umask)
    os.chmod(staging, corpus.stat().st_mode & 0o7777 if corpus.is_dir() else 0o777 & ~umask)
    (staging / MARKER).write_text(staging.name + "\n", encoding="utf-8")


def carry_over(corpus: Path, staging: Path, files: dict[str, Signature]) -> set[str]:
    """Hard-link (or copy, where links fail) each curated file into the staging corpus, and
    give each folder its live mode; return the files linked, whose data is already on disk."""
    linked = set()
    for relative in files:
        source, target = corpus / relative, staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
            linked.add(relative)
        except OSError:
            shutil.copy2(source, target)
    for relative, mode in _folders(corpus) if corpus.is_dir() else ():
        target = staging / relative
        if relative != "." and target.is_dir():
            os.chmod(target, mode)
    return linked


def publish(root: Path, staging: Path, before: dict[str, Signature]) -> None:
    """The commit point: swap staging and corpus/, then carry over what was written since
    `before` was taken, then put the new datasheet in place."""
    corpus = root / CORPUS
    if corpus.exists():
        exchange(staging, corpus)  # the old corpus/ now sits at `staging`
        (staging / MARKER).unlink(missing_ok=True)  # (it never held one; belt and braces)
        rescue(staging, corpus, before)
    else:
        os.rename(staging, corpus)
    fsync_dir(root)
    datasheet = staging.with_name(staging.name + ".datasheet")
    if datasheet.exists():
        os.replace(datasheet, root / DATASHEET)
        fsync_dir(root)


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        if os.path.samefile(a, b):
            return True
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as left, b.open("rb") as right:
            while True:
                chunk = left.read(1 << 20)
                if chunk != right.read(1 << 20):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False


def _link_into_place(source: Path, target: Path) -> None:
    """Make `target` name the file `source` names, atomically, writing no bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.rescue.tmp")
    temp.unlink(missing_ok=True)
    try:
        os.link(source, temp)
    except OSError:
        shutil.copy2(source, temp)  # a file system without hard links: a new file, then rename
    os.replace(temp, target)


def rescue(old: Path, live: Path, before: dict[str, Signature]) -> None:
    """Carry over a curated file written into the old corpus/ after the last input check.

    The build compares the curated files just before the exchange; a file written in the
    instant between that check and the exchange lands in the old folder, which is about to be
    deleted. Files edited in place need nothing: live and old share their inode. Compared by
    content, and linked into place: never copied onto the live file.
    """
    for relative, signature in curated(old.parent, old.name, strict=False).items():
        if before.get(relative) != signature and not _same_bytes(old / relative, live / relative):
            _link_into_place(old / relative, live / relative)


def _free_backup(path: Path) -> Path:
    for number in range(1, 10_000):
        name = f"{path.name}.bak" if number == 1 else f"{path.name}.{number}.bak"
        if not os.path.lexists(path.with_name(name)):
            return path.with_name(name)
    raise BuildError(f"no free backup name for {path}")


def _salvage(old: Path, live: Path) -> None:
    """Before deleting a previous corpus/ left by a killed build: link back each curated file
    the live corpus lacks, and keep each that differs as a backup beside the live one."""
    for relative in curated(old.parent, old.name, strict=False):
        source, target = old / relative, live / relative
        if not os.path.lexists(target):
            _link_into_place(source, target)
        elif not _same_bytes(source, target):
            _link_into_place(source, _free_backup(target))


def _remove(leftover: Path) -> None:
    try:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
        else:
            leftover.unlink(missing_ok=True)
    except OSError as err:
        raise BuildError(
            f"a previous build left {leftover}, which cannot be removed ({err.strerror}); "
            "nothing was published: check its permissions, then remove it"
        ) from None


def recover(root: Path) -> bool:
    """Clear what an interrupted build left beside corpus/; True when there was something.

    An interrupted build never needs finishing, except for the datasheet: before its exchange
    the previous corpus/ is live and complete, after it the new one is (and its datasheet,
    staged beside it, is put in place now).
    """
    corpus = root / CORPUS
    marker = corpus / MARKER
    found = False
    if marker.is_file():  # the last build exchanged, and may not have placed its datasheet
        found = True
        staged = root / (marker.read_text(encoding="utf-8").strip() + ".datasheet")
        if staged.is_file() and staged.parent == root:
            os.replace(staged, root / DATASHEET)
        marker.unlink()
    for leftover in sorted(root.glob(STAGING_PREFIX + "*")):
        found = True
        if leftover.is_dir() and not (leftover / MARKER).exists():
            if not corpus.exists():  # killed inside the two-rename fallback of `exchange`
                os.rename(leftover, corpus)
                continue
            _salvage(leftover, corpus)
        _remove(leftover)
    for leftover in sorted(corpus.glob(".build-*")):
        found = True
        _remove(leftover)
    return found
