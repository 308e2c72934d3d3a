"""A second, independent annotation of harbour_union_boycott, by phrase, made from the seed
and the guidelines without looking at the first (tests/data/articles). It differs where two
annotators plausibly read the guidelines differently: boundaries ("port rules", "$20,000"),
a label ("operators" as ORG), "Workers" in the standfirst as the union, the modality of the
title's talks, a fine that is threatened, a council located in Marlow, and the topics.

Run it on an `add` draft of the seed: `annotate(root)` writes corpus/records/<id>.json.
"""

from pathlib import Path

from newscorpus.curate.phrase import Editor
from newscorpus.curate.phrase import Phrase as P


def annotate(root: Path) -> None:
    with Editor.open("harbour_union_boycott", root) as d:
        union = d.mention("Dock workers' union", "ORG", type="NOM")
        rules = d.mention("port rules", "LAW", type="NOM")
        workers = d.mention(P("Workers", nth=1), "ORG", type="NOM", entity=union)
        rules1 = d.mention(P("the rules", nth=1), "LAW", type="NOM", entity=rules)
        marlow = d.mention("Marlow", "GPE")
        hwu = d.mention("Harbour Workers Union", "ORG", entity=union)
        d.mention(P("HWU", nth=1), "ORG", entity=hwu)
        tue = d.mention("Tuesday", "DATE")
        council = d.mention("the city council", "ORG", type="NOM")
        d.mention("new port safety rules", "LAW", type="NOM", entity=rules)
        hwu2 = d.mention(P("HWU", nth=2), "ORG", entity=hwu)
        okafor = d.mention("Maria Okafor", "PERSON")
        the_council = d.mention("The council", "ORG", type="NOM", entity=council)
        rules2 = d.mention(P("the rules", nth=2), "LAW", type="NOM", entity=rules)
        march3 = d.mention("March 3", "DATE")
        okafor2 = d.mention(P("Okafor", within="Okafor said the union"), "PERSON", entity=okafor)
        the_union = d.mention("the union", "ORG", type="NOM", entity=hwu)
        d.mention("We", "ORG", type="PRO", entity=hwu)
        she = d.mention("she", "PERSON", type="PRO", entity=okafor)
        reyes = d.mention("Tom Reyes", "PERSON")
        hwu3 = d.mention(P("HWU", nth=3), "ORG", entity=hwu)
        he = d.mention("He", "PERSON", type="PRO", entity=reyes)
        operators = d.mention("operators", "ORG", type="NOM")
        d.mention(P("the rules", nth=3), "LAW", type="NOM", entity=rules)
        money = d.mention("$20,000", "MONEY")

        boycott = d.event("BOYCOTT", "boycotts", arguments={"agent": union})
        talks = d.event("CONSULT", P("talks", nth=1), arguments={"topic": rules})
        say = d.event("STATEMENT", "say", arguments={"speaker": workers})
        approved = d.event("APPROVE", P("approved", nth=1), arguments={"object": rules1})
        d.event("CONSULT", "consultation", modality="negated")
        d.event("BOYCOTT", "boycotted", arguments={"agent": hwu}, time=tue, corefer=boycott)
        d.event(
            "CONSULT",
            P("talks", nth=2),
            corefer=talks,
            arguments={"participant": council, "topic": "new port safety rules"},
        )
        said1 = d.event("STATEMENT", P("said", nth=1), arguments={"speaker": okafor})
        d.event(
            "APPROVE",
            P("approved", nth=2),
            arguments={"agent": the_council, "object": rules2},
            time=march3,
            corefer=approved,
        )
        said2 = d.event("STATEMENT", P("said", nth=2), arguments={"speaker": okafor2})
        d.event("CONSULT", "consulted", modality="negated", arguments={"participant": the_union})
        said3 = d.event("STATEMENT", P("said", nth=3), arguments={"speaker": she}, corefer=said2)
        urged = d.event("URGE", "urged", arguments={"agent": reyes, "addressee": hwu3})
        d.event("CONSULT", P("talks", within="the talks."), modality="planned")
        said4 = d.event("STATEMENT", P("said", nth=4), arguments={"speaker": he})
        d.event(
            "FINE", "fine", modality="threatened", arguments={"offender": operators, "money": money}
        )

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
        d.quote("the union had not been consulted", cue=said2, source=okafor2, type="indirect")
        d.quote(
            "We will not sit at a table where the decisions are already made",
            cue=said3,
            source=she,
        )
        d.quote("the HWU to return to the talks", cue=urged, source=reyes, type="indirect")
        d.quote(
            "operators that break the rules would face a fine of up to $20,000",
            cue=said4,
            source=he,
            type="indirect",
        )

        d.relation("CHAIR_OF", okafor, hwu, evidence=[hwu2, okafor])
        d.relation("ISSUED_BY", rules, council, evidence=[the_council, rules2])
        d.relation("LOCATED_IN", council, marlow, evidence=[marlow, council])

        d.labels(topics=["regulation", "economy"], countries=[])
        d.record["source"]["language"] = {
            "value": "en",
            "inferred": True,
            "evidence": "The seed carries no language tag; title, standfirst and body are "
            "written in English.",
        }
        d.record["annotation"].update(
            annotators=["annotator-b"],
            guidelines_version="1.2",
            status="gold",
            notes="Second independent annotation, for adjudication.",
        )
