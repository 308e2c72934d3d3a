"""Adding a raw article to the corpus as a draft record.

The policy lives here, for the CLI and for Python alike: a seed outside seeds/ is copied there
byte for byte and never replaces another seed; an existing record is replaced only with
`force`, and then kept as a backup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import RecordExistsError
from ..fsutil import write_atomic
from ..ingest import check_id, derive_id, draft_record
from ..jsonio import dumps
from ..records import RECORDS_DIR
from .seeds import keep_seed
from .suggest import SuggestionCounts, load_inventory, suggest_mentions


@dataclass
class Added:
    """The record written, where the record it replaced was kept, and what was suggested."""

    path: Path
    record: dict[str, Any]
    backup: Path | None = None
    suggested: SuggestionCounts | None = None


def add_seed(
    root: Path, seed: Path, doc_id: str | None = None, *, suggest: bool = False, force: bool = False
) -> Added:
    """Ingest the article `seed` as the draft record `doc_id` (derived from the seed's name
    when not given) under `root`, with suggested mentions when `suggest`.

    Raises IngestError for a bad id or seed, RecordExistsError when the record exists and
    `force` is not given; nothing is changed then.
    """
    doc_id = check_id(doc_id) if doc_id is not None else derive_id(seed)
    record = draft_record(seed.read_bytes(), f"seeds/{seed.name}", doc_id)
    suggested = None
    if suggest:
        inventory = load_inventory(root / RECORDS_DIR, exclude=doc_id)
        record, suggested = suggest_mentions(record, inventory)
    target = root / RECORDS_DIR / f"{doc_id}.json"
    if target.exists() and not force:
        raise _exists(doc_id)
    keep_seed(root / "seeds", seed, record["source"]["seed_sha256"])
    try:
        backup = write_atomic(target, dumps(record), overwrite=force)
    except RecordExistsError:  # created since the check above
        raise _exists(doc_id) from None
    return Added(target, record, backup, suggested)


def _exists(doc_id: str) -> RecordExistsError:
    return RecordExistsError(
        f"{RECORDS_DIR / (doc_id + '.json')} already exists; nothing was changed. "
        "Choose another --id, or give --force to replace it (a backup is kept)."
    )
