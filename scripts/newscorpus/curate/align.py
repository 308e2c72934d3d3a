"""Word-level alignment of an article's old and new text, and the offset map built on it.

The texts are aligned word by word (difflib.SequenceMatcher over word, space and punctuation
tokens), so a changed name is one replaced word, not a scatter of matching letters. See
curate.reanchor for how spans move through the map.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..model import Passage
from ..tokens import sentences

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def _tokens(text: str) -> tuple[list[str], list[int]]:
    pieces, starts = [], []
    for match in _TOKEN.finditer(text):
        pieces.append(match.group(0))
        starts.append(match.start())
    starts.append(len(text))
    return pieces, starts


@dataclass(frozen=True)
class Block:
    tag: str  # equal, replace, delete, insert
    old_start: int
    old_end: int
    new_start: int
    new_end: int


def alignment(old: str, new: str) -> list[Block]:
    """Character-offset opcodes of a word-level diff of the two texts."""
    old_pieces, old_starts = _tokens(old)
    new_pieces, new_starts = _tokens(new)
    matcher = SequenceMatcher(None, old_pieces, new_pieces, autojunk=False)
    return [
        Block(tag, old_starts[i1], old_starts[i2], new_starts[j1], new_starts[j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


class OffsetMap:
    """Old offsets to new ones, through the blocks of an alignment."""

    def __init__(self, blocks: list[Block]) -> None:
        # Insert blocks cover no old character, so they never contain one.
        self.blocks = [b for b in blocks if b.old_end > b.old_start]
        self.firsts = [b.old_start for b in self.blocks]

    def _block(self, char: int) -> Block:
        return self.blocks[bisect.bisect_right(self.firsts, char) - 1]

    def start(self, start: int, *, widen: bool = True) -> int:
        block = self._block(start)
        if block.tag == "equal":
            return block.new_start + start - block.old_start
        return block.new_start if widen or block.tag == "delete" else block.new_end

    def end(self, end: int, *, widen: bool = True) -> int:
        block = self._block(end - 1)
        if block.tag == "equal":
            return block.new_start + end - block.old_start
        return block.new_end if widen and block.tag == "replace" else block.new_start


def place(
    offsets: OffsetMap,
    text: str,
    passages: list[tuple[int, int]],
    start: int,
    end: int,
    widen: bool,
) -> tuple[int, int] | None:
    new_start, new_end = offsets.start(start, widen=widen), offsets.end(end, widen=widen)
    best = max(passages, key=lambda p: min(p[1], new_end) - max(p[0], new_start))
    new_start, new_end = max(new_start, best[0]), min(new_end, best[1])
    while new_start < new_end and text[new_start].isspace():
        new_start += 1
    while new_end > new_start and text[new_end - 1].isspace():
        new_end -= 1
    return (new_start, new_end) if new_start < new_end else None


class Tokens:
    """The new text's tokens, to put mentions back on token boundaries."""

    def __init__(self, text: str, passages: Sequence[Passage]) -> None:
        self.spans = sorted(
            tok for sentence in sentences(text, passages) for tok in sentence.tokens
        )
        self.starts = [start for start, _ in self.spans]
        self.ends = [end for _, end in self.spans]

    def snap(self, place: tuple[int, int] | None, widen: bool) -> tuple[int, int] | None:
        """Whole tokens: the tokens the span touches (widen) or lies over entirely."""
        if place is None:
            return None
        start, end = place
        if widen:
            first = bisect.bisect_right(self.ends, start)  # first token ending after start
            last = bisect.bisect_left(self.starts, end) - 1  # last token starting before end
            if first > last:
                return None
            start, end = min(start, self.starts[first]), max(end, self.ends[last])
        else:
            first = bisect.bisect_left(self.starts, start)
            last = bisect.bisect_right(self.ends, end) - 1
            if first > last or first >= len(self.spans):
                return None
            start, end = self.starts[first], self.ends[last]
        return (start, end) if start < end else None
