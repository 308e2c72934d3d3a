"""Span matching: the SemEval-2013 schemes and entity-level scores on BIO tags.

A span is (start, end, label) with `end` exclusive, in characters or tokens; two spans overlap
when they share a position.

The SemEval-2013 Task 9.1 schemes (Segura-Bedmar et al. 2013), as nervaluate counts them:
each predicted span, in text order, takes one gold span not yet taken, and is

- correct when it is the same under the scheme (strict: same bounds and label; exact and
  partial: same bounds; type: same label and overlapping, the closest bounds first),
- else incorrect (strict, exact, type) or partial (partial) when it overlaps a gold span not yet
  taken (the first in text order),
- else spurious; gold spans left untaken are missed.

P = credit / (correct + incorrect + partial + spurious), R = credit / (correct + incorrect +
partial + missed), where credit = correct + 0.5 * partial for the partial and type schemes and
correct for the other two. nervaluate's default overlap threshold, 1% of the gold span, is met by
one shared token for any entity under 100 tokens; here one shared position always suffices.
Per label, the scheme runs on the spans of that label only.

BIO chunking follows seqeval: the default mode reads tags as conlleval does (an I- tag after O
or after another type starts a chunk); strict mode (IOB2) starts chunks only at B- and drops a
stray I-. Entity-level scores are then exact (bounds and label) set matches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .tally import Breakdown, Tally

Span = tuple[int, int, str]
SCHEMES = ("strict", "exact", "partial", "type")
PARTIAL_CREDIT = frozenset({"partial", "type"})


def overlaps(x: tuple[Any, ...], y: tuple[Any, ...]) -> bool:
    """Whether two spans, (start, end, ...), share a position."""
    return bool(x[0] < y[1] and y[0] < x[1])


@dataclass(frozen=True)
class Outcomes:
    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0

    def __add__(self, other: Outcomes) -> Outcomes:
        return Outcomes(
            self.correct + other.correct,
            self.incorrect + other.incorrect,
            self.partial + other.partial,
            self.missed + other.missed,
            self.spurious + other.spurious,
        )

    def tally(self, partial_credit: bool) -> Tally:
        credit = self.correct + 0.5 * self.partial if partial_credit else self.correct
        actual = self.correct + self.incorrect + self.partial + self.spurious
        possible = self.correct + self.incorrect + self.partial + self.missed
        return Tally(credit, actual, credit, possible)


_SAME: dict[str, Callable[[Span, Span], bool]] = {
    "strict": lambda p, g: p == g,
    "exact": lambda p, g: p[:2] == g[:2],
    "partial": lambda p, g: p[:2] == g[:2],
    "type": lambda p, g: p[2] == g[2],
}


def scheme_outcomes(gold: Sequence[Span], predicted: Sequence[Span], scheme: str) -> Outcomes:
    """The SemEval-2013 counts of one document under `scheme` (see the module docstring)."""
    same = _SAME[scheme]
    gold = sorted(gold)
    taken: set[int] = set()
    correct = near = spurious = 0
    for p in sorted(predicted):
        best: int | None = None
        best_distance = 0
        fallback: int | None = None
        for i, g in enumerate(gold):
            if i in taken or not overlaps(p, g):
                continue
            if same(p, g):
                distance = abs(p[0] - g[0]) + abs(p[1] - g[1])
                if best is None or distance < best_distance:
                    best, best_distance = i, distance
            elif fallback is None:
                fallback = i
        if best is not None:
            taken.add(best)
            correct += 1
        elif fallback is not None:
            taken.add(fallback)
            near += 1
        else:
            spurious += 1
    missed = len(gold) - len(taken)
    if scheme == "partial":
        return Outcomes(correct, 0, near, missed, spurious)
    return Outcomes(correct, near, 0, missed, spurious)


@dataclass(frozen=True)
class SchemeScores:
    """The outcomes of one scheme, overall and per label; documents add up with `+`."""

    scheme: str
    overall: Outcomes
    labels: dict[str, Outcomes]

    @classmethod
    def of(cls, gold: Sequence[Span], predicted: Sequence[Span], scheme: str) -> SchemeScores:
        labels = {
            label: scheme_outcomes(
                [s for s in gold if s[2] == label], [s for s in predicted if s[2] == label], scheme
            )
            for label in {s[2] for s in gold} | {s[2] for s in predicted}
        }
        return cls(scheme, scheme_outcomes(gold, predicted, scheme), labels)

    def __add__(self, other: SchemeScores) -> SchemeScores:
        labels = dict(self.labels)
        for label, outcomes in other.labels.items():
            labels[label] = labels.get(label, Outcomes()) + outcomes
        return SchemeScores(self.scheme, self.overall + other.overall, labels)

    def breakdown(self) -> Breakdown:
        credit = self.scheme in PARTIAL_CREDIT
        return Breakdown(
            self.overall.tally(credit), {k: v.tally(credit) for k, v in self.labels.items()}
        )

    def to_dict(self) -> dict[str, Any]:
        return {**self.breakdown().to_dict(), "counts": asdict(self.overall)}


def exact_matches(gold: Sequence[Span], predicted: Sequence[Span]) -> Breakdown:
    """Set matching of (start, end, label), per label: seqeval's entity-level counting."""
    gold_set, predicted_set = set(gold), set(predicted)
    labels: dict[str, Tally] = {}
    for label in {s[2] for s in gold_set} | {s[2] for s in predicted_set}:
        mine_gold = {s for s in gold_set if s[2] == label}
        mine_predicted = {s for s in predicted_set if s[2] == label}
        matched = len(mine_gold & mine_predicted)
        labels[label] = Tally.of(matched, len(mine_gold), len(mine_predicted))
    overall = Tally.of(len(gold_set & predicted_set), len(gold_set), len(predicted_set))
    return Breakdown(overall, labels)


def chunks(tags: Sequence[str], strict: bool = False) -> list[Span]:
    """The entities of one sentence's BIO tags, as (first token, last token + 1, label)."""
    found: list[Span] = []
    begin, kind = -1, ""
    for index, tag in enumerate([*tags, "O"]):
        prefix, label = tag[:1], tag[2:]
        inside = prefix == "I" and label == kind and begin >= 0
        if begin >= 0 and not inside:
            found.append((begin, index, kind))
            begin, kind = -1, ""
        starts = prefix == "B" or (prefix == "I" and not inside and not strict)
        if starts:
            begin, kind = index, label
    return found
