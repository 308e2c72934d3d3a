"""Precision, recall and F1 kept as sums, so that documents add up before anything is divided.

A Tally holds the numerator and denominator of precision and of recall. For plain matching
both numerators are the number of matched items; for B-cubed or the SemEval partial scheme they
differ from a count. Summing tallies over documents and dividing once gives the micro average,
which is what the CoNLL scorers and seqeval report for a corpus.

Conventions: when a denominator is zero the ratio is 1.0 if the other side has nothing either
(nothing to find and nothing found), else 0.0; F1 is 2PR / (P + R), 0.0 when P + R is 0. The
macro average is seqeval's: the unweighted mean of the per-label precisions, recalls and F1s,
over every label seen on either side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Tally:
    precision_num: float = 0.0
    predicted: float = 0.0  # the precision denominator
    recall_num: float = 0.0
    gold: float = 0.0  # the recall denominator
    counted: bool = False  # the numerators are one count of matched items (`matched`)

    @classmethod
    def of(cls, matched: float, gold: float, predicted: float) -> Tally:
        return cls(matched, predicted, matched, gold, counted=True)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.precision_num + other.precision_num,
            self.predicted + other.predicted,
            self.recall_num + other.recall_num,
            self.gold + other.gold,
            self.counted or other.counted,
        )

    @property
    def precision(self) -> float:
        return self.precision_num / self.predicted if self.predicted else float(self.gold == 0)

    @property
    def recall(self) -> float:
        return self.recall_num / self.gold if self.gold else float(self.predicted == 0)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "gold": _number(self.gold),
            "predicted": _number(self.predicted),
        }
        if self.counted:
            out["matched"] = _number(self.recall_num)
        return out


def f1(precision: float, recall: float) -> float:
    return 2 * (precision * recall) / (precision + recall) if precision + recall else 0.0


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def total(tallies: Iterable[Tally]) -> Tally:
    out = Tally()
    for tally in tallies:
        out = out + tally
    return out


@dataclass(frozen=True)
class Breakdown:
    """An overall tally and one per label; documents add up with `+`."""

    overall: Tally = field(default_factory=Tally)
    labels: dict[str, Tally] = field(default_factory=dict)

    def __add__(self, other: Breakdown) -> Breakdown:
        labels = dict(self.labels)
        for label, tally in other.labels.items():
            labels[label] = labels.get(label, Tally()) + tally
        return Breakdown(self.overall + other.overall, labels)

    def macro(self) -> dict[str, float]:
        return macro(self.labels)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.overall.to_dict(),
            "macro": self.macro(),
            "labels": {label: self.labels[label].to_dict() for label in sorted(self.labels)},
        }


@dataclass(frozen=True)
class Accuracy:
    """The share of `total` items that are right; None when there is nothing to judge."""

    correct: int = 0
    total: int = 0

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {"accuracy": self.value, "correct": self.correct, "total": self.total}


def macro(labels: Mapping[str, Tally]) -> dict[str, float]:
    """seqeval's macro average: the mean of the per-label figures (1.0 with no label at all).

    numpy's mean, as seqeval takes it: its pairwise summation can differ from a plain sum in
    the last bit, and the figures are meant to be equal to seqeval's, not merely close.
    """
    import numpy as np

    if not labels:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    tallies = [labels[label] for label in sorted(labels)]  # in seqeval's order
    return {
        "precision": float(np.mean([t.precision for t in tallies])),
        "recall": float(np.mean([t.recall for t in tallies])),
        "f1": float(np.mean([t.f1 for t in tallies])),
    }


def one_to_one(
    a: list[Any], b: list[Any], compatible: Callable[[Any, Any], bool]
) -> list[tuple[int, int]]:
    """A maximum matching of compatible pairs (Kuhn's augmenting paths), as (i, j) in order."""
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


def staged_one_to_one(
    a: list[Any], b: list[Any], stages: list[Callable[[Any, Any], bool]]
) -> list[tuple[int, int]]:
    """One-to-one pairs by the first criterion, then the items left over by the next, ...

    Identical items pair with each other before merely similar ones can take them.
    """
    pairs: list[tuple[int, int]] = []
    for compatible in stages:
        left = [i for i in range(len(a)) if i not in {p for p, _ in pairs}]
        right = [j for j in range(len(b)) if j not in {q for _, q in pairs}]
        found = one_to_one([a[i] for i in left], [b[j] for j in right], compatible)
        pairs.extend((left[i], right[j]) for i, j in found)
    return sorted(pairs)


def matched_by_label(
    gold: list[Any],
    predicted: list[Any],
    label: Callable[[Any], str],
    compatible: Callable[[Any, Any], bool],
) -> tuple[Breakdown, list[tuple[Any, Any]]]:
    """One-to-one matching within each label: the breakdown and the matched (gold, pred) pairs.

    Items only match items of their own label, so the per-label tallies add up to the overall.
    """
    groups_gold, groups_predicted = _by_label(gold, label), _by_label(predicted, label)
    labels: dict[str, Tally] = {}
    pairs: list[tuple[Any, Any]] = []
    for name in sorted(set(groups_gold) | set(groups_predicted)):
        left, right = groups_gold.get(name, []), groups_predicted.get(name, [])
        matched = one_to_one(left, right, compatible)
        pairs.extend((left[i], right[j]) for i, j in matched)
        labels[name] = Tally.of(len(matched), len(left), len(right))
    return Breakdown(Tally.of(len(pairs), len(gold), len(predicted)), labels), pairs


def _by_label(items: Iterable[Any], label: Callable[[Any], str]) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = {}
    for item in items:
        groups.setdefault(label(item), []).append(item)
    return groups
