"""CoNLL-2003-style NER columns: `token TAG` per line, a blank line after each sentence, and
`-DOCSTART- -X- O O` before each document (the form spaCy's `conll_ner_to_docs` reads).

Tags are IOB2 (BIO) from the named (NAM) mentions, which never overlap; tokens and sentences
come from newscorpus.tokens.sentences, the same tokenizer as the NER view of the dataset.
"""

from __future__ import annotations

from pathlib import Path

from ..fsutil import write_atomic
from ..model import Record
from ..tokens import bio_tags, sentences
from .common import ExportError

DOCSTART = "-DOCSTART- -X- O O"


def tagged_sentences(record: Record) -> list[list[tuple[str, str]]]:
    text = record["text"]
    sentence_list = sentences(text, record["passages"])
    tokens = [token for sentence in sentence_list for token in sentence.tokens]
    tags = iter(bio_tags(record["mentions"], tokens))
    return [
        [(text[start:end], next(tags)) for start, end in sentence.tokens]
        for sentence in sentence_list
    ]


def to_conll(records: list[Record]) -> str:
    parts = []
    for record in records:
        parts.append(DOCSTART + "\n\n")
        for rows in tagged_sentences(record):
            parts.append("".join(f"{token} {tag}\n" for token, tag in rows) + "\n")
    return "".join(parts)


def export_records(records: list[Record], out: Path) -> list[Path]:
    if out.exists():
        raise ExportError(f"{out} exists; choose a new OUT file.")
    write_atomic(out, to_conll(records).encode("utf-8"))
    return [out]
