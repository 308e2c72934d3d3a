"""Writes the adversarial corpus: hostile or broken record files, each with its expected finding.

These complement tests/data/findings (one case per code) with the inputs an attacker, a broken
export or a careless edit produce: nesting too deep for the parser, numbers beyond any reader,
path tricks in ids, wrong types everywhere, cycles. Run from the repository root:
    python tests/data/adversarial/make_cases.py
Each case validates against tests/data/findings/root, the small valid corpus.
"""

import copy
import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent / "findings" / "root"
BASE = json.loads((ROOT / "corpus/records/mini.json").read_text(encoding="utf-8"))
GOOD = (ROOT / "corpus/records/mini.json").read_bytes()

cases: dict[str, tuple[str, str, bytes]] = {}  # name -> (code, pointer, file bytes)


def raw(name: str, code: str, pointer: str, data: bytes) -> None:
    cases[name] = (code, pointer, data)


def edited(name: str, code: str, pointer: str, edit) -> None:
    record = copy.deepcopy(BASE)
    edit(record)
    data = json.dumps(record, indent=2, ensure_ascii=True).encode("ascii") + b"\n"
    cases[name] = (code, pointer, data)


# JSON structure
raw("truncated-mid-string", "json-invalid", "", GOOD[: GOOD.index(b"Acme") + 2])
raw("empty-file", "json-invalid", "", b"")
raw("only-whitespace", "json-invalid", "", b"  \n\n")
raw("trailing-comma", "json-invalid", "", GOOD.replace(b'"mini"', b'"mini",', 1)[:-2] + b",}\n")
raw("nested-100k-arrays", "json-too-deep", "", b"[" * 100_000 + b"]" * 100_000)
raw(
    "nested-objects-in-a-field",
    "json-too-deep",
    "",
    GOOD.replace(b'"notes": null', b'"notes": ' + b'{"a": ' * 60 + b"1" + b"}" * 60, 1),
)
raw(
    "duplicate-key-deep",
    "json-duplicate-key",
    "/mentions/0/label",
    GOOD.replace(b'"label": "ORG",', b'"label": "ORG", "label": "GPE",', 1),
)
raw(
    "infinity",
    "json-nonfinite-number",
    "/passages/0/end",
    GOOD.replace(b'"end": 34', b'"end": Infinity', 1),
)
raw(
    "minus-infinity",
    "json-nonfinite-number",
    "/passages/0/end",
    GOOD.replace(b'"end": 34', b'"end": -Infinity', 1),
)
raw(
    "integer-5000-digits",
    "json-huge-integer",
    "/passages/0/end",
    GOOD.replace(b'"end": 34', b'"end": ' + b"9" * 5000, 1),
)
raw(
    "integer-just-past-2-53",
    "json-huge-integer",
    "/passages/0/end",
    GOOD.replace(b'"end": 34', b'"end": 9007199254740993', 1),
)
raw("top-level-string", "json-not-object", "", b'"mini"\n')
# text encoding
raw("latin-1-bytes", "file-not-utf8", "", GOOD.replace(b"Acme over", b"Acm\xe9 over", 1))
raw("overlong-utf8", "file-not-utf8", "", GOOD.replace(b"Acme over", b"Acme \xc0\xaf over", 1))
raw("bom-and-crlf", "file-bom", "", b"\xef\xbb\xbf" + GOOD.replace(b"\n", b"\r\n"))
raw("lone-cr", "file-crlf", "", GOOD.replace(b"\n", b"\r", 3))
edited(
    "lone-surrogate-in-text",
    "string-surrogate",
    "/text",
    lambda r: r.__setitem__("text", r["text"][:10] + "\ud83d" + r["text"][11:]),
)
edited(
    "surrogate-in-a-key-value",
    "string-surrogate",
    "/entities/0/name",
    lambda r: r["entities"][0].__setitem__("name", "\udfff"),
)
edited(
    "decomposed-accent",
    "text-not-nfc",
    "/text",
    lambda r: r.__setitem__("text", r["text"].replace("data", "dat\u0061\u0301", 1)),
)
edited(
    "bom-inside-text",
    "text-bom",
    "/text",
    lambda r: r.__setitem__("text", "\ufeff" + r["text"][1:]),
)
edited(
    "crlf-inside-text",
    "text-crlf",
    "/text",
    lambda r: r.__setitem__("text", r["text"].replace("\n\n", "\r\n", 1)),
)
# types and ids
edited("id-with-parent-path", "schema-pattern", "/id", lambda r: r.__setitem__("id", "../mini"))
edited("id-with-slash", "schema-pattern", "/id", lambda r: r.__setitem__("id", "a/b"))
edited("id-absolute-path", "schema-pattern", "/id", lambda r: r.__setitem__("id", "/etc/passwd"))
edited(
    "seed-path-escapes",
    "schema-pattern",
    "/source/seed_path",
    lambda r: r["source"].__setitem__("seed_path", "seeds/../../etc/passwd"),
)
edited("text-is-a-number", "schema-type", "/text", lambda r: r.__setitem__("text", 42))
edited(
    "mentions-is-an-object",
    "schema-type",
    "/mentions",
    lambda r: r.__setitem__("mentions", {"m1": r["mentions"][0]}),
)
edited(
    "offset-is-a-float",
    "schema-type",
    "/passages/0/start",
    lambda r: r["passages"][0].__setitem__("start", 0.5),
)
edited(
    "offset-written-as-decimal",
    "schema-type",
    "/mentions/0/start",
    lambda r: r["mentions"][0].__setitem__("start", float(r["mentions"][0]["start"])),
)
edited(
    "offset-is-a-bool",
    "schema-type",
    "/mentions/0/end",
    lambda r: r["mentions"][0].__setitem__("end", True),
)
edited(
    "entity-is-null",
    "schema-type",
    "/mentions/0/entity",
    lambda r: r["mentions"][0].__setitem__("entity", None),
)
edited(
    "topics-is-a-string",
    "schema-type",
    "/labels/topics",
    lambda r: r["labels"].__setitem__("topics", "privacy"),
)
edited(
    "status-is-a-bool",
    "schema-enum",
    "/annotation/status",
    lambda r: r["annotation"].__setitem__("status", True),
)
edited("record-id-mismatch", "id-file-mismatch", "/id", lambda r: r.__setitem__("id", "other"))
# references
edited(
    "dangling-argument",
    "ref-unresolved",
    "/events/1/arguments/0/mention",
    lambda r: r["events"][1]["arguments"][0].__setitem__("mention", "m404"),
)
edited(
    "dangling-quote-source",
    "ref-unresolved",
    "/quotes/0/source",
    lambda r: r["quotes"][0].__setitem__("source", "m404"),
)
edited(
    "dangling-relation-head",
    "ref-unresolved",
    "/relations/0/head",
    lambda r: r["relations"][0].__setitem__("head", "e404"),
)
edited(
    "dangling-event-time",
    "ref-unresolved",
    "/events/1/time",
    lambda r: r["events"][1].__setitem__("time", "m404"),
)
edited(
    "self-relation",
    "relation-self",
    "/relations/0",
    lambda r: r["relations"][0].update(tail="e2", evidence=["m7"]),
)


def two_cycle(r):
    r["relations"].append(
        {"id": "r2", "type": "MEMBER_OF", "head": "e2", "tail": "e1", "evidence": ["m7", "m6"]}
    )
    r["relations"].append(
        {"id": "r3", "type": "MEMBER_OF", "head": "e1", "tail": "e2", "evidence": ["m6", "m7"]}
    )


edited("member-of-cycle", "relation-cycle", "/relations/2", two_cycle)
# spans
edited(
    "zero-length-cue",
    "span-empty",
    "/quotes/0/cue",
    lambda r: r["quotes"][0]["cue"].update(end=r["quotes"][0]["cue"]["start"]),
)
edited(
    "trigger-past-the-end",
    "span-out-of-range",
    "/events/0/trigger",
    lambda r: r["events"][0]["trigger"].update(start=9990, end=9995),
)
edited(
    "start-after-end",
    "span-out-of-range",
    "/mentions/1",
    lambda r: r["mentions"][1].update(start=20, end=10),
)


def trigger_across(r):
    end = r["passages"][1]["start"] + 3
    r["events"][0]["trigger"] = {"start": 0, "end": end, "text": r["text"][:end]}


edited("trigger-across-passages", "span-crosses-passage", "/events/0/trigger", trigger_across)


def nested_names(r):
    whole = r["mentions"][5]  # "Ministry of Data"
    r["mentions"].append(
        {
            "id": "m14",
            "start": whole["start"],
            "end": whole["start"] + 8,
            "text": "Ministry",
            "label": "ORG",
            "mention_type": "NAM",
            "entity": "e1",
        }
    )


edited("nested-named-mentions", "mention-overlap", "/mentions/13", nested_names)

for folder in HERE.iterdir():
    if folder.is_dir():
        shutil.rmtree(folder)
for name, (code, pointer, data) in sorted(cases.items()):
    folder = HERE / name
    folder.mkdir()
    (folder / "mini.json").write_bytes(data)
    (folder / "expected.json").write_text(
        json.dumps({"code": code, "pointer": pointer}, indent=2) + "\n", encoding="utf-8"
    )
print(f"{len(cases)} adversarial cases written under {HERE}")
