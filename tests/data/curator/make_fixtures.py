"""Write the gold and draft fixture records of tests/data/curator/root from its seeds.

Offsets are never typed by hand: each span is found in the ingested text by its surface form
(the n-th occurrence after an anchor). Run `python tests/data/curator/make_fixtures.py` after
editing a seed or an annotation below; tests/test_curator.py checks the files are current.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from newscorpus.canonical import canonicalize
from newscorpus.ingest import draft_record
from newscorpus.jsonio import dumps

ROOT = Path(__file__).resolve().parent / "root"


class Builder:
    def __init__(self, doc_id: str, seed_name: str) -> None:
        data = (ROOT / "seeds" / seed_name).read_bytes()
        self.record = draft_record(data, f"seeds/{seed_name}", doc_id)
        self.text: str = self.record["text"]

    def span(self, surface: str, nth: int = 0, after: str | None = None) -> dict[str, Any]:
        """The n-th occurrence of `surface`, counted from the first occurrence of `after`."""
        position = self.text.index(after) if after else 0
        for _ in range(nth + 1):
            start = self.text.index(surface, position)
            position = start + 1
        return {"start": start, "end": start + len(surface), "text": surface}

    def entity(self, label: str, name: str, **kb: str) -> str:
        entity_id = f"e{len(self.record['entities'])}"
        entity: dict[str, Any] = {"id": entity_id, "label": label, "name": name}
        if kb:
            entity["kb"] = [{"db": db, "id": value} for db, value in kb.items()]
        self.record["entities"].append(entity)
        return entity_id

    def mention(
        self, surface: str, mention_type: str, entity: str, nth: int = 0, after: str | None = None
    ) -> str:
        mention_id = f"m{len(self.record['mentions'])}"
        label = next(e["label"] for e in self.record["entities"] if e["id"] == entity)
        self.record["mentions"].append(
            {
                "id": mention_id,
                **self.span(surface, nth, after),
                "label": label,
                "mention_type": mention_type,
                "entity": entity,
            }
        )
        return mention_id

    def quote(
        self, kind: str, content: str, cue: str, source: str, speaker: str, after: str | None = None
    ) -> None:
        content_span = self.span(content, after=after)
        self.record["quotes"].append(
            {
                "id": f"q{len(self.record['quotes'])}",
                "type": kind,
                "content": [content_span],
                "cue": self.span(cue, after=content),
                "source": source,
                "speaker": speaker,
            }
        )

    def event(
        self,
        kind: str,
        trigger: str,
        modality: str,
        cluster: str,
        arguments: list[tuple[str, str]],
        time: str | None = None,
        after: str | None = None,
    ) -> None:
        self.record["events"].append(
            {
                "id": f"ev{len(self.record['events'])}",
                "type": kind,
                "trigger": self.span(trigger, after=after),
                "modality": modality,
                "arguments": [{"role": role, "mention": m} for role, m in arguments],
                "time": time,
                "cluster": cluster,
            }
        )

    def relation(self, kind: str, head: str, tail: str, evidence: list[str]) -> None:
        self.record["relations"].append(
            {
                "id": f"r{len(self.record['relations'])}",
                "type": kind,
                "head": head,
                "tail": tail,
                "evidence": evidence,
            }
        )

    def finish(self, topics: list[str], countries: list[str], status: str = "gold") -> str:
        self.record["labels"] = {"topics": topics, "countries": countries}
        self.record["annotation"] = {
            "annotators": ["fixture-curator"] if status == "gold" else [],
            "guidelines_version": "1.2" if status == "gold" else None,
            "status": status,
            "notes": None,
        }
        return dumps(canonicalize(self.record))  # laid out as every writer lays records out


def rules_delay() -> str:
    b = Builder("rules_delay", "rules_delay.txt")
    ministry = b.entity("ORG", "Ministry of Information Technology")
    pta = b.entity("ORG", "Pakistan Telecommunication Authority")
    bajwa = b.entity("PERSON", "Amir Bajwa")
    groups = b.entity("ORG", "rights groups")
    monday = b.entity("DATE", "Monday")
    islamabad = b.entity("GPE", "Islamabad", wikidata="Q1362")
    rules = b.entity("LAW", "social media rules")
    february = b.entity("DATE", "February 11")
    hundred = b.entity("CARDINAL", "more than 100")
    fine = b.entity("MONEY", "Rs 500 million")
    firms = b.entity("ORG", "firms that break the rules")

    m_ministry_title = b.mention("Ministry", "NOM", ministry)
    m_rules_title = b.mention("social media rules", "NOM", rules)
    b.mention("Rights groups", "NOM", groups)
    b.mention("Monday", "NAM", monday)
    b.mention("Islamabad", "NAM", islamabad)
    m_ministry = b.mention("Ministry of Information Technology", "NAM", ministry)
    m_monday = b.mention("Monday", "NAM", monday, after="Technology")
    b.mention("it", "PRO", ministry, after="Monday it")
    m_rules = b.mention("the social media rules", "NOM", rules)
    b.mention("February 11", "NAM", february)
    b.mention("more than 100", "NAM", hundred)
    m_groups = b.mention("rights groups", "NOM", groups, after="100")
    m_we = b.mention("We", "PRO", pta)
    b.mention("the rules", "NOM", rules, after="before")
    m_bajwa = b.mention("Amir Bajwa", "NAM", bajwa)
    m_pta_name = b.mention("Pakistan Telecommunication Authority", "NAM", pta)
    b.mention("PTA", "NAM", pta)
    m_firms = b.mention("Firms", "NOM", firms)
    b.mention("the rules", "NOM", rules, after="Firms")
    m_money = b.mention("Rs 500 million", "NAM", fine)
    m_pta_last = b.mention("PTA", "NAM", pta, after="million")

    b.quote(
        "direct", "We will consult everyone before the rules take effect,", "said", m_bajwa, bajwa
    )
    b.quote(
        "indirect",
        "Firms that break the rules could face a fine of Rs 500 million",
        "said",
        m_pta_last,
        pta,
    )
    b.event(
        "WITHDRAW",
        "delays",
        "asserted",
        "evc0",
        [("agent", m_ministry_title), ("object", m_rules_title)],
    )
    b.event(
        "STATEMENT",
        "said",
        "asserted",
        "evc1",
        [("speaker", m_ministry)],
        time=m_monday,
        after="Technology",
    )
    b.event(
        "WITHDRAW",
        "delay",
        "planned",
        "evc0",
        [("agent", m_ministry), ("object", m_rules)],
        time=m_monday,
        after="would",
    )
    b.event("OBJECT", "objected", "asserted", "evc2", [("agent", m_groups)])
    b.event("CONSULT", "consult", "planned", "evc3", [("participant", m_we)])
    b.event(
        "FINE",
        "fine",
        "hypothetical",
        "evc4",
        [("offender", m_firms), ("money", m_money)],
        after="face",
    )
    b.relation("CHAIR_OF", bajwa, pta, [m_bajwa, m_pta_name])
    return b.finish(["regulation", "internet"], ["PK"])


def coalition_letter() -> str:
    b = Builder("coalition_letter", "coalition_letter.txt")
    coalition = b.entity("ORG", "Asia Internet Coalition")
    khan = b.entity("PERSON", "Imran Khan")
    islamabad = b.entity("GPE", "Islamabad", wikidata="Q1362")
    february = b.entity("DATE", "February 15")
    pakistan = b.entity("GPE", "Pakistan", wikidata="Q843")
    rules = b.entity("LAW", "the rules")
    google = b.entity("ORG", "Google")
    facebook = b.entity("ORG", "Facebook")

    m_coalition_title = b.mention("Coalition", "NOM", coalition)
    m_khan_title = b.mention("Khan", "NAM", khan)
    b.mention("Islamabad", "NAM", islamabad)
    m_coalition = b.mention("Asia Internet Coalition", "NAM", coalition)
    m_aic = b.mention("AIC", "NAM", coalition)
    m_khan = b.mention("Imran Khan", "NAM", khan)
    m_date = b.mention("February 15", "NAM", february)
    m_pakistan = b.mention("Pakistan", "NAM", pakistan)
    m_rules = b.mention("the rules", "NOM", rules)
    m_google = b.mention("Google", "NAM", google)
    m_facebook = b.mention("Facebook", "NAM", facebook)
    m_members = b.mention("the coalition", "NOM", coalition)

    b.event(
        "WRITE",
        "writes",
        "asserted",
        "evc0",
        [("agent", m_coalition_title), ("recipient", m_khan_title)],
    )
    b.event(
        "WRITE",
        "wrote",
        "asserted",
        "evc0",
        [("agent", m_coalition), ("recipient", m_khan)],
        time=m_date,
    )
    b.event(
        "URGE",
        "urging",
        "asserted",
        "evc1",
        [("agent", m_aic), ("addressee", m_pakistan), ("object", m_rules)],
    )
    b.relation("MEMBER_OF", google, coalition, [m_google, m_members])
    b.relation("MEMBER_OF", facebook, coalition, [m_facebook, m_members])
    return b.finish(["internet", "diplomacy"], ["PK"])


def draft_note() -> str:
    """A draft: its names must not feed the suggestion inventory."""
    b = Builder("draft_note", "draft_note.txt")
    dawn = b.entity("ORG", "Dawn")
    b.mention("Dawn", "NAM", dawn)
    b.mention("Dawn", "NAM", dawn, nth=1)
    return b.finish([], [], status="draft")


FIXTURES = {
    "rules_delay": rules_delay,
    "coalition_letter": coalition_letter,
    "draft_note": draft_note,
}


def expected() -> dict[Path, str]:
    return {
        ROOT / "corpus" / "records" / f"{name}.json": build() for name, build in FIXTURES.items()
    }


if __name__ == "__main__":
    for path, content in expected().items():
        path.write_text(content, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT.parent)}", file=sys.stderr)
