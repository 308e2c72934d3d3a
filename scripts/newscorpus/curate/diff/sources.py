"""The two sides of a diff: the records of a git revision, of a folder, or of the working tree.

A side is listed first (record id -> where its bytes are) and read only where needed: two
git blobs with the same object id are the same record and are never read.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ...errors import DiffError
from ...findings import Findings
from ...jsonio import parse_record, read_record
from ...model import Record
from ...paths import RECORDS_DIR, records_in
from ...validate.schema import check_schema


@dataclass(frozen=True)
class Entry:
    shown: str  # how messages name it: "HEAD:corpus/records/x.json", "corpus/records/x.json"
    path: Path | None = None  # a file (folder or working tree)
    blob: str | None = None  # a git object id


@dataclass
class Side:
    label: str
    entries: dict[str, Entry]
    root: Path | None = None  # the repository a side of blobs is read from


def load_side(root: Path, spec: str | None) -> Side:
    """The working tree under `root` (spec None), a folder, or a git revision."""
    if spec is None:
        folder = root / RECORDS_DIR
        if not folder.is_dir():
            raise DiffError(f"no {RECORDS_DIR} folder under {root}; is --root the corpus root?")
        return Side("working tree", _folder_entries(folder, RECORDS_DIR.as_posix()))
    path = Path(spec)
    if path.is_dir():
        return _folder_side(path)
    return load_revision(root, spec)


def _folder_side(path: Path) -> Side:
    """A corpus root (holding corpus/records) or a folder of record files."""
    folder = path / RECORDS_DIR if (path / RECORDS_DIR).is_dir() else path
    entries = _folder_entries(folder, folder.as_posix())
    if not entries and folder == path:
        raise DiffError(
            f"{path} holds no records: give a corpus root (with {RECORDS_DIR}/) or a folder "
            "of record files (*.json)"
        )
    return Side(f"folder {path}", entries)


def _folder_entries(folder: Path, shown: str) -> dict[str, Entry]:
    return {
        file.name.removesuffix(".json"): Entry(f"{shown}/{file.name}", path=file)
        for file in records_in(folder)
    }


def run_git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in `root`; its own last line of error becomes a DiffError."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise DiffError("git is not installed: compare two folders instead") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def load_revision(root: Path, revision: str) -> Side:
    """The records of a git revision of the repository at `root` (never a folder)."""
    try:
        run_git(root, "rev-parse", "--git-dir")
    except DiffError:
        raise DiffError(
            f"{revision!r} is not a folder, and {root} is not in a git repository, so it "
            "cannot be a revision either; give two folders, or run inside the repository"
        ) from None
    try:
        commit = run_git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except DiffError:
        raise DiffError(
            f"unknown revision {revision!r}: it is neither a folder nor a commit of the "
            f"repository at {root} (try a branch, a tag, HEAD~1 or a commit id)"
        ) from None
    short = commit.decode().strip()[:7]
    listing = run_git(root, "ls-tree", "-z", commit.decode().strip(), "--", f"{RECORDS_DIR}/")
    entries = {}
    for line in listing.decode("utf-8", "surrogateescape").split("\0"):
        if not line:
            continue
        meta, name = line.split("\t", 1)
        _mode, kind, blob = meta.split()
        file = name.rsplit("/", 1)[-1]
        if kind == "blob" and file.endswith(".json"):
            entries[file.removesuffix(".json")] = Entry(f"{revision}:{name}", blob=blob)
    if not entries and not run_git(
        root, "ls-tree", commit.decode().strip(), "--", str(RECORDS_DIR)
    ):
        raise DiffError(f"revision {revision} ({short}) has no {RECORDS_DIR} folder")
    label = revision if revision.startswith(short) else f"{revision} ({short})"
    return Side(label, entries, root)


def _blobs(side: Side, ids: list[str]) -> dict[str, bytes]:
    """The bytes of the given records of a revision, read in one `git cat-file` call."""
    wanted = [side.entries[i].blob for i in ids if side.entries[i].blob]
    if not wanted or side.root is None:
        return {}
    out = run_git(
        side.root, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in wanted).encode()
    )
    blobs, at = {}, 0
    for blob in wanted:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        blobs[blob] = out[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1
    return {i: blobs[side.entries[i].blob] for i in ids if side.entries[i].blob in blobs}


def read_pair(
    old: Side, new: Side, ids: list[str]
) -> Iterator[tuple[str, Record | None, Record | None]]:
    """(id, old record or None, new record or None) for every id that may differ."""
    maybe = [
        i
        for i in ids
        if not (
            i in old.entries
            and i in new.entries
            and old.entries[i].blob is not None
            and old.entries[i].blob == new.entries[i].blob
        )
    ]
    old_bytes = _blobs(old, [i for i in maybe if i in old.entries])
    new_bytes = _blobs(new, [i for i in maybe if i in new.entries])
    for doc_id in maybe:
        before_bytes = old_bytes.get(doc_id) or _file_bytes(old.entries.get(doc_id))
        after_bytes = new_bytes.get(doc_id) or _file_bytes(new.entries.get(doc_id))
        if before_bytes is not None and before_bytes == after_bytes:
            continue  # the same record: nothing to parse
        before = _read(old.entries.get(doc_id), old_bytes.get(doc_id))
        after = _read(new.entries.get(doc_id), new_bytes.get(doc_id))
        if before != after:
            yield doc_id, before, after


def _file_bytes(entry: Entry | None) -> bytes | None:
    """The bytes of a regular record file, to skip one that did not change; None when the
    entry is not one (read_record then says what it is)."""
    if entry is None or entry.path is None or not entry.path.is_file():
        return None
    try:
        return entry.path.read_bytes()
    except OSError:
        return None


def _read(entry: Entry | None, data: bytes | None) -> Record | None:
    """A record that the diff can rely on: strict JSON that the schema accepts."""
    if entry is None:
        return None
    if entry.path is not None:
        record, problems = read_record(entry.path, entry.shown)
    else:
        record, problems = parse_record(data or b"", entry.shown)
    if record is not None and not problems:
        out = Findings(entry.shown, record.get("id") if isinstance(record, dict) else None)
        check_schema(record, out)
        problems = out
    if record is None or problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        detail = problems[0].format() if problems else "it cannot be read"
        raise DiffError(f"{entry.shown} cannot be compared: {detail}{more}")
    return record
