"""The whole suggester: every layer of a draft, in the order the layers depend on each other.

Names and values first (they are what everything else refers to), then quotes and their
events (with the NOM or PRO source mentions they need), pronouns, relations stated in one
phrase, and the document's topics and countries. Confirmed items are never changed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ...labels import VALUE_LABELS
from ...model import LAYERS, Record
from .base import Candidate
from .doc import Doc
from .doclabels import suggest_labels
from .draft import Draft
from .gazetteer import KnownEntity
from .mentions import candidates, choose
from .pronouns import suggest_pronouns
from .quotes import suggest_quotes
from .relations import suggest_relations


@dataclass
class SuggestionCounts:
    """What a run added: items per layer, and named mentions per source."""

    layers: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.layers.get("mentions", 0)

    @property
    def from_inventory(self) -> int:
        return self.sources.get("gazetteer", 0)

    @property
    def from_patterns(self) -> int:
        return sum(n for by, n in self.sources.items() if by.startswith("pattern:"))

    def summary(self) -> str:
        """ "12 mentions, 5 entities, 2 quotes, ..." for the layers that got something."""
        names = (*LAYERS, "labels")
        parts = [f"{self.layers[n]} {n}" for n in names if self.layers.get(n)]
        return ", ".join(parts) if parts else "nothing"


def suggest_record(
    record: Record,
    inventory: list[KnownEntity],
    extra: list[Candidate] | None = None,
) -> tuple[Record, SuggestionCounts]:
    """A copy of `record` with suggestions for every layer; `extra` are further named-mention
    candidates (a spaCy pipeline's). Stale suggestions are replaced; confirmed items stay."""
    draft = Draft.of(record)
    doc = Doc.of(draft.record)
    chosen = choose(doc, candidates(doc, inventory, extra or []), draft.record["mentions"])
    _add_names(draft, chosen, inventory)
    suggest_quotes(draft, doc)
    suggest_pronouns(draft, doc)
    suggest_relations(draft, doc)
    suggest_labels(draft)
    return draft.finish(), SuggestionCounts(dict(draft.added), dict(draft.sources))


def _add_names(draft: Draft, chosen: list[Candidate], inventory: list[KnownEntity]) -> None:
    """The chosen candidates as NAM mentions, one entity per key (a confirmed one if any)."""
    groups: dict[tuple[str, ...], list[Candidate]] = defaultdict(list)
    for cand in chosen:
        groups[cand.key].append(cand)
    entity_of: dict[tuple[str, ...], str] = {}
    for key, group in groups.items():
        if key[0] == "entity":
            entity_of[key] = key[1]
            continue
        first = min(group, key=lambda c: (c.priority, c.start))
        if key[0] == "known":
            known = inventory[int(key[1])]
            entity_of[key] = draft.add_entity(known.label, known.name, "gazetteer", known.kb)
        else:
            entity_of[key] = draft.add_entity(first.label, _name(draft.text, group), first.by)
    for cand in chosen:
        draft.add_mention(cand.start, cand.end, cand.label, "NAM", entity_of[cand.key], cand.by)


def _name(text: str, group: list[Candidate]) -> str:
    """Guideline 5.2: a value by its span, a name by its fullest form in the text."""
    if group[0].label in VALUE_LABELS:
        return text[group[0].start : group[0].end]
    return max((text[c.start : c.end] for c in group), key=lambda f: (len(f.split()), len(f)))
