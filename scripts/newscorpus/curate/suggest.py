"""Pre-annotation of a draft record, for a curator to confirm or delete.

Two sources: the corpus's own entity inventory (the canonical names and the named surface
forms of the entities in gold records) and patterns for value expressions (dates, money,
percentages, quantities, cardinals). Every suggestion is a NAM mention marked
`"suggested": true`; the record stays a draft. Suggestions fall on token boundaries, stay
inside one passage, and never overlap each other or a named mention already in the record:
of two overlapping candidates the longer wins (a known name beats a pattern of equal length).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..jsonio import read_record
from ..labels import VALUE_LABELS
from ..records import records_in
from ..tokens import token_boundaries

# Value expressions (VALUE_LABELS) come from the patterns below, never from the inventory: a
# date or an amount in one article is not the same entity in another.


@dataclass
class KnownEntity:
    """One entity of the gold records, merged across records by (label, canonical name)."""

    label: str
    name: str
    kb: list[dict[str, str]] = field(default_factory=list)
    forms: set[str] = field(default_factory=set)
    weight: int = 0  # named mentions seen in gold records; decides between ambiguous forms


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    label: str
    key: tuple[str, ...]  # which entity the mention joins: a known one, or a value
    priority: int  # lower wins between candidates of the same length and start


# --- the inventory --------------------------------------------------------------------------


def entity_inventory(records: Iterable[dict[str, Any]]) -> list[KnownEntity]:
    """The named entities of the gold records among `records`, with their surface forms.

    An entity counts as named when a gold record gives it at least one NAM mention; its
    canonical name and the texts of its NAM mentions become its surface forms.
    """
    known: dict[tuple[str, str], KnownEntity] = {}
    for record in records:
        annotation = record.get("annotation")
        if not isinstance(annotation, dict) or annotation.get("status") != "gold":
            continue
        names: dict[str, list[str]] = {}
        for mention in _dicts(record.get("mentions")):
            form = mention.get("text")
            if (
                mention.get("mention_type") == "NAM"
                and not mention.get("suggested")
                and isinstance(form, str)
                and form.strip()
            ):
                names.setdefault(str(mention.get("entity")), []).append(form.strip())
        for entity in _dicts(record.get("entities")):
            label, name = entity.get("label"), entity.get("name")
            forms = names.get(str(entity.get("id")))
            if not (forms and isinstance(label, str) and isinstance(name, str) and name.strip()):
                continue
            if label in VALUE_LABELS:
                continue
            item = known.setdefault((label, name), KnownEntity(label, name))
            item.forms |= set(forms) | {name.strip()}
            item.weight += len(forms)
            for link in _dicts(entity.get("kb")):
                db, ident = link.get("db"), link.get("id")
                pair = (
                    {"db": db, "id": ident}
                    if isinstance(db, str) and isinstance(ident, str)
                    else None
                )
                if pair is not None and pair not in item.kb:
                    item.kb.append(pair)
    return sorted(known.values(), key=lambda e: (e.label, e.name))


def load_inventory(records_dir: Path, exclude: str | None = None) -> list[KnownEntity]:
    """The inventory of the record files in `records_dir`; unreadable files are skipped."""
    records = []
    for path in records_in(records_dir):
        if path.stem == exclude:
            continue
        record, problems = read_record(path, path.name)
        if record is not None and not problems:
            records.append(record)
    return entity_inventory(records)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# --- value patterns -------------------------------------------------------------------------

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
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
    ("DATE", _pattern(_YEAR)),
    ("DATE", _pattern(rf"{_Q}(?:{_NUMBER}|{_NUMBER_WORD}) {_DURATION}")),
    ("TIME", _pattern(rf"{_Q}(?:{_NUMBER}|{_NUMBER_WORD}) {_CLOCK}")),
    ("MONEY", _pattern(rf"{_Q}{_CURRENCY_BEFORE} ?{_NUMBER}(?: {_SCALE})?")),
    ("MONEY", _pattern(rf"{_Q}{_NUMBER}(?: {_SCALE})? {_CURRENCY_AFTER}")),
    ("PERCENT", _pattern(rf"{_Q}{_NUMBER}(?: ?%| percent| per cent)")),
    ("QUANTITY", _pattern(rf"{_Q}{_NUMBER} {_UNIT}")),
    ("CARDINAL", _pattern(rf"(?:{_QUALIFIER} )?{_NUMBER}(?: {_SCALE})?")),
    ("CARDINAL", _pattern(rf"(?:{_QUALIFIER} ){_NUMBER_WORD}")),
)


# --- candidates and the overlap rule --------------------------------------------------------


def candidates(
    text: str, passages: list[dict[str, Any]], inventory: list[KnownEntity]
) -> list[Candidate]:
    """Every place a known form or a value pattern matches on token boundaries in one passage."""
    starts, ends = token_boundaries(text, passages)
    found: list[Candidate] = []
    for passage in passages:
        p_start, p_end = passage["start"], passage["end"]
        body = text[p_start:p_end]

        def keep(start: int, end: int) -> bool:
            return start in starts and end in ends

        names = _name_runs(body)
        for form, index in _form_index(inventory).items():
            entity = inventory[index]
            for match in re.finditer(re.escape(form), body):
                start, end = p_start + match.start(), p_start + match.end()
                if keep(start, end) and not _inside_longer_name(match.span(), names):
                    found.append(Candidate(start, end, entity.label, ("known", str(index)), 0))
        for priority, (label, pattern) in enumerate(PATTERNS, start=1):
            for match in pattern.finditer(body):
                start, end = p_start + match.start(), p_start + match.end()
                if keep(start, end):
                    value = text[start:end]
                    found.append(Candidate(start, end, label, ("value", label, value), priority))
    return found


# A run of capitalised words, with the connectors names use inside them: "Pakistan Software
# Houses Association", "Ministry of Information Technology". A leading article is not part;
# "and" is not a connector, since lists ("Facebook and Twitter") are far more common.
_WORD = r"[A-Z](?:[\w&'-]|\.(?=\w))*"
_NAME_RUN = re.compile(rf"(?<![\w-])(?!(?:The|A|An) ){_WORD}(?:(?: (?:of|for|the))* {_WORD})+")


def _name_runs(body: str) -> list[tuple[int, int]]:
    return [match.span() for match in _NAME_RUN.finditer(body)]


def _inside_longer_name(span: tuple[int, int], names: list[tuple[int, int]]) -> bool:
    """True when a known form begins or sits inside a longer name the inventory does not know
    ("Pakistan" in "Pakistan Software Houses Association"): suggesting it would be wrong. A
    name only preceded by capitalised words is kept: those are mostly titles ("Prime Minister
    Imran Khan"), and English names grow to the right."""
    start, end = span
    return any(s <= start and end < e for s, e in names)


def _form_index(inventory: list[KnownEntity]) -> dict[str, int]:
    """Each surface form to one entity: the one most often named so in gold records."""
    best: dict[str, int] = {}
    for index, entity in enumerate(inventory):
        for form in entity.forms:
            other = best.get(form)
            if other is None or entity.weight > inventory[other].weight:
                best[form] = index
    return dict(sorted(best.items()))


def resolve_overlaps(
    found: list[Candidate], taken: Iterable[tuple[int, int]] = ()
) -> list[Candidate]:
    """Keep a flat set of candidates: longest first, then leftmost, then by priority."""
    occupied = sorted(taken)
    chosen: list[Candidate] = []
    for cand in sorted(found, key=lambda c: (c.start - c.end, c.start, c.priority)):
        if any(cand.start < end and start < cand.end for start, end in occupied):
            continue
        occupied.append((cand.start, cand.end))
        chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


# --- the suggested record -------------------------------------------------------------------


@dataclass
class SuggestionCounts:
    from_inventory: int = 0
    from_patterns: int = 0

    @property
    def total(self) -> int:
        return self.from_inventory + self.from_patterns


def suggest_mentions(
    record: dict[str, Any], inventory: list[KnownEntity]
) -> tuple[dict[str, Any], SuggestionCounts]:
    """A copy of `record` with suggested NAM mentions (and their entities) added.

    Existing mentions are kept; a suggestion never overlaps an existing named mention nor
    repeats the offsets of any mention. Ids continue after the highest id in use.
    """
    result = copy.deepcopy(record)
    text, passages = result["text"], result["passages"]
    taken = [(m["start"], m["end"]) for m in result["mentions"] if m["mention_type"] == "NAM"]
    exact = {(m["start"], m["end"]) for m in result["mentions"]}
    chosen = [
        c
        for c in resolve_overlaps(candidates(text, passages, inventory), taken)
        if (c.start, c.end) not in exact
    ]
    next_mention = _next_number(result["mentions"], "m")
    next_entity = _next_number(result["entities"], "e")
    entity_of: dict[tuple[str, ...], str] = {}
    counts = SuggestionCounts()
    for cand in chosen:
        if cand.key not in entity_of:
            entity_of[cand.key] = f"e{next_entity}"
            next_entity += 1
            result["entities"].append(_entity(entity_of[cand.key], cand, inventory, text))
        result["mentions"].append(
            {
                "id": f"m{next_mention}",
                "start": cand.start,
                "end": cand.end,
                "text": text[cand.start : cand.end],
                "label": cand.label,
                "mention_type": "NAM",
                "entity": entity_of[cand.key],
                "suggested": True,
            }
        )
        next_mention += 1
        if cand.key[0] == "known":
            counts.from_inventory += 1
        else:
            counts.from_patterns += 1
    result["mentions"].sort(key=lambda m: (m["start"], -m["end"]))
    return result, counts


def _entity(
    entity_id: str, cand: Candidate, inventory: list[KnownEntity], text: str
) -> dict[str, Any]:
    if cand.key[0] == "known":
        known = inventory[int(cand.key[1])]
        entity: dict[str, Any] = {"id": entity_id, "label": known.label, "name": known.name}
        if known.kb:
            entity["kb"] = [dict(link) for link in known.kb]
        return entity
    return {"id": entity_id, "label": cand.label, "name": text[cand.start : cand.end]}


def _next_number(items: list[dict[str, Any]], prefix: str) -> int:
    numbers = [
        int(item["id"][len(prefix) :])
        for item in items
        if re.fullmatch(rf"{prefix}[0-9]+", str(item.get("id", "")))
    ]
    return max(numbers, default=0) + 1  # ids start at m1 and e1, as the guidelines number them
