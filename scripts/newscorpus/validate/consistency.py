"""Level 6, consistency: mentions sit on tokens and inside sentences, and a named surface
form has one label and is annotated wherever it occurs."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from itertools import accumulate

from ..canonical import LAYERS, canonicalize, is_canonical
from ..findings import Findings, pointer
from ..model import Mention, Record
from ..tokens import caching, may_span_sentences, sentences, token_boundaries

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
    if not _CLUSTERED.search(text):  # one scan: most texts have none of these characters
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
        starts, ends = {}, {}
        for index, sentence in enumerate(sentences(text, record["passages"])):
            for start, end in sentence.tokens:
                starts[start] = ends[end] = index
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
    """(form, offset) of every token-aligned occurrence of a named surface form, by form, then
    by offset.

    Searching the text once per form is quadratic when a record has many names, and slicing
    out every token to index it costs more than the search it saves; instead each form's
    first token (as tokenized where it is annotated) is looked for with `str.find`, and a
    place counts where a token starts that is that first token: it starts there and the
    nearest token end after it is the end of the head.
    """
    token_ends = sorted(ends)
    count = len(token_ends)
    size = len(text)

    def first_end(at: int, limit: int) -> int:
        index = bisect_right(token_ends, at)
        return min(token_ends[index], limit) if index < count else limit

    heads: dict[str, set[str]] = defaultdict(set)
    for mention in named:
        at = mention["start"]
        heads[mention["text"]].add(text[at : first_end(at, mention["end"])])
    found_at: dict[str, list[int]] = {}  # the token starts whose first token is each head

    def places_of(head: str) -> list[int]:
        places = found_at.get(head)
        if places is None:
            places = []
            width = len(head)
            at = text.find(head) if head else -1
            while at >= 0:
                if at in starts and first_end(at, size) == at + width:
                    places.append(at)
                at = text.find(head, at + 1)
            found_at[head] = places
        return places

    found = []
    for form in sorted(heads):
        (head, *more) = heads[form]
        if more:  # a form tokenized differently where it is annotated: all its heads' places
            places = sorted({at for head in heads[form] for at in places_of(head)})
        else:
            places = places_of(head)  # found left to right: in order, once each
        found += [
            (form, at) for at in places if text.startswith(form, at) and at + len(form) in ends
        ]
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
