"""Reviewing a draft's suggestions by id: confirm them as they are, or drop the rest."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ...model import LAYERS, Item, Record
from ..suggest.draft import drop_stale
from .find import PhraseError

__all__ = ["confirm_suggestions", "drop_stale", "unmark"]


def confirm_suggestions(record: Record, item_ids: Iterable[str]) -> None:
    """Confirm the suggested items `item_ids` of `record` in place (all when empty), with
    what each uses: a mention's entity, a quote's source and speaker, an event's arguments
    and time, a relation's ends and evidence. Raises PhraseError for an unknown id."""
    wanted = set(item_ids)
    items: dict[str, Item] = {
        str(item.get("id")): item
        for layer in LAYERS
        for item in record.get(layer, [])
        if isinstance(item, dict)
    }
    missing = sorted(wanted - set(items) - {"labels"})
    if missing:
        raise PhraseError(f"no item {', '.join(missing)} in this record")
    todo = list(wanted - {"labels"}) if wanted else list(items)
    while todo:
        item = items.get(todo.pop())
        if item is not None and (item.get("suggested") or not wanted):
            unmark(item)
            todo.extend(_used_by(item))
    labels = record.get("labels")
    if isinstance(labels, dict) and (not wanted or "labels" in wanted):
        labels.pop("suggested", None)


def _used_by(item: Mapping[str, Any]) -> list[str]:
    """The ids an item points at (mentions, entities)."""
    used = [item.get(key) for key in ("entity", "source", "speaker", "time", "head", "tail")]
    used += [a.get("mention") for a in item.get("arguments") or [] if isinstance(a, dict)]
    used += list(item.get("evidence") or [])
    return [str(ref) for ref in used if isinstance(ref, str)]


def unmark(item: Item) -> None:
    """Confirm one item as it is: it is no longer a suggestion."""
    item.pop("suggested", None)
    item.pop("suggested_by", None)
