"""Tools to grow, validate and publish the annotated news corpus."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from os import PathLike
from typing import Any

try:
    __version__ = version("newscorpus")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

from .labels import SCHEMA_VERSION as SCHEMA_VERSION  # noqa: E402  (the records' version)


def evaluate(
    gold: Any,
    predictions: Any,
    *,
    split: str | None = None,
    root: str | PathLike[str] | None = None,
) -> dict[str, Any]:
    """Score `predictions` against `gold`: the dict `newscorpus evaluate --json` prints.

    Each side is a path, a `datasets.Dataset` (or `DatasetDict`) or a list of rows, in any
    shape the dataset publishes: records, `documents` rows, or rows of `ner`, `mentions`,
    `quotes`, `events` or `relations` (predictions only), with label names or ClassLabel
    integers. `gold=None` means the gold records of the checkout at `root` (default: the
    current folder), whose schema/ is read as `--root` reads it. See
    newscorpus.curate.evaluate.api.
    """
    from pathlib import Path

    from .curate.evaluate.api import evaluate as run
    from .labels import use_root

    with use_root(Path(root if root is not None else ".")):
        return run(gold, predictions, split=split, root=root)
