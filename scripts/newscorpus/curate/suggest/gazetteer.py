"""Names known from the gold records: the gazetteer that `add --suggest` draws on.

An entity counts when a gold record gives it a confirmed named mention; its canonical name and
the texts of its named mentions are its surface forms. Value expressions never come from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ...jsonio import read_record
from ...labels import VALUE_LABELS
from ...model import KbLink, Record
from ...paths import records_in
from .base import PRIORITY, Candidate, dicts


@dataclass
class KnownEntity:
    """One entity of the gold records, merged across records by (label, canonical name)."""

    label: str
    name: str
    kb: list[KbLink] = field(default_factory=list)
    forms: set[str] = field(default_factory=set)
    weight: int = 0  # named mentions seen in gold records; decides between ambiguous forms


# --- the inventory --------------------------------------------------------------------------


def entity_inventory(records: Iterable[Record]) -> list[KnownEntity]:
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
        for mention in dicts(record.get("mentions")):
            form = mention.get("text")
            if (
                mention.get("mention_type") == "NAM"
                and not mention.get("suggested")
                and isinstance(form, str)
                and form.strip()
            ):
                names.setdefault(str(mention.get("entity")), []).append(form.strip())
        for entity in dicts(record.get("entities")):
            label, name = entity.get("label"), entity.get("name")
            forms = names.get(str(entity.get("id")))
            if not (forms and isinstance(label, str) and isinstance(name, str) and name.strip()):
                continue
            if label in VALUE_LABELS:
                continue
            item = known.setdefault((label, name), KnownEntity(label, name))
            item.forms |= set(forms) | {name.strip()}
            item.weight += len(forms)
            for link in dicts(entity.get("kb")):
                db, ident = link.get("db"), link.get("id")
                pair: KbLink | None = (
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


def known_candidates(
    body: str, offset: int, keep: Callable[[int, int], bool], inventory: list[KnownEntity]
) -> list[Candidate]:
    """Every occurrence of a known form in `body` (a passage at `offset`) that `keep` accepts
    and that does not sit inside a longer capitalised name the gazetteer does not know."""
    found = []
    names = _name_runs(body)
    for form, index in _form_index(inventory).items():
        entity = inventory[index]
        for match in re.finditer(re.escape(form), body):
            start, end = offset + match.start(), offset + match.end()
            if keep(start, end) and not _inside_longer_name(match.span(), names):
                key = ("known", str(index))
                found.append(
                    Candidate(start, end, entity.label, key, PRIORITY["gazetteer"], "gazetteer")
                )
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
