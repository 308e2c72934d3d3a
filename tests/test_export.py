"""`newscorpus export`: each format is read back with its own ecosystem's tools."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newscorpus.cli import main

ROOT = Path(__file__).parent / "data" / "interop" / "root"
GOLD = ["001_rules", "002_astral"]


def record(doc_id: str) -> dict[str, Any]:
    return json.loads((ROOT / "corpus" / "records" / f"{doc_id}.json").read_text("utf-8"))


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("export")
    paths = {
        "brat": out / "brat",
        "conll": out / "corpus.conll",
        "spacy": out / "corpus.spacy",
        "bigbio": out / "corpus.jsonl",
    }
    for fmt, path in paths.items():
        result = run("export", fmt, str(path), "--root", str(ROOT))
        assert result.exit_code == 0, result.output
        assert f"exported 2 record(s) as {fmt}" in result.output
    return paths


# --- spaCy -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docs(exported: dict[str, Path]) -> list[Any]:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    return list(DocBin().from_disk(exported["spacy"]).get_docs(nlp.vocab))


def test_spacy_docs_are_built_on_the_record_text(docs: list[Any]):
    assert [doc.user_data["id"] for doc in docs] == GOLD
    for doc, doc_id in zip(docs, GOLD, strict=True):
        assert doc.text == record(doc_id)["text"]
        assert len(list(doc.sents)) >= 3  # title, standfirst/paragraph sentences


def test_spacy_mentions_ents_and_clusters(docs: list[Any]):
    for doc, doc_id in zip(docs, GOLD, strict=True):
        rec = record(doc_id)
        got = [(s.id_, s.start_char, s.end_char, s.label_, s.kb_id_) for s in doc.spans["mentions"]]
        assert got == [
            (m["id"], m["start"], m["end"], m["label"], m["entity"]) for m in rec["mentions"]
        ]
        named = sorted(
            (m for m in rec["mentions"] if m["mention_type"] == "NAM"), key=lambda m: m["start"]
        )
        assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
            (m["text"], m["label"], m["entity"]) for m in named
        ]
        clusters = doc.user_data["coref_clusters"]
        assert len(clusters) == len(rec["entities"])
        for n, entity_id in clusters.items():
            members = [s.id_ for s in doc.spans[f"coref_clusters_{n}"]]
            assert members == [m["id"] for m in rec["mentions"] if m["entity"] == entity_id]


def test_spacy_quotes_triggers_and_cats(docs: list[Any]):
    doc, rec = docs[0], record("001_rules")
    assert [(s.id_, s.label_, s.text) for s in doc.spans["quotes"]] == [
        (q["id"], q["type"], part["text"]) for q in rec["quotes"] for part in q["content"]
    ]
    assert [(s.id_, s.label_, s.text, s.kb_id_) for s in doc.spans["event_triggers"]] == [
        (e["id"], e["type"], e["trigger"]["text"], e["cluster"]) for e in rec["events"]
    ]
    assert [s.text for s in doc.spans["quote_cues"]] == ["said", "said"]
    assert {k for k, v in doc.cats.items() if v == 1.0} == set(rec["labels"]["topics"])
    assert doc.cats["sports"] == 0.0
    assert list(doc.user_data["countries"]) == ["PK"]
    assert doc.user_data["expanded_spans"] == ()


# --- CoNLL -----------------------------------------------------------------------------------


def test_conll_parses_and_counts_the_named_mentions(exported: dict[str, Path]):
    from spacy.training.converters import conll_ner_to_docs

    data = exported["conll"].read_text("utf-8")
    parsed = list(conll_ner_to_docs(data, no_print=True))
    assert len(parsed) == 2
    for doc, doc_id in zip(parsed, GOLD, strict=True):
        named = sorted(
            (m for m in record(doc_id)["mentions"] if m["mention_type"] == "NAM"),
            key=lambda m: m["start"],
        )
        assert [(e.text, e.label_) for e in doc.ents] == [(m["text"], m["label"]) for m in named]
    body = [line for line in data.split("\n") if line and not line.startswith("-DOCSTART-")]
    assert all(len(line.split(" ")) == 2 for line in body)
    assert data.count("-DOCSTART- -X- O O\n") == 2


def test_conll_tokens_come_from_the_corpus_tokenizer(exported: dict[str, Path]):
    from newscorpus.tokens import sentences

    rec = record("002_astral")
    expected = [
        rec["text"][s:e] for sent in sentences(rec["text"], rec["passages"]) for s, e in sent.tokens
    ]
    second = exported["conll"].read_text("utf-8").split("-DOCSTART- -X- O O\n")[2]
    assert [line.split(" ")[0] for line in second.split("\n") if line] == expected


# --- brat ------------------------------------------------------------------------------------


def test_brat_offsets_slice_the_txt(exported: dict[str, Path]):
    folder = exported["brat"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "001_rules.ann",
        "001_rules.txt",
        "002_astral.ann",
        "002_astral.txt",
        "annotation.conf",
    ]
    checked = 0
    for doc_id in GOLD:
        with open(folder / f"{doc_id}.txt", encoding="utf-8", newline="") as handle:
            text = handle.read()
        assert text == record(doc_id)["text"]
        for line in (folder / f"{doc_id}.ann").read_text("utf-8").splitlines():
            if line.startswith("T"):
                _, kind_offsets, said = line.split("\t")
                spans = [
                    tuple(map(int, part.split()))
                    for part in kind_offsets.split(" ", 1)[1].split(";")
                ]
                assert " ".join(text[s:e] for s, e in spans) == said
                checked += 1
    assert checked > 30


def test_brat_conf_declares_the_inventory(exported: dict[str, Path]):
    from newscorpus.labels import ENTITY_LABELS, EVENT_TYPES, RELATION_TYPES

    conf = (exported["brat"] / "annotation.conf").read_text("utf-8")
    sections = dict.fromkeys(("entities", "relations", "events", "attributes"), "")
    current = None
    for line in conf.splitlines():
        if line.startswith("["):
            current = line.strip("[]")
        elif line and not line.startswith("#") and current:
            sections[current] += line.split("\t")[0] + "\n"
    assert set(ENTITY_LABELS) <= set(sections["entities"].split())
    assert set(RELATION_TYPES) <= set(sections["relations"].split())
    assert set(EVENT_TYPES) == set(sections["events"].split())
    assert {"MentionType", "Modality", "QuoteType"} <= set(sections["attributes"].split())


def test_brat_relation_arguments_follow_the_representative_rule(exported: dict[str, Path]):
    ann = (exported["brat"] / "001_rules.ann").read_text("utf-8")
    # r4's evidence is the law alone: Arg2 falls back to the person's first named mention,
    # and the evidence is kept in a note.
    assert "R4\tISSUED_BY Arg1:T17 Arg2:T18\n" in ann
    assert "AnnotatorNotes R4\tevidence T17\n" in ann
    assert "E3\tTHREATEN:T21 agent:T3 agent2:T4\n" in ann


def test_brat_round_trip_reproduces_the_records_byte_for_byte(
    exported: dict[str, Path], tmp_path: Path
):
    out = tmp_path / "imported"
    result = run("import", "brat", str(exported["brat"]), "--root", str(ROOT), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "2 record(s) written" in result.output
    for doc_id in GOLD:
        # Status (gold stays gold), mention order and ids included.
        original = (ROOT / "corpus" / "records" / f"{doc_id}.json").read_bytes()
        assert (out / f"{doc_id}.json").read_bytes() == original, doc_id
    check = run("validate", "--root", str(ROOT), str(out))
    assert check.exit_code == 0, check.output


# --- BigBIO ----------------------------------------------------------------------------------


def kb_features() -> Any:
    """The bigbio_kb features, as BigBIO's schema module declares them."""
    import datasets

    string, offsets = datasets.Value("string"), datasets.Sequence([datasets.Value("int32")])
    texts = datasets.Sequence(string)
    normalized = [{"db_name": string, "db_id": string}]
    return datasets.Features(
        {
            "id": string,
            "document_id": string,
            "passages": [{"id": string, "type": string, "text": texts, "offsets": offsets}],
            "entities": [
                {
                    "id": string,
                    "type": string,
                    "text": texts,
                    "offsets": offsets,
                    "normalized": normalized,
                }
            ],
            "events": [
                {
                    "id": string,
                    "type": string,
                    "trigger": {"text": texts, "offsets": offsets},
                    "arguments": [{"role": string, "ref_id": string}],
                }
            ],
            "coreferences": [{"id": string, "entity_ids": datasets.Sequence(string)}],
            "relations": [
                {
                    "id": string,
                    "type": string,
                    "arg1_id": string,
                    "arg2_id": string,
                    "normalized": normalized,
                }
            ],
        }
    )


def all_ids(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == "id" and not isinstance(v, (dict, list))] + [
            i for v in value.values() if isinstance(v, (dict, list)) for i in all_ids(v)
        ]
    if isinstance(value, list):
        return [i for v in value for i in all_ids(v)]
    return []


def test_bigbio_rows_pass_bigbios_checks(exported: dict[str, Path]):
    import datasets

    rows = [json.loads(line) for line in exported["bigbio"].read_text("utf-8").splitlines()]
    assert [row["document_id"] for row in rows] == GOLD
    # The rows encode with the kb features (every field present, every type right).
    dataset = datasets.Dataset.from_list(rows, features=kb_features())
    assert dataset.num_rows == 2
    ids = all_ids(rows)
    assert len(ids) == len(set(ids)), "ids must be unique across the whole file"
    for row, doc_id in zip(rows, GOLD, strict=True):
        text = " ".join(t for p in row["passages"] for t in p["text"])
        for passage in row["passages"]:
            assert len(passage["text"]) == len(passage["offsets"]) == 1
            ((start, end),) = passage["offsets"]
            assert text[start:end] == passage["text"][0]
        spans = [(e["offsets"], e["text"]) for e in row["entities"]]
        spans += [(e["trigger"]["offsets"], e["trigger"]["text"]) for e in row["events"]]
        for offsets, texts in spans:
            assert len(offsets) == len(texts)
            assert [text[s:e] for s, e in offsets] == texts
        entities = {e["id"] for e in row["entities"]}
        events = {e["id"] for e in row["events"]}
        for event in row["events"]:
            assert all(a["ref_id"] in entities | events for a in event["arguments"])
        for chain in row["coreferences"]:
            assert set(chain["entity_ids"]) <= entities
        for relation in row["relations"]:
            assert {relation["arg1_id"], relation["arg2_id"]} <= entities
        rec = record(doc_id)
        assert len(row["entities"]) == len(rec["mentions"])
        assert len(row["coreferences"]) == len(rec["entities"])
        assert len(row["relations"]) == len(rec["relations"])


def test_bigbio_keeps_kb_links_and_clusters(exported: dict[str, Path]):
    row = json.loads(exported["bigbio"].read_text("utf-8").splitlines()[0])
    pakistan = [e for e in row["entities"] if e["text"] == ["Pakistan"]]
    assert len(pakistan) == 3
    assert all(e["normalized"] == [{"db_name": "wikidata", "db_id": "Q843"}] for e in pakistan)
    chain = next(c for c in row["coreferences"] if c["id"] == "001_rules_e1")
    assert chain["entity_ids"] == [e["id"] for e in pakistan]


# --- selection and refusals ------------------------------------------------------------------


def test_drafts_are_left_out_unless_asked_for(tmp_path: Path):
    result = run(
        "export", "conll", str(tmp_path / "all.conll"), "--root", str(ROOT), "--include-drafts"
    )
    assert result.exit_code == 0, result.output
    assert "exported 3 record(s)" in result.output
    assert (tmp_path / "all.conll").read_text("utf-8").count("-DOCSTART-") == 3


def test_export_refuses_an_existing_output(tmp_path: Path):
    target = tmp_path / "corpus.jsonl"
    target.write_text("keep me\n", encoding="utf-8")
    result = run("export", "bigbio", str(target), "--root", str(ROOT))
    assert result.exit_code == 1
    assert "exists" in result.output
    assert target.read_text("utf-8") == "keep me\n"


def test_export_refuses_invalid_records(interop_root: Path, tmp_path: Path):
    path = interop_root / "corpus" / "records" / "001_rules.json"
    broken = json.loads(path.read_text("utf-8"))
    broken["mentions"][0]["text"] = "Pakistani"
    path.write_text(json.dumps(broken, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run("export", "spacy", str(tmp_path / "x.spacy"), "--root", str(interop_root))
    assert result.exit_code == 1
    assert "[span-text-mismatch]" in result.output
    assert not (tmp_path / "x.spacy").exists()


def test_export_without_gold_records_says_how_to_include_drafts(interop_root: Path, tmp_path: Path):
    for doc_id in GOLD:
        (interop_root / "corpus" / "records" / f"{doc_id}.json").unlink()
    result = run("export", "brat", str(tmp_path / "b"), "--root", str(interop_root))
    assert result.exit_code == 1
    assert "--include-drafts" in result.output


def test_unknown_format_is_a_usage_error(tmp_path: Path):
    result = run("export", "xml", str(tmp_path / "x"), "--root", str(ROOT))
    assert result.exit_code == 2


@pytest.mark.parametrize("command", ["export", "import"])
def test_help_has_an_example(command: str):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example: newscorpus " + command in result.output


def test_brat_span_across_a_line_break_is_split_and_joined_again():
    from newscorpus.interop import brat

    text = "Talks in New\nYork\n\nEnd."
    rec = {
        "text": text,
        "passages": [
            {"id": "p0", "type": "title", "start": 0, "end": 17},
            {"id": "p1", "type": "paragraph", "start": 19, "end": 23},
        ],
        "mentions": [
            {
                "id": "m1",
                "start": 9,
                "end": 17,
                "text": "New\nYork",
                "label": "GPE",
                "mention_type": "NAM",
                "entity": "e1",
            }
        ],
        "entities": [{"id": "e1", "label": "GPE", "name": "New York"}],
        "quotes": [],
        "events": [],
        "relations": [],
    }
    ann = brat.record_to_ann(rec)
    assert ann.startswith("T1\tGPE 9 12;13 17\tNew York\n")
    problems = brat._Problems("x.ann", "x")
    layers = brat.ann_to_layers(ann, rec, problems)
    assert list(problems) == []
    assert layers["mentions"] == rec["mentions"]
    assert layers["entities"] == rec["entities"]


# An inventory where one word names an entity label and an event type, as an edit of
# schema/labels.json could make it: the brat mapping cannot tell them apart.
_CLASHING_INVENTORY = """
import sys
import newscorpus.labels as labels
labels.EVENT_TYPES = (*labels.EVENT_TYPES, "PERSON")
from newscorpus.cli import main
main(["export", "brat", sys.argv[1], "--root", sys.argv[2]])
"""


def test_a_label_inventory_brat_cannot_tell_apart_is_refused_with_the_place_and_the_fix(
    tmp_path: Path,
):
    done = subprocess.run(
        [sys.executable, "-c", _CLASHING_INVENTORY, str(tmp_path / "b"), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "schema/labels.json: /event_types/PERSON is also /entity_labels/PERSON" in done.stderr
    assert "Rename one of them in schema/labels.json" in done.stderr
    assert not (tmp_path / "b").exists()
