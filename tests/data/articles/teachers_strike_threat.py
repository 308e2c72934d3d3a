"""Gold annotation of teachers_strike_threat, by phrase."""

from pathlib import Path

from newscorpus.curate.phrase import Editor
from newscorpus.curate.phrase import Phrase as P

NOTES = (
    "Guidelines 1.2 (revised from 1.1). "
    "A constructed article written for the project's tests (its places, "
    'people and organisations are invented). Mentions: "Teachers\' union", "the union", '
    '"the federation", "We" and "us" are the Eastvale Teachers Federation (5.1); '
    '"Ministry" in the standfirst and every "the ministry" are the education ministry, a '
    'kind noun and so NOM (3.3); "a statement" is only the medium of the union\'s words and '
    'is not annotated (3.4); "reporters" is annotated as the addressee of "told" (4.2 '
    "step 2). Quotes: the threat has one source and is a quote nested in what the union said "
    "(6.4, 6.5); the direct quote is split in two parts around its cue (6.2). Events: the "
    'threatened strike, "raise" and "published" have no type in the inventory (7.2); '
    '"promises" in "nothing but promises" is a PROMISE event (6.4, 7.1; new in 1.2), asserted, '
    'with the ministry (the subject of "given") as agent and "us" as addressee; it names no '
    "particular promise and is a cluster of its own (7.3 step 1), and no quote, since it "
    "reports no content promised; the THREATEN and the BOYCOTT keep their agents only, their "
    "objects are event phrases (7.5); both THREATEN triggers and both ANNOUNCE triggers are one "
    "happening each, "
    "and Mwangi's two statements share their speaker and one cluster (7.3 step 3); the offered "
    "talks are planned (7.4). Relations: every relation is stated in one phrase."
)


def annotate(root: Path) -> None:
    """Annotate the `add` draft under `root` to the gold record of tests/data/articles."""
    with Editor.open("teachers_strike_threat", root) as d:
        # title and standfirst
        etf = d.mention("Teachers' union", "ORG", type="NOM")
        ministry = d.mention("Ministry", "ORG", type="NOM")
        d.mention(P("it", within="says it will"), "ORG", type="PRO", entity=ministry)
        thursday = d.mention(P("Thursday", nth=1), "DATE")
        # paragraph 1
        d.mention(P("Eastvale", nth=1), "GPE")
        etf_name = d.mention("Eastvale Teachers Federation", "ORG", entity=etf)
        d.mention(P("ETF", nth=1), "ORG", entity=etf)
        monday = d.mention("Monday", "DATE")
        d.mention("next month", "DATE")
        d.mention("the education ministry", "ORG", type="NOM", entity=ministry)
        union1 = d.mention(P("the union", nth=1), "ORG", type="NOM", entity=etf)
        # paragraph 2
        d.mention("We", "ORG", type="PRO", entity=etf)
        d.mention("three years", "DATE")
        etf2 = d.mention(P("ETF", nth=2), "ORG", entity=etf)
        mwangi = d.mention("Daniel Mwangi", "PERSON")
        d.mention("The ministry", "ORG", type="NOM", entity=ministry)
        d.mention("us", "ORG", type="PRO", entity=etf)
        # paragraph 3
        alvarez = d.mention("Ruth Alvarez", "PERSON")
        d.mention("the federation", "ORG", type="NOM", entity=etf)
        d.mention("She", "PERSON", type="PRO", entity=alvarez)
        ministry4 = d.mention(P("the ministry", within="the ministry would"), "ORG", type="NOM")
        d.change_mention(ministry4, entity=ministry)
        d.mention(P("Thursday", nth=2), "DATE", entity=thursday)
        # paragraph 4
        d.mention(P("Mwangi", within="Mwangi told"), "PERSON", entity=mwangi)
        d.mention("reporters", "PERSON", type="NOM")
        union2 = d.mention(P("the union", nth=2), "ORG", type="NOM", entity=etf)

        # events
        threat = d.event("THREATEN", "threatens", arguments={"agent": etf})
        says = d.event("STATEMENT", "says", arguments={"speaker": ministry})
        announce = d.event(
            "ANNOUNCE",
            P("announce", nth=1),
            modality="planned",
            arguments={"agent": P("it", within="says it will")},
            time=thursday,
        )
        d.event(
            "THREATEN", "threatened", arguments={"agent": etf_name}, time=monday, corefer=threat
        )
        said1 = d.event("STATEMENT", P("said", nth=1), arguments={"speaker": union1})
        said2 = d.event("STATEMENT", P("said", nth=2), arguments={"speaker": mwangi})
        d.event("PROMISE", "promises", arguments={"agent": "The ministry", "addressee": "us"})
        urged = d.event(
            "URGE", "urged", arguments={"agent": alvarez, "addressee": "the federation"}
        )
        talks = d.event("CONSULT", P("talks", nth=1), modality="planned")
        said3 = d.event("STATEMENT", P("said", nth=3), arguments={"speaker": "She"})
        d.event(
            "ANNOUNCE",
            P("announce", nth=2),
            modality="planned",
            arguments={"agent": ministry4},
            time=P("Thursday", nth=2),
            corefer=announce,
        )
        told = d.event(
            "STATEMENT",
            "told",
            arguments={"speaker": P("Mwangi", within="Mwangi told"), "addressee": "reporters"},
            corefer=said2,
        )
        d.event("BOYCOTT", "boycott", modality="planned", arguments={"agent": union2})
        d.event("CONSULT", P("talks", nth=2), modality="planned", corefer=talks)

        # quotes
        d.quote("strike over pay", cue=threat, source=etf, type="indirect")
        d.quote(
            "it will announce a new offer on Thursday", cue=says, source=ministry, type="indirect"
        )
        d.quote(
            "The Eastvale Teachers Federation (ETF) on Monday threatened to strike from next month "
            "if the education ministry does not raise salaries",
            cue=said1,
            source=union1,
            type="indirect",
        )
        d.quote(
            "to strike from next month if the education ministry does not raise salaries",
            cue="threatened",
            source=etf_name,
            type="indirect",
        )
        d.quote(
            [
                "We have waited three years for a fair offer",
                "The ministry has given us nothing but promises",
            ],
            cue=said2,
            source=mwangi,
        )
        d.quote("the federation to return to talks", cue=urged, source=alvarez, type="indirect")
        d.quote(
            "the ministry would announce a new pay offer on Thursday",
            cue=said3,
            source="She",
            type="indirect",
        )
        d.quote(
            "the union would boycott the talks until the offer was published",
            cue=told,
            source=P("Mwangi", within="Mwangi told"),
            type="indirect",
        )

        # relations
        d.relation("CHAIR_OF", mwangi, etf, evidence=[etf2, mwangi])

        d.labels(topics=["education", "politics"], countries=[])
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
            notes=NOTES,
        )
