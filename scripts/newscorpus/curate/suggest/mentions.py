"""Named and value mentions for a draft: every source's candidates, made flat and whole.

Sources: the gazetteer, value patterns, names read off the text, abbreviations, an optional
spaCy pipeline. Then every further occurrence of a chosen or confirmed name (and a person's
surname after the full name: "Khan" after "Imran Khan") joins the same entity. A suggestion
never overlaps a named mention already in the record nor repeats any mention's offsets.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...labels import VALUE_LABELS
from ...model import Mention
from .base import PRIORITY, Candidate, resolve_overlaps
from .doc import Doc
from .gazetteer import KnownEntity, known_candidates
from .names import abbreviation_candidates, name_candidates
from .values import value_candidates

BY_REPEAT = "rule:repeat"


def candidates(
    doc: Doc,
    inventory: list[KnownEntity],
    extra: list[Candidate] = (),  # type: ignore[assignment]
) -> list[Candidate]:
    """Every candidate of every source, on token boundaries and inside one passage."""
    found: list[Candidate] = []
    for passage in doc.passages:
        offset, body = passage["start"], doc.text[passage["start"] : passage["end"]]
        found += known_candidates(body, offset, doc.on_tokens, inventory)
        found += value_candidates(body, offset, doc.on_tokens, doc.text)
    found += name_candidates(doc) + abbreviation_candidates(doc)
    found += [
        c for c in extra if doc.on_tokens(c.start, c.end) and doc.same_passage(c.start, c.end)
    ]
    return found


def choose(doc: Doc, found: list[Candidate], existing: list[Mention]) -> list[Candidate]:
    """The flat set of suggestions: one key per surface form, every occurrence, one label per
    entity. `existing` are the record's mentions, which are never overlapped or repeated."""
    taken = [(m["start"], m["end"]) for m in existing if m["mention_type"] == "NAM"]
    exact = {(m["start"], m["end"]) for m in existing}
    confirmed = {
        m["text"]: Candidate(m["start"], m["end"], m["label"], ("entity", m["entity"]), -1)
        for m in existing
        if m["mention_type"] == "NAM"
    }
    chosen = _with_surnames(doc, resolve_overlaps(found, taken))
    forms = _form_keys(doc, chosen, confirmed)
    chosen = resolve_overlaps(chosen + _repeats(doc, forms), taken)
    chosen = [_rekeyed(doc, c, forms) for c in chosen if (c.start, c.end) not in exact]
    return _one_label(chosen, confirmed)


def _with_surnames(doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
    """A lone word that ends a person's full name is that person ("Khan", "Bajwa")."""
    people = {
        doc.text[c.start : c.end].split()[-1]: c
        for c in chosen
        if c.label == "PERSON" and len(doc.text[c.start : c.end].split()) >= 2
    }
    out = []
    for cand in chosen:
        full = people.get(doc.text[cand.start : cand.end])
        if full is not None and cand.label not in VALUE_LABELS and cand.priority > 0:
            cand = replace(cand, label="PERSON", key=full.key, by=BY_REPEAT)
        out.append(cand)
    return out


def _form_keys(
    doc: Doc, chosen: list[Candidate], confirmed: dict[str, Candidate]
) -> dict[str, Candidate]:
    """Each surface form to the candidate whose key and label its occurrences take: a confirmed
    mention first, then the most trusted source, then the earliest."""
    forms: dict[str, Candidate] = dict(confirmed)
    for cand in sorted(chosen, key=lambda c: (c.priority, c.start)):
        form = doc.text[cand.start : cand.end]
        forms.setdefault(form, cand)
        if cand.label == "PERSON" and len(form.split()) >= 2:
            forms.setdefault(form.split()[-1], cand)  # the surname, after the full name
    return forms


def _repeats(doc: Doc, forms: dict[str, Candidate]) -> list[Candidate]:
    """Every further occurrence of a form, on token boundaries, with that form's key."""
    found = []
    for form, model in forms.items():
        if model.label in VALUE_LABELS or len(form) < 2:
            continue
        for match in re.finditer(re.escape(form), doc.text):
            start, end = match.span()
            if doc.on_tokens(start, end) and doc.same_passage(start, end):
                found.append(
                    Candidate(start, end, model.label, model.key, PRIORITY["repeat"], BY_REPEAT)
                )
    return found


def _rekeyed(doc: Doc, cand: Candidate, forms: dict[str, Candidate]) -> Candidate:
    """A name takes the key of its form, so that one surface form is one entity."""
    if cand.label in VALUE_LABELS:
        return cand
    model = forms.get(doc.text[cand.start : cand.end])
    return replace(cand, key=model.key) if model is not None else cand


def _one_label(chosen: list[Candidate], confirmed: dict[str, Candidate]) -> list[Candidate]:
    """Every mention of an entity takes one label: a confirmed entity's, else that of the most
    trusted, longest candidate of the entity."""
    best: dict[tuple[str, ...], Candidate] = {c.key: c for c in confirmed.values()}
    for cand in sorted(chosen, key=lambda c: (c.priority, c.start - c.end)):
        best.setdefault(cand.key, cand)
    return [replace(c, label=best[c.key].label) for c in chosen]
