"""The derived sentences and tokens agree with spaCy run passage by passage, the plain way."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newscorpus.dev.synth import synth_records
from newscorpus.ingest import clean_text, split_passages
from newscorpus.tokens import (
    _pipeline,
    _token_table,
    bio_tags,
    first_difference,
    may_span_sentences,
    sentence_starts,
    sentences,
    token_boundaries,
)

REPO = Path(__file__).resolve().parent.parent


def reference(text: str, passages: list[dict]) -> list[tuple[int, int, tuple]]:
    """spaCy on each passage separately, keeping non-space tokens."""
    out = []
    for passage in passages:
        offset = passage["start"]
        for sent in _pipeline()(text[offset : passage["end"]]).sents:
            tokens = tuple(
                (offset + t.idx, offset + t.idx + len(t.text)) for t in sent if not t.is_space
            )
            if tokens:
                out.append((tokens[0][0], tokens[-1][1], tokens))
    return out


def ours(text: str, passages: list[dict]) -> list[tuple[int, int, tuple]]:
    return [(s.start, s.end, s.tokens) for s in sentences(text, passages)]


def test_seed_and_synthetic_records_match_the_reference():
    records = [json.loads((REPO / "corpus/records/000_1b05e77db752fde4.json").read_text())]
    records += [record for record, _ in synth_records(10, seed=3)]
    for record in records:
        assert ours(record["text"], record["passages"]) == reference(
            record["text"], record["passages"]
        )


prose = st.lists(
    st.sampled_from(
        [
            "Mr.",
            "Rs",
            "500",
            "said.",
            "“We",
            "will”",
            "U.S.",
            "go!",
            "Why?",
            "(PTA)",
            "and",
            "the",
            "Bank",
            "—",
            "...",
            "\n",
            "\n\n",
            "e.g.",
            "$3",
            "«Oui»",
            "x",
            # special cases of the tokenizer, which its last pass can pair across a single
            # space (":>D" alone keeps ":>" whole; ") :>D" splits it), never across a passage
            ":))",
            ")",
            ":>D",
            "Didn’t",
            "Thisll",
            "o.O",
            "(._.)",
            "10a.m.",
            "'s",
            "'",
            "<3",
        ]
    ),
    min_size=1,
    max_size=60,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(prose)
def test_random_prose_matches_the_reference(raw):
    text = clean_text(raw).text
    if not text:
        return
    passages = split_passages(text)
    assert ours(text, passages) == reference(text, passages)
    starts, ends = token_boundaries(text, passages)
    tokens = [t for s in reference(text, passages) for t in s[2]]
    assert starts == {s for s, _ in tokens} and ends == {e for _, e in tokens}


def pipe_sentence_starts(text: str) -> list[bool]:
    """spaCy's sentencizer itself: which tokens it marks as sentence starts."""
    return [bool(token.is_sent_start) for token in _pipeline()(text)]


@settings(max_examples=300, deadline=None)
@given(st.one_of(prose, st.text(alphabet=" \n.!?;\"'()[]«»“”…。！？·ab1", max_size=40)))
def test_the_array_sentencizer_agrees_with_the_pipe_token_by_token(raw):
    # The build reads sentence starts off the tokenizer's arrays rather than running the
    # sentencizer pipe; the two must mark exactly the same tokens, raw text included.
    assert sentence_starts(_token_table(raw)).tolist() == pipe_sentence_starts(raw)


def test_the_array_sentencizer_agrees_with_the_pipe_on_synthetic_articles():
    for record, _ in synth_records(5, seed=8):
        text = record["text"]
        assert sentence_starts(_token_table(text)).tolist() == pipe_sentence_starts(text)


@settings(max_examples=200, deadline=None)
@given(prose, st.data())
def test_spans_said_safe_never_cross_a_sentence_break(raw, data):
    text = clean_text(raw).text
    if not text:
        return
    passages = split_passages(text)
    found = ours(text, passages)
    tokens = [(t, i) for i, s in enumerate(found) for t in s[2]]
    if not tokens:
        return
    first = data.draw(st.integers(0, len(tokens) - 1))
    last = data.draw(st.integers(first, len(tokens) - 1))
    (start, _), first_sentence = tokens[first]
    (_, end), last_sentence = tokens[last]
    inside_one_passage = any(p["start"] <= start and end <= p["end"] for p in passages)
    if inside_one_passage and not may_span_sentences(text[start:end]):  # spans never cross
        assert first_sentence == last_sentence


def _nam(start: int, end: int, label: str, mention_type: str = "NAM") -> dict:
    return {"start": start, "end": end, "label": label, "mention_type": mention_type}


def test_bio_tags_mark_the_first_token_of_each_name():
    tokens = [(0, 3), (4, 9), (10, 13), (14, 20), (21, 24)]
    mentions = [_nam(4, 13, "PERSON"), _nam(14, 20, "GPE"), _nam(21, 24, "ORG", "NOM")]
    assert bio_tags(mentions, tokens) == ["O", "B-PERSON", "I-PERSON", "B-GPE", "O"]


def test_bio_tags_stay_well_formed_for_overlapping_or_misaligned_mentions():
    tokens = [(0, 3), (4, 9), (10, 13)]
    # The longer of two mentions at one start wins; a token starting inside a mention is in it.
    mentions = [_nam(4, 9, "ORG"), _nam(4, 13, "PERSON")]
    assert bio_tags(mentions, tokens) == ["O", "B-PERSON", "I-PERSON"]
    # An earlier mention keeps the tokens it has; the later one starts afresh with B.
    mentions = [_nam(1, 5, "GPE"), _nam(4, 13, "PERSON")]
    assert bio_tags(mentions, tokens) == ["O", "B-GPE", "B-PERSON"]
    assert bio_tags([_nam(5, 7, "GPE")], tokens) == ["O", "O", "O"]


def test_the_ner_view_and_the_conll_export_tag_alike():
    from newscorpus.interop.conll import tagged_sentences
    from newscorpus.publish.views import ner_rows

    for record, _ in synth_records(3, seed=4):
        rows = ner_rows(record)
        assert [[tag for _, tag in sentence] for sentence in tagged_sentences(record)] == [
            row["ner_tags"] for row in rows
        ]
        assert any(tag != "O" for row in rows for tag in row["ner_tags"])


def test_first_difference():
    assert first_difference("abc", "abc") is None
    assert first_difference("abc", "abd") == 2
    assert first_difference("ab", "abc") == 2
    assert first_difference("", "x") == 0
