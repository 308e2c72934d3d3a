"""A diff as lines for a person: the changes of each article, a summary table, and how the
count of each label moved."""

from __future__ import annotations

from . import SUMMARY_ROWS, ArticleDiff, CorpusDiff
from .model import ADDED, REMOVED

_COLUMNS = (ADDED, REMOVED, "changed")


def render(diff: CorpusDiff) -> list[str]:
    if not diff.different:
        return [
            f"no difference between {diff.old} and {diff.new} "
            f"({diff.compared} article(s) on both sides)"
        ]
    by_status = {status: 0 for status in (*_COLUMNS,)}
    for article in diff.articles:
        by_status[article.status] += 1
    lines = [
        f"{diff.old} -> {diff.new}: {by_status['changed']} article(s) changed, "
        f"{by_status[ADDED]} added, {by_status[REMOVED]} removed"
    ]
    for article in diff.articles:
        lines.append("")
        lines.extend(_article(article))
    lines.append("")
    lines.extend(summary_table(diff))
    deltas = delta_lines(diff)
    if deltas:
        lines.extend(["", "label counts (new - old):", *deltas])
    return lines


def _article(article: ArticleDiff) -> list[str]:
    if article.status != "changed":
        sizes = ", ".join(f"{n} {layer}" for layer, n in article.sizes.items())
        return [f"{article.id}: {article.status} ({sizes})"]
    lines = [f"{article.id}:"]
    for change in article.changes:
        lines.append(f"  {change.layer:<10} {change.kind:<11} {change.text}")
    return lines


def summary_table(diff: CorpusDiff) -> list[str]:
    table = diff.summary()
    lines = [f"{'':<10} {'added':>7} {'removed':>7} {'changed':>7}"]
    for row in SUMMARY_ROWS:
        counts = table[row]
        lines.append(f"{row:<10} " + " ".join(f"{counts[c]:>7}" for c in _COLUMNS))
    return lines


def delta_lines(diff: CorpusDiff) -> list[str]:
    lines = []
    for layer, counts in diff.deltas.items():
        moved = sorted((label, n) for label, n in counts.items() if n)
        if moved:
            lines.append(f"  {layer:<10} " + ", ".join(f"{label} {n:+d}" for label, n in moved))
    return lines
