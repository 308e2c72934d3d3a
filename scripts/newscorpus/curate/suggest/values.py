"""Value expressions by pattern: dates, times, money, percentages, quantities, cardinals.

A date or an amount in one article is not the same entity in another, so values never come
from the gazetteer. Approximators and bounds are inside the span (guidelines 2.7).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .base import VALUE_PRIORITY, Candidate

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
# A month named on its own (`will close in March`); never `May`, which is mostly the verb.
_MONTH_ALONE = (
    r"(?:January|February|March|April|June|July|August|September|October|November|December)"
)
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_RELATIVE_DAY = r"(?:(?i:yesterday|today|tomorrow)|(?:last|next|this) (?:week|month|year))"
_NUMBER = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_SCALE = r"(?:thousand|million|billion|trillion|crore|lakh|bn|mn)"
_CURRENCY_BEFORE = r"(?:Rs\.?|PKR|INR|USD|EUR|GBP|US\$|A\$|C\$|\$|€|£|¥)"
_CURRENCY_AFTER = r"(?:dollars?|rupees?|euros?|pounds?|yen|yuan)"
_UNIT = (
    r"(?:km|kilomet(?:er|re)s?|metres?|meters?|miles?|kg|kilograms?|tonnes?|tons?|litres?"
    r"|liters?|hectares?|acres?|degrees?)"
)
_QUALIFIER = (
    r"(?i:more than|fewer than|less than|over|about|around|nearly|almost|at least|up to"
    r"|some|roughly|approximately)"
)
_DURATION = r"(?:days?|weeks?|months?|years?|decades?)"
_CLOCK = r"(?:hours?|minutes?|seconds?)"
_NUMBER_WORD = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
    r"|hundred|dozens|hundreds|thousands|millions)"
)
_ORDINAL = r"(?i:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"


def _pattern(body: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w$€£¥]){body}(?!\w)")


_Q = rf"(?:{_QUALIFIER} )?"  # approximators and bounds belong inside the value's span

# In priority order: between candidates of the same span, the earlier pattern wins. A count of
# days, weeks, months or years is a DATE (a duration, as OntoNotes has it), of hours a TIME.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("DATE", _pattern(rf"{_MONTH} {_DAY}(?:, {_YEAR})?")),
    ("DATE", _pattern(rf"{_DAY} {_MONTH}(?:,? {_YEAR})?")),
    ("DATE", _pattern(rf"{_MONTH} {_YEAR}")),
    ("DATE", _pattern(_WEEKDAY)),
    ("DATE", _pattern(_MONTH_ALONE)),
    ("DATE", _pattern(_YEAR)),
    ("DATE", _pattern(rf"{_Q}(?:{_NUMBER}|{_NUMBER_WORD}) {_DURATION}")),
    ("DATE", _pattern(_RELATIVE_DAY)),
    ("TIME", _pattern(rf"{_Q}(?:{_NUMBER}|{_NUMBER_WORD}) {_CLOCK}")),
    ("MONEY", _pattern(rf"{_Q}{_CURRENCY_BEFORE} ?{_NUMBER}(?: {_SCALE})?")),
    ("MONEY", _pattern(rf"{_Q}{_NUMBER}(?: {_SCALE})? {_CURRENCY_AFTER}")),
    ("PERCENT", _pattern(rf"{_Q}{_NUMBER}(?: ?%| percent| per cent)")),
    ("QUANTITY", _pattern(rf"{_Q}{_NUMBER} {_UNIT}")),
    ("ORDINAL", _pattern(_ORDINAL)),
    ("CARDINAL", _pattern(rf"(?:{_QUALIFIER} )?{_NUMBER}(?: {_SCALE})?")),
    ("CARDINAL", _pattern(rf"(?:{_QUALIFIER} ){_NUMBER_WORD}")),
)


def value_candidates(
    body: str, offset: int, keep: Callable[[int, int], bool], text: str
) -> list[Candidate]:
    """Every value pattern's match in `body` (a passage at `offset`) that `keep` accepts."""
    found = []
    for priority, (label, pattern) in enumerate(PATTERNS, start=VALUE_PRIORITY):
        for match in pattern.finditer(body):
            start, end = offset + match.start(), offset + match.end()
            if keep(start, end):
                value = text[start:end]
                by = f"pattern:{label}"
                found.append(Candidate(start, end, label, ("value", label, value), priority, by))
    return found
