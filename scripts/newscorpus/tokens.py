"""Sentences and tokens, derived at build time and never stored in records.

spaCy's rule-based English tokenizer and sentencizer are deterministic, need no model
download, and are well maintained. Each passage is processed on its own, so no sentence
crosses a passage boundary (a headline has no final full stop).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    tokens: tuple[tuple[int, int], ...]  # (start, end) character offsets into the record text


@cache
def _pipeline() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(text: str, passages: list[dict[str, Any]]) -> Iterator[Sentence]:
    nlp = _pipeline()
    for passage in passages:
        offset = passage["start"]
        doc = nlp(text[offset : passage["end"]])
        for sent in doc.sents:
            toks = tuple(
                (offset + tok.idx, offset + tok.idx + len(tok.text))
                for tok in sent
                if not tok.is_space
            )
            if toks:
                yield Sentence(toks[0][0], toks[-1][1], toks)


def token_boundaries(text: str, passages: list[dict[str, Any]]) -> tuple[set[int], set[int]]:
    """The sets of token start and end offsets of a record's text."""
    starts: set[int] = set()
    ends: set[int] = set()
    for sentence in sentences(text, passages):
        for start, end in sentence.tokens:
            starts.add(start)
            ends.add(end)
    return starts, ends
