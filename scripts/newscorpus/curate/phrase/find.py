"""Finding a phrase in a record's text: the occurrence a curator names, as offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...errors import NewscorpusError


class PhraseError(NewscorpusError):
    """A phrase that is not in the text, or not once; a reference that resolves to nothing."""


@dataclass(frozen=True)
class Phrase:
    """A phrase of the text: its `nth` occurrence (1-based), or the one inside `within`.

    Without either, the phrase must occur exactly once. Occurrences are whole words: `Khan`
    does not match inside `Khanewal`.
    """

    text: str
    nth: int | None = None
    within: str | None = None


PhraseLike = str | Phrase
Ref = str | Phrase  # an item id ("m3", "e2", "ev4") or a phrase naming a mention's span

_ID = re.compile(r"^(?:m|e|q|ev|r)[0-9]+$")


def is_id(value: str) -> bool:
    """Whether `value` is written as an item id (`m3`, `e2`, `q1`, `ev4`, `r2`)."""
    return bool(_ID.match(value))


def parse_ref(value: str) -> Ref:
    """A reference written as one string, as on the command line and in an operations file:
    an id (`m3`, `e2`, `ev4`), a phrase, the Nth occurrence of a phrase (`Khan#2`), or a
    phrase inside a longer string (`He@He said`). A phrase that itself holds `@`, or ends in
    `#` and a number, is written as a Phrase (an object in an operations file)."""
    if _ID.match(value):
        return value
    if "@" in value:
        text, within = value.split("@", 1)
        return Phrase(text, within=within)
    text, hashmark, nth = value.rpartition("#")
    if hashmark and nth.isdigit() and text:
        return Phrase(text, nth=int(nth))
    return value


def occurrences(text: str, phrase: str, start: int = 0, end: int | None = None) -> list[int]:
    """Start offsets of every whole-word occurrence of `phrase` in `text[start:end]`."""
    end = len(text) if end is None else end
    found, at = [], text.find(phrase, start, end)
    while phrase and at != -1:
        before = text[at - 1] if at > 0 else " "
        after = text[at + len(phrase)] if at + len(phrase) < len(text) else " "
        if not (_joins(before, phrase[0]) or _joins(phrase[-1], after)):
            found.append(at)
        at = text.find(phrase, at + 1, end)
    return found


def _joins(left: str, right: str) -> bool:
    return left.isalnum() and right.isalnum()


def locate(text: str, phrase: PhraseLike) -> tuple[int, int]:
    """The (start, end) offsets of `phrase` in `text`, or PhraseError saying how to pick it."""
    p = Phrase(phrase) if isinstance(phrase, str) else phrase
    lo, hi = 0, len(text)
    if p.within is not None:
        around = occurrences(text, p.within)
        if len(around) != 1:
            raise PhraseError(_count_message(p.within, len(around), "context"))
        lo, hi = around[0], around[0] + len(p.within)
    found = occurrences(text, p.text, lo, hi)
    if p.nth is not None:
        if not 1 <= p.nth <= len(found):
            raise PhraseError(
                f"{p.text!r} occurs {len(found)} time(s){_where(p)}; there is no occurrence "
                f"{p.nth}: give nth from 1 to {len(found)}"
            )
        return found[p.nth - 1], found[p.nth - 1] + len(p.text)
    if len(found) != 1:
        raise PhraseError(_count_message(p.text, len(found), "phrase") + _where(p))
    return found[0], found[0] + len(p.text)


def _where(p: Phrase) -> str:
    return f" within {p.within!r}" if p.within is not None else ""


def _count_message(phrase: str, count: int, what: str) -> str:
    if count == 0:
        return f"the {what} {phrase!r} is not in the text (as whole words); check its spelling"
    return (
        f"the {what} {phrase!r} occurs {count} times; say which: nth=1..{count}, or a longer "
        f"string around it with within="
    )
