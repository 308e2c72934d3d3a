"""Where a command may write a file the user names (`show --html`, `export`): never over a
curated file of the corpus, nor into the folders a build or a curator owns.

Curated are the records, the seeds, schema/ (labels, record schema, metadata, guidelines),
DATASHEET.md and README.md; corpus/ is refused whole (its other files are the build's), and
so are the package's sources and git's folder. The check follows links (a link to
schema/labels.json is schema/labels.json) and covers both the corpus given with --root and
the checkout the package runs from.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

from .errors import RecordExistsError
from .labels import packaged_schema_dir

FILES = ("DATASHEET.md", "README.md", "pyproject.toml")
FOLDERS = ("schema", "seeds", "corpus", "scripts", ".git")


def curated(root: Path, path: Path) -> str | None:
    """The curated file or folder `path` is or is inside, or None."""
    target = path.resolve()
    bases = {root.resolve()}
    with contextlib.suppress(FileNotFoundError):
        bases.add(packaged_schema_dir().resolve().parent)
    for base in sorted(bases):
        for name in FILES:
            if target == base / name:
                return str(base / name)
        for name in FOLDERS:
            folder = (base / name).resolve()
            if target == folder or folder in target.parents:
                return str(base / name)
    return None


def refuse_curated(root: Path, path: Path, hint: str) -> None:
    """Raise RecordExistsError when `path` would write over or into a curated place."""
    place = curated(root, path)
    if place is not None:
        raise RecordExistsError(
            f"{path} is in {place}, which curators or the build own (records, seeds, schema, "
            f"DATASHEET.md, README.md); nothing was written. {hint}"
        )


_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(value: Any) -> tuple[Any, int]:
    """`value` with every lone surrogate (which no UTF-8 output can hold) in every string
    replaced by U+FFFD, one code point for one, so offsets still point where they did; and
    how many were replaced."""
    if isinstance(value, str):
        return _SURROGATE.subn("\ufffd", value)
    if isinstance(value, list):
        pairs = [encodable(item) for item in value]
        return [item for item, _ in pairs], sum(n for _, n in pairs)
    if isinstance(value, dict):
        done = {key: encodable(item) for key, item in value.items()}
        return {key: item for key, (item, _) in done.items()}, sum(n for _, n in done.values())
    return value, 0
