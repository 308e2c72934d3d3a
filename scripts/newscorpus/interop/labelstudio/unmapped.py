"""What a Label Studio export holds that the importer does not map, and what JSON_MIN drops.

Nothing in an export is dropped without a word: a key the importer does not read, a region
note or an unsubmitted draft is a warning with its JSON pointer. Label Studio's JSON_MIN export
keeps each region's span and label but flattens per-region choices and texts into a list with
no offsets and leaves links out, so a region the record does not have yet cannot get its mention
type, entity, modality, cluster or links from it: that is an error that names what is missing,
and per-region values that differ from the record's are one too.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ...findings import Finding
from ...model import Record
from .config import (
    COUNTRIES_TAG,
    CUE,
    ENTITY_KEY,
    ENTITY_NAME,
    EVENT,
    EVENT_CLUSTER,
    MENTION,
    MENTION_TYPE,
    MODALITY,
    PER_REGION,
    QUOTE,
    SPAN_TAGS,
    SPEAKER_KEY,
    TOPICS_TAG,
)
from .reader import SpanRegion, min_values
from .tasks import named_mentions

# Keys the importer reads, or bookkeeping of Label Studio 1.23 that carries no annotation.
DATA_KEYS = frozenset({"id", "doc_id", "text", "fingerprint"})
TASK_KEYS = frozenset(
    {
        "id", "data", "annotations", "predictions", "meta", "created_at", "updated_at",
        "inner_id", "total_annotations", "cancelled_annotations", "total_predictions",
        "comment_count", "unresolved_comment_count", "last_comment_updated_at", "project",
        "updated_by", "file_upload", "comment_authors", "drafts", "is_labeled", "overlap",
        "allow_skip",
    }
)  # fmt: skip
ANNOTATION_KEYS = frozenset(
    {
        "id", "completed_by", "result", "was_cancelled", "ground_truth", "created_at",
        "updated_at", "draft_created_at", "lead_time", "prediction", "result_count",
        "unique_id", "import_id", "last_action", "bulk_created", "task", "project",
        "updated_by", "parent_prediction", "parent_annotation", "last_created_by", "history",
    }
)  # fmt: skip
RESULT_KEYS = frozenset(
    {
        "id", "type", "value", "origin", "to_name", "from_name", "parentID", "readonly",
        "hidden", "score", "from_id", "to_id", "direction", "labels",
    }
)  # fmt: skip
MIN_KEYS = frozenset(
    {"annotator", "annotation_id", "created_at", "updated_at", "lead_time", "agreement"}
    | DATA_KEYS
    | set(SPAN_TAGS)
    | set(PER_REGION)
    | {TOPICS_TAG, COUNTRIES_TAG}
)
_HINT = "use the labeling config and tasks that `newscorpus export labelstudio` wrote"


def unknown_keys(
    obj: dict[str, Any], known: frozenset[str], where: str, what: str, check: Any
) -> list[Finding]:
    """A warning for each key of `obj` that is not in `known` (its value is not imported)."""
    return [
        check.finding(
            "import-unmapped",
            f"{where}/{key}",
            f"the {what} key {key!r} is not imported: the importer does not map it.",
            _HINT,
        )
        for key in obj
        if key not in known
    ]


def result_notes(item: dict[str, Any], at: str, check: Any) -> list[Finding]:
    """Warnings for a result item's unknown keys and its region note (`meta.text`)."""
    found = unknown_keys(item, RESULT_KEYS | {"meta"}, at, "result", check)
    meta = item.get("meta")
    if isinstance(meta, dict) and meta.get("text"):
        found.append(
            check.finding(
                "import-unmapped",
                at + "/meta/text",
                f"the region note {str(meta.get('text'))[:60]!r} is not imported: a record has "
                "no place for notes on one region.",
                "put the note in the record's annotation.notes, with the rule behind it",
            )
        )
    return found


def drafts(task: dict[str, Any], where: str, check: Any) -> list[Finding]:
    items = task.get("drafts")
    if not isinstance(items, list) or not items:
        return []
    return [
        check.finding(
            "import-unmapped",
            where + "/drafts",
            f"{len(items)} draft(s) saved but not submitted are not imported.",
            "open the task in Label Studio, Submit (or Update) it, then export again",
        )
    ]


def _base_values(record: Record, regions: list[SpanRegion]) -> dict[str, Counter[str]]:
    """The per-region values the record gives the JSON_MIN regions it already has."""
    mentions = {(m["start"], m["end"]): m for m in record["mentions"]}
    events = {(e["trigger"]["start"], e["trigger"]["end"]): e for e in record["events"]}
    entity_of = {m["id"]: m["entity"] for m in record["mentions"]}
    quotes = {
        (q["content"][0]["start"], q["content"][0]["end"]): q["speaker"]
        for q in record["quotes"]
        if q["speaker"] is not None
        and (q["source"] is None or entity_of.get(q["source"]) != q["speaker"])
    }
    names = named_mentions(record)
    values: dict[str, Counter[str]] = {n: Counter() for n in PER_REGION}
    for region in regions:
        place = (region.start, region.end)
        if region.tag == MENTION and place in mentions:
            values[MENTION_TYPE][mentions[place]["mention_type"]] += 1
            values[ENTITY_KEY][mentions[place]["entity"]] += 1
            if mentions[place]["id"] in names:
                values[ENTITY_NAME][names[mentions[place]["id"]]] += 1
        elif region.tag == EVENT and place in events:
            values[MODALITY][events[place]["modality"]] += 1
            values[EVENT_CLUSTER][events[place]["cluster"]] += 1
        elif region.tag == QUOTE and place in quotes:
            values[SPEAKER_KEY][quotes[place]] += 1
    return values


def _new_regions(record: Record, regions: list[SpanRegion]) -> Counter[str]:
    known = {
        MENTION: {(m["start"], m["end"]) for m in record["mentions"]},
        EVENT: {(e["trigger"]["start"], e["trigger"]["end"]) for e in record["events"]},
        QUOTE: {(c["start"], c["end"]) for q in record["quotes"] for c in q["content"]},
        CUE: {(q["cue"]["start"], q["cue"]["end"]) for q in record["quotes"] if q["cue"]},
    }
    return Counter(r.tag for r in regions if (r.start, r.end) not in known[r.tag])


_LOST = {
    MENTION: "mention(s), without their mention_type, entity and relations",
    EVENT: "event(s), without their modality, event_cluster, arguments and time",
    QUOTE: "quote part(s), without their cue, source, continues links and speaker",
    CUE: "cue(s), without the quote they belong to",
}


def json_min_gaps(
    row: dict[str, Any], regions: list[SpanRegion], record: Record, where: str, check: Any
) -> list[Finding]:
    """Errors for what a JSON_MIN row cannot carry over `record`."""
    found = []
    new = _new_regions(record, regions)
    if new:
        listed = ", ".join(f"{n} new {_LOST[tag]}" for tag, n in sorted(new.items()))
        found.append(
            check.finding(
                "import-json-min-incomplete",
                where,
                f"JSON_MIN keeps spans and labels only: it has {listed}. JSON_MIN flattens "
                "per-region choices and texts into lists without offsets and leaves out "
                "relations, so these regions cannot be imported from it.",
                "export the project with Label Studio's JSON export, which carries every layer",
            )
        )
    expected = _base_values(record, regions)
    for name in sorted(PER_REGION):
        if name not in row:
            continue
        got = Counter(min_values(row[name]))
        if got != expected[name]:
            found.append(
                check.finding(
                    "import-json-min-incomplete",
                    f"{where}/{name}",
                    f"the {name} values {dict(sorted(got.items()))} differ from the record's "
                    f"{dict(sorted(expected[name].items()))}, and JSON_MIN does not say which "
                    "region each belongs to.",
                    "export the project with Label Studio's JSON export, which carries every layer",
                )
            )
    return found
