"""What every import does last: ids matched by content where the export's cannot be trusted,
the canonical form, and the refusal of an export made from another version of the record.

An exported task carries a fingerprint of the record it was made from (`fingerprint`). An
import whose fingerprint is the record's may trust the export's ids (they are the record's);
any other import is matched to the record by content (ids.align_ids), and one that states a
different fingerprint is refused when it would change the record, with a finding that lists
each change (`newscorpus diff`'s words), unless --force.
"""

from __future__ import annotations

import hashlib

from ..canonical import canonicalize, is_unannotated
from ..curate.diff import diff_records
from ..findings import Finding, Findings
from ..jsonio import dumps
from ..model import Record
from .ids import align_ids

SHOWN_CHANGES = 12


def fingerprint(record: Record) -> str:
    """sha256 of the record's canonical bytes: any change of an item, an id or a field
    changes it; reordering a layer (`newscorpus fmt`) does not."""
    return "sha256:" + hashlib.sha256(dumps(canonicalize(record)).encode("utf-8")).hexdigest()


def changes(base: Record, record: Record) -> list[str]:
    """The annotation changes from `base` to `record`, matched by content, in words."""
    try:
        found = diff_records(base, record)
    except (KeyError, TypeError, ValueError, IndexError):  # a record the validator refuses
        return ["the record as a whole"]
    return [f"{c.layer} {c.kind} {c.text}" for c in found if c.layer != "annotation"]


def prepared(
    base: Record, record: Record, ids_trusted: bool, names_carried: bool = False
) -> Record:
    """The imported record in canonical form, with ids by content unless they are trusted.

    Ids are given in reading order only when the record imported over is still unannotated;
    otherwise ids are kept and new items take the next free number of their layer.
    """
    if not ids_trusted:
        record = align_ids(base, record, base_names=not names_carried)
    return canonicalize(record, renumber=is_unannotated(base))


def stale_refusal(
    base: Record, record: Record, stated: str | None, file: str, force: bool
) -> Finding | None:
    """A finding when the export was made from another version of `base` and importing it
    would change the record (without --force)."""
    if stated is None or force or stated == fingerprint(base):
        return None
    listed = changes(base, record)
    if not listed:
        return None
    shown = "; ".join(listed[:SHOWN_CHANGES])
    if len(listed) > SHOWN_CHANGES:
        shown += f"; and {len(listed) - SHOWN_CHANGES} more"
    return Findings(file, base["id"]).finding(
        "import-stale-export",
        "",
        f"the export was made from another version of {base['id']} (its fingerprint is not "
        f"the record's), so its ids were matched by content; importing it would change: "
        f"{shown}. Nothing was written.",
        "export the record again (`newscorpus export`) and redo the changes there, check them "
        "with --out DIR and `newscorpus diff`, or pass --force to apply them (a backup is kept)",
    )
