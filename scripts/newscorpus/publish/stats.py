"""Counts per layer, label and split, gathered one record at a time.

`build` feeds every published record through a Stats and prints the result into the dataset
card and into DATASHEET.md between the stats markers; `newscorpus stats` prints the same
numbers. Label counts follow the inventory's order and leave out labels never used.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..errors import StatsMarkerError
from ..labels import (
    ENTITY_LABELS,
    EVENT_TYPES,
    MENTION_TYPES,
    MODALITIES,
    QUOTE_TYPES,
    RELATION_TYPES,
    SPLITS,
)
from ..model import LAYERS as ANNOTATION_LAYERS
from ..model import Record
from .agreement_stats import AgreementTally
from .views import ner_rows

# The per-label tables of the stats, with their titles, in the order they are printed.
BREAKDOWNS = (
    ("mentions_by_label", "Mentions by label"),
    ("mentions_by_type", "Mentions by type"),
    ("quotes_by_type", "Quotes by type"),
    ("events_by_type", "Events by type"),
    ("events_by_modality", "Events by modality"),
    ("relations_by_type", "Relations by type"),
)

LAYERS = (
    "articles",
    "passages",
    "sentences",
    "tokens",
    "mentions",
    "entities",
    "quotes",
    "events",
    "relations",
)
STATS_START = "<!-- stats:start -->"
STATS_END = "<!-- stats:end -->"
COUNTERS = (  # the Counter fields of Stats, apart from the counts per split
    "layers",
    "mention_labels",
    "mention_types",
    "quote_types",
    "event_types",
    "event_modalities",
    "relation_types",
    "annotators",
    "guidelines",
)


@dataclass
class Stats:
    layers: Counter[str] = field(default_factory=Counter)
    by_split: dict[str, Counter[str]] = field(
        default_factory=lambda: {split: Counter() for split in SPLITS}
    )
    mention_labels: Counter[str] = field(default_factory=Counter)
    mention_types: Counter[str] = field(default_factory=Counter)
    quote_types: Counter[str] = field(default_factory=Counter)
    event_types: Counter[str] = field(default_factory=Counter)
    event_modalities: Counter[str] = field(default_factory=Counter)
    relation_types: Counter[str] = field(default_factory=Counter)
    annotators: Counter[str] = field(default_factory=Counter)  # articles per annotator
    guidelines: Counter[str] = field(default_factory=Counter)  # articles per guidelines version
    agreement: AgreementTally = field(default_factory=AgreementTally)

    def add(self, record: Record, sizes: tuple[int, int] | None = None) -> None:
        """Count one record; `sizes`: its (sentences, tokens) when the caller has them."""
        if sizes is None:
            rows = ner_rows(record)
            sizes = (len(rows), sum(len(row["tokens"]) for row in rows))
        sentences, tokens = sizes
        counts = Counter(
            articles=1,
            passages=len(record["passages"]),
            sentences=sentences,
            tokens=tokens,
            **{layer: len(record[layer]) for layer in ANNOTATION_LAYERS},
        )
        self.layers.update(counts)
        self.by_split[record["split"]].update(counts)
        self.mention_labels.update(m["label"] for m in record["mentions"])
        self.mention_types.update(m["mention_type"] for m in record["mentions"])
        self.quote_types.update(q["type"] for q in record["quotes"])
        self.event_types.update(e["type"] for e in record["events"])
        self.event_modalities.update(e["modality"] for e in record["events"])
        self.relation_types.update(r["type"] for r in record["relations"])
        self.annotators.update(record["annotation"]["annotators"])
        self.guidelines[record["annotation"]["guidelines_version"] or "unstated"] += 1
        self.agreement.add(record)

    def merge(self, other: Stats) -> None:
        """Add the counts of another Stats (e.g. one gathered by a worker process)."""
        for name in COUNTERS:
            getattr(self, name).update(getattr(other, name))
        for split, counts in other.by_split.items():
            self.by_split[split].update(counts)
        self.agreement.merge(other.agreement)

    def state(self) -> dict[str, Any]:
        """Every count as JSON data, losslessly (floats included): a shard's summary keeps
        it between builds (publish/reuse.py), and `from_state` gives back an equal Stats."""
        return {
            "counters": {name: dict(getattr(self, name)) for name in COUNTERS},
            "by_split": {split: dict(counts) for split, counts in self.by_split.items()},
            # not asdict: it rebuilds a Counter from its (key, count) pairs, keyed by the pairs
            "agreement": {
                **vars(self.agreement),
                "layer_articles": dict(self.agreement.layer_articles),
                "sums": {layer: list(sums) for layer, sums in self.agreement.sums.items()},
            },
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Stats:
        stats = cls()
        for name in COUNTERS:
            setattr(stats, name, Counter(state["counters"][name]))
        stats.by_split = {split: Counter(counts) for split, counts in state["by_split"].items()}
        agreement = dict(state["agreement"])
        agreement["layer_articles"] = Counter(agreement["layer_articles"])
        agreement["sums"] = {layer: list(sums) for layer, sums in agreement["sums"].items()}
        stats.agreement = AgreementTally(**agreement)
        return stats

    def to_dict(self) -> dict[str, Any]:
        def ordered(counter: Counter[str], names: tuple[str, ...]) -> dict[str, int]:
            return {name: counter[name] for name in names if counter[name]}

        return {
            **{layer: self.layers[layer] for layer in LAYERS},
            "mentions_by_label": ordered(self.mention_labels, ENTITY_LABELS),
            "mentions_by_type": ordered(self.mention_types, MENTION_TYPES),
            "quotes_by_type": ordered(self.quote_types, QUOTE_TYPES),
            "events_by_type": ordered(self.event_types, EVENT_TYPES),
            "events_by_modality": ordered(self.event_modalities, MODALITIES),
            "relations_by_type": ordered(self.relation_types, RELATION_TYPES),
            "articles_by_annotator": dict(sorted(self.annotators.items())),
            "articles_by_guidelines_version": dict(sorted(self.guidelines.items())),
            "agreement": self.agreement.to_dict(),
            "splits": {
                split: {layer: self.by_split[split][layer] for layer in LAYERS} for split in SPLITS
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


def render_markdown(stats: dict[str, Any], *, drafts_included: bool = False) -> str:
    """The stats as Markdown tables: layers by split, then each label breakdown."""
    scope = "gold and draft" if drafts_included else "gold"
    lines = [
        f"Counts of the published ({scope}) articles, generated by `newscorpus build`.",
        "",
        "| layer | " + " | ".join(SPLITS) + " | total |",
        "|---|" + "---:|" * (len(SPLITS) + 1),
    ]
    for layer in LAYERS:
        cells = [str(stats["splits"][split][layer]) for split in SPLITS]
        lines.append(f"| {layer} | " + " | ".join(cells) + f" | {stats[layer]} |")
    for key, title in BREAKDOWNS:
        counts = stats[key]
        shown = ", ".join(f"{name} {n}" for name, n in counts.items()) if counts else "none"
        lines.append("")
        lines.append(f"{title}: {shown}.")
    return "\n".join(lines)


def replace_stats_block(document: str, block: str, *, name: str) -> str:
    """The document with the text between the stats markers replaced by `block`."""
    return replace_marked_block(document, block, STATS_START, STATS_END, name=name)


def replace_marked_block(document: str, block: str, start: str, end: str, *, name: str) -> str:
    """The document with the text between the markers `start` and `end` replaced by `block`."""
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if len(pattern.findall(document)) != 1:
        raise StatsMarkerError(f"{name} must contain exactly one {start} ... {end} block")
    return pattern.sub(lambda _: f"{start}\n{block}\n{end}", document)
