"""What a diff is made of: one Change per difference a person would name, and the pairing
of old items with new ones by content that every layer of the diff relies on."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from ...model import LAYERS as RECORD_LAYERS
from ...model import Mention, Span

ADDED = "added"
REMOVED = "removed"

# The layers of a record, in the order a diff lists them: the article's own fields, the
# annotation layers, the document labels and the annotation block.
LAYERS: tuple[str, ...] = ("article", *RECORD_LAYERS, "labels", "annotation")


@dataclass(frozen=True)
class Change:
    """One difference: `kind` is added, removed, or what changed (relabelled, merged, ...).

    `item` names the item (its id on the new side, on the old side for a removal), so that a
    relabelled and re-typed mention counts once as changed; `position` orders changes by
    where they are in the text.
    """

    layer: str
    kind: str
    item: str
    text: str
    before: Any = None
    after: Any = None
    position: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "kind": self.kind,
            "item": self.item,
            "text": self.text,
            "before": self.before,
            "after": self.after,
        }


def quoted(text: str, limit: int = 60, exact: bool = False) -> str:
    """Text in double quotes, on one line, shortened in the middle if long.

    A span's text is shown with its spaces collapsed; an edit of the text (`exact`) as a
    JSON string, so that a space or a paragraph break it adds or deletes is visible.
    """
    flat = text if exact else " ".join(text.split())
    if len(flat) > limit:
        half = (limit - 1) // 2
        flat = f"{flat[:half]}…{flat[-half:]}"
    return json.dumps(flat, ensure_ascii=False) if exact else f'"{flat}"'


def span_text(span: Span | Mention | None) -> str:
    if span is None:
        return "none"
    return f"{quoted(span['text'])} [{span['start']}, {span['end']})"


def offsets(span: Span | Mention | None) -> tuple[int, int] | None:
    return None if span is None else (span["start"], span["end"])


def overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int:
    """Characters two spans share (0 when either is missing)."""
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def pair_by_content(
    old: Sequence[Hashable],
    new: Sequence[Hashable],
    score: Callable[[int, int], tuple[int, ...] | None],
) -> dict[int, int]:
    """A one-to-one pairing of old items with new ones (index to index), never by id.

    Items with the same signature (`old[i] == new[j]`: every compared field, references
    translated to the new side) pair first, so reordering and renumbering change nothing.
    The rest pair greedily by `score` (None: not comparable; higher is closer, e.g. same
    offsets, same label, then characters in common).
    """
    pairs: dict[int, int] = {}
    waiting: dict[Hashable, list[int]] = {}
    for j, signature in enumerate(new):
        waiting.setdefault(signature, []).append(j)
    for i, signature in enumerate(old):
        if waiting.get(signature):
            pairs[i] = waiting[signature].pop(0)
    taken = set(pairs.values())
    candidates = []
    for i in range(len(old)):
        if i in pairs:
            continue
        for j in range(len(new)):
            if j not in taken:
                closeness = score(i, j)
                if closeness is not None:
                    candidates.append((closeness, i, j))
    candidates.sort(key=lambda c: (tuple(-x for x in c[0]), c[1], c[2]))
    for _closeness, i, j in candidates:
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    return pairs
