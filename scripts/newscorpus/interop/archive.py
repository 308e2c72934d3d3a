"""Reading doccano's export zip within stated bounds, and the lines of a JSONL export.

A zip is read member by member, each streamed with a bound: at most MAX_MEMBERS entries and
MAX_ARCHIVE_BYTES of JSONL uncompressed in all, whatever the headers claim, so a small zip
that inflates to gigabytes stops at the bound with a finding that names it. An encrypted
member, a compression method Python cannot read, corrupt deflate data and a bad checksum are
findings; so are two members that would be one annotator's (`ann.jsonl`, `sub/ann.jsonl`).
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from pathlib import PurePosixPath

from ..errors import NewscorpusError
from ..findings import Finding, Findings

MAX_MEMBERS = 1000
MAX_ARCHIVE_BYTES = 64 << 20
MAX_BAD_LINES = 100  # a file with more lines that are not documents is not read further
_CHUNK = 1 << 20
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


class ArchiveProblem(NewscorpusError):
    """Why the zip cannot be imported: a finding's code, message and hint."""

    def __init__(self, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


def zip_members(data: bytes, file: str, what: str) -> tuple[dict[str, bytes], Finding | None]:
    """user name -> bytes of that user's JSONL, from doccano's export zip; or a finding."""
    try:
        members = _members(data, what)
    except ArchiveProblem as problem:
        return {}, Findings(file).finding(problem.code, "", problem.message, problem.hint)
    except _UNREADABLE as err:
        message = f"cannot read the zip: {err}."
        return {}, Findings(file).finding("import-input-invalid", "", message, f"give {what}")
    if not members:
        message = "the zip holds no .jsonl file."
        return {}, Findings(file).finding("import-input-invalid", "", message, f"give {what}")
    return members, None


def _members(data: bytes, what: str) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ArchiveProblem(
                "import-limit",
                f"the zip has {len(infos)} members, more than the limit of {MAX_MEMBERS}.",
                f"give {what}: one .jsonl per user",
            )
        members: dict[str, bytes] = {}
        names: dict[str, str] = {}
        total = 0
        for info in infos:
            if info.is_dir() or not info.filename.endswith(".jsonl"):
                continue
            user = PurePosixPath(info.filename).stem
            if user in names:
                raise ArchiveProblem(
                    "import-input-invalid",
                    f"two members, {names[user]} and {info.filename}, are both the "
                    f"annotations of {user!r}; neither is imported.",
                    "keep one .jsonl per user in the zip (doccano writes them side by side)",
                )
            names[user] = info.filename
            if info.flag_bits & 0x1:
                raise ArchiveProblem(
                    "import-input-invalid",
                    f"the member {info.filename} is encrypted.",
                    "export the dataset from doccano again, without a password",
                )
            members[user] = _read_member(archive, info, MAX_ARCHIVE_BYTES - total)
            total += len(members[user])
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, room: int) -> bytes:
    """The member's bytes, streamed; more than `room` is the total's limit."""
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(min(_CHUNK, room - size + 1)):
            chunks.append(chunk)
            size += len(chunk)
            if size > room:
                raise ArchiveProblem(
                    "import-limit",
                    f"the .jsonl members inflate to more than the limit of "
                    f"{MAX_ARCHIVE_BYTES >> 20} MiB in all (reached in {info.filename}); "
                    "nothing was imported.",
                    "import the export in parts, a zip of a few users at a time",
                )
    return b"".join(chunks)
