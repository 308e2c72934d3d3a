"""Names read off the text itself: runs of capitalised words, split at titles (guidelines
2.3) and typed by their head noun and context; abbreviations defined as "Long Form (ABBR)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from ...model import Passage
from .base import PRIORITY, Candidate
from .doc import Doc
from .lexicon import (
    CONTINENTS,
    COUNTRIES,
    CUES,
    EVENT_HEADS,
    FAC_HEADS,
    GPE_HEADS,
    KIND_NOUNS,
    LAW_HEADS,
    LOC_HEADS,
    MONTHS_AND_DAYS,
    NATIONALITIES,
    ORG_HEADS,
    TITLE_MODIFIERS,
    TITLES,
)

CONNECTORS = frozenset({"of", "for", "the", "and", "&", "on", "de", "al", "bin", "van", "von"})
_ABBREVIATION = re.compile(r"[A-Z][A-Za-z&]*[A-Z]s?")
_YEAR = re.compile(r"(?:1[89]|20)[0-9]{2}")
BY_NAMES, BY_ABBREVIATION = "rule:names", "rule:abbreviation"


@dataclass
class Run:
    """Token indices [first, last] of a capitalised name, and what was read around it."""

    first: int
    last: int
    after_title: bool = False


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and any(c.isalpha() for c in word) and word not in {"I"}


def _runs(doc: Doc) -> list[Run]:
    """Maximal runs of capitalised tokens with inner connectors, within one sentence."""
    runs, index, tokens = [], 0, doc.tokens
    while index < len(tokens):
        if not _capitalised(tokens[index].text):
            index += 1
            continue
        last = index
        while True:
            nxt = last + 1
            while (
                nxt < len(tokens)
                and tokens[nxt].text.lower() in CONNECTORS
                and tokens[nxt].text[:1].islower()
                and tokens[nxt].sentence == tokens[index].sentence
            ):
                nxt += 1
            if (
                nxt < len(tokens)
                and tokens[nxt].sentence == tokens[index].sentence
                and _capitalised(tokens[nxt].text)
                and tokens[nxt].start - tokens[nxt - 1].end <= 1
                and tokens[nxt].text not in MONTHS_AND_DAYS
                and (nxt == last + 1 or _joins(doc, index, last, nxt))
            ):
                last = nxt
                continue
            break
        last = _with_listed_complement(doc, index, last)
        runs.append(Run(index, last))
        index = last + 1
    return runs


def _with_listed_complement(doc: Doc, first: int, last: int) -> int:
    """A name whose complement is a list of single words: "Institute for Research, Advocacy
    and Development". Only when the list ends in "and" + one word and nothing capitalised."""
    words = [t.text for t in doc.tokens[first : last + 1]]
    if not ({"of", "for"} & set(words)) or doc.word(last + 1) != ",":
        return last
    index = last + 1
    while doc.word(index) == "," and _capitalised(doc.word(index + 1)):
        index += 2
        if doc.word(index) == "and" and _capitalised(doc.word(index + 1)):
            if (
                not _capitalised(doc.word(index + 2))
                and doc.word(index + 1).lower() not in ORG_HEADS
            ):
                return index + 1
            return last
    return last


def _joins(doc: Doc, first: int, last: int, nxt: int) -> bool:
    """Whether the connectors between `last` and `nxt` join one name: anything but "and";
    "and" only inside the complement of a name's head ("Ministry of Science and Technology",
    "Institute for Research and Development"), where what follows has no head of its own."""
    between = {t.text.lower() for t in doc.tokens[last + 1 : nxt]}
    if "and" not in between and "&" not in between:
        return True
    words = {t.text.lower() for t in doc.tokens[first : last + 1]}
    end = nxt
    while end + 1 < len(doc.tokens) and _capitalised(doc.tokens[end + 1].text):
        end += 1
    return bool(words & {"of", "for"}) and doc.tokens[end].text.lower() not in ORG_HEADS


def _title_length(doc: Doc, index: int, last: int) -> int:
    """How many tokens from `index` form a title ("Prime Minister", "President"), or 0."""
    length = 0
    while index + length <= last and doc.tokens[index + length].text.lower() in TITLE_MODIFIERS:
        length += 1
    if index + length <= last and doc.tokens[index + length].text.lower() in TITLES:
        return length + 1
    while length and doc.tokens[index + length - 1].text.lower() not in TITLES:
        length -= 1  # the last modifier may be the title: "General X", "Chief Executive X"
    return length


def _split_titles(doc: Doc, run: Run) -> list[Run]:
    """The parts of a run around its titles; the part after a title is a person's name."""
    parts, begin, index = [], run.first, run.first
    after_title = run.after_title
    while index <= run.last:
        length = _title_length(doc, index, run.last)
        rest = index + length
        if length and not (rest <= run.last and _head(doc, run.last) in ORG_HEADS):
            if index > begin:
                parts.append(Run(begin, index - 1, after_title))
            begin, index, after_title = rest, rest, True
            continue
        index += 1
    if begin <= run.last:
        parts.append(Run(begin, run.last, after_title))
    return parts


def _head(doc: Doc, index: int) -> str:
    return doc.tokens[index].text.lower()


def _trim(doc: Doc, run: Run) -> Run | None:
    """Drop a sentence-initial function word ("The", "In") and connectors at either end."""
    first, last = run.first, run.last
    while first <= last and (
        doc.tokens[first].text.lower() in CONNECTORS
        or (_opens(doc, first) and doc.tokens[first].text.lower() in STOP_WORDS)
    ):
        first += 1
    while last >= first and doc.tokens[last].text.lower() in CONNECTORS:
        last -= 1
    return Run(first, last, run.after_title) if first <= last else None


def _opens(doc: Doc, index: int) -> bool:
    """The first word of a sentence or of a quotation ("“We ...", where capitals say nothing)."""
    token = doc.tokens[index]
    before = doc.tokens[index - 1] if index > 0 else None
    quoted = before is not None and before.text in '“"‘' and before.end == token.start
    return token.first or quoted


def _label(doc: Doc, run: Run) -> str | None:
    """The entity label of a name, from its head noun, the lists and its context."""
    words = [t.text for t in doc.tokens[run.first : run.last + 1]]
    form = doc.text[doc.tokens[run.first].start : doc.tokens[run.last].end]
    head = words[-1].lower()
    single = len(words) == 1
    if single and (head in KIND_NOUNS or head in TITLES):
        return None  # capitals alone never make a name (guidelines 3.3)
    for heads, label in (
        (ORG_HEADS, "ORG"),
        (LAW_HEADS, "LAW"),
        (FAC_HEADS, "FAC"),
        (LOC_HEADS, "LOC"),
        (GPE_HEADS, "GPE"),
        (EVENT_HEADS, "EVENT"),
    ):
        if head in heads and not single:
            return label
    if form in COUNTRIES:
        return "GPE"
    if form in CONTINENTS:
        return "LOC"
    if form in NATIONALITIES:
        return "NORP"
    if run.after_title or _before_title(doc, run.first):
        return "PERSON"
    return _label_from_context(doc, run, single)


def _before_title(doc: Doc, first: int) -> bool:
    """A lower-case title right before the name: "PTA chairman Amir Bajwa"."""
    return first > 0 and doc.word(first - 1).lower() in TITLES and doc.word(first - 1).islower()


def _label_from_context(doc: Doc, run: Run, single: bool) -> str:
    before, after = doc.word(run.first - 1).lower(), doc.word(run.last + 1)
    passage = doc.passage_of(doc.tokens[run.first].start)
    if after == ":" and passage is not None and passage["start"] == doc.tokens[run.first].start:
        return "GPE"  # a dateline
    if before in {"in", "from", "across", "to", "near", "outside", "inside"}:
        return "GPE"
    if before == "of" and doc.word(run.first - 2).lower() in GPE_HEADS:
        return "GPE"  # the village of Brennock, the city of Lahore
    words = doc.tokens[run.first : run.last + 1]
    if single:  # one capitalised word no list knows: an organisation is the likeliest reading
        return "ORG"
    if any(t.text in CONNECTORS for t in words):
        return "ORG"
    return "PERSON" if len(words) <= 4 else "ORG"


def _attested(doc: Doc) -> set[str]:
    """Words written with a capital somewhere other than at the start of a sentence."""
    return {t.text for i, t in enumerate(doc.tokens) if _capitalised(t.text) and not _opens(doc, i)}


def _title_case(doc: Doc, passage: Passage) -> bool:
    """A headline in title case, where capitals say nothing about names."""
    words = [
        t.text
        for t in doc.tokens
        if passage["start"] <= t.start < passage["end"]
        and t.text.isalpha()
        and t.text.lower() not in STOP_WORDS
    ]
    return len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def name_candidates(doc: Doc) -> list[Candidate]:
    """Names read off the capitalised runs of the text (titles stripped, typed)."""
    attested = _attested(doc)
    shy = [p for p in doc.passages if p["type"] == "title" and _title_case(doc, p)]
    found: list[Candidate] = []
    for raw in _runs(doc):
        for part in _split_titles(doc, raw):
            run = _trim(doc, part)
            if run is None:
                continue
            last_word = run.last
            run = _with_year(doc, run)
            start, end = doc.tokens[run.first].start, doc.tokens[run.last].end
            if any(p["start"] <= start < p["end"] for p in shy):
                continue  # a title-case headline: its names come from repeats of the body's
            if run.first == run.last and not _lone_name(doc, run.first, attested):
                continue
            label = _label(doc, Run(run.first, last_word, run.after_title))
            if label is not None:
                key = ("name", doc.text[start:end])
                found.append(Candidate(start, end, label, key, PRIORITY["names"], BY_NAMES))
    return found


def _lone_name(doc: Doc, index: int, attested: set[str]) -> bool:
    """Whether a capitalised word on its own is a name: not a month or weekday (values), and
    at a sentence start only when written so elsewhere, before a cue, or as a dateline."""
    token = doc.tokens[index]
    if token.text in MONTHS_AND_DAYS:
        return False
    if not _opens(doc, index) or token.text in attested or doc.word(index + 1) in CUES:
        return True
    passage = doc.passage_of(token.start)
    return doc.word(index + 1) == ":" and passage is not None and passage["start"] == token.start


def _with_year(doc: Doc, run: Run) -> Run:
    """A law's name keeps its year: "Citizens Protection Rules 2020"."""
    if _head(doc, run.last) in LAW_HEADS and _YEAR.fullmatch(doc.word(run.last + 1)):
        return Run(run.first, run.last + 1, run.after_title)
    return run


def abbreviation_candidates(doc: Doc) -> list[Candidate]:
    """ "Long Form (ABBR)": both, as one entity, typed by the long form (guidelines 2.6)."""
    found: list[Candidate] = []
    runs = {r.last: r for raw in _runs(doc) for r in _split_titles(doc, raw)}
    for index, token in enumerate(doc.tokens):
        if token.text != "(" or doc.word(index + 2) != ")":
            continue
        abbreviation = doc.word(index + 1)
        run = runs.get(index - 1)
        if run is None or not _ABBREVIATION.fullmatch(abbreviation):
            continue
        run = _matching_suffix(doc, run, abbreviation)
        if run is None:
            continue
        label = _label(doc, run) or "ORG"
        key = ("abbr", abbreviation)
        start, end = doc.tokens[run.first].start, doc.tokens[run.last].end
        short = doc.tokens[index + 1]
        for s, e in ((start, end), (short.start, short.end)):
            found.append(Candidate(s, e, label, key, PRIORITY["abbreviation"], BY_ABBREVIATION))
    return found


def _matching_suffix(doc: Doc, run: Run, abbreviation: str) -> Run | None:
    """The shortest end of `run` whose capitalised words' initials spell the abbreviation."""
    letters = abbreviation.rstrip("s").upper()
    for first in range(run.last, run.first - 1, -1):
        words = [t.text for t in doc.tokens[first : run.last + 1] if _capitalised(t.text)]
        initials = "".join(w[0] for w in words).upper()
        if initials == letters or (len(words) >= 2 and _spells(words, letters)):
            return Run(first, run.last, run.after_title)
    return None


def _spells(words: list[str], letters: str) -> bool:
    """Each letter from the words in order, the first from the first word's initial."""
    if not letters or words[0][0].upper() != letters[0]:
        return False
    joined, position = "".join(words).upper(), 0
    for letter in letters:
        position = joined.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True
