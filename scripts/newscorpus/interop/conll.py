"""CoNLL-2003-style NER columns: `token TAG` per line, a blank line after each sentence, and
`-DOCSTART- -X- O O` before each document (the form spaCy's `conll_ner_to_docs` reads).

Tags are IOB2 (BIO) from the named (NAM) mentions, which never overlap; tokens and sentences
come from newscorpus.tokens.sentences, the same tokenizer as the NER view of the dataset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..fsutil import write_atomic
from ..tokens import sentences
from .common import ExportError

DOCSTART = "-DOCSTART- -X- O O"


def tagged_sentences(record: dict[str, Any]) -> list[list[tuple[str, str]]]:
    text = record["text"]
    named = sorted((m for m in record["mentions"] if m["mention_type"] == "NAM"),
                   key=lambda m: m["start"])
    out = []
    for sentence in sentences(text, record["passages"]):
        rows = []
        inside = None
        for start, end in sentence.tokens:
            mention = next((m for m in named if m["start"] <= start and end <= m["end"]), None)
            if mention is None:
                tag = "O"
            elif mention is inside:
                tag = f"I-{mention['label']}"
            else:
                # A name's first token, or its first token in this sentence (tags stay valid).
                tag = f"B-{mention['label']}"
            inside = mention
            rows.append((text[start:end], tag))
        out.append(rows)
    return out


def to_conll(records: list[dict[str, Any]]) -> str:
    parts = []
    for record in records:
        parts.append(DOCSTART + "\n\n")
        for rows in tagged_sentences(record):
            parts.append("".join(f"{token} {tag}\n" for token, tag in rows) + "\n")
    return "".join(parts)


def export_records(records: list[dict[str, Any]], out: Path) -> list[Path]:
    if out.exists():
        raise ExportError(f"{out} exists; choose a new OUT file.")
    write_atomic(out, to_conll(records).encode("utf-8"))
    return [out]
