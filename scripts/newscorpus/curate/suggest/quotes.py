"""Quotes and their events from reporting verbs and frames (guidelines 6 and 7).

For each cue ("said", "told", "added", "urged", "according to", ...): its source (the subject
before it, or after it in "..., said X"), its content (the quoted words, the clause after the
cue, or the clause before a trailing "..., X said") and its type (direct when all of it is in
quotation marks, mixed when part is, else indirect). Verbs of saying trigger a STATEMENT
event, speech acts their own type (URGE, DEMAND, ...), with the source as speaker or agent.
A speech act of several coordinated sources is an event only (guidelines 6.5).
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from ...labels import TEMPORAL_LABELS
from ...model import Argument, Event, Mention, Quote
from .base import dicts, span
from .doc import Doc
from .draft import Draft
from .lexicon import BETWEEN_SUBJECT_AND_CUE, CUES, DETERMINERS, TITLE_MODIFIERS, TITLES
from .phrases import mention_ending, source_before

BY_QUOTE = "rule:reporting-verb"
OPENING, CLOSING = '“"‘', '”"’'
_MATCHING = {"“": "”", '"': '"', "‘": "’"}  # an opening mark and the mark that closes it
_TRIM = " ,.;:—–-\n"
_NEGATIONS = frozenset({"not", "never", "n't", "no"})
_SPEECH_ACT_ROLE = {"STATEMENT": "speaker"}


def _cues(doc: Doc) -> list[int]:
    """Token indices of reporting verbs used as verbs (not "the reports", "their demands")."""
    found = []
    for index, token in enumerate(doc.tokens):
        word = token.text
        if word == "according" and doc.word(index + 1) == "to":
            found.append(index)
        elif word in CUES and doc.word(index - 1).lower() not in DETERMINERS | {"of"}:
            if word == "called" and doc.word(index + 1) not in {"on", "upon", "for"}:
                continue
            found.append(index)
    return found


def suggest_quotes(draft: Draft, doc: Doc) -> None:
    """Quotes and events for every cue that no confirmed quote or event already has."""
    used = {
        (cue["start"], cue["end"]) for q in dicts(draft.record["quotes"]) if (cue := q.get("cue"))
    }
    used |= {(e["trigger"]["start"], e["trigger"]["end"]) for e in dicts(draft.record["events"])}
    for index in _cues(doc):
        token = doc.tokens[index]
        if (token.start, token.end) in used:
            continue
        _one_cue(draft, doc, index)


def _one_cue(draft: Draft, doc: Doc, index: int) -> None:
    cue_end = index + 1 if doc.word(index) == "according" else index
    inverted = _inverted(doc, index)
    source = _source_after(draft, doc, cue_end + 1) if inverted or cue_end > index else None
    if source is None and cue_end == index:
        source = source_before(draft, doc, _subject_end(doc, index))
    sources = _coordinated(draft, doc, source)
    kind = CUES.get(doc.word(index), "STATEMENT") if cue_end == index else None
    content = _content(doc, index, cue_end, source)
    cue = span(doc.text, doc.tokens[index].start, doc.tokens[cue_end].end)
    if content and len(sources) <= 1:
        quote: Quote = {
            "id": draft.new_id("quotes"),
            "type": _quote_type(doc.text, content),
            "content": [span(doc.text, s, e) for s, e in content],
            "cue": cue,
            "source": source["id"] if source else None,
            "speaker": source["entity"] if source else None,
        }
        draft.add_quote(quote, BY_QUOTE)
    if kind is not None and (content or sources):
        _event(draft, doc, index, kind, sources)


def _inverted(doc: Doc, index: int) -> bool:
    """ "..., said X" / "“...,” said X": the cue comes right after a comma or a closing mark."""
    before = doc.word(index - 1)
    return before in {",", ":"} or (before in CLOSING and doc.word(index - 2) in {",", ""})


def _subject_end(doc: Doc, index: int) -> int:
    """The last token of the subject of the cue at `index`, past auxiliaries and adverbs."""
    end = index - 1
    while end >= 0 and doc.word(end).lower() in BETWEEN_SUBJECT_AND_CUE:
        end -= 1
    if doc.word(end) == "," and end > 0:  # "X, the club's president, said": X
        back = end - 1
        while back > 0 and doc.word(back) != "," and end - back < 12:
            back -= 1
        if doc.word(back) == "," and doc.tokens[back].sentence == doc.tokens[index].sentence:
            return back - 1
    return end


def _source_after(draft: Draft, doc: Doc, first: int) -> Mention | None:
    """The subject after an inverted cue: "said X", "according to a report"."""
    if first >= len(doc.tokens):
        return None
    last = first
    while last + 1 < len(doc.tokens) and doc.tokens[last + 1].text not in {",", ".", ";", *CLOSING}:
        if doc.tokens[last + 1].sentence != doc.tokens[first].sentence or last - first > 8:
            break
        last += 1
    for end in range(last, first - 1, -1):  # the longest subject that is (or makes) a mention
        mention = mention_ending(draft, doc.tokens[end].end, doc.tokens[first].start)
        if mention is not None and end == last:
            return mention
    return source_before(draft, doc, last)


def _coordinated(draft: Draft, doc: Doc, source: Mention | None) -> list[Mention]:
    """The source and the mentions coordinated with it ("Google, Twitter and Facebook")."""
    if source is None:
        return []
    found, index = [source], doc.starts.get(source["start"])
    while index is not None and index >= 2 and doc.word(index - 1) in {",", "and"}:
        other = mention_ending(draft, doc.tokens[index - 2].end)
        if other is None or other["mention_type"] != "NAM" or other["label"] != source["label"]:
            break
        found.append(other)
        index = doc.starts.get(other["start"])
    return found


Span = tuple[int, int]


def _content(doc: Doc, index: int, cue_end: int, source: Mention | None) -> list[Span]:
    """The content spans of the quote whose cue is tokens index..cue_end."""
    frame_start = doc.tokens[index].start
    if source is not None and source["start"] < frame_start:
        frame_start = doc.tokens[_frame_start(doc, doc.starts.get(source["start"], index))].start
    rest = _rest_of_frame(doc, cue_end, source)
    before = _before(doc, frame_start)
    if before and _is_quoted(doc.text, before):  # “A,” she said(, “B.”)
        after = _quoted_after(doc, cue_end, source)
        return [before, after] if after else [before]
    if rest is None:  # the frame ends the sentence: what it reports comes before it
        return [before] if before else []
    start = rest if rest is not None else doc.tokens[cue_end].end
    after = _after(doc, start, index)
    return [after] if after else []


def _frame_start(doc: Doc, first: int) -> int:
    """The first token of a trailing frame whose source starts at `first`: its determiner
    ("..., the PTA said"), or the title and whatever names the body before it ("..., union
    leader Ana Pires said", "“...,” Northwind chief executive Paul Okoye said")."""
    if first > 0 and doc.word(first - 1).lower() in DETERMINERS:
        return first - 1
    back, titled = first - 1, False
    while back >= 0 and first - back <= _TITLE_STRETCH:
        word = doc.word(back)
        if word.lower() in TITLES or word.lower() in TITLE_MODIFIERS:
            titled = True
        elif not _in_title_phrase(word):
            break
        back -= 1
    if titled and doc.word(back) in {",", *CLOSING} and back + 1 < first:
        return back + 1
    return first


def _in_title_phrase(word: str) -> bool:
    """A word that may stand before a title: a name, a possessive, a determiner, a noun."""
    if word[:1].isupper() or word in {"'s", "’s"} or word.lower() in DETERMINERS:
        return True
    return word.isalpha() and word.islower() and word not in STOP_WORDS


_TITLE_STRETCH = 6  # tokens of title and body before a trailing frame's source


def _rest_of_frame(doc: Doc, cue_end: int, source: Mention | None) -> int | None:
    """Where the words after the frame begin (past the source, a time phrase, "that", ":"),
    or None when the sentence ends there."""
    index = cue_end + 1
    if source is not None and source["start"] > doc.tokens[cue_end].start:
        index = doc.starts.get(source["end"], len(doc.tokens))
        index = next((i for i, t in enumerate(doc.tokens) if t.start >= source["end"]), index)
    sentence = doc.tokens[cue_end].sentence
    while index < len(doc.tokens) and doc.tokens[index].sentence == sentence:
        word = doc.word(index)
        if word in {"on", "that", ",", ":", "in", "late", "early"} or _is_time(doc, index):
            index += 1
            continue
        if word in {".", "!", "?"} or (doc.word(index - 1) == "," and word.endswith("ing")):
            return None  # the sentence ends, or a participle clause follows ("..., adding")
        return doc.tokens[index].start
    return None


def _is_time(doc: Doc, index: int) -> bool:
    word = doc.word(index)
    return word[:1].isdigit() or word in {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December", "yesterday", "today", "last",
        "week", "night", "morning", "evening",
    }  # fmt: skip


def _before(doc: Doc, frame_start: int) -> Span | None:
    """What a trailing frame reports: the quoted words before it, or its sentence so far."""
    head = doc.text[:frame_start].rstrip()
    if not head.endswith((",", "”", '"', "’", ":")):
        return None
    passage = doc.passage_of(frame_start)
    floor = passage["start"] if passage else 0
    if head.rstrip(",").endswith(tuple(CLOSING)) or head.endswith(tuple(CLOSING)):
        close = len(head.rstrip(",").rstrip()) - 1
        opening = max(doc.text.rfind(mark, floor, close) for mark in OPENING if mark != "’")
        if opening >= floor and opening != close:
            # the sentence of the first quoted word: a sentence's opening mark is read as
            # the end of the sentence before it
            start = _sentence_start(doc, opening + 1, floor)
            if re.search(r"\w", doc.text[start:opening]):  # words before the quotation: mixed
                return _trimmed(doc.text, start, len(head))
            return _trimmed(doc.text, opening, close + 1)
    return _trimmed(doc.text, _sentence_start(doc, frame_start - 1, floor), len(head))


def _sentence_start(doc: Doc, offset: int, floor: int) -> int:
    """Where the sentence around `offset` starts, after a dateline ("Islamabad: ")."""
    first = min(doc.token_at(offset + 1) - 1, len(doc.tokens) - 1)
    sentence = doc.tokens[first].sentence if first >= 0 else -1
    start = next((t.start for t in doc.tokens if t.sentence == sentence), offset)
    start = max(start, floor)
    dateline = _DATELINE.match(doc.text, start)
    return dateline.end() if dateline and start == floor else start


_DATELINE = re.compile(r"[A-Z][\w .'-]{0,40}: ")


def _quoted_after(doc: Doc, cue_end: int, source: Mention | None) -> Span | None:
    """The second part of a split quote: “A,” she said, “B.”"""
    end = max(doc.tokens[cue_end].end, source["end"] if source else 0)
    tail = doc.text[end : end + 3]
    if tail[:1] not in {",", ":"} or tail.lstrip(",: ")[:1] not in _MATCHING:
        return None
    opening = end + len(tail) - len(tail.lstrip(",: "))
    close = _closing(doc, opening)
    return _trimmed(doc.text, opening, close + 1) if close > 0 else None


def _closing(doc: Doc, opening: int) -> int:
    """Where the quotation opened at `opening` closes in its passage, or -1."""
    mark = _MATCHING.get(doc.text[opening : opening + 1])
    passage = doc.passage_of(opening)
    if mark is None or passage is None:
        return -1
    close = doc.text.find(mark, opening + 1, passage["end"])
    return close


def _after(doc: Doc, start: int, cue: int) -> Span | None:
    """The clause after the frame, to the end of its sentence (or of its quotation, or up to
    a trailing frame such as ", the report said")."""
    first = doc.token_at(start)
    if first >= len(doc.tokens):
        return None
    if doc.word(first) in OPENING:
        close = _closing(doc, doc.tokens[first].start)
        if close > 0:
            return _trimmed(doc.text, start, close + 1)
    sentence = doc.tokens[first].sentence
    last = first
    cues = set(_cues_near(doc, first))
    while last + 1 < len(doc.tokens) and doc.tokens[last + 1].sentence == sentence:
        if doc.word(last + 1) == "," and any(last + 1 < c <= last + 8 for c in cues):
            break
        last += 1
    if last - first < 1:
        return None
    return _trimmed(doc.text, start, doc.tokens[last].end)


def _cues_near(doc: Doc, first: int) -> list[int]:
    sentence = doc.tokens[first].sentence
    return [
        i
        for i in range(first, min(len(doc.tokens), first + 80))
        if doc.tokens[i].sentence == sentence and doc.word(i) in CUES
    ]


def _trimmed(text: str, start: int, end: int) -> Span | None:
    """The span without surrounding blanks, punctuation and outer quotation marks."""
    while start < end and (text[start] in _TRIM or text[start] in OPENING + CLOSING):
        start += 1
    while end > start and (text[end - 1] in _TRIM or text[end - 1] in OPENING + CLOSING):
        end -= 1
    return (start, end) if end - start > 1 and " " in text[start:end] else None


def _is_quoted(text: str, part: Span) -> bool:
    start, end = part
    return text[start - 1 : start] in OPENING and text[end : end + 2].lstrip(",.")[:1] in CLOSING


def _quote_type(text: str, content: list[Span]) -> str:
    if all(_is_quoted(text, part) for part in content):
        return "direct"
    inside = "".join(text[s:e] for s, e in content)
    return "mixed" if any(mark in inside for mark in '“”"') else "indirect"


def _event(draft: Draft, doc: Doc, index: int, kind: str, sources: list[Mention]) -> None:
    """The event of the cue: its trigger, modality, source(s) as speaker or agent, time."""
    role = _SPEECH_ACT_ROLE.get(kind, "agent")
    arguments: list[Argument] = [{"role": role, "mention": m["id"]} for m in reversed(sources)]
    if kind == "URGE":
        addressee = _addressee(draft, doc, index)
        if addressee is not None:
            arguments.append({"role": "addressee", "mention": addressee["id"]})
    near = {doc.word(i).lower() for i in range(max(0, index - 3), index)}
    token = doc.tokens[index]
    cluster = draft.new_id("clusters")
    event: Event = {
        "id": draft.new_id("events"),
        "type": kind,
        "trigger": span(doc.text, token.start, token.end),
        "modality": "negated" if near & _NEGATIONS else "asserted",
        "arguments": arguments,
        "time": _time(draft, doc, index),
        "cluster": cluster,
    }
    draft.add_event(event, BY_QUOTE)


def _addressee(draft: Draft, doc: Doc, index: int) -> Mention | None:
    """ "urged the government to ...": the mention before "to"."""
    for end in range(index + 1, min(len(doc.tokens), index + 7)):
        if doc.word(end + 1) == "to":
            found = mention_ending(draft, doc.tokens[end].end, doc.tokens[index].end)
            return found or source_before(draft, doc, end)
    return None


def _time(draft: Draft, doc: Doc, index: int) -> str | None:
    """A date right after the cue ("said on Monday") dates the statement."""
    limit = doc.tokens[min(index + 3, len(doc.tokens) - 1)].end
    for mention in dicts(draft.record["mentions"]):
        if mention["label"] in TEMPORAL_LABELS and doc.tokens[index].end < mention["start"] < limit:
            return str(mention["id"])
    return None
