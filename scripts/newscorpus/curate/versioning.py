"""Semantic versioning for the data: which bump a change between two releases needs.

- major: the record schema or the label inventory changed incompatibly, i.e. something a
  user's code or a record may rely on was removed or changed (a label, a role, a field, a
  type);
- minor: articles were added or removed, or the schema or inventory was only extended (a new
  label, role or optional field);
- patch: corrections of existing articles only (annotations, texts, status).

The schema and the inventory are compared as sets of paths (every key, every list item, and
for the schema every value but the prose), so a removed path is incompatible and an added
one an extension; rewording a definition or a description is no change at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import ReleaseError
from .diff import CorpusDiff

BUMPS = ("patch", "minor", "major")
# ASCII digits only, the whole string (`$` alone would take a trailing newline).
_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
_PROSE = frozenset({"description", "title", "$comment", "examples", "definition"})


def parse_version(text: str) -> tuple[int, int, int]:
    match = _VERSION.fullmatch(text) if len(text) <= 64 else None
    if match is None:
        raise ReleaseError(
            f"{text!r} is not a version: give MAJOR.MINOR.PATCH, e.g. 1.2.0 (no leading v)"
        )
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def next_version(previous: str, bump: str) -> str:
    major, minor, patch = parse_version(previous)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _paths(value: Any, leaves: bool, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _PROSE:
                continue
            yield path + (key,)
            yield from _paths(item, leaves, path + (key,))
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                yield from _paths(item, leaves, path)
            else:
                yield path + (str(item),)
    elif leaves and path:
        yield path + (f"= {value!r}",)


@dataclass
class DefinitionChanges:
    """What the schema and the inventory lost (incompatible) and gained (extensions)."""

    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    def compare(self, name: str, old: Any, new: Any, leaves: bool) -> None:
        if old is None or new is None:  # not there in one of the two: nothing to compare
            return
        before, after = set(_paths(old, leaves)), set(_paths(new, leaves))
        self.removed += [f"{name}: {' > '.join(p)}" for p in sorted(before - after)]
        self.added += [f"{name}: {' > '.join(p)}" for p in sorted(after - before)]


def compare_definitions(
    old_labels: Any, new_labels: Any, old_schema: Any, new_schema: Any
) -> DefinitionChanges:
    changes = DefinitionChanges()
    changes.compare("schema/labels.json", old_labels, new_labels, leaves=False)
    changes.compare("schema/record.schema.json", old_schema, new_schema, leaves=True)
    return changes


def required_bump(diff: CorpusDiff, definitions: DefinitionChanges) -> tuple[str | None, str]:
    """The bump the change needs (None: nothing changed) and why, in a few words."""
    if definitions.removed:
        shown = "; ".join(definitions.removed[:3])
        more = f" and {len(definitions.removed) - 3} more" if len(definitions.removed) > 3 else ""
        return "major", f"the schema or label inventory lost {shown}{more}"
    statuses = [article.status for article in diff.articles]
    added, removed = statuses.count("added"), statuses.count("removed")
    if added or removed or definitions.added:
        reasons = [f"{added} article(s) added"] if added else []
        reasons += [f"{removed} article(s) removed"] if removed else []
        if definitions.added:
            reasons.append(f"the schema or inventory gained {len(definitions.added)} item(s)")
        return "minor", ", ".join(reasons)
    if diff.different:
        return "patch", f"corrections of {statuses.count('changed')} article(s) only"
    return None, "nothing changed"


def check_bump(version: str, previous: str | None, bump: str | None, why: str) -> None:
    """Refuse a version that does not fit the change since the previous release."""
    parse_version(version)
    if previous is None:
        return
    since = f"since v{previous}"
    if bump is None:
        raise ReleaseError(f"nothing changed {since}: there is nothing to release")
    wanted = next_version(previous, bump)
    if version != wanted:
        raise ReleaseError(
            f"version {version} does not fit the change {since}: {why}, which is a {bump} "
            f"change, so the next version is {wanted} (README: versions of the data)"
        )
