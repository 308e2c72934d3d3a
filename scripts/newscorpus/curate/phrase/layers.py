"""The editor's operations on quotes, events, relations, document labels and suggestions.

A mixin of `newscorpus.curate.phrase.Editor`, which provides the look-ups declared below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, TypeVar, overload

from ...canonical import next_id
from ...model import Argument, Entity, Event, Item, Layer, Mention, Quote, Record, Relation, Span
from .find import Phrase, PhraseError, PhraseLike, Ref, is_id
from .review import confirm_suggestions, drop_stale

_Item = TypeVar("_Item", bound=Item)


class LayerEditing:
    record: Record

    # Provided by Editor.
    def span(self, phrase: PhraseLike) -> Span:
        raise NotImplementedError

    @overload
    def _items(self, layer: Literal["mentions"]) -> list[Mention]: ...
    @overload
    def _items(self, layer: Literal["entities"]) -> list[Entity]: ...
    @overload
    def _items(self, layer: Literal["quotes"]) -> list[Quote]: ...
    @overload
    def _items(self, layer: Literal["events"]) -> list[Event]: ...
    @overload
    def _items(self, layer: Literal["relations"]) -> list[Relation]: ...
    def _items(self, layer: Layer) -> list[Any]:
        items = self.record.setdefault(layer, [])
        return items if isinstance(items, list) else []

    @overload
    def _by_id(self, layer: Literal["mentions"], item_id: str) -> Mention | None: ...
    @overload
    def _by_id(self, layer: Literal["entities"], item_id: str) -> Entity | None: ...
    @overload
    def _by_id(self, layer: Literal["quotes"], item_id: str) -> Quote | None: ...
    @overload
    def _by_id(self, layer: Literal["events"], item_id: str) -> Event | None: ...
    @overload
    def _by_id(self, layer: Literal["relations"], item_id: str) -> Relation | None: ...
    @overload
    def _by_id(self, layer: Layer, item_id: str) -> Item | None: ...
    def _by_id(self, layer: Layer, item_id: str) -> Any:
        return next((i for i in self._items(layer) if i.get("id") == item_id), None)

    def mention_id(self, ref: Ref) -> str:
        raise NotImplementedError

    def entity_id(self, ref: Ref) -> str:
        raise NotImplementedError

    def event_id(self, ref: Ref) -> str:
        raise NotImplementedError

    def _drop_empty_entity(self, entity_id: str) -> None:
        raise NotImplementedError

    # --- quotes, events, relations, labels --------------------------------------------------

    def quote(
        self,
        content: PhraseLike | Iterable[PhraseLike],
        *,
        cue: PhraseLike | None = None,
        source: Ref | None = None,
        type: str = "direct",
        speaker: Ref | None = None,
    ) -> str:
        """Add a quote: its content span(s), cue, source mention and speaker (by default the
        source's entity)."""
        parts = [content] if isinstance(content, (str, Phrase)) else list(content)
        source_id = self.mention_id(source) if source is not None else None
        if speaker is not None:
            speaker_id: str | None = self.entity_id(speaker)
        else:
            speaker_id = self.entity_id(source_id) if source_id is not None else None
        spans = [self.span(part) for part in parts]
        where = [(c["start"], c["end"]) for c in spans]
        quote_id = self._take_suggested(
            self._items("quotes"),
            lambda q: [(c.get("start"), c.get("end")) for c in q["content"]] == where,
        ) or next_id(self.record, "quotes")
        self._items("quotes").append(
            {
                "id": quote_id,
                "type": type,
                "content": spans,
                "cue": self._cue(cue),
                "source": source_id,
                "speaker": speaker_id,
            }
        )
        return quote_id

    def _cue(self, cue: PhraseLike | None) -> Span | None:
        if cue is None:
            return None
        if isinstance(cue, str) and (event := self._by_id("events", cue)) is not None:
            return event["trigger"].copy()  # the cue is the trigger of that speech event
        return self.span(cue)

    def event(
        self,
        type: str,
        trigger: PhraseLike,
        *,
        modality: str = "asserted",
        arguments: Mapping[str, Ref | list[Ref]] | None = None,
        time: Ref | None = None,
        corefer: Ref | None = None,
    ) -> str:
        """Add an event; `corefer` names an event (id or trigger phrase) whose cluster it
        joins (else it gets a cluster of its own)."""
        roles: list[Argument] = []
        for role, refs in (arguments or {}).items():
            for ref in refs if isinstance(refs, list) else [refs]:
                roles.append({"role": role, "mention": self.mention_id(ref)})
        if corefer is not None:
            other = self._by_id("events", self.event_id(corefer))
            assert other is not None
            cluster = other["cluster"]
        else:
            cluster = next_id(self.record, "clusters")
        span = self.span(trigger)
        event_id = self._take_suggested(
            self._items("events"),
            lambda e: (e["trigger"]["start"], e["trigger"]["end"]) == (span["start"], span["end"]),
        ) or next_id(self.record, "events")
        self._items("events").append(
            {
                "id": event_id,
                "type": type,
                "trigger": span,
                "modality": modality,
                "arguments": roles,
                "time": self.mention_id(time) if time is not None else None,
                "cluster": cluster,
            }
        )
        return event_id

    def relation(self, type: str, head: Ref, tail: Ref, *, evidence: Iterable[Ref] = ()) -> str:
        """Add a relation between two entities (ids, or mentions of them), with the mentions
        that state it as evidence."""
        ends = (self.entity_id(head), self.entity_id(tail))
        relation_id = self._take_suggested(
            self._items("relations"), lambda r: (r["type"], r["head"], r["tail"]) == (type, *ends)
        ) or next_id(self.record, "relations")
        self._items("relations").append(
            {
                "id": relation_id,
                "type": type,
                "head": ends[0],
                "tail": ends[1],
                "evidence": [self.mention_id(ref) for ref in evidence],
            }
        )
        return relation_id

    def labels(
        self, *, topics: Iterable[str] | None = None, countries: Iterable[str] | None = None
    ) -> None:
        """Set the document labels (each list replaced when given). A list given is the
        curator's own, so what was suggested for it is confirmed (or, left out, rejected);
        a list not given keeps its suggestions."""
        labels = self.record.setdefault("labels", {"topics": [], "countries": []})
        suggested = labels.get("suggested")
        if topics is not None:
            labels["topics"] = list(topics)
            if isinstance(suggested, dict):
                suggested.pop("topics", None)
        if countries is not None:
            labels["countries"] = list(countries)
            if isinstance(suggested, dict):
                suggested.pop("countries", None)
        if isinstance(suggested, dict) and not ({"topics", "countries"} & suggested.keys()):
            del labels["suggested"]

    def annotation(
        self,
        *,
        status: str | None = None,
        annotators: Iterable[str] | None = None,
        guidelines_version: str | None = None,
        notes: str | None = None,
    ) -> None:
        """Set the annotation block (guideline 11): who annotated the record, by which
        guidelines, its status and the notes on its judgment calls; each field replaced when
        given. Saving checks the result like any edit: a gold record must hold no suggestion
        and name the current guidelines."""
        block = self.record["annotation"]
        if annotators is not None:
            block["annotators"] = list(annotators)
        if guidelines_version is not None:
            block["guidelines_version"] = guidelines_version
        if status is not None:
            block["status"] = status
        if notes is not None:
            block["notes"] = notes or None

    # --- reviewing suggestions -----------------------------------------------------------

    def _take_suggested(self, items: list[_Item], same: Callable[[_Item], bool]) -> str | None:
        """Remove the suggested item of a layer's `items` that `same` picks and return its id,
        so that annotating what was suggested confirms it rather than adding a second copy."""
        for item in items:
            if item.get("suggested") and same(item):
                items.remove(item)
                return str(item["id"])
        return None

    def confirm(self, *item_ids: str) -> None:
        """Confirm suggested items as they are (every one when no id is given): they lose
        `suggested` and `suggested_by`; "labels" confirms the suggested document labels."""
        confirm_suggestions(self.record, item_ids)

    def reject_suggestions(self) -> None:
        """Remove every suggestion still unconfirmed that no confirmed item uses."""
        drop_stale(self.record)

    def remove(self, item: Ref) -> str:
        """Remove a mention, quote, event or relation by id, or a mention by a phrase on its
        span (`Khan#2`); the id removed comes back. A mention that something else still
        points at is refused: remove or change that first."""
        if isinstance(item, str):
            if (quote := self._by_id("quotes", item)) is not None:
                self._items("quotes").remove(quote)
                return item
            if (event := self._by_id("events", item)) is not None:
                self._items("events").remove(event)
                return item
            if (relation := self._by_id("relations", item)) is not None:
                self._items("relations").remove(relation)
                return item
            if is_id(item) and self._by_id("mentions", item) is None:
                raise PhraseError(f"no mention, quote, event or relation {item!r}")
        item_id = self.mention_id(item)
        mention = self._by_id("mentions", item_id)
        assert mention is not None
        users = self._users(item_id)
        if users:
            raise PhraseError(f"mention {item_id} is still used by {', '.join(users)}")
        self._items("mentions").remove(mention)
        self._drop_empty_entity(mention["entity"])
        return item_id

    def _users(self, mention_id: str) -> list[str]:
        users = [q["id"] for q in self._items("quotes") if q.get("source") == mention_id]
        for event in self._items("events"):
            args = [a.get("mention") for a in event.get("arguments", [])]
            if mention_id in args or event.get("time") == mention_id:
                users.append(event["id"])
        users += [r["id"] for r in self._items("relations") if mention_id in r.get("evidence", [])]
        return users
