"""Level 6, consistency: mentions sit on tokens and inside sentences, and a named surface
form has one label and is annotated wherever it occurs."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from itertools import accumulate
from typing import Any

from ..findings import pointer
from ..tokens import may_span_sentences, sentences, token_boundaries
from .collect import Collector

# --- level 6: consistency -------------------------------------------------------------------


def check_consistency(
    record: dict[str, Any], out: Collector, sentences_wanted: bool = False
) -> None:
    named = [m for m in record["mentions"] if m["mention_type"] == "NAM"]
    starts, ends = _boundaries(record, named, sentences_wanted)
    _check_tokens(record, out, starts, ends)
    _check_forms(record, out, named, starts, ends)


Boundaries = dict[int, int] | set[int]  # token starts (or ends), with their sentence when known


def _boundaries(
    record: dict[str, Any], named: list[dict[str, Any]], sentences_wanted: bool
) -> tuple[Boundaries, Boundaries]:
    text = record["text"]
    starts: Boundaries
    ends: Boundaries
    if sentences_wanted or any(may_span_sentences(m["text"]) for m in named):
        # Sentence index of every token start and end, to see whether a name is cut.
        starts, ends = {}, {}
        for index, sentence in enumerate(sentences(text, record["passages"])):
            for start, end in sentence.tokens:
                starts[start] = ends[end] = index
    else:  # no name can be cut: the tokenizer alone is enough, and much faster
        starts, ends = token_boundaries(text, record["passages"])
    return starts, ends


def _check_tokens(
    record: dict[str, Any], out: Collector, starts: Boundaries, ends: Boundaries
) -> None:
    for i, mention in enumerate(record["mentions"]):
        if mention["start"] not in starts or mention["end"] not in ends:
            out.add(
                "mention-token-boundary",
                pointer("mentions", i),
                f"{mention['id']} {mention['text']!r} does not start and end on token boundaries.",
                "widen or narrow the span to whole tokens",
            )
        elif (
            mention["mention_type"] == "NAM"
            and isinstance(starts, dict)
            and isinstance(ends, dict)
            and starts[mention["start"]] != ends[mention["end"]]
        ):
            out.add(
                "mention-crosses-sentence",
                pointer("mentions", i),
                f"named mention "
                f"{mention['id']} {mention['text']!r} crosses a sentence break of the "
                "tokenizer.",
                "split it into one mention per sentence, or make it NOM",
            )


def _check_forms(
    record: dict[str, Any],
    out: Collector,
    named: list[dict[str, Any]],
    starts: Boundaries,
    ends: Boundaries,
) -> None:
    text = record["text"]
    # Surface forms of named mentions: one label each, and annotated wherever they occur.
    labels: dict[str, set[str]] = defaultdict(set)
    for mention in named:
        labels[mention["text"]].add(mention["label"])
    for form, found in sorted(labels.items()):
        if len(found) > 1:
            index = next(i for i, m in enumerate(record["mentions"]) if m["text"] == form)
            out.add(
                "label-inconsistent",
                pointer("mentions", index),
                f"{form!r} is annotated as {', '.join(sorted(found))}.",
                "use one label for the surface form, "
                "unless the readings really differ (then say so in annotation.notes)",
            )
    # An occurrence is covered when some named mention starts at or before it and ends at or
    # after it: with mentions sorted by start, that is the running maximum of their ends.
    covered = sorted((m["start"], m["end"]) for m in named)
    covered_starts = [start for start, _ in covered]
    reach = list(accumulate((end for _, end in covered), max))
    for form in sorted(labels):
        start = text.find(form)
        while start >= 0:
            end, at = start + len(form), start
            start = text.find(form, start + 1)
            if at not in starts or end not in ends:
                continue
            index = bisect_right(covered_starts, at)
            if index and reach[index - 1] >= end:
                continue
            first = next(i for i, m in enumerate(record["mentions"]) if m["text"] == form)
            out.add(
                "unannotated-occurrence",
                pointer("mentions"),
                f"{form!r} at [{at}, "
                f"{end}) is not annotated, but {record['mentions'][first]['id']} annotates "
                "it elsewhere.",
                f"add a mention for [{at}, {end}) or explain in notes",
            )
