"""Label Studio JSON export: a list of tasks, each with data.text (and data.id, the record
id, when the tasks were made from records) and annotations[].result[] regions and relations.

Region offsets count UTF-16 code units and are converted exactly. The last annotation that
was not cancelled is imported. A region's labels hold one entity label and optionally NAM, NOM
or PRO. Label Studio has no coreference: see common.layers_from_regions for the entities.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..findings import Finding, pointer
from .common import (
    Imported,
    Link,
    RecordIndex,
    Region,
    check_region,
    layers_from_regions,
    split_label,
    with_layers,
)
from .utf16 import OffsetError, Utf16Offsets


def read_documents(path: Path, index: RecordIndex) -> Iterator[Imported]:
    file = str(path)
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        yield Imported(file, None, None, [Finding(
            "import-input-invalid", file, None, "", f"cannot read the export: {err}.",
            "give the JSON file that Label Studio's Export > JSON wrote")])
        return
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        yield Imported(file, None, None, [Finding(
            "import-input-invalid", file, None, "", "the export is not a list of tasks.",
            "use Label Studio's JSON export (not JSON-MIN or CSV)")])
        return
    for i, task in enumerate(tasks):
        yield _task(task, i, file, index)


def _task(task: Any, i: int, file: str, index: RecordIndex) -> Imported:
    where = pointer(i)
    data = task.get("data") if isinstance(task, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return Imported(file, None, None, [Finding(
            "import-input-invalid", file, None, where, "the task has no data.text.",
            "each task holds its document text in data.text")])
    text = data["text"]
    record = index.match([data.get("id"), data.get("doc_id")], text)
    if record is None:
        return Imported(file, None, None, [Finding(
            "import-document-unmatched", file, None, where + "/data",
            f"task {task.get('id')!r} (data.id {data.get('id')!r}) matches no record.",
            "add the article first (`newscorpus add`) and put its record id in data.id")])
    doc_id = record["id"]
    findings: list[Finding] = []
    if text != record["text"]:
        return Imported(file, doc_id, None, [Finding(
            "import-text-mismatch", file, doc_id, where + "/data/text",
            "the task's text differs from the record's text.",
            "create the tasks from the record's text, unchanged")])
    annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not annotations:
        return Imported(file, doc_id, None, [Finding(
            "import-no-annotations", file, doc_id, where + "/annotations",
            f"task {task.get('id')!r} for {doc_id} has no annotations.",
            "annotate and submit the task, or leave it out of the export")])
    chosen = len(task["annotations"]) - 1
    while task["annotations"][chosen].get("was_cancelled"):
        chosen -= 1
    if len(annotations) > 1:
        findings.append(Finding(
            "import-several-annotations", file, doc_id, where + "/annotations",
            f"{len(annotations)} annotations; annotation {chosen} (the last) is imported.",
            "keep one reviewed annotation per task"))
    units = Utf16Offsets(text)
    regions: list[Region] = []
    links: list[Link] = []
    base = f"{where}/annotations/{chosen}/result"
    for j, item in enumerate(task["annotations"][chosen].get("result") or []):
        at = f"{base}/{j}"
        if item.get("type") == "relation":
            labels = item.get("labels") or [None]
            links.append(Link(item.get("from_id"), item.get("to_id"), labels[0], at))
            continue
        value = item.get("value") or {}
        if "start" not in value or "end" not in value:
            findings.append(Finding("import-input-invalid", file, doc_id, at,
                                    f"result of type {item.get('type')!r} has no span.",
                                    "only labelled text spans and relations are imported"))
            continue
        labels = value.get("labels") or value.get("hypertextlabels") or []
        label, mention_type, unknown = split_label(labels)
        if unknown or label is None:
            findings.append(Finding("import-unknown-label", file, doc_id, at + "/value/labels",
                                    f"labels {labels!r} are not one entity label (plus "
                                    "optionally NAM, NOM or PRO).",
                                    "use the labels of schema/labels.json in the labelling "
                                    "config"))
            continue
        try:
            start, end = units.to_point(int(value["start"])), units.to_point(int(value["end"]))
        except (OffsetError, TypeError, ValueError) as err:
            findings.append(Finding("import-span-mismatch", file, doc_id, at + "/value",
                                    f"{err}.", "re-annotate the span in Label Studio"))
            continue
        problem = check_region(text, start, end, value.get("text"), file, doc_id, at + "/value")
        if problem is not None:
            findings.append(problem)
            continue
        regions.append(Region(item.get("id"), start, end, label, mention_type, at))
    layers, more = layers_from_regions(text, regions, links, file, doc_id)
    findings.extend(more)
    return Imported(file, doc_id, with_layers(record, layers), findings)
