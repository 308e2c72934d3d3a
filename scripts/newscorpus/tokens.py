"""Sentences, tokens and BIO tags, derived at build time and never stored in records.

spaCy's rule-based English tokenizer and sentencizer are deterministic, need no model
download, and are well maintained. Each passage is processed on its own, so no sentence
crosses a passage boundary (a headline has no final full stop).
"""

from __future__ import annotations

import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast

from .cache import CACHE_DIR
from .model import Mention, Passage
from .token_cache import Split, TokenCache, text_key


class Sentence(NamedTuple):
    """A sentence's span and its non-space tokens. A named tuple: a build makes one per
    sentence of every record, and a frozen dataclass cost several times as much to make."""

    start: int
    end: int
    tokens: tuple[tuple[int, int], ...]  # (start, end) character offsets into the record text


@cache
def _pipeline() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    # The length guard protects pipelines with parsers; a tokenizer and the rule-based
    # sentencizer handle articles of any length in memory proportional to the text.
    nlp.max_length = 10**9
    return nlp


# the key, Split and (once asked for) Sentence tuples of the last call
_LAST: list[Any] = [None, None, None]
_CACHE: list[TokenCache] = []  # the token cache in use in this process, if any


def use_cache(root: Path | None) -> None:
    """Keep and reuse sentences under `root`'s cache from now on, in this process (see
    token_cache: an edit that leaves the text alone never re-tokenizes); None: no cache."""
    if root is None:
        flush_cache()
        _CACHE.clear()
    elif not _CACHE or _CACHE[0].base != root / CACHE_DIR:
        flush_cache()
        _CACHE[:] = [TokenCache(root)]
        _LAST[0] = None  # so that the last split is kept in this cache too


def flush_cache() -> None:
    """Write the token cache entries this process still holds (a task's end calls this: a
    worker process ends without running exit handlers)."""
    if _CACHE:
        _CACHE[0].flush()


def token_split(text: str, passages: Sequence[Passage]) -> Split:
    """The sentences of a record, each inside one passage, with non-space token offsets, as
    arrays (token_cache.Split).

    The last result is kept: validating a record and deriving its ner rows, one after the
    other, run the pipeline once. With a token cache in use, a text seen before is not
    tokenized again.
    """
    key = (text, _passage_key(passages))
    if _LAST[0] == key:
        return cast(Split, _LAST[1])
    entry = text_key(text, passages) if _CACHE else ""
    found = _CACHE[0].get(entry) if _CACHE else None
    if found is None:
        found = _split(text, passages)
        if _CACHE:
            _CACHE[0].put(entry, found)
    _LAST[0], _LAST[1], _LAST[2] = key, found, None
    return found


def sentences(text: str, passages: Sequence[Passage]) -> tuple[Sentence, ...]:
    """token_split as Sentence tuples."""
    split = token_split(text, passages)
    if _LAST[2] is None or _LAST[1] is not split:
        pairs = list(zip(split.starts, split.ends, strict=True))
        cuts = [0, *accumulate(split.sizes)]
        found = tuple(
            Sentence(pairs[first][0], pairs[last - 1][1], tuple(pairs[first:last]))
            for first, last in pairwise(cuts)
        )
        _LAST[2] = found
    return cast("tuple[Sentence, ...]", _LAST[2])


def caching() -> bool:
    """Whether sentences are kept in a token cache in this process."""
    return bool(_CACHE)


def _passage_key(passages: Sequence[Passage]) -> tuple[int, ...]:
    return tuple(sorted(p["start"] for p in passages))  # all that the split depends on


def _split(text: str, passages: Sequence[Passage]) -> Split:
    """Sentences of the whole text with a break forced at every passage start.

    The whole text goes through the tokenizer once. This gives the same sentences as
    processing each passage on its own, because the blank line between passages is a space
    token: the tokenizer's last pass, which matches its special cases over the whole Doc,
    never matches across a space token (its patterns hold none), and the sentencizer's state
    starts afresh at one. (Chunks parted by a single space are not independent: that pass can
    pair tokens across it, so ":>D" gives ":>", "D" alone but ":", ">", "D" after ") ".)
    Everything is read from the Doc's arrays, never from Token objects (creating one per
    token was most of a build's time), and the result stays an array.
    """
    import numpy

    table = _token_table(text)
    words = numpy.flatnonzero(table[:, 2] == 0)  # non-space tokens
    if not len(words):
        return Split(array("q", [0]))
    # A word opens a sentence when the sentencizer starts one at it or at a space token since
    # the previous word, or when a passage starts since the previous word.
    opened = numpy.cumsum(sentence_starts(table))
    bounds = numpy.array(sorted(p["start"] for p in passages)[1:], dtype=numpy.int64)
    idx = table[words, 0]
    passage_of = numpy.searchsorted(bounds, idx, side="right")
    breaks = numpy.ones(len(words), dtype=bool)
    breaks[1:] = (opened[words[1:]] > opened[words[:-1]]) | (passage_of[1:] > passage_of[:-1])
    cuts = numpy.append(numpy.flatnonzero(breaks), len(words))
    numbers = numpy.empty(len(cuts) + 2 * len(words), dtype=numpy.int64)
    numbers[0] = len(cuts) - 1
    numbers[1 : len(cuts)] = numpy.diff(cuts)
    numbers[len(cuts) :: 2] = idx
    numbers[len(cuts) + 1 :: 2] = idx + table[words, 1]
    return Split(array("q", numbers.tobytes()))


def _token_table(text: str) -> Any:
    """The tokenizer's arrays for `text`: one row per token, (IDX, LENGTH, IS_SPACE, IS_PUNCT,
    ORTH), as a numpy int64 array."""
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH

    doc = _pipeline().tokenizer(text)
    return doc.to_array([IDX, LENGTH, IS_SPACE, IS_PUNCT, ORTH]).astype("int64")


@cache
def _punctuation_ids() -> Any:
    import numpy
    from spacy.strings import get_string_id

    ids = [get_string_id(char) for char in sorted(_sentence_punctuation())]
    return numpy.unique(numpy.array(ids, dtype="uint64").astype("int64"))  # sorted, once each


def _is_final(orths: Any) -> Any:
    """Which of these ORTH ids is a sentence-final character: a binary search in the sorted
    ids (numpy.isin sorts both arrays on every call)."""
    import numpy

    ids = _punctuation_ids()
    if not len(ids):
        return numpy.zeros(len(orths), dtype=bool)
    at = numpy.searchsorted(ids, orths)
    at[at == len(ids)] = 0  # past the largest id: compared with the first, never equal
    return ids[at] == orths


def sentence_starts(table: Any) -> Any:
    """spaCy's rule-based sentencizer (its default punctuation) over a token table, as a
    boolean array: which tokens start a sentence.

    The sentencizer starts a sentence at a token that is neither punctuation nor a
    sentence-final character and follows one of those characters since the last such token;
    the first token always starts one. This is the same rule over numpy arrays (the tests
    compare it with the pipe's own `SENT_START` on random texts).
    """
    import numpy

    count = len(table)
    starts = numpy.zeros(count, dtype=bool)
    if not count:
        return starts
    final = _is_final(table[:, 4])  # a sentence-final character
    plain = numpy.flatnonzero((table[:, 3] == 0) & ~final)  # may open a sentence
    seen = numpy.concatenate(([0], numpy.cumsum(final)))  # final characters before each token
    previous = numpy.concatenate(([-1], plain[:-1]))  # the plain token before each plain one
    starts[plain[seen[plain] > seen[previous + 1]]] = True
    starts[0] = True
    return starts


def token_boundaries(text: str, passages: Sequence[Passage]) -> tuple[set[int], set[int]]:
    """The sets of token start and end offsets of a record's text.

    Sentence splitting never changes tokens, so the tokenizer alone gives the same boundaries
    as `sentences`, faster.
    """
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    # Only the three columns needed (not _token_table's five): a tenth of validate's time
    # went to this function.
    table = _pipeline().tokenizer(text).to_array([IDX, LENGTH, IS_SPACE])
    words = table[table[:, 2] == 0]
    starts = words[:, 0]
    return set(starts.tolist()), set((starts + words[:, 1]).tolist())


@cache
def _sentence_punctuation() -> frozenset[str]:
    from spacy.pipeline import Sentencizer

    return frozenset(Sentencizer.default_punct_chars)


@lru_cache(maxsize=1 << 14)  # names recur: within an article and across articles
def may_span_sentences(span_text: str) -> bool:
    """False when no sentence break of the sentencizer can fall inside this span.

    The sentencizer starts a sentence only at a non-punctuation token that follows a
    sentence-final character, with nothing but punctuation in between. So a break can fall
    inside a span only if the span holds such a character before its end, or opens with
    punctuation that may follow one.
    """
    punctuation = _sentence_punctuation()
    opens_with_punctuation = unicodedata.category(span_text[:1] or " ").startswith("P")
    return opens_with_punctuation or not punctuation.isdisjoint(span_text[:-1])


def bio_tags(mentions: Iterable[Mention], tokens: Sequence[tuple[int, int]]) -> list[str]:
    """BIO tags of the named (NAM) mentions over `tokens` (offsets in text order).

    A token belongs to the mention its start falls in; a mention's first token is B-LABEL,
    the rest I-LABEL. Mentions are taken by start (the longest first), and a token already
    tagged keeps its tag, so overlapping mentions (which a valid record never has) still give
    well-formed tags. The NER view, the CoNLL export and agreement's kappa all tag this way.
    """
    starts = [start for start, _ in tokens]
    return bio_marks(mentions, starts, "O", lambda label: ("B-" + label, "I-" + label))


T = TypeVar("T")


def bio_marks(
    mentions: Iterable[Mention],
    starts: Sequence[int],
    outside: T,
    marks: Callable[[str], tuple[T, T]],
) -> list[T]:
    """bio_tags over the tokens that start at `starts`, each tag whatever `marks` gives for a
    label as (begin, inside), and `outside` for no name: label strings, or class ids."""
    tags = [outside] * len(starts)
    named = sorted(
        (m for m in mentions if m["mention_type"] == "NAM"), key=lambda m: (m["start"], -m["end"])
    )
    for mention in named:
        prefix, inside = marks(mention["label"])
        for index in range(
            bisect_left(starts, mention["start"]), bisect_left(starts, mention["end"])
        ):
            if tags[index] == outside:
                tags[index] = prefix
                prefix = inside
    return tags


def first_difference(a: str, b: str) -> int | None:
    """The offset at which two texts first differ, or None when they are equal."""
    if a == b:
        return None
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
