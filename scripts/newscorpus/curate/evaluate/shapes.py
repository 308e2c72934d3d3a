"""The shapes `evaluate` reads predictions in: every shape the dataset publishes, and records.

Each object is recognised by its columns, never by the file it comes from:

- a row of the `ner` config (`id`, `ner_tags`), scored as per-sentence tags;
- a row of `mentions`, `quotes`, `events` or `relations` (`doc_id` and the columns of that
  config's Features named in SIGNATURES), turned back into the record's item by the inverse of
  the config's view (newscorpus.publish.views.FROM_ROWS); the rows of one document make one
  prediction, and rows of several of these configs add up to one (a quote's speaker, an
  argument's mention and a relation's head and tail are ids of the predicted mentions, so
  they are scored when the mentions rows come too);
- a row of `documents` (nested layers with `start_char`/`end_char` offsets) or a record in the
  corpus's own format (`start`/`end`), one per document.

Labels may be names or the configs' ClassLabel integers, in any shape. Whole documents
(records, documents rows) and layer rows cannot be mixed in one prediction, nor records with
documents rows: an object of another shape than the first is a finding (`evaluate-input-mixed`)
and is left out. `ner` rows go with any shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...findings import Finding, Findings, pointer
from ...publish.features import FEATURES, prediction_label_names
from ...publish.views import FROM_ROWS, layers_from_document
from .inputs import Item

# The columns that tell a row of each config apart: all of them are in the config's Features.
SIGNATURES: dict[str, tuple[str, ...]] = {
    "ner": ("id", "ner_tags"),
    "mentions": ("doc_id", "start_char", "end_char", "label"),
    "quotes": ("doc_id", "type", "content"),
    "events": ("doc_id", "type", "trigger_start", "trigger_end"),
    "relations": ("doc_id", "type", "head", "tail"),
}
WHOLE = ("records", "documents")
SHAPE_NAMES = {
    "records": "records in the corpus's format",
    "documents": "rows of the documents config",
    **{config: f"rows of the {config} config" for config in SIGNATURES},
}
_SPAN_LAYERS = ("passages", "mentions", "quotes", "events")
_DOCUMENT_ONLY = ("schema_version", "split", "source", "passages", "annotation", "labels")


def detect(value: Any) -> tuple[str | None, str]:
    """(shape, "") or (None, what is wrong with the object)."""
    if not isinstance(value, dict):
        return None, "is not a JSON object"
    matched = [config for config, keys in SIGNATURES.items() if all(k in value for k in keys)]
    if len(matched) == 1:
        return matched[0], ""
    if matched:
        return None, f"has the columns of several configs ({', '.join(matched)})"
    if "doc_id" in value:
        config, keys = max(
            ((c, k) for c, k in SIGNATURES.items() if "doc_id" in k),
            key=lambda pair: sum(key in value for key in pair[1]),
        )
        missing = ", ".join(f"`{k}`" for k in keys if k not in value)
        return None, f"looks like a row of the {config} config but has no {missing}"
    if not isinstance(value.get("id"), str):
        return None, "has no string `id` (a record or documents row) nor `doc_id` (a row)"
    offsets = _offset_names(value)
    if len(offsets) > 1:
        return None, "has offsets named both `start`/`end` (records) and `start_char`/`end_char`"
    if offsets:
        return offsets.pop(), ""
    return ("documents" if any(k in value for k in _DOCUMENT_ONLY) else "records"), ""


def _offset_names(value: dict[str, Any]) -> set[str]:
    """ "records" and/or "documents", after the offset names of the nested spans."""
    found: set[str] = set()

    def look(span: Any) -> None:
        if isinstance(span, dict):
            found.update(
                shape
                for shape, key in (("records", "start"), ("documents", "start_char"))
                if key in span
            )

    for layer in _SPAN_LAYERS:
        for item in _seq(value.get(layer)):
            if not isinstance(item, dict):
                continue
            look(item)
            look(item.get("cue"))
            look(item.get("trigger"))
            for part in _seq(item.get("content")):
                look(part)
    return found


def _seq(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass
class Shaped:
    """PRED as whole-document predictions and ner rows, with what was read and the findings."""

    items: list[Item] = field(default_factory=list)
    row_layers: set[str] = field(default_factory=set)  # layers given as rows: every doc has them
    findings: list[Finding] = field(default_factory=list)
    read: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def summary(self) -> list[dict[str, Any]]:
        """What was read, per file and shape: for `--json` and the text report."""
        return [
            {
                "file": file,
                "shape": shape,
                "objects": info["objects"],
                "labels": " and ".join(sorted(info["labels"])) or "none",
            }
            for (file, shape), info in self.read.items()
        ]


def shape_items(items: Iterable[Item]) -> Shaped:
    """Every object of PRED recognised, its labels named, and layer rows grouped by document."""
    out = Shaped()
    family: str | None = None  # "whole", "rows" or a whole shape, set by the first object
    groups: dict[str, Item] = {}
    for item in items:
        shape, problem = detect(item.value)
        if shape is None:
            out.findings.append(_finding(item, "evaluate-input-invalid", problem))
            continue
        kind = shape if shape in WHOLE else "rows" if shape in FROM_ROWS else None
        if kind is not None:
            family = family or kind
            if kind != family:
                out.findings.append(_mixed(item, shape, family))
                continue
        seen: set[str] = set()
        config = "documents" if shape in WHOLE else shape
        value = prediction_label_names(item.value, FEATURES[config], seen)
        info = out.read.setdefault((item.file, shape), {"objects": 0, "labels": set()})
        info["objects"] += 1
        info["labels"] |= seen
        if shape in FROM_ROWS:
            _group(groups, item, shape, value)
            out.row_layers.add(shape)
        else:
            whole = layers_from_document(value) if shape == "documents" else value
            out.items.append(Item(item.file, item.where, whole))
    out.items.extend(groups.values())
    return out


def _group(groups: dict[str, Item], item: Item, config: str, row: dict[str, Any]) -> None:
    doc_id = row["doc_id"]
    key = doc_id if isinstance(doc_id, str) else repr(doc_id)
    group = groups.setdefault(key, Item(item.file, item.where, {"id": doc_id}, {}))
    group.value.setdefault(config, []).append(FROM_ROWS[config](row))
    assert group.origins is not None
    group.origins.setdefault(config, []).append((item.file, item.where))


_HINT = (
    "write one shape per prediction: records, or rows of one or more of the configs "
    "mentions, quotes, events and relations, or documents rows (ner rows go with any)"
)


def _finding(item: Item, code: str, problem: str) -> Finding:
    return Findings(item.file).finding(
        code, pointer(*item.where), f"this object {problem}; it is not scored.", _HINT
    )


def _mixed(item: Item, shape: str, family: str) -> Finding:
    first = (
        "layer rows (mentions, quotes, events, relations)"
        if family == "rows"
        else (SHAPE_NAMES[family])
    )
    return Findings(item.file).finding(
        "evaluate-input-mixed",
        pointer(*item.where),
        f"this object is one of the {SHAPE_NAMES[shape]}, but the prediction began with "
        f"{first}; it is not scored.",
        _HINT,
    )
