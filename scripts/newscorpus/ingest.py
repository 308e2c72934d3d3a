"""Seed ingestion: a raw article file becomes the normalised text and a draft record.

Every repair is a general rule that any new article also gets; none knows about a particular
seed. Cleaning is run to a fixed point, so ingesting already-clean text changes nothing.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import labels
from .errors import IngestError
from .labels import SCHEMA_VERSION
from .model import Passage, Record, empty_layers

DOC_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")


@dataclass
class Cleaned:
    text: str
    rules: Counter[str] = field(default_factory=Counter)


# --- repair rules -------------------------------------------------------------------------

_BACKSLASH_QUOTE = re.compile(r"\\(['\"])")
_HTML_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ODD_SPACE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Zero-width spaces go; the joiners (U+200C, U+200D) stay: emoji sequences (👩‍💻) and
# Persian, Urdu and Indic spelling need them.
_ZERO_WIDTH = re.compile(r"[\u200b\u2060\ufeff]")
# Bidirectional embeddings, overrides and isolates: invisible, and able to make the text read
# otherwise than it is stored. The marks (U+200E, U+200F) stay.
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_RUN_OF_SPACES = re.compile(r" {2,}")
_TRAILING_SPACE = re.compile(r"[ ]+$", re.MULTILINE)
_LEADING_SPACE = re.compile(r"^[ ]+", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A character that one of the six rules above can act on (an entity starts with &, an
# escaped quote with a backslash): when a text has none, those rules leave it as it is.
_ANY_CHARACTER_RULE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069&\\"
    r"\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
)
# Site furniture that scrapers leave after (or before) the article body.
_NAVIGATION = re.compile(
    r"^(?:(?:next|previous|prev)\s+(?:story|article|post|page)|read\s+(?:more|next)|also\s+read"
    r"|related\s*(?:stories|articles|news|posts)?|advertisement|sponsored|share(?:\s+this)?"
    r"(?:\s+(?:story|article|post))?|(?:\d+\s+)?comments?|back\s+to\s+top|subscribe(?:\s+now)?"
    r"|follow\s+us(?:\s+on\s+\w+)?|click\s+here(?:\s+to\s+\w+(?:\s+\w+){0,3})?|print|email"
    r"|more\s+stories|top\s+stories|trending(?:\s+now)?)[\s.:>»›→]*$",
    re.IGNORECASE,
)


def _sub(pattern: re.Pattern[str], repl: Any, text: str, rule: str, rules: Counter[str]) -> str:
    new, count = pattern.subn(repl, text)
    if count and new != text:
        rules[rule] += count
    return new


def _clean_once(text: str, rules: Counter[str]) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
        rules["drop-bom"] += 1
    if "\r" in text:
        rules["normalize-newlines"] += text.count("\r")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        rules["nfc"] += 1
        text = nfc
    if _ANY_CHARACTER_RULE.search(text):  # else none of the next six can change the text
        text = _sub(_CONTROL, "", text, "drop-control-characters", rules)
        text = _sub(_ZERO_WIDTH, "", text, "drop-zero-width", rules)
        text = _sub(_BIDI_CONTROL, "", text, "drop-bidi-control", rules)
        text = _sub(_HTML_ENTITY, lambda m: html.unescape(m.group(0)), text, "unescape-html", rules)
        text = _sub(_BACKSLASH_QUOTE, r"\1", text, "unescape-backslash-quote", rules)
        text = _sub(_ODD_SPACE, " ", text, "normalize-spaces", rules)
    # Plain substring tests say when the space rules can match: each regex scan costs more.
    if "  " in text:
        text = _sub(_RUN_OF_SPACES, " ", text, "collapse-spaces", rules)
    if " \n" in text or text.endswith(" "):
        text = _sub(_TRAILING_SPACE, "", text, "strip-line-spaces", rules)
    if "\n " in text or text.startswith(" "):
        text = _sub(_LEADING_SPACE, "", text, "strip-line-spaces", rules)

    blocks = [block for block in re.split(r"\n\s*\n", text.strip("\n")) if block.strip()]
    while blocks and all(_NAVIGATION.match(line) for line in blocks[-1].split("\n")):
        blocks.pop()
        rules["drop-trailing-navigation"] += 1
    joined = "\n\n".join(blocks)
    if joined != text and "\n\n\n" in text.strip("\n"):  # a run of three or more
        rules["collapse-blank-lines"] += 1
    return joined


def clean_text(raw: str) -> Cleaned:
    """Apply every repair rule until nothing changes (each non-idempotent rule shortens text)."""
    rules: Counter[str] = Counter()
    text = raw
    while True:
        new = _clean_once(text, rules)
        # Dropping a final line break changes nothing another pass could act on.
        if new == text or (not rules and new == text.rstrip("\n")):
            return Cleaned(text=new, rules=rules)
        text = new


def decode_seed(data: bytes, name: str) -> str:
    if not data:
        raise IngestError(f"{name}: the seed is empty; give the raw article text.")
    if b"\x00" in data[:8192]:
        raise IngestError(
            f"{name}: the seed looks binary (it contains NUL bytes); "
            "give the article as UTF-8 plain text."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise IngestError(
            f"{name}: the seed is not valid UTF-8 (byte 0x{data[err.start]:02x} at offset "
            f"{err.start}); re-save it as UTF-8, e.g. `iconv -f cp1252 -t utf-8`."
        ) from None


# --- passages and metadata ----------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,3})"
    r"(?:, [A-Z][A-Za-z.'’ -]{1,30})?(?: \([A-Za-z .&]{2,30}\))?(?::| [-–—]) "
)


def dateline_of(paragraph: str) -> tuple[str, str] | None:
    """(place, the dateline as written) when the paragraph opens with one."""
    match = _DATELINE.match(paragraph)
    return (match.group("place"), match.group(0).strip()) if match else None


def split_passages(text: str) -> list[Passage]:
    """Blocks separated by blank lines: a title, an optional standfirst, then paragraphs.

    The second block is a standfirst when a body follows it and it is a single line that either
    lacks final punctuation or precedes a paragraph that opens with a dateline.
    """
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        block = match.group(0)
        start = match.start() + (len(block) - len(block.lstrip()))
        end = match.end() - (len(block) - len(block.rstrip()))
        if end > start:
            spans.append((start, end))
    types = ["paragraph"] * len(spans)
    if len(spans) >= 2:
        types[0] = "title"
    if len(spans) >= 3:
        second = text[spans[1][0] : spans[1][1]]
        third = text[spans[2][0] : spans[2][1]]
        if (
            "\n" not in second
            and len(second) <= 400
            and (not _SENTENCE_END.search(second) or dateline_of(third))
        ):
            types[1] = "standfirst"
    return [
        {"id": f"p{i}", "type": kind, "start": start, "end": end}
        for i, ((start, end), kind) in enumerate(zip(spans, types, strict=True))
    ]


def split_for(doc_id: str) -> str:
    """Fixed at ingestion from the id alone: about 80/10/10, never moves as the corpus grows."""
    bucket = int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:8], 16) % 10
    train, validation, test = labels.SPLITS  # the selected root's, read when first needed
    return train if bucket < 8 else validation if bucket == 8 else test


def derive_id(seed_path: Path) -> str:
    """A record id from a seed's file name: accents folded (café -> cafe), every other run of
    characters outside the id alphabet turned into `-`; a name with nothing left gets an id
    from its hash."""
    folded = unicodedata.normalize("NFKD", seed_path.stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", folded).strip("-_")[:128]
    if not slug or not DOC_ID_PATTERN.match(slug):
        digest = hashlib.sha256(seed_path.name.encode("utf-8")).hexdigest()[:16]
        slug = f"doc-{digest}"
    return slug


def check_id(doc_id: str) -> str:
    if not DOC_ID_PATTERN.match(doc_id):
        raise IngestError(
            f"invalid id {doc_id!r}: use 1-128 letters, digits, '_' or '-', starting with a "
            "letter or digit (no path separators)."
        )
    return doc_id


def ingest_text(data: bytes, name: str) -> Cleaned:
    cleaned = clean_text(decode_seed(data, name))
    if not cleaned.text.strip():
        raise IngestError(f"{name}: the seed has no article text left after cleaning.")
    return cleaned


def draft_record(data: bytes, seed_rel: str, doc_id: str) -> Record:
    """The draft record of a seed: text, passages, provenance; every annotation layer empty."""
    cleaned = ingest_text(data, seed_rel)
    passages = split_passages(cleaned.text)
    body = [p for p in passages if p["type"] == "paragraph"]
    dateline = dateline_of(cleaned.text[body[0]["start"] : body[0]["end"]]) if body else None
    return {
        "id": doc_id,
        "schema_version": SCHEMA_VERSION,
        "split": split_for(doc_id),
        "source": {
            "seed_path": seed_rel,
            "seed_sha256": hashlib.sha256(data).hexdigest(),
            "publisher": None,
            "url": None,
            "published_date": None,
            "dateline": (
                {"value": dateline[0], "inferred": False, "evidence": dateline[1]}
                if dateline
                else None
            ),
            "language": None,
            "cleaning": [{"rule": rule, "count": n} for rule, n in sorted(cleaned.rules.items())],
        },
        "text": cleaned.text,
        "passages": passages,
        **empty_layers(),
        "annotation": {
            "annotators": [],
            "guidelines_version": None,
            "status": "draft",
            "notes": None,
        },
    }
