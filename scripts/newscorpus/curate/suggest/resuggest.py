"""`newscorpus suggest ID`: refresh the suggestions of an existing draft.

Unconfirmed suggestions that nothing confirmed refers to are replaced by a fresh run (the
gazetteer may have grown, a model may be given); confirmed items are never changed, and new
items take ids after every id the record used. The record is replaced atomically; the
previous version is kept as a backup, as every command that replaces a record does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...canonical import canonicalize, is_unannotated
from ...errors import RecordNotFoundError
from ...fsutil import write_atomic
from ...jsonio import dumps
from ...model import Record
from ...paths import RECORDS_DIR
from .base import SuggestError
from .gazetteer import load_inventory
from .model import model_candidates
from .run import SuggestionCounts, suggest_record


@dataclass
class Resuggested:
    path: Path
    record: Record
    counts: SuggestionCounts
    backup: Path | None


def suggest_draft(
    record: Record, root: Path, model: str | None = None
) -> tuple[Record, SuggestionCounts]:
    """`record` with suggestions from the gazetteer of the other records under `root` and,
    when given, the spaCy pipeline `model`."""
    inventory = load_inventory(root / RECORDS_DIR, exclude=record["id"])
    extra = model_candidates(record, model) if model else []
    result, counts = suggest_record(record, inventory, extra)
    # Laid out like every other writer's records; a draft that holds nothing confirmed yet is
    # numbered in reading order, one with confirmed items keeps every id it has.
    return canonicalize(result, renumber=is_unannotated(record)), counts


def resuggest(root: Path, doc_id: str, model: str | None = None) -> Resuggested:
    """Suggest into the draft record `doc_id` under `root` and write it back.

    Raises RecordNotFoundError when there is no such record, SuggestError when it cannot be
    read, is not sound, or is gold (a gold record holds no suggestions).
    """
    from ..evaluate import sound_record

    path = root / RECORDS_DIR / f"{doc_id}.json"
    if not path.is_file():
        raise RecordNotFoundError(
            f"{RECORDS_DIR / path.name} does not exist; give the id of a record in "
            f"{RECORDS_DIR}/ (newscorpus add SEED makes one)"
        )
    record = sound_record(path, root, SuggestError)
    if record["annotation"]["status"] == "gold":
        raise SuggestError(
            f"{RECORDS_DIR / path.name}: /annotation/status is gold, and a gold record holds no "
            'suggestions; set it to "draft" first if the record is to be reworked'
        )
    result, counts = suggest_draft(record, root, model)
    backup = write_atomic(path, dumps(result), overwrite=True)
    return Resuggested(path, result, counts, backup)
