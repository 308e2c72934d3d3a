"""Gold annotation of press_sit_in by annotator a, by phrase (guidelines 1.2)."""

from pathlib import Path

from newscorpus.curate.phrase import Editor
from newscorpus.curate.phrase import Phrase as P

NOTES = (
    "Guidelines 1.2. A constructed article (its places, people and organisations are "
    "invented). "
    'Mentions: "Capital City" (the dateline) is a GPE NAM; "Hundreds" is a CARDINAL nested in '
    'the NOM "Hundreds of journalists", whose of-phrase is inside after a quantity noun (2.4, '
    '2.8); "Parliament House" is a FAC NAM (3.6); "Press Council" carries more than the kind '
    'noun and is an ORG NAM (3.3 step 2), while "the Senate" is a kind noun for an upper house '
    "that many polities have and is an ORG NOM (3.3 step 1, undecided case); the headline's "
    'bare plural "Journalists" and bare "media authority bill" are taken as the headline forms '
    "of the specific journalists of the sit-in and of the bill, and merged with them (4.3, "
    '5.1, undecided case); "the law" in the standfirst and "this law" in the quote are the '
    'bill (5.1); "the union" and "We" in Qadri\'s quote are the NUJ, whose president she is '
    '(4.4, undecided between the union and the journalists); "his party" is kept apart from '
    '"the opposition" (5.1); "Opposition" in "Opposition leader" and "Information" in '
    '"Information Minister" are parts of titles and kind words, not mentions (4.1, 4.5). Not '
    "annotated, since they fill no role of an inventory event, quote or relation and corefer "
    'with no annotated entity (4.2, 4.3): "the opposition" (agent of "allow", which has no '
    'type), "every city", "citizens", "fake news", "the media". '
    'Quotes: "pledge", "vowed", "assured" and "promised" each have one source and are quotes '
    'and PROMISE events (6.4); the complementizer "that" after "assured" and "promised" is '
    'outside the content (6.2); "on the call of the National Union of Journalists (NUJ) and '
    'the Press Council" is a speech-act frame with two sources: URGE on the noun "call", both '
    "bodies as agents, no quote (6.5); the sit-in and the protesting are acts, not speech, and "
    "have no quote (6.4). "
    'Events: "sit-in" in the title ("stage sit-in against ...") and in the body ("staged a '
    'sit-in") name the act of protesting, not an occasion or place, and with "protesting '
    'against" are OBJECT events of one cluster (7.2, 7.3 step 3; "stage"/"staged" are light '
    'verbs); "the protest" in "Addressing the protest" names the gathering as an occasion and '
    'is no trigger, and "Addressing" is no event (7.2); "resist this law" is taken as an '
    "OBJECT event (opposing a law; undecided case), planned, since it is the promised act "
    '(6.4, 7.4); "pass", "passage" and "legislate" (passing a law, 7.3) are APPROVE events, '
    'each hypothetical as an act governed by a verb of prevention ("not let", "block", "not '
    'allow", 7.4), and one cluster: "pass" and "passage" share the object the bill, "pass" '
    'and "legislate" the agent the government (7.3 step 3); "block", "let", "allow", '
    '"protect" and "proposed" have no inventory type (7.2); "in the Senate" attaches to the '
    'nearer head "passage" and is its place (7.5). The standfirst\'s PROMISE ("Opposition '
    "leaders\") and Haddad's are separate clusters, since their agents differ (7.3 step 2); "
    'Haddad\'s "assured" and "promised" share their agent and one cluster (7.3 step 3); '
    "Qadri's and Farouk's statements differ in speaker and are separate. Time (7.6): the "
    'sit-in and "protesting" are dated "Wednesday"; Qadri\'s "said" is dated "Wednesday" too, '
    'as its occasion, "the protest", is the sit-in staged on Wednesday (undecided case: the '
    'date stands in the sentence before); "vowed" is not linked to the occasion and has no '
    "time. "
    'Relations: Sara Qadri CHAIR_OF NUJ ("NUJ president Sara Qadri") and Omar Haddad '
    'MEMBER_OF his party ("his party", a party is an organisation in its own right, 8.3 step '
    '2) are stated. No CHAIR_OF from "Opposition leader": "Opposition" is no mention, and the '
    'standfirst\'s "Opposition leaders" leaves the reading "one of the leaders" open (8.2); no '
    "relation links Lina Farouk to the government, since no phrase links them and a minister's "
    "title alone is outside knowledge (8.2); no LOCATED_IN from the dateline. Relations read "
    "off context (8.2): none; every relation is stated in one phrase. "
    "Labels: politics, regulation, freedom_of_expression, media; human_rights is not chosen, "
    "as no rights organisation or civil liberty beyond press freedom is at issue (9); no "
    "country is named (9). Source: no year is named, so published_date stays null (10)."
)


def annotate(root: Path) -> None:
    """Annotate the `add` draft of press_sit_in under `root` to a gold record."""
    with Editor.open("press_sit_in", root) as d:
        # title
        journalists = d.mention(P("Journalists", within="Journalists stage"), "PERSON", type="NOM")
        bill = d.mention(P("media authority bill", nth=1), "LAW", type="NOM")
        # standfirst
        leaders = d.mention("Opposition leaders", "PERSON", type="NOM")
        d.mention(P("the law", nth=1), "LAW", type="NOM", entity=bill)
        senate = d.mention(P("the Senate", nth=1), "ORG", type="NOM")
        # paragraph 1
        d.mention("Capital City", "GPE")
        hundreds = d.mention("Hundreds of journalists", "PERSON", type="NOM", entity=journalists)
        d.mention("Hundreds", "CARDINAL")
        d.mention("Parliament House", "FAC")
        wednesday = d.mention("Wednesday", "DATE")
        nuj = d.mention("National Union of Journalists", "ORG")
        d.mention(P("NUJ", nth=1), "ORG", entity=nuj)
        council = d.mention("Press Council", "ORG")
        proposed = d.mention("the proposed media authority bill", "LAW", type="NOM", entity=bill)
        # paragraph 2
        nuj2 = d.mention(P("NUJ", nth=2), "ORG", entity=nuj)
        qadri = d.mention("Sara Qadri", "PERSON")
        d.mention("the union", "ORG", type="NOM", entity=nuj)
        gov1 = d.mention(P("the government", nth=1), "ORG", type="NOM")
        bill1 = d.mention(P("the bill", nth=1), "LAW", type="NOM", entity=bill)
        we = d.mention("We", "ORG", type="PRO", entity=nuj)
        this_law = d.mention("this law", "LAW", type="NOM", entity=bill)
        she = d.mention("she", "PERSON", type="PRO", entity=qadri)
        # paragraph 3
        haddad = d.mention("Omar Haddad", "PERSON")
        the_journalists = d.mention("the journalists", "PERSON", type="NOM", entity=journalists)
        his = d.mention("his", "PERSON", type="PRO", entity=haddad)
        party = d.mention("his party", "ORG", type="NOM")
        bill2 = d.mention(P("the bill", nth=2), "LAW", type="NOM", entity=bill)
        senate2 = d.mention(P("the Senate", nth=2), "ORG", type="NOM", entity=senate)
        he = d.mention("He", "PERSON", type="PRO", entity=haddad)
        gov2 = d.mention(P("the government", nth=2), "ORG", type="NOM", entity=gov1)
        # paragraph 4
        farouk = d.mention("Lina Farouk", "PERSON")
        d.mention(P("the bill", nth=3), "LAW", type="NOM", entity=bill)

        # events, in reading order
        sit_in = d.event(
            "OBJECT",
            P("sit-in", nth=1),
            arguments={"agent": journalists, "object": P("media authority bill", nth=1)},
        )
        pledge = d.event("PROMISE", "pledge", arguments={"agent": leaders})
        d.event("URGE", "call", arguments={"agent": [nuj, council]})
        d.event(
            "OBJECT",
            P("sit-in", nth=2),
            arguments={"agent": hundreds},
            time=wednesday,
            corefer=sit_in,
        )
        d.event(
            "OBJECT",
            "protesting",
            arguments={"agent": hundreds, "object": proposed},
            time=wednesday,
            corefer=sit_in,
        )
        said1 = d.event("STATEMENT", P("said", nth=1), arguments={"speaker": qadri}, time=wednesday)
        passing = d.event(
            "APPROVE",
            "pass",
            modality="hypothetical",
            arguments={"agent": gov1, "object": bill1},
        )
        vowed = d.event("PROMISE", "vowed", arguments={"agent": she})
        d.event("OBJECT", "resist", modality="planned", arguments={"agent": we, "object": this_law})
        assured = d.event(
            "PROMISE", "assured", arguments={"agent": haddad, "addressee": the_journalists}
        )
        d.event(
            "APPROVE",
            "passage",
            modality="hypothetical",
            arguments={"object": bill2, "place": senate2},
            corefer=passing,
        )
        promised = d.event("PROMISE", "promised", arguments={"agent": he}, corefer=assured)
        d.event(
            "APPROVE",
            "legislate",
            modality="hypothetical",
            arguments={"agent": gov2},
            corefer=passing,
        )
        said2 = d.event("STATEMENT", P("said", nth=2), arguments={"speaker": farouk})

        # quotes
        d.quote("to block the law in the Senate", cue=pledge, source=leaders, type="indirect")
        d.quote(
            "the union would not let the government pass the bill",
            cue=said1,
            source=qadri,
            type="indirect",
        )
        d.quote("We will resist this law in every city", cue=vowed, source=she)
        d.quote(
            "his party would block the bill's passage in the Senate",
            cue=assured,
            source=haddad,
            type="indirect",
        )
        d.quote(
            "the opposition would not allow the government to legislate on the media",
            cue=promised,
            source=he,
            type="indirect",
        )
        d.quote(
            "the bill would protect citizens from fake news",
            cue=said2,
            source=farouk,
            type="indirect",
        )

        # relations
        d.relation("CHAIR_OF", qadri, nuj, evidence=[nuj2, qadri])
        d.relation("MEMBER_OF", haddad, party, evidence=[his, party])

        d.labels(topics=["politics", "regulation", "freedom_of_expression", "media"], countries=[])
        d.record["source"]["language"] = {
            "value": "en",
            "inferred": True,
            "evidence": "The seed carries no language tag; title, standfirst and body are "
            "written in English.",
        }
        d.record["annotation"].update(
            annotators=["annotator-a"],
            guidelines_version="1.2",
            status="gold",
            notes=NOTES,
        )
