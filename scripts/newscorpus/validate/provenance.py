"""Level 5, provenance: the seed exists, is unchanged, and ingesting it gives the record's
text."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import IngestError
from ..findings import Findings
from ..fsutil import MAX_SEED_BYTES, NotRegularFileError, read_regular
from ..ingest import ingest_text
from ..model import Record
from ..tokens import first_difference

# --- level 5: provenance --------------------------------------------------------------------


def check_provenance(record: Record, out: Findings, root: Path) -> str | None:
    """Check the record against its seed, read once. The sha256 of the bytes read comes back
    (None when the seed could not be read), so that the caller keeps the verdict for exactly
    the bytes it judged without reading the seed again."""
    seed_rel = record["source"]["seed_path"]
    seed = root / seed_rel
    try:
        data = read_regular(seed, limit=MAX_SEED_BYTES, follow_symlinks=False)
    except NotRegularFileError as err:
        out.add(
            "file-not-regular",
            "/source/seed_path",
            f"the seed {seed_rel} is {err.strerror}; it was not read.",
            "seeds are regular files: put the raw article itself in seeds/",
        )
        return None
    except FileNotFoundError:
        out.add(
            "seed-missing",
            "/source/seed_path",
            f"the seed {seed_rel} does not exist under {root}.",
            "restore the raw article in seeds/ (seeds are never deleted)",
        )
        return None
    except OSError as err:
        out.add(
            "file-unreadable",
            "/source/seed_path",
            f"cannot read the seed {seed_rel}: {err.strerror}.",
            "check the seed's permissions (and that it is an article, at most 64 MB)",
        )
        return None
    digest = hashlib.sha256(data).hexdigest()
    if digest != record["source"]["seed_sha256"]:
        out.add(
            "seed-sha256-mismatch",
            "/source/seed_sha256",
            f"{seed_rel} has sha256 "
            f"{digest[:12]}..., the record says {record['source']['seed_sha256'][:12]}....",
            "seeds are never edited: restore the original, or add the new version with "
            "`newscorpus reanchor`",
        )
        return digest
    try:
        expected = ingest_text(data, seed_rel).text
    except IngestError as err:
        out.add(
            "text-seed-mismatch",
            "/text",
            f"the seed cannot be ingested: {err}",
            "restore the original seed",
        )
        return digest
    text = record["text"]
    at = first_difference(text, expected)
    if at is not None:
        out.add(
            "text-seed-mismatch",
            "/text",
            f"the text differs from the ingested seed at "
            f"offset {at}: {text[at : at + 30]!r} vs {expected[at : at + 30]!r}.",
            "the text is derived from the seed: undo the edit (annotations never change the text)",
        )
    return digest
