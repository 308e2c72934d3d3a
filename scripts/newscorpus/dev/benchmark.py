"""Throughput and memory of validate and build, next to a floor measured in the same run.

    python -m newscorpus.dev.benchmark --sizes 2000 20000 100000 --repeat 3 [--ray 20000]

For each size, a scratch corpus of synthetic gold records is generated in a temp folder, then
each step runs as its own process (so start-up and imports count, as they do for a user):

- floor: read every record file, json.loads it, build one Arrow table, write one Parquet file
  (the naive conversion a user would otherwise run);
- tuned: the same with pyarrow.json reading all records at once (a tuned floor);
- polars: polars reads each record and writes one Parquet file;
- datasets: `Dataset.from_json` over the record files, then `to_parquet`;
- hash: sha256 of every input file, records and seeds (what a no-op rebuild cannot avoid);
- libraries: the calls `validate` makes into libraries, and none of its own checks (record
  read, orjson, jsonschema-rs, spaCy's tokenizer, the seed read and ingested), in the same
  worker processes: how fast `validate` could be with today's libraries
  (newscorpus/dev/library_floor.py);
- validate: `newscorpus validate --no-cache`;
- build: `newscorpus build` from an empty cache (validation included);
- no-op build: `newscorpus build` again, with nothing changed;
- edit-build: one record's annotations edited (its text unchanged), then `newscorpus build`
  with the caches the builds before left (only that record's shard is derived again);
- edit-validate: a curator's loop on one record: its annotations edited (text unchanged),
  then `newscorpus validate` of that file, with the caches the build left;
- build on Ray (for the sizes given to `--ray`): `newscorpus build --engine ray` from an
  empty cache, Ray's start-up and shut-down included.

Each step is repeated and the median wall time is reported, with records/s, MB/s of input
(record and seed files), the peak RSS of the main process and of the largest worker process
it waited for (Ray's workers are not its children, so not counted), and the ratio to the
floor (the no-op build: to hashing; the edit-build and Ray: to the cold build). `--steps`
runs some steps only. Machines are noisy: compare ratios, not absolute figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_MEASURE = r"""
import json, resource, sys, time
start = time.perf_counter()
step = sys.argv[1]
root = sys.argv[2]
if step == "floor":
    import hashlib, json as j, pathlib
    import pyarrow as pa, pyarrow.parquet as pq
    records = sorted(pathlib.Path(root, "corpus", "records").glob("*.json"))
    rows = [j.loads(p.read_bytes()) for p in records]
    table = pa.Table.from_pylist(rows)
    pq.write_table(table, pathlib.Path(root, "floor.parquet"), compression="zstd")
elif step == "tuned":
    import pathlib
    import pyarrow as pa, pyarrow.json as pj, pyarrow.parquet as pq
    records = sorted(pathlib.Path(root, "corpus", "records").glob("*.json"))
    data = b"\n".join(p.read_bytes() for p in records)
    options = pj.ParseOptions(newlines_in_values=True)  # records are indented JSON
    table = pj.read_json(pa.BufferReader(data), parse_options=options)
    pq.write_table(table, pathlib.Path(root, "tuned.parquet"), compression="zstd")
elif step == "polars":
    import pathlib
    import polars as pl
    records = sorted(pathlib.Path(root, "corpus", "records").glob("*.json"))
    frame = pl.concat([pl.read_json(p) for p in records], how="diagonal_relaxed")
    frame.write_parquet(pathlib.Path(root, "polars.parquet"), compression="zstd")
elif step == "datasets":
    import os, pathlib, tempfile
    os.environ["HF_DATASETS_OFFLINE"] = os.environ["HF_HUB_OFFLINE"] = "1"
    import datasets
    datasets.disable_progress_bars()
    records = sorted(pathlib.Path(root, "corpus", "records").glob("*.json"))
    with tempfile.TemporaryDirectory(dir=root) as cache:
        found = datasets.Dataset.from_json([str(p) for p in records], cache_dir=cache)
        found.to_parquet(str(pathlib.Path(root, "datasets.parquet")))
elif step == "libraries":
    import pathlib
    from newscorpus.dev.library_floor import run
    run(pathlib.Path(root))
elif step == "hash":
    import hashlib, pathlib
    inputs = sorted(pathlib.Path(root, "corpus", "records").glob("*.json"))
    for p in inputs + sorted(pathlib.Path(root, "seeds").glob("*")):
        hashlib.sha256(p.read_bytes()).hexdigest()
else:
    from newscorpus.cli import main
    args = {
        "validate": ["validate", "--no-cache"],
        "build": ["build"],
        "noop": ["build"],
        "rebuild": ["build"],
        "edit": ["validate", *sys.argv[3:]],
        "ray": ["build", "--engine", "ray"],
    }[step]
    try:
        main(args + ["--root", root], standalone_mode=False)
    except SystemExit as exit:
        if exit.code:
            raise
elapsed = time.perf_counter() - start
print(json.dumps({
    "seconds": elapsed,
    "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def _run(step: str, root: Path, *extra: str) -> dict[str, float]:
    before = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, step, str(root), *extra],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall"] = time.perf_counter() - before  # whole process, start-up included
    return figures


def _edit_annotations(path: Path, round_: int) -> None:
    """What a curator does between two runs: an annotation changed, the text left alone."""
    from ..jsonio import dumps

    record = json.loads(path.read_text(encoding="utf-8"))
    record["annotation"]["notes"] = f"synthetic record for load tests, edit {round_}"
    path.write_text(dumps(record), encoding="utf-8")


def _input_mb(root: Path) -> float:
    files = [*(root / "corpus" / "records").glob("*.json"), *(root / "seeds").glob("*")]
    return sum(p.stat().st_size for p in files) / 1e6


STEPS = (
    "floor", "tuned", "polars", "datasets", "hash", "libraries", "validate", "build", "noop",
    "rebuild", "edit", "ray",
)  # fmt: skip
RATIO = {
    "tuned": "floor",
    "polars": "floor",
    "datasets": "floor",
    "libraries": "floor",
    "validate": "floor",
    "build": "floor",
    "noop": "hash",
    "rebuild": "build",
    "ray": "build",
}


def measure(
    size: int, repeat: int, workdir: Path, ray: bool = False, steps: tuple[str, ...] = STEPS
) -> dict[str, Any]:
    from .synth import write_synth

    root = workdir / f"corpus-{size}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "DATASHEET.md").write_text("# Datasheet\n\n<!-- stats:start -->\n<!-- stats:end -->\n")
    write_synth(root, size, seed=size)
    megabytes = _input_mb(root)
    edited = sorted((root / "corpus" / "records").glob("*.json"))[size // 2]
    results: dict[str, list[dict[str, float]]] = {}
    for round_ in range(repeat):
        for step in STEPS:
            if (step == "ray" and not ray) or step not in steps:
                continue
            if step in ("build", "ray"):
                shutil.rmtree(root / ".newscorpus-cache", ignore_errors=True)
                shutil.rmtree(root / "corpus" / "data", ignore_errors=True)
            if step == "edit":
                for attempt in range(3):  # a loop: the median of three edits in a row
                    _edit_annotations(edited, 3 * round_ + attempt)
                    results.setdefault(step, []).append(_run(step, root, str(edited)))
                continue
            if step == "rebuild":  # one record edited since the last build
                _edit_annotations(edited, 1000 + round_)
            results.setdefault(step, []).append(_run(step, root))
    shutil.rmtree(root, ignore_errors=True)
    summary: dict[str, Any] = {"records": size, "input_mb": round(megabytes, 1)}
    for step, runs in results.items():
        wall = statistics.median(r["wall"] for r in runs)
        count = 1 if step == "edit" else size
        summary[step] = {
            "seconds": round(wall, 2),
            "records_per_s": round(count / wall, 1),
            "mb_per_s": round((megabytes / size if step == "edit" else megabytes) / wall, 1),
            "rss_main_mb": round(max(r["rss_main_mb"] for r in runs), 1),
            "rss_worker_mb": round(max(r["rss_worker_mb"] for r in runs), 1),
        }
    for step, base in RATIO.items():
        if step in summary and base in summary:
            summary[step]["ratio"] = round(summary[step]["seconds"] / summary[base]["seconds"], 2)
            summary[step]["ratio_to"] = base
    return summary


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| records | step | median s | records/s | MB/s | ratio | peak RSS main MB "
        "| peak RSS worker MB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    names = {
        "floor": "naive floor (json.loads, from_pylist)",
        "tuned": "tuned floor (pyarrow.json)",
        "datasets": "datasets from_json",
        "libraries": "validate's library calls only",
        "build": "cold build",
        "noop": "no-op build",
        "rebuild": "edit-build (1 record)",
        "edit": "edit-validate (1 record)",
        "ray": "build on Ray",
    }
    for result in results:
        for step in STEPS:
            if step not in result:
                continue
            figures = result[step]
            ratio = f"{figures['ratio']}x {figures['ratio_to']}" if "ratio" in figures else ""
            lines.append(
                f"| {result['records']:,} | {names.get(step, step)} | {figures['seconds']} | "
                f"{figures['records_per_s']:,} | {figures['mb_per_s']} | {ratio} | "
                f"{figures['rss_main_mb']} | {figures['rss_worker_mb']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="Scratch folder (default: a temp folder); needs ~35 KB per record.",
    )
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    parser.add_argument(
        "--ray",
        type=int,
        nargs="*",
        default=[],
        help="Sizes at which to measure the build on Ray too (needs the ray extra).",
    )
    parser.add_argument(
        "--steps", nargs="+", choices=STEPS, default=list(STEPS), help="The steps to run."
    )
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newscorpus-bench-"))
    results = []
    for size in args.sizes:
        ray = size in args.ray
        results.append(measure(size, args.repeat, workdir, ray=ray, steps=tuple(args.steps)))
        print(table(results[-1:]), flush=True)
    print()
    print(f"cpus: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
