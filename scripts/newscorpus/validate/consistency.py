"""Level 6, consistency: mentions sit on tokens and inside sentences, and a named surface
form has one label and is annotated wherever it occurs."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from itertools import accumulate, chain, repeat

from ..canonical import LAYERS, canonicalize, is_canonical
from ..findings import Findings, pointer
from ..model import Mention, Record
from ..tokens import caching, may_span_sentences, token_boundaries, token_split

# --- level 6: consistency -------------------------------------------------------------------


def check_consistency(
    record: Record,
    out: Findings,
    sentences_wanted: bool = False,
    broken: frozenset[int] = frozenset(),
) -> None:
    """The checks of this level, leaving out the mentions at the indices `broken` (whose span
    already has an error)."""
    named = [
        m
        for i, m in enumerate(record["mentions"])
        if m["mention_type"] == "NAM" and i not in broken
    ]
    starts, ends = _boundaries(record, named, sentences_wanted)
    _check_tokens(record, out, starts, ends, broken)
    _check_forms(record, out, named, starts, ends, broken)


Boundaries = dict[int, int] | set[int]  # token starts (or ends), with their sentence when known

_REGIONAL_INDICATORS = re.compile("[\U0001f1e6-\U0001f1ff]{2,}")
_JOINED = re.compile("[\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\u0300-\u036f\u20d0-\u20ff]")
_CLUSTERED = re.compile(  # any character of the two patterns above
    "[\U0001f1e6-\U0001f1ff\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\u0300-\u036f\u20d0-\u20ff]"
)


def _inside_characters(text: str) -> set[int]:
    """Offsets that fall inside one user-perceived character, which no span may cut: between
    the two regional indicators of a flag, before a joiner, a variation selector, a skin tone
    or a combining mark, and after a joiner. The tokenizer may split there; a span must not."""
    inside: set[int] = set()
    if text.isascii() or not _CLUSTERED.search(text):  # most texts have none of them
        return inside
    for run in _REGIONAL_INDICATORS.finditer(text):
        inside.update(range(run.start() + 1, run.end(), 2))
    for mark in _JOINED.finditer(text):
        inside.add(mark.start())
        if mark.group() == "\u200d":
            inside.add(mark.end())
    return inside


def _boundaries(
    record: Record, named: list[Mention], sentences_wanted: bool
) -> tuple[Boundaries, Boundaries]:
    text = record["text"]
    starts: Boundaries
    ends: Boundaries
    if (
        sentences_wanted
        or caching()  # the split is kept, so the next edit of this record never re-tokenizes
        or any(may_span_sentences(m["text"]) for m in named)
    ):
        # Sentence index of every token start and end, to see whether a name is cut.
        split = token_split(text, record["passages"])
        sentence_of = list(chain.from_iterable(map(repeat, range(split.count), split.sizes)))
        starts = dict(zip(split.starts, sentence_of, strict=True))
        ends = dict(zip(split.ends, sentence_of, strict=True))
    else:  # no name can be cut: the tokenizer alone is enough, and much faster
        starts, ends = token_boundaries(text, record["passages"])
    return starts, ends


def _check_tokens(
    record: Record,
    out: Findings,
    starts: Boundaries,
    ends: Boundaries,
    broken: frozenset[int],
) -> None:
    inside = _inside_characters(record["text"])
    for i, mention in enumerate(record["mentions"]):
        if i in broken:
            continue
        if (
            mention["start"] not in starts
            or mention["end"] not in ends
            or mention["start"] in inside
            or mention["end"] in inside
        ):
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
    record: Record,
    out: Findings,
    named: list[Mention],
    starts: Boundaries,
    ends: Boundaries,
    broken: frozenset[int],
) -> None:
    text = record["text"]
    # Surface forms of named mentions: one label each, and annotated wherever they occur.
    labels: dict[str, set[str]] = defaultdict(set)
    for mention in named:
        labels[mention["text"]].add(mention["label"])
    first: dict[str, int] = {}  # the first mention of each form (looked up once, not per use)
    for i, mention in enumerate(record["mentions"]):
        if i not in broken:
            first.setdefault(mention["text"], i)
    for form, found in sorted(labels.items()):
        if len(found) > 1:
            index = first[form]
            out.add(
                "label-inconsistent",
                pointer("mentions", index),
                f"{form!r} is annotated as {', '.join(sorted(found))}.",
                "use one label for the surface form, "
                "unless the readings really differ (then say so in annotation.notes)",
            )
    # An occurrence is covered when some named mention starts at or before it and ends at or
    # after it: with mentions sorted by start, that is the running maximum of their ends. A
    # mention whose span has an error still covers its place: that error is already reported.
    covered = sorted((m["start"], m["end"]) for m in named)
    if broken:
        mentions = record["mentions"]
        covered = sorted(
            covered
            + [
                (mentions[i]["start"], mentions[i]["end"])
                for i in broken
                if mentions[i]["mention_type"] == "NAM"
                and 0 <= mentions[i]["start"] < mentions[i]["end"] <= len(text)
            ]
        )
    covered_starts = [start for start, _ in covered]
    reach = list(accumulate((end for _, end in covered), max))
    for form, at in _occurrences(text, named, starts, ends):
        end = at + len(form)
        index = bisect_right(covered_starts, at)
        if index and reach[index - 1] >= end:
            continue
        out.add(
            "unannotated-occurrence",
            pointer("mentions"),
            f"{form!r} at [{at}, "
            f"{end}) is not annotated, but {record['mentions'][first[form]]['id']} annotates "
            "it elsewhere.",
            f"add a mention for [{at}, {end}) or explain in notes",
        )


def _occurrences(
    text: str, named: list[Mention], starts: Boundaries, ends: Boundaries
) -> list[tuple[str, int]]:
    """(form, offset) of every token-aligned occurrence of a named surface form that may be
    unannotated, by form, then by offset: a place where a named mention of that very form
    starts (and reaches the form's end) is covered, and left out.

    A place is token-aligned when a token starts there that is the form's first token (as
    tokenized where the form is annotated: the nearest token end after the place is that
    first token's end), and a token ends where the form ends. Each form is looked for once
    with `str.find`; its first tokens are worked out only for a form found elsewhere.
    """
    token_ends: list[int] | None = None  # sorted, when first needed

    def first_end(at: int, limit: int) -> int:
        nonlocal token_ends
        if token_ends is None:
            token_ends = sorted(ends)
        index = bisect_right(token_ends, at)
        return min(token_ends[index], limit) if index < len(token_ends) else limit

    annotated: dict[str, set[int]] = defaultdict(set)  # where a named mention of each form is
    for mention in named:
        if mention["end"] - mention["start"] >= len(mention["text"]):
            annotated[mention["text"]].add(mention["start"])
    size = len(text)
    found = []
    for form in sorted({mention["text"] for mention in named}):
        known = annotated[form]
        heads: set[str] | None = None
        at = text.find(form)
        while at >= 0:
            if at not in known and at in starts and at + len(form) in ends:
                if heads is None:
                    heads = {
                        text[m["start"] : first_end(m["start"], m["end"])]
                        for m in named
                        if m["text"] == form
                    }
                if any(
                    head and text.startswith(head, at) and first_end(at, size) == at + len(head)
                    for head in heads
                ):
                    found.append((form, at))
            at = text.find(form, at + 1)
    return found


def check_canonical(record: Record, out: Findings, stem: str | None) -> None:
    """Warn when the record is not in canonical form: a layer out of reading order (the first
    item out of place is named), or keys out of the schema's order. Ids are never judged."""
    if is_canonical(record):
        return
    again = canonicalize(record)
    fix = f"run `newscorpus fmt {stem or record.get('id', 'ID')}`: it reorders, ids are kept"
    for layer in LAYERS:
        ids = [i.get("id") for i in record.get(layer, []) if isinstance(i, dict)]
        ordered = [i.get("id") for i in again.get(layer, []) if isinstance(i, dict)]
        at = next((k for k, (a, b) in enumerate(zip(ids, ordered, strict=False)) if a != b), None)
        if at is not None:
            message = (
                f"{layer} are not in reading order: {ids[at]} stands where {ordered[at]} belongs"
            )
            out.add("record-not-canonical", pointer(layer, at), message, fix)
            return
    out.add("record-not-canonical", "", "keys are not in the schema's order", fix)
