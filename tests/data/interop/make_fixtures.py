"""Builds the interop fixture corpus in tests/data/interop/root from the seeds written here.

Offsets are computed, never typed: each span is found in the ingested text by its words and
occurrence. Run `python tests/data/interop/make_fixtures.py` after changing a seed or a layer;
the output must pass `newscorpus validate --root tests/data/interop/root`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newscorpus.ingest import draft_record
from newscorpus.jsonio import dumps

ROOT = Path(__file__).resolve().parent / "root"

SEEDS = {
    "001_rules": (
        "Pakistan rights groups boycott talks over social media rules\n\n"
        "Google and Facebook threatened to suspend services in Pakistan\n\n"
        "Islamabad: More than 100 rights groups in Pakistan boycotted talks with the government "
        'on Monday, Dawn reported. "We will not take part," said Usama Khilji, director of '
        "Bolo Bhi. He said the rules, approved by Prime Minister Imran Khan, were drafted in "
        "secret.\n"
    ),
    # Astral characters (a flag is two code points, four UTF-16 units) before every span.
    "002_astral": (
        "🇵🇰 Karachi traders 😀 welcome Google decision\n\n"
        "Karachi: Traders in Karachi said on Tuesday that Google would keep its services. 🎉 "
        "Ahmed Ali of the Karachi Chamber welcomed the news.\n"
    ),
    "003_draft": "A draft headline\n\nLahore: Nothing is annotated here yet.\n",
}


class Builder:
    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.text: str = record["text"]

    def span(self, words: str, nth: int = 1) -> dict[str, Any]:
        at = -1
        for _ in range(nth):
            at = self.text.index(words, at + 1)
        return {"start": at, "end": at + len(words), "text": words}

    def mention(
        self, mid: str, words: str, label: str, kind: str, entity: str, nth: int = 1
    ) -> str:
        self.record["mentions"].append(
            {
                "id": mid,
                **self.span(words, nth),
                "label": label,
                "mention_type": kind,
                "entity": entity,
            }
        )
        return mid


def rules(record: dict[str, Any]) -> None:
    b = Builder(record)
    m = b.mention
    m("m1", "Pakistan", "GPE", "NAM", "e1")
    m("m2", "rights groups", "ORG", "NOM", "e13")
    m("m3", "Google", "ORG", "NAM", "e2")
    m("m4", "Facebook", "ORG", "NAM", "e3")
    m("m5", "Pakistan", "GPE", "NAM", "e1", nth=2)
    m("m6", "Islamabad", "GPE", "NAM", "e4")
    # m7 was deleted: ids are never renumbered
    m("m8", "More than 100", "CARDINAL", "NAM", "e5")
    m("m9", "rights groups", "ORG", "NOM", "e13", nth=2)
    m("m10", "Pakistan", "GPE", "NAM", "e1", nth=3)
    m("m11", "the government", "ORG", "NOM", "e6")
    m("m12", "Monday", "DATE", "NAM", "e7")
    m("m13", "Dawn", "ORG", "NAM", "e8")
    m("m14", "Usama Khilji", "PERSON", "NAM", "e9")
    m("m15", "Bolo Bhi", "ORG", "NAM", "e10")
    m("m16", "He", "PERSON", "PRO", "e9")
    m("m17", "the rules", "LAW", "NOM", "e11")
    m("m18", "Imran Khan", "PERSON", "NAM", "e12")
    record["entities"] = [
        {"id": "e1", "label": "GPE", "name": "Pakistan", "kb": [{"db": "wikidata", "id": "Q843"}]},
        {"id": "e2", "label": "ORG", "name": "Google", "kb": [{"db": "wikidata", "id": "Q95"}]},
        {"id": "e3", "label": "ORG", "name": "Facebook"},
        {"id": "e4", "label": "GPE", "name": "Islamabad"},
        {"id": "e5", "label": "CARDINAL", "name": "More than 100"},
        {"id": "e6", "label": "ORG", "name": "Government of Pakistan"},
        {"id": "e7", "label": "DATE", "name": "Monday"},
        {"id": "e8", "label": "ORG", "name": "Dawn"},
        {"id": "e9", "label": "PERSON", "name": "Usama Khilji"},
        {"id": "e10", "label": "ORG", "name": "Bolo Bhi"},
        {"id": "e11", "label": "LAW", "name": "social media rules"},
        {"id": "e12", "label": "PERSON", "name": "Imran Khan"},
        {"id": "e13", "label": "ORG", "name": "Pakistani rights groups"},
    ]
    record["quotes"] = [
        {
            "id": "q1",
            "type": "direct",
            "content": [b.span("We will not take part,")],
            "cue": b.span("said"),
            "source": "m14",
            "speaker": "e9",
        },
        {
            "id": "q2",
            "type": "indirect",
            "content": [
                b.span("the rules, approved by Prime Minister Imran Khan, were drafted in secret")
            ],
            "cue": b.span("said", 2),
            "source": "m16",
            "speaker": "e9",
        },
    ]
    record["events"] = [
        {
            "id": "ev1",
            "type": "BOYCOTT",
            "trigger": b.span("boycott"),
            "modality": "asserted",
            "arguments": [{"role": "agent", "mention": "m2"}],
            "time": None,
            "cluster": "evc1",
        },
        {
            "id": "ev2",
            "type": "BOYCOTT",
            "trigger": b.span("boycotted"),
            "modality": "asserted",
            "arguments": [{"role": "agent", "mention": "m9"}, {"role": "place", "mention": "m10"}],
            "time": "m12",
            "cluster": "evc1",
        },
        {
            "id": "ev3",
            "type": "THREATEN",
            "trigger": b.span("threatened"),
            "modality": "asserted",
            "arguments": [{"role": "agent", "mention": "m3"}, {"role": "agent", "mention": "m4"}],
            "time": None,
            "cluster": "evc2",
        },
        {
            "id": "ev5",
            "type": "APPROVE",
            "trigger": b.span("approved"),
            "modality": "asserted",
            "arguments": [
                {"role": "agent", "mention": "m18"},
                {"role": "object", "mention": "m17"},
            ],
            "time": None,
            "cluster": "evc4",
        },
        {
            "id": "ev6",
            "type": "SUSPEND_SERVICE",
            "trigger": b.span("suspend"),
            "modality": "threatened",
            "arguments": [
                {"role": "agent", "mention": "m3"},
                {"role": "agent", "mention": "m4"},
                {"role": "place", "mention": "m5"},
            ],
            "time": None,
            "cluster": "evc5",
        },
    ]
    record["relations"] = [
        {
            "id": "r1",
            "type": "GOVERNMENT_OF",
            "head": "e6",
            "tail": "e1",
            "evidence": ["m11", "m10"],
        },
        {"id": "r2", "type": "MEMBER_OF", "head": "e9", "tail": "e10", "evidence": ["m14", "m15"]},
        # Evidence that is not [head mention, tail mention]: only the law is in the sentence.
        {"id": "r4", "type": "ISSUED_BY", "head": "e11", "tail": "e12", "evidence": ["m17"]},
    ]
    record["labels"] = {
        "topics": ["politics", "internet", "freedom_of_expression"],
        "countries": ["PK"],
    }


def astral(record: dict[str, Any]) -> None:
    b = Builder(record)
    m = b.mention
    m("m1", "Karachi", "GPE", "NAM", "e1")
    m("m2", "Google", "ORG", "NAM", "e2")
    m("m3", "Karachi", "GPE", "NAM", "e1", nth=2)
    m("m4", "Traders", "PERSON", "NOM", "e3")
    m("m5", "Karachi", "GPE", "NAM", "e1", nth=3)
    m("m6", "Tuesday", "DATE", "NAM", "e4")
    m("m7", "Google", "ORG", "NAM", "e2", nth=2)
    m("m8", "its", "ORG", "PRO", "e2")
    m("m9", "Ahmed Ali", "PERSON", "NAM", "e5")
    m("m10", "Karachi Chamber", "ORG", "NAM", "e6")
    record["entities"] = [
        {"id": "e1", "label": "GPE", "name": "Karachi", "kb": [{"db": "wikidata", "id": "Q8660"}]},
        {"id": "e2", "label": "ORG", "name": "Google"},
        {"id": "e3", "label": "PERSON", "name": "Karachi traders"},
        {"id": "e4", "label": "DATE", "name": "Tuesday"},
        {"id": "e5", "label": "PERSON", "name": "Ahmed Ali"},
        {"id": "e6", "label": "ORG", "name": "Karachi Chamber of Commerce"},
    ]
    record["quotes"] = [
        {
            "id": "q1",
            "type": "indirect",
            "content": [b.span("Google would keep its services")],
            "cue": b.span("said"),
            "source": "m4",
            "speaker": "e3",
        },
    ]
    record["events"] = [
        {
            "id": "ev1",
            "type": "STATEMENT",
            "trigger": b.span("said"),
            "modality": "asserted",
            "arguments": [{"role": "speaker", "mention": "m4"}],
            "time": "m6",
            "cluster": "evc1",
        },
    ]
    record["relations"] = [
        {"id": "r1", "type": "MEMBER_OF", "head": "e5", "tail": "e6", "evidence": ["m9", "m10"]},
        {"id": "r2", "type": "LOCATED_IN", "head": "e6", "tail": "e1", "evidence": ["m10", "m5"]},
    ]
    record["labels"] = {"topics": ["business"], "countries": ["PK"]}


LAYERS = {"001_rules": rules, "002_astral": astral}


def main() -> None:
    for doc_id, content in SEEDS.items():
        seed = ROOT / "seeds" / f"{doc_id}.txt"
        seed.parent.mkdir(parents=True, exist_ok=True)
        seed.write_bytes(content.encode("utf-8"))
        record = draft_record(seed.read_bytes(), f"seeds/{seed.name}", doc_id)
        if doc_id in LAYERS:
            LAYERS[doc_id](record)
            record["annotation"] = {
                "annotators": ["fixture"],
                "guidelines_version": "1.2",
                "status": "gold",
                "notes": None,
            }
        target = ROOT / "corpus" / "records" / f"{doc_id}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dumps(record), encoding="utf-8")


if __name__ == "__main__":
    main()
