"""Pre-annotation of a draft record, for a curator to confirm or delete.

Every layer gets suggestions, each marked `"suggested": true` with `"suggested_by"` naming
what proposed it (a rule, a value pattern, the gazetteer of names from gold records, a spaCy
pipeline): named and value mentions (mentions.py: names.py, values.py, gazetteer.py,
model.py), the NOM and PRO mentions quotes need and pronouns (phrases.py, pronouns.py),
entities (one per name, abbreviation with its long form, surname with the full name), quotes
and their events (quotes.py), relations stated by a title (relations.py) and the document's
topics and countries (doclabels.py). run.py puts them together; confirmed items are never
changed, and new items take the next free id of their layer.
"""

from __future__ import annotations

from ...model import Passage, Record
from .base import Candidate, SuggestError, resolve_overlaps
from .gazetteer import KnownEntity, entity_inventory, load_inventory
from .run import SuggestionCounts, suggest_record
from .values import PATTERNS

__all__ = [
    "PATTERNS",
    "Candidate",
    "KnownEntity",
    "SuggestError",
    "SuggestionCounts",
    "candidates",
    "entity_inventory",
    "load_inventory",
    "resolve_overlaps",
    "suggest_mentions",
    "suggest_record",
]


def candidates(text: str, passages: list[Passage], inventory: list[KnownEntity]) -> list[Candidate]:
    """Known forms and value patterns on token boundaries in one passage (the gazetteer's and
    the patterns' candidates only, before any overlap is resolved)."""
    from .doc import Doc
    from .gazetteer import known_candidates
    from .values import value_candidates

    doc = Doc.read(text, passages)
    found: list[Candidate] = []
    for passage in passages:
        offset, body = passage["start"], text[passage["start"] : passage["end"]]
        found += known_candidates(body, offset, doc.on_tokens, inventory)
        found += value_candidates(body, offset, doc.on_tokens, text)
    return found


def suggest_mentions(
    record: Record, inventory: list[KnownEntity]
) -> tuple[Record, SuggestionCounts]:
    """Every layer's suggestions (the name is kept for callers of the mentions-only version)."""
    return suggest_record(record, inventory)
