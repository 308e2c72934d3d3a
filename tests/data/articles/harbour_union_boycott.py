"""Gold annotation of harbour_union_boycott, by phrase."""

from pathlib import Path

from newscorpus.curate.phrase import Editor
from newscorpus.curate.phrase import Phrase as P


def annotate(root: Path) -> None:
    """Annotate the `add` draft under `root` to the gold record of tests/data/articles."""
    with Editor.open("harbour_union_boycott", root) as d:
        # title
        union_t = d.mention("Dock workers' union", "ORG", type="NOM")
        rules_t = d.mention("new port rules", "LAW", type="NOM")
        # standfirst
        workers = d.mention(P("Workers", nth=1), "PERSON", type="NOM")
        d.mention(P("the rules", nth=1), "LAW", type="NOM", entity=rules_t)
        # paragraph 1
        d.mention("Marlow", "GPE")
        hwu = d.mention("Harbour Workers Union", "ORG", entity=union_t)
        d.mention(P("HWU", nth=1), "ORG", entity=hwu)
        tue = d.mention("Tuesday", "DATE")
        council = d.mention("the city council", "ORG", type="NOM")
        d.mention("new port safety rules", "LAW", type="NOM", entity=rules_t)
        hwu2 = d.mention(P("HWU", nth=2), "ORG", entity=hwu)
        okafor = d.mention("Maria Okafor", "PERSON")
        # paragraph 2
        d.mention("The council", "ORG", type="NOM", entity=council)
        d.mention(P("the rules", nth=2), "LAW", type="NOM", entity=rules_t)
        march3 = d.mention("March 3", "DATE")
        d.mention(P("Okafor", within="Okafor said the union"), "PERSON", entity=okafor)
        d.mention("the union", "ORG", type="NOM", entity=hwu)
        d.mention("We", "ORG", type="PRO", entity=hwu)
        d.mention("she", "PERSON", type="PRO", entity=okafor)
        # paragraph 3
        reyes = d.mention("Tom Reyes", "PERSON")
        d.mention(P("HWU", nth=3), "ORG", entity=hwu)
        d.mention("He", "PERSON", type="PRO", entity=reyes)
        operators = d.mention("operators", "PERSON", type="NOM")
        d.mention(P("the rules", nth=3), "LAW", type="NOM", entity=rules_t)
        money = d.mention("up to $20,000", "MONEY")

        # events, in reading order
        d.event("BOYCOTT", "boycotts", arguments={"agent": union_t})
        talks = d.event(
            "CONSULT", P("talks", nth=1), modality="planned", arguments={"topic": "new port rules"}
        )
        say = d.event("STATEMENT", "say", arguments={"speaker": workers})
        approved = d.event(
            "APPROVE", P("approved", nth=1), arguments={"object": P("the rules", nth=1)}
        )
        d.event("CONSULT", "consultation", modality="negated")
        d.event("BOYCOTT", "boycotted", arguments={"agent": hwu}, time=tue, corefer="ev1")
        d.event(
            "CONSULT",
            P("talks", nth=2),
            modality="planned",
            corefer=talks,
            arguments={"participant": council, "topic": "new port safety rules"},
        )
        said1 = d.event("STATEMENT", P("said", nth=1), arguments={"speaker": okafor})
        d.event(
            "APPROVE",
            P("approved", nth=2),
            arguments={"agent": "The council", "object": P("the rules", nth=2)},
            time=march3,
            corefer=approved,
        )
        said2 = d.event(
            "STATEMENT",
            P("said", nth=2),
            arguments={"speaker": P("Okafor", within="Okafor said the union")},
            corefer=said1,
        )
        d.event("CONSULT", "consulted", modality="negated", arguments={"participant": "the union"})
        said3 = d.event("STATEMENT", P("said", nth=3), arguments={"speaker": "she"}, corefer=said1)
        urged = d.event("URGE", "urged", arguments={"agent": reyes, "addressee": P("HWU", nth=3)})
        d.event("CONSULT", P("talks", within="the talks."), modality="planned", corefer=talks)
        said4 = d.event("STATEMENT", P("said", nth=4), arguments={"speaker": "He"})
        d.event(
            "FINE",
            "fine",
            modality="hypothetical",
            arguments={"offender": operators, "money": money},
        )

        # quotes
        d.quote(
            "the rules were approved without consultation", cue=say, source=workers, type="indirect"
        )
        d.quote(
            "The Harbour Workers Union (HWU) on Tuesday boycotted talks with the city council "
            "over new port safety rules",
            cue=said1,
            source=okafor,
            type="indirect",
        )
        d.quote(
            "the union had not been consulted",
            cue=said2,
            source=P("Okafor", within="Okafor said the union"),
            type="indirect",
        )
        d.quote(
            "We will not sit at a table where the decisions are already made",
            cue=said3,
            source="she",
        )
        d.quote("the HWU to return to the talks", cue=urged, source=reyes, type="indirect")
        d.quote(
            "operators that break the rules would face a fine of up to $20,000",
            cue=said4,
            source="He",
            type="indirect",
        )

        # relations
        d.relation("CHAIR_OF", okafor, hwu, evidence=[hwu2, okafor])
        d.relation("ISSUED_BY", rules_t, council, evidence=["The council", P("the rules", nth=2)])

        d.labels(topics=["regulation", "politics"], countries=[])
        d.record["source"]["language"] = {
            "value": "en",
            "inferred": True,
            "evidence": "The seed carries no language tag; title, standfirst and body are "
            "written in English.",
        }
        a = d.record["annotation"]
        a.update(
            annotators=["newscorpus-curators"],
            guidelines_version="1.2",
            status="gold",
            notes=(
                "Guidelines 1.2 (revised from 1.1; no rule of 1.2 changes it). "
                "A constructed article written for the project's tests "
                '(its places, people and organisations are invented). Mentions: "Dock '
                'workers\' union" in the title and "the union" are the Harbour Workers '
                'Union (5.1); "Workers" in the standfirst is its own PERSON entity, the '
                'source of "say" (4.2 step 2); "operators" is generic and annotated only '
                'as the offender of the fine (4.3); "We" in the direct quote passes the '
                "substitution test for the union (4.4). Events: the talks in the title, "
                'the body and "the talks" Reyes urged a return to are one offered '
                'process, planned (7.3, 7.4); "without consultation" and "had not been '
                "consulted\" are negated and each its own cluster (7.3 step 1); Okafor's "
                'three "said" share their speaker and one cluster (7.3 step 3); the URGE '
                'keeps agent and addressee, "return" has no type (7.2, 7.5). Relations: '
                "every relation is stated in one phrase."
            ),
        )
