"""The HTML page of `newscorpus show`: the text as nested spans over every layer, a legend
and the same layer tables as the terminal view, in one self-contained file."""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...errors import RecordExistsError, WriteError
from ...findings import Finding
from ...fsutil import write_atomic
from ...labels import ENTITY_LABELS, inventory
from ...model import Record
from ...outputs import refuse_curated
from . import SUGGESTED_MARK, Mark, View, layer_tables, summary, sweep

HTML_COLOURS = {
    "PERSON": "#f4c7e4",
    "NORP": "#f9e3a3",
    "FAC": "#c9d7f8",
    "ORG": "#bfe6ef",
    "GPE": "#c8ecc4",
    "LOC": "#d9ead0",
    "PRODUCT": "#d5cff5",
    "EVENT": "#f8c9c0",
    "WORK_OF_ART": "#ead1f2",
    "LAW": "#f6d2b5",
    "LANGUAGE": "#c5efe3",
    "DATE": "#fff2a8",
    "TIME": "#f3eab9",
    "PERCENT": "#dff5b8",
    "MONEY": "#cdf0b0",
    "QUANTITY": "#d6e4ee",
    "ORDINAL": "#e4e4e4",
    "CARDINAL": "#e9e4da",
}

_CSS = """
body { font: 16px/1.5 Georgia, 'Times New Roman', serif; margin: 2em auto; max-width: 60em;
       color: #222; padding: 0 1em; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; font: 13px/1.4 sans-serif; width: 100%; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
.meta td:first-child { color: #666; width: 9em; }
.doc { line-height: 2.6; }
.passage { display: block; margin: 0 0 1em; white-space: pre-wrap; }
.passage.title { font-size: 1.3em; font-weight: bold; }
.passage.standfirst { font-style: italic; }
.mention { border: 1px solid #888; border-radius: 3px; padding: 1px 2px; }
.mention .mention { border-color: #444; }
.mention.nom { border-style: dotted; } .mention.pro { border-style: dashed; }
.mention.suggested { outline: 2px dashed #d33; outline-offset: 1px; }
.quote { border-bottom: 3px double #7b3fa0; background-image: none; }
.cue { border-bottom: 2px dashed #7b3fa0; }
.trigger { font-weight: bold; border-bottom: 3px solid #c0392b; }
.tag { font: 10px/1 sans-serif; color: #333; background: #fff; border: 1px solid #bbb;
       border-radius: 2px; padding: 0 2px; margin-left: 2px; white-space: nowrap; }
.tag.q, .tag.cue { color: #7b3fa0; } .tag.ev { color: #c0392b; }
.legend span.swatch { display: inline-block; padding: 0 4px; margin: 2px; border: 1px solid #888;
       border-radius: 3px; font: 12px sans-serif; }
.errors { color: #b00; }
"""


def _escape(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _label_css() -> str:
    return "\n".join(
        f".label-{label} {{ background: {HTML_COLOURS[label]}; }}" for label in ENTITY_LABELS
    )


def _open_tag(mark: Mark, first: bool) -> str:
    classes = " ".join(mark.css + ([] if first else ["continued"]))
    item = mark.item
    if mark.layer == "mention":
        title = f"{item['id']} {item['label']} {item['mention_type']} → {item['entity']}" + (
            " (suggested)" if item.get("suggested") else ""
        )
    elif mark.layer == "passage":
        title = f"{item['id']} {item['type']}"
    else:
        title = mark.tag
    return (
        f'<span class="{_escape(classes)}" data-layer="{mark.layer}" '
        f'data-id="{_escape(item["id"])}" title="{_escape(title)}">'
    )


def _close_tag(mark: Mark, last: bool) -> str:
    if not last or mark.layer == "passage":
        return "</span>"
    kind = {"mention": "m", "quote": "q", "cue": "cue", "trigger": "ev"}[mark.layer]
    tag = mark.tag
    if mark.layer == "mention" and mark.item.get("suggested"):
        tag = SUGGESTED_MARK + tag  # as in the terminal: reads as unconfirmed without colour
    return f'<sup class="tag {kind}">{_escape(tag)}</sup></span>'


def annotated_html(record: Record) -> str:
    """The text as nested <span> elements, one boundary sweep over passages and every layer."""
    parts: list[str] = []
    for piece in sweep(record["text"], View(record).marks(passages=True)):
        if piece.kind == "text":
            parts.append(_escape(piece.text))
        elif piece.kind == "open":
            assert piece.mark is not None
            parts.append(_open_tag(piece.mark, piece.first))
        else:
            assert piece.mark is not None
            parts.append(_close_tag(piece.mark, piece.last))
    return "".join(parts)


def _html_table(layer: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    if not rows:
        return f'<p class="empty" data-layer="{layer}">No {layer}.</p>'
    head = "".join(f"<th>{_escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_escape(v)}</td>" for v in row) + "</tr>" for row in rows
    )
    return f'<table class="{layer}" data-layer="{layer}"><tr>{head}</tr>{body}</table>'


def html_page(record: Record, errors: Sequence[Finding] = ()) -> str:
    """A standalone HTML page: annotated text, legend and one table per layer."""
    labels = sorted({m["label"] for m in record["mentions"]}, key=ENTITY_LABELS.index)
    definitions = inventory()["entity_labels"]
    legend = " ".join(
        f'<span class="swatch label-{label}" title="{_escape(definitions[label])}">'
        f"{_escape(label)}</span>"
        for label in labels
    )
    meta = "".join(
        f"<tr><td>{_escape(k)}</td><td>{_escape(v)}</td></tr>" for k, v in summary(record)
    )
    if errors:
        items = "".join(f"<li>{_escape(f.format())}</li>" for f in errors)
        meta += f'<tr class="errors"><td>validation</td><td><ul>{items}</ul></td></tr>'
    body = "".join(
        f"<h2>{layer.capitalize()}</h2>{_html_table(layer, columns, rows)}"
        for layer, columns, rows in layer_tables(record)
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_escape(record['id'])}</title>"
        f"<style>{_CSS}{_label_css()}</style></head><body>"
        f"<h1>{_escape(record['id'])}</h1>"
        f'<table class="meta">{meta}</table>'
        f'<p class="legend">{legend} <span class="swatch">[box] mention, tag = label and '
        "entity; dotted NOM, dashed PRO, red outline and ?LABEL = suggested</span> "
        '<span class="swatch quote">quote</span> <span class="swatch cue">cue</span> '
        '<span class="swatch trigger">event trigger</span></p>'
        f'<div class="doc">{annotated_html(record)}</div>'
        f"{body}</body></html>\n"
    )


def write_page(root: Path, path: Path, page: str, *, force: bool = False) -> Path | None:
    """Write the HTML page to `path`, atomically, never over a curated file (a record, a
    seed, schema/, DATASHEET.md, README.md), and over any other existing file only with
    `force`, keeping that file as a backup (returned).

    Raises RecordExistsError when `path` is refused, WriteError when it cannot be written.
    """
    refuse_curated(root, path, "Write the page elsewhere, e.g. /tmp/page.html")
    if os.path.lexists(path) and not force:
        raise RecordExistsError(
            f"{path} already exists; nothing was written. Give another file, or --force to "
            "replace it (the old one is kept as a backup)"
        )
    if not path.parent.is_dir():
        raise WriteError(f"cannot write {path}: there is no folder {path.parent}")
    return write_atomic(path, page, overwrite=force, backup=True)
