"""PRO mentions for personal pronouns and possessives that refer back to a person or a body
(guidelines 4.2 step 3, 4.4): he/him/his, she/her, and "its" of an organisation, each joined
to the nearest earlier compatible mention within a few sentences; a subject pronoun that opens
a sentence to the subject or quote source of the sentence before, where one agrees. "it" and
"they" are suggested only as the source of a cue (quotes.py): elsewhere they are too often
expletive, discourse-deictic or of split antecedents, which the guidelines leave unannotated."""

from __future__ import annotations

from .doc import Doc
from .draft import Draft
from .lexicon import PERSON_PRONOUNS
from .phrases import pronoun_mention

_POSSESSIVE_THINGS = frozenset({"its"})


def suggest_pronouns(draft: Draft, doc: Doc) -> None:
    for index, token in enumerate(doc.tokens):
        word = token.text.lower()
        if word in PERSON_PRONOUNS or word in _POSSESSIVE_THINGS:
            pronoun_mention(draft, doc, index)
