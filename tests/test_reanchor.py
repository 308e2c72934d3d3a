"""`newscorpus reanchor`: annotations move onto a publisher's corrected article."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.curate.align import OffsetMap, Tokens, alignment
from newscorpus.validate import validate_paths

CURATOR = Path(__file__).resolve().parent / "data" / "curator"
RECORD = "corpus/records/rules_delay.json"

# The correction: one insertion, two changed names/values, one deleted clause.
INSERTED = "cautiously "
DELETED = ", after more than 100 rights groups objected"
EDITS = [
    ("Rights groups welcome", "Rights groups cautiously welcome"),
    ("Amir Bajwa", "Amir Azeem Bajwa"),
    ("Rs 500 million", "Rs 600 million"),
    (DELETED, ""),
]


@pytest.fixture
def curator_root(tmp_path: Path) -> Path:
    target = tmp_path / "corpus-root"
    shutil.copytree(CURATOR / "root", target)
    return target


@pytest.fixture
def corrected(curator_root: Path, tmp_path: Path) -> Path:
    """The corrected article, outside seeds/, under the same name as the original seed."""
    text = (curator_root / "seeds/rules_delay.txt").read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1
        text = text.replace(old, new)
    path = tmp_path / "publisher" / "rules_delay.txt"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def _reanchor(root: Path, *args: str, force: bool = True):
    flags = ["--force"] if force else []
    return CliRunner().invoke(main, ["reanchor", *args, *flags, "--root", str(root)])


def test_reanchor_without_force_is_a_preview(curator_root, corrected):
    records = {p.name: p.read_bytes() for p in (curator_root / RECORD).parent.iterdir()}
    seeds = sorted(p.name for p in (curator_root / "seeds").iterdir())
    result = _reanchor(curator_root, "rules_delay", str(corrected), force=False)
    assert result.exit_code == 0, result.output
    assert "preview only" in result.output and "--force" in result.output
    assert {p.name: p.read_bytes() for p in (curator_root / RECORD).parent.iterdir()} == records
    assert sorted(p.name for p in (curator_root / "seeds").iterdir()) == seeds
    # the preview sums up what --force then does, in the same words
    preview = next(line for line in result.output.splitlines() if "would re-anchor" in line)
    done = _reanchor(curator_root, "rules_delay", str(corrected))
    written = next(line for line in done.output.splitlines() if "re-anchored" in line)
    counts = written.split(": ", 1)[1].split("; previous version")[0]
    assert "span(s) moved unchanged" in counts and preview.endswith(": " + counts)


def test_a_second_reanchor_keeps_both_backups(curator_root, corrected, tmp_path):
    first = (curator_root / RECORD).read_bytes()
    assert _reanchor(curator_root, "rules_delay", str(corrected)).exit_code == 0
    second = (curator_root / RECORD).read_bytes()
    again = tmp_path / "again" / "rules_delay.txt"
    again.parent.mkdir()
    again.write_text(
        corrected.read_text(encoding="utf-8") + "\nA late addition.\n", encoding="utf-8"
    )
    result = _reanchor(curator_root, "rules_delay", str(again))
    assert result.exit_code == 0, result.output
    assert (curator_root / (RECORD + ".bak")).read_bytes() == first
    assert (curator_root / RECORD.replace(".json", ".json.2.bak")).read_bytes() == second


def test_reanchor_moves_spans_and_reports_what_changed(curator_root, corrected):
    before_bytes = (curator_root / RECORD).read_bytes()
    before = json.loads(before_bytes)
    result = _reanchor(curator_root, "rules_delay", str(corrected))
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()

    after = json.loads((curator_root / RECORD).read_text(encoding="utf-8"))
    text = after["text"]
    assert text == corrected.read_text(encoding="utf-8").strip("\n")

    # Changed and vanished spans are reported with id, old and new text.
    assert any(
        "changed  mention m14: 'Amir Bajwa'" in line and "-> 'Amir Azeem Bajwa'" in line
        for line in out
    )
    assert any(
        "changed  mention m19: 'Rs 500 million'" in line and "-> 'Rs 600 million'" in line
        for line in out
    )
    assert any("changed  quote q1 content 0:" in line and "Rs 600 million'" in line for line in out)
    assert any(line.startswith("vanished mention m10: 'more than 100'") for line in out)
    assert any(line.startswith("vanished mention m11: 'rights groups'") for line in out)
    assert any(line.startswith("vanished event ev3 trigger: 'objected'") for line in out)
    # ... and so is everything removed with them.
    assert "removed  entity e8 'more than 100' (no mention left)" in out
    assert "removed  event ev3 OBJECT (its trigger vanished)" in out
    assert {m["id"] for m in before["mentions"]} - {m["id"] for m in after["mentions"]} == {
        "m10",
        "m11",
    }
    assert "ev3" not in {e["id"] for e in after["events"]}
    assert "e8" not in {e["id"] for e in after["entities"]}

    # Every other span moved: same text, at the place the edits predict.
    old_mentions = {m["id"]: m for m in before["mentions"]}
    shift_after_insert = len(INSERTED)
    for mention in after["mentions"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]
        old = old_mentions[mention["id"]]
        if mention["id"] in ("m14", "m19"):
            continue
        assert mention["text"] == old["text"]
        expected = old["start"]
        if old["start"] > before["text"].index("welcome"):
            expected += shift_after_insert
        if old["start"] > before["text"].index(DELETED):
            expected -= len(DELETED)
        if old["start"] > before["text"].index("Amir Bajwa"):
            expected += len("Azeem ")
        assert mention["start"] == expected, mention["id"]
    assert after["quotes"][0]["content"][0]["text"] == (
        "We will consult everyone before the rules take effect,"
    )
    assert after["events"][0]["trigger"]["text"] == "delays"

    # Provenance points at the new seed, copied under a free name; the old one is untouched.
    source = after["source"]
    assert source["seed_path"] == "seeds/rules_delay-v2.txt"
    new_seed = curator_root / source["seed_path"]
    assert new_seed.read_bytes() == corrected.read_bytes()
    assert source["seed_sha256"] == hashlib.sha256(corrected.read_bytes()).hexdigest()
    assert (curator_root / "seeds/rules_delay.txt").read_text().count("Amir Bajwa") == 1

    # Back to draft for review, with a .bak of the previous version, and still valid.
    assert after["annotation"]["status"] == "draft"
    assert "Re-anchored to seeds/rules_delay-v2.txt" in after["annotation"]["notes"]
    assert (curator_root / (RECORD + ".bak")).read_bytes() == before_bytes
    assert "status draft" in out[-1] and "rules_delay.json.bak" in out[-1]
    report = validate_paths(curator_root)
    assert report.errors == [], [f.format() for f in report.errors]


def test_reanchor_without_changed_spans_keeps_gold(curator_root, tmp_path):
    # A correction outside every span (a word added to an unannotated stretch).
    text = (curator_root / "seeds/rules_delay.txt").read_text(encoding="utf-8")
    new = tmp_path / "rules_delay_fixed.txt"
    new.write_text(text.replace("welcome the pause", "welcome the brief pause"), "utf-8")
    result = _reanchor(curator_root, "rules_delay", str(new))
    assert result.exit_code == 0, result.output
    assert "0 changed or vanished, 0 removal(s); status gold" in result.output
    after = json.loads((curator_root / RECORD).read_text(encoding="utf-8"))
    assert after["annotation"]["status"] == "gold"
    assert after["source"]["seed_path"] == "seeds/rules_delay_fixed.txt"
    assert validate_paths(curator_root).errors == []


def test_alignment_keeps_insertions_at_span_edges_outside():
    old, new = "said Khan today", "said Imran Khan, today"
    offsets = OffsetMap(alignment(old, new))
    start, end = old.index("Khan"), old.index("Khan") + 4
    assert new[offsets.start(start) : offsets.end(end)] == "Khan"


def test_alignment_widens_a_replaced_word():
    old, new = "Google and Facebook agreed", "Google and Meta agreed"
    offsets = OffsetMap(alignment(old, new))
    start = old.index("Facebook")
    assert new[offsets.start(start) : offsets.end(start + 8)] == "Meta"


def _unchanged(root: Path) -> bytes:
    return (root / RECORD).read_bytes()


def test_reanchor_exit_codes_and_nothing_written_on_failure(curator_root, corrected, tmp_path):
    original = _unchanged(curator_root)

    missing = _reanchor(curator_root, "no_such_record", str(corrected))
    assert missing.exit_code == 1 and "no record 'no_such_record'" in missing.output

    same = _reanchor(curator_root, "rules_delay", str(curator_root / "seeds/rules_delay.txt"))
    assert same.exit_code == 1 and "already anchored to this version" in same.output

    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02")
    bad = _reanchor(curator_root, "rules_delay", str(binary))
    assert bad.exit_code == 1 and "binary" in bad.output

    in_place = curator_root / "seeds/rules_delay.txt"
    in_place.write_text(corrected.read_text(encoding="utf-8"), encoding="utf-8")
    edited = _reanchor(curator_root, "rules_delay", str(in_place))
    assert edited.exit_code == 1 and "edited in place" in edited.output

    assert _reanchor(curator_root, "rules_delay", str(tmp_path / "absent.txt")).exit_code == 2
    assert _unchanged(curator_root) == original
    assert not (curator_root / (RECORD + ".bak")).exists()
    assert sorted(p.name for p in (curator_root / "seeds").iterdir()) == [
        "coalition_letter.txt",
        "draft_note.txt",
        "rules_delay.txt",
    ]


def test_moved_mentions_are_snapped_to_whole_tokens():
    # spaCy reads "500m." as "500" + "m.": a span ending after "m" must take the period too.
    text = "A fine of Rs 500m. was set."
    tokens = Tokens(text, [{"start": 0, "end": len(text)}])
    start = text.index("Rs")
    wide = tokens.snap((start, start + 7), widen=True)
    narrow = tokens.snap((start, start + 7), widen=False)
    assert wide is not None and text[wide[0] : wide[1]] == "Rs 500m."
    assert narrow is not None and text[narrow[0] : narrow[1]] == "Rs 500"
    assert tokens.snap((start, start + 2), widen=True) == (start, start + 2)
