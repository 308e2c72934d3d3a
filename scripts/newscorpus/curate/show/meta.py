"""What `newscorpus show` says about a record beside its text: every field a reviewer checks
before setting a record to gold (guidelines 10, 11 and 13), the same in the terminal and in
HTML, so that nobody has to open the JSON to review it."""

from __future__ import annotations

from typing import Literal

from ...model import LAYERS, Meta, Record

# The source fields shown, in this order, with their labels.
SourceField = Literal["publisher", "url", "published_date", "dateline", "language"]
SOURCE_FIELDS: tuple[tuple[SourceField, str], ...] = (
    ("publisher", "publisher"),
    ("url", "url"),
    ("published_date", "published"),
    ("dateline", "dateline"),
    ("language", "language"),
)
SHOWN_SUGGESTIONS = 12  # ids listed before "and N more"


def source_value(value: Meta | None) -> str:
    """A metadata value as a reviewer reads it: unknown, as given, or inferred with the
    evidence it was inferred from (guideline 10)."""
    if value is None:
        return "unknown"
    evidence = value.get("evidence")
    if value.get("inferred"):
        return f"{value['value']} (inferred: {evidence or 'no evidence given'})"
    return value["value"] + (f" (as written: {evidence})" if evidence else "")


def suggested_ids(record: Record) -> list[str]:
    """Ids of the items still marked suggested (unconfirmed), in record order."""
    return [
        item["id"]
        for layer in LAYERS
        for item in record.get(layer, [])
        if isinstance(item, dict) and item.get("suggested")
    ]


def _suggestions(record: Record) -> str:
    ids = suggested_ids(record)
    if not ids:
        return "none"
    shown = ", ".join(ids[:SHOWN_SUGGESTIONS])
    more = f" and {len(ids) - SHOWN_SUGGESTIONS} more" if len(ids) > SHOWN_SUGGESTIONS else ""
    return f"{len(ids)} unconfirmed: {shown}{more} (confirm or delete each before gold)"


def summary(record: Record) -> list[tuple[str, str]]:
    """(field, value) rows: status, annotation block, provenance, source metadata, document
    labels, layer counts and the unconfirmed suggestions."""
    source, annotation, labels = record["source"], record["annotation"], record["labels"]
    counts = ", ".join(f"{len(record[layer])} {layer}" for layer in LAYERS)
    rows = [
        ("status", f"{annotation['status']} (split {record['split']})"),
        ("guidelines", annotation["guidelines_version"] or "unstated"),
        ("annotators", ", ".join(annotation["annotators"]) or "-"),
        ("notes", annotation["notes"] or "-"),
        ("seed", f"{source['seed_path']} (sha256 {source['seed_sha256'][:12]}...)"),
    ]
    rows += [(label, source_value(source.get(key))) for key, label in SOURCE_FIELDS]
    rows += [
        ("topics", ", ".join(labels["topics"]) or "-"),
        ("countries", ", ".join(labels["countries"]) or "-"),
        ("layers", counts),
        ("suggested", _suggestions(record)),
    ]
    return rows
