"""Writes the finding fixtures: a small valid corpus (root/) and one case per finding code.

Run from the repository root after changing the validator or the schema:
    python tests/data/findings/make_cases.py
Each case folder holds a record file and expected.json with the code, severity and JSON
pointer that validating it must report.
"""

import copy
import json
import shutil
from pathlib import Path

from newscorpus.ingest import draft_record
from newscorpus.jsonio import dumps

BASE = Path(__file__).resolve().parent
for generated in ("root", "cases"):
    shutil.rmtree(BASE / generated, ignore_errors=True)
(BASE / "root/seeds").mkdir(parents=True)
seed = (
    "Ministry fines Acme over data leak\n\nThe regulator acted on Monday.\n\n"
    "Karachi: The Ministry of Data (MD) fined Acme Corp, a firm based in Karachi, Rs 5 million on Monday, "  # noqa: E501
    "a spokesman said. \u201cWe will appeal,\u201d Acme said.\n"
)
data = seed.encode()
(BASE / "root/seeds/mini.txt").write_bytes(data)
rec = draft_record(data, "seeds/mini.txt", "mini")
text = rec["text"]


def span(s, n=1):
    i = -1
    for _ in range(n):
        i = text.index(s, i + 1)
    return {"start": i, "end": i + len(s), "text": s}


ms = [
    ("Ministry", 1, "ORG", "NOM", "e1"),
    ("Acme", 1, "ORG", "NAM", "e2"),
    ("The regulator", 1, "ORG", "NOM", "e1"),
    ("Monday", 1, "DATE", "NAM", "e3"),
    ("Karachi", 1, "GPE", "NAM", "e4"),
    ("Ministry of Data", 1, "ORG", "NAM", "e1"),
    ("Acme Corp", 1, "ORG", "NAM", "e2"),
    ("Karachi", 2, "GPE", "NAM", "e4"),
    ("Rs 5 million", 1, "MONEY", "NAM", "e5"),
    ("Monday", 2, "DATE", "NAM", "e3"),
    ("a spokesman", 1, "PERSON", "NOM", "e6"),
    ("We", 1, "ORG", "PRO", "e2"),
    ("Acme", 3, "ORG", "NAM", "e2"),
]
rec["mentions"] = [
    {"id": f"m{i + 1}", **span(s, n), "label": lab, "mention_type": mt, "entity": e}
    for i, (s, n, lab, mt, e) in enumerate(ms)
]
rec["entities"] = [
    {"id": "e1", "label": "ORG", "name": "Ministry of Data"},
    {"id": "e2", "label": "ORG", "name": "Acme Corp"},
    {"id": "e3", "label": "DATE", "name": "Monday"},
    {"id": "e4", "label": "GPE", "name": "Karachi", "kb": [{"db": "wikidata", "id": "Q8660"}]},
    {"id": "e5", "label": "MONEY", "name": "Rs 5 million"},
    {"id": "e6", "label": "PERSON", "name": "a spokesman"},
]
rec["quotes"] = [
    {
        "id": "q1",
        "type": "indirect",
        "content": [
            span(
                "The Ministry of Data (MD) fined Acme Corp, a firm based in Karachi, Rs 5 million on Monday"  # noqa: E501
            )
        ],
        "cue": span("said", 1),
        "source": "m11",
        "speaker": "e6",
    },
    {
        "id": "q2",
        "type": "direct",
        "content": [span("We will appeal")],
        "cue": span("said", 2),
        "source": "m13",
        "speaker": "e2",
    },
]
rec["events"] = [
    {
        "id": "ev1",
        "type": "FINE",
        "trigger": span("fines"),
        "modality": "asserted",
        "arguments": [{"role": "agent", "mention": "m1"}, {"role": "offender", "mention": "m2"}],
        "time": None,
        "cluster": "evc1",
    },
    {
        "id": "ev2",
        "type": "FINE",
        "trigger": span("fined"),
        "modality": "asserted",
        "arguments": [
            {"role": "agent", "mention": "m6"},
            {"role": "offender", "mention": "m7"},
            {"role": "money", "mention": "m9"},
        ],
        "time": "m10",
        "cluster": "evc1",
    },
]
rec["relations"] = [
    {"id": "r1", "type": "LOCATED_IN", "head": "e2", "tail": "e4", "evidence": ["m7", "m8"]}
]
rec["labels"] = {"topics": ["regulation", "privacy"], "countries": ["PK"]}
rec["annotation"] = {
    "annotators": ["newscorpus-curators"],
    "guidelines_version": "1.2",
    "status": "gold",
    "notes": None,
}
(BASE / "root/corpus/records").mkdir(parents=True)
(BASE / "root/corpus/records/mini.json").write_text(dumps(rec))

cases = {}


def case(code, ptr, mutate=None, raw=None, name="mini", severity="error"):
    cases[code] = (ptr, mutate, raw, name, severity)


def m(f):
    def g(r):
        f(r)
        return r

    return g


good = dumps(rec).encode()
case("file-not-utf8", "", raw=good.replace(b"Acme over", b"Acme \xff over"))
case("file-bom", "", raw=b"\xef\xbb\xbf" + good)
case("file-crlf", "", raw=good.replace(b"\n", b"\r\n"))
case("json-invalid", "", raw=good[: len(good) // 2])
case("json-too-deep", "", raw=b"[" * 200 + b"]" * 200)
case(
    "json-duplicate-key",
    "/id",
    raw=good.replace(b'"id": "mini",', b'"id": "mini",\n  "id": "mini",', 1),
)
case(
    "json-nonfinite-number",
    "/passages/0/start",
    raw=good.replace(b'"start": 0,', b'"start": NaN,', 1),
)
case(
    "json-huge-integer",
    "/passages/0/start",
    raw=good.replace(b'"start": 0,', b'"start": 100000000000000000000000000000,', 1),
)
case("json-not-object", "", raw=b"[]\n")
case("schema-required", "", m(lambda r: r.pop("labels")))
case("schema-additional-properties", "", m(lambda r: r.__setitem__("comment", "x")))
case("schema-type", "/mentions/0/start", m(lambda r: r["mentions"][0].__setitem__("start", "0")))
case(
    "schema-enum",
    "/mentions/0/label",
    m(lambda r: r["mentions"][0].__setitem__("label", "ORGANISATION")),
)
case("schema-pattern", "/mentions/0/id", m(lambda r: r["mentions"][0].__setitem__("id", "x1")))
case("schema-minimum", "/mentions/0/start", m(lambda r: r["mentions"][0].__setitem__("start", -1)))
case("schema-min-length", "/mentions/0/text", m(lambda r: r["mentions"][0].__setitem__("text", "")))
case(
    "schema-min-items", "/quotes/0/content", m(lambda r: r["quotes"][0].__setitem__("content", []))
)
case(
    "schema-unique-items",
    "/labels/topics",
    m(lambda r: r["labels"].__setitem__("topics", ["privacy", "privacy"])),
)
case("schema-one-of", "/quotes/0/cue", m(lambda r: r["quotes"][0].__setitem__("cue", "said")))
case(
    "string-surrogate",
    "/annotation/notes",
    m(lambda r: r["annotation"].__setitem__("notes", "bad \ud800 char")),
)
case("text-not-nfc", "/text", m(lambda r: r.__setitem__("text", r["text"] + " Cafe\u0301")))
case("text-bom", "/text", m(lambda r: r.__setitem__("text", r["text"] + "\ufeff")))
case("text-crlf", "/text", m(lambda r: r.__setitem__("text", r["text"] + "\r")))
case("passage-tiling", "/passages/1", m(lambda r: r["passages"][1].__setitem__("start", 0)))
case("span-out-of-range", "/mentions/0", m(lambda r: r["mentions"][0].__setitem__("end", 10000)))
case("span-empty", "/mentions/0", m(lambda r: r["mentions"][0].__setitem__("end", 0)))
case("span-text-mismatch", "/mentions/1", m(lambda r: r["mentions"][1].__setitem__("text", "Acmx")))


def ws(r):
    r["mentions"][1]["end"] += 1
    r["mentions"][1]["text"] += " "


case("span-whitespace", "/mentions/1", m(ws))


def cross(r):
    r["quotes"][0]["content"][0] = {
        "start": 0,
        "end": r["passages"][1]["end"],
        "text": r["text"][: r["passages"][1]["end"]],
    }


case("span-crosses-passage", "/quotes/0/content/0", m(cross))


def tokb(r):
    r["mentions"][1]["end"] -= 1
    r["mentions"][1]["text"] = "Acm"


case("mention-token-boundary", "/mentions/1", m(tokb))


def dup(r):
    r["mentions"].append({**r["mentions"][1], "id": "m14"})


case("mention-duplicate", "/mentions/13", m(dup))


def crosses(r):
    s = span("said. \u201cWe")
    r["mentions"].append({"id": "m14", **s, "label": "ORG", "mention_type": "NAM", "entity": "e2"})


case("mention-crosses-sentence", "/mentions/13", m(crosses))


def over(r):
    s = span("Data", 1)
    r["mentions"].append({"id": "m14", **s, "label": "ORG", "mention_type": "NAM", "entity": "e1"})


case("mention-overlap", "/mentions/13", m(over))
case("id-duplicate", "/mentions/2/id", m(lambda r: r["mentions"][2].__setitem__("id", "m2")))
case("id-file-mismatch", "/id", None, name="renamed")
case(
    "ref-unresolved",
    "/mentions/0/entity",
    m(lambda r: r["mentions"][0].__setitem__("entity", "e99")),
)
case(
    "entity-label-mismatch",
    "/mentions/0/label",
    m(lambda r: r["mentions"][0].__setitem__("label", "GPE")),
)
case(
    "entity-unused",
    "/entities/6",
    m(lambda r: r["entities"].append({"id": "e7", "label": "ORG", "name": "Nobody"})),
)
case(
    "quote-speaker-mismatch",
    "/quotes/1/speaker",
    m(lambda r: r["quotes"][1].__setitem__("speaker", "e1")),
)
case(
    "role-not-allowed",
    "/events/1/arguments/0/role",
    m(lambda r: r["events"][1]["arguments"][0].__setitem__("role", "speaker")),
)
case("event-time-label", "/events/1/time", m(lambda r: r["events"][1].__setitem__("time", "m9")))
case(
    "event-cluster-type",
    "/events/1/cluster",
    m(
        lambda r: r["events"][1].update(
            type="SUSPEND_SERVICE", arguments=[{"role": "agent", "mention": "m6"}]
        )
    ),
)
case(
    "relation-argument-label",
    "/relations/0/tail",
    m(lambda r: r["relations"][0].update(head="e4", tail="e2")),
)
case(
    "relation-self",
    "/relations/0",
    m(lambda r: r["relations"][0].update(tail="e2", evidence=["m7"])),
)
case(
    "relation-duplicate",
    "/relations/1",
    m(lambda r: r["relations"].append({**r["relations"][0], "id": "r2"})),
)
case(
    "relation-evidence",
    "/relations/0/evidence/1",
    m(lambda r: r["relations"][0].update(evidence=["m7", "m4"])),
)
case(
    "gold-without-annotator",
    "/annotation/annotators",
    m(lambda r: r["annotation"].__setitem__("annotators", [])),
)
case(
    "gold-with-suggestion",
    "/mentions/1/suggested",
    m(lambda r: r["mentions"][1].__setitem__("suggested", True)),
)
case(
    "gold-guidelines-version",
    "/annotation/guidelines_version",
    m(lambda r: r["annotation"].__setitem__("guidelines_version", "1.0")),
)
case(
    "gold-without-topics",
    "/labels/topics",
    m(lambda r: r["labels"].__setitem__("topics", [])),
)

case(
    "annotator-email",
    "/annotation/annotators/1",
    m(lambda r: r["annotation"]["annotators"].append("Jane <admin@example.com>")),
)
# Levels that a record's errors stop, each a note that names the first error that stopped it.
case(
    "spans-skipped",
    "/mentions/0/start",
    m(lambda r: r["mentions"][0].__setitem__("start", "0")),
    severity="note",
)
case("references-skipped", "", m(lambda r: r.pop("labels")), severity="note")
case(
    "provenance-skipped",
    "/source/seed_path",
    m(lambda r: r["source"].__setitem__("seed_path", "seeds/../../etc/passwd")),
    severity="note",
)
case(
    "consistency-skipped",
    "/passages/1",
    m(lambda r: r["passages"][1].__setitem__("start", 0)),
    severity="note",
)


def split_name(r):
    # The second "Monday" made an entity of its own.
    r["mentions"][9]["entity"] = "e7"
    r["entities"].append({"id": "e7", "label": "DATE", "name": "Monday"})


case("entity-split-name", "/mentions/9/entity", m(split_name), severity="warning")


def split_abbreviation(r):
    r["mentions"].append(
        {"id": "m14", **span("MD"), "label": "ORG", "mention_type": "NAM", "entity": "e7"}
    )
    r["entities"].append({"id": "e7", "label": "ORG", "name": "MD"})


case("entity-split-abbreviation", "/mentions/13/entity", m(split_abbreviation), severity="warning")
case(
    "seed-missing",
    "/source/seed_path",
    m(lambda r: r["source"].__setitem__("seed_path", "seeds/missing.txt")),
)
case(
    "seed-sha256-mismatch",
    "/source/seed_sha256",
    m(lambda r: r["source"].__setitem__("seed_sha256", "0" * 64)),
)
case(
    "text-seed-mismatch",
    "/text",
    m(lambda r: r.__setitem__("text", r["text"].replace("data leak", "data lesk"))),
)


def cycle(r):
    r["entities"].append({"id": "e7", "label": "ORG", "name": "Acme Parent"})
    r["mentions"].append(
        {"id": "m14", **span("a firm"), "label": "ORG", "mention_type": "NOM", "entity": "e7"}
    )
    r["relations"] += [
        {"id": "r2", "type": "PART_OF", "head": "e2", "tail": "e7", "evidence": ["m7", "m14"]},
        {"id": "r3", "type": "PART_OF", "head": "e7", "tail": "e2", "evidence": ["m14", "m7"]},
    ]


case("relation-cycle", "/relations/1", m(cycle))


def parts(r):
    whole = r["quotes"][0]["content"][0]
    r["quotes"][0]["content"] = [
        {"start": whole["start"] + 4, "end": whole["end"], "text": whole["text"][4:]},
        {"start": whole["start"], "end": whole["start"] + 20, "text": whole["text"][:20]},
    ]


case("quote-content-overlap", "/quotes/0/content/1", m(parts))


def incons(r):
    r["mentions"][12].update(label="PERSON", entity="e7")
    r["entities"].append({"id": "e7", "label": "PERSON", "name": "Acme"})
    r["quotes"][1]["speaker"] = "e7"


case("label-inconsistent", "/mentions/1", m(incons), severity="warning")


def unann(r):
    del r["mentions"][12]
    r["quotes"][1]["source"] = None


case("unannotated-occurrence", "/mentions", m(unann), severity="warning")


def reorder(r):
    r["quotes"].reverse()


case("record-not-canonical", "/quotes/0", m(reorder), severity="warning")


def escape(r):
    r["entities"][1]["name"] = "Acme \x1b[31mCorp"


case("string-control-character", "/entities/1/name", m(escape))


# Guidelines 1.2 checks, on a second article of the root: a promise quoted (6.4) beside a
# facility's name (3.6). The record is valid and clean; each case takes one annotation away.
pledge_seed = (
    b"Council to build a library\n\nThe vote is on Friday.\n\n"
    b"Dunmore: The council pledged to build a library beside Calder House, its chair said.\n"
)
(BASE / "root/seeds/pledge.txt").write_bytes(pledge_seed)
pledge = draft_record(pledge_seed, "seeds/pledge.txt", "pledge")
ptext = pledge["text"]


def pspan(s):
    i = ptext.index(s)
    return {"start": i, "end": i + len(s), "text": s}


pledge["mentions"] = [
    {"id": f"m{i + 1}", **pspan(s), "label": lab, "mention_type": mt, "entity": e}
    for i, (s, lab, mt, e) in enumerate(
        [
            ("Friday", "DATE", "NAM", "e1"),
            ("Dunmore", "GPE", "NAM", "e2"),
            ("The council", "ORG", "NOM", "e3"),
            ("Calder House", "FAC", "NAM", "e4"),
        ]
    )
]
pledge["entities"] = [
    {"id": "e1", "label": "DATE", "name": "Friday"},
    {"id": "e2", "label": "GPE", "name": "Dunmore"},
    {"id": "e3", "label": "ORG", "name": "Council"},
    {"id": "e4", "label": "FAC", "name": "Calder House"},
]
pledge["quotes"] = [
    {
        "id": "q1",
        "type": "indirect",
        "content": [pspan("to build a library beside Calder House")],
        "cue": pspan("pledged"),
        "source": "m3",
        "speaker": "e3",
    }
]
pledge["events"] = [
    {
        "id": "ev1",
        "type": "PROMISE",
        "trigger": pspan("pledged"),
        "modality": "asserted",
        "arguments": [{"role": "agent", "mention": "m3"}],
        "time": None,
        "cluster": "evc1",
    }
]
pledge["labels"] = {"topics": ["politics"], "countries": []}
pledge["annotation"] = dict(rec["annotation"])


def without_promise(r):
    r["events"] = []


def without_facility(r):
    del r["mentions"][3]
    del r["entities"][3]


case("promise-without-event", "/quotes/0/cue", without_promise, severity="warning", name="pledge")
case("facility-unannotated", "/mentions", without_facility, severity="warning", name="pledge")

for code, (ptr, mutate, raw, name, severity) in cases.items():
    d = BASE / "cases" / code
    d.mkdir(parents=True)
    if raw is None:
        r = copy.deepcopy(pledge if name == "pledge" else rec)
        if mutate:
            mutate(r)
        raw = (
            json.dumps(r, indent=2, ensure_ascii=(code == "string-surrogate")).encode("utf-8")
            + b"\n"
        )
    (d / f"{name}.json").write_bytes(raw)
    (d / "expected.json").write_text(
        json.dumps(
            {"code": code, "severity": severity, "pointer": ptr, "file": name + ".json"}, indent=2
        )
        + "\n"
    )

# Checks across records: the case is a folder of records, validated as a whole.
folder = BASE / "cases" / "text-duplicate"
(folder / "records").mkdir(parents=True)
(folder / "records" / "mini.json").write_text(dumps(rec))
twin = {**copy.deepcopy(rec), "id": "mini-copy"}
(folder / "records" / "mini-copy.json").write_text(dumps(twin))
(folder / "expected.json").write_text(
    json.dumps(
        {
            "code": "text-duplicate",
            "severity": "error",
            "pointer": "/text",
            "file": "records/mini.json",
            "validate": "records",
        },
        indent=2,
    )
    + "\n"
)
print(f"{len(cases) + 1} cases written under {BASE / 'cases'}")
