"""Annotating by phrase: add, change and remove items of a record by what the text says.

A curator names a phrase (`"Afzal Butt"`), and, where it occurs more than once, which
occurrence (`nth=2`) or a longer string around it (`within="said Afzal Butt"`); the editor
finds the offsets, gives ids, and keeps every reference consistent. Nothing is counted by hand.

    from newscorpus.curate.phrase import Editor, Phrase

    with Editor.open("002_press_club", root=".") as doc:
        butt = doc.mention("Afzal Butt", "PERSON")
        doc.mention("He", "PERSON", type="PRO", within="He said", entity=butt)
        said = doc.event("STATEMENT", Phrase("said", within="Butt said"), arguments={"agent": butt})
        doc.quote(Phrase("the law", within="..."), cue=said, source=butt, type="indirect")

Leaving the `with` block saves the record (nothing is saved when the block raises). Saving
puts the record in canonical form (renumbering ids only when it was not annotated before),
validates it, and writes it atomically, keeping the previous file as a backup; a record that
would have a validation error, or that changed on disk since it was opened, is not written.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from ...canonical import canonicalize, entity_name, is_unannotated, next_id
from ...errors import RecordNotFoundError, RecordUnreadableError
from ...findings import Finding
from ...fsutil import read_regular, write_atomic
from ...jsonio import dumps, parse_record
from ...model import Mention, Record, Span
from ...paths import RECORDS_DIR
from ...validate.run import validate_record
from .find import Phrase, PhraseError, PhraseLike, Ref, locate
from .layers import LayerEditing
from .review import unmark

__all__ = ["Editor", "Phrase", "PhraseError", "locate"]


class Editor(LayerEditing):
    """One record opened for editing by phrase (see the module's docstring)."""

    def __init__(self, record: Record, path: Path | None = None, root: Path | None = None):
        self.record = copy.deepcopy(record)
        self.path = path
        self.root = root
        self._loaded = read_regular(path) if path is not None else None
        self._fresh = is_unannotated(record)
        self._auto_named: set[str] = set()  # entities named by 5.2 here, renamed as they grow

    # --- opening and saving --------------------------------------------------------------

    @classmethod
    def open(cls, doc_id: str, root: Path | str = ".") -> Editor:
        root = Path(root)
        path = root / RECORDS_DIR / f"{doc_id}.json"
        if "/" in doc_id or "\\" in doc_id or not path.is_file():
            raise RecordNotFoundError(f"no record {doc_id!r}: {path} does not exist")
        shown = (RECORDS_DIR / path.name).as_posix()
        record, problems = parse_record(read_regular(path), shown)  # bounded, regular files only
        if record is None or problems:
            detail = problems[0].format() if problems else "unreadable"
            raise RecordUnreadableError(f"{shown} cannot be edited: {detail}")
        return cls(record, path, root)

    def __enter__(self) -> Editor:
        return self

    def __exit__(self, kind: Any, *_: Any) -> None:
        if kind is None:
            self.save()

    def result(self) -> Record:
        """The record as it would be saved: canonical, first annotations renumbered."""
        return canonicalize(self.record, renumber=self._fresh and not is_unannotated(self.record))

    def findings(self) -> list[Finding]:
        """What `newscorpus validate` would say of the record as it would be saved."""
        shown = (RECORDS_DIR / self.path.name).as_posix() if self.path else "<record>"
        stem = self.path.stem if self.path else None
        return validate_record(self.result(), file=shown, root=self.root, stem=stem)

    def save(self) -> list[Finding]:
        """Write the record; returns the warnings. Raises PhraseError, writing nothing, when
        the record would not validate or when its file changed since it was opened."""
        if self.path is None:
            raise PhraseError("this record was not opened from a file; use result() instead")
        errors = [f for f in self.findings() if f.severity == "error"]
        if errors:
            listed = "\n".join(f.format() for f in errors)
            raise PhraseError(f"not saved, the record would not validate:\n{listed}")
        if read_regular(self.path) != self._loaded:
            raise PhraseError(
                f"not saved: {self.path.name} changed on disk since it was opened; open it again"
            )
        data = dumps(self.result())
        if data.encode("utf-8") != self._loaded:
            write_atomic(self.path, data, overwrite=True)
            self._loaded = data.encode("utf-8")
        self.record, self._fresh = self.result(), False
        return [f for f in self.findings() if f.severity != "error"]

    # --- looking things up ----------------------------------------------------------------

    def span(self, phrase: PhraseLike) -> Span:
        start, end = locate(self.record["text"], phrase)
        return {"start": start, "end": end, "text": self.record["text"][start:end]}

    def mention_id(self, ref: Ref) -> str:
        """The id of the mention `ref` names: its id, or a phrase on exactly its span."""
        if isinstance(ref, str) and self._by_id("mentions", ref) is not None:
            return ref
        span = self.span(ref)
        for mention in self._items("mentions"):
            if (mention.get("start"), mention.get("end")) == (span["start"], span["end"]):
                return str(mention["id"])
        raise PhraseError(
            f"no mention on {span['text']!r} at {span['start']}-{span['end']}; add it first "
            "with mention()"
        )

    def entity_id(self, ref: Ref) -> str:
        """The entity `ref` names: an entity id, or a mention (id or phrase) of it."""
        if isinstance(ref, str) and self._by_id("entities", ref) is not None:
            return ref
        mention = self._by_id("mentions", self.mention_id(ref))
        assert mention is not None
        return str(mention["entity"])

    def event_id(self, ref: Ref) -> str:
        """The event `ref` names: its id, or a phrase on exactly its trigger."""
        if isinstance(ref, str) and self._by_id("events", ref) is not None:
            return ref
        span = self.span(ref)
        for event in self._items("events"):
            trigger = event.get("trigger")
            if isinstance(trigger, dict) and (trigger.get("start"), trigger.get("end")) == (
                span["start"],
                span["end"],
            ):
                return str(event["id"])
        raise PhraseError(
            f"no event triggered by {span['text']!r} at {span['start']}-{span['end']}; add it "
            "first with event()"
        )

    # --- mentions and entities ------------------------------------------------------------

    def mention(
        self,
        phrase: PhraseLike,
        label: str,
        *,
        type: str = "NAM",
        entity: Ref | None = None,
        name: str | None = None,
    ) -> str:
        """Add a mention (or confirm a suggested one on the same span); returns its id.

        `entity`: the entity it joins (an entity id or a mention of it); without it, a new
        entity, named `name` or else by guideline 5.2.
        """
        span = self.span(phrase)
        existing = next(
            (
                m
                for m in self._items("mentions")
                if (m.get("start"), m.get("end")) == (span["start"], span["end"])
            ),
            None,
        )
        if existing is not None and not existing.get("suggested"):
            raise PhraseError(
                f"{span['text']!r} at {span['start']}-{span['end']} is already mention "
                f"{existing['id']}; change it with change_mention()"
            )
        target = self.entity_id(entity) if entity is not None else None
        if existing is not None:  # a suggestion confirmed: it keeps its id and, by default,
            self._items("mentions").remove(existing)  # the entity it was suggested for
            mention_id = str(existing["id"])
            if target is None and self._by_id("entities", existing["entity"]) is not None:
                target = str(existing["entity"])
                suggested = self._by_id("entities", target)
                if not self._members(target) and suggested is not None:
                    suggested["label"] = label
        else:
            mention_id = next_id(self.record, "mentions")
        if target is None:
            target = next_id(self.record, "entities")
            # named just below: by `name`, else by guideline 5.2
            self._items("entities").append({"id": target, "label": label, "name": name or ""})
        mention: Mention = {
            "id": mention_id,
            **span,
            "label": label,
            "mention_type": type,
            "entity": target,
        }
        self._items("mentions").append(mention)
        self._name(target, name)
        return mention_id

    def change_mention(
        self,
        ref: Ref,
        *,
        label: str | None = None,
        type: str | None = None,
        entity: Ref | None = None,
    ) -> str:
        """Change a mention's label, type or entity (a label change moves its whole entity,
        since an entity has one label)."""
        mention = self._by_id("mentions", self.mention_id(ref))
        assert mention is not None
        unmark(mention)
        if type is not None:
            mention["mention_type"] = type
        if entity is not None:
            old, new = mention["entity"], self.entity_id(entity)
            mention["entity"] = new
            target = self._by_id("entities", new)
            if label is None and target is not None:
                mention["label"] = target["label"]  # a mention takes its new entity's label
            for quote in self._items("quotes"):  # a quote's speaker is its source's entity
                if quote.get("source") == mention["id"]:
                    quote["speaker"] = new
            self._drop_empty_entity(old)
            self._name(old, None)
        if label is not None:
            for member in self._members(mention["entity"]):
                member["label"] = label
            ent = self._by_id("entities", mention["entity"])
            if ent is not None:
                ent["label"] = label
        self._name(mention["entity"], None)
        entity_item = self._by_id("entities", mention["entity"])
        if entity_item is not None:  # a changed mention is confirmed, and so is its entity
            unmark(entity_item)
        return str(mention["id"])

    def merge(self, keep: Ref, other: Ref) -> str:
        """Join the entity of `other` into the entity of `keep` (coreference)."""
        target, gone = self.entity_id(keep), self.entity_id(other)
        if target == gone:
            return target
        for mention in self._members(gone):
            mention["entity"] = target
        for quote in self._items("quotes"):
            if quote.get("speaker") == gone:
                quote["speaker"] = target
        for relation in self._items("relations"):
            if relation["head"] == gone:
                relation["head"] = target
            if relation["tail"] == gone:
                relation["tail"] = target
        self._drop_empty_entity(gone)
        self._name(target, None)
        return target

    def name(self, ref: Ref, name: str) -> str:
        """Set the canonical name of the entity `ref` names."""
        entity = self._by_id("entities", self.entity_id(ref))
        assert entity is not None
        entity["name"] = name
        return str(entity["id"])

    def _members(self, entity_id: str) -> list[Mention]:
        return [m for m in self._items("mentions") if m.get("entity") == entity_id]

    def _name(self, entity_id: str, name: str | None) -> None:
        entity = self._by_id("entities", entity_id)
        if entity is None:
            return
        if name:
            entity["name"] = name
            self._auto_named.discard(entity_id)
        elif not entity.get("name") or entity_id in self._auto_named:
            entity["name"] = entity_name(self.record, entity_id) or ""
            self._auto_named.add(entity_id)

    def _drop_empty_entity(self, entity_id: str) -> None:
        if not self._members(entity_id):
            entities = self._items("entities")
            entities[:] = [e for e in entities if e.get("id") != entity_id]
