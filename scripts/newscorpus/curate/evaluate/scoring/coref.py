"""Coreference metrics as the CoNLL-2012 reference scorer (v8) computes them.

Key and response are partitions of mentions (any hashable ids) into clusters. Mentions on one
side only (twinless, in Pradhan et al. 2014's terms) are handled as that paper and the reference
implementation do:

- MUC (Vilain et al. 1995): recall = sum over key clusters K of |K| - |p(K)|, over the sum of
  |K| - 1, where p(K) is the partition of K by the response, a twinless mention forming a part
  of its own; precision swaps key and response.
- B-cubed (Bagga & Baldwin 1998): recall = sum over K and response clusters R of |K & R|^2 / |K|,
  over the number of key mentions; precision swaps the roles.
- CEAF-e (Luo 2005): phi4(K, R) = 2 |K & R| / (|K| + |R|); the best one-to-one alignment of key
  and response clusters (Kuhn-Munkres) gives S; recall = S / |key clusters|, precision =
  S / |response clusters|.

Each returns a Tally, so documents add up as the reference scorer sums them; the CoNLL-2012
figure is the mean of the three F1s. A mention listed twice is kept in the first cluster that
lists it (`distinct`), as the reference scorer de-duplicates. One deliberate difference: with no
link on either side (all singletons, or nothing), MUC is 1.0 here where the reference prints 0.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from .tally import Tally

Partition = list[frozenset[Any]]
METRICS = ("muc", "b_cubed", "ceaf_e")


def distinct(clusters: Iterable[Iterable[Hashable]]) -> Partition:
    """Clusters without repeated mentions: a mention stays in the first cluster listing it."""
    seen: set[Hashable] = set()
    out: Partition = []
    for cluster in clusters:
        kept = frozenset(m for m in cluster if m not in seen)
        seen |= kept
        if kept:
            out.append(kept)
    return out


def _owner(partition: Partition) -> dict[Any, int]:
    return {m: index for index, cluster in enumerate(partition) for m in cluster}


def _muc_side(clusters: Partition, other: Partition) -> tuple[float, float]:
    owner = _owner(other)
    numerator = denominator = 0
    for cluster in clusters:
        parts = {owner.get(m, ("twinless", m)) for m in cluster}
        numerator += len(cluster) - len(parts)
        denominator += len(cluster) - 1
    return numerator, denominator


def muc(key: Partition, response: Partition) -> Tally:
    recall_num, recall_den = _muc_side(key, response)
    precision_num, precision_den = _muc_side(response, key)
    return Tally(precision_num, precision_den, recall_num, recall_den)


def _b_cubed_side(clusters: Partition, other: Partition) -> float:
    owner = _owner(other)
    total = 0.0
    for cluster in clusters:
        shared: dict[int, int] = {}
        for m in cluster:
            if m in owner:
                shared[owner[m]] = shared.get(owner[m], 0) + 1
        total += sum(count * count for count in shared.values()) / len(cluster)
    return total


def b_cubed(key: Partition, response: Partition) -> Tally:
    return Tally(
        _b_cubed_side(response, key),
        sum(map(len, response)),
        _b_cubed_side(key, response),
        sum(map(len, key)),
    )


def ceaf_e(key: Partition, response: Partition) -> Tally:
    similarity = [[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key]
    best = sum(similarity[i][j] for i, j in best_assignment(similarity))
    return Tally(best, len(response), best, len(key))


def scores(key: Partition, response: Partition) -> dict[str, Tally]:
    return {
        "muc": muc(key, response),
        "b_cubed": b_cubed(key, response),
        "ceaf_e": ceaf_e(key, response),
    }


def conll_f1(tallies: dict[str, Tally]) -> float:
    """The CoNLL-2012 figure: the mean of the MUC, B-cubed and CEAF-e F1s."""
    return sum(tallies[m].f1 for m in METRICS) / len(METRICS)


def best_assignment(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Rows paired with columns, one-to-one, for the largest total weight (Kuhn-Munkres)."""
    rows = len(weights)
    columns = len(weights[0]) if rows else 0
    if not rows or not columns:
        return []
    if rows > columns:
        transposed = [[weights[i][j] for i in range(rows)] for j in range(columns)]
        return sorted((i, j) for j, i in best_assignment(transposed))
    top = max(max(row) for row in weights)
    cost = [[top - w for w in row] for row in weights]
    return _hungarian(cost, rows, columns)


def _hungarian(cost: list[list[float]], rows: int, columns: int) -> list[tuple[int, int]]:
    """Minimum-cost assignment of every row (rows <= columns); potentials u, v, 1-based."""
    infinity = float("inf")
    u, v = [0.0] * (rows + 1), [0.0] * (columns + 1)
    match = [0] * (columns + 1)  # match[j]: the row assigned to column j, 0 for none
    for row in range(1, rows + 1):
        match[0], column = row, 0
        least = [infinity] * (columns + 1)
        previous = [0] * (columns + 1)
        used = [False] * (columns + 1)
        while match[column]:
            used[column] = True
            i, delta, nearest = match[column], infinity, 0
            for j in range(1, columns + 1):
                if not used[j]:
                    reduced = cost[i - 1][j - 1] - u[i] - v[j]
                    if reduced < least[j]:
                        least[j], previous[j] = reduced, column
                    if least[j] < delta:
                        delta, nearest = least[j], j
            for j in range(columns + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            column = nearest
        while column:
            match[column] = match[previous[column]]
            column = previous[column]
    return sorted((match[j] - 1, j - 1) for j in range(1, columns + 1) if match[j])
