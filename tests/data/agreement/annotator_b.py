"""Gold annotation of press_sit_in, by phrase (annotator b of the agreement study)."""

from pathlib import Path

from newscorpus.curate.phrase import Editor
from newscorpus.curate.phrase import Phrase as P

NOTES = (
    "Guidelines 1.2. A constructed article (its places, people and organisations are "
    "invented). "
    'Mentions: "Press Council" carries more than the kind noun and is an ORG NAM (3.3 step 2); '
    '"the Senate" is a kind noun for a body many polities have and is an ORG NOM (3.3 step 1), '
    "both times one entity; "
    '"Parliament House" is a FAC NAM (3.6); "Hundreds" is a CARDINAL inside the NOM '
    '"Hundreds of journalists", whose of-phrase is inside after a quantity noun (2.4, 2.7, 2.8); '
    '"Journalists" (title), "Hundreds of journalists" and "the journalists" are one PERSON '
    'entity; "the union" and "We" in Qadri\'s words are the National Union of Journalists '
    '(4.4 substitution test, 5.1); "this law" and "the law" are the media authority bill (5.1); '
    '"his" is Haddad (4.2 step 3) and "his party" is annotated as the tail of the MEMBER_OF '
    'relation its possessive states (4.2 step 2, 8.2); "the opposition" is not identified '
    'by the text with "his party" or with "Opposition leaders" and fills no role, so it is not '
    'annotated (4.2, 5.1); "Opposition" and "Information" in titles are not mentions (2.3, '
    '4.5); "the media", "citizens", "fake news" and "every city" fill no role of an inventory '
    "event and are left out (4.2, 4.3). "
    'Quotes: the standfirst pledge has one source, the plural NOM "Opposition leaders", and '
    'is a quote (6.4); "on the call of" the NUJ and the Press Council is a speech-act frame '
    'with two sources: URGE on "call" with both as agents, no quote (6.5); the contents of '
    '"assured" and "promised" start at their complementiser "that", as infinitival complements '
    'start at "to" (6.2, 6.4), and the addressee "the journalists" is outside. '
    "Events: the sit-in in the title, with its against-phrase, names the act of protesting "
    'and is an OBJECT trigger; in paragraph 1 "a sit-in" only names the gathering staged '
    'outside Parliament House and the act is "protesting against", the OBJECT trigger there; '
    '"the protest" and "Addressing" are no events (7.2 gatherings); the two OBJECT mentions '
    'share agent and object and are one cluster (7.3 step 3); "resist this law" is an '
    'OBJECT (opposing the law), planned under "vowed" (7.2, 7.4); "pass", "passage" and '
    '"legislate" are APPROVE (7.3), each hypothetical under a verb of prevention ("not let", '
    '"block", "not allow", 7.4); the government is the agent of "pass" and "legislate" as the '
    'party let or allowed (4.3, 7.5); "in the Senate" is the place of "passage" (7.5); "pass" '
    'and "passage" share the object the bill and are one cluster (7.3); "legislate on the '
    'media" names no particular law and is a cluster of its own (7.3 step 1); "block", '
    '"proposed", "protect" and "staged" have no inventory type (7.2); "pledge", "vowed", '
    '"assured" and "promised" are PROMISE, asserted (6.4, 7.1); Haddad\'s "assured" and '
    '"promised" share their agent and are one cluster (7.3 step 3), the standfirst pledge by '
    "the Opposition leaders is its own cluster, since the two name agents with none in common "
    '(7.3 step 2); Qadri\'s "said" takes Wednesday, the date of the sit-in that is its occasion '
    '("Addressing the protest", 7.6), while "vowed" states no occasion and has no time. '
    'Relations: every relation is stated in one phrase (CHAIR_OF by the title "NUJ '
    'president", MEMBER_OF by "his party"); none is read off context (8.2). Not annotated: '
    'Farouk MEMBER_OF the government (the title "Information Minister" names no body), '
    "Parliament House LOCATED_IN Capital City (the dateline does not say where the sit-in was), "
    "the bill ISSUED_BY the government (the bill is not passed, and who proposed it is not "
    "said). "
    "Labels: the article names no country, so countries is empty (9); topics politics, "
    "regulation, media and freedom_of_expression (a media bill fought by journalists). "
    "Source: the text names no year, so published_date stays null (10)."
)


def annotate(root: Path) -> None:
    """Annotate the `add` draft of press_sit_in under `root` to a gold record."""
    with Editor.open("press_sit_in", root) as d:
        # title
        journalists = d.mention(P("Journalists", nth=1), "PERSON", type="NOM")
        bill = d.mention(P("media authority bill", nth=1), "LAW", type="NOM")
        # standfirst
        leaders = d.mention("Opposition leaders", "PERSON", type="NOM")
        d.mention("the law", "LAW", type="NOM", entity=bill)
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
        government = d.mention(P("the government", nth=1), "ORG", type="NOM")
        bill_p2 = d.mention(P("the bill", nth=1), "LAW", type="NOM", entity=bill)
        we = d.mention("We", "ORG", type="PRO", entity=nuj)
        this_law = d.mention("this law", "LAW", type="NOM", entity=bill)
        she = d.mention("she", "PERSON", type="PRO", entity=qadri)
        # paragraph 3
        haddad = d.mention("Omar Haddad", "PERSON")
        the_journalists = d.mention("the journalists", "PERSON", type="NOM", entity=journalists)
        his = d.mention("his", "PERSON", type="PRO", entity=haddad)
        party = d.mention("his party", "ORG", type="NOM")
        bill_p3 = d.mention(P("the bill", nth=2), "LAW", type="NOM", entity=bill)
        senate2 = d.mention(P("the Senate", nth=2), "ORG", type="NOM", entity=senate)
        he = d.mention("He", "PERSON", type="PRO", entity=haddad)
        government2 = d.mention(P("the government", nth=2), "ORG", type="NOM", entity=government)
        # paragraph 4
        farouk = d.mention("Lina Farouk", "PERSON")
        d.mention(P("the bill", nth=3), "LAW", type="NOM", entity=bill)

        # events, in reading order
        sit_in = d.event(
            "OBJECT", P("sit-in", nth=1), arguments={"agent": journalists, "object": bill}
        )
        pledge = d.event("PROMISE", "pledge", arguments={"agent": leaders})
        d.event("URGE", "call", arguments={"agent": [nuj, council]})
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
            arguments={"agent": government, "object": bill_p2},
        )
        d.event("OBJECT", "resist", modality="planned", arguments={"agent": we, "object": this_law})
        vowed = d.event("PROMISE", "vowed", arguments={"agent": she})
        assured = d.event(
            "PROMISE", "assured", arguments={"agent": haddad, "addressee": the_journalists}
        )
        d.event(
            "APPROVE",
            "passage",
            modality="hypothetical",
            arguments={"object": bill_p3, "place": senate2},
            corefer=passing,
        )
        promised = d.event("PROMISE", "promised", arguments={"agent": he}, corefer=assured)
        d.event("APPROVE", "legislate", modality="hypothetical", arguments={"agent": government2})
        said2 = d.event("STATEMENT", P("said", nth=2), arguments={"speaker": farouk})

        # quotes
        d.quote("to block the law in the Senate", cue=pledge, source=leaders, type="indirect")
        d.quote(
            "the union would not let the government pass the bill",
            cue=said1,
            source=qadri,
            type="indirect",
        )
        d.quote("We will resist this law in every city", cue=vowed, source=she, type="direct")
        d.quote(
            "that his party would block the bill's passage in the Senate",
            cue=assured,
            source=haddad,
            type="indirect",
        )
        d.quote(
            "that the opposition would not allow the government to legislate on the media",
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

        d.labels(topics=["politics", "regulation", "media", "freedom_of_expression"], countries=[])
        d.record["annotation"].update(
            annotators=["annotator-b"],
            guidelines_version="1.2",
            status="gold",
            notes=NOTES,
        )
