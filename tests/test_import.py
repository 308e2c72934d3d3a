"""`newscorpus import`: offsets converted exactly, problems reported as findings, records
written only when they are valid and never over an existing file without --force."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from newscorpus.cli import main
from newscorpus.interop.utf16 import OffsetError, Utf16Offsets

ROOT = Path(__file__).parent / "data" / "interop" / "root"
ASTRAL = json.loads((ROOT / "corpus" / "records" / "002_astral.json").read_text("utf-8"))
TEXT = ASTRAL["text"]


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def units(text: str, point: int) -> int:
    """A code-point offset as a browser counts it (UTF-16 code units)."""
    return len(text[:point].encode("utf-16-le")) // 2


def region(rid: str, words: str, label: str, nth: int = 1, **value: Any) -> dict[str, Any]:
    at = -1
    for _ in range(nth):
        at = TEXT.index(words, at + 1)
    return {
        "id": rid,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {
            "start": units(TEXT, at),
            "end": units(TEXT, at + len(words)),
            "text": words,
            "labels": [label],
            **value,
        },
    }


def task(results: list[dict[str, Any]], **data: Any) -> dict[str, Any]:
    return {
        "id": 7,
        "data": {"text": TEXT, "id": "002_astral", **data},
        "annotations": [{"id": 1, "result": results}],
    }


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


REGIONS = [
    region("a", "Karachi", "GPE", 2),
    region("b", "Google", "ORG", 2),
    region("c", "Ahmed Ali", "PERSON"),
    region("d", "Karachi Chamber", "ORG"),
    region("e", "Karachi", "GPE", 3),
    {
        "type": "relation",
        "from_id": "c",
        "to_id": "d",
        "direction": "right",
        "labels": ["MEMBER_OF"],
    },
]


def test_the_fixture_has_astral_characters_before_the_spans():
    start = TEXT.index("Ahmed Ali")
    assert units(TEXT, start) == start + 4  # a flag (2 pairs), a face and a party popper


# --- doccano ---------------------------------------------------------------------------------


def doccano_span(words: str, nth: int = 1) -> tuple[int, int]:
    at = -1
    for _ in range(nth):
        at = TEXT.index(words, at + 1)
    return units(TEXT, at), units(TEXT, at + len(words))


@pytest.mark.parametrize("shape", ["label", "entities"])
def test_doccano_utf16_offsets_become_code_points(tmp_path: Path, shape: str):
    spans = [
        (*doccano_span("Ahmed Ali"), "PERSON"),
        (*doccano_span("Karachi Chamber"), "ORG"),
        (*doccano_span("Tuesday"), "DATE"),
    ]
    if shape == "label":
        line = {
            "id": 42,
            "text": TEXT,
            "label": [list(s) for s in spans],
            "meta": {"doc_id": "002_astral"},
        }
    else:
        line = {
            "id": 42,
            "text": TEXT,
            "entities": [
                {"id": 100 + i, "start_offset": s, "end_offset": e, "label": lab}
                for i, (s, e, lab) in enumerate(spans)
            ],
            "relations": [{"id": 1, "from_id": 100, "to_id": 101, "type": "MEMBER_OF"}],
        }
    path = tmp_path / "doccano.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("import", "doccano", str(path), "--root", str(ROOT), "--out", str(out))
    assert result.exit_code == 0, result.output
    rec = json.loads((out / "002_astral.json").read_text("utf-8"))
    assert [(m["text"], TEXT[m["start"] : m["end"]]) for m in rec["mentions"]] == [
        ("Tuesday", "Tuesday"),
        ("Ahmed Ali", "Ahmed Ali"),
        ("Karachi Chamber", "Karachi Chamber"),
    ]
    # Mentions on the record's offsets keep its ids and entities (doccano has no coreference).
    base = {(m["start"], m["end"]): m for m in ASTRAL["mentions"]}
    for mention in rec["mentions"]:
        old = base[(mention["start"], mention["end"])]
        assert (mention["id"], mention["entity"]) == (old["id"], old["entity"])
    person, chamber = (
        base[(TEXT.index(w), TEXT.index(w) + len(w))] for w in ("Ahmed Ali", "Karachi Chamber")
    )
    expected = [
        {
            "id": "r1",
            "type": "MEMBER_OF",
            "head": person["entity"],
            "tail": chamber["entity"],
            "evidence": [person["id"], chamber["id"]],
        }
    ]
    # The "label" shape has no relations: the record's own stay, where their mentions do.
    present = {m["id"] for m in rec["mentions"]}
    kept = [r for r in ASTRAL["relations"] if set(r["evidence"]) <= present]
    assert rec["relations"] == (expected if shape == "entities" else kept)
    # Layers doccano cannot carry are kept from the record, where their mentions survive.
    assert rec["labels"] == ASTRAL["labels"]


def test_doccano_unknown_label_and_bad_line(tmp_path: Path):
    path = tmp_path / "doccano.jsonl"
    line = {"text": TEXT, "label": [[*doccano_span("Tuesday"), "date"]]}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    result = run(
        "import", "doccano", str(path), "--root", str(ROOT), "--out", str(tmp_path / "out")
    )
    assert result.exit_code == 1
    assert "doccano.jsonl:/1/label/0: error [import-unknown-label]" in result.output
    assert "doccano.jsonl:/2: error [import-input-invalid]" in result.output
    assert not (tmp_path / "out").exists()


# --- brat ------------------------------------------------------------------------------------


def brat_pair(folder: Path, ann: str, text: str = TEXT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "002_astral.txt").write_bytes(text.encode("utf-8"))
    (folder / "002_astral.ann").write_bytes(ann.encode("utf-8"))
    return folder


def t_line(tid: str, label: str, words: str, nth: int = 1) -> str:
    at = -1
    for _ in range(nth):
        at = TEXT.index(words, at + 1)
    return f"{tid}\t{label} {at} {at + len(words)}\t{words}\n"


def test_brat_equiv_lines_make_one_entity(tmp_path: Path):
    ann = (
        t_line("T1", "ORG", "Google", 2)
        + t_line("T2", "ORG", "its")
        + "A1\tMentionType T2 PRO\n"
        + "*\tCoref T1 T2\n"
        + t_line("T3", "GPE", "Karachi", 3)
    )
    out = tmp_path / "out"
    result = run(
        "import",
        "brat",
        str(brat_pair(tmp_path / "brat", ann)),
        "--root",
        str(ROOT),
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    rec = json.loads((out / "002_astral.json").read_text("utf-8"))
    # Ids come from the record's items on the same offsets, never from brat's T numbers;
    # the entities keep the record's ids and names, in reading order.
    assert [(m["id"], m["text"], m["mention_type"], m["entity"]) for m in rec["mentions"]] == [
        ("m5", "Karachi", "NAM", "e1"),
        ("m7", "Google", "NAM", "e2"),
        ("m8", "its", "PRO", "e2"),
    ]
    assert rec["entities"] == [
        {"id": "e1", "label": "GPE", "name": "Karachi"},
        {"id": "e2", "label": "ORG", "name": "Google"},
    ]


def test_brat_entity_the_record_lacks_is_named_by_its_mentions(tmp_path: Path):
    ann = t_line("T1", "ORG", "Google", 2) + t_line("T2", "ORG", "services")
    ann += "A1\tMentionType T2 NOM\n"
    out = tmp_path / "out"
    result = run(
        "import",
        "brat",
        str(brat_pair(tmp_path / "brat", ann)),
        "--root",
        str(ROOT),
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    rec = json.loads((out / "002_astral.json").read_text("utf-8"))
    # No N line names the new entity: it takes the next free id and its guideline 5.2 name
    # (a NOM mention's text in sentence case), as every entity the .ann does not name.
    assert rec["entities"] == [
        {"id": "e2", "label": "ORG", "name": "Google"},
        {"id": "e7", "label": "ORG", "name": "Services"},
    ]


def test_brat_text_changed_after_export_is_a_finding(tmp_path: Path):
    folder = brat_pair(
        tmp_path / "brat", t_line("T1", "ORG", "Google"), text=TEXT.replace("🇵🇰 ", "")
    )
    result = run("import", "brat", str(folder), "--root", str(ROOT), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "[import-text-mismatch]" in result.output
    assert "differs from the record's text at offset 0" in result.output


def test_brat_half_pair_and_bad_lines_are_findings(tmp_path: Path):
    folder = brat_pair(
        tmp_path / "brat",
        t_line("T1", "ORG", "Google") + "T2\tORG 5\tx\n" + "R1\tMEMBER_OF Arg1:T1 Arg2:T9\n",
    )
    (folder / "lonely.ann").write_text("", encoding="utf-8")
    result = run("import", "brat", str(folder), "--root", str(ROOT), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "002_astral.ann:2: error [import-input-invalid]" in result.output
    assert "002_astral.ann:3: error [import-reference-unresolved]" in result.output
    assert "lonely.ann:0: error [import-document-unmatched]" in result.output


# --- UTF-16 conversion -----------------------------------------------------------------------


@given(st.text(alphabet=st.sampled_from(["a", " ", "é", "😀", "🇵", "🇰", "\n", "中"]), max_size=40))
def test_utf16_offsets_round_trip(text: str):
    table = Utf16Offsets(text)
    assert table.length == len(text.encode("utf-16-le")) // 2
    for point in range(len(text) + 1):
        assert table.to_point(units(text, point)) == point
        assert table.to_unit(point) == units(text, point)


def test_utf16_offset_past_the_end_is_refused():
    with pytest.raises(OffsetError):
        Utf16Offsets("😀").to_point(3)


def doccano_zip(path: Path, users: dict[str, list[dict[str, Any]]]) -> Path:
    """A zip shaped as doccano 1.8's Export dataset writes it: one JSONL file per user."""
    with zipfile.ZipFile(path, "w") as archive:
        for user, lines in users.items():
            body = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
            archive.writestr(f"{user}.jsonl", body.encode("utf-8"))
    return path


def doccano_line(*words: str) -> dict[str, Any]:
    labels = {m["text"]: m["label"] for m in ASTRAL["mentions"]}
    return {
        "id": 1,
        "text": TEXT,
        "label": [[*doccano_span(w), labels[w]] for w in words],
        "meta": {"doc_id": "002_astral"},
    }


def test_doccano_zip_with_one_user_is_read_directly(tmp_path: Path):
    export = doccano_zip(tmp_path / "export.zip", {"admin": [doccano_line("Ahmed Ali")]})
    out = tmp_path / "out"
    result = run("import", "doccano", str(export), "--root", str(ROOT), "--out", str(out))
    assert result.exit_code == 0, result.output
    rec = json.loads((out / "002_astral.json").read_text("utf-8"))
    assert [m["text"] for m in rec["mentions"]] == ["Ahmed Ali"]


def test_doccano_zip_with_two_users_needs_a_choice(tmp_path: Path):
    export = doccano_zip(
        tmp_path / "export.zip",
        {"ann": [doccano_line("Ahmed Ali")], "bo": [doccano_line("Ahmed Ali", "Tuesday")]},
    )
    out = tmp_path / "out"
    refused = run("import", "doccano", str(export), "--root", str(ROOT), "--out", str(out))
    assert refused.exit_code == 0  # a warning: nothing to import until a user is chosen
    assert "the zip holds the annotations of 2 users (ann, bo)" in refused.output
    assert not out.exists()
    each = run(
        "import", "doccano", str(export), "--root", str(ROOT), "--out", str(out), "--each-annotator"
    )
    assert each.exit_code == 0, each.output
    texts = {
        user: [
            m["text"]
            for m in json.loads((out / user / "002_astral.json").read_text("utf-8"))["mentions"]
        ]
        for user in ("ann", "bo")
    }
    assert texts == {"ann": ["Ahmed Ali"], "bo": ["Tuesday", "Ahmed Ali"]}
    one = run(
        "import",
        "doccano",
        str(export),
        "--root",
        str(ROOT),
        "--out",
        str(tmp_path / "bo"),
        "--annotator",
        "bo",
    )
    assert one.exit_code == 0, one.output
    assert (tmp_path / "bo" / "002_astral.json").is_file()


def test_doccano_over_a_gold_record_keeps_what_it_cannot_carry(interop_root: Path, tmp_path: Path):
    target = interop_root / "corpus" / "records" / "002_astral.json"
    before = target.read_bytes()
    spans = [
        [units(TEXT, m["start"]), units(TEXT, m["end"]), m["label"]] for m in ASTRAL["mentions"]
    ]
    line = {"id": 1, "text": TEXT, "label": spans, "meta": {"doc_id": "002_astral"}}
    unchanged = doccano_zip(tmp_path / "all.zip", {"admin": [line]})
    result = run("import", "doccano", str(unchanged), "--root", str(interop_root))
    # Every mention comes back with its id, type and entity; quotes, events, relations and
    # topics, which doccano cannot hold, are kept: the record is unchanged.
    assert result.exit_code == 0, result.output
    assert f"unchanged {target}" in result.output
    assert target.read_bytes() == before
    source = next(q["source"] for q in ASTRAL["quotes"])
    gone = next(m for m in ASTRAL["mentions"] if m["id"] == source)
    line["label"] = [s for s, m in zip(spans, ASTRAL["mentions"], strict=True) if m is not gone]
    fewer = doccano_zip(tmp_path / "fewer.zip", {"admin": [line]})
    refused = run("import", "doccano", str(fewer), "--root", str(interop_root))
    assert refused.exit_code == 1
    assert "would lose 1 mention" in refused.output and "1 quote" in refused.output
    assert "status gold → draft" in refused.output
    assert target.read_bytes() == before


def test_doccano_export_that_is_not_a_zip_or_utf8_is_a_finding(tmp_path: Path):
    path = tmp_path / "export.zip"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    result = run(
        "import", "doccano", str(path), "--root", str(ROOT), "--out", str(tmp_path / "out")
    )
    assert result.exit_code == 1
    assert "cannot read the zip" in result.output
    path.write_bytes("Ahmed Ali ö".encode("latin-1"))
    result = run(
        "import", "doccano", str(path), "--root", str(ROOT), "--out", str(tmp_path / "out")
    )
    assert result.exit_code == 1
    assert "not UTF-8" in result.output
