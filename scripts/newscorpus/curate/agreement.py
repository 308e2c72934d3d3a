"""Agreement between two annotations (records) of the same text.

A is the reference and B the comparison: precision = matched / |B|, recall = matched / |A|,
F1 their harmonic mean. When both sides have no item, all three are 1.0 (nothing to disagree
on); when only one side has items, the undefined ratio is 0.0.

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
tokens come from newscorpus.tokens.sentences over A's passages.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from operator import itemgetter
from pathlib import Path
from typing import Any

from ..errors import AgreementError
from ..jsonio import read_record
from ..records import shown_path
from ..tokens import bio_tags, first_difference, sentences
from ..validate import validate_record

Offsets = tuple[int, int]
LAYERS = ("mentions", "entities", "quotes", "events", "relations")
# Errors that leave nothing sound to compare; other findings (a missing seed, a label
# inconsistency, ...) do not stop a comparison.
BLOCKING = frozenset({"span-out-of-range", "span-empty", "ref-unresolved"})


# --- counting -------------------------------------------------------------------------------


def scores(matched: float, n_a: int, n_b: int) -> dict[str, Any]:
    precision = matched / n_b if n_b else float(n_a == 0)
    recall = matched / n_a if n_a else float(n_b == 0)
    return _with_f1(precision, recall, n_a, n_b, matched)


def _with_f1(
    precision: float, recall: float, n_a: int, n_b: int, matched: float | None = None
) -> dict[str, Any]:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out: dict[str, Any] = {"precision": precision, "recall": recall, "f1": f1, "a": n_a, "b": n_b}
    if matched is not None:
        out["matched"] = matched
    return out


def one_to_one(
    a: list[Any], b: list[Any], compatible: Callable[[Any, Any], bool]
) -> list[tuple[int, int]]:
    """A maximum matching of compatible pairs (Kuhn's augmenting paths)."""
    options = [[j for j, y in enumerate(b) if compatible(x, y)] for x in a]
    owner = [-1] * len(b)

    def augment(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j not in seen:
                seen.add(j)
                if owner[j] == -1 or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(a)):
        augment(i, set())
    return sorted((i, j) for j, i in enumerate(owner) if i != -1)


def _overlaps(x: Offsets, y: Offsets) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def _by_label(items: Iterable[Any], label: Callable[[Any], str]) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        groups[label(item)].append(item)
    return groups


def compare(
    a: list[Any], b: list[Any], label: Callable[[Any], str], compatible: Callable[[Any, Any], bool]
) -> tuple[dict[str, Any], list[tuple[Any, Any]]]:
    """Overall and per-label scores of a one-to-one matching within each label."""
    groups_a, groups_b = _by_label(a, label), _by_label(b, label)
    labels: dict[str, Any] = {}
    pairs: list[tuple[Any, Any]] = []
    for name in sorted(set(groups_a) | set(groups_b)):
        left, right = groups_a.get(name, []), groups_b.get(name, [])
        matched = one_to_one(left, right, compatible)
        pairs.extend((left[i], right[j]) for i, j in matched)
        labels[name] = scores(len(matched), len(left), len(right))
    result = scores(len(pairs), len(a), len(b))
    result["labels"] = labels
    return result, pairs


# --- the layers -----------------------------------------------------------------------------


class Side:
    """One annotation, with its references resolved to offsets."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.mentions = {m["id"]: m for m in record["mentions"]}
        self.entities = {e["id"]: e for e in record["entities"]}
        self.clusters: dict[str, set[Offsets]] = defaultdict(set)
        for mention in record["mentions"]:
            self.clusters[mention["entity"]].add(_offsets(mention))

    def entity_offsets(self, entity_id: str | None) -> frozenset[Offsets]:
        return frozenset(self.clusters.get(entity_id, ())) if entity_id else frozenset()

    def mention_offsets(self, mention_id: str | None) -> Offsets | None:
        mention = self.mentions.get(mention_id) if mention_id else None
        return _offsets(mention) if mention else None

    def speaker(self, quote: dict[str, Any]) -> frozenset[Offsets] | None:
        if quote["speaker"] is not None:
            return self.entity_offsets(quote["speaker"])
        source = self.mention_offsets(quote["source"])
        return frozenset([source]) if source else None


def _offsets(span: dict[str, Any]) -> Offsets:
    return (span["start"], span["end"])


def _share(x: frozenset[Offsets] | None, y: frozenset[Offsets] | None, exact: bool) -> bool:
    if x is None or y is None:
        return x is None and y is None
    if exact:
        return bool(x & y)
    return any(_overlaps(p, q) for p in x for q in y)


def _mentions(a: Side, b: Side) -> dict[str, Any]:
    label = itemgetter("label")
    exact, _ = compare(
        a.record["mentions"], b.record["mentions"], label, lambda x, y: _offsets(x) == _offsets(y)
    )
    overlap, _ = compare(
        a.record["mentions"],
        b.record["mentions"],
        label,
        lambda x, y: _overlaps(_offsets(x), _offsets(y)),
    )
    return {"f1": exact["f1"], "exact": exact, "overlap": overlap}


def b_cubed(key: list[set[Any]], response: list[set[Any]]) -> dict[str, Any]:
    """B-cubed precision, recall and F1 of response clusters against key clusters."""
    n_key, n_response = sum(map(len, key)), sum(map(len, response))
    if not n_key or not n_response:
        return scores(0, n_key, n_response) | {"a": n_key, "b": n_response}
    key_owner = {m: index for index, cluster in enumerate(key) for m in cluster}
    response_owner = {m: index for index, cluster in enumerate(response) for m in cluster}

    def weighted(clusters: list[set[Any]], owner: dict[Any, int]) -> float:
        """Sum over clusters of sum over the other side's clusters of |shared|^2 / |cluster|."""
        total = 0.0
        for cluster in clusters:
            shared = Counter(owner[m] for m in cluster if m in owner)
            total += sum(count * count for count in shared.values()) / len(cluster)
        return total

    precision = weighted(response, key_owner) / n_response
    recall = weighted(key, response_owner) / n_key
    return _with_f1(precision, recall, n_key, n_response)


def _entities(a: Side, b: Side) -> dict[str, Any]:
    aligned = _align_mentions(a.record["mentions"], b.record["mentions"])

    def clusters(side: Side, label: str | None, rename: Callable[[Offsets], Any]) -> list[set[Any]]:
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


def _align_mentions(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> dict[Offsets, Offsets]:
    """B's mention offsets to A's: identical offsets first, then one-to-one by overlap."""
    in_a = {_offsets(m) for m in a}
    aligned = {_offsets(m): _offsets(m) for m in b if _offsets(m) in in_a}
    rest_a = sorted(in_a - set(aligned.values()))
    rest_b = sorted({_offsets(m) for m in b} - set(aligned))
    for i, j in one_to_one(rest_a, rest_b, _overlaps):
        aligned[rest_b[j]] = rest_a[i]
    return aligned


def _quotes(a: Side, b: Side) -> dict[str, Any]:
    def parts(quote: dict[str, Any]) -> frozenset[Offsets]:
        return frozenset(_offsets(p) for p in quote["content"])

    def exact(x: dict[str, Any], y: dict[str, Any]) -> bool:
        return parts(x) == parts(y) and _share(a.speaker(x), b.speaker(y), exact=True)

    def overlap(x: dict[str, Any], y: dict[str, Any]) -> bool:
        return any(_overlaps(p, q) for p in parts(x) for q in parts(y)) and _share(
            a.speaker(x), b.speaker(y), exact=False
        )

    label = itemgetter("type")
    exact_scores, _ = compare(a.record["quotes"], b.record["quotes"], label, exact)
    overlap_scores, _ = compare(a.record["quotes"], b.record["quotes"], label, overlap)
    return {"f1": exact_scores["f1"], "exact": exact_scores, "overlap": overlap_scores}


def _events(a: Side, b: Side) -> dict[str, Any]:
    label = itemgetter("type")
    out: dict[str, Any] = {}
    arguments: dict[str, Any] = {}
    modes: tuple[tuple[str, Callable[[Offsets, Offsets], bool]], ...] = (
        ("exact", _same),
        ("overlap", _overlaps),
    )
    for mode, same in modes:
        result, pairs = compare(a.record["events"], b.record["events"], label, _by_trigger(same))
        out[mode] = result
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
    out["arguments"] = arguments
    out["f1"] = out["exact"]["f1"]
    return out


def _same(x: Offsets, y: Offsets) -> bool:
    return x == y


def _by_trigger(same: Callable[[Offsets, Offsets], bool]) -> Callable[[Any, Any], bool]:
    return lambda x, y: same(_offsets(x["trigger"]), _offsets(y["trigger"]))


def _by_argument(same: Callable[[Offsets, Offsets], bool]) -> Callable[[Any, Any], bool]:
    """Arguments (role, mention offsets) match with the same role and matching mentions."""
    return lambda p, q: p[0] == q[0] and p[1] is not None and q[1] is not None and same(p[1], q[1])


def _by_head_and_tail(a: Side, b: Side, exact: bool) -> Callable[[Any, Any], bool]:
    return lambda x, y: (
        _share(a.entity_offsets(x["head"]), b.entity_offsets(y["head"]), exact)
        and _share(a.entity_offsets(x["tail"]), b.entity_offsets(y["tail"]), exact)
    )


def _relations(a: Side, b: Side) -> dict[str, Any]:
    label = itemgetter("type")
    out: dict[str, Any] = {}
    for mode, exact in (("exact", True), ("overlap", False)):
        out[mode], _ = compare(
            a.record["relations"],
            b.record["relations"],
            label,
            _by_head_and_tail(a, b, exact),
        )
    out["f1"] = out["exact"]["f1"]
    return out


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


def agreement(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Scores of B against A, one entry per layer plus `kappa`. Raises AgreementError."""
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
    }


def compare_files(a: Path, b: Path, root: Path) -> dict[str, Any]:
    """`agreement` of the record files `a` and `b`, named by their paths relative to `root`.

    Raises AgreementError when a file is not a sound record (unreadable, a schema error or a
    BLOCKING one) or when the two annotate different texts.
    """
    first, second = _sound_record(a, root), _sound_record(b, root)
    return {"a": shown_path(a, root), "b": shown_path(b, root), **agreement(first, second)}


def _sound_record(path: Path, root: Path) -> dict[str, Any]:
    shown = shown_path(path, root)
    record, problems = read_record(path, shown)
    if record is None or problems:
        raise AgreementError(problems[0].format() if problems else f"{shown}: unreadable")
    errors = [
        f
        for f in validate_record(record, file=shown, root=None)
        if f.severity == "error" and (f.level == "schema" or f.code in BLOCKING)
    ]
    if errors:
        raise AgreementError(
            f"{shown} is not a sound record, so it cannot be compared:\n{errors[0].format()}"
        )
    return record


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
