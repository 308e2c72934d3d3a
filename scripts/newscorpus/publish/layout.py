"""The shape of the published dataset: its configs, where each file goes, and `Published`,
the facts a build hands to the card, Croissant and the CLI.

A leaf: the card and Croissant depend on it rather than on the build that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..labels import SPLITS

CONFIGS: tuple[str, ...] = ("documents", "ner", "mentions", "quotes", "events", "relations")
DEFAULT_CONFIG = "documents"

# What a build publishes: inside corpus/, and the datasheet at the root (its stats block).
CORPUS = "corpus"
DATA = "data"
CARD = "README.md"
CROISSANT = "croissant.json"
LICENSE = "LICENSE.md"  # the licence terms, from schema/dataset.json; the card links to it
DATASHEET = "DATASHEET.md"
GENERATED = (DATA, CARD, CROISSANT, LICENSE)  # the build's outputs inside corpus/


def data_path(config: str, split: str, shard: int = 0, shards: int = 1) -> str:
    """Path of one shard of a config's split (the Hub's naming), relative to corpus/."""
    return f"{DATA}/{config}/{split}-{shard:05d}-of-{shards:05d}.parquet"


def data_glob(config: str) -> str:
    """Every split file of a config, relative to corpus/."""
    return f"{DATA}/{config}/*.parquet"


@dataclass
class Published:
    """What a build produced: the facts the card, Croissant and the CLI report on."""

    include_drafts: bool
    records: int = 0
    rows: dict[str, dict[str, int]] = field(
        default_factory=lambda: {config: {} for config in CONFIGS}
    )
    files: dict[str, tuple[str, int]] = field(default_factory=dict)  # path -> (sha256, bytes)
    arrow_bytes: dict[str, int] = field(default_factory=dict)  # path -> bytes once loaded
    examples: dict[str, dict[str, Any]] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    up_to_date: bool = False  # True when the build found nothing to do

    def split_files(self, config: str, split: str) -> list[str]:
        """The shards of a config's split, in order, relative to corpus/."""
        prefix = f"{DATA}/{config}/{split}-"
        return sorted(path for path in self.files if path.startswith(prefix))

    def num_bytes(self, config: str, split: str) -> int:
        """The split's size as Arrow data (what `datasets` calls num_bytes)."""
        return sum(self.arrow_bytes[path] for path in self.split_files(config, split))

    def download_size(self, config: str, split: str) -> int:
        """The split's size as Parquet files."""
        return sum(self.files[path][1] for path in self.split_files(config, split))

    def splits(self, config: str) -> list[str]:
        """The config's splits with rows, in the inventory's order."""
        return [split for split in SPLITS if self.rows[config].get(split)]
