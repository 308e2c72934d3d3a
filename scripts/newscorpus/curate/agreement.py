"""Agreement between two annotations (records) of the same text.

A is the reference and B the comparison: precision = matched / |B|, recall = matched / |A|,
F1 their harmonic mean. When both sides have no item, all three are 1.0 (nothing to disagree
on); when only one side has items, the undefined ratio is 0.0. The counting is the corpus's
scorer (newscorpus.curate.evaluate.scoring), and `scorer` in the result holds every figure of
`newscorpus evaluate` for B scored against A.

Matching, per layer (every match is one-to-one: a maximum bipartite matching, so an item
never counts twice; items only match items of the same label, hence per-label figures add
up to the overall ones):

- mentions, by entity label. exact: same start and end. overlap: the spans share a character.
- entities, as coreference clusters, scored with B-cubed (Bagga & Baldwin 1998, as computed
  by the CoNLL reference scorer: a mention missing on one side contributes zero). A cluster
  is the set of its mentions' offsets. exact: mentions are the same when their offsets are;
  overlap: the mentions are first paired one-to-one (identical offsets first, then
  overlapping spans, any label), and a paired mention counts as the same. Per label: the
  clusters of entities with that label.
- quotes, by quote type. exact: the same set of content spans and the same speaker;
  overlap: some content span overlaps and the speakers overlap. Speakers are compared by
  their mention offsets (the speaker entity's mentions, else the source mention): the same
  when the two share a mention with identical offsets (exact) or overlapping ones (overlap);
  two absent speakers agree.
- events, by event type. exact: same trigger span; overlap: overlapping triggers. Arguments
  are scored over matched event pairs: (role, mention offsets) equal (exact) or with
  overlapping mentions (overlap). Modality agreement: the share of exactly matched event
  pairs with the same modality.
- relations, by relation type: the head entities and the tail entities must each share a
  mention, by identical offsets (exact) or overlapping ones (overlap).

Kappa: Cohen's kappa over token-level BIO tags of the named (NAM) mentions, the NER view;
tokens come from newscorpus.tokens.sentences over A's passages. It is the chance-corrected
figure; Krippendorff's alpha would add nothing for two annotators of one text tagged token by
token, and span-level (unitizing) alpha has no well-kept implementation to rely on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from ..errors import AgreementError
from ..model import LAYERS, Mention, Quote, Record
from ..paths import shown_path
from ..tokens import bio_tags, first_difference, sentences
from .evaluate import Predictions, score, sound_record, to_dict
from .evaluate.scoring import coref
from .evaluate.scoring.layers import Offsets, Side, offsets, share
from .evaluate.scoring.spans import overlaps
from .evaluate.scoring.tally import (
    Breakdown,
    Tally,
    matched_by_label,
    one_to_one,
    staged_one_to_one,
)

Modes = tuple[tuple[str, Callable[[Offsets, Offsets], bool]], ...]
MODES: Modes = (("exact", lambda x, y: x == y), ("overlap", overlaps))


# --- figures as agreement reports them: A / B rather than gold / predicted ------------------


def ab(tally: Tally) -> dict[str, Any]:
    figures = tally.to_dict()
    out = {key: figures[key] for key in ("precision", "recall", "f1")}
    out.update(a=figures["gold"], b=figures["predicted"])
    if "matched" in figures:
        out["matched"] = figures["matched"]
    return out


def ab_labels(breakdown: Breakdown) -> dict[str, Any]:
    labels = {label: ab(breakdown.labels[label]) for label in sorted(breakdown.labels)}
    return {**ab(breakdown.overall), "labels": labels}


def scores(matched: float, n_a: int, n_b: int) -> dict[str, Any]:
    return ab(Tally.of(matched, n_a, n_b))


def b_cubed(key: list[set[Any]], response: list[set[Any]]) -> dict[str, Any]:
    """B-cubed precision, recall and F1 of response clusters against key clusters.

    With no mention on one side nothing is matched, and the figures say so (`matched`: 0).
    """
    result = ab(coref.b_cubed(coref.distinct(key), coref.distinct(response)))
    if not result["a"] or not result["b"]:
        result["matched"] = 0
    return result


# --- the layers -----------------------------------------------------------------------------


def _by_offsets(same: Callable[[Offsets, Offsets], bool]) -> Callable[[Any, Any], bool]:
    return lambda x, y: same(offsets(x), offsets(y))


def _by_trigger(same: Callable[[Offsets, Offsets], bool]) -> Callable[[Any, Any], bool]:
    return lambda x, y: same(offsets(x["trigger"]), offsets(y["trigger"]))


def _by_head_and_tail(a: Side, b: Side, exact: bool) -> Callable[[Any, Any], bool]:
    return lambda x, y: (
        share(a.entity_offsets(x["head"]), b.entity_offsets(y["head"]), exact)
        and share(a.entity_offsets(x["tail"]), b.entity_offsets(y["tail"]), exact)
    )


def _mentions(a: Side, b: Side) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mode, same in MODES:
        breakdown, _ = matched_by_label(
            a.record["mentions"],
            b.record["mentions"],
            itemgetter("label"),
            _by_offsets(same),
        )
        out[mode] = ab_labels(breakdown)
    return {"f1": out["exact"]["f1"], **out}


def _entities(a: Side, b: Side) -> dict[str, Any]:
    aligned = _align_mentions(a.record["mentions"], b.record["mentions"])

    def clusters(side: Side, label: str | None, rename: Callable[[Offsets], Any]) -> list[set]:
        return [
            {rename(m) for m in side.clusters.get(e["id"], ())}
            for e in side.record["entities"]
            if (label is None or e["label"] == label) and side.clusters.get(e["id"])
        ]

    def same(m: Offsets) -> Any:
        return m

    def via_alignment(m: Offsets) -> Any:
        return aligned.get(m, ("unpaired", m))

    labels = sorted({e["label"] for e in a.record["entities"] + b.record["entities"]})
    out: dict[str, Any] = {"metric": "B-cubed"}
    for mode, rename in (("exact", same), ("overlap", via_alignment)):
        result = b_cubed(clusters(a, None, same), clusters(b, None, rename))
        result["labels"] = {
            label: b_cubed(clusters(a, label, same), clusters(b, label, rename)) for label in labels
        }
        out[mode] = result
    out["f1"] = out["exact"]["f1"]
    return out


def _align_mentions(a: list[Mention], b: list[Mention]) -> dict[Offsets, Offsets]:
    """B's mention offsets to A's: identical offsets first, then one-to-one by overlap."""
    left, right = sorted({offsets(m) for m in a}), sorted({offsets(m) for m in b})
    pairs = staged_one_to_one(left, right, [lambda x, y: x == y, overlaps])
    return {right[j]: left[i] for i, j in pairs}


def _quotes(a: Side, b: Side) -> dict[str, Any]:
    def parts(quote: Quote) -> frozenset[Offsets]:
        return frozenset(offsets(p) for p in quote["content"])

    def exact(x: Quote, y: Quote) -> bool:
        return parts(x) == parts(y) and share(a.speaker(x), b.speaker(y), exact=True)

    def overlap(x: Quote, y: Quote) -> bool:
        return any(overlaps(p, q) for p in parts(x) for q in parts(y)) and share(
            a.speaker(x), b.speaker(y), exact=False
        )

    out: dict[str, Any] = {}
    for mode, compatible in (("exact", exact), ("overlap", overlap)):
        breakdown, _ = matched_by_label(
            a.record["quotes"], b.record["quotes"], itemgetter("type"), compatible
        )
        out[mode] = ab_labels(breakdown)
    return {"f1": out["exact"]["f1"], **out}


def _by_argument(same: Callable[[Offsets, Offsets], bool]) -> Callable[[Any, Any], bool]:
    """Arguments (role, mention offsets) match with the same role and matching mentions."""
    return lambda p, q: p[0] == q[0] and p[1] is not None and q[1] is not None and same(p[1], q[1])


def _events(a: Side, b: Side) -> dict[str, Any]:
    out: dict[str, Any] = {}
    arguments: dict[str, Any] = {}
    for mode, same in MODES:
        breakdown, pairs = matched_by_label(
            a.record["events"],
            b.record["events"],
            itemgetter("type"),
            _by_trigger(same),
        )
        out[mode] = ab_labels(breakdown)
        matched = 0
        for x, y in pairs:
            args_x = [(g["role"], a.mention_offsets(g["mention"])) for g in x["arguments"]]
            args_y = [(g["role"], b.mention_offsets(g["mention"])) for g in y["arguments"]]
            matched += len(one_to_one(args_x, args_y, _by_argument(same)))
        arguments[mode] = scores(
            matched,
            sum(len(e["arguments"]) for e in a.record["events"]),
            sum(len(e["arguments"]) for e in b.record["events"]),
        )
        if mode == "exact":
            same_modality = sum(x["modality"] == y["modality"] for x, y in pairs)
            out["modality_agreement"] = same_modality / len(pairs) if pairs else None
    return {**out, "arguments": arguments, "f1": out["exact"]["f1"]}


def _relations(a: Side, b: Side) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mode, exact in (("exact", True), ("overlap", False)):
        breakdown, _ = matched_by_label(
            a.record["relations"],
            b.record["relations"],
            itemgetter("type"),
            _by_head_and_tail(a, b, exact),
        )
        out[mode] = ab_labels(breakdown)
    return {**out, "f1": out["exact"]["f1"]}


# --- token-level kappa ----------------------------------------------------------------------


def cohen_kappa(first: list[str], second: list[str]) -> float:
    """(p_o - p_e) / (1 - p_e); 1.0 when both taggings are identical and use one tag only."""
    total = len(first)
    if not total:
        return 1.0
    observed = sum(x == y for x, y in zip(first, second, strict=True)) / total
    left, right = Counter(first), Counter(second)
    expected = sum(left[tag] * right[tag] for tag in left) / (total * total)
    if expected == 1.0:
        return 1.0 if observed == 1.0 else 0.0
    return (observed - expected) / (1 - expected)


# --- the whole comparison -------------------------------------------------------------------


def agreement(a: Record, b: Record) -> dict[str, Any]:
    """Scores of B against A, one entry per layer plus `kappa` and `scorer` (every figure of
    `newscorpus evaluate` for B as a prediction of A). Raises AgreementError."""
    at = first_difference(a["text"], b["text"])
    if at is not None:
        raise AgreementError(
            f"the two records annotate different texts (first difference at offset {at}: "
            f"{a['text'][at : at + 25]!r} vs {b['text'][at : at + 25]!r}); agreement needs two "
            "annotations of the same text"
        )
    side_a, side_b = Side(a), Side(b)
    tokens = [tok for sentence in sentences(a["text"], a["passages"]) for tok in sentence.tokens]
    return {
        "mentions": _mentions(side_a, side_b),
        "entities": _entities(side_a, side_b),
        "quotes": _quotes(side_a, side_b),
        "events": _events(side_a, side_b),
        "relations": _relations(side_a, side_b),
        "kappa": cohen_kappa(bio_tags(a["mentions"], tokens), bio_tags(b["mentions"], tokens)),
        "tokens": len(tokens),
        "scorer": to_dict(score([a], Predictions(records={a["id"]: cast(dict[str, Any], b)})))[
            "layers"
        ],
    }


def compare_files(a: Path, b: Path, root: Path) -> dict[str, Any]:
    """`agreement` of the record files `a` and `b`, named by their paths relative to `root`.

    Raises AgreementError when a file is not a sound record (unreadable, a schema error or a
    BLOCKING one) or when the two annotate different texts.
    """
    first, second = sound_record(a, root, AgreementError), sound_record(b, root, AgreementError)
    return {"a": shown_path(a, root), "b": shown_path(b, root), **agreement(first, second)}


def render_text(result: dict[str, Any]) -> list[str]:
    """The scores as aligned lines: one per layer and match, then one per label."""
    lines = [f"{'layer':<22}{'match':<9}{'P':>7}{'R':>7}{'F1':>7}   A / B"]

    def row(name: str, mode: str, s: dict[str, Any]) -> str:
        return (
            f"{name:<22}{mode:<9}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}"
            f"   {s['a']} / {s['b']}"
        )

    for layer in LAYERS:
        block = result[layer]
        title = layer + (f" ({block['metric']})" if "metric" in block else "")
        for mode in ("exact", "overlap"):
            lines.append(row(title, mode, block[mode]))
        for label, s in block["exact"]["labels"].items():
            lines.append(row(f"  {label}", "exact", s))
        if layer == "events":
            for mode in ("exact", "overlap"):
                lines.append(row("  arguments", mode, block["arguments"][mode]))
            modality = block["modality_agreement"]
            lines.append(f"  modality agreement: {'-' if modality is None else f'{modality:.3f}'}")
    lines.append(f"kappa (token BIO, {result['tokens']} tokens): {result['kappa']:.3f}")
    return lines
