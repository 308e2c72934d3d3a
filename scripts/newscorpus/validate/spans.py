"""Level 3, spans: the text is clean, passages tile it, and every span's offsets and text
agree with it."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterator

from ..findings import Findings, pointer
from ..model import Mention, Record, Span

Spanned = Span | Mention
"""What has offsets into the text and the text they slice: a mention, a quote part, a cue
or a trigger."""


def iter_spans(record: Record) -> Iterator[tuple[tuple[str | int, ...], Spanned]]:
    """Every annotated span of a record, with its path: mentions, quote parts, triggers."""
    for i, mention in enumerate(record["mentions"]):
        yield ("mentions", i), mention
    for i, quote in enumerate(record["quotes"]):
        for j, part in enumerate(quote["content"]):
            yield ("quotes", i, "content", j), part
        if quote["cue"] is not None:
            yield ("quotes", i, "cue"), quote["cue"]
    for i, event in enumerate(record["events"]):
        yield ("events", i, "trigger"), event["trigger"]


def check_text_and_spans(record: Record, out: Findings) -> None:
    _check_text(record["text"], out)
    if _check_passages(record, out):
        starts = [p["start"] for p in record["passages"]]
        ends = [p["end"] for p in record["passages"]]
    else:
        # A passage out of range: the spans are still checked against the text, as if it
        # were one passage (whether a span crosses a passage cannot be told until it is fixed).
        starts, ends = [0], [len(record["text"])]
    _check_spans(record, starts, ends, out)


def _check_text(text: str, out: Findings) -> None:
    if unicodedata.normalize("NFC", text) != text:
        out.add(
            "text-not-nfc",
            "/text",
            "the text is not NFC-normalised.",
            "normalise with unicodedata.normalize('NFC', text) and re-anchor the spans",
        )
    if "\ufeff" in text:
        out.add(
            "text-bom",
            "/text",
            f"U+FEFF at offset {text.index(chr(0xFEFF))}.",
            "remove the byte-order mark from the text",
        )
    if "\r" in text:
        out.add(
            "text-crlf",
            "/text",
            f"CR at offset {text.index(chr(13))}.",
            "use \\n line ends in the text",
        )


def _check_passages(record: Record, out: Findings) -> bool:
    """Passages tile the text in order; False when one is out of range (the others are not
    looked at then)."""
    text: str = record["text"]
    passages = record["passages"]
    previous_end = 0
    for i, passage in enumerate(passages):
        start, end = passage["start"], passage["end"]
        where = pointer("passages", i)
        if not start < end <= len(text):
            out.add(
                "passage-tiling",
                where,
                f"passage [{start}, {end}) is empty or out of range.",
                f"give 0 <= start < end <= {len(text)}",
            )
            return False
        if start < previous_end:
            out.add(
                "passage-tiling",
                where,
                f"passage starts at {start}, before the previous one ends at {previous_end}.",
                "list passages in order, without overlap",
            )
        elif text[previous_end:start].strip():
            out.add(
                "passage-tiling",
                where,
                f"text [{previous_end}, {start}) is in no passage: "
                f"{text[previous_end:start][:40]!r}.",
                "extend a passage to cover it",
            )
        body = text[start:end]
        if body != body.strip():
            out.add(
                "passage-tiling",
                where,
                "the passage starts or ends with whitespace.",
                "trim the passage to its first and last visible character",
            )
        previous_end = end
    if text[previous_end:].strip():
        out.add(
            "passage-tiling",
            pointer("passages"),
            f"text after offset {previous_end} is in no passage.",
            "add a passage for the rest of the text",
        )
    return True


def _check_spans(record: Record, starts: list[int], ends: list[int], out: Findings) -> None:
    text = record["text"]
    for path, span in iter_spans(record):
        _check_span(text, starts, ends, span, path, out)
    for i, quote in enumerate(record["quotes"]):
        parts = quote["content"]
        for j in range(1, len(parts)):
            if parts[j]["start"] < parts[j - 1]["end"]:
                out.add(
                    "quote-content-overlap",
                    pointer("quotes", i, "content", j),
                    f"part {j} of {quote['id']} starts at {parts[j]['start']}, before part "
                    f"{j - 1} ends at {parts[j - 1]['end']}.",
                    "list the parts of a split quote in text order, without overlap",
                )


def _check_span(
    text: str,
    passage_starts: list[int],
    passage_ends: list[int],
    span: Spanned,
    path: tuple[str | int, ...],
    out: Findings,
) -> bool:
    start, end, said = span["start"], span["end"], span["text"]
    if text[start:end] == said and start < end and said == said.strip():
        index = bisect_right(passage_starts, start) - 1
        if index >= 0 and end <= passage_ends[index]:
            return True  # the common case, decided without building a pointer
    return _check_span_slowly(text, passage_starts, passage_ends, span, pointer(*path), out)


def _check_span_slowly(
    text: str,
    passage_starts: list[int],
    passage_ends: list[int],
    span: Spanned,
    where: str,
    out: Findings,
) -> bool:
    """Name what is wrong with the span; False when it cannot be placed in the text at all."""
    start, end, said = span["start"], span["end"], span["text"]
    if start > end or end > len(text):
        out.add(
            "span-out-of-range",
            where,
            f"[{start}, {end}) is outside the text (length {len(text)}).",
            "fix the offsets (0-based, end-exclusive code points)",
        )
        return False
    if start == end:
        out.add(
            "span-empty",
            where,
            f"the span [{start}, {end}) is empty.",
            "give the span at least one character, or delete it",
        )
        return False
    actual = text[start:end]
    if actual != said:
        found = text.find(said)
        hint = (
            f"the text {said!r} first occurs at [{found}, {found + len(said)})"
            if found >= 0
            else "correct the offsets or the text"
        )
        out.add(
            "span-text-mismatch",
            where,
            f"text[{start}:{end}] is {actual!r}, but the span says {said!r}.",
            hint,
        )
        return False
    if actual != actual.strip():
        out.add(
            "span-whitespace",
            where,
            f"the span {actual!r} has leading or trailing whitespace.",
            "trim the offsets to the first and last visible character",
        )
    index = bisect_right(passage_starts, start) - 1
    if index < 0 or end > passage_ends[index]:
        out.add(
            "span-crosses-passage",
            where,
            f"the span [{start}, {end}) is not inside one passage.",
            "split the annotation at the passage break",
        )
    return True
