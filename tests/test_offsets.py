"""Every offset of every config slices the text its description in the card names.

The card of a build of the three fixture articles is read as a reader reads it: for each config,
its table of fields; a field described as "Start offset of the X, in code points of T" pairs
with the field "End offset of the X (exclusive), ..." and T says which text they index, this
row's own `text` or the `text` of the documents row whose `id` is the row's `doc_id`. Every
row of every config is sliced so, and the slice must be the text the card says the span holds
(a field described as "... text[start:end]"), or the token for the token offsets of `ner`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import datasets
import pytest

from articles_build import CONFIGS, build_articles, load_all

pytestmark = pytest.mark.slow

OWN = "this row's `text`"
ARTICLE = "the article's `text` (in the `documents` row whose `id` is `doc_id`)"
_FIELD = re.compile(r"^\| `([\w.]+)` \| [^|]+ \| (.*) \|$", re.M)
_START = re.compile(r"^Start offset of the (.+?), in code points of (.+?)[.;,]")
_END = re.compile(r"^End offset of the (.+?) \(exclusive\), in code points of (.+?)[.;,]")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, datasets.Dataset]]:
    root = build_articles(tmp_path_factory.mktemp("offsets") / "root")
    card = (root / "corpus" / "README.md").read_text(encoding="utf-8")
    return card, load_all(root, tmp_path_factory.mktemp("hf-cache"))


def card_fields(card: str, config: str) -> dict[str, str]:
    """The config's fields and their descriptions, from its table under "Data fields"."""
    section = card.split("## Data fields", 1)[1].split(f"### `{config}`\n", 1)[1]
    table = section.split("\n### ", 1)[0].split("\n## ", 1)[0]
    return dict(_FIELD.findall(table))


def offset_pairs(fields: dict[str, str]) -> list[tuple[str, str, str]]:
    """(start field, end field, the text they index as the card words it)."""
    ends = {}
    for path, description in fields.items():
        end = _END.match(description)
        if end:
            ends[end.group(1)] = (path, end.group(2))
    pairs = []
    for path, description in fields.items():
        start = _START.match(description)
        if start:
            end_path, into = ends.pop(start.group(1))
            assert into == start.group(2), f"{path} and {end_path} name other texts"
            pairs.append((path, end_path, into))
    assert not ends, f"end offsets without a start: {ends}"
    return pairs


def spans(row: dict[str, Any], start: str, end: str) -> Iterator[tuple[Any, Any, dict]]:
    """(start, end, the struct holding them) for every value of a dotted pair of fields."""
    *parents, start_leaf = start.split(".")
    end_leaf = end.split(".")[-1]
    holders: list[Any] = [row]
    for name in parents:
        nested = [holder[name] for holder in holders if holder.get(name) is not None]
        holders = [x for value in nested for x in (value if isinstance(value, list) else [value])]
    for holder in holders:
        yield holder[start_leaf], holder[end_leaf], holder


def test_the_card_names_a_text_for_every_offset(built) -> None:
    card, _ = built
    named = {
        config: sorted({into for _, _, into in offset_pairs(card_fields(card, config))})
        for config in CONFIGS
    }
    assert named == {
        "documents": ["this row's `text` (the article)"],
        **{config: [ARTICLE] for config in CONFIGS if config not in ("documents", "relations")},
        "relations": [],
    }


@pytest.mark.parametrize("config", CONFIGS)
def test_every_offset_slices_the_text_the_card_names(built, config: str) -> None:
    card, loaded = built
    fields = card_fields(card, config)
    articles = {row["id"]: row["text"] for row in loaded["documents"]}
    sliced = 0
    for row in loaded[config]:
        for start_field, end_field, into in offset_pairs(fields):
            text = row["text"] if into.startswith(OWN) else articles[row["doc_id"]]
            assert into.startswith(OWN) or into == ARTICLE, into
            for start, end, holder in spans(row, start_field, end_field):
                if start is None and end is None:  # a cue that is not there
                    continue
                for s, e, says in _stated(start, end, holder, row, fields, start_field):
                    assert 0 <= s < e <= len(text), (config, row.get("id"), start_field)
                    assert says is None or text[s:e] == says, (config, row.get("id"), s, e)
                    sliced += says is not None
    assert sliced >= len(loaded[config]) or config == "relations"


def _stated(start, end, holder, row, fields, start_field) -> Iterator[tuple[int, int, Any]]:
    """Each (start, end) with the text the card says it spans: the field described as
    `text[<start>:<end>]` beside it, the row's tokens for a list of token offsets, or None
    when the card states none."""
    if isinstance(start, list):
        assert fields["tokens"].startswith("The sentence's tokens")
        assert "minus start_char, in this row's `text`" in fields[start_field]
        for s, e, token in zip(start, end, row["tokens"], strict=True):
            offset = s - row["start_char"]
            assert row["text"][offset : offset + e - s] == token
            yield s, e, token
        return
    prefix = start_field.rsplit(".", 1)[0] + "." if "." in start_field else ""
    leaf = start_field.split(".")[-1]
    for path, description in fields.items():
        named = re.search(r"text\[(\w+):(\w+)\]", description)
        if named and named.group(1) == leaf and path == prefix + path.split(".")[-1]:
            yield start, end, holder[path.split(".")[-1]]
            return
    yield start, end, None  # no field states the text (passages): the slice must be in range
