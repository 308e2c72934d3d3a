"""Throughput and memory of validate and build, next to a floor measured in the same run.

    python -m newscorpus.dev.benchmark --sizes 2000 20000 100000 --repeat 3

For each size, a scratch corpus of synthetic gold records is generated in a temp folder, then
each step runs as its own process (so start-up and imports count, as they do for a user):

- floor: read every record file, json.loads it, build one Arrow table, write one Parquet file;
- hash: sha256 of every input file, records and seeds (what a no-op rebuild cannot avoid);
- validate: `newscorpus validate --no-cache`;
- build: `newscorpus build` from an empty cache (validation included);
- no-op build: `newscorpus build` again, with nothing changed.

Each step is repeated and the median wall time is reported, with records/s, the peak RSS of
the main process and of the largest worker, and the ratio to the floor (or, for the no-op
build, to hashing). Machines are noisy: compare ratios, not absolute figures.
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
elif step == "hash":
    import hashlib, pathlib
    inputs = sorted(pathlib.Path(root, "corpus", "records").glob("*.json"))
    for p in inputs + sorted(pathlib.Path(root, "seeds").glob("*")):
        hashlib.sha256(p.read_bytes()).hexdigest()
else:
    from newscorpus.cli import main
    args = {"validate": ["validate", "--no-cache"], "build": ["build"], "noop": ["build"]}[step]
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


def _run(step: str, root: Path) -> dict[str, float]:
    before = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, step, str(root)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall"] = time.perf_counter() - before  # whole process, start-up included
    return figures


def measure(size: int, repeat: int, workdir: Path) -> dict[str, Any]:
    from .synth import write_synth

    root = workdir / f"corpus-{size}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "DATASHEET.md").write_text("# Datasheet\n\n<!-- stats:start -->\n<!-- stats:end -->\n")
    write_synth(root, size, seed=size)
    results: dict[str, list[dict[str, float]]] = {}
    for _ in range(repeat):
        for step in ("floor", "hash", "validate", "build", "noop"):
            if step == "build":
                shutil.rmtree(root / ".newscorpus-cache", ignore_errors=True)
                shutil.rmtree(root / "corpus" / "data", ignore_errors=True)
            results.setdefault(step, []).append(_run(step, root))
    shutil.rmtree(root, ignore_errors=True)
    summary: dict[str, Any] = {"records": size}
    for step, runs in results.items():
        wall = statistics.median(r["wall"] for r in runs)
        summary[step] = {
            "seconds": round(wall, 2),
            "records_per_s": round(size / wall, 1),
            "rss_main_mb": round(max(r["rss_main_mb"] for r in runs), 1),
            "rss_worker_mb": round(max(r["rss_worker_mb"] for r in runs), 1),
        }
    floor = summary["floor"]["seconds"]
    summary["validate"]["x_floor"] = round(summary["validate"]["seconds"] / floor, 2)
    summary["build"]["x_floor"] = round(summary["build"]["seconds"] / floor, 2)
    summary["noop"]["x_hash"] = round(summary["noop"]["seconds"] / summary["hash"]["seconds"], 2)
    return summary


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| records | step | median s | records/s | ratio | peak RSS main MB | peak RSS worker MB |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        for step in ("floor", "hash", "validate", "build", "noop"):
            figures = result[step]
            ratio = figures.get("x_floor", figures.get("x_hash"))
            shown = (
                "" if ratio is None else (f"{ratio}x hash" if step == "noop" else f"{ratio}x floor")
            )
            lines.append(
                f"| {result['records']} | {step} | {figures['seconds']} | "
                f"{figures['records_per_s']} | {shown} | {figures['rss_main_mb']} | "
                f"{figures['rss_worker_mb']} |"
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
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newscorpus-bench-"))
    results = []
    for size in args.sizes:
        results.append(measure(size, args.repeat, workdir))
        print(table(results[-1:]), flush=True)
    print()
    print(f"cpus: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
