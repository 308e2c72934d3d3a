"""`newscorpus diff`: what changed in the annotations between two states of the corpus.

Two states are two sets of records (a git revision, a folder, the working tree; see
sources.py). Articles pair by record id; within an article, items pair by content, never
by id, so renumbering ids or reordering lists is no change:

- when the text changed, the old record is first moved onto the new text as `reanchor`
  would move it (spans.py): a span that shifts with the text is not a change, one whose
  words were edited is one changed span, one whose text was deleted is removed;
- mentions pair by place in the text, then by overlap; entities and event clusters compare
  by membership (merged, split, moved; clusters.py); quotes, events and relations pair by
  content and by what they point at, translated to the new side (layers.py).

The result is data (CorpusDiff.to_dict, `--json`) and lines for a person (render.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ...model import LAYERS as RECORD_LAYERS
from ...model import Record, empty_layers
from .clusters import diff_entities, diff_event_clusters
from .layers import diff_events, diff_quotes, diff_relations
from .model import ADDED, LAYERS, REMOVED, Change
from .sources import Side, load_side, read_pair
from .spans import Sides, align_sides, diff_mentions, diff_text

# The rows of the summary: articles, then each layer of items (the article's own fields,
# text and source, make the article changed).
SUMMARY_ROWS = ("articles",) + LAYERS[1:]


def diff_records(old: Record, new: Record) -> list[Change]:
    """Every change from `old` to `new`, two records of one article, in reading order."""
    sides = align_sides(old, new)
    changes = _article_fields(sides) + diff_text(sides) + diff_mentions(sides)
    changes += diff_entities(sides) + diff_quotes(sides)
    changes += diff_events(sides) + diff_event_clusters(sides)
    changes += diff_relations(sides) + _labels(sides) + _annotation(sides)
    return sorted(changes, key=lambda c: (LAYERS.index(c.layer), c.position))


def _article_fields(sides: Sides) -> list[Change]:
    old, new = sides.old, sides.new
    changes = []
    own: tuple[Literal["split", "schema_version"], ...] = ("split", "schema_version")
    for name in own:
        if old[name] != new[name]:
            words = f"{name} {old[name]} -> {new[name]}"
            changes.append(Change("article", name, name, words, old[name], new[name]))
    for key, before in old["source"].items():
        after = new["source"].get(key)
        if before != after:
            words = f"source.{key} {_value(before)} -> {_value(after)}"
            if isinstance(before, dict) and isinstance(after, dict):
                fields = [k for k in before if before.get(k) != after.get(k)]
                if "value" not in fields:
                    words = f"source.{key} {_value(after)}: {', '.join(fields)} rewritten"
            changes.append(Change("article", "source", key, words, before, after))
    if old["text"] == new["text"] and old["passages"] != new["passages"]:
        words = f"passages re-split: {len(old['passages'])} -> {len(new['passages'])}"
        changes.append(Change("article", "passages", "passages", words))
    return changes


def _value(value: Any) -> str:
    """A source field in a few words: a dated or inferred value by its value."""
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
    if isinstance(value, list):
        return f"({len(value)} item(s))"
    text = "null" if value is None else str(value)
    return text if len(text) <= 70 else text[:69] + "…"


def _labels(sides: Sides) -> list[Change]:
    changes = []
    kinds: tuple[tuple[Literal["topics", "countries"], str], ...] = (
        ("topics", "topic"),
        ("countries", "country"),
    )
    for key, singular in kinds:
        before, after = set(sides.old["labels"][key]), set(sides.new["labels"][key])
        for value in sorted(after - before):
            changes.append(Change("labels", ADDED, f"{singular} {value}", f"{singular} {value}"))
        for value in sorted(before - after):
            changes.append(Change("labels", REMOVED, f"{singular} {value}", f"{singular} {value}"))
    return changes


def _annotation(sides: Sides) -> list[Change]:
    old, new = sides.old["annotation"], sides.new["annotation"]
    changes = []
    fields: tuple[tuple[Literal["status", "guidelines_version"], str], ...] = (
        ("status", "status"),
        ("guidelines_version", "guidelines"),
    )
    for key, kind in fields:
        if old[key] != new[key]:
            words = f"{kind} {old[key]} -> {new[key]}"
            changes.append(Change("annotation", kind, kind, words, old[key], new[key]))
    gained = sorted(set(new["annotators"]) - set(old["annotators"]))
    lost = sorted(set(old["annotators"]) - set(new["annotators"]))
    if gained or lost:
        words = "annotators " + ", ".join([f"+{a}" for a in gained] + [f"-{a}" for a in lost])
        changes.append(Change("annotation", "annotators", "annotators", words, lost, gained))
    if old["notes"] != new["notes"]:
        sizes = [f"{len(n)} characters" if n else "none" for n in (old["notes"], new["notes"])]
        words = f"notes rewritten ({sizes[0]} -> {sizes[1]})"
        changes.append(Change("annotation", "notes", "notes", words, old["notes"], new["notes"]))
    return changes


# --- the corpus -----------------------------------------------------------------------------


def label_counts(record: Mapping[str, Any]) -> dict[str, Counter[str]]:
    """Items per label (or type) in each layer: what the per-label deltas are made of."""
    return {
        "mentions": Counter(m["label"] for m in record["mentions"]),
        "entities": Counter(e["label"] for e in record["entities"]),
        "quotes": Counter(q["type"] for q in record["quotes"]),
        "events": Counter(e["type"] for e in record["events"]),
        "relations": Counter(r["type"] for r in record["relations"]),
        "topics": Counter(record["labels"]["topics"]),
        "countries": Counter(record["labels"]["countries"]),
    }


def _sizes(record: Record) -> dict[str, int]:
    labels = record["labels"]
    sizes = {layer: len(record[layer]) for layer in RECORD_LAYERS}
    return sizes | {"labels": len(labels["topics"]) + len(labels["countries"])}


@dataclass
class ArticleDiff:
    id: str
    status: str  # added, removed, changed
    changes: list[Change] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)  # items of an added or removed article

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "status": self.status}
        if self.status == "changed":
            out["changes"] = [c.to_dict() for c in self.changes]
        else:
            out["items"] = self.sizes
        return out


@dataclass
class CorpusDiff:
    old: str  # how each side is named: "HEAD (2f4d742)", "working tree", a folder
    new: str
    articles: list[ArticleDiff] = field(default_factory=list)
    compared: int = 0  # articles on both sides
    deltas: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def different(self) -> bool:
        return bool(self.articles)

    def summary(self) -> dict[str, dict[str, int]]:
        """Per row: added, removed and changed (items counted once however many changes)."""
        table = {row: {ADDED: 0, REMOVED: 0, "changed": 0} for row in SUMMARY_ROWS}
        for article in self.articles:
            table["articles"]["changed" if article.status == "changed" else article.status] += 1
            for layer, size in article.sizes.items():
                table[layer][article.status] += size
            changed = set()
            for change in article.changes:
                if change.kind in (ADDED, REMOVED) and change.layer in table:
                    table[change.layer][change.kind] += 1
                elif change.layer in table:
                    changed.add((change.layer, change.item))
            for layer, _item in changed:
                table[layer]["changed"] += 1
        return table

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "different": self.different,
            "compared": self.compared,
            "summary": self.summary(),
            "label_deltas": {
                layer: dict(sorted((k, v) for k, v in counts.items() if v))
                for layer, counts in self.deltas.items()
                if any(counts.values())
            },
            "articles": [a.to_dict() for a in self.articles],
        }


def diff_sides(old: Side, new: Side) -> CorpusDiff:
    result = CorpusDiff(old.label, new.label)
    result.deltas = {layer: Counter() for layer in label_counts(_EMPTY)}
    ids = sorted(set(old.entries) | set(new.entries))
    result.compared = sum(1 for i in ids if i in old.entries and i in new.entries)
    for doc_id, before, after in read_pair(old, new, ids):
        for record, sign in ((before, -1), (after, 1)):
            if record is not None:
                for layer, counts in label_counts(record).items():
                    for label, count in counts.items():
                        result.deltas[layer][label] += sign * count
        if before is None and after is not None:
            result.articles.append(ArticleDiff(doc_id, ADDED, sizes=_sizes(after)))
        elif after is None and before is not None:
            result.articles.append(ArticleDiff(doc_id, REMOVED, sizes=_sizes(before)))
        elif before is not None and after is not None:
            changes = diff_records(before, after)
            if changes:
                result.articles.append(ArticleDiff(doc_id, "changed", changes))
    return result


_EMPTY = empty_layers()


def diff_corpus(root: Path, old: str | None = None, new: str | None = None) -> CorpusDiff:
    """The diff between two states under `root`: each a git revision or a folder; `old`
    defaults to HEAD and `new` to the working tree. Raises DiffError for bad input."""
    return diff_sides(load_side(root, old or "HEAD"), load_side(root, new))
