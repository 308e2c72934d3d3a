"""One record's counts, per layer and label (`newscorpus stats ID...`): the same numbers as
the corpus's stats, for the records a curator names, whatever their status."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InvalidCorpusError, RecordNotFoundError
from ..ingest import DOC_ID_PATTERN
from ..jsonio import read_record
from ..model import Record
from ..paths import RECORDS_DIR, shown_path
from ..validate import validate_paths
from .stats import BREAKDOWNS, LAYERS, Stats

# Counts that say nothing about a single record (it is one article, in one split).
_CORPUS_ONLY = ("articles", "splits", "articles_by_annotator", "articles_by_guidelines_version")


def record_counts(record: Record) -> dict[str, Any]:
    """The record's split and status, its counts per layer, then per label of each layer."""
    stats = Stats()
    stats.add(record)
    counts = {k: v for k, v in stats.to_dict().items() if k not in _CORPUS_ONLY}
    suggested = sum(bool(m.get("suggested")) for m in record["mentions"])
    return {
        "split": record["split"],
        "status": record["annotation"]["status"],
        **counts,
        "suggested_mentions": suggested,
        "topics": list(record["labels"]["topics"]),
        "countries": list(record["labels"]["countries"]),
    }


def count_records(root: Path, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The counts of each named record, by id, in the order given (each id once).

    Raises RecordNotFoundError for an id with no record, InvalidCorpusError when a named record
    has validation errors (its counts would not be those a build publishes).
    """
    ids = list(dict.fromkeys(ids))
    paths = []
    for doc_id in ids:
        path = root / RECORDS_DIR / f"{doc_id}.json"
        if not DOC_ID_PATTERN.match(doc_id) or not path.is_file():
            raise RecordNotFoundError(
                f"no record {doc_id!r}: {RECORDS_DIR / (doc_id + '.json')} does not exist under "
                f"{root}; give the id of a file in {RECORDS_DIR} (without .json)"
            )
        paths.append(path)
    report = validate_paths(root, paths, use_cache=True)
    if not report.valid:
        raise InvalidCorpusError(report)
    out = {}
    for doc_id, path in zip(ids, paths, strict=True):
        record, _ = read_record(path, shown_path(path, root))
        assert record is not None  # it validated
        out[doc_id] = record_counts(record)
    return out


def render_record_counts(counts: dict[str, dict[str, Any]]) -> str:
    """Each record's counts as a Markdown table and one line per label breakdown."""
    blocks = []
    for doc_id, record in counts.items():
        lines = [
            f"{doc_id} ({record['status']}, split {record['split']})",
            "",
            "| layer | count |",
            "|---|---:|",
        ]
        lines += [f"| {layer} | {record[layer]} |" for layer in LAYERS if layer != "articles"]
        lines.append("")
        for key, title in BREAKDOWNS:
            found = record[key]
            shown = ", ".join(f"{name} {n}" for name, n in found.items()) if found else "none"
            lines.append(f"{title}: {shown}.")
        lines.append(f"Unconfirmed (suggested) mentions: {record['suggested_mentions']}.")
        lines.append(f"Topics: {', '.join(record['topics']) or 'none'}.")
        lines.append(f"Countries: {', '.join(record['countries']) or 'none'}.")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
