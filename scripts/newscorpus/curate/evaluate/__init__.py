"""`newscorpus evaluate`: the corpus's official scorer, for a system's predictions against gold.

GOLD is, by default, what a build publishes: the gold records of corpus/records. A folder of
records (or a corpus folder with records/) or one record file may be given instead; `split`
keeps the gold documents of one split. PRED is read by newscorpus.curate.evaluate.inputs and
recognised by newscorpus.curate.evaluate.shapes (records, or rows of any config);
newscorpus.curate.evaluate.api runs the whole, from the CLI and from Python.

Every figure adds up over documents before it is divided (micro averages; per label too), and
the macro average is the mean over labels; see newscorpus.curate.evaluate.scoring. A layer that no
prediction carries is reported as not evaluated, never as zero. Once a layer is evaluated, a
gold document without a prediction for it counts as predicting nothing (a warning names it), so
leaving hard documents out cannot raise a score. The NER figures come from `ner` rows when PRED
has them for a document, else from the predicted named mentions tagged like the NER view.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from ...errors import EvaluationError, NewscorpusError
from ...findings import Finding, Findings, Report, pointer
from ...jsonio import read_record
from ...model import Record
from ...paths import RECORDS_DIR, records_in, shown_path
from ...publish.views import Row, ner_rows
from ...tokens import sentences
from ...validate import validate_record
from .inputs import PREDICTED_LAYERS, Item, check_record, check_tags
from .scoring import coref, layers

# The layers scored: the predicted ones, with the NER view and coreference after mentions.
LAYERS = (PREDICTED_LAYERS[0], "ner", "coreference", *PREDICTED_LAYERS[1:])
# Gold errors that leave nothing sound to score against.
BLOCKING = frozenset({"span-out-of-range", "span-empty", "ref-unresolved"})


# --- gold -----------------------------------------------------------------------------------


def load_gold(root: Path, gold: Path | None, split: str | None) -> list[Record]:
    """The gold records, in id order; raises EvaluationError when there are none to score.

    By default these are the records a build publishes: the gold ones of corpus/records under
    `root`. A GOLD folder (or corpus folder, for its records/) or file is taken whole.
    """
    path = gold if gold is not None else root / RECORDS_DIR
    if path.is_dir() and (path / "records").is_dir():
        path = path / "records"
    if path.is_dir():
        records = [sound_record(p, root) for p in records_in(path)]
    elif path.is_file() and path.suffix == ".json":
        records = [sound_record(path, root)]
    else:
        raise EvaluationError(
            f"{path} is neither a folder of records nor a record file; give GOLD, or --root "
            "the checkout that holds corpus/records"
        )
    if gold is None:
        records = [r for r in records if r["annotation"]["status"] == "gold"]
    return in_split(sorted(records, key=itemgetter("id")), split, path)


def in_split(records: list[Record], split: str | None, path: Path) -> list[Record]:
    """The records of `split` (all when None); raises EvaluationError when there is none."""
    chosen = [r for r in records if split is None or r["split"] == split]
    if not chosen:
        where = f" in split {split!r}" if split else ""
        raise EvaluationError(f"{path} holds no gold document{where} to evaluate against")
    return chosen


def sound_record(path: Path, root: Path, error: type[NewscorpusError] = EvaluationError) -> Record:
    """A record file that can be scored: readable, schema-valid, no BLOCKING error.

    Raises `error` naming the first problem.
    """
    shown = shown_path(path, root)
    record, problems = read_record(path, shown)
    if record is None or problems:
        raise error(problems[0].format() if problems else f"{shown}: unreadable")
    errors = [
        f
        for f in validate_record(record, file=shown, root=None)
        if f.severity == "error" and (f.level == "schema" or f.code in BLOCKING)
    ]
    if errors:
        raise error(
            f"{shown} is not a sound record, so it cannot be compared:\n{errors[0].format()}"
        )
    return record


# --- matching predictions to gold -----------------------------------------------------------


@dataclass
class Predictions:
    """PRED sorted by gold document: checked records and per-sentence tags."""

    source: str = "PRED"  # how PRED is named in findings
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    tags: dict[str, dict[str, list[str] | None]] = field(default_factory=dict)
    findings: Findings = field(default_factory=Findings)

    def layers(self) -> set[str]:
        found: set[str] = {
            layer for r in self.records.values() for layer in PREDICTED_LAYERS if layer in r
        }
        if any(any("entity" in m for m in r.get("mentions", [])) for r in self.records.values()):
            found.add("coreference")
        if self.tags or "mentions" in found:
            found.add("ner")
        return found


def sort_predictions(
    items: Iterable[Item], gold: list[Record], all_ids: set[str], source: str = "PRED"
) -> Predictions:
    """Each item checked against its gold document; strays and repeats are findings."""
    by_id = {r["id"]: r for r in gold}
    cache: dict[str, dict[str, Row]] = {}

    def rows(doc_id: str) -> dict[str, Row]:
        """The gold ner rows of a document, by id; derived only when a row is predicted."""
        if doc_id not in cache:
            cache[doc_id] = {row["id"]: row for row in ner_rows(by_id[doc_id])}
        return cache[doc_id]

    out = Predictions(source)
    for item in items:
        value = item.value
        is_row = isinstance(value, dict) and "ner_tags" in value
        doc_id = _document_of(value, is_row)
        if doc_id is None:
            out.findings.append(_stray(item, "evaluate-input-invalid", "has no string `id`"))
        elif doc_id not in all_ids or (
            doc_id in by_id and is_row and value["id"] not in rows(doc_id)
        ):
            out.findings.append(
                _stray(item, "evaluate-document-unmatched", "matches no gold document or row")
            )
        elif doc_id not in by_id:
            continue  # a document of another split
        elif is_row:
            _add_row(out, item, rows(doc_id)[value["id"]]["tokens"])
        elif doc_id in out.records:
            out.findings.append(_stray(item, "evaluate-document-duplicate", "repeats a document"))
        else:
            checked = check_record(item, by_id[doc_id]["text"])
            out.records[doc_id] = checked.record
            out.findings.extend(checked.findings)
    return out


def _document_of(value: Any, is_row: bool) -> str | None:
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        return None
    if is_row:
        return (
            value["doc_id"]
            if isinstance(value.get("doc_id"), str)
            else value["id"].rsplit(":s", 1)[0]
        )
    return value["id"]


def _add_row(out: Predictions, item: Item, tokens: list[str]) -> None:
    doc_id = _document_of(item.value, True)
    assert doc_id is not None
    sentence_tags = out.tags.setdefault(doc_id, {})
    if item.value["id"] in sentence_tags:
        out.findings.append(_stray(item, "evaluate-document-duplicate", "repeats a sentence"))
        return
    tags, findings = check_tags(item, tokens, doc_id)
    sentence_tags[item.value["id"]] = tags
    out.findings.extend(findings)


_STRAY_HINTS = {
    "evaluate-input-invalid": "give each record an `id`, each ner row an `id` and `ner_tags`",
    "evaluate-document-unmatched": "use the ids of the gold documents (and of their ner rows)",
    "evaluate-document-duplicate": "predict each document (or sentence) once; the first counts",
}


def _stray(item: Item, code: str, what: str) -> Finding:
    value = item.value if isinstance(item.value, dict) else {}
    name = value.get("id")
    shown = f"the prediction {name!r}" if isinstance(name, str) else "this object"
    return Findings(item.file, _document_of(value, "ner_tags" in value)).finding(
        code, pointer(*item.where), f"{shown} {what}; it is not scored.", _STRAY_HINTS[code]
    )


# --- scoring --------------------------------------------------------------------------------

_EMPTY: dict[str, list[Any]] = {layer: [] for layer in PREDICTED_LAYERS}


@dataclass
class Evaluation:
    """Summed figures per layer, the documents scored, and the findings about PRED."""

    layers: set[str]
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: int = 0
    predicted: dict[str, int] = field(default_factory=dict)  # layer -> documents predicted
    report: Report = field(default_factory=Report)

    def add(self, layer: str, figures: dict[str, Any]) -> None:
        mine = self.figures.setdefault(layer, {})
        for name, figure in figures.items():
            mine[name] = mine[name] + figure if name in mine else figure


def score(gold: list[Record], predictions: Predictions) -> Evaluation:
    """Every evaluated layer of every gold document, summed."""
    result = Evaluation(predictions.layers())
    for record in gold:
        result.documents += 1
        _score_document(result, record, predictions)
    result.report.findings[:0] = predictions.findings
    return result


def _score_document(result: Evaluation, record: Record, predictions: Predictions) -> None:
    doc_id = record["id"]
    predicted = predictions.records.get(doc_id, {})
    gold_side = layers.Side(record)
    side = layers.Side({**_EMPTY, **predicted})
    has: set[str] = {layer for layer in PREDICTED_LAYERS if layer in predicted}
    if any("entity" in m for m in predicted.get("mentions", [])):
        has.add("coreference")
    for layer, compare in layers.RECORD_LAYERS.items():
        if layer in result.layers:
            result.add(layer, compare(gold_side, side))
            _count(result, predictions.source, layer, layer in has, doc_id)
    if "ner" in result.layers:
        sentence_list = sentences(record["text"], record["passages"])
        gold_tags = layers.tags_of(record, sentence_list)
        tags, from_rows = _predicted_tags(record, predictions, side, sentence_list)
        result.add("ner", layers.ner(gold_tags, tags))
        _count(result, predictions.source, "ner", from_rows or "mentions" in has, doc_id)


def _predicted_tags(
    record: Record, predictions: Predictions, side: layers.Side, sentence_list: tuple
) -> tuple[list[list[str]], bool]:
    """The document's tags from its ner rows (a missing row is all O), else from its mentions."""
    rows = predictions.tags.get(record["id"])
    if rows is None:
        return layers.tags_of(side.record, sentence_list), False
    tags, missing = [], 0
    for index, sentence in enumerate(sentence_list):
        row = rows.get(f"{record['id']}:s{index}")
        tags.append(row if row is not None else ["O"] * len(sentence.tokens))
        missing += row is None
    if missing:
        predictions.findings.add(
            "evaluate-document-missing",
            "",
            f"{missing} of the {len(sentence_list)} ner rows of document {record['id']} "
            "have no prediction, or an unusable one; they are scored as all O.",
            "predict every row of the ner config for the split",
            file=predictions.source,
            record=record["id"],
        )
    return tags, True


def _count(result: Evaluation, source: str, layer: str, predicted: bool, doc_id: str) -> None:
    if predicted:
        result.predicted[layer] = result.predicted.get(layer, 0) + 1
        return
    result.report.findings.add(
        "evaluate-document-missing",
        "",
        f"no prediction for layer {layer} of document {doc_id}; scored as predicting nothing.",
        "predict every gold document of the split (an empty list is a prediction too)",
        file=source,
        record=doc_id,
    )


def to_dict(result: Evaluation, split: str | None = None) -> dict[str, Any]:
    """Every figure, per layer; a layer without predictions is `"evaluated": false`."""
    out: dict[str, Any] = {}
    for layer in LAYERS:
        if layer not in result.layers:
            out[layer] = {"evaluated": False, "reason": "no prediction carries this layer"}
            continue
        figures = {name: figure.to_dict() for name, figure in result.figures[layer].items()}
        if layer == "coreference":
            figures["conll_f1"] = coref.conll_f1(result.figures[layer])
        out[layer] = {"evaluated": True, "documents": result.predicted.get(layer, 0), **figures}
    return {
        "documents": result.documents,
        "split": split,
        "layers": out,
        "valid": result.report.valid,
        "findings": [f.to_dict() for f in result.report.findings],
    }
