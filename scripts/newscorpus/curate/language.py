"""The language of an article, inferred from its text as guideline 10 says: an ISO 639-1 code
marked inferred, with its evidence, or null when the text is too short or the answer not
clear.

The identifier is py3langid (a maintained fork of langid.py): a naive Bayes model over byte
n-grams of over a hundred languages, shipped inside its wheel (no download, no network),
deterministic, with probabilities calibrated across text lengths. Its verdict is taken only
when it is near certain for the whole text and the text's parts (runs of about sixty letters)
agree with it: naive Bayes is overconfident on a text in two languages, which its parts
expose. Anything less stays null, since unknown metadata is never guessed.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from typing import Any

from ..model import Meta

MIN_LETTERS = 100  # below this, a few names or numbers could decide the language
MIN_PROBABILITY = 0.95  # the best language's probability; a mixed or odd text stays null
PART_LETTERS = 60  # each part of the text classified on its own has at least this many letters
MIN_AGREEMENT = 0.9  # the share of the letters in parts of the same language as the whole
OPENING_WORDS = 8  # how much of the text the evidence quotes


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def infer_language(text: str) -> Meta | None:
    """`{"value": code, "inferred": True, "evidence": ...}` for the language of `text`, or
    None when the text has too few letters, the best guess is not an ISO 639-1 code, or its
    probability is below MIN_PROBABILITY."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS:
        return None
    identifier = _identifier()
    code, probability = identifier.classify(text)
    if len(code) != 2 or not code.isalpha() or probability < MIN_PROBABILITY:
        return None
    parts = _parts(text)
    agreeing = [n for part, n in parts if identifier.classify(part)[0] == code]
    if sum(agreeing) < MIN_AGREEMENT * letters:
        return None
    opening = " ".join(text.split()[:OPENING_WORDS])
    evidence = (
        f'identified from the whole text (opening "{opening}", {letters} letters) by '
        f"py3langid {version('py3langid')}: {code} with probability {probability:.2f}, "
        f"and {len(agreeing)} of its {len(parts)} parts on their own say {code}; "
        "the seed carries no language tag"
    )
    return {"value": code, "inferred": True, "evidence": evidence}


def _parts(text: str) -> list[tuple[str, int]]:
    """The text cut between words into parts of at least PART_LETTERS letters (a short rest
    joins the last part), each with its number of letters."""
    parts: list[tuple[str, int]] = []
    words: list[str] = []
    count = 0
    for word in text.split():
        words.append(word)
        count += sum(ch.isalpha() for ch in word)
        if count >= PART_LETTERS:
            parts.append((" ".join(words), count))
            words, count = [], 0
    if words:
        if parts:
            last, n = parts.pop()
            parts.append((last + " " + " ".join(words), n + count))
        else:
            parts.append((" ".join(words), count))
    return parts
