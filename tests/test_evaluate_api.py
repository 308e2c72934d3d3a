"""`newscorpus.evaluate` is `newscorpus evaluate --json`, and bad input is found where it is.

On a build of the three fixture articles: the Python API returns exactly what the command
prints for the same inputs (paths; a `Dataset` and a list of rows against the file they were
written to, the file's name standing for the object's); whole documents and layer rows in one
prediction are `evaluate-input-mixed`; a finding about a row names that row's own file and line.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from datasets import Dataset

import newscorpus
from articles_build import build_articles, evaluate_cli, load_all

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Dataset]]:
    root = build_articles(tmp_path_factory.mktemp("api") / "root")
    return root, load_all(root, tmp_path_factory.mktemp("hf-cache"))


def _with_faults(mentions: Dataset) -> Dataset:
    """Mentions rows with one dropped, one relabelled and one whose offsets run off the text."""

    def edit(row: dict[str, Any], index: int) -> dict[str, Any]:
        if index == 1:
            return {"label": (row["label"] + 1) % 18}
        if index == 4:
            return {"end_char": 10**6}
        return {}

    return mentions.filter(lambda _, i: i != 2, with_indices=True).map(edit, with_indices=True)


def _renamed(result: dict[str, Any], name: str, shown: str) -> dict[str, Any]:
    """The API's result with the name it gives an object replaced by a file's name."""
    out = json.loads(json.dumps(result))
    for entry in out["read"] + out["findings"]:
        if entry["file"] == name:
            entry["file"] = shown
    return out


def test_the_api_returns_what_the_command_prints_for_paths(corpus, tmp_path) -> None:
    root, loaded = corpus
    _with_faults(loaded["mentions"]).to_json(str(tmp_path / "mentions.jsonl"))
    loaded["ner"].to_parquet(str(tmp_path / "ner.parquet"))
    hub = tmp_path / "hub"  # the dataset folder as the Hub serves it: no records/
    shutil.copytree(root / "corpus" / "data", hub / "data")
    cases = [
        ((), None),
        ((), "train"),
        ((root / "corpus" / "records",), "validation"),
        ((hub,), None),
    ]
    codes = set()
    for gold, split in cases:
        code, printed = evaluate_cli(root, *gold, tmp_path, *(("--split", split) if split else ()))
        assert code == (0 if printed["valid"] else 1)
        api = newscorpus.evaluate(gold[0] if gold else None, tmp_path, split=split, root=root)
        assert api == printed, (gold, split)
        assert printed["split"] == split
        assert {e["shape"] for e in api["read"]} == {"mentions", "ner"}
        codes |= {f["code"] for f in printed["findings"] if f["severity"] == "error"}
    assert codes == {"evaluate-span-mismatch"}


def test_the_api_on_a_dataset_is_the_command_on_its_file(corpus, tmp_path) -> None:
    root, loaded = corpus
    rows = _with_faults(loaded["mentions"])
    rows.to_parquet(str(tmp_path / "pred.parquet"))
    code, printed = evaluate_cli(root, tmp_path / "pred.parquet")
    assert code == 1
    api = newscorpus.evaluate(None, rows, root=root)
    shown = printed["read"][0]["file"]
    assert [f["file"] for f in api["findings"] if f["pointer"]] == ["the Dataset"]
    assert _renamed(api, "the Dataset", shown) == printed
    # the gold as a Dataset of documents rows, as loaded, is the gold records
    assert newscorpus.evaluate(loaded["documents"], rows, root=root) == api


def test_the_api_on_a_list_of_rows_is_the_command_on_a_json_list(corpus, tmp_path) -> None:
    root, loaded = corpus
    rows = _with_faults(loaded["mentions"]).to_list() + loaded["quotes"].to_list()
    (tmp_path / "pred.json").write_text(json.dumps(rows), encoding="utf-8")
    code, printed = evaluate_cli(root, tmp_path / "pred.json")
    assert code == 1
    api = newscorpus.evaluate(None, rows, root=root)
    shown = printed["read"][0]["file"]
    assert _renamed(api, "the rows", shown) == printed
    assert printed["layers"]["quotes"]["evaluated"]
    finding = next(f for f in printed["findings"] if f["code"] == "evaluate-span-mismatch")
    assert finding["pointer"] == "/4"


# --- evaluate-input-mixed, and findings at the row --------------------------------------------


def test_documents_rows_and_mentions_rows_in_one_prediction_are_mixed(corpus, tmp_path) -> None:
    root, loaded = corpus
    loaded["documents"].to_json(str(tmp_path / "a_documents.jsonl"))
    loaded["mentions"].to_parquet(str(tmp_path / "b_mentions.parquet"))
    code, printed = evaluate_cli(root, tmp_path)
    assert code == 1 and not printed["valid"]
    mixed = [f for f in printed["findings"] if f["code"] == "evaluate-input-mixed"]
    assert len(mixed) == len(loaded["mentions"])
    assert {f["file"].rsplit("/", 1)[-1] for f in mixed} == {"b_mentions.parquet"}
    assert [f["pointer"] for f in mixed] == [f"/{i}" for i in range(len(loaded["mentions"]))]
    assert "began with rows of the documents config" in mixed[0]["message"]
    assert [(e["shape"], e["objects"]) for e in printed["read"]] == [("documents", 3)]
    # the documents were scored, whole
    assert printed["layers"]["mentions"]["strict"]["f1"] == 1.0


def test_a_mentions_row_among_documents_rows_in_one_file_is_mixed(corpus, tmp_path) -> None:
    root, loaded = corpus
    rows = loaded["documents"].to_list()[:1] + loaded["mentions"].to_list()[:1]
    (tmp_path / "pred.json").write_text(json.dumps(rows), encoding="utf-8")
    code, printed = evaluate_cli(root, tmp_path / "pred.json")
    assert code == 1
    mixed = [f for f in printed["findings"] if f["code"] == "evaluate-input-mixed"]
    assert [(f["file"].rsplit("/", 1)[-1], f["pointer"]) for f in mixed] == [("pred.json", "/1")]


def test_a_bad_rows_finding_names_its_own_file_and_line(corpus, tmp_path) -> None:
    root, loaded = corpus
    mentions = loaded["mentions"]
    quotes = loaded["quotes"].to_list()
    events = loaded["events"].to_list()
    quotes[2]["type"] = 7  # no quote type has id 7
    quotes[4]["source"] = "m999"
    quotes[5]["content"][0]["end_char"] += 1
    events[3]["arguments"][0]["role"] = "drummer"
    events[6]["trigger_start"] = events[6]["trigger_end"]
    mentions.to_parquet(str(tmp_path / "mentions.parquet"))
    Dataset.from_list(quotes).to_json(str(tmp_path / "quotes.jsonl"))
    (tmp_path / "events.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in events), encoding="utf-8"
    )
    code, printed = evaluate_cli(root, tmp_path)
    assert code == 1
    found = [
        (f["code"], f["file"].rsplit("/", 1)[-1], f["pointer"], f["record"])
        for f in printed["findings"]
        if f["severity"] == "error"
    ]
    # in the order of the files (as a folder's are read, by name) and of the rows in them
    assert found == [
        ("evaluate-unknown-label", "events.jsonl", "/4/arguments/0/role", events[3]["doc_id"]),
        ("evaluate-span-mismatch", "events.jsonl", "/7/trigger_start", events[6]["doc_id"]),
        ("evaluate-unknown-label", "quotes.jsonl", "/3/type", quotes[2]["doc_id"]),
        ("evaluate-reference-unresolved", "quotes.jsonl", "/5/source", quotes[4]["doc_id"]),
        ("evaluate-span-mismatch", "quotes.jsonl", "/6/content/0", quotes[5]["doc_id"]),
    ]
