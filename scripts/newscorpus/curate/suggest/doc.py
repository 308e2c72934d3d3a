"""The text of a record as the rules read it: tokens with their sentence and passage."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ...model import Passage, Record
from ...tokens import sentences


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    sentence: int  # index of its sentence in the record
    first: bool  # the first word of its sentence (after opening punctuation)


@dataclass
class Doc:
    """Tokens of a record's text, in order, and their boundaries."""

    text: str
    passages: list[Passage]
    tokens: list[Token] = field(default_factory=list)
    starts: dict[int, int] = field(default_factory=dict)  # character offset -> token index
    ends: dict[int, int] = field(default_factory=dict)

    @classmethod
    def of(cls, record: Record) -> Doc:
        return cls.read(record["text"], record["passages"])

    @classmethod
    def read(cls, text: str, passages: list[Passage]) -> Doc:
        """The tokens of `text`, split into `passages`."""
        doc = cls(text, passages)
        for number, sentence in enumerate(sentences(doc.text, doc.passages)):
            seen_word = False
            for start, end in sentence.tokens:
                word = doc.text[start:end]
                first = not seen_word and word[:1].isalnum()
                seen_word = seen_word or first
                doc.starts[start] = len(doc.tokens)
                doc.ends[end] = len(doc.tokens)
                doc.tokens.append(Token(start, end, word, number, first))
        return doc

    def on_tokens(self, start: int, end: int) -> bool:
        return start in self.starts and end in self.ends

    def token_at(self, offset: int) -> int:
        """The index of the token that starts at or after `offset`."""
        return bisect.bisect_left([t.start for t in self.tokens], offset)

    def passage_of(self, offset: int) -> Passage | None:
        for passage in self.passages:
            if passage["start"] <= offset < passage["end"]:
                return passage
        return None

    def same_passage(self, start: int, end: int) -> bool:
        passage = self.passage_of(start)
        return passage is not None and end <= passage["end"]

    def word(self, index: int) -> str:
        return self.tokens[index].text if 0 <= index < len(self.tokens) else ""
