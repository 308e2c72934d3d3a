"""Relations stated in one phrase (guidelines 8.2): a title between an organisation or place
and a person's name ("PTA chairman Amir Bajwa", "Pakistan Prime Minister Imran Khan"), or a
title after the name ("Amir Bajwa, chairman of the PTA", "X, a member of the Y")."""

from __future__ import annotations

import re

from ...labels import RELATION_TYPES
from ...model import Relation
from .base import dicts
from .draft import Draft
from .lexicon import CHAIR_TITLES, GOVERNMENT_TITLES, MEMBER_TITLES, TITLE_MODIFIERS

BY_RELATION = "rule:title"
_MODIFIER = rf"(?:(?:{'|'.join(sorted(TITLE_MODIFIERS))})[ -])*"
_BEFORE = re.compile(rf"\)?\s+({_MODIFIER}([\w-]+(?: [\w-]+)?))\s+", re.IGNORECASE)
_AFTER = re.compile(
    rf",\s+(?:the |a |an )?({_MODIFIER}([\w-]+))\s+(?:of|at) (?:the )?", re.IGNORECASE
)


def _type(title: str, head: str, tail_label: str) -> str | None:
    title, head = title.lower(), head.lower()
    if tail_label == "GPE" and (title in GOVERNMENT_TITLES or head in GOVERNMENT_TITLES):
        return "HEAD_OF_GOVERNMENT_OF"
    if tail_label == "ORG" and head in CHAIR_TITLES and "vice" not in title:
        return "CHAIR_OF"
    if tail_label == "ORG" and (head in MEMBER_TITLES or "vice" in title):
        return "MEMBER_OF"
    return None


def suggest_relations(draft: Draft, doc: object = None) -> None:
    """Every title phrase between a named ORG/GPE and a named PERSON, as a relation."""
    text = draft.text
    named = sorted(
        (m for m in dicts(draft.record["mentions"]) if m["mention_type"] == "NAM"),
        key=lambda m: m["start"],
    )
    found: dict[tuple[str, str, str], list[str]] = {}
    for left, right in zip(named, named[1:], strict=False):
        gap = text[left["end"] : right["start"]]
        person, other = (right, left) if right["label"] == "PERSON" else (left, right)
        pattern = _BEFORE if person is right else _AFTER
        match = pattern.fullmatch(gap) if person is right else pattern.match(gap)
        if person["label"] != "PERSON" or match is None:
            continue
        if person is left and match.end() != len(gap):
            continue
        kind = _type(match.group(1), match.group(2), other["label"])
        if kind is not None:
            key = (kind, str(person["entity"]), str(other["entity"]))
            found.setdefault(key, []).extend([other["id"], person["id"]])
    _add(draft, found)


def _add(draft: Draft, found: dict[tuple[str, str, str], list[str]]) -> None:
    existing = {(r["type"], r["head"], r["tail"]) for r in dicts(draft.record["relations"])}
    for (kind, head, tail), evidence in found.items():
        if (kind, head, tail) in existing or kind not in RELATION_TYPES:
            continue
        relation: Relation = {
            "id": draft.new_id("relations"),
            "type": kind,
            "head": head,
            "tail": tail,
            "evidence": sorted(set(evidence), key=lambda m: int(m[1:])),
        }
        draft.add_relation(relation, BY_RELATION)
