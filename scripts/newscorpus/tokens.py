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
    """The sets of token start and end offsets of a record's text.

    Sentence splitting never changes tokens, so the tokenizer alone gives the same boundaries
    as `sentences`, several times faster.
    """
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    tokenizer = _pipeline().tokenizer
    starts: set[int] = set()
    ends: set[int] = set()
    for passage in passages:
        offset = passage["start"]
        table = tokenizer(text[offset : passage["end"]]).to_array([IDX, LENGTH, IS_SPACE])
        for idx, length, is_space in table.tolist():
            if not is_space:
                starts.add(offset + idx)
                ends.add(offset + idx + length)
    return starts, ends
