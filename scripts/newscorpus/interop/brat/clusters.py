"""Entities from an .ann file: N newscorpus:e<k> lines and `*` Equiv lines join mentions into
clusters; the mentions left over join the others of their (label, surface form)."""

from __future__ import annotations

import re
from collections import defaultdict

from ...model import Entity, KbLink, Mention
from ..common import number
from .parse import Ann, Problems
from .vocab import CORPUS_DB

_ENTITY_ID = re.compile(r"e[0-9]+")


class _Clusters:
    """Union-find over mention T ids."""

    def __init__(self, tids: list[str]) -> None:
        self.parent = {tid: tid for tid in tids}

    def find(self, tid: str) -> str:
        parent = self.parent
        while parent[tid] != tid:
            parent[tid] = parent[parent[tid]]
            tid = parent[tid]
        return tid

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def clusters(parsed: Ann, mention_of: dict[str, Mention], out: Problems) -> list[Entity]:
    """The entities of the imported mentions; sets each mention's `entity`."""
    sets = _Clusters(list(mention_of))
    named: dict[str, tuple[str, str]] = {}  # mention T -> (entity id, name)
    kb: dict[str, list[KbLink]] = defaultdict(list)
    first_with: dict[str, str] = {}
    for target, db, key, name, _ in parsed.norms:
        if target not in mention_of:
            continue
        if db == CORPUS_DB:
            named.setdefault(target, (key, name))
            if key in first_with:
                sets.union(target, first_with[key])
            first_with.setdefault(key, target)
        else:
            kb[target].append({"db": db, "id": key})
    for members, line in parsed.equivs:
        known = [m for m in members if m in mention_of]
        if len(known) != len(members):
            out.add(
                "import-reference-unresolved",
                line,
                "an Equiv line links annotations that are not imported mentions.",
                "link entity-labelled T annotations only",
            )
        for other in known[1:]:
            sets.union(known[0], other)
    by_form: dict[tuple[str, str], str] = {}
    for tid, mention in mention_of.items():
        if tid not in named and all(sets.find(t) != sets.find(tid) or t == tid for t in named):
            form = (mention["label"], mention["text"])
            if form in by_form:
                sets.union(tid, by_form[form])
            by_form.setdefault(form, tid)
    groups: dict[str, list[str]] = defaultdict(list)
    for tid in sorted(mention_of, key=number):
        groups[sets.find(tid)].append(tid)
    return _entities(list(groups.values()), named, kb, mention_of)


def _entities(
    groups: list[list[str]],
    named: dict[str, tuple[str, str]],
    kb: dict[str, list[KbLink]],
    mention_of: dict[str, Mention],
) -> list[Entity]:
    """One entity per cluster: its record id and name when the .ann gives them, else new."""
    taken = {number(key) for key, _ in named.values() if _ENTITY_ID.fullmatch(key)}
    next_number = max(taken, default=0)
    entities: list[Entity] = []
    for members in groups:
        ids = sorted(
            {named[t] for t in members if t in named},
            key=lambda kn: number(kn[0]) if _ENTITY_ID.fullmatch(kn[0]) else 10**9,
        )
        if ids and _ENTITY_ID.fullmatch(ids[0][0]):
            entity_id, name = ids[0]
        else:
            next_number += 1
            entity_id, name = f"e{next_number}", ""
        entity: Entity = {
            "id": entity_id,
            "label": mention_of[members[0]]["label"],
            "name": name,  # "" for a new entity, named by guideline 5.2 (canonicalize)
        }
        links: list[KbLink] = []
        for tid in members:
            links.extend(link for link in kb[tid] if link not in links)
        if links:
            entity["kb"] = links
        entities.append(entity)
        for tid in members:
            mention_of[tid]["entity"] = entity_id
    return sorted(entities, key=lambda e: number(e["id"]))
