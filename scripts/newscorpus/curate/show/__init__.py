"""A record's annotations made visible: rich renderables for a terminal, and what the HTML
page (show/html.py) shares with them.

Both views are built from one boundary sweep over the text, so nested and overlapping spans
(a mention inside a quote, a trigger inside a mention, spans that cross) come out well formed:
an element that must close while an inner one is still open is closed and reopened around it.
The HTML page has inline CSS only: no script, font, image or link leaves the file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ...findings import Finding
from ...model import Entity, Event, Layer, Mention, Passage, Quote, Record, Relation, Span
from .meta import summary as summary  # the fields beside the text, shared with HTML

# --- the boundary sweep ---------------------------------------------------------------------

# Outer layers first when two marks cover the same characters.
LAYER_ORDER = ("passage", "quote", "cue", "mention", "trigger")


@dataclass(eq=False)
class Mark:
    """One span to draw: its layer, the item it belongs to and what its tag says."""

    start: int
    end: int
    layer: str
    item: Mapping[str, Any]  # the mention, quote, event or passage
    tag: str = ""
    css: list[str] = field(default_factory=list)


@dataclass
class Piece:
    kind: str  # "open", "close" or "text"
    mark: Mark | None = None
    text: str = ""
    first: bool = False  # an open that begins the span (not a reopening)
    last: bool = False  # a close that ends the span (not a break around an inner element)


def sweep(text: str, marks: list[Mark]) -> Iterator[Piece]:
    """Text and open/close pieces that nest properly, whatever the marks' overlaps."""
    size = len(text)
    starting: dict[int, list[Mark]] = defaultdict(list)
    points = {0, size}
    for mark in marks:
        start, end = max(0, min(mark.start, size)), max(0, min(mark.end, size))
        if start >= end:
            continue
        mark.start, mark.end = start, end
        starting[start].append(mark)
        points.update((start, end))
    stack: list[Mark] = []
    position = 0
    for point in sorted(points):
        if point > position:
            yield Piece("text", text=text[position:point])
            position = point
        if any(mark.end == point for mark in stack):
            reopen: list[Mark] = []
            while any(mark.end == point for mark in stack):
                mark = stack.pop()
                ends_here = mark.end == point
                yield Piece("close", mark, last=ends_here)
                if not ends_here:
                    reopen.append(mark)
            for mark in reversed(reopen):
                stack.append(mark)
                yield Piece("open", mark)
        for mark in sorted(starting[point], key=lambda m: (-m.end, LAYER_ORDER.index(m.layer))):
            stack.append(mark)
            yield Piece("open", mark, first=True)


# --- what the record says, resolved -----------------------------------------------------------


class View:
    """Lookups shared by both renderings; unresolved references show as '?'."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self.mentions = {m["id"]: m for m in record["mentions"]}
        self.entities = {e["id"]: e for e in record["entities"]}
        self.by_entity: dict[str, list[str]] = defaultdict(list)
        for mention in record["mentions"]:
            mark = ", suggested" if mention.get("suggested") else ""
            self.by_entity[mention["entity"]].append(f"{mention['text']} ({mention['id']}{mark})")

    def entity_mentions(self, entity_id: str) -> list[str]:
        return self.by_entity.get(entity_id, [])

    def entity_name(self, entity_id: str | None) -> str:
        if entity_id is None:
            return "-"
        entity = self.entities.get(entity_id)
        return f"{entity['name']} ({entity_id})" if entity else f"? ({entity_id})"

    def mention_text(self, mention_id: str | None) -> str:
        if mention_id is None:
            return "-"
        mention = self.mentions.get(mention_id)
        return f"{mention['text']} ({mention_id})" if mention else f"? ({mention_id})"

    def speaker(self, quote: Quote) -> str:
        if quote["speaker"] is not None:
            return self.entity_name(quote["speaker"])
        if quote["source"] is not None:
            return self.mention_text(quote["source"])
        return "-"

    def arguments(self, event: Event) -> str:
        parts = [f"{a['role']}={self.mention_text(a['mention'])}" for a in event["arguments"]]
        return "; ".join(parts) or "-"

    def marks(self, passages: bool) -> list[Mark]:
        """Every span to draw; passages only for the HTML page, where they are blocks."""
        record = self.record
        marks = []
        if passages:
            marks = [_mark(p, "passage", p, "", ["passage", p["type"]]) for p in record["passages"]]
        for quote in record["quotes"]:
            tag = f"{quote['id']} {quote['type']}: {self.speaker(quote)}"
            marks += [_mark(part, "quote", quote, tag, ["quote"]) for part in quote["content"]]
            if quote["cue"] is not None:
                marks.append(_mark(quote["cue"], "cue", quote, f"cue {quote['id']}", ["cue"]))
        for mention in record["mentions"]:
            css = ["mention", f"label-{mention['label']}", mention["mention_type"].lower()]
            if mention.get("suggested"):
                css.append("suggested")
            tag = f"{mention['label']} {mention['entity']}"
            marks.append(_mark(mention, "mention", mention, tag, css))
        for event in record["events"]:
            tag = f"{event['id']} {event['type']}"
            marks.append(_mark(event["trigger"], "trigger", event, tag, ["trigger"]))
        return marks


def _mark(
    span: Span | Mention | Passage, layer: str, item: Mapping[str, Any], tag: str, css: list[str]
) -> Mark:
    return Mark(span["start"], span["end"], layer, item, tag=tag, css=css)


def _kb(entity: Entity) -> str:
    return ", ".join(f"{link['db']}:{link['id']}" for link in entity.get("kb", [])) or "-"


def _entity_row(view: View, e: Entity) -> tuple[str, ...]:
    return (e["id"], e["label"], e["name"], _kb(e), "; ".join(view.entity_mentions(e["id"])))


def _quote_row(view: View, q: Quote) -> tuple[str, ...]:
    return (
        q["id"],
        q["type"],
        view.speaker(q),
        view.mention_text(q["source"]),
        q["cue"]["text"] if q["cue"] else "-",
        " … ".join(p["text"] for p in q["content"]),
    )


def _event_row(view: View, e: Event) -> tuple[str, ...]:
    return (
        e["id"],
        e["type"],
        e["trigger"]["text"],
        e["modality"],
        view.arguments(e),
        view.mention_text(e["time"]),
        e["cluster"],
    )


def _relation_row(view: View, r: Relation) -> tuple[str, ...]:
    return (
        r["id"],
        r["type"],
        view.entity_name(r["head"]),
        view.entity_name(r["tail"]),
        "; ".join(view.mention_text(m) for m in r["evidence"]),
    )


# The tables under the text, the same in the terminal and in HTML: (layer, columns, row).
LAYER_TABLES: tuple[tuple[Layer, tuple[str, ...], Callable[[View, Any], tuple[str, ...]]], ...] = (
    ("entities", ("id", "label", "name", "kb", "mentions"), _entity_row),
    ("quotes", ("id", "type", "speaker", "source", "cue", "content"), _quote_row),
    ("events", ("id", "type", "trigger", "modality", "arguments", "time", "cluster"), _event_row),
    ("relations", ("id", "type", "head", "tail", "evidence"), _relation_row),
)


def layer_tables(
    record: Record,
) -> Iterator[tuple[str, tuple[str, ...], list[tuple[str, ...]]]]:
    """Each layer's title, columns and rows."""
    view = View(record)
    for layer, columns, row in LAYER_TABLES:
        yield layer, columns, [row(view, item) for item in record[layer]]


# --- terminal ---------------------------------------------------------------------------------

TERMINAL_COLOURS = {
    "PERSON": "magenta",
    "NORP": "yellow",
    "FAC": "bright_blue",
    "ORG": "cyan",
    "GPE": "green",
    "LOC": "dark_green",
    "PRODUCT": "blue",
    "EVENT": "bright_red",
    "WORK_OF_ART": "orchid",
    "LAW": "red",
    "LANGUAGE": "bright_cyan",
    "DATE": "bright_yellow",
    "TIME": "yellow3",
    "PERCENT": "bright_green",
    "MONEY": "green3",
    "QUANTITY": "steel_blue",
    "ORDINAL": "grey70",
    "CARDINAL": "grey62",
}
# Brackets keep the spans readable without colour: [mention]LABEL eN, «quote»qN,
# {cue}cue qN, <trigger>evN TYPE; an unconfirmed suggestion is [mention]?LABEL eN, so that
# it reads as unconfirmed with colour off too (the dim style alone would not show).
SUGGESTED_MARK = "?"
_BRACKETS = {"mention": ("[", "]"), "quote": ("«", "»"), "cue": ("{", "}"), "trigger": ("<", ">")}


def _terminal_style(mark: Mark) -> str:
    if mark.layer == "mention":
        style = TERMINAL_COLOURS[mark.item["label"]]
        return style + (" dim" if mark.item.get("suggested") else "")
    return {"quote": "italic", "cue": "underline", "trigger": "bold underline"}[mark.layer]


# Characters a terminal would obey rather than show (ESC starts an escape sequence, a
# bidirectional override reorders what follows): shown as \uXXXX instead.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(value: Any) -> str:
    """`value` as text a terminal shows as it is: control characters escaped."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(value))


def plain(value: Any, style: str | None = None) -> Text:
    """A cell or line from record data: never read as rich markup (`[bold]`, `[link=...]`)."""
    return Text(visible(value), style=style or "")


def annotated_text(record: Record) -> Text:
    """The text with every span bracketed, styled and tagged."""
    out = Text()
    stack: list[Mark] = []
    for piece in sweep(record["text"], View(record).marks(passages=False)):
        if piece.kind == "text":
            style = " ".join(_terminal_style(m) for m in stack) or None
            out.append(visible(piece.text), style=style)
        elif piece.kind == "open":
            assert piece.mark is not None
            if piece.first:
                out.append(_BRACKETS[piece.mark.layer][0], style="dim")
            stack.append(piece.mark)
        else:
            assert piece.mark is not None
            stack.remove(piece.mark)
            if piece.last:
                out.append(_BRACKETS[piece.mark.layer][1], style="dim")
                tag = piece.mark.tag if piece.mark.layer != "quote" else piece.mark.item["id"]
                if piece.mark.layer == "mention" and piece.mark.item.get("suggested"):
                    tag = SUGGESTED_MARK + tag
                out.append(visible(tag), style=f"dim {_terminal_style(piece.mark)}")
    return out


def terminal_view(record: Record, errors: Sequence[Finding] = ()) -> list[RenderableType]:
    """Renderables for rich's Console: header, annotated text, then one table per layer."""
    header = Table.grid(padding=(0, 2))
    header.add_row(plain(record["id"], "bold"), "")
    for key, value in summary(record):
        header.add_row(Text(key, style="dim"), plain(value))
    if errors:
        header.add_row(
            Text("validation", style="bold red"),
            f"{len(errors)} error(s): run `newscorpus validate`",
        )
    legend = Text("labels: ")
    for label in sorted({m["label"] for m in record["mentions"]}):
        legend.append(visible(label), style=TERMINAL_COLOURS.get(label, ""))
        legend.append(" ")
    legend.append(
        "  [mention]LABEL entity  [suggested]?LABEL entity  «quote»id  {cue}  <trigger>event",
        style="dim",
    )

    parts: list[RenderableType] = [header, legend, Text(), annotated_text(record), Text()]

    for layer, columns, rows in layer_tables(record):
        table = _table(layer.capitalize(), *columns)
        for row in rows:
            if layer == "entities":  # the label in its colour
                colour = TERMINAL_COLOURS.get(row[1])
                table.add_row(plain(row[0]), plain(row[1], colour), *map(plain, row[2:]))
            else:
                table.add_row(*map(plain, row))
        if table.row_count:
            parts.append(table)
    return parts


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table
