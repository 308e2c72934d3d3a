"""`newscorpus build` and `stats`: what a researcher loads and what a curator sees.

The fixture corpus (tests/data/publish/root: two gold articles in train and test, one draft)
is built once per session; tests that change files work on copies.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import datasets
import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.fsutil import sha256_file
from newscorpus.jsonio import dumps
from newscorpus.labels import NER_TAGS
from newscorpus.publish import build as build_module
from newscorpus.publish import transaction as transaction_module
from newscorpus.publish.descriptions import FIELD_DESCRIPTIONS, undocumented_fields
from newscorpus.publish.features import FEATURES, iter_fields, label_names
from newscorpus.publish.layout import CONFIGS
from newscorpus.publish.metadata import metadata
from newscorpus.publish.stats import STATS_END, STATS_START
from newscorpus.publish.views import VIEWS, record_from_document

TESTS = Path(__file__).resolve().parent
FIXTURE = TESTS / "data" / "publish"
REPO = TESTS.parent
GOLD = {"fixture_000": "train", "fixture_017": "test"}


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def outputs(root: Path) -> dict[str, bytes]:
    """Every published file of a root, by relative path."""
    files = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "corpus" / "data").rglob("*"))
        if p.is_file()
    }
    for name in ("corpus/README.md", "corpus/croissant.json", "DATASHEET.md"):
        if (root / name).exists():
            files[name] = (root / name).read_bytes()
    return files


def copy_root(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_root(FIXTURE / "root", tmp_path_factory.mktemp("publish") / "root")
    result = run("build", "--root", str(root))
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="session")
def loaded(
    built: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, datasets.DatasetDict]:
    cache = tmp_path_factory.mktemp("hf-cache")
    return {
        config: datasets.load_dataset(str(built / "corpus"), config, cache_dir=str(cache))
        for config in CONFIGS
    }


def card_yaml(root: Path) -> dict:
    text = (root / "corpus" / "README.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


# --- the fixture itself ---------------------------------------------------------------------


def test_fixture_files_are_what_the_generator_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURE / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for relative, data in module.expected_files().items():
        assert (FIXTURE / "root" / relative).read_bytes() == data, relative


# --- loading with datasets ------------------------------------------------------------------


@pytest.mark.parametrize("config", CONFIGS)
def test_every_config_loads_with_its_declared_features(
    config: str, loaded: dict[str, datasets.DatasetDict], built: Path
) -> None:
    dataset = loaded[config]
    for split in dataset:
        assert dataset[split].features == FEATURES[config]
    info = next(i for i in card_yaml(built)["dataset_info"] if i["config_name"] == config)
    assert {s["name"]: s["num_examples"] for s in info["splits"]} == {
        split: len(dataset[split]) for split in dataset
    }
    # Only splits with rows are listed: the two gold articles are in train and test.
    assert set(dataset) <= {"train", "test"} and "validation" not in dataset


def test_ner_has_class_label_bio_tags_that_decode_to_the_mentions(
    loaded: dict[str, datasets.DatasetDict],
) -> None:
    train = loaded["ner"]["train"]
    tag_feature = train.features["ner_tags"].feature
    assert isinstance(tag_feature, datasets.ClassLabel)
    assert tag_feature.names == list(NER_TAGS)
    row = next(r for r in train if "Okafor" in r["tokens"] and "Maria" in r["tokens"])
    assert all(isinstance(tag, int) for tag in row["ner_tags"])
    tagged = dict(zip(row["tokens"], tag_feature.int2str(row["ner_tags"]), strict=True))
    assert (tagged["Maria"], tagged["Okafor"]) == ("B-PERSON", "I-PERSON")
    assert (tagged["Portmere"], tagged["Harbour"], tagged["Council"]) == ("B-ORG", "I-ORG", "I-ORG")
    assert tagged["Tuesday"] == "B-DATE" and tagged["safety"] == "O"  # NOM mentions are not NER


def test_documents_round_trip_exactly_to_the_gold_records(
    loaded: dict[str, datasets.DatasetDict], built: Path
) -> None:
    documents = loaded["documents"]
    seen = {}
    for split in documents:
        for row in documents[split]:
            record = record_from_document(label_names(row, FEATURES["documents"]))
            seen[record["id"]] = split
            path = built / "corpus" / "records" / f"{record['id']}.json"
            assert dumps(record) == path.read_text(encoding="utf-8")
    assert seen == GOLD  # the draft is left out


def test_include_drafts_publishes_the_draft_in_its_split(tmp_path: Path) -> None:
    root = copy_root(FIXTURE / "root", tmp_path / "root")
    assert run("build", "--include-drafts", "--root", str(root)).exit_code == 0
    configs = {c["config_name"]: c for c in card_yaml(root)["configs"]}
    splits = [f["split"] for f in configs["documents"]["data_files"]]
    assert splits == ["train", "validation", "test"]
    assert configs["documents"]["default"] is True


# --- other readers --------------------------------------------------------------------------


def _expected_counts(root: Path, config: str, column: str) -> dict[str, int]:
    """How often each label of a top-level column occurs, counted on the gold records."""
    counts: Counter[str] = Counter()
    for path in sorted((root / "corpus" / "records").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["annotation"]["status"] == "gold":
            counts.update(row[column] for row in VIEWS[config](record))
    return dict(counts)


TOP_LEVEL_LABELS = [
    (config, name)
    for config in CONFIGS
    for name, feature in FEATURES[config].items()
    if isinstance(feature, datasets.ClassLabel)
]


@pytest.mark.parametrize("config", CONFIGS)
def test_every_reader_sees_the_same_features(
    config: str, built: Path, loaded: dict[str, datasets.DatasetDict], tmp_path: Path
) -> None:
    """The folder with its card, the Parquet files alone, and the Hub viewer's view."""
    files = sorted(str(p) for p in (built / "corpus" / "data" / config).glob("*.parquet"))
    cache = str(tmp_path / "cache")
    from_files = datasets.load_dataset("parquet", data_files=files, cache_dir=cache)["train"]
    from_parquet = datasets.Dataset.from_parquet(files, cache_dir=cache)
    # The Hub's viewer takes the features of the dataset info that it reads with the builder
    # (config-parquet-and-info), and reads rows with these features from the Parquet files.
    builder = datasets.load_dataset_builder(str(built / "corpus"), config, cache_dir=cache)
    viewer = datasets.Features.from_dict(builder.info.features.to_dict())
    schema = datasets.Features.from_arrow_schema(pq.read_schema(files[0]))
    for split in loaded[config]:
        assert loaded[config][split].features == FEATURES[config]
    assert from_files.features == from_parquet.features == FEATURES[config]
    assert viewer == schema == FEATURES[config]


@pytest.mark.parametrize(("config", "column"), TOP_LEVEL_LABELS)
def test_the_hub_viewer_counts_every_label_as_the_records_do(
    config: str, column: str, built: Path, tmp_path: Path
) -> None:
    """Replays the viewer's ClassLabelColumn statistics: polars value_counts on the ids of the
    Parquet column, then int2str over every class of the feature from the dataset info."""
    corpus, cache = str(built / "corpus"), str(tmp_path / "cache")
    builder = datasets.load_dataset_builder(corpus, config, cache_dir=cache)
    feature_dict = builder.info.features.to_dict()[column]
    feature = datasets.Features.from_dict({column: feature_dict})[column]
    data = pl.read_parquet(built / "corpus" / "data" / config / "*.parquet", columns=[column])
    ids2counts = dict(data[column].value_counts().rows())
    no_label = ids2counts.pop(-1, 0)
    labels2counts = {feature.int2str(i): ids2counts.get(i, 0) for i in range(feature.num_classes)}
    assert no_label == 0 and data[column].null_count() == 0
    assert sum(labels2counts.values()) == len(data)
    assert {k: v for k, v in labels2counts.items() if v} == _expected_counts(built, config, column)


def _recipes(card: str, language: str) -> list[str]:
    section = card.split("### SQL and dataframes")[1].split("\n## ")[0].split("\n### ")[0]
    return re.findall(rf"```{language}\n(.*?)\n```", section, re.DOTALL)


def test_the_cards_duckdb_one_liners_give_label_names(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stats = json.loads(run("stats", "--json", "--root", str(built)).output)
    card = (built / "corpus" / "README.md").read_text(encoding="utf-8")
    by_label, nested = _recipes(card, "sql")
    monkeypatch.chdir(built / "corpus")  # the one-liners run from the dataset folder
    con = duckdb.connect()
    assert dict(con.execute(by_label).fetchall()) == stats["mentions_by_label"]
    rows = con.execute(nested).fetchall()
    assert [d[0] for d in con.description] == ["id", "start_char", "end_char", "text", "label"]
    assert len(rows) == stats["mentions"]
    assert ("fixture_000", "Maria Okafor", "PERSON") in {(r[0], r[3], r[4]) for r in rows}
    data = (built / "corpus" / "data").as_posix()
    tokens = con.execute(f"select sum(len(tokens)) from '{data}/ner/*.parquet'").fetchone()[0]
    assert tokens == stats["tokens"]
    for config in CONFIGS:
        (count,) = con.execute(f"select count(*) from '{data}/{config}/*.parquet'").fetchone()
        info = next(i for i in card_yaml(built)["dataset_info"] if i["config_name"] == config)
        assert count == sum(s["num_examples"] for s in info["splits"])


def test_the_cards_polars_one_liners_give_label_names_and_unnest_without_clashes(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stats = json.loads(run("stats", "--json", "--root", str(built)).output)
    card = (built / "corpus" / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(built / "corpus")
    namespace: dict = {}
    for code in _recipes(card, "python"):
        exec(code, namespace)  # exactly as the card shows it
    mentions, nested = namespace["mentions"], namespace["nested"]
    assert mentions["label"].dtype == pl.String
    assert dict(mentions["label"].value_counts().rows()) == stats["mentions_by_label"]
    assert nested.height == stats["mentions"]
    assert {"id", "text", "mentions.id", "mentions.text"} <= set(nested.columns)
    assert dict(nested["mentions.label"].value_counts().rows()) == stats["mentions_by_label"]


def test_no_column_name_is_a_reserved_word_of_duckdb() -> None:
    reserved = {
        name
        for (name,) in duckdb.execute(
            "select keyword_name from duckdb_keywords() where keyword_category = 'reserved'"
        ).fetchall()
    }
    for config in CONFIGS:
        for path, _ in iter_fields(FEATURES[config]):
            assert path.split(".")[-1].lower() not in reserved, (config, path)


def _croissant_output(jsonld: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("mlcroissant")), "validate", "--jsonld", str(jsonld)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_croissant_validates_without_warnings_and_its_records_load(built: Path) -> None:
    jsonld = built / "corpus" / "croissant.json"
    done = _croissant_output(jsonld)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "warning" not in (done.stdout + done.stderr).lower(), done.stderr[-2000:]
    import mlcroissant

    dataset = mlcroissant.Dataset(jsonld=str(jsonld))
    metadata = json.loads(jsonld.read_text())
    info = {i["config_name"]: i for i in card_yaml(built)["dataset_info"]}
    for config in CONFIGS:
        records = list(dataset.records(record_set=config))
        assert len(records) == sum(s["num_examples"] for s in info[config]["splits"])
    files = [d for d in metadata["distribution"] if d["@type"] == "cr:FileObject"]
    for file in files:
        assert file["sha256"] == sha256_file(built / "corpus" / file["contentUrl"])
    # Labels are categorical data: the ids in the records are keys of an inline label set.
    names = {
        r["entity_label/id"]: r["entity_label/name"]
        for r in dataset.records(record_set="entity_label")
    }
    assert list(names.values()) == FEATURES["mentions"]["label"].names
    stats = json.loads(run("stats", "--json", "--root", str(built)).output)
    counts: dict[str, int] = {}
    # A fresh Dataset: mlcroissant 1.1 yields nothing when it iterates a record set with a
    # join (`references`) a second time.
    for record in mlcroissant.Dataset(jsonld=str(jsonld)).records(record_set="mentions"):
        name = names[int(record["mentions/label"])]
        counts[name] = counts.get(name, 0) + 1
    assert counts == stats["mentions_by_label"]
    label = next(
        f
        for rs in metadata["recordSet"]
        if rs["@id"] == "mentions"
        for f in rs["field"]
        if f["@id"] == "mentions/label"
    )
    assert label["references"] == {"field": {"@id": "entity_label/id"}}
    enumeration = next(rs for rs in metadata["recordSet"] if rs["@id"] == "entity_label")
    assert enumeration["dataType"] == "sc:Enumeration"


def test_croissant_states_the_metadata_of_schema_dataset_json(built: Path) -> None:
    meta = metadata()
    croissant = json.loads((built / "corpus" / "croissant.json").read_text())
    assert croissant["version"] == meta.version
    assert croissant["datePublished"] == meta.date_published
    assert croissant["creator"] == [{"@type": "sc:Organization", "name": "newscorpus curators"}]
    assert croissant["license"]["url"] == "LICENSE.md"
    assert croissant["citeAs"] == meta.bibtex() and "year = {" in croissant["citeAs"]
    assert "url" not in croissant  # no address is known: left out, never a placeholder
    assert ".invalid" not in json.dumps(croissant)


# --- determinism, atomicity, check ----------------------------------------------------------


def test_a_rebuild_is_byte_identical(built: Path, tmp_path: Path) -> None:
    again = copy_root(FIXTURE / "root", tmp_path / "again")
    assert run("build", "--root", str(again)).exit_code == 0
    assert outputs(again) == outputs(built)
    assert run("build", "--root", str(again)).exit_code == 0  # over existing outputs
    assert outputs(again) == outputs(built)


def test_an_invalid_record_writes_nothing_and_exits_1(built: Path, tmp_path: Path) -> None:
    root = copy_root(built, tmp_path / "root")
    before = outputs(root)
    path = root / "corpus" / "records" / "fixture_017.json"
    record = json.loads(path.read_text())
    record["mentions"][0]["text"] = "Open Data Aliance"
    path.write_text(dumps(record))
    result = run("build", "--root", str(root))
    assert result.exit_code == 1
    assert "span-text-mismatch" in result.output and "nothing was built" in result.output
    assert outputs(root) == before
    assert not list((root / "corpus").glob(".build-*"))


def test_check_names_each_changed_missing_and_extra_file(built: Path, tmp_path: Path) -> None:
    root = copy_root(built, tmp_path / "root")
    assert run("build", "--check", "--root", str(root)).exit_code == 0
    changed = root / "corpus" / "data" / "mentions" / "train-00000-of-00001.parquet"
    changed.write_bytes(changed.read_bytes() + b"\0")
    (root / "corpus" / "croissant.json").unlink()
    (root / "corpus" / "data" / "ner" / "stray.parquet").write_bytes(b"")
    result = run("build", "--check", "--root", str(root))
    assert result.exit_code == 1
    assert "corpus/data/mentions/train-00000-of-00001.parquet: differs" in result.output
    assert "corpus/croissant.json: missing" in result.output
    assert "corpus/data/ner/stray.parquet: extra" in result.output


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("DATASHEET.md", "| articles | 1 | 0 | 1 | 2 |", "| articles | 1 | 0 | 1 | 3 |"),
        ("corpus/README.md", "num_examples: 11", "num_examples: 12"),
    ],
)
def test_stale_counts_fail_the_check(
    built: Path, tmp_path: Path, name: str, old: str, new: str
) -> None:
    root = copy_root(built, tmp_path / "root")
    text = (root / name).read_text(encoding="utf-8")
    assert old in text
    (root / name).write_text(text.replace(old, new), encoding="utf-8")
    result = run("build", "--check", "--root", str(root))
    assert result.exit_code == 1
    assert f"{name}: differs" in result.output


def test_datasheet_without_markers_is_refused(tmp_path: Path) -> None:
    root = copy_root(FIXTURE / "root", tmp_path / "root")
    (root / "DATASHEET.md").write_text("# Datasheet\n")
    result = run("build", "--root", str(root))
    assert result.exit_code == 1 and STATS_START in result.output
    assert not (root / "corpus" / "README.md").exists()


def test_a_build_interrupted_before_its_exchange_changes_nothing(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_root(built, tmp_path / "root")
    before = outputs(root)
    path = root / "corpus" / "records" / "fixture_000.json"
    record = json.loads(path.read_text())
    record["labels"]["topics"].append("politics")
    path.write_text(dumps(record))

    def killed(_new: Path, _live: Path) -> None:
        raise KeyboardInterrupt  # stands in for a kill just before the commit point

    monkeypatch.setattr(transaction_module, "exchange", killed)
    with pytest.raises(KeyboardInterrupt):
        build_module.build(root, use_cache=False)
    monkeypatch.undo()
    assert outputs(root) == before  # the previous outputs are intact
    assert not list(root.glob(".corpus-staging-*"))  # and the staging folder is gone
    assert "differs" in run("build", "--check", "--root", str(root)).output
    assert run("build", "--root", str(root)).exit_code == 0
    assert run("build", "--check", "--root", str(root)).exit_code == 0


def test_a_build_keeps_every_curated_file_of_corpus(built: Path, tmp_path: Path) -> None:
    root = copy_root(built, tmp_path / "root")
    (root / "corpus" / ".gitattributes").write_text("*.parquet filter=lfs\n")
    (root / "corpus" / "notes").mkdir()
    (root / "corpus" / "notes" / "todo.txt").write_text("check quotes\n")
    records = {p.name: p.read_bytes() for p in (root / "corpus/records").iterdir()}
    assert run("build", "--no-cache", "--root", str(root)).exit_code == 0
    assert (root / "corpus" / ".gitattributes").read_text() == "*.parquet filter=lfs\n"
    assert (root / "corpus" / "notes" / "todo.txt").read_text() == "check quotes\n"
    assert {p.name: p.read_bytes() for p in (root / "corpus/records").iterdir()} == records
    result = run("build", "--root", str(root))
    assert result.exit_code == 0 and "up to date" in result.output


def test_no_gold_record_gives_an_empty_but_valid_card(tmp_path: Path) -> None:
    root = copy_root(FIXTURE / "root", tmp_path / "root")
    for doc_id in GOLD:
        (root / "corpus" / "records" / f"{doc_id}.json").unlink()
    result = run("build", "--root", str(root))
    assert result.exit_code == 0 and "no gold record yet" in result.output
    card = card_yaml(root)
    assert "configs" not in card and card["license"] == "other"
    assert json.loads((root / "corpus" / "croissant.json").read_text())["recordSet"] == []
    assert "| articles | 0 | 0 | 0 | 0 |" in (root / "DATASHEET.md").read_text()
    assert run("build", "--check", "--root", str(root)).exit_code == 0


# --- the card, the datasheet and the commands -----------------------------------------------


def test_every_field_of_every_config_is_documented_in_the_card(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert undocumented_fields() == []
    card = (built / "corpus" / "README.md").read_text(encoding="utf-8")
    for config in CONFIGS:
        section = card.split(f"### `{config}`")[1].split("###")[0]
        for path, _ in iter_fields(FEATURES[config]):
            assert f"| `{path}` |" in section, (config, path)
    monkeypatch.delitem(FIELD_DESCRIPTIONS["ner"], "token_ends")
    assert undocumented_fields() == ["ner: token_ends has no description"]


CARD_SECTIONS = (
    "Dataset summary",
    "Supported tasks",
    "Languages",
    "Dataset structure",
    "SQL and dataframes",
    "Data fields",
    "Data splits",
    "Curation rationale",
    "Source data",
    "Annotations",
    "Label definitions",
    "Uses",
    "Direct use",
    "Out-of-scope use",
    "Evaluation",
    "Personal and sensitive information",
    "Bias, risks and limitations",
    "Licensing",
    "Version history",
    "Citation",
)


def test_card_metadata_and_sections(built: Path) -> None:
    from huggingface_hub import DatasetCard

    meta = metadata()
    card = DatasetCard.load(built / "corpus" / "README.md")  # parses, offline
    data = card.data.to_dict()
    assert data["license"] == "other" and data["license_name"] == meta.license["name"]
    assert data["license_link"] == "LICENSE.md" and (built / "corpus" / "LICENSE.md").is_file()
    assert data["language"] == ["en"] and data["pretty_name"] == meta.pretty_name
    assert "named-entity-recognition" in data["task_ids"]
    for info in data["dataset_info"]:
        assert all(split["num_bytes"] > 0 for split in info["splits"]), info["config_name"]
        assert info["dataset_size"] == sum(split["num_bytes"] for split in info["splits"])
    text = card.text
    for heading in CARD_SECTIONS:
        assert re.search(rf"^#{{2,4}} {re.escape(heading)}$", text, re.M), heading
    assert '"doc_id": "fixture_000"' in text  # an example row from the data
    assert meta.bibtex() in text and f"version = {{{meta.version}}}" in meta.bibtex()
    assert "author = {{newscorpus curators}}" in meta.bibtex()
    assert "| 0.1.0 |" in text.split("## Version history")[1]
    assert "GUIDELINES.md" not in text and "DATASHEET.md" not in text  # not on the Hub
    assert ".invalid" not in text and "num_bytes: 0" not in card.content


def test_the_repository_card_names_its_annotators_and_keeps_its_example_short(
    repo_root: Path,
) -> None:
    text = (repo_root / "corpus" / "README.md").read_text(encoding="utf-8")
    records = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in (repo_root / "corpus" / "records").glob("*.json")
    ]
    gold = [r for r in records if r["annotation"]["status"] == "gold"]
    by_team = sum("newscorpus-curators" in r["annotation"]["annotators"] for r in gold)
    assert f"`newscorpus-curators` (newscorpus curators): {by_team} article(s)" in text
    example = text.split("An example `documents` row")[1].split("```json\n")[1].split("```")[0]
    assert 20 <= example.count("\n") <= 70


def test_stats_command_counts_layers_labels_and_splits(built: Path) -> None:
    stats = json.loads(run("stats", "--json", "--root", str(built)).output)
    assert stats["articles"] == 2 and stats["relations"] == 3
    assert stats["mentions_by_type"] == {"NAM": 12, "NOM": 4, "PRO": 2}
    assert stats["events_by_modality"] == {"asserted": 2, "hypothetical": 1}
    assert stats["splits"]["test"]["quotes"] == 1 and stats["splits"]["validation"]["articles"] == 0
    with_drafts = json.loads(
        run("stats", "--json", "--include-drafts", "--root", str(built)).output
    )
    assert with_drafts["splits"]["validation"]["articles"] == 1
    assert "| mentions |" in run("stats", "--root", str(built)).output


@pytest.mark.parametrize("command", ["build", "stats"])
def test_commands_document_an_example(command: str) -> None:
    assert "Example:" in run(command, "--help").output


def test_usage_error_exits_2() -> None:
    assert CliRunner().invoke(main, ["build", "--no-such-option"]).exit_code == 2


# --- the repository's own corpus ------------------------------------------------------------


def test_the_committed_outputs_are_up_to_date() -> None:
    result = run("build", "--check", "--root", str(REPO))
    assert result.exit_code == 0, result.output


def test_the_datasheet_states_the_source_facts() -> None:
    text = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    for section in (
        "Motivation",
        "Composition",
        "Collection process",
        "Preprocessing, cleaning and labeling",
        "Uses",
        "Distribution",
        "Maintenance",
    ):
        assert f"## {section}" in text
    assert "copyright of the article text belongs to its original publisher" in text
    assert text.count(STATS_START) == 1 and text.count(STATS_END) == 1


def test_a_record_replaced_during_the_exchange_is_carried_over(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_root(built, tmp_path / "root")
    exchange = transaction_module.exchange
    path = root / "corpus" / "records" / "fixture_000.json"

    def edit_then_exchange(new: Path, live: Path) -> None:
        # A curator's editor saves (write a temp file, rename it over the record) right after
        # the build's last check of its inputs, just before the exchange.
        record = json.loads(path.read_text())
        record["annotation"]["notes"] = "saved during a build"
        tmp = path.with_name("fixture_000.json.swp")
        tmp.write_text(dumps(record))
        os.replace(tmp, path)
        exchange(new, live)

    monkeypatch.setattr(transaction_module, "exchange", edit_then_exchange)
    assert run("build", "--no-cache", "--root", str(root)).exit_code == 0
    assert json.loads(path.read_text())["annotation"]["notes"] == "saved during a build"
