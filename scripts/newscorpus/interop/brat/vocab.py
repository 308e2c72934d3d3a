"""The names both directions of the brat mapping use, so what is written is read back."""

from __future__ import annotations

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

if set(ENTITY_LABELS) & set(EVENT_TYPES) or {QUOTE, CUE} & (set(ENTITY_LABELS) | set(EVENT_TYPES)):
    raise RuntimeError("brat needs distinct names for entity labels, event types and quotes")
