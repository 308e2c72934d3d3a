"""What `evaluate` prints: the table of figures, the gazetteer baseline, and the card's
Evaluation section. Everything renders from `evaluate.to_dict`, so text and JSON never differ.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...findings import Finding
from ...model import Record, empty_layers
from ...paths import RECORDS_DIR
from ...publish.evaluation_text import EVALUATION_INTRO
from ..suggest import entity_inventory, suggest_record
from . import LAYERS, Predictions, in_split, load_gold, score, to_dict
from .inputs import PREDICTED_LAYERS, Item, check_record

# layer -> the figures shown, in order: (key, name, per-label rows follow)
SHOWN: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "mentions": (
        ("strict", "strict", True),
        ("exact", "exact", False),
        ("partial", "partial", False),
        ("type", "type", False),
    ),
    "ner": (
        ("entity_f1", "entity F1 (seqeval)", True),
        ("entity_f1_strict", "entity F1 (strict IOB2)", False),
        ("strict", "strict", False),
        ("exact", "exact", False),
        ("partial", "partial", False),
        ("type", "type", False),
    ),
    "coreference": (
        ("muc", "MUC", False),
        ("b_cubed", "B-cubed", False),
        ("ceaf_e", "CEAF-e", False),
        ("shared_mentions", "shared mentions", False),
    ),
    "quotes": (
        ("content", "content (characters)", False),
        ("identified", "identified", True),
        ("attribution", "attribution", False),
    ),
    "events": (
        ("trigger_identification", "trigger identification", False),
        ("trigger_classification", "trigger classification", True),
        ("argument_identification", "argument identification", False),
        ("argument_classification", "argument classification", True),
    ),
    "relations": (("typed", "typed, directed", True), ("untyped", "untyped, directed", False)),
}
ACCURACIES = {
    "quotes": ("speaker_accuracy", "speaker accuracy"),
    "events": ("modality_accuracy", "modality accuracy"),
}
HEADER = f"{'layer':<13}{'figure':<26}{'P':>7}{'R':>7}{'F1':>7}   gold / predicted"


def _row(layer: str, name: str, figure: dict[str, Any]) -> str:
    return (
        f"{layer:<13}{name:<26}{figure['precision']:>7.3f}{figure['recall']:>7.3f}"
        f"{figure['f1']:>7.3f}   {_count(figure['gold'])} / {_count(figure['predicted'])}"
    )


def _count(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.2f}"


def _layer_lines(layer: str, block: dict[str, Any]) -> list[str]:
    lines = []
    for key, name, with_labels in SHOWN[layer]:
        figure = block[key]
        lines.append(_row(layer, name, figure))
        if with_labels:
            for label, scores in figure["labels"].items():
                lines.append(_row("", f"  {label}", scores))
            macro = figure["macro"]
            lines.append(
                f"{'':<13}{'  macro average':<26}{macro['precision']:>7.3f}"
                f"{macro['recall']:>7.3f}{macro['f1']:>7.3f}"
            )
    if layer == "coreference":
        lines.append(f"{layer:<13}{'CoNLL-2012 (mean F1)':<26}{'':>14}{block['conll_f1']:>7.3f}")
    if layer in ACCURACIES:
        key, name = ACCURACIES[layer]
        accuracy = block[key]
        value = "-" if accuracy["accuracy"] is None else f"{accuracy['accuracy']:.3f}"
        lines.append(
            f"{layer:<13}{name:<26}{value:>21}   {accuracy['correct']} of {accuracy['total']}"
        )
    return lines


def render_text(result: dict[str, Any]) -> list[str]:
    """The figures as an aligned table, then the layers not evaluated and the findings."""
    lines = [HEADER]
    skipped = []
    for layer in LAYERS:
        block = result["layers"][layer]
        if block["evaluated"]:
            lines.extend(_layer_lines(layer, block))
        else:
            skipped.append(layer)
    for layer in skipped:
        lines.append(f"{layer:<13}not evaluated: no prediction carries this layer")
    return lines


# --- the baseline ---------------------------------------------------------------------------


def baseline_items(gold: list[Record], pool: list[Record]) -> list[Item]:
    """The `add --suggest` draft of each gold text, from the other gold records only.

    Each document is suggested afresh from its text, with the names of the entities of every
    other gold record of `pool` as the gazetteer (leave-one-out, so no article is annotated
    from its own gold): mentions with their entities, quotes, events and relations.
    """
    items = []
    for record in gold:
        inventory = entity_inventory(r for r in pool if r["id"] != record["id"])
        empty: Record = {**record, **empty_layers()}
        suggested, _ = suggest_record(empty, inventory)
        items.append(
            Item(
                "baseline", (), {"id": record["id"], **{k: suggested[k] for k in PREDICTED_LAYERS}}
            )
        )
    return items


def baseline(root: Path, gold: Path | None = None, split: str | None = None) -> dict[str, Any]:
    """The figures of the gazetteer baseline against the gold (see `baseline_items`)."""
    every = load_gold(root, gold, None)
    records = in_split(every, split, gold or root / RECORDS_DIR)
    predictions = Predictions("baseline")
    for item in baseline_items(records, every):
        text = next(r["text"] for r in records if r["id"] == item.value["id"])
        predictions.records[item.value["id"]] = check_record(item, text).record
    return to_dict(score(records, predictions), split)


def run(
    root: Path, gold: Path | None, pred: Path | None, split: str | None = None
) -> dict[str, Any]:
    """`evaluate`'s figures and findings for PRED, or for the baseline when PRED is None."""
    from .api import evaluate

    if pred is None:
        return baseline(root, gold, split)
    return evaluate(gold, pred, split=split, root=root)


def render_read(result: dict[str, Any]) -> list[str]:
    """What was read: each file's shape, object count and how its labels were written."""
    from .shapes import SHAPE_NAMES

    return [
        f"read {entry['file']}: {entry['objects']} {SHAPE_NAMES[entry['shape']]}"
        + (f" (labels as {entry['labels']})" if entry["labels"] != "none" else "")
        for entry in result.get("read", [])
    ]


def render_findings(result: dict[str, Any]) -> list[str]:
    """Each finding as the validator prints it, then a one-line verdict."""
    fields = ("code", "file", "record", "pointer", "message", "hint", "severity")
    found = [Finding(**{key: f[key] for key in fields}) for f in result["findings"]]
    errors = sum(f.severity == "error" for f in found)
    verdict = "valid" if result["valid"] else "INVALID (bad items are left out of the scores)"
    return [f.format() for f in found] + [
        f"{result['documents']} gold document(s); predictions: {errors} error(s), "
        f"{len(found) - errors} warning(s): {verdict}"
    ]


# --- the card's Evaluation section ----------------------------------------------------------

_SECTION = """
**Baseline.** The floor is the `newscorpus add --suggest` draft: rules for names (capitalised
words with their titles stripped, typed by head nouns and context), abbreviations defined in
the text, patterns for dates, money, percentages, quantities and numbers, the names of the
entities of the other gold records (leave-one-out, so no article is annotated from its own
gold), quotes and events of reporting verbs with their sources, and relations stated by a
title.
`newscorpus evaluate --baseline` reproduces these figures ({documents} gold document(s){split}):

| layer | figure | P | R | F1 |
|---|---|---:|---:|---:|
{rows}

{skipped}
"""


def evaluation_section(result: dict[str, Any] | None = None, root: Path = Path(".")) -> str:
    """The dataset card's Evaluation section, with the baseline's figures (`result`, or the
    baseline of the published corpus under `root` when None), as markdown."""
    result = baseline(root) if result is None else result
    rows, skipped = [], []
    for layer in LAYERS:
        block = result["layers"][layer]
        if not block["evaluated"]:
            skipped.append(layer)
            continue
        for key, name, _ in SHOWN[layer]:
            figure = block[key]
            rows.append(
                f"| {layer} | {name} | {figure['precision']:.3f} | {figure['recall']:.3f} "
                f"| {figure['f1']:.3f} |"
            )
        if layer == "coreference":
            shared = block["shared_mentions"]["matched"]
            rows.append(
                f"| coreference | CoNLL-2012 (mean F1, on {shared} shared mentions) | | "
                f"| {block['conll_f1']:.3f} |"
            )
    split = f", split {result['split']}" if result.get("split") else ""
    not_evaluated = f"Not evaluated (no prediction): {', '.join(skipped)}." if skipped else ""
    return (
        EVALUATION_INTRO
        + _SECTION.format(
            documents=result["documents"], split=split, rows="\n".join(rows), skipped=not_evaluated
        ).rstrip()
        + "\n"
    )
