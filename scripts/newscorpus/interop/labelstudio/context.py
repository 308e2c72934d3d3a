"""What building record layers from one Label Studio annotation shares: ids kept from the
record being corrected, the regions and links of the annotation, and its findings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from ...findings import Findings
from ...labels import RELATION_TYPES, ROLES
from ...model import Event, Item, Mention, Record
from .config import CONTINUES, CUE, CUE_LINK, EVENT, MENTION, QUOTE, SOURCE, TIME
from .reader import Annotation, Link, SpanRegion

ITEM_ID = re.compile(r"^([a-z]+)([0-9]+)(?:-[0-9a-z]+)?$")


class Numbering:
    """Ids of one kind (m, e, ev, evc, q, r): the record's own, then the next free numbers."""

    def __init__(self, prefix: str, taken: set[str]) -> None:
        self.prefix = prefix
        self.used: set[str] = set()
        self.next = 1 + max(
            (int(m.group(2)) for i in taken if (m := ITEM_ID.match(i)) and m.group(1) == prefix),
            default=0,
        )
        self.known = taken

    def claim(self, *candidates: str | None) -> str | None:
        for candidate in candidates:
            if candidate in self.known and candidate not in self.used:
                self.used.add(candidate)
                return candidate
        return None

    def new(self) -> str:
        ident = f"{self.prefix}{self.next}"
        self.next += 1
        self.used.add(ident)
        return ident


def first_value(values: list[str] | None) -> str | None:
    if not values:
        return None
    text = values[0].strip()
    return text or None


DrawnItem = tuple[Literal["mention"], Mention] | tuple[Literal["event"], Event]
"""What the region of a key drew: a mention or an event, the items a link may end at."""

T = TypeVar("T", bound=Item)


@dataclass
class Build:
    text: str
    base: Record
    annotation: Annotation
    findings: Findings
    by_key: dict[str, DrawnItem] = field(default_factory=dict)
    entity_of_key: dict[str, str] = field(default_factory=dict)
    links_from: dict[str, list[Link]] = field(default_factory=dict)  # source region -> links
    typed_names: dict[str, str] = field(default_factory=dict)  # mention id -> entity_name

    def attribute(self, key: str, name: str) -> str | None:
        return first_value(self.annotation.attributes.get((key, name)))

    def regions(self, tag: str) -> list[SpanRegion]:
        return sorted(
            (r for r in self.annotation.regions if r.tag == tag), key=lambda r: (r.start, r.end)
        )

    def fail(self, code: str, where: str, message: str, hint: str) -> None:
        self.findings.add(code, where, message, hint)


def match(
    numbering: Numbering, key: str, offsets: dict[tuple[int, int], str], start: int, end: int
) -> str:
    return numbering.claim(key, offsets.get((start, end))) or numbering.new()


def in_base_order(items: list[T], base: Sequence[T]) -> list[T]:
    order = {item["id"]: i for i, item in enumerate(base)}
    kept = sorted((i for i in items if i["id"] in order), key=lambda i: order[i["id"]])
    return kept + [i for i in items if i["id"] not in order]


# The relation labels that may start at a region of each span tag.
LINKS_FROM = {
    MENTION: RELATION_TYPES,
    EVENT: (*ROLES, TIME),
    QUOTE: (SOURCE, CUE_LINK, CONTINUES),
    CUE: (),
}


def check_links(b: Build) -> None:
    """Keep the links whose label fits the region they start at; the others are findings."""
    kept = []
    tag_of = {r.key: r.tag for r in b.annotation.regions}
    for link in b.annotation.links:
        tag = tag_of.get(link.source)
        if tag is None:
            b.fail(
                "import-reference-unresolved",
                link.where,
                f"the {link.label!r} relation starts at region {link.source!r}, which is "
                "not an imported region.",
                "draw relations between labelled regions",
            )
        elif link.label not in LINKS_FROM[tag]:
            allowed = ", ".join(LINKS_FROM[tag]) or "nothing"
            backwards = link.label in LINKS_FROM.get(tag_of.get(link.target, ""), ())
            b.fail(
                "import-unknown-label",
                link.where + "/labels",
                f"a {link.label!r} relation cannot start at a {tag} region.",
                "it points the wrong way: click its direction in the Relations panel to reverse it"
                if backwards
                else f"from a {tag}, draw {allowed}",
            )
        else:
            kept.append(link)
            b.links_from.setdefault(link.source, []).append(link)
    b.annotation.links = kept


def targets(b: Build, source_key: str) -> list[Link]:
    return b.links_from.get(source_key, [])


def drawn_mentions(b: Build) -> list[Mention]:
    """The mentions drawn so far, by the regions that drew them."""
    return [drawn[1] for drawn in b.by_key.values() if drawn[0] == MENTION]


def linked_mention(b: Build, key: str, link: Link) -> Mention | None:
    """The mention a link's end drew; else a finding."""
    drawn = _linked(b, key, MENTION, link)
    return drawn[1] if drawn is not None and drawn[0] == MENTION else None


def linked_event(b: Build, key: str, link: Link) -> Event | None:
    """The event a link's end drew; else a finding."""
    drawn = _linked(b, key, EVENT, link)
    return drawn[1] if drawn is not None and drawn[0] == EVENT else None


def _linked(b: Build, key: str, tag: str, link: Link) -> DrawnItem | None:
    """What a link's end drew, when it is of the layer `tag`; else a finding."""
    found = b.by_key.get(key)
    if found is None or found[0] != tag:
        b.fail(
            "import-reference-unresolved",
            link.where,
            f"the {link.label!r} relation links region {key!r}, which is not an imported {tag}.",
            f"draw it to a {tag} region",
        )
        return None
    return found


def same_set(a: Sequence[object], b: Sequence[object]) -> bool:
    return len(a) == len(b) and all(x in b for x in a) and all(y in a for y in b)


def known(b: Build, region: SpanRegion, allowed: tuple[str, ...], what: str) -> bool:
    if region.label in allowed:
        return True
    b.fail(
        "import-unknown-label",
        region.where + "/value/labels",
        f"{region.label!r} is not {what}.",
        f"use one of {', '.join(allowed)}",
    )
    return False
