"""The `ner` config built as columns from each record's token split: no row dict, and no Python
object per token.

views.ner_rows gives a record's sentences as rows (a dict each, a Python int or string per
token); that was the build's largest view. Here the token offsets stay the int64 arrays of
tokens.token_split and go into Arrow as they are, each token's text is cut from the UTF-8
bytes of the record's text with numpy, and the BIO tags are class ids (tokens.bio_marks, the
tagging of views.ner_rows). The table equals rows_table("ner", ...) over ner_rows of the same
records (tests/test_views.py holds the two equal), so the Parquet bytes are the same.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy
import pyarrow as pa

from ..errors import ViewError
from ..labels import NER_TAGS
from ..model import Record
from ..tokens import bio_marks, token_split
from .features import storage_schema
from .views import check_taggable, passage_finder


@cache
def _tag_ids() -> dict[str, int]:
    return {name: index for index, name in enumerate(NER_TAGS)}


def _marks(label: str) -> tuple[int, int]:
    ids = _tag_ids()
    try:
        return ids["B-" + label], ids["I-" + label]
    except KeyError:  # what columns._labels says of a tag outside the config's labels
        raise ViewError(f"ner.ner_tags: {'B-' + label!r} is not one of its labels") from None


@dataclass
class NerColumns:
    """The ner rows of some records, in order, as columns: one entry per sentence in the
    first six, and one array per record for the tokens."""

    ids: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    passages: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    sizes: list[Any] = field(default_factory=list)  # tokens per sentence
    token_starts: list[Any] = field(default_factory=list)
    token_ends: list[Any] = field(default_factory=list)
    tags: list[Any] = field(default_factory=list)
    word_bytes: list[Any] = field(default_factory=list)  # the tokens' UTF-8, end to end
    word_sizes: list[Any] = field(default_factory=list)  # bytes per token

    def add(self, record: Record) -> tuple[int, int]:
        """Append a record's sentences; gives (sentences, tokens). Raises ViewError where
        views.ner_rows does."""
        text = record["text"]
        split = token_split(text, record["passages"])
        numbers = numpy.frombuffer(split.numbers, dtype=numpy.int64)
        count = split.count
        sizes = numbers[1 : 1 + count]
        starts, ends = numbers[1 + count :: 2], numbers[2 + count :: 2]
        sentence_ends = numpy.cumsum(sizes)
        firsts = sentence_ends - sizes  # each sentence's first token
        tags = _tags(record, starts, ends, sentence_ends)
        if tags is None:  # something to refuse, or overlapping names: the row view's way
            start_list, end_list = starts.tolist(), ends.tolist()
            check_taggable(record, start_list, end_list, sentence_ends.tolist())
            tags = bio_marks(record["mentions"], start_list, _tag_ids()["O"], _marks)
        sentence_starts = starts[firsts].tolist()
        sentence_stops = ends[sentence_ends - 1].tolist()
        doc_id = record["id"]
        self.ids.extend(f"{doc_id}:s{index}" for index in range(count))
        self.doc_ids.extend([doc_id] * count)
        self.passages.extend(_passages(record, sentence_starts))
        self.texts.extend(map(text.__getitem__, map(slice, sentence_starts, sentence_stops)))
        self.starts.extend(sentence_starts)
        self.ends.extend(sentence_stops)
        self.sizes.append(sizes)
        self.token_starts.append(starts)
        self.token_ends.append(ends)
        self.tags.append(tags)
        words, word_sizes = _utf8_pieces(text, starts, ends)
        self.word_bytes.append(words)
        self.word_sizes.append(word_sizes)
        return count, len(starts)

    def table(self) -> pa.Table:
        schema = storage_schema("ner")
        lists = pa.array(_offsets(self.sizes), pa.int32())
        word_offsets = _offsets(self.word_sizes)
        words = pa.StringArray.from_buffers(
            len(word_offsets) - 1,
            pa.py_buffer(word_offsets),
            pa.py_buffer(_joined(self.word_bytes, numpy.uint8)),
        )
        columns = {
            "id": pa.array(self.ids, pa.string()),
            "doc_id": pa.array(self.doc_ids, pa.string()),
            "passage": pa.array(self.passages, pa.string()),
            "text": pa.array(self.texts, pa.string()),
            "start_char": pa.array(self.starts, schema.field("start_char").type),
            "end_char": pa.array(self.ends, schema.field("end_char").type),
            "tokens": words,
            "ner_tags": pa.array(_joined(self.tags, numpy.int64)),
            "token_starts": pa.array(_joined(self.token_starts, numpy.int64)),
            "token_ends": pa.array(_joined(self.token_ends, numpy.int64)),
        }
        arrays = []
        for field_ in schema:
            values = columns[field_.name]
            if pa.types.is_list(field_.type):
                # a safe cast: an offset past int32 is an error, as pa.array of ints makes it
                values = pa.ListArray.from_arrays(
                    lists, values.cast(field_.type.value_type), type=field_.type
                )
            arrays.append(values)
        return pa.Table.from_arrays(arrays, schema=schema)


def _tags(record: Record, starts: Any, ends: Any, sentence_ends: Any) -> Any | None:
    """The BIO class ids of the record's tokens (tokens.bio_marks), over all named mentions at
    once; None when some named mention is not on whole tokens of one sentence, or overlaps
    another (a valid record has neither), for the caller to take the row view's way."""
    named = [m for m in record["mentions"] if m["mention_type"] == "NAM"]
    tags = numpy.zeros(len(starts), dtype=numpy.int64)  # "O" is class 0
    if not named:
        return tags
    by_label = _label_ids()
    try:
        begin, inside = zip(*(by_label[m["label"]] for m in named), strict=True)
    except KeyError:
        return None
    bounds = numpy.array([(m["start"], m["end"]) for m in named], dtype=numpy.int64)
    order = numpy.lexsort((-bounds[:, 1], bounds[:, 0]))  # by start, the longest first
    bounds = bounds[order]
    if (bounds[1:, 0] < bounds[:-1, 1]).any():
        return None  # overlapping names: only the first to reach a token tags it
    first = numpy.searchsorted(starts, bounds[:, 0])
    last = numpy.searchsorted(starts, bounds[:, 1]) - 1
    if (last < first).any():
        return None
    if (starts[first] != bounds[:, 0]).any() or (ends[last] != bounds[:, 1]).any():
        return None
    sentence_of = numpy.searchsorted(sentence_ends, numpy.concatenate((first, last)), "right")
    if (sentence_of[: len(first)] != sentence_of[len(first) :]).any():
        return None
    lengths = last - first + 1
    at = numpy.repeat(first - numpy.cumsum(lengths) + lengths, lengths)
    at += numpy.arange(len(at))
    tags[at] = numpy.repeat(numpy.array(inside, dtype=numpy.int64)[order], lengths)
    tags[first] = numpy.array(begin, dtype=numpy.int64)[order]
    return tags


@cache
def _label_ids() -> dict[str, tuple[int, int]]:
    """The (B-, I-) class ids of each entity label that has them."""
    ids = _tag_ids()
    return {
        name[2:]: (index, ids["I-" + name[2:]])
        for name, index in ids.items()
        if name.startswith("B-") and "I-" + name[2:] in ids
    }


def _passages(record: Record, offsets: list[int]) -> list[str]:
    """The id of the passage each offset is in (views.passage_finder), by binary search when
    the passages are in order and apart, as a valid record's are."""
    passages = record["passages"]
    bounds = [(p["start"], p["end"]) for p in passages]
    if any(end > start for (_, end), (start, _) in zip(bounds, bounds[1:], strict=False)):
        find = passage_finder(record)  # out of order: the first that holds it, as the view
        return [find(offset) for offset in offsets]
    firsts = [start for start, _ in bounds]
    out = []
    for offset in offsets:
        index = bisect_right(firsts, offset) - 1
        if index < 0 or offset >= bounds[index][1]:
            return [passage_finder(record)(offset) for offset in offsets]  # raises
        out.append(passages[index]["id"])
    return out


def _utf8_pieces(text: str, starts: Any, ends: Any) -> tuple[Any, Any]:
    """The UTF-8 bytes of the tokens at these code point offsets, end to end, and the number
    of bytes of each token."""
    data = text.encode("utf-8")
    raw = numpy.frombuffer(data, dtype=numpy.uint8)
    if len(data) != len(text):  # not ASCII: code point offsets -> byte offsets
        points = numpy.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        widths = 1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000)
        at = numpy.zeros(len(text) + 1, dtype=numpy.int64)
        numpy.cumsum(widths, out=at[1:])
        starts, ends = at[starts], at[ends]
    sizes = ends - starts
    before = numpy.zeros(len(sizes), dtype=numpy.int64)
    numpy.cumsum(sizes[:-1], out=before[1:])
    # byte k of the output is byte k + (start - before) of the text, token by token
    picked = numpy.arange(int(sizes.sum()), dtype=numpy.int64)
    picked += numpy.repeat(starts - before, sizes)
    return raw[picked], sizes


def _joined(pieces: list[Any], dtype: Any) -> Any:
    if not pieces:
        return numpy.zeros(0, dtype=dtype)
    return numpy.concatenate([numpy.asarray(piece, dtype=dtype) for piece in pieces])


def _offsets(sizes: list[Any]) -> Any:
    """int32 offsets from sizes: 0, then their running sum; an error past int32."""
    joined = _joined(sizes, numpy.int64)
    offsets = numpy.zeros(len(joined) + 1, dtype=numpy.int64)
    numpy.cumsum(joined, out=offsets[1:])
    if offsets[-1] > numpy.iinfo(numpy.int32).max:
        raise ViewError("ner: a batch of sentences holds more than 2 GiB of tokens")
    return offsets.astype(numpy.int32)
