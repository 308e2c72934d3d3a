"""The scorer's building blocks: coreference metrics against the reference scorer's own test
cases, the cluster alignment against scipy, and BIO chunking in seqeval's two modes.

Coreference: the test cases of the CoNLL reference scorer, conll/reference-coreference-scorers
(commit f49f3f8, test/CorefMetricTestConfig.pm with test/DataFiles/TC-A.key and
TC-A-*.response). The key {a} {b c} {d e f} is transcribed as partitions of letters: a, b, c,
d, e, f are the key mentions (tokens 0-1, 3-6 of sentence 1; 0, 2-3, 5, 7-9 of sentence 2);
B, p, q, r, x, y, z are the responses' other mentions (B: tokens 4-5 of sentence 1 in A5/A6).
The expected MUC and B-cubed figures are the exact fractions of that file (None: the file
gives F1 as the harmonic mean of the two); its CEAF-e figures are given to 5 decimals, and are
compared at 5 decimals.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscorpus.curate.evaluate.scoring import coref
from newscorpus.curate.evaluate.scoring.spans import chunks


def partition(*clusters: str | list[str]) -> coref.Partition:
    return coref.distinct(clusters)


KEY = partition("a", "bc", "def")
# id: (response, {metric: (recall, precision, F1)})
REFERENCE_CASES = {
    "A1": (partition("a", "bc", "def"), {"muc": (1, 1, 1), "b_cubed": (1, 1, 1)}),
    "A2": (partition("a", "de"), {"muc": (1 / 3, 1, 0.5), "b_cubed": ((7 / 3) / 6, 1, 14 / 25)}),
    "A3": (
        partition("a", "bcx", "dyef", "z"),
        {"muc": (1, 3 / 5, 0.75), "b_cubed": (1, (4 + 7 / 12) / 9, 110 / 163)},
    ),
    "A4": (
        partition("a", "bcx", "dz", "y"),
        {
            "muc": (1 / 3, 1 / 3, 1 / 3),
            "b_cubed": ((3 + 1 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 7, None),
        },
    ),
    "A5": (
        partition("a", ["b", "B", "c", "x"], "dz", "y"),
        {"muc": (1 / 3, 1 / 4, 2 / 7), "b_cubed": ((3 + 1 / 3) / 6, 2.5 / 8, None)},
    ),
    "A6": (
        partition("a", "bcx", "dz", ["B", "y"]),
        {"muc": (1 / 3, 1 / 4, 2 / 7), "b_cubed": ((10 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 8, None)},
    ),
    # A7-A9 repeat mention b (in its own cluster, then in another one, then ten times)
    "A7": (
        partition("a", ["b", "b", "c", "x"], "dz", "y"),
        {"muc": (1 / 3, 1 / 3, 1 / 3), "b_cubed": ((10 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 7, None)},
    ),
    "A8": (
        partition("a", "bcx", "dz", ["b", "y"]),
        {"muc": (1 / 3, 1 / 3, 1 / 3), "b_cubed": ((10 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 7, None)},
    ),
    "A9": (
        partition("a", "bcx", "dz", ["b"] * 10 + ["y"]),
        {"muc": (1 / 3, 1 / 3, 1 / 3), "b_cubed": ((10 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 7, None)},
    ),
    "A10": (partition(*"abcdef"), {"muc": (0, 0, 0), "b_cubed": (3 / 6, 6 / 6, 2 / 3)}),
    "A11": (
        partition("abcdef"),
        {"muc": (1, 3 / 5, 6 / 8), "b_cubed": (1, (1 / 6 + 2 * 2 / 6 + 3 * 3 / 6) / 6, 14 / 25)},
    ),
    "A12": (
        partition(*"apqcder"),
        {"muc": (0, 0, 0), "b_cubed": ((1 + 1 / 2 + 2 / 3) / 6, 4 / 7, None)},
    ),
    "A13": (
        partition("apqcder"),
        {
            "muc": (1 / 3, 1 / 6, 2 / 9),
            "b_cubed": ((1 + 1 / 2 + 2 * 2 / 3) / 6, (1 / 7 + 1 / 7 + 2 * 2 / 7) / 7, None),
        },
    ),
}
REFERENCE_CEAF_E = {
    "A1": (1, 1, 1),
    "A2": (0.6, 0.9, 0.72),
    "A3": (0.88571, 0.66429, 0.75918),
    "A4": (0.73333, 0.55, 0.62857),
    "A5": (0.68889, 0.51667, 0.59048),
    "A6": (0.73333, 0.55, 0.62857),
    "A7": (0.73333, 0.55, 0.62857),
    "A8": (0.73333, 0.55, 0.62857),
    "A9": (0.73333, 0.55, 0.62857),
}


@pytest.mark.parametrize("case", sorted(REFERENCE_CASES))
def test_muc_and_b_cubed_equal_the_reference_scorers_test_cases(case):
    response, expected = REFERENCE_CASES[case]
    for metric, (recall, precision, f1) in expected.items():
        tally = coref.scores(KEY, response)[metric]
        assert tally.recall == pytest.approx(recall, abs=1e-12), metric
        assert tally.precision == pytest.approx(precision, abs=1e-12), metric
        harmonic = 2 * recall * precision / (recall + precision) if recall + precision else 0
        assert tally.f1 == pytest.approx(harmonic if f1 is None else f1, abs=1e-12), metric


@pytest.mark.parametrize("case", sorted(REFERENCE_CEAF_E))
def test_ceaf_e_equals_the_reference_scorers_test_cases(case):
    tally = coref.ceaf_e(KEY, REFERENCE_CASES[case][0])
    assert (
        tuple(round(x, 5) for x in (tally.recall, tally.precision, tally.f1))
        == (REFERENCE_CEAF_E[case])
    )


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.floats(0, 1), min_size=1, max_size=6), min_size=1, max_size=6))
def test_the_cluster_alignment_is_optimal(rows):
    from scipy.optimize import linear_sum_assignment

    width = min(len(r) for r in rows)
    weights = [r[:width] for r in rows]
    ours = sum(weights[i][j] for i, j in coref.best_assignment(weights))
    i, j = linear_sum_assignment(weights, maximize=True)
    assert ours == pytest.approx(sum(weights[a][b] for a, b in zip(i, j, strict=True)))


def test_a_mention_listed_twice_stays_in_its_first_cluster():
    assert coref.distinct([["b", "c"], ["b", "y"], []]) == [frozenset("bc"), frozenset("y")]


def test_no_link_on_either_side_is_perfect_agreement_not_zero():
    # the reference scorer prints 0 here; nothing to link and nothing linked agree fully
    assert coref.muc(partition(*"ab"), partition(*"ab")).f1 == 1.0


@pytest.mark.parametrize(
    ("tags", "default", "strict"),
    [
        (["B-ORG", "I-ORG", "O", "B-GPE"], [(0, 2, "ORG"), (3, 4, "GPE")], None),
        (["O", "I-ORG", "I-ORG"], [(1, 3, "ORG")], []),
        (["B-ORG", "I-GPE", "I-GPE"], [(0, 1, "ORG"), (1, 3, "GPE")], [(0, 1, "ORG")]),
        (["B-ORG", "B-ORG", "I-ORG"], [(0, 1, "ORG"), (1, 3, "ORG")], None),
    ],
)
def test_chunks_follow_seqevals_default_and_strict_modes(tags, default, strict):
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2, Tokens

    assert chunks(tags) == default
    assert chunks(tags) == [(a, b + 1, t) for t, a, b in get_entities(tags)]
    expected = default if strict is None else strict
    assert chunks(tags, strict=True) == expected
    entities = Tokens(tags, IOB2).entities
    assert chunks(tags, strict=True) == [(e.start, e.end, e.tag) for e in entities]
