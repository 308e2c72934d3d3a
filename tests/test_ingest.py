"""Ingestion: general repair rules, passages, provenance and split, and its invariants."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscorpus.ingest import (
    IngestError,
    clean_text,
    derive_id,
    draft_record,
    split_for,
    split_passages,
)
from newscorpus.labels import SPLITS

DATA = Path(__file__).parent / "data" / "ingest"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_1b05e77db752fde4.txt"


def test_seed_is_the_byte_exact_original():
    digest = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert digest == "c87f21e34162303e46a85f9c25cbdc17343e77f922c4560b0161904aa9ae9544"


def test_seed_artefacts_are_repaired_by_general_rules():
    record = draft_record(SEED.read_bytes(), "seeds/" + SEED.name, "seed")
    text = record["text"]
    assert text.startswith("Pakistan rights groups boycott talks over govt's bid")
    assert "\\'" not in text and "Next Story" not in text
    assert text.endswith("rules and regulations for social media.")
    rules = {c["rule"]: c["count"] for c in record["source"]["cleaning"]}
    assert rules == {"unescape-backslash-quote": 1, "drop-trailing-navigation": 1}
    kinds = [p["type"] for p in record["passages"]]
    assert kinds[:3] == ["title", "standfirst", "paragraph"] and set(kinds[2:]) == {"paragraph"}
    assert len(kinds) == 12
    assert record["source"]["dateline"] == {
        "value": "Islamabad",
        "inferred": False,
        "evidence": "Islamabad:",
    }
    assert record["source"]["publisher"] is None and record["source"]["url"] is None
    assert record["annotation"]["status"] == "draft"
    assert all(record[layer] == [] for layer in ("mentions", "entities", "quotes", "events"))


def test_new_article_with_the_same_artefacts():
    data = (DATA / "new_article.txt").read_bytes()
    record = draft_record(data, "seeds/new_article.txt", "new_article")
    text = record["text"]
    assert text.splitlines()[0] == "Court's ruling on data law sparks row"
    assert "users' messages" in text and '"consultations"' in text and "appeal & seek" in text
    assert "\r" not in text and "\ufeff" not in text and "\u00a0" not in text
    assert not text.endswith(("Next Story", "Share this article"))
    rules = {c["rule"] for c in record["source"]["cleaning"]}
    assert {
        "drop-bom",
        "normalize-newlines",
        "unescape-backslash-quote",
        "unescape-html",
        "drop-trailing-navigation",
        "normalize-spaces",
        "collapse-spaces",
    } <= rules
    assert [p["type"] for p in record["passages"]] == [
        "title",
        "standfirst",
        "paragraph",
        "paragraph",
    ]
    assert record["source"]["dateline"]["value"] == "Lahore"
    assert record["source"]["seed_sha256"] == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("latin1.txt", "not valid UTF-8 (byte 0xe9 at offset 3)"),
        ("binary.txt", "looks binary"),
        ("empty.txt", "the seed is empty"),
        ("blank.txt", "no article text left"),
    ],
)
def test_bad_seeds_get_a_clear_error(name, message):
    with pytest.raises(IngestError, match=re.escape(message)) as info:
        draft_record((DATA / name).read_bytes(), f"seeds/{name}", "x")
    assert f"seeds/{name}" in str(info.value)


def test_split_is_fixed_by_the_id():
    # Pinned: an article's split never moves, whatever else the corpus holds or held.
    pinned = {"doc-0": "train", "doc-2": "validation", "doc-12": "test", "doc-15": "validation"}
    assert {doc_id: split_for(doc_id) for doc_id in pinned} == pinned
    counts = {split: 0 for split in SPLITS}
    for i in range(2000):
        counts[split_for(f"doc-{i}")] += 1
    assert 0.75 < counts["train"] / 2000 < 0.85
    assert 0.07 < counts["validation"] / 2000 < 0.13 and 0.07 < counts["test"] / 2000 < 0.13


def test_derived_ids_are_safe_slugs():
    assert derive_id(Path("seeds/000_1b05e77db752fde4.txt")) == "000_1b05e77db752fde4"
    assert derive_id(Path("a b/../Some story (v2).txt")) == "Some-story-v2"
    assert derive_id(Path("¿¿¿.txt")).startswith("doc-")


def _tiles(text: str, passages: list[dict]) -> bool:
    position = 0
    for passage in passages:
        if passage["start"] < position or text[position : passage["start"]].strip():
            return False
        body = text[passage["start"] : passage["end"]]
        if not body or body != body.strip():
            return False
        position = passage["end"]
    return not text[position:].strip()


articles = st.text(
    alphabet=st.sampled_from(list("ab .,:'\"\\\r\n\t\u00a0\ufeff\u0301é&;#\u200b"))
    | st.characters(),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(articles)
def test_cleaning_is_idempotent_nfc_and_lf(raw):
    cleaned = clean_text(raw).text
    assert clean_text(cleaned).text == cleaned
    assert clean_text(cleaned).rules == {}
    assert unicodedata.is_normalized("NFC", cleaned)
    assert "\r" not in cleaned and "\ufeff" not in cleaned


@settings(max_examples=300, deadline=None)
@given(articles)
def test_ingestion_never_crashes_and_passages_tile(raw):
    data = raw.encode("utf-8", "surrogatepass")
    try:
        record = draft_record(data, "seeds/x.txt", "x")
    except IngestError:
        return
    assert _tiles(record["text"], record["passages"])
    assert record["passages"] == split_passages(record["text"])
    again = draft_record(record["text"].encode("utf-8"), "seeds/x.txt", "x")
    assert again["text"] == record["text"]


@pytest.mark.parametrize(
    ("raw", "text", "rule"),
    [
        ("a\x01b", "ab", "drop-control-characters"),
        ("a\u2060b", "ab", "drop-zero-width"),
        ("a\u2066b", "ab", "drop-bidi-control"),
        ("fish &amp; chips", "fish & chips", "unescape-html"),
        ("it\\'s", "it's", "unescape-backslash-quote"),
        ("a\u3000b", "a b", "normalize-spaces"),
        ("a\tb", "a b", "normalize-spaces"),
        ("a  b", "a b", "collapse-spaces"),
        ("a \nb", "a\nb", "strip-line-spaces"),
        ("a\n b", "a\nb", "strip-line-spaces"),
        (" a", "a", "strip-line-spaces"),
        ("a ", "a", "strip-line-spaces"),
    ],
)
def test_each_rule_repairs_a_text_that_needs_only_it(raw, text, rule):
    # A text is scanned once for what any rule could act on, and the rules that cannot
    # change it are skipped: a single character or space to repair is still found.
    cleaned = clean_text(raw)
    assert cleaned.text == text
    assert set(cleaned.rules) == {rule}


def test_joiners_stay_and_invisible_controls_go():
    # ZWJ inside an emoji sequence and ZWNJ inside a Persian word are part of the text;
    # a zero-width space and a right-to-left override are not.
    raw = "Coder 👩\u200d💻 wrote می\u200cخواهم\u200b today \u202eevil\u202c.\n".encode()
    record = draft_record(raw, "seeds/joiners.txt", "joiners")
    assert "👩\u200d💻" in record["text"] and "می\u200cخواهم" in record["text"]
    assert "\u200b" not in record["text"] and "\u202e" not in record["text"]
    rules = {c["rule"]: c["count"] for c in record["source"]["cleaning"]}
    assert rules["drop-zero-width"] == 1 and rules["drop-bidi-control"] == 2
