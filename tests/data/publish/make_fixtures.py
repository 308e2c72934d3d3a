"""Regenerate the fixture corpus under tests/data/publish/root/ (run from the repo root).

Three invented articles: two gold (train and test) and one draft (validation). Records come
from newscorpus.ingest.draft_record; every annotation's offsets are computed from its surface
text here, never typed by hand. tests/test_publish.py checks that the committed files are
exactly what this script writes.

    python tests/data/publish/make_fixtures.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from newscorpus.ingest import draft_record
from newscorpus.jsonio import dumps

ROOT = Path(__file__).resolve().parent / "root"

SEEDS = {
    "fixture_000": (
        "Harbour council approves new ferry rules\n\n"
        "Operators have threatened to suspend services over rules approved on Tuesday\n\n"
        "Portmere: The Portmere Harbour Council approved new safety rules for ferry operators "
        "on Tuesday, its chair Maria Okafor said.\n\n"
        "\u201cThese rules protect every passenger,\u201d Okafor told reporters, \u201cand "
        "they will be enforced.\u201d\n\n"
        "Blue Line Ferries, which is based in Portmere, said it may suspend its services.\n"
    ),
    "fixture_017": (
        "Rights group urges review of data law\n\n"
        "Lisbon: The Open Data Alliance urged the Portuguese government on Monday to review "
        "the Data Access Act.\n\n"
        "The law is too broad, the group said.\n"
    ),
    "fixture_010": (
        "Museum reopens after repairs\n\nTallinn: The Maritime Museum reopened on Friday.\n"
    ),
}


class Annotator:
    """Adds annotations to a record, finding each span's offsets from its text."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.text: str = record["text"]

    def span(self, surface: str, occurrence: int = 1, after: str | None = None) -> dict[str, Any]:
        start = self.text.index(after) if after else 0
        for _ in range(occurrence):
            start = self.text.index(surface, start) + 1
        start -= 1
        return {"start": start, "end": start + len(surface), "text": surface}

    def entity(self, label: str, name: str, kb: list[dict[str, str]] | None = None) -> str:
        entity_id = f"e{len(self.record['entities'])}"
        entity: dict[str, Any] = {"id": entity_id, "label": label, "name": name}
        if kb is not None:
            entity["kb"] = kb
        self.record["entities"].append(entity)
        return entity_id

    def mention(
        self,
        entity: str,
        surface: str,
        mention_type: str = "NAM",
        occurrence: int = 1,
        after: str | None = None,
    ) -> str:
        label = next(e["label"] for e in self.record["entities"] if e["id"] == entity)
        mention_id = f"m{len(self.record['mentions'])}"
        self.record["mentions"].append(
            {
                "id": mention_id,
                **self.span(surface, occurrence, after),
                "label": label,
                "mention_type": mention_type,
                "entity": entity,
            }
        )
        return mention_id


def fixture_000() -> dict[str, Any]:
    record = draft_record(SEEDS["fixture_000"].encode(), "seeds/fixture_000.txt", "fixture_000")
    a = Annotator(record)
    council = a.entity("ORG", "Portmere Harbour Council", kb=[{"db": "wikidata", "id": "Q0"}])
    portmere = a.entity("GPE", "Portmere", kb=[])
    okafor = a.entity("PERSON", "Maria Okafor")
    ferries = a.entity("ORG", "Blue Line Ferries")
    tuesday = a.entity("DATE", "Tuesday")
    rules = a.entity("LAW", "the ferry safety rules")
    m_portmere = a.mention(portmere, "Portmere")
    m_council = a.mention(council, "Portmere Harbour Council")
    m_tuesday = a.mention(tuesday, "Tuesday", occurrence=2)
    a.mention(tuesday, "Tuesday")
    m_its = a.mention(council, "its", "PRO", after="Tuesday,")
    m_okafor = a.mention(okafor, "Maria Okafor")
    m_okafor2 = a.mention(okafor, "Okafor", after="\u201d Okafor")
    m_rules = a.mention(rules, "new safety rules", "NOM")
    m_ferries = a.mention(ferries, "Blue Line Ferries")
    a.mention(portmere, "Portmere", after="based in")
    m_it = a.mention(ferries, "it", "PRO", after="Portmere, said")
    record["quotes"] = [
        {
            "id": "q0",
            "type": "direct",
            "content": [
                a.span("These rules protect every passenger,"),
                a.span("and they will be enforced."),
            ],
            "cue": a.span("told"),
            "source": m_okafor2,
            "speaker": okafor,
        },
        {
            "id": "q1",
            "type": "indirect",
            "content": [a.span("it may suspend its services")],
            "cue": None,
            "source": None,
            "speaker": None,
        },
    ]
    record["events"] = [
        {
            "id": "ev0",
            "type": "APPROVE",
            "trigger": a.span("approved", after="Council"),
            "modality": "asserted",
            "arguments": [
                {"role": "agent", "mention": m_council},
                {"role": "object", "mention": m_rules},
            ],
            "time": m_tuesday,
            "cluster": "evc0",
        },
        {
            "id": "ev1",
            "type": "SUSPEND_SERVICE",
            "trigger": a.span("suspend", occurrence=2),
            "modality": "hypothetical",
            "arguments": [{"role": "agent", "mention": m_it}],
            "time": None,
            "cluster": "evc1",
        },
    ]
    record["relations"] = [
        {
            "id": "r0",
            "type": "CHAIR_OF",
            "head": okafor,
            "tail": council,
            "evidence": [m_okafor, m_its],
        },
        {
            "id": "r1",
            "type": "LOCATED_IN",
            "head": ferries,
            "tail": portmere,
            "evidence": [m_ferries],
        },
        {
            "id": "r2",
            "type": "LOCATED_IN",
            "head": council,
            "tail": portmere,
            "evidence": [m_portmere, m_council],
        },
    ]
    record["labels"] = {"topics": ["regulation", "business"], "countries": []}
    record["annotation"] = {
        "annotators": ["fixture-annotator"],
        "guidelines_version": "1.2",
        "status": "gold",
        "notes": "An invented article for tests.",
    }
    return record


def fixture_017() -> dict[str, Any]:
    record = draft_record(SEEDS["fixture_017"].encode(), "seeds/fixture_017.txt", "fixture_017")
    a = Annotator(record)
    alliance = a.entity("ORG", "Open Data Alliance")
    portuguese = a.entity("NORP", "Portuguese")
    government = a.entity("ORG", "government of Portugal")
    act = a.entity("LAW", "Data Access Act")
    monday = a.entity("DATE", "Monday")
    m_alliance = a.mention(alliance, "Open Data Alliance")
    a.mention(portuguese, "Portuguese")
    m_government = a.mention(government, "the Portuguese government", "NOM")
    m_monday = a.mention(monday, "Monday")
    m_act = a.mention(act, "Data Access Act")
    a.mention(act, "The law", "NOM")
    m_group = a.mention(alliance, "the group", "NOM")
    record["quotes"] = [
        {
            "id": "q0",
            "type": "indirect",
            "content": [a.span("The law is too broad")],
            "cue": a.span("said", after="the group"),
            "source": m_group,
            "speaker": alliance,
        }
    ]
    record["events"] = [
        {
            "id": "ev0",
            "type": "URGE",
            "trigger": a.span("urged"),
            "modality": "asserted",
            "arguments": [
                {"role": "agent", "mention": m_alliance},
                {"role": "addressee", "mention": m_government},
                {"role": "object", "mention": m_act},
            ],
            "time": m_monday,
            "cluster": "evc0",
        }
    ]
    record["labels"] = {"topics": ["privacy"], "countries": ["PT"]}
    record["annotation"] = {
        "annotators": ["fixture-annotator"],
        "guidelines_version": "1.2",
        "status": "gold",
        "notes": None,
    }
    return record


def fixture_010() -> dict[str, Any]:
    record = draft_record(SEEDS["fixture_010"].encode(), "seeds/fixture_010.txt", "fixture_010")
    a = Annotator(record)
    museum = a.entity("FAC", "Maritime Museum")
    a.mention(museum, "Maritime Museum")
    return record  # stays a draft


RECORDS = {"fixture_000": fixture_000, "fixture_017": fixture_017, "fixture_010": fixture_010}

DATASHEET = """# Datasheet (fixture)

Hand-written prose stays as it is; the blocks below are generated.

<!-- metadata:start -->
<!-- metadata:end -->

<!-- stats:start -->
<!-- stats:end -->
"""


def expected_files() -> dict[str, bytes]:
    """Every fixture file, by path relative to the fixture root."""
    files = {f"seeds/{name}.txt": text.encode() for name, text in SEEDS.items()}
    for name, make in RECORDS.items():
        files[f"corpus/records/{name}.json"] = dumps(make()).encode()
    files["DATASHEET.md"] = DATASHEET.encode()
    return files


def main() -> int:
    for relative, data in expected_files().items():
        path = ROOT / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
