"""A spaCy pipeline as a source of named mentions: `add --suggest --model NAME_OR_PATH`.

Any installed pipeline (a package name or a folder) whose entity labels are OntoNotes' (as
spaCy's English pipelines are) works; labels outside the inventory are left out. Nothing is
downloaded: a pipeline that is not installed is an error that says so.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ...labels import ENTITY_LABELS, VALUE_LABELS
from ...model import Record
from .base import PRIORITY, VALUE_PRIORITY, Candidate, SuggestError

# Labels of other common schemes, mapped onto the inventory (CoNLL-2003's PER/LOC/ORG).
ALIASES = {"PER": "PERSON", "PERSON": "PERSON", "ORGANIZATION": "ORG", "LOCATION": "LOC"}


@cache
def load_pipeline(name: str) -> Any:
    """The spaCy pipeline `name` (an installed package or a folder); SuggestError if none."""
    import spacy

    try:
        nlp = spacy.load(name)
    except (OSError, ValueError, ImportError) as err:
        raise SuggestError(
            f"cannot load the spaCy pipeline {name!r}: {str(err).splitlines()[0]} "
            "Give the name of an installed pipeline package (pip install it first) or the "
            "folder of a saved pipeline (nlp.to_disk); nothing is downloaded."
        ) from None
    if "ner" not in nlp.pipe_names and not any(p.endswith("ner") for p in nlp.pipe_names):
        raise SuggestError(f"the spaCy pipeline {name!r} has no entity recogniser (ner)")
    return nlp


def model_candidates(record: Record, name: str) -> list[Candidate]:
    """The pipeline's entities in each passage, as candidates marked `model:NAME`."""
    nlp = load_pipeline(name)
    text = record["text"]
    by = f"model:{name}"
    found = []
    for passage in record["passages"]:
        start = passage["start"]
        doc = nlp(text[start : passage["end"]])
        for ent in doc.ents:
            label = ALIASES.get(ent.label_, ent.label_)
            if label not in ENTITY_LABELS or not ent.text.strip():
                continue
            s, e = start + ent.start_char, start + ent.end_char
            value = label in VALUE_LABELS
            key = ("value", label, text[s:e]) if value else ("name", text[s:e])
            priority = VALUE_PRIORITY - 1 if value else PRIORITY["model"]
            found.append(Candidate(s, e, label, key, priority, by))
    return found
