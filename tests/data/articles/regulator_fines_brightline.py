"""Gold annotation of regulator_fines_brightline, by phrase."""

from pathlib import Path

from newscorpus.curate.phrase import Editor
from newscorpus.curate.phrase import Phrase as P


def annotate(root: Path) -> None:
    """Annotate the `add` draft under `root` to the gold record of tests/data/articles."""
    with Editor.open("regulator_fines_brightline", root) as d:
        # title
        regulator_t = d.mention("Regulator", "ORG", type="NOM")
        company_t = d.mention("phone company", "ORG", type="NOM")
        # standfirst
        bl1 = d.mention(P("Brightline", nth=1), "ORG", entity=company_t)
        d.mention("40,000", "CARDINAL")
        # paragraph 1
        d.mention("Dunmore", "GPE")
        nca = d.mention("National Communications Authority", "ORG", entity=regulator_t)
        d.mention(P("NCA", nth=1), "ORG", entity=nca)
        d.mention("Brightline Telecom", "ORG", entity=company_t)
        money = d.mention("2 million euros", "MONEY")
        d.mention("the regulator", "ORG", type="NOM", entity=nca)
        friday = d.mention("Friday", "DATE")
        # paragraph 2
        bl3 = d.mention(P("Brightline", within="Brightline, which"), "ORG", entity=company_t)
        moa = d.mention("Mobile Operators Association", "ORG")
        d.mention("We", "ORG", type="PRO", entity=company_t)
        bl4 = d.mention(P("Brightline", within="Brightline chief"), "ORG", entity=company_t)
        lind = d.mention("Sara Lind", "PERSON")
        # paragraph 3
        d.mention("the association", "ORG", type="NOM", entity=moa)
        nca3 = d.mention(P("NCA", nth=2), "ORG", entity=nca)
        d.mention("It", "ORG", type="PRO", entity=moa)

        # events
        fines = d.event("FINE", "fines", arguments={"agent": regulator_t, "offender": company_t})
        d.event("DISCLOSE", "disclose", modality="required", arguments={"agent": bl1})
        d.event(
            "FINE",
            "fined",
            corefer=fines,
            arguments={
                "agent": "National Communications Authority",
                "offender": "Brightline Telecom",
                "money": money,
            },
        )
        announced = d.event(
            "ANNOUNCE", "announced", time=friday, arguments={"agent": "the regulator"}
        )
        objected = d.event("OBJECT", "objected", arguments={"agent": bl3})
        d.event("FINE", P("fine", within="the fine."), corefer=fines)
        said1 = d.event("STATEMENT", P("said", nth=1), arguments={"speaker": lind})
        demanded = d.event("DEMAND", "demanded", arguments={"agent": "the association"})
        d.event("WITHDRAW", "withdraw", modality="demanded", arguments={"agent": nca3})
        d.event("FINE", "penalty", corefer=fines)
        said2 = d.event("STATEMENT", P("said", nth=2), arguments={"speaker": "It"})

        # quotes
        d.quote(
            "The National Communications Authority (NCA) has fined Brightline Telecom "
            "2 million euros "
            "over a breach of customer data",
            cue=announced,
            source="the regulator",
            type="indirect",
        )
        d.quote("to the fine", cue=objected, source=bl3, type="indirect")
        d.quote(
            "We co-operated fully with the investigation and will appeal", cue=said1, source=lind
        )
        d.quote(
            "the NCA withdraw the penalty", cue=demanded, source="the association", type="indirect"
        )
        d.quote("the decision would hurt investment", cue=said2, source="It", type="indirect")

        # relations
        d.relation("MEMBER_OF", company_t, moa, evidence=[bl3, moa])
        d.relation("CHAIR_OF", lind, company_t, evidence=[bl4, lind])

        d.labels(topics=["regulation", "privacy", "business", "technology"], countries=[])
        d.record["source"]["language"] = {
            "value": "en",
            "inferred": True,
            "evidence": "The seed carries no language tag; title, standfirst and body are "
            "written in English.",
        }
        d.record["annotation"].update(
            annotators=["newscorpus-curators"],
            guidelines_version="1.2",
            status="gold",
            notes=(
                "Guidelines 1.2 (revised from 1.1; no rule of 1.2 changes it). "
                "A constructed article written for the project's tests "
                "(its places, people and organisations are invented). Mentions: "
                '"Regulator" and "phone company" in the title are NOMs of the authority '
                'and of Brightline Telecom (5.1); "a statement" is only the medium of the '
                'association\'s demand and is not annotated (3.4); "the investigation" and '
                '"the decision" are not entities. Events: "fines", "fined", "the fine" '
                'and "the penalty" are one happening (7.3 step 3); the DEMAND keeps its '
                "agent, the demanded WITHDRAW takes the NCA as agent and no object, since "
                '"the penalty" is an event phrase (7.5); "disclose" is required ("must", '
                '7.4); "breach", "appeal" and "hurt" have no type. Relations: every '
                'relation is stated in one phrase ("which belongs to", "Brightline chief '
                'executive").'
            ),
        )
