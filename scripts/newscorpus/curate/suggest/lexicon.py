"""Word lists of ordinary English news that the rules read: titles, head nouns, places,
nationalities, pronouns and reporting verbs. General vocabulary only, no article's names."""

from __future__ import annotations


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Titles and roles before a name stay outside PERSON (guidelines 2.3); a title inside a run of
# capitalised words splits it: "Karachi Press Club President X" -> ORG, title, PERSON.
CHAIR_TITLES = _set(
    "chairman chairwoman chairperson chair president head chief leader director "
    "director-general governor ceo chancellor convener convenor founder rector dean "
    "principal commissioner"
)
MEMBER_TITLES = _set(
    "member spokesman spokeswoman spokesperson secretary treasurer official officer "
    "representative vice-president vice-chairman deputy general-secretary senator "
    "lawmaker legislator mna mpa mp councillor councilor"
)
GOVERNMENT_TITLES = frozenset({"prime minister", "premier", "chief minister"})
TITLES = (
    CHAIR_TITLES
    | MEMBER_TITLES
    | _set(
        "minister president mr mr. mrs mrs. ms ms. dr dr. prof prof. professor sir lord "
        "lady king queen prince princess pope justice judge mayor ambassador envoy "
        "general gen. colonel col. captain capt. major lieutenant lt. inspector "
        "superintendent sheikh imam maulana mufti senior journalist activist advocate "
        "barrister editor correspondent reporter anchor analyst adviser advisor sergeant "
        "constable commander marshal admiral brigadier rep. sen. gov. pm coach executive"
    )
)
# Words that make a title longer in front of its head: "Prime Minister", "Federal Minister".
TITLE_MODIFIERS = _set(
    "prime chief deputy federal foreign finance interior home defence defense "
    "information law state provincial vice acting former general executive managing "
    "senior attorney secretary-general opposition"
)

ORG_HEADS = _set(
    "club union authority committee commission council association foundation network "
    "institute ministry department agency bank party court assembly parliament senate "
    "corporation company inc inc. ltd ltd. limited group organisation organization "
    "federation coalition alliance society board bureau office service services force "
    "forces army navy police university college school academy times post news "
    "tribune press fund trust centre center forum movement front league congress "
    "secretariat cabinet division directorate tribunal chamber syndicate guild media "
    "television tv radio channel newspaper journal magazine watch international "
    "airlines airways industries holdings partners consortium ngo council network "
    "commission brigade regiment unit cell wing panel institution hospital church "
    # heads of company names: "Harlow Energy", "Northwind Holdings", "Acme Corp"
    "corp corp. co co. plc llc gmbh ag bancorp telecom telecoms telecommunications "
    "communications energy motors motor automotive technologies systems solutions "
    "capital ventures enterprises logistics petroleum oil gas electric electronics steel "
    "mining foods brands labs laboratories software networks entertainment studios "
    "insurance securities investments properties resources chemicals pharmaceuticals "
    "pharma therapeutics biotech shipping railways financial"
)
LAW_HEADS = _set(
    "act rules regulations ordinance bill law code constitution amendment treaty "
    "convention accord charter protocol directive decree policy"
)
FAC_HEADS = _set(
    "airport stadium bridge tower mosque temple cathedral palace hotel road street "
    "avenue highway motorway square station port harbour harbor dam prison jail "
    "building"
)
LOC_HEADS = _set(
    "river mountains mountain ocean sea valley lake desert island islands gulf bay "
    "coast peninsula region"
)
GPE_HEADS = _set("city province state district county town village republic")
EVENT_HEADS = _set(
    "war olympics cup summit conference festival games championship election "
    "elections day week expo marathon"
)
# Kind nouns: capitals alone never make a name (guidelines 3.3); alone they are not NAM.
KIND_NOUNS = _set(
    "cabinet government parliament ministry court police army board council committee "
    "commission authority union club party assembly senate department agency office "
    "state city province president minister chairman"
)

# Country names (and common short forms) -> ISO 3166-1 alpha-2, for GPE typing and labels.
_COUNTRY_TABLE = (
    "Afghanistan=AF; Australia=AU; Bangladesh=BD; Belgium=BE; Brazil=BR; Canada=CA; "
    "China=CN; Egypt=EG; France=FR; Germany=DE; India=IN; Indonesia=ID; Iran=IR; Iraq=IQ; "
    "Ireland=IE; Israel=IL; Italy=IT; Japan=JP; Jordan=JO; Kenya=KE; Kuwait=KW; Lebanon=LB; "
    "Malaysia=MY; Mexico=MX; Nepal=NP; Netherlands=NL; Nigeria=NG; Norway=NO; Oman=OM; "
    "Pakistan=PK; Palestine=PS; Philippines=PH; Poland=PL; Qatar=QA; Russia=RU; "
    "Saudi Arabia=SA; Singapore=SG; South Africa=ZA; South Korea=KR; North Korea=KP; "
    "Spain=ES; Sri Lanka=LK; Sweden=SE; Switzerland=CH; Syria=SY; Turkey=TR; Turkiye=TR; "
    "Ukraine=UA; United Arab Emirates=AE; UAE=AE; United Kingdom=GB; UK=GB; Britain=GB; "
    "United States=US; US=US; U.S.=US; America=US; Yemen=YE; Myanmar=MM; Thailand=TH; "
    "Vietnam=VN; Greece=GR; Portugal=PT; Denmark=DK; Finland=FI; Austria=AT; Argentina=AR; "
    "Chile=CL; Colombia=CO; Peru=PE; Venezuela=VE; Cuba=CU; Ethiopia=ET; Sudan=SD; "
    "Somalia=SO; Libya=LY; Tunisia=TN; Morocco=MA; Algeria=DZ; Kazakhstan=KZ; Uzbekistan=UZ; "
    "Tajikistan=TJ; Bahrain=BH; New Zealand=NZ"
)
COUNTRIES = dict(item.strip().split("=") for item in _COUNTRY_TABLE.split(";") if item.strip())
CONTINENTS = frozenset({"Asia", "Europe", "Africa", "Antarctica", "Oceania", "Middle East"})
NATIONALITIES = _set(
    "Pakistani Indian Afghan American British Chinese Russian French German Iranian "
    "Iraqi Saudi Turkish Israeli Palestinian Bangladeshi Japanese Korean Egyptian "
    "Syrian Ukrainian European African Asian Arab Muslim Muslims Christian Christians "
    "Hindu Hindus Sikh Jewish Buddhist Baloch Pashtun Sindhi Punjabi Kashmiri "
    "Democrat Democrats Republican Republicans Australian Canadian Italian Spanish "
    "Sri Lankan Nepali Emirati Qatari Kenyan Nigerian Brazilian Mexican"
)
MONTHS_AND_DAYS = _set(
    "January February March April May June July August September October November "
    "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
)

# Pronouns that refer to a person, or to a group or thing, and how they agree.
PERSON_PRONOUNS = dict.fromkeys(("he", "him", "his", "himself"), "m") | dict.fromkeys(
    ("she", "her", "hers", "herself"), "f"
)
THING_PRONOUNS = frozenset({"it", "its"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})

# Reporting verbs and speech acts: cue -> the event type its trigger gets (guidelines 6.4,
# 7.1). Verbs of saying give STATEMENT; directives, announcements, threats their own type.
CUES = {
    **dict.fromkeys(
        _set(
            "said says say told tells stated states added adds declared declares noted notes "
            "remarked observed explained explains maintained insisted insists asserted argued "
            "argues claimed claims alleged alleges reported reports wrote writes confirmed "
            "confirms stressed stresses emphasised emphasized pointed commented responded "
            "replied recalled"
        ),
        "STATEMENT",
    ),
    **dict.fromkeys(
        _set("urged urges appealed appeals called"),
        "URGE",
    ),
    **dict.fromkeys(["demanded", "demands", "demanding"], "DEMAND"),
    **dict.fromkeys(["announced", "announces"], "ANNOUNCE"),
    **dict.fromkeys(
        _set("threatened threatens warned warns"),
        "THREATEN",
    ),
    **dict.fromkeys(["objected", "objects"], "OBJECT"),
}
# Words that may stand between a subject and its cue: "has also said", "had earlier told".
BETWEEN_SUBJECT_AND_CUE = _set(
    "has have had also further earlier later separately then too has reportedly "
    "publicly recently today yesterday"
)
# Heads of a noun phrase that can speak (a document or a body), and their label.
SPEAKING_NOUNS = {
    **dict.fromkeys(
        _set(
            "statement report letter memo document notification circular release petition "
            "resolution editorial study survey ruling judgment verdict filing lawsuit complaint "
            "notice bulletin"
        ),
        "WORK_OF_ART",
    ),
    **dict.fromkeys(
        _set(
            "official officials spokesman spokeswoman spokesperson sources source lawyer "
            "lawyers activists journalists minister president chairman residents police "
            "witnesses experts analysts prosecutor prosecutors judge officer officers doctors "
            "executive executives director manager governor mayor senator lawmakers leader "
            "leaders diplomats economists scientists researchers"
        ),
        "PERSON",
    ),
    **dict.fromkeys(
        _set(
            "government ministry committee union club body organisation organization groups "
            "group company companies association council commission court party authority "
            "authorities department agency coalition regulator watchdog firm bank lender "
            "insurer airline carrier operator manufacturer carmaker retailer broadcaster "
            "board panel tribunal army military administration embassy university hospital "
            "charity federation league institute foundation bureau exchange alliance utility"
        ),
        "ORG",
    ),
}
SPEAKING_NOUNS["police"] = "ORG"
DETERMINERS = _set("the a an this that these those its their his her our my your another")
