"""BigBIO knowledge-base schema (bigbio_kb), one JSON document per line.

- BigBIO offsets index the string " ".join(passage texts). The record's passages are separated
  only by whitespace, so each offset moves by a fixed amount per passage and maps back exactly.
- entities: one per mention (BigBIO entities are mentions); type = entity label; normalized =
  the entity's kb links as {db_name, db_id}
- coreferences: one per entity cluster, listing its mentions' entity ids
- events: trigger and arguments {role, ref_id -> mention}; the time mention as role "time".
  Modality and event clusters have no BigBIO field and are left out.
- relations: arg1_id/arg2_id are the representative mentions of head and tail (the rule of
  interop.common.representative_mention); normalized is empty
- quotes and document labels have no BigBIO kb field and are left out
Every id is prefixed with the document id, so ids are unique across the whole file, as
BigBIO's checks require.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..fsutil import write_atomic
from ..model import Event, Record
from .common import ExportError, representative_mention

Shift = Callable[[int, int], list[int]]
"""A span's offsets in the record's text to its offsets in BigBIO's joined passages."""


def _shifter(record: Record) -> tuple[list[dict[str, Any]], Shift]:
    """BigBIO's passages of the record (JSON of its own), and the offset shift into them."""
    text = record["text"]
    passages: list[dict[str, Any]] = []
    shifts: list[tuple[int, int, int]] = []
    position = 0
    for passage in record["passages"]:
        body = text[passage["start"] : passage["end"]]
        passages.append(
            {
                "id": f"{record['id']}_{passage['id']}",
                "type": passage["type"],
                "text": [body],
                "offsets": [[position, position + len(body)]],
            }
        )
        shifts.append((passage["start"], passage["end"], position - passage["start"]))
        position += len(body) + 1

    def shift(start: int, end: int) -> list[int]:
        for p_start, p_end, delta in shifts:
            if p_start <= start and end <= p_end:
                return [start + delta, end + delta]
        raise ExportError(f"{record['id']}: span [{start}, {end}) crosses a passage")

    return passages, shift


def record_to_kb(record: Record) -> dict[str, Any]:
    """The record as one BigBIO kb document (JSON of BigBIO's schema, not a record)."""
    doc = record["id"]
    passages, shift = _shifter(record)
    kb = {e["id"]: e.get("kb", []) for e in record["entities"]}

    def ref(mention_id: str) -> str:
        return f"{doc}_{mention_id}"

    entities = [
        {
            "id": ref(m["id"]),
            "type": m["label"],
            "text": [m["text"]],
            "offsets": [shift(m["start"], m["end"])],
            "normalized": [
                {"db_name": link["db"], "db_id": link["id"]} for link in kb[m["entity"]]
            ],
        }
        for m in record["mentions"]
    ]
    coreferences = [
        {
            "id": f"{doc}_{e['id']}",
            "entity_ids": [ref(m["id"]) for m in record["mentions"] if m["entity"] == e["id"]],
        }
        for e in record["entities"]
    ]
    events = [_event(doc, event, shift) for event in record["events"]]
    relations = []
    for relation in record["relations"]:
        head = representative_mention(record, relation["head"], relation["evidence"])
        tail = representative_mention(record, relation["tail"], relation["evidence"])
        relations.append(
            {
                "id": f"{doc}_{relation['id']}",
                "type": relation["type"],
                "arg1_id": ref(head["id"]),
                "arg2_id": ref(tail["id"]),
                "normalized": [],
            }
        )
    return {
        "id": doc,
        "document_id": doc,
        "passages": passages,
        "entities": entities,
        "events": events,
        "coreferences": coreferences,
        "relations": relations,
    }


def _event(doc: str, event: Event, shift: Shift) -> dict[str, Any]:
    arguments = [{"role": a["role"], "ref_id": f"{doc}_{a['mention']}"} for a in event["arguments"]]
    if event["time"] is not None:
        arguments.append({"role": "time", "ref_id": f"{doc}_{event['time']}"})
    trigger = event["trigger"]
    return {
        "id": f"{doc}_{event['id']}",
        "type": event["type"],
        "trigger": {
            "text": [trigger["text"]],
            "offsets": [shift(trigger["start"], trigger["end"])],
        },
        "arguments": arguments,
    }


def export_records(records: list[Record], out: Path) -> list[Path]:
    if out.exists():
        raise ExportError(f"{out} exists; choose a new OUT file.")
    lines = [json.dumps(record_to_kb(r), ensure_ascii=False) + "\n" for r in records]
    write_atomic(out, "".join(lines).encode("utf-8"))
    return [out]
