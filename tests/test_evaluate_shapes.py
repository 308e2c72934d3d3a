"""Predictions written by `datasets` in each config's own shape score as the same predictions
written as records.

The three fixture articles are built and every config loaded with `datasets`; one row (or item)
is dropped and one relabelled, with `Dataset.filter` and `Dataset.map`, and the rows are written
with `Dataset.to_json` and `Dataset.to_parquet`, once as loaded (ClassLabel integers) and once
with every label mapped to its name. The same two edits made to the gold records give the
predictions as records; `evaluate` must give both the same figures. The rows of quotes, events
and relations name mentions and entities by id, so they go with the mentions rows.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from datasets import ClassLabel, Dataset, Features, List, Value

from articles_build import build_articles, load_all
from articles_build import evaluate_cli as cli

pytestmark = pytest.mark.slow

# The item each test drops and the one it relabels, by position among the config's rows.
DROP, RELABEL = 0, 3
LABEL_COLUMN = {"mentions": "label", "quotes": "type", "events": "type", "relations": "type"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Dataset]]:
    root = build_articles(tmp_path_factory.mktemp("shapes") / "root")
    return root, load_all(root, tmp_path_factory.mktemp("hf-cache"))


def gold_records(root: Path) -> list[dict[str, Any]]:
    files = sorted((root / "corpus" / "records").glob("*.json"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in files]


# --- label names, the way a user maps them ---------------------------------------------------


def _as_names(value: Any, feature: Any) -> Any:
    if value is None:
        return None
    if isinstance(feature, ClassLabel):
        return feature.int2str(value)
    if isinstance(feature, dict):
        return {name: _as_names(value[name], sub) for name, sub in feature.items()}
    if isinstance(feature, List):
        return [_as_names(item, feature.feature) for item in value]
    return value


def _string_features(feature: Any) -> Any:
    if isinstance(feature, ClassLabel):
        return Value("string")
    if isinstance(feature, dict):
        return {name: _string_features(sub) for name, sub in feature.items()}
    if isinstance(feature, List):
        return List(_string_features(feature.feature))
    return feature


def named(rows: Dataset) -> Dataset:
    """The rows with every ClassLabel, nested ones too, as its name."""
    features = rows.features
    return rows.map(
        lambda row: _as_names(row, features),
        features=Features(_string_features(dict(features))),
    )


def written(rows: dict[str, Dataset], folder: Path, fmt: str, names: bool) -> Path:
    """The rows of each config in `folder`, one file per config, written by `datasets`."""
    folder.mkdir(parents=True)
    for config, dataset in rows.items():
        out = named(dataset) if names else dataset
        if fmt == "parquet":
            out.to_parquet(str(folder / f"{config}.parquet"))
        else:
            out.to_json(str(folder / f"{config}.jsonl"))
    return folder


def as_records(records: list[dict[str, Any]], layers: tuple[str, ...], folder: Path) -> Path:
    folder.mkdir(parents=True)
    kept = [{"id": r["id"], **{layer: r[layer] for layer in layers}} for r in records]
    (folder / "records.json").write_text(json.dumps(kept), encoding="utf-8")
    return folder


# --- the same two edits, to rows and to records ----------------------------------------------


def _next(feature: ClassLabel, label: int) -> int:
    return (label + 1) % feature.num_classes


def perturb_rows(rows: Dataset, config: str) -> tuple[Dataset, tuple[str, str], tuple[str, str]]:
    """Row DROP left out and row RELABEL given the next label; their (doc_id, id)."""
    column = LABEL_COLUMN[config]
    feature = rows.features[column]
    dropped = (rows[DROP]["doc_id"], rows[DROP]["id"])
    relabelled = (rows[RELABEL]["doc_id"], rows[RELABEL]["id"])
    out = rows.filter(lambda _, index: index != DROP, with_indices=True)
    out = out.map(
        lambda row: (
            {column: _next(feature, row[column])}
            if (row["doc_id"], row["id"]) == relabelled
            else {}
        )
    )
    return out, dropped, relabelled


def perturb_records(
    records: list[dict[str, Any]],
    layer: str,
    names: list[str],
    dropped: tuple[str, str],
    relabelled: tuple[str, str],
) -> list[dict[str, Any]]:
    out = copy.deepcopy(records)
    column = LABEL_COLUMN[layer]
    for record in out:
        items = [i for i in record[layer] if (record["id"], i["id"]) != dropped]
        for item in items:
            if (record["id"], item["id"]) == relabelled:
                item[column] = names[(names.index(item[column]) + 1) % len(names)]
        record[layer] = items
    return out


def _sound(result: dict[str, Any], shapes: set[str]) -> None:
    assert result["valid"] and result["findings"] == [], result["findings"]
    assert {entry["shape"] for entry in result["read"]} == shapes


@pytest.mark.parametrize("config", ["mentions", "quotes", "events", "relations"])
def test_rows_of_a_layer_config_score_as_the_same_records(corpus, config, tmp_path) -> None:
    root, loaded = corpus
    rows, dropped, relabelled = perturb_rows(loaded[config], config)
    names = loaded[config].features[LABEL_COLUMN[config]].names
    records = perturb_records(gold_records(root), config, names, dropped, relabelled)
    layers = ("mentions",) if config == "mentions" else ("mentions", config)
    _, expected = cli(root, as_records(records, layers, tmp_path / "records"))
    _sound(expected, {"records"})
    evaluated = {name for name, block in expected["layers"].items() if block["evaluated"]}
    assert config in evaluated and expected["layers"][config] != _perfect(root, config, tmp_path)
    given = {"mentions": loaded["mentions"], config: rows}
    for fmt in ("jsonl", "parquet"):
        for names_given in (False, True):
            folder = written(given, tmp_path / f"{fmt}-{names_given}", fmt, names_given)
            code, result = cli(root, folder)
            assert code == 0
            _sound(result, set(given))
            labels = {entry["labels"] for entry in result["read"]}
            assert labels == {"names" if names_given else "class ids"}, result["read"]
            assert result["layers"] == expected["layers"], (fmt, names_given)


def _perfect(root: Path, layer: str, tmp_path: Path) -> dict[str, Any]:
    """The figures of `layer` for the gold itself."""
    folder = tmp_path / f"gold-{layer}"
    if not folder.exists():
        as_records(gold_records(root), ("mentions", "quotes", "events", "relations"), folder)
    return cli(root, folder)[1]["layers"][layer]


# --- ner rows: tags, against the named mentions they come from --------------------------------


def _entities(tags: list[int], feature: ClassLabel) -> list[tuple[int, int]]:
    """(first, last) token of each entity of a row's BIO tags."""
    found = []
    for index, tag in enumerate(tags):
        name = feature.int2str(tag)
        if name.startswith("B-"):
            found.append((index, index))
        elif name.startswith("I-"):
            found[-1] = (found[-1][0], index)
    return found


def perturb_ner(rows: Dataset) -> tuple[Dataset, tuple[str, int, int], tuple[str, int, int]]:
    """The first entity of the rows tagged O, the fourth given the next label; each as
    (doc_id, start_char, end_char)."""
    feature = rows.features["ner_tags"].feature
    spans = [
        (index, first, last)
        for index, row in enumerate(rows)
        for first, last in _entities(row["ner_tags"], feature)
    ]
    edits = {spans[DROP]: "drop", spans[RELABEL]: "relabel"}

    def edit(row: dict[str, Any], index: int) -> dict[str, Any]:
        tags = list(row["ner_tags"])
        for (at, first, last), what in edits.items():
            for token in range(first, last + 1) if at == index else ():
                # B-X and I-X are 2k+1 and 2k+2: the next label keeps B or I
                tags[token] = 0 if what == "drop" else (tags[token] + 1) % 36 + 1
        return {"ner_tags": tags}

    def place(span: tuple[int, int, int]) -> tuple[str, int, int]:
        row = rows[span[0]]
        return row["doc_id"], row["token_starts"][span[1]], row["token_ends"][span[2]]

    return rows.map(edit, with_indices=True), place(spans[DROP]), place(spans[RELABEL])


def test_ner_rows_score_as_the_named_mentions_they_tag(corpus, tmp_path) -> None:
    root, loaded = corpus
    rows, dropped, relabelled = perturb_ner(loaded["ner"])
    names = loaded["mentions"].features["label"].names
    records = copy.deepcopy(gold_records(root))
    for record in records:
        mentions = []
        for mention in record["mentions"]:
            place = (record["id"], mention["start"], mention["end"])
            if mention["mention_type"] == "NAM" and place == relabelled:
                mention["label"] = names[(names.index(mention["label"]) + 1) % len(names)]
            if mention["mention_type"] != "NAM" or place != dropped:
                mentions.append(mention)
        assert len(mentions) == len(record["mentions"]) - (record["id"] == dropped[0])
        record["mentions"] = mentions
    _, expected = cli(root, as_records(records, ("mentions",), tmp_path / "records"))
    _sound(expected, {"records"})
    ner = expected["layers"]["ner"]
    assert ner["entity_f1"]["recall"] < 1 and ner["entity_f1"]["precision"] < 1
    for fmt in ("jsonl", "parquet"):
        for names_given in (False, True):
            folder = written({"ner": rows}, tmp_path / f"{fmt}-{names_given}", fmt, names_given)
            code, result = cli(root, folder)
            assert code == 0
            _sound(result, {"ner"})
            assert result["read"][0]["objects"] == len(loaded["ner"])
            assert result["read"][0]["labels"] == ("names" if names_given else "class ids")
            assert result["layers"]["ner"] == ner, (fmt, names_given)


# --- documents rows: every layer nested ------------------------------------------------------


def _unreferenced(record: dict[str, Any]) -> str:
    """A mention no quote, event or relation of the record names."""
    named = {q["source"] for q in record["quotes"]} | {e["time"] for e in record["events"]}
    named |= {a["mention"] for e in record["events"] for a in e["arguments"]}
    named |= {m for r in record["relations"] for m in r["evidence"]}
    return next(m["id"] for m in record["mentions"] if m["id"] not in named)


def test_documents_rows_score_as_the_same_records(corpus, tmp_path) -> None:
    root, loaded = corpus
    documents = loaded["documents"]
    doc_id = documents[0]["id"]
    records = copy.deepcopy(gold_records(root))
    record = next(r for r in records if r["id"] == doc_id)
    mention = _unreferenced(record)
    record["mentions"] = [m for m in record["mentions"] if m["id"] != mention]
    types = documents.features["events"].feature["type"]
    event = record["events"][RELABEL]
    event["type"] = types.names[(types.str2int(event["type"]) + 1) % types.num_classes]

    def edit(row: dict[str, Any], index: int) -> dict[str, Any]:
        if index != 0:
            return {}
        events = copy.deepcopy(row["events"])
        events[RELABEL]["type"] = (events[RELABEL]["type"] + 1) % types.num_classes
        return {"mentions": [m for m in row["mentions"] if m["id"] != mention], "events": events}

    rows = documents.map(edit, with_indices=True)
    layers = ("mentions", "quotes", "events", "relations")
    _, expected = cli(root, as_records(records, layers, tmp_path / "records"))
    _sound(expected, {"records"})
    assert expected["layers"]["mentions"]["strict"]["recall"] < 1
    assert expected["layers"]["events"] != _perfect(root, "events", tmp_path)
    for fmt in ("jsonl", "parquet"):
        for names_given in (False, True):
            folder = written(
                {"documents": rows}, tmp_path / f"{fmt}-{names_given}", fmt, names_given
            )
            code, result = cli(root, folder)
            assert code == 0
            _sound(result, {"documents"})
            assert result["read"][0]["labels"] == ("names" if names_given else "class ids")
            assert {k: v for k, v in result.items() if k != "read"} == {
                k: v for k, v in expected.items() if k != "read"
            }, (fmt, names_given)
