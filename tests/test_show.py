"""`newscorpus show`: every layer visible in the terminal and in a self-contained HTML page."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.table import Table

from newscorpus.cli import main
from newscorpus.curate.show import TERMINAL_COLOURS, layer_tables, terminal_view
from newscorpus.curate.show.html import HTML_COLOURS, html_page
from newscorpus.ingest import draft_record
from newscorpus.jsonio import dumps
from newscorpus.labels import ENTITY_LABELS

CURATOR = Path(__file__).resolve().parent / "data" / "curator"
VOID = {"meta", "br", "img", "link", "input", "hr"}


@pytest.fixture
def curator_root(tmp_path: Path) -> Path:
    target = tmp_path / "corpus-root"
    shutil.copytree(CURATOR / "root", target)
    return target


def _show(root: Path, *args: str):
    # A wide terminal, so that table cells are not wrapped mid-phrase.
    return CliRunner().invoke(main, ["show", *args, "--root", str(root)], env={"COLUMNS": "200"})


class Page(HTMLParser):
    """Collects elements, attributes and the document text, and checks that tags nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.mismatches: list[str] = []
        self.doc_text: list[str] = []
        self.in_doc = 0
        self.in_tag = 0
        self.style = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in VOID:
            return
        self.stack.append(tag)
        if self.in_doc:
            self.in_doc += 1
        elif "doc" in (attributes.get("class") or "").split():
            self.in_doc = 1
        if tag == "sup":
            self.in_tag += 1

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.mismatches.append(tag)
            return
        self.stack.pop()
        if self.in_doc:
            self.in_doc -= 1
        if tag == "sup":
            self.in_tag -= 1

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.style += data
        if self.in_doc and not self.in_tag:
            self.doc_text.append(data)

    def layer_ids(self, layer: str) -> set[str]:
        return {a["data-id"] for _, a in self.tags if a.get("data-layer") == layer}


def _parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_terminal_view_shows_every_layer(curator_root):
    result = _show(curator_root, "rules_delay")
    assert result.exit_code == 0, result.output
    out = result.output
    # Mentions, bracketed and tagged with label and entity, also nested inside a quote.
    assert "[Amir Bajwa]PERSON e2" in out
    assert "[Rs 500 million]MONEY e9»q1" in out
    assert "[Pakistan Telecommunication Authority]ORG e1 ([PTA]ORG e1)" in out
    # Triggers and cues.
    assert "<said>ev1 STATEMENT" in out and "{said}cue q0" in out
    # Tables: quotes with their speaker, events with modality and arguments, relations.
    assert "Amir Bajwa (e2)" in out
    assert "hypothetical" in out and "money=Rs 500 million (m19)" in out
    assert "CHAIR_OF" in out
    assert "gold (split train)" in out


def test_show_html_has_every_layer_and_nothing_external(curator_root, tmp_path):
    page_file = tmp_path / "page.html"
    result = _show(curator_root, "rules_delay", "--html", str(page_file))
    assert result.exit_code == 0, result.output
    assert f"wrote {page_file}" in result.output
    record = json.loads((curator_root / "corpus/records/rules_delay.json").read_text())
    page = _parse(page_file)

    assert page.mismatches == [] and page.stack == []
    assert page.layer_ids("mention") == {m["id"] for m in record["mentions"]}
    assert page.layer_ids("quote") == {"q0", "q1"} == page.layer_ids("cue")
    assert page.layer_ids("trigger") == {e["id"] for e in record["events"]}
    for table in ("entities", "quotes", "events", "relations"):
        assert any(t == "table" and a.get("data-layer") == table for t, a in page.tags), table
    titles = [a.get("title") or "" for _, a in page.tags]
    assert "m14 PERSON NAM → e2" in titles
    assert "q0 direct: Amir Bajwa (e2)" in titles
    # The annotated text reads exactly as the record's text (tags aside).
    assert "".join(page.doc_text).split() == record["text"].split()

    html = page_file.read_text(encoding="utf-8")
    assert "CHAIR_OF" in html and "offender=Firms (m17)" in html
    assert {tag for tag, _ in page.tags}.isdisjoint({"script", "link", "img", "iframe", "object"})
    for _, attributes in page.tags:
        for value in attributes.values():
            assert "http" not in (value or "").lower() and "//" not in (value or "")
    assert "url(" not in page.style and "@import" not in page.style


def test_html_escapes_text_and_renders_crossing_spans(curator_root, tmp_path):
    text = 'The <b> PTA chief Amir Bajwa said "rules & <script>x</script>" today.'
    record = draft_record(text.encode(), "seeds/tricky.txt", "tricky")

    def span(surface: str) -> dict:
        start = text.index(surface)
        return {"start": start, "end": start + len(surface), "text": surface}

    record["entities"] = [
        {"id": "e0", "label": "ORG", "name": "PTA"},
        {"id": "e1", "label": "PERSON", "name": "Amir Bajwa"},
    ]
    record["mentions"] = [
        {"id": "m0", **span("PTA"), "label": "ORG", "mention_type": "NAM", "entity": "e0"},
        {
            "id": "m1",
            **span("PTA chief Amir Bajwa"),
            "label": "PERSON",
            "mention_type": "NOM",
            "entity": "e1",
        },
        {
            "id": "m2",
            **span("Amir Bajwa"),
            "label": "PERSON",
            "mention_type": "NAM",
            "entity": "e1",
        },
    ]
    # The quote starts inside a mention and ends outside it: the spans cross.
    record["quotes"] = [
        {
            "id": "q0",
            "type": "mixed",
            "content": [span('Bajwa said "rules &')],
            "cue": span("said"),
            "source": "m2",
            "speaker": "e1",
        }
    ]
    (curator_root / "corpus/records/tricky.json").write_text(dumps(record), encoding="utf-8")

    page_file = tmp_path / "tricky.html"
    assert _show(curator_root, "tricky", "--html", str(page_file)).exit_code == 0
    page = _parse(page_file)
    assert page.mismatches == [] and page.stack == []
    assert "script" not in {tag for tag, _ in page.tags}
    assert "".join(page.doc_text) == text
    assert "&lt;script&gt;" in page_file.read_text(encoding="utf-8")
    # The crossing quote is drawn in two pieces, the second marked as a continuation.
    quote_pieces = [a["class"] for _, a in page.tags if a.get("data-layer") == "quote"]
    assert quote_pieces == ["quote", "quote continued"]


def test_show_exit_codes(curator_root, tmp_path):
    missing = _show(curator_root, "no_such_record")
    assert missing.exit_code == 1
    assert "no record 'no_such_record'" in missing.output

    (curator_root / "corpus/records/broken.json").write_text('{"id": "broken",', "utf-8")
    broken = _show(curator_root, "broken")
    assert broken.exit_code == 1
    assert "cannot be shown" in broken.output and "json-invalid" in broken.output

    unwritable = _show(curator_root, "rules_delay", "--html", str(tmp_path / "no/such/dir.html"))
    assert unwritable.exit_code == 1
    assert "cannot write" in unwritable.output

    assert CliRunner().invoke(main, ["show"]).exit_code == 2


def test_every_entity_label_has_a_colour_in_both_views():
    assert list(TERMINAL_COLOURS) == list(ENTITY_LABELS)
    assert list(HTML_COLOURS) == list(ENTITY_LABELS)


def test_both_views_show_the_same_layer_tables(curator_root):
    record = json.loads((curator_root / "corpus/records/rules_delay.json").read_text())
    page = html_page(record)
    terminal = [t for t in terminal_view(record) if isinstance(t, Table)]
    titles = {t.title: [c.header for c in t.columns] for t in terminal}
    for layer, columns, rows in layer_tables(record):
        assert f'<table class="{layer}"' in page
        assert "".join(f"<th>{c}</th>" for c in columns) in page
        if rows:
            assert titles[layer.capitalize()] == list(columns)
    assert "source" in titles["Quotes"]


def test_suggestions_read_as_unconfirmed_without_colour(curator_root):
    added = CliRunner().invoke(
        main,
        [
            "add",
            str(CURATOR / "incoming" / "new_article.txt"),
            "--root",
            str(curator_root),
            "--suggest",
        ],
    )
    assert added.exit_code == 0, added.output
    result = _show(curator_root, "new_article")  # CliRunner's output has no colour at all
    assert result.exit_code == 0, result.output
    assert "[Amir Bajwa]?PERSON e" in result.output
    assert "]PERSON" not in result.output.replace("]?PERSON", "")
