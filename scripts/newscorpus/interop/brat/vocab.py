"""The names both directions of the brat mapping use, so what is written is read back."""

from __future__ import annotations

from collections.abc import Sequence

from ...errors import NewscorpusError
from ...labels import ENTITY_LABELS, EVENT_TYPES

# The shared vocabulary of both directions.
QUOTE = "Quote"
CUE = "Cue"
CUE_LINK = "Cue"
SOURCE_LINK = "Source"
MENTION_TYPE = "MentionType"
SUGGESTED = "Suggested"
QUOTE_TYPE = "QuoteType"
MODALITY = "Modality"
TIME_ROLE = "time"
CORPUS_DB = "newscorpus"
EVIDENCE_NOTE = "evidence"
NOTE_TYPE = "AnnotatorNotes"
NORMALIZATION_TYPE = "Reference"


class VocabularyError(NewscorpusError):
    """The label inventory gives one name to two things a brat file must tell apart."""


def check_names(entity_labels: Sequence[str], event_types: Sequence[str]) -> None:
    """Refuse an inventory in which a brat type name would mean two things: an entity label
    that is also an event type, or either one named like the quote and cue types."""
    file = "schema/labels.json"
    reserved = {QUOTE: "the brat type of quotes", CUE: "the brat type of cues"}
    for name in event_types:
        if name in entity_labels:
            raise VocabularyError(
                f"{file}: /event_types/{name} is also /entity_labels/{name}; a brat file "
                f"writes both as the type {name!r}, so an export could not be read back. "
                "Rename one of them in schema/labels.json (and in the records that use it)."
            )
    for section, names in (("entity_labels", entity_labels), ("event_types", event_types)):
        for name in names:
            if name in reserved:
                raise VocabularyError(
                    f"{file}: /{section}/{name} is named like {reserved[name]}, so a brat "
                    "export could not be read back. Rename it in schema/labels.json (and in "
                    "the records that use it)."
                )


check_names(ENTITY_LABELS, EVENT_TYPES)
