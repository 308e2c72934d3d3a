"""Scale: synthetic corpora, sharded outputs, the engines that run them, the benchmark script."""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.dev.synth import synth_records, write_synth
from newscorpus.paths import record_files
from newscorpus.publish.build import render
from newscorpus.publish.derive import DERIVE_BATCH, derive_shard
from newscorpus.publish.layout import CONFIGS
from newscorpus.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def synth_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scale") / "root"
    root.mkdir()
    shutil.copyfile(REPO / "DATASHEET.md", root / "DATASHEET.md")
    write_synth(root, 3 * DERIVE_BATCH + 5, seed=5)
    return root


def test_synthetic_records_are_valid_and_plausible(synth_root: Path):
    report = validate_paths(synth_root, jobs=2)
    assert report.files == 3 * DERIVE_BATCH + 5 and report.findings == []
    for record, _ in synth_records(20, seed=5):
        assert record["id"].startswith("synth-")
        assert 3000 <= len(record["text"]) <= 5200
        assert 30 <= len(record["mentions"]) <= 90
        assert record["entities"] and record["quotes"] and record["events"]
        assert record["relations"] and len(record["passages"]) > 3


def test_synth_refuses_to_overwrite_and_force_keeps_backups(tmp_path: Path):
    args = ["synth", "3", "--seed", "9", "--root", str(tmp_path)]
    assert CliRunner().invoke(main, args).exit_code == 0
    record = tmp_path / "corpus/records/synth-9-000001.json"
    record.write_text(record.read_text().replace('"notes": "', '"notes": "edited '))
    edited = record.read_bytes()
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1 and "nothing was overwritten" in refused.output
    assert record.read_bytes() == edited
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0
    assert record.with_name(record.name + ".bak").read_bytes() == edited
    assert record.read_bytes() != edited


def test_the_per_record_stage_is_pure(synth_root: Path):
    paths = record_files(synth_root)[:DERIVE_BATCH]
    first = derive_shard((synth_root, paths, False))
    second = derive_shard((synth_root, paths, False))
    assert first.records == second.records == DERIVE_BATCH
    assert first.tables.keys() == second.tables.keys()
    for key, table in first.tables.items():
        assert table.equals(second.tables[key])


RECORDS_PER_SHARD = 40  # 101 records: two full shards and a short one


def _same_tree(a: Path, b: Path) -> None:
    names = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for name in names:
        assert filecmp.cmp(a / name, b / name, shallow=False), name


def test_shards_are_named_like_the_hub_and_load_as_one_split(synth_root: Path, tmp_path: Path):
    from datasets import load_dataset

    published = render(synth_root, tmp_path / "out", jobs=2, shard_records=RECORDS_PER_SHARD)
    out = tmp_path / "out"
    for config in CONFIGS:
        for split in published.splits(config):
            files = published.split_files(config, split)
            count = len(files)
            assert files == [
                f"data/{config}/{split}-{i:05d}-of-{count:05d}.parquet" for i in range(count)
            ]
    on_disk = sorted(p.relative_to(out).as_posix() for p in (out / "data").rglob("*.parquet"))
    assert on_disk == list(published.files)
    assert len(published.split_files("documents", "train")) == 3
    assert not (out / ".shards").exists()
    card = (out / "README.md").read_text()
    assert "path: data/documents/train-*.parquet" in card
    docs = load_dataset(str(out), "documents")
    ids = [row["id"] for split in docs.values() for row in split]
    assert sorted(ids) == sorted(p.stem for p in record_files(synth_root))
    for split, rows in published.rows["documents"].items():
        assert docs[split].num_rows == rows and rows == sum(
            1 for i in ids if i in set(docs[split]["id"])
        )
    assert list(docs["train"]["id"]) == sorted(docs["train"]["id"])  # shards in id order


def test_a_shard_is_the_same_bytes_whoever_writes_it(synth_root: Path, tmp_path: Path):
    one = render(synth_root, tmp_path / "one", jobs=1, shard_records=RECORDS_PER_SHARD)
    two = render(synth_root, tmp_path / "two", jobs=2, shard_records=RECORDS_PER_SHARD)
    assert one.rows == two.rows and one.files == two.files
    _same_tree(tmp_path / "one", tmp_path / "two")


def test_one_shard_gives_the_bytes_of_one_file_per_split(synth_root: Path, tmp_path: Path):
    published = render(synth_root, tmp_path / "out", jobs=2)
    for config in CONFIGS:
        for split in published.splits(config):
            assert published.split_files(config, split) == [
                f"data/{config}/{split}-00000-of-00001.parquet"
            ]


def test_a_shard_derived_in_pieces_by_two_workers_gives_the_bytes_of_one_worker(
    synth_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from newscorpus.publish import engines

    def recording(func, tasks, *, jobs, address=None):
        tasks = list(tasks)
        ran.extend(tasks)
        return engines.local_engine(func, tasks, jobs=jobs)

    def units() -> list[str]:
        """What the workers were given since the last call: whole shards, or pieces."""
        found = [
            f"piece of {unit.shard.index} at {unit.start}" if hasattr(unit, "shard")
            else f"shard {unit.index}"
            for unit in ran
        ]  # fmt: skip
        ran.clear()
        return found

    monkeypatch.setitem(engines.ENGINES, "recording", recording)
    ran: list = []
    one = render(synth_root, tmp_path / "one", jobs=1)  # one shard of 3 * DERIVE_BATCH + 5 records
    two = render(synth_root, tmp_path / "two", jobs=2, engine="recording")
    # the one shard was cut into pieces of whole batches, derived in record order
    assert units() == [
        f"piece of 0 at {start}" for start in range(0, 3 * DERIVE_BATCH + 5, DERIVE_BATCH)
    ]
    assert one.rows == two.rows and one.files == two.files
    _same_tree(tmp_path / "one", tmp_path / "two")
    # three shards on two workers: two run whole, the third is cut
    three = render(synth_root, tmp_path / "three", jobs=1, shard_records=RECORDS_PER_SHARD)
    mixed = render(
        synth_root, tmp_path / "mixed", jobs=2, engine="recording", shard_records=RECORDS_PER_SHARD
    )
    assert units() == ["shard 0", "shard 1", "piece of 2 at 0"]
    assert three.rows == mixed.rows and three.files == mixed.files
    _same_tree(tmp_path / "three", tmp_path / "mixed")


@pytest.mark.slow
def test_the_ray_engine_gives_the_bytes_of_the_local_one(
    synth_root: Path, tmp_path: Path, ray: Any
):
    local = render(synth_root, tmp_path / "local", jobs=2, shard_records=RECORDS_PER_SHARD)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        remote = render(
            synth_root, tmp_path / "ray", engine="ray", jobs=2, shard_records=RECORDS_PER_SHARD
        )
    finally:
        ray.shutdown()
    assert remote.rows == local.rows and remote.files == local.files
    assert len(local.split_files("documents", "train")) == 3
    _same_tree(tmp_path / "local", tmp_path / "ray")


@pytest.mark.slow
def test_the_benchmark_script_reports_ratios(tmp_path: Path):
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newscorpus.dev.benchmark",
            "--sizes",
            "40",
            "--repeat",
            "1",
            "--workdir",
            str(tmp_path / "work"),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    (figures,) = json.loads(out.read_text())
    assert figures["records"] == 40
    assert {"floor", "hash", "validate", "build", "noop", "edit"} <= set(figures)
    for floor in ("tuned", "polars", "datasets"):  # what a user could run instead
        assert figures[floor]["ratio_to"] == "floor" and figures[floor]["ratio"] > 0
    assert figures["validate"]["ratio_to"] == "floor" and figures["validate"]["ratio"] > 0
    assert figures["libraries"]["ratio_to"] == "floor" and figures["libraries"]["ratio"] > 0
    assert figures["noop"]["ratio_to"] == "hash" and figures["noop"]["ratio"] > 0
    assert figures["rebuild"]["ratio_to"] == "build" and figures["rebuild"]["ratio"] > 0
    assert figures["edit"]["seconds"] > 0 and figures["build"]["mb_per_s"] > 0
    assert "| 40 | cold build |" in done.stdout
    assert "| 40 | validate's library calls only |" in done.stdout
    assert "| 40 | edit-validate (1 record) |" in done.stdout
    assert "| 40 | edit-build (1 record) |" in done.stdout


def test_the_library_floor_reads_every_record_in_worker_processes(tmp_path: Path):
    """The benchmark's `libraries` step goes through every record file (in two processes,
    as validate would on two cores), so its time is a floor for validate's."""
    from newscorpus.dev.library_floor import run

    write_synth(tmp_path, 150, seed=7)
    assert run(tmp_path, jobs=2) == len(record_files(tmp_path, [])) == 150


def _dies_on_first_attempt(marker: Path) -> str:
    """A shard task whose first worker dies (as a killed or out-of-memory worker would)."""
    import os

    if not marker.exists():
        marker.write_text("died once")
        os._exit(1)
    return "done"


def _always_dies(marker: Path) -> str:
    import os

    os._exit(1)


@pytest.mark.slow
def test_ray_retries_a_shard_whose_worker_died_and_fails_cleanly_after(tmp_path: Path, ray: Any):
    from ray import cloudpickle

    from newscorpus.errors import BuildError
    from newscorpus.publish.engines import run_tasks

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        markers = [tmp_path / "a", tmp_path / "b"]
        assert list(run_tasks("ray", _dies_on_first_attempt, markers, jobs=2)) == ["done"] * 2
        assert all(marker.exists() for marker in markers)
        with pytest.raises(BuildError, match="died"):
            list(run_tasks("ray", _always_dies, [tmp_path / "c"], jobs=2))
    finally:
        ray.shutdown()
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
