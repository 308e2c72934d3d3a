"""Adding a raw article to the corpus as a draft record.

The policy lives here, for the CLI and for Python alike: a seed outside seeds/ is copied there
byte for byte (under a name the schema accepts) and never replaces another seed; an existing
record is replaced only with `force`, and then kept as a backup. Everything that can be
checked is checked before anything is written; a write that still fails (a full disk, a
read-only folder) removes the seed this call copied, so a retry starts from where it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import RecordExistsError
from ..fsutil import write_atomic
from ..ingest import check_id, derive_id, draft_record
from ..jsonio import dumps
from ..model import Record
from ..paths import RECORDS_DIR
from .language import infer_language
from .seeds import keep_seed, read_seed, seed_name_for
from .suggest import SuggestionCounts


@dataclass
class Added:
    """The record written, where the record it replaced was kept, and what was suggested."""

    path: Path
    record: Record
    backup: Path | None = None
    suggested: SuggestionCounts | None = None


def add_seed(
    root: Path,
    seed: Path,
    doc_id: str | None = None,
    *,
    suggest: bool = False,
    force: bool = False,
    model: str | None = None,
) -> Added:
    """Ingest the article `seed` as the draft record `doc_id` (derived from the seed's name
    when not given) under `root`, its language inferred from the text (null when the text is
    too short or mixed), with suggestions for every layer when `suggest` (named
    mentions from the spaCy pipeline `model` too, when given).

    Raises IngestError for a bad id or seed, RecordExistsError when the record exists (or one
    whose id differs only in case) and `force` is not given, WriteError when the files cannot
    be written; nothing is changed then.
    """
    doc_id = check_id(doc_id) if doc_id is not None else derive_id(seed)
    seeds_dir = root / "seeds"
    name = seed_name_for(seeds_dir, seed)
    data = read_seed(seed)
    record = draft_record(data, f"seeds/{name}", doc_id)
    # Guideline 10: the language is read off the text, marked inferred, with its evidence.
    record["source"]["language"] = infer_language(record["text"])
    suggested = None
    if suggest:
        from .suggest.resuggest import suggest_draft

        record, suggested = suggest_draft(record, root, model)
    target = root / RECORDS_DIR / f"{doc_id}.json"
    _check_free(target, force)
    created = keep_seed(seeds_dir, name, data, record["source"]["seed_sha256"])
    try:
        backup = write_atomic(target, dumps(record), overwrite=force)
    except RecordExistsError:  # created since the check above
        _undo_seed(seeds_dir / name, created)
        raise _exists(target.name) from None
    except BaseException:
        _undo_seed(seeds_dir / name, created)
        raise
    return Added(target, record, backup, suggested)


def _check_free(target: Path, force: bool) -> None:
    """Refuse a record that exists (without `force`) or whose name differs from an existing
    one only in case: on macOS and Windows both would be one file."""
    if target.exists() and not force:
        raise _exists(target.name)
    try:
        names = os.listdir(target.parent)
    except OSError:
        return  # no records folder yet (or unreadable: the write will say so)
    folded = target.name.casefold()
    for name in names:
        if name != target.name and name.casefold() == folded:
            raise RecordExistsError(
                f"{RECORDS_DIR / name} differs from {target.name} only in case, which is one "
                "file on macOS and Windows; nothing was changed. Choose another --id."
            )


def _undo_seed(path: Path, created: bool) -> None:
    if created:
        path.unlink(missing_ok=True)


def _exists(name: str) -> RecordExistsError:
    return RecordExistsError(
        f"{RECORDS_DIR / name} already exists; nothing was changed. "
        "Choose another --id, or give --force to replace it (a backup is kept)."
    )
