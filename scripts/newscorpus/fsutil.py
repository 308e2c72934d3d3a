"""File-system helpers every part shares: reading a file without hanging, hashing it, and
writing one atomically with a backup of what it replaces.

Fault model (README, "Nothing is lost"): any write may fail (disk full, permissions) and the
process may be killed between any two instructions. A write either puts the whole new file in
place or changes nothing; a failed write raises WriteError and leaves no half-made file.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import os
import secrets
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from .errors import NewscorpusError, RecordExistsError, WriteError

# Reads are bounded: a regular file larger than this is not a record or an article.
MAX_FILE_BYTES = 1 << 31
MAX_SEED_BYTES = 64 << 20


class NotRegularFileError(NewscorpusError, OSError):
    """The path is a FIFO, device, socket, folder or (where links are refused) a symlink:
    reading it could block forever or never end."""


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _open_regular(path: Path | str, follow_symlinks: bool) -> tuple[int, os.stat_result]:
    """An fd on `path` when it is a regular file. Opened non-blocking, so a FIFO cannot hang
    the open, then checked with fstat, so what is read is what was checked."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        try:
            info = os.lstat(path)
        except OSError:
            info = None
        if info is not None and stat.S_ISLNK(info.st_mode):
            raise NotRegularFileError(errno.ELOOP, "a symbolic link, not a regular file", str(path))
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFileError(
                errno.EINVAL, f"{_kind(info.st_mode)}, not a regular file", str(path)
            )
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def check_regular(path: Path, *, follow_symlinks: bool = True) -> os.stat_result:
    """Raise NotRegularFileError unless `path` is a regular file this process can open."""
    fd, info = _open_regular(path, follow_symlinks)
    os.close(fd)
    return info


def read_regular(path: Path, *, limit: int = MAX_FILE_BYTES, follow_symlinks: bool = True) -> bytes:
    """The bytes of a regular file, at most `limit` of them.

    Raises NotRegularFileError for anything else (a FIFO would block, /dev/zero never ends)
    and OSError (EFBIG) for a file larger than `limit`.
    """
    fd, info = _open_regular(path, follow_symlinks)
    try:
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(path))
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(path))
        return b"".join(chunks)
    finally:
        os.close(fd)


def sha256_file(path: Path | str) -> str | None:
    """Hex sha256 of a regular file's bytes, or None when it cannot be read (or is a FIFO,
    a device or anything else that is not a regular file)."""
    digest = hashlib.sha256()
    try:
        fd, _ = _open_regular(path, True)
    except OSError:
        return None
    try:
        for block in iter(lambda: os.read(fd, 1 << 20), b""):
            digest.update(block)
    except OSError:
        return None
    finally:
        os.close(fd)
    return digest.hexdigest()


def _keep_backup(path: Path) -> Path:
    """Link the current file to the first free backup name (atomic, no copy, no overwrite).

    A backup that is already this very file (a write killed after linking its backup and
    before replacing the file) is reused, so a retry leaves no second copy."""
    for number in range(1, 10_000):
        saved = path.with_name(f"{path.name}.bak" if number == 1 else f"{path.name}.{number}.bak")
        try:
            os.link(path, saved)
            return saved
        except FileExistsError:
            if os.path.samefile(path, saved):
                return saved
            continue
        except OSError as err:  # a file system without hard links: copy, never overwrite
            if err.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK):
                raise
            _write(saved, read_regular(path), False, False, True)
            return saved
    raise OSError(errno.EEXIST, "no free backup name", str(path))


def _file_mode() -> int:
    """The mode a new file gets from open(2): 0666 less the umask (mkstemp would give 0600)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


STALE_TEMP_SECONDS = 15 * 60


def _sweep_temps(path: Path) -> None:
    """Remove temp files a killed write of `path` left behind: those named by a process that
    is gone, and any old enough that no live writer can still be using it."""
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    prefix = f".{path.name}."
    for name in names:
        if name.startswith(prefix) and name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                temp = path.parent / name
                writer = _writer_gone(name[len(prefix) :])
                if writer or time.time() - temp.lstat().st_mtime > STALE_TEMP_SECONDS:
                    temp.unlink()


def _writer_gone(tail: str) -> bool:
    """Whether the temp name's tail (`PID-RANDOM.tmp`, as `_write` names them) names a
    process that no longer runs; False when it names none or one that does."""
    pid, dash, _ = tail.partition("-")
    if not dash or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it runs, as another user
        return False
    return False


def _anonymous_file(folder: Path) -> int | None:
    """An fd on a new file in `folder` that has no name yet (Linux O_TMPFILE): a process
    killed before naming it leaves nothing behind. None where that is not supported."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as err:
        if err.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return None  # a file system without O_TMPFILE: named temp files instead
        raise


def _name_file(fd: int, target: Path) -> None:
    """Give the anonymous file `fd` the name `target` (fails if `target` exists)."""
    root = os.open("/", os.O_RDONLY)
    try:  # linkat with AT_SYMLINK_FOLLOW (os.link only uses it given a dir fd)
        os.link(f"/proc/self/fd/{fd}", target, src_dir_fd=root, follow_symlinks=True)
    finally:
        os.close(root)


def _write_all(fd: int, data: bytes | Iterable[bytes | memoryview], durable: bool) -> None:
    os.fchmod(fd, _file_mode())
    if isinstance(data, (bytes, bytearray, memoryview)):  # (a bytes-like object is one piece)
        _write_bytes(fd, data)
    else:  # pieces, gathered into writes of about a MiB (never all of them at once)
        pending = bytearray()
        for piece in data:
            if len(pending) + len(piece) >= 1 << 20:
                _write_bytes(fd, pending)
                pending.clear()
            if len(piece) >= 1 << 20:
                _write_bytes(fd, piece)
            else:
                pending += piece
        _write_bytes(fd, pending)
    if durable:
        os.fsync(fd)


def _write_bytes(fd: int, data: bytes | bytearray | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_atomic(
    path: Path,
    content: str | bytes | Iterable[bytes | memoryview],
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
    synthetic load-test corpora) turns it off. The new file's mode follows the umask. `content`
    may come in pieces (an iterable of bytes), written as they come, so that a large file
    (a cache) is never held whole; such content is always written, even when the file holds
    it already.

    Any failure (no space, no permission) raises WriteError and leaves `path` as it was, with
    no temp file and no new backup.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if overwrite and isinstance(data, bytes) and _holds(path, data):
        return None  # nothing to replace: no write, no new backup
    try:
        return _write(path, data, overwrite, backup, durable)
    except RecordExistsError:
        raise
    except OSError as err:
        raise WriteError(
            f"cannot write {path}: {err.strerror or err}; it was left as it was"
        ) from err


def _holds(path: Path, data: bytes) -> bool:
    """Whether `path` is a regular file with exactly these bytes."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        return read_regular(path, limit=len(data)) == data
    except (OSError, NotRegularFileError):
        return False


def _write(
    path: Path,
    data: bytes | Iterable[bytes | memoryview],
    overwrite: bool,
    backup: bool,
    durable: bool,
) -> Path | None:
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep_temps(path)
    fd = _anonymous_file(path.parent)
    if fd is None:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        tmp: Path | None = Path(tmp_name)
    else:
        tmp = None
    saved = None
    try:
        _write_all(fd, data, durable)
        if not overwrite:
            try:
                if tmp is None:
                    _name_file(fd, path)  # the check and the write: one atomic link
                else:
                    os.link(tmp, path)
            except FileExistsError:
                raise RecordExistsError(str(path)) from None
        else:
            if tmp is None:
                tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
                _name_file(fd, tmp)
            if backup and path.exists():
                saved = _keep_backup(path)
            os.replace(tmp, path)
        if durable:
            fsync_dir(path.parent)
    finally:
        os.close(fd)
        if tmp is not None and os.path.lexists(tmp):
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
    for folder, _, names in os.walk(path, topdown=False):  # deepest first
        prefix = os.path.relpath(folder, path)
        for name in names:
            if (name if prefix == "." else f"{prefix}/{name}") not in skip:
                fd = os.open(os.path.join(folder, name), os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        fsync_dir(Path(folder))
