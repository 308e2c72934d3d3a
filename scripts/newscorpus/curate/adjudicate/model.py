"""What adjudication is made of: a Decision between two versions, the words and the context
that show each version, and the grouping of clusters (entities, event clusters) that share
members, which is how two clusterings are compared by content, never by id."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...model import Mention, Span
from ..diff.model import quoted

SIDES = ("a", "b")
Node = tuple[str, Any]  # (side, cluster id), or ("unit", member)
# The layers of a decision, in the order they are listed.
LAYERS = (
    "article",
    "mentions",
    "entities",
    "quotes",
    "events",
    "arguments",
    "relations",
    "labels",
)


@dataclass
class Decision:
    """One disagreement: A's version against B's, to be settled by choosing one.

    `covers` names the items of each side that `agreement` counts as unmatched and that this
    decision settles, as (layer, side, item) triples; a decision about a field of two matched
    items (a mention type, a modality, a cue) covers none. `choice` is "a" or "b".
    """

    layer: str
    kind: str
    a: str
    b: str
    position: int
    context: tuple[str, str] = ("", "")
    covers: list[tuple[str, str, str]] = field(default_factory=list)
    number: int = 0
    choice: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "layer": self.layer,
            "kind": self.kind,
            "a": self.a,
            "b": self.b,
            "context_a": self.context[0],
            "context_b": self.context[1],
            "choice": self.choice,
        }

    def lines(self) -> list[str]:
        """The decision as a person reads it: what differs, each version and where it is."""
        out = [f"[{self.number}] {self.layer}: {self.kind}", f"  A: {self.a}"]
        if self.context[0]:
            out.append(f"     {self.context[0]}")
        out.append(f"  B: {self.b}")
        if self.context[1]:
            out.append(f"     {self.context[1]}")
        return out


def pick(decision: Decision | None, default: str = "a") -> str:
    """The side a decision chose; `default` where there was nothing to decide."""
    if decision is None:
        return default
    if decision.choice not in SIDES:
        raise ValueError(f"decision {decision.number} is not made")
    return decision.choice


def other(side: str) -> str:
    return "b" if side == "a" else "a"


# --- words and context ------------------------------------------------------------------------


def context(text: str, spans: Iterable[tuple[int, int]], width: int = 60) -> str:
    """The text around `spans`, each marked ⟦like this⟧, on one line, cut at `width` around."""
    marked = sorted({s for s in spans if s[0] < s[1]})
    if not marked:
        return ""
    begin = max(0, marked[0][0] - width)
    end = min(len(text), marked[-1][1] + width)
    pieces, at = [], begin
    for start, stop in marked:
        if start < at:  # nested or overlapping: mark the outer one only
            continue
        pieces += [text[at:start], "⟦", text[start:stop], "⟧"]
        at = stop
    pieces.append(text[at:end])
    line = " ".join("".join(pieces).split())
    return ("…" if begin else "") + line + ("…" if end < len(text) else "")


def span_words(span: Span | Mention | None) -> str:
    if span is None:
        return "none"
    return f"{quoted(span['text'])} [{span['start']}, {span['end']})"


def mention_words(mention: Mention | None) -> str:
    if mention is None:
        return "no mention"
    return f"{span_words(mention)} {mention['label']} {mention['mention_type']}"


# --- clusters that share members --------------------------------------------------------------


class Groups:
    """Union-find over (side, cluster id) nodes: clusters of A and B sharing a member are
    joined, and each connected group is compared as a whole."""

    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def root(self, node: Node) -> Node:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def join(self, x: Node, y: Node) -> None:
        self.parent[self.root(x)] = self.root(y)

    def members(self) -> dict[Node, list[Node]]:
        out: dict[Node, list[Node]] = {}
        for node in sorted(self.parent, key=repr):
            out.setdefault(self.root(node), []).append(node)
        return out
