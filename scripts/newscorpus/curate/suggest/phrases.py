"""Noun phrases the other layers need: the source of a cue, a pronoun's antecedent.

A source is, in order: a mention that ends where the subject ends; a pronoun (PRO, joined to
its antecedent); a noun phrase with a head that can speak (NOM: "a statement", "officials").
A definite NOM with the head of an earlier NOM suggestion is the same entity ("the report"
after "a media report", guidelines 5.1).
"""

from __future__ import annotations

from ...model import Entity, Mention
from .base import dicts
from .doc import Doc
from .draft import Draft
from .lexicon import DETERMINERS, PERSON_PRONOUNS, PLURAL_PRONOUNS, SPEAKING_NOUNS, THING_PRONOUNS

BY_SOURCE, BY_PRONOUN = "rule:quote-source", "rule:pronoun"
_WINDOW = 3  # sentences a pronoun looks back for its antecedent


def mention_ending(draft: Draft, end: int, before: int | None = None) -> Mention | None:
    """The longest mention that ends at `end` (and starts after `before`)."""
    found = [
        m
        for m in dicts(draft.record["mentions"])
        if m["end"] == end and (before is None or m["start"] >= before)
    ]
    return max(found, key=lambda m: m["end"] - m["start"], default=None)


def source_before(draft: Draft, doc: Doc, index: int) -> Mention | None:
    """The mention of the subject whose last token is `index`, made if it is missing."""
    if index < 0:
        return None
    token = doc.tokens[index]
    mention = mention_ending(draft, token.end)
    first = doc.starts.get(mention["start"]) if mention else _noun_phrase_start(doc, index)
    first = first if first is not None else index
    if first >= 2 and doc.word(first - 1) in {"by", "of", "from"}:
        # "a statement signed by X said", "a report by X said": the statement, the report
        head = first - 3 if doc.word(first - 2).endswith(("ed", "en")) else first - 2
        subject = source_before(draft, doc, head) if head >= 0 else None
        if subject is not None and subject["mention_type"] != "PRO":
            return subject
    if mention is not None:
        return mention
    if token.text in _MEDIA_NOUNS and index > 0:  # "the Dawn newspaper said": Dawn
        named = mention_ending(draft, doc.tokens[index - 1].end)
        if named is not None and named["mention_type"] == "NAM":
            return named
    word = token.text.lower()
    if word in PERSON_PRONOUNS or word in THING_PRONOUNS or word in PLURAL_PRONOUNS:
        return pronoun_mention(draft, doc, index)
    return nominal(draft, doc, index)


def nominal(draft: Draft, doc: Doc, index: int) -> Mention | None:
    """A NOM mention for the noun phrase with head `index`, when the head can speak."""
    head = doc.word(index).lower()
    label = SPEAKING_NOUNS.get(head)
    if label is None or not doc.word(index)[:1].islower():
        return None
    first = _noun_phrase_start(doc, index)
    start, end = doc.tokens[first].start, doc.tokens[index].end
    existing = draft.mention_at(start, end)
    if existing is not None:
        return existing
    entity = _same_head(draft, head, label, doc.word(first).lower())
    if entity is None:
        name = doc.text[doc.tokens[first].start : end]
        words = name.split()
        if words[0].lower() in DETERMINERS and len(words) > 1:
            words = words[1:]
        entity = draft.add_entity(
            label, " ".join(words)[:1].upper() + " ".join(words)[1:], BY_SOURCE
        )
    return draft.add_mention(start, end, label, "NOM", entity, BY_SOURCE)


def _noun_phrase_start(doc: Doc, index: int) -> int:
    """The first token of the noun phrase whose head is `index`: its determiner, or the first
    of the lower-case words before the head."""
    first = index
    while first - 1 >= 0 and doc.tokens[first - 1].sentence == doc.tokens[index].sentence:
        word = doc.word(first - 1)
        if word.lower() in DETERMINERS:
            return first - 1
        if not (word.isalpha() and word.islower()) or word in _NOT_MODIFIERS:
            break
        first -= 1
    return first


_MEDIA_NOUNS = frozenset({"newspaper", "daily", "channel", "agency", "website", "magazine"})
_NOT_MODIFIERS = frozenset(
    [
        "and",
        "or",
        "of",
        "by",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "has",
        "have",
        "had",
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "also",
        "said",
        "that",
        "which",
        "who",
    ]
)


def _same_head(draft: Draft, head: str, label: str, determiner: str) -> str | None:
    """The entity of an earlier NOM with this head, for a definite re-mention."""
    if determiner not in {"the", "this", "that", "these", "those"}:
        return None
    for mention in reversed(dicts(draft.record["mentions"])):
        if (
            mention.get("mention_type") == "NOM"
            and mention.get("label") == label
            and mention["text"].lower().split()[-1] == head
        ):
            return str(mention["entity"])
    return None


def pronoun_mention(draft: Draft, doc: Doc, index: int) -> Mention | None:
    """A PRO mention for the pronoun at `index`, joined to its antecedent (or None)."""
    token = doc.tokens[index]
    existing = draft.mention_at(token.start, token.end)
    if existing is not None:
        return existing
    entity = antecedent(draft, doc, index)
    if entity is None:
        return None
    label = str(entity["label"])
    return draft.add_mention(token.start, token.end, label, "PRO", str(entity["id"]), BY_PRONOUN)


def antecedent(draft: Draft, doc: Doc, index: int) -> Entity | None:
    """The entity of the subject of the sentence before, for a pronoun that is the subject of
    its own ("The union demanded that X ... . It said ..."), else of the nearest earlier
    compatible mention within a few sentences."""
    token = doc.tokens[index]
    word = token.text.lower()
    genders = draft.genders
    found = _previous_subject(draft, doc, index) if token.first else None
    for mention in sorted(dicts(draft.record["mentions"]), key=lambda m: -m["end"]):
        if found is not None:
            break
        if mention["end"] > token.start:
            continue
        first = doc.starts.get(mention["start"])
        if first is None or token.sentence - doc.tokens[first].sentence > _WINDOW:
            break
        if _compatible(word, mention, genders):
            found = mention
    entity = draft.entity(str(found["entity"])) if found is not None else None
    if entity is not None and word in PERSON_PRONOUNS:
        genders[str(entity["id"])] = PERSON_PRONOUNS[word]
    return entity


_SUBJECT_PRONOUNS = frozenset({"it", "he", "she", "they"})


def _previous_subject(draft: Draft, doc: Doc, index: int) -> Mention | None:
    """A compatible mention that is the subject of the sentence before `index`'s: the source
    of a quote or the speaker or agent of an event there, else the mention it opens with."""
    word, sentence = doc.word(index).lower(), doc.tokens[index].sentence
    if word not in _SUBJECT_PRONOUNS:
        return None
    subjects = {q.get("source") for q in dicts(draft.record["quotes"])}
    for event in dicts(draft.record["events"]):
        arguments = dicts(event.get("arguments"))
        subjects |= {a.get("mention") for a in arguments if a.get("role") in _SUBJECT_ROLES}
    candidates = []
    for mention in dicts(draft.record["mentions"]):
        first = doc.starts.get(mention["start"])
        if first is None or doc.tokens[first].sentence != sentence - 1:
            continue
        if _compatible(word, mention, draft.genders):
            rank = 0 if mention["id"] in subjects else 1 if doc.tokens[first].first else None
            if rank is not None:
                candidates.append((rank, mention["start"], mention))
    return min(candidates, key=lambda c: c[:2])[2] if candidates else None


_SUBJECT_ROLES = frozenset({"speaker", "agent"})


def _compatible(word: str, mention: Mention, genders: dict[str, str]) -> bool:
    label, text = mention["label"], mention["text"]
    if word in PERSON_PRONOUNS:
        gender = genders.get(str(mention["entity"]))
        plural = mention["mention_type"] != "NAM" and text.endswith("s")
        return label == "PERSON" and not plural and gender in (None, PERSON_PRONOUNS[word])
    if word in THING_PRONOUNS:
        singular = mention["mention_type"] == "NAM" or not text.endswith("s")
        return label in {"ORG", "WORK_OF_ART", "LAW"} and singular
    if word in PLURAL_PRONOUNS:
        return mention["mention_type"] == "NOM" and text.endswith("s")
    return False
