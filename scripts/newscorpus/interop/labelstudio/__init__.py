"""Label Studio: a labeling config and tasks for every layer, and imports of its exports.

`export labelstudio OUT` writes OUT/labeling-config.xml (config.py) and OUT/tasks.json, one
task per record with the record's annotations as predictions (tasks.py). `import labelstudio`
reads Label Studio's JSON export (every layer) or JSON_MIN export (spans and document labels
only: it has no region ids, links or per-region values, so those come from the record being
corrected), one record per chosen annotation (reader.py, layers.py).

Verified with Label Studio 1.23.2, its server and its web UI: region offsets count code points.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...findings import Finding, Findings, pointer
from ...fsutil import write_atomic
from ...model import LAYERS, Layers, Record
from ..annotators import annotator_id, email_refusal
from ..common import ExportError, Imported, ImportOptions, RecordIndex, read_export_json, refused
from ..finish import fingerprint
from .config import labeling_config
from .layers import annotation_layers
from .reader import Annotation, annotator_name, checker, min_annotation, read_result
from .stale import restate
from .tasks import record_task
from .unmapped import (
    ANNOTATION_KEYS,
    DATA_KEYS,
    MIN_KEYS,
    TASK_KEYS,
    drafts,
    json_min_gaps,
    result_notes,
    unknown_keys,
)

__all__ = ["export_records", "labeling_config", "read_documents", "record_task"]


def export_records(records: list[Record], out: Path) -> list[Path]:
    """OUT/labeling-config.xml and OUT/tasks.json (the records as tasks with predictions)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out} exists and is not an empty folder; choose a new OUT folder.")
    tasks = [record_task(record) for record in records]
    written = [out / "labeling-config.xml", out / "tasks.json"]
    write_atomic(written[0], labeling_config())
    write_atomic(written[1], json.dumps(tasks, indent=1, ensure_ascii=False) + "\n")
    return written


def read_documents(
    path: Path, index: RecordIndex, options: ImportOptions | None = None
) -> Iterator[Imported]:
    options = options or ImportOptions()
    file = str(path)
    tasks, problem = read_export_json(
        path, "the JSON or JSON_MIN file that Label Studio's Export wrote"
    )
    if problem is not None:
        yield Imported(file, None, None, [problem])
        return
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        yield refused(
            file,
            None,
            "import-input-invalid",
            "",
            "the export is not a list of tasks.",
            "use Label Studio's JSON or JSON_MIN export",
        )
        return
    for i, task in enumerate(tasks):
        yield from _task(task, pointer(i), file, index, options)


def _task(
    task: Any, where: str, file: str, index: RecordIndex, options: ImportOptions
) -> Iterator[Imported]:
    minimal = isinstance(task, dict) and "data" not in task and "text" in task
    data = task if minimal else (task.get("data") if isinstance(task, dict) else None)
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        yield refused(
            file, None, "import-input-invalid", where,
            "the task has no text (data.text in a JSON export, text in JSON_MIN).",
            "export the project with Label Studio's JSON or JSON_MIN export",
        )  # fmt: skip
        return
    text = data["text"]
    keys = [data.get("doc_id")] if minimal else [data.get("id"), data.get("doc_id")]
    record = index.match(keys, text)
    if record is None:
        yield refused(
            file, None, "import-document-unmatched", where + ("" if minimal else "/data"),
            f"task {task.get('id')!r} (record id {keys[0]!r}) matches no record.",
            "add the article first (`newscorpus add`) and make the tasks with "
            "`newscorpus export labelstudio`",
        )  # fmt: skip
        return
    if damage := index.damage(record, f"task {where or '/'} of {file}"):
        yield Imported(file, record["id"], None, damage)
        return
    if text != record["text"]:
        yield refused(
            file, record["id"], "import-text-mismatch",
            where + ("/text" if minimal else "/data/text"),
            "the task's text differs from the record's text.",
            "make the tasks with `newscorpus export labelstudio`, which copies the text",
        )  # fmt: skip
        return
    check = checker(file, record["id"], text)
    found: list[Annotation | Finding]
    if minimal:
        annotation = min_annotation(task, where, check)
        found = [*unknown_keys(task, MIN_KEYS, where, "JSON_MIN row", check)]
        found += json_min_gaps(task, annotation.regions, record, where, check)
        found.append(annotation)
    else:
        found = [*unknown_keys(task, TASK_KEYS, where, "task", check)]
        found += unknown_keys(data, DATA_KEYS, where + "/data", "task data", check)
        found += drafts(task, where, check)
        found += list(_annotations(task, where, check, file, record["id"]))
    stated = data.get("fingerprint") if isinstance(data.get("fingerprint"), str) else None
    if stated != fingerprint(record):  # made from another version: its ids are not the record's
        for each in found:
            if isinstance(each, Annotation):
                restate(each, record)
    for item in _chosen(found, record, text, options, file, record["id"], where):
        item.fingerprint, item.ids_trusted = stated, True
        yield item


def _annotations(
    task: dict[str, Any], where: str, check: Any, file: str, doc_id: str
) -> Iterator[Annotation | Finding]:
    items = task.get("annotations", [])
    if not isinstance(items, list):
        yield Findings(file, doc_id).finding(
            "import-input-invalid",
            where + "/annotations",
            "annotations is not a list.",
            "export the project again with Label Studio's JSON export",
        )
        return
    for j, item in enumerate(items):
        at = f"{where}/annotations/{j}"
        if not isinstance(item, dict):
            yield Findings(file, doc_id).finding(
                "import-input-invalid",
                at,
                "an annotation is not an object.",
                "export the project again",
            )
            continue
        who = annotator_name(item.get("completed_by"))
        if item.get("was_cancelled") is True:
            yield Findings(file, doc_id).finding(
                "import-annotation-skipped",
                at,
                f"annotation {item.get('id')!r} by {who} was skipped (cancelled) in "
                "Label Studio; it is not imported.",
                "nothing to do",
            )
            continue
        annotation = Annotation(at, who)
        annotation.findings += unknown_keys(item, ANNOTATION_KEYS, at, "annotation", check)
        read_result(item.get("result"), at + "/result", check, annotation)
        regions = item.get("result")
        for k, region in enumerate(regions if isinstance(regions, list) else []):
            if isinstance(region, dict):
                annotation.findings += result_notes(region, f"{at}/result/{k}", check)
        yield annotation


def _chosen(
    found: list[Annotation | Finding],
    record: Record,
    text: str,
    options: ImportOptions,
    file: str,
    doc_id: str,
    where: str,
) -> Iterator[Imported]:
    """The imports of a task: its one chosen annotation (the last, with a note, when several
    were submitted), or each annotator's with --each-annotator; the task's notes go with the
    first."""
    notes = [f for f in found if isinstance(f, Finding)]
    annotations = _of_annotator([a for a in found if isinstance(a, Annotation)], options)
    if not annotations:
        who = f" by {options.annotator}" if options.annotator else ""
        yield Imported(
            file,
            doc_id,
            None,
            [
                *notes,
                Findings(file, doc_id).finding(
                    "import-no-annotations",
                    where,
                    f"the task for {doc_id} has no submitted annotation{who}.",
                    "submit the task in Label Studio (predictions alone are not imported), "
                    "or check --annotator",
                ),
            ],
        )
        return
    if len(annotations) > 1 and not options.each_annotator:
        names = ", ".join(str(a.annotator) for a in annotations)
        notes.append(
            Findings(file, doc_id).finding(
                "import-several-annotations",
                where + "/annotations",
                f"{len(annotations)} annotations ({names}); the last one in the export, by "
                f"{annotations[-1].annotator}, is imported.",
                "choose one with --annotator EMAIL, or import each with --each-annotator",
            )
        )
        annotations = annotations[-1:]
    for annotation in annotations:
        yield _imported(annotation, record, text, options, notes, file, doc_id)
        notes = []


def _of_annotator(annotations: list[Annotation], options: ImportOptions) -> list[Annotation]:
    """The annotations by --annotator (an account or its annotator id), or all of them."""
    if options.annotator is None:
        return annotations
    return [
        a
        for a in annotations
        if options.annotator in (a.annotator, annotator_id(a.annotator, options))
    ]


def _imported(
    annotation: Annotation,
    record: Record,
    text: str,
    options: ImportOptions,
    notes: list[Finding],
    file: str,
    doc_id: str,
) -> Imported:
    """The record one annotation makes of `record`, with the task's notes and its findings."""
    layers, findings = annotation_layers(text, record, annotation, Findings(file, doc_id))
    who = annotator_id(annotation.annotator, options)
    imported = Imported(
        file,
        doc_id,
        _record(record, layers, who),
        [*notes, *annotation.findings, *findings],
    )
    refusal = email_refusal(annotation.annotator, options, file, doc_id, annotation.where)
    imported.if_changed = [refusal] if refusal else []
    imported.annotator = who if options.each_annotator else None
    return imported


def _record(base: Record, layers: Layers, annotator: str | None) -> Record:
    """The base record with the imported layers; unchanged layers keep it as it was."""
    record = base.copy()
    record.update(layers)
    if all(record[name] == base[name] for name in LAYERS) and record["labels"] == base["labels"]:
        return base
    annotators = list(base["annotation"]["annotators"])
    if annotator is not None and annotator not in annotators:
        annotators.append(annotator)
    record["annotation"] = {**base["annotation"], "annotators": annotators, "status": "draft"}
    return record
