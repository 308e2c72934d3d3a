"""Document labels from the draft's entities (guidelines 9): the countries its country
mentions name most, and the topics their kinds point to. Suggested values are added to
`labels.topics` / `labels.countries` and listed in `labels.suggested`, so a curator confirms
one by deleting it from that list."""

from __future__ import annotations

from collections import Counter
from typing import Literal, cast

from ...labels import TOPICS
from ...model import Mention, SuggestedLabels
from .base import dicts
from .draft import Draft
from .lexicon import COUNTRIES

BY_LABELS = "rule:entities"
# Words of entity names and mentions -> the topic they point to, when the inventory has it.
TOPIC_WORDS = {
    "politics": "government govt minister ministry parliament assembly senate party cabinet "
    "election president prime",
    "regulation": "rules regulations act ordinance law bill authority regulator",
    "media": "press journalists journalist newspaper media television channel reporters",
    "human_rights": "rights amnesty",
    "law_and_justice": "court judge justice tribunal lawyer lawyers bar",
    "technology": "technology google facebook twitter apple amazon microsoft software",
    "internet": "internet online social",
    "business": "company companies bank corporation business market",
    "economy": "economy finance budget imf inflation trade",
    "crime": "police crime arrested murder",
    "health": "health hospital doctors",
    "education": "university school education students",
}


def suggest_labels(draft: Draft) -> None:
    labels = draft.record["labels"]
    if not isinstance(cast(object, labels), dict):  # a record that is not sound
        return
    mentions = dicts(draft.record["mentions"])
    suggested: SuggestedLabels = {}
    added = 0
    countries = _countries(mentions)
    topics = _topics(mentions)
    found: tuple[tuple[Literal["topics", "countries"], list[str]], ...] = (
        ("topics", topics),
        ("countries", countries),
    )
    for key, values in found:
        current = labels.setdefault(key, [])
        new = [v for v in values if v not in current]
        if new:
            current.extend(new)
            suggested[key] = new
            added += len(new)
    if suggested:
        labels["suggested"] = {**suggested, "suggested_by": BY_LABELS}
        draft.added["labels"] += added


def _countries(mentions: list[Mention]) -> list[str]:
    """The country named most often, and any other named at least as often as half of it."""
    counts = Counter(
        COUNTRIES[m["text"]] for m in mentions if m["label"] == "GPE" and m["text"] in COUNTRIES
    )
    if not counts:
        return []
    top = counts.most_common(1)[0][1]
    return sorted(code for code, n in counts.items() if n * 2 >= top and n >= 1)


def _topics(mentions: list[Mention]) -> list[str]:
    """Topics whose words occur in at least two mentions."""
    words = Counter(w.lower().strip("'") for m in mentions for w in set(m["text"].split()))
    found = []
    for topic, vocabulary in TOPIC_WORDS.items():
        if topic in TOPICS and sum(words[w] for w in vocabulary.split()) >= 2:
            found.append(topic)
    return found
