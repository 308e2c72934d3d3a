"""One article on both sides of a diff, the old record moved onto the new text as `reanchor`
would move it, and the diff of its text and of its mentions.

Moving first is what makes a corrected text readable in a diff: a span that shifts with an
edit earlier in the text is the same span (counted as moved, not listed), a span whose words
were edited is one changed span, and only a span whose text was deleted is removed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from ...errors import DiffError
from ...findings import Findings
from ...model import Mention, Record, Span
from ...validate.spans import check_text_and_spans
from ..align import alignment
from ..reanchor import ReanchorReport, move_spans
from .model import ADDED, REMOVED, Change, offsets, overlap, pair_by_content, quoted, span_text


@dataclass
class Sides:
    """An article's old record (as it was, and moved onto the new text) and its new record,
    with what the layers paired so far: old id to new id."""

    old: Record
    moved: Record
    new: Record
    vanished: set[int] = field(default_factory=set)
    mention_map: dict[str, str] = field(default_factory=dict)
    entity_map: dict[str, set[str]] = field(default_factory=dict)
    event_map: dict[str, str] = field(default_factory=dict)

    def mention_of(self, old_id: str | None) -> str | None:
        """The new id of the old mention `old_id` (None: it has no partner, or no mention)."""
        return None if old_id is None else self.mention_map.get(old_id)

    def gone(self, span: Span | Mention | None) -> bool:
        """The span's text was deleted from the article."""
        return span is not None and id(span) in self.vanished

    def entity_name(self, side: str, entity_id: str | None) -> str:
        record = self.new if side == "new" else self.old
        for entity in record["entities"]:
            if entity["id"] == entity_id:
                return quoted(entity["name"])
        return "none" if entity_id is None else entity_id


# Findings that leave spans nothing sound to be moved by (or onto).
UNMOVABLE = frozenset({"span-out-of-range", "span-empty", "span-text-mismatch", "passage-tiling"})


def align_sides(old: Record, new: Record) -> Sides:
    if old["text"] == new["text"]:
        return Sides(old, old, new)
    for side, record in (("old", old), ("new", new)):
        out = Findings(f"{side} record {record['id']}", record["id"])
        check_text_and_spans(record, out)
        problems = [f for f in out if f.code in UNMOVABLE]
        if problems:
            raise DiffError(
                f"the text changed, but the spans of the {side} record do not fit its text, "
                f"so they cannot be followed onto the new one: {problems[0].format()}"
            )
    moved = copy.deepcopy(old)
    vanished = move_spans(moved, new["text"], new["passages"], ReanchorReport(seed_path=""))
    return Sides(old, moved, new, vanished)


def _span_pairs(old: Record, moved: Record) -> Iterator[tuple[Any, Any]]:
    yield from zip(old["mentions"], moved["mentions"], strict=True)
    for quote_a, quote_b in zip(old["quotes"], moved["quotes"], strict=True):
        yield from zip(quote_a["content"], quote_b["content"], strict=True)
        if quote_a["cue"] is not None:
            yield quote_a["cue"], quote_b["cue"]
    for event_a, event_b in zip(old["events"], moved["events"], strict=True):
        yield event_a["trigger"], event_b["trigger"]


def diff_text(sides: Sides) -> list[Change]:
    """The edits of the text, word by word, and how many spans moved with them unchanged."""
    old_text, new_text = sides.old["text"], sides.new["text"]
    if old_text == new_text:
        return []
    changes = []
    for block in alignment(old_text, new_text):
        before = old_text[block.old_start : block.old_end]
        after = new_text[block.new_start : block.new_end]
        where = f"[{block.old_start}, {block.old_end}) -> [{block.new_start}, {block.new_end})"
        wording = {
            "replace": f"replaced {quoted(before, exact=True)} with {quoted(after, exact=True)}"
            f" {where}",
            "delete": f"deleted {quoted(before, exact=True)} {where}",
            "insert": f"inserted {quoted(after, exact=True)} {where}",
        }.get(block.tag)
        if wording is not None:
            changes.append(
                Change("article", "text", "text", wording, before, after, block.new_start)
            )
    shifted = sum(
        1
        for a, b in _span_pairs(sides.old, sides.moved)
        if not sides.gone(b) and a["text"] == b["text"] and offsets(a) != offsets(b)
    )
    summary = f"text changed in {len(changes)} place(s); {shifted} span(s) moved with it"
    changes.insert(0, Change("article", "text", "text", summary, None, {"moved": shifted}))
    return changes


def _mention_words(mention: Mention, sides: Sides, side: str) -> str:
    entity = sides.entity_name(side, mention.get("entity"))
    return (
        f"{mention['id']} {span_text(mention)} {mention['label']} {mention['mention_type']}, "
        f"entity {entity}"
    )


def diff_mentions(sides: Sides) -> list[Change]:
    """Mentions paired by their place in the new text (then by overlap), never by id."""
    old, moved, new = sides.old["mentions"], sides.moved["mentions"], sides.new["mentions"]

    def signature(mention: Mention, index: int) -> tuple[Any, ...]:
        if sides.gone(mention):
            return ("vanished", index)
        kind = (mention["label"], mention["mention_type"], bool(mention.get("suggested")))
        return (offsets(mention), *kind)

    def score(i: int, j: int) -> tuple[int, ...] | None:
        a, b = moved[i], new[j]
        shared = 0 if sides.gone(a) else overlap(offsets(a), offsets(b))
        if not shared:
            return None
        return (int(offsets(a) == offsets(b)), int(a["label"] == b["label"]), shared)

    pairs = pair_by_content(
        [signature(m, i) for i, m in enumerate(moved)],
        [signature(m, -1) for m in new],
        score,
    )
    sides.mention_map = {old[i]["id"]: new[j]["id"] for i, j in pairs.items()}
    changes = []
    for i, mention in enumerate(old):
        if i not in pairs:
            deleted = " (its text was deleted)" if sides.gone(moved[i]) else ""
            words = _mention_words(mention, sides, "old") + deleted
            changes.append(
                Change("mentions", REMOVED, mention["id"], words, mention, None, moved[i]["start"])
            )
    paired = set(pairs.values())
    for j, mention in enumerate(new):
        if j not in paired:
            words = _mention_words(mention, sides, "new")
            changes.append(
                Change("mentions", ADDED, mention["id"], words, None, mention, mention["start"])
            )
    for i, j in pairs.items():
        changes.extend(_mention_changes(old[i], moved[i], new[j]))
    return changes


def _mention_changes(old: Mention, moved: Mention, new: Mention) -> Iterator[Change]:
    at = f"{new['id']} {span_text(new)}"
    if offsets(moved) != offsets(new) or moved["text"] != old["text"]:
        words = f"{new['id']} {span_text(old)} -> {span_text(new)}"
        yield Change("mentions", "span", new["id"], words, old, new, new["start"])
    fields: tuple[tuple[Literal["label", "mention_type"], str], ...] = (
        ("label", "relabelled"),
        ("mention_type", "re-typed"),
    )
    for key, kind in fields:
        if old[key] != new[key]:
            words = f"{at}: {old[key]} -> {new[key]}"
            yield Change("mentions", kind, new["id"], words, old[key], new[key], new["start"])
    was, now = bool(old.get("suggested")), bool(new.get("suggested"))
    if was != now:
        kind = "confirmed" if was else "suggested"
        words = f"{at}: {'suggestion confirmed' if was else 'marked as a suggestion'}"
        yield Change("mentions", kind, new["id"], words, was, now, new["start"])
