"""`newscorpus show` gives every field a reviewer checks, in the terminal and in HTML, so that
nobody has to open the JSON: the annotation block, the source metadata with what was inferred
and from what, the document labels and the unconfirmed suggestions."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.jsonio import dumps

CURATOR = Path(__file__).resolve().parent / "data" / "curator"
NOTES = "Relations read off context are flagged (8.2); [bold]kept as written[/bold]."
EXPECTED = {
    "status": "draft (split train)",
    "guidelines": "unstated",
    "annotators": "ann-1, ann-2",
    "notes": NOTES,
    "publisher": "Example Times (as written: masthead of the seed)",
    "url": "unknown",
    "published": "2020 (inferred: the title names the Rules 2020 as current news)",
    "dateline": "Islamabad (as written: Islamabad:)",
    "language": "en (inferred: identified from the text)",
    "topics": "regulation, internet",
    "countries": "PK, IN",
}
PERSON = "Amir Bajwa"  # the fixture's one PERSON mention, made an unconfirmed suggestion


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "root"
    shutil.copytree(CURATOR / "root", target)
    path = target / "corpus" / "records" / "rules_delay.json"
    record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    record["annotation"] = {
        "annotators": ["ann-1", "ann-2"],
        "guidelines_version": None,
        "status": "draft",
        "notes": NOTES,
    }
    source = record["source"]
    source["publisher"] = {
        "value": "Example Times",
        "inferred": False,
        "evidence": "masthead of the seed",
    }
    source["published_date"] = {
        "value": "2020",
        "inferred": True,
        "evidence": "the title names the Rules 2020 as current news",
    }
    source["language"] = {"value": "en", "inferred": True, "evidence": "identified from the text"}
    record["labels"]["countries"] = ["PK", "IN"]
    mention = next(m for m in record["mentions"] if m["text"] == PERSON)
    mention["suggested"] = True
    path.write_text(dumps(record), encoding="utf-8")
    return target


def _show(root: Path, *args: str):
    return CliRunner().invoke(
        main, ["show", "rules_delay", *args, "--root", str(root)], env={"COLUMNS": "200"}
    )


def _suggested(root: Path) -> dict[str, Any]:
    path = root / "corpus" / "records" / "rules_delay.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    (mention,) = [m for m in record["mentions"] if m.get("suggested")]
    return mention


def _expected(mention: dict[str, Any]) -> dict[str, str]:
    return {
        **EXPECTED,
        "suggested": f"1 unconfirmed: {mention['id']} (confirm or delete each before gold)",
    }


def test_terminal_shows_every_field_a_reviewer_checks(root):
    mention = _suggested(root)
    result = _show(root)
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.output.splitlines()]
    for field, value in _expected(mention).items():
        assert any(line.split(None, 1) == [field, value] for line in lines), (field, lines[:20])
    # The unconfirmed mention reads as such in the text and in its entity's row.
    assert f"[{PERSON}]?PERSON {mention['entity']}" in result.output
    assert f"{PERSON} ({mention['id']}, suggested)" in result.output


class MetaTable(HTMLParser):
    """The rows of the page's meta table, and the text of every <sup> tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, str] = {}
        self.cells: list[str] | None = None
        self.in_meta = False
        self.sups: list[str] = []
        self.in_sup = False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("class") == "meta":
            self.in_meta = True
        elif self.in_meta and tag == "tr":
            self.cells = []
        elif self.in_meta and tag == "td" and self.cells is not None:
            self.cells.append("")
        elif tag == "sup":
            self.in_sup = True
            self.sups.append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_meta = False
        elif tag == "tr" and self.cells:
            self.rows[self.cells[0]] = self.cells[1]
            self.cells = None
        elif tag == "sup":
            self.in_sup = False

    def handle_data(self, data):
        if self.in_meta and self.cells:
            self.cells[-1] += data
        if self.in_sup:
            self.sups[-1] += data


def test_html_shows_every_field_a_reviewer_checks(root, tmp_path):
    mention = _suggested(root)
    page_file = tmp_path / "page.html"
    result = _show(root, "--html", str(page_file))
    assert result.exit_code == 0, result.output
    page = MetaTable()
    page.feed(page_file.read_text(encoding="utf-8"))
    for field, value in _expected(mention).items():
        assert page.rows.get(field) == value, field
    # The one PERSON mention is tagged as unconfirmed; the confirmed ones are not.
    tag = f"PERSON {mention['entity']}"
    assert "?" + tag in page.sups and tag not in page.sups
    assert any(t.startswith("ORG ") for t in page.sups)
    assert not any(t.startswith("?ORG") for t in page.sups)
    assert f"{PERSON} ({mention['id']}, suggested)" in page_file.read_text(encoding="utf-8")


def test_unknown_metadata_and_an_empty_annotation_block_say_so(root):
    path = root / "corpus" / "records" / "rules_delay.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["source"]["dateline"] = None
    record["annotation"].update(annotators=[], notes=None)
    record["labels"] = {"topics": [], "countries": []}
    for mention in record["mentions"]:
        mention.pop("suggested", None)
    path.write_text(dumps(record), encoding="utf-8")
    lines = [line.rstrip().split(None, 1) for line in _show(root).output.splitlines()]
    for field, value in (
        ("dateline", "unknown"),
        ("annotators", "-"),
        ("notes", "-"),
        ("topics", "-"),
        ("countries", "-"),
        ("suggested", "none"),
    ):
        assert [field, value] in lines, field
