"""CHANGELOG.md: one entry per release, written from the diff against the previous release.

An entry is for a person choosing or citing a version: what kind of change, how many, and
each change in one line with its article, grouped by layer and kind; then how the count of
each label moved. The newest entry comes first, under a fixed header.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..fsutil import read_regular, write_atomic
from .diff import SUMMARY_ROWS, CorpusDiff
from .diff.model import ADDED, LAYERS, REMOVED, Change
from .versioning import DefinitionChanges

# In the dataset folder, so that a Hub user who has only corpus/ has the history too.
CHANGELOG_NAME = "CHANGELOG.md"
CHANGELOG = f"corpus/{CHANGELOG_NAME}"
HEADER = """# Changelog

What changed in the data from one release to the next, written by `newscorpus release` from
`newscorpus diff` against the previous release tag. Versions follow semantic versioning for
data (README: versions of the data): major for an incompatible change of the schema or the
label inventory, minor for articles added or removed or an extended schema, patch for
corrections only. `newscorpus diff vA vB` shows the same changes between any two releases.
"""
# Lines listed per kind of change before the rest is only counted.
LISTED = 25
_TITLES = {"article": "Articles: text and source", "annotation": "Annotation status"}


def changelog_entry(
    version: str,
    date: str,
    previous_tag: str | None,
    diff: CorpusDiff,
    definitions: DefinitionChanges,
) -> str:
    lines = [f"## {version} ({date})", "", f"{_overview(diff, previous_tag)}", ""]
    if definitions.removed or definitions.added:
        lines += ["### Schema and labels", ""]
        lines += [f"- removed: {item}" for item in definitions.removed]
        lines += [f"- added: {item}" for item in definitions.added]
        lines.append("")
    whole = [a for a in diff.articles if a.status != "changed"]
    if whole:
        lines += ["### Articles added and removed", ""]
        for article in whole:
            sizes = ", ".join(f"{n} {layer}" for layer, n in article.sizes.items())
            lines.append(f"- {article.status}: `{article.id}` ({sizes})")
        lines.append("")
    lines += _layers(diff, previous_tag, version)
    lines += _deltas(diff)
    return "\n".join(lines).rstrip("\n") + "\n"


def _overview(diff: CorpusDiff, previous_tag: str | None) -> str:
    counts = {status: 0 for status in (ADDED, REMOVED, "changed")}
    for article in diff.articles:
        counts[article.status] += 1
    since = f"Since {previous_tag}" if previous_tag else "First release"
    return (
        f"{since}: {counts['changed']} article(s) corrected, {counts[ADDED]} added, "
        f"{counts[REMOVED]} removed."
    )


def _layers(diff: CorpusDiff, previous_tag: str | None, version: str) -> list[str]:
    grouped: dict[str, dict[str, list[tuple[str, Change]]]] = defaultdict(lambda: defaultdict(list))
    for article in diff.articles:
        for change in article.changes:
            grouped[change.layer][change.kind].append((article.id, change))
    table = diff.summary()
    lines = []
    for layer in LAYERS:
        if layer not in grouped:
            continue
        title = _TITLES.get(layer, layer.capitalize())
        if layer in table and layer in SUMMARY_ROWS:
            row = table[layer]
            title += f" ({row[ADDED]} added, {row[REMOVED]} removed, {row['changed']} changed)"
        lines += [f"### {title}", ""]
        kinds = sorted(grouped[layer], key=lambda k: (k not in (ADDED, REMOVED), k))
        for kind in kinds:
            changes = grouped[layer][kind]
            lines.append(f"- {kind} ({len(changes)}):")
            lines += [f"  - `{doc_id}` {change.text}" for doc_id, change in changes[:LISTED]]
            if len(changes) > LISTED:
                shown = f"newscorpus diff {previous_tag or ''} v{version}".replace("  ", " ")
                lines.append(f"  - ... and {len(changes) - LISTED} more (`{shown}`)")
        lines.append("")
    return lines


def _deltas(diff: CorpusDiff) -> list[str]:
    rows = [
        f"| {layer} | {label} | {count:+d} |"
        for layer, counts in diff.deltas.items()
        for label, count in sorted(counts.items())
        if count
    ]
    if not rows:
        return []
    return ["### Label counts", "", "| layer | label | change |", "|---|---|---:|", *rows, ""]


def card_summary(diff: CorpusDiff, why: str, link: str) -> str:
    """One line for the version history of the dataset card (a table cell: no `|`), with a
    link to the changelog."""
    parts = []
    for row, counts in diff.summary().items():
        done = [f"{n} {kind}" for kind, n in counts.items() if n]
        if done and row != "articles":
            parts.append(f"{row} {', '.join(done)}")
    detail = f" ({'; '.join(parts)})" if parts else ""
    line = f"{why[0].upper()}{why[1:]}{detail}; every change: [{CHANGELOG_NAME}]({link})"
    return line.replace("|", "/")


def write_changelog(root: Path, entry: str) -> Path:
    """Put `entry` first under the header of CHANGELOG.md (created if missing)."""
    path = root / CHANGELOG
    old = read_regular(path).decode("utf-8") if path.exists() else HEADER
    at = old.find("\n## ")
    head, rest = (old, "") if at < 0 else (old[: at + 1], old[at + 1 :])
    text = head.rstrip("\n") + "\n\n" + entry + ("\n" + rest if rest else "")
    write_atomic(path, text, overwrite=True, backup=False)
    return path
