"""A build as one transaction: publishing corpus/ as a whole, and clearing up after a build
that did not finish.

The new corpus/ is assembled in a staging folder beside the live one (new outputs plus hard
links to the curated files) and swapped with it in one renameat2(RENAME_EXCHANGE). One object,
BuildTransaction, owns every step, so a build enters this module once:

    with BuildTransaction(root) as txn:   # the lock; leftovers cleared; curated files noted
        render(root, txn.stage())         # the generated outputs only, into the staging folder
        txn.publish()                     # curated files carried over, checked, exchanged

The build writes only its generated outputs; the transaction alone handles the curated files
(noting them on entry, linking them into the staging folder, checking them just before the
exchange, rescuing what was written meanwhile). Leaving the block without publishing (an
error, an invalid record, an interrupt) discards the staging folder, and a failure to write
it is a BuildError saying that nothing was published. The rules that keep curator work safe
whatever happens, including SIGKILL between any two steps and a command writing a record
while the build runs:

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
import struct
import tempfile
from pathlib import Path
from types import TracebackType

from ..cache import CACHE_DIR
from ..errors import BuildError
from ..fsutil import exchange, fsync_dir, fsync_tree
from .layout import CORPUS, DATASHEET, GENERATED

STAGING_PREFIX = ".corpus-staging-"  # beside corpus/, on the same file system
MARKER = ".build-new"  # names its staging folder; inside corpus/ once exchanged

# inode, size and mtime of a curated file, packed as three int64 (native order): a build
# lists every record file several times, and a tuple of three ints takes four times the room
Signature = bytes
SIGNATURE = struct.Struct("qqq")


class BuildTransaction:
    """One build's publication of corpus/: its lock, the clearing of what an interrupted build
    left, its staging folder, the carry-over of the curated files and the exchange.

    Entered, it takes the build lock, clears leftovers and notes the curated files (inode,
    size, mtime) before the build reads any record. `stage` makes the staging folder the build
    renders its outputs into; `publish` is the commit point. Leaving the block clears what is
    left (a staging folder never published, the previous corpus/) and releases the lock.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.corpus = root / CORPUS
        self.before: dict[str, Signature] = {}  # the curated files as the build found them
        self.staging: Path | None = None
        self._lock: int | None = None
        self._writing = False  # staged and not yet published: a failed write stops the build

    def __enter__(self) -> BuildTransaction:
        self._lock = _lock(self.root)
        try:
            self.recover()
            self.before = _curated(self.root)
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self._clear()
            if self._writing and isinstance(error, OSError):  # a full disk, a read-only folder
                raise BuildError(
                    f"cannot write the new corpus/ ({error.strerror or error}); "
                    "nothing was published"
                ) from None
        finally:
            self._unlock()

    def stage(self) -> Path:
        """A fresh staging folder beside corpus/ for the build's outputs, with the live
        corpus/'s mode, marked as not yet published."""
        try:
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.root))
        except OSError as err:
            raise BuildError(
                f"cannot write in {self.root}: {err.strerror}; nothing was published"
            ) from None
        self.staging, self._writing = staging, True
        umask = os.umask(0o022)
        os.umask(umask)
        mode = self.corpus.stat().st_mode & 0o7777 if self.corpus.is_dir() else 0o777 & ~umask
        os.chmod(staging, mode)
        (staging / MARKER).write_text(staging.name + "\n", encoding="utf-8")
        return staging

    def publish(self) -> None:
        """The commit point. The generated datasheet is set aside (it goes beside corpus/),
        the curated files are carried into the staging folder and flushed, and, when none of
        them changed since the transaction began, staging and corpus/ are swapped; then what
        was written in the instant between is carried over, the datasheet put in place and
        what is left cleared."""
        staging = self.staging
        if staging is None:
            raise BuildError("nothing was staged: stage() the outputs before publishing them")
        try:
            datasheet = staging / DATASHEET
            if datasheet.exists():
                os.rename(datasheet, _datasheet_beside(staging))
            linked = _carry_over(self.corpus, staging, self.before)
            fsync_tree(staging, linked)
            if _curated(self.root) != self.before:
                raise BuildError(
                    "records changed while building; nothing was published, "
                    "run `newscorpus build` again"
                )
            self._exchange(staging)
        except OSError as err:
            raise BuildError(
                f"cannot write the new corpus/ ({err.strerror or err}); nothing was published"
            ) from None
        finally:
            self._writing = False
            self._clear()

    def _exchange(self, staging: Path) -> None:
        """Swap staging and corpus/, then carry over what was written since `before` was
        taken, then put the new datasheet in place."""
        if self.corpus.exists():
            exchange(staging, self.corpus)  # the old corpus/ now sits at `staging`
            (staging / MARKER).unlink(missing_ok=True)  # (it never held one; belt and braces)
            _rescue(staging, self.corpus, self.before)
        else:
            os.rename(staging, self.corpus)
        fsync_dir(self.root)
        datasheet = _datasheet_beside(staging)
        if datasheet.exists():
            os.replace(datasheet, self.root / DATASHEET)
            fsync_dir(self.root)

    def recover(self) -> bool:
        """Clear what an interrupted build left beside corpus/; True when there was something.

        An interrupted build never needs finishing, except for the datasheet: before its
        exchange the previous corpus/ is live and complete, after it the new one is (and its
        datasheet, staged beside it, is put in place now).
        """
        root, corpus = self.root, self.corpus
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

    @staticmethod
    def interrupted(root: Path) -> bool:
        """Whether a build that did not finish left a staging folder for the next to clear."""
        return any(root.glob(STAGING_PREFIX + "*"))

    def _clear(self) -> None:
        """Once a staging folder was made: clear what is left of this build (the folder, when
        it was not published; the previous corpus/, when it was). What cannot be cleared now,
        the next build reports."""
        if self.staging is None:
            return
        self.staging = None
        with contextlib.suppress(BuildError, OSError):
            self.recover()

    def _unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def _datasheet_beside(staging: Path) -> Path:
    """Where the new datasheet waits for the exchange: beside the staging folder, named by it
    (the marker names the folder, so a build killed after its exchange can still place it)."""
    return staging.with_name(staging.name + ".datasheet")


def _lock(root: Path) -> int:
    """One build at a time per checkout: an fd holding the lock.

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
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise BuildError(f"another build is running in {root}") from None
    return fd


def _refuse(path: Path, why: str) -> BuildError:
    return BuildError(f"{path} {why}; nothing was published")


def _curated(root: Path, name: str = CORPUS, *, strict: bool = True) -> dict[str, Signature]:
    """(inode, size, mtime) of every curated file in `root/name`: what a build carries over.

    Strict (the live corpus/), anything the build could not carry over or clear afterwards
    raises BuildError: a folder it cannot read or write, an entry that is not a regular file
    (a FIFO, a device, a symlink). Lenient (a leftover), such entries are skipped. Walked with
    plain strings: a build walks corpus/ several times, and it holds every record file.
    """
    found: dict[str, Signature] = {}
    top = root / name
    if not top.is_dir():
        return found
    pending = [(str(top), "", False)]  # folder, its path under top, whether generated
    while pending:
        folder, prefix, generated_folder = pending.pop()
        if strict and not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
            mode = stat.S_IMODE(os.stat(folder).st_mode)
            raise _refuse(
                Path(folder),
                f"is not readable and writable (mode {mode:03o}): a build replaces corpus/ as a "
                f"whole and must clear the previous one. Give it back its permissions "
                f"(chmod u+rwx {folder})",
            )
        files: list[tuple[str, Signature]] = []
        folders: list[tuple[str, str, bool]] = []
        odd: list[str] = []  # neither a regular file nor a folder
        try:  # each entry let go as it is read (a folder may hold every record of the corpus)
            with os.scandir(folder) as entries:
                for entry in entries:
                    relative = prefix + entry.name
                    generated = generated_folder or (
                        not prefix and (entry.name in GENERATED or entry.name.startswith(".build-"))
                    )
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, relative + "/", generated))
                    elif generated:
                        continue
                    elif entry.is_file(follow_symlinks=False):
                        info = entry.stat(follow_symlinks=False)
                        files.append(
                            (relative, SIGNATURE.pack(info.st_ino, info.st_size, info.st_mtime_ns))
                        )
                    else:
                        odd.append(entry.path)
        except OSError as err:
            if strict:
                raise _refuse(Path(folder), f"cannot be read ({err.strerror})") from None
            continue
        if strict and odd:
            raise _refuse(
                Path(min(odd)),
                "is not a regular file (a FIFO, device or symbolic link): the build "
                "cannot carry it over. Replace it with the file itself, or move it away",
            )
        files.sort()
        found.update(files)
        pending.extend(sorted(folders, reverse=True))  # taken from the end: in name order
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


def _carry_over(corpus: Path, staging: Path, files: dict[str, Signature]) -> set[str]:
    """Hard-link (or copy, where links fail) each curated file into the staging corpus, and
    give each folder its live mode; return the files linked, whose data is already on disk."""
    linked = set()
    made: set[str] = set()
    for relative in files:
        source, target = os.path.join(corpus, relative), os.path.join(staging, relative)
        folder = os.path.dirname(target)
        if folder not in made:  # once per folder, not once per record
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        try:
            os.link(source, target)
            linked.add(relative)
        except OSError:
            shutil.copy2(source, target)
    for relative, mode in _folders(corpus) if corpus.is_dir() else ():
        copy = staging / relative
        if relative != "." and copy.is_dir():
            os.chmod(copy, mode)
    return linked


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


def _rescue(old: Path, live: Path, before: dict[str, Signature]) -> None:
    """Carry over a curated file written into the old corpus/ after the last input check.

    The build compares the curated files just before the exchange; a file written in the
    instant between that check and the exchange lands in the old folder, which is about to be
    deleted. Files edited in place need nothing: live and old share their inode. Compared by
    content, and linked into place: never copied onto the live file.
    """
    for relative, signature in _curated(old.parent, old.name, strict=False).items():
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
    the live corpus lacks, and keep each that differs as a backup beside the live one (a
    file both hold, hard-linked, has the same signature in both: nothing to compare)."""
    current = _curated(live.parent, live.name, strict=False)
    for relative, signature in _curated(old.parent, old.name, strict=False).items():
        if current.get(relative) == signature:
            continue
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
