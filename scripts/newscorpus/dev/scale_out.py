"""Running the per-record stage on an existing engine, for corpora beyond one machine.

The build has two stages. `publish.derive.derive_shard` takes a shard of record files and
returns their validation results and config rows as Arrow tables: it depends on nothing but
those files, so any engine can run it, anywhere, in any order. `publish.build.write_outputs`
then takes the shards in id order and writes the Parquet files, the card and Croissant, on
one machine: that stage is a sequential write, bounded by disk, and it fixes the bytes.

This module runs the first stage through `datasets.Dataset.map(num_proc=...)`, which is
tested here on one machine and gives the same bytes as `newscorpus build`. With Ray Data the
same function drops in unchanged (a sketch, not run here: Ray is not a dependency):

    import ray
    ray.data.DataContext.get_current().execution_options.preserve_order = True
    items = [{"path": str(p)} for p in record_files(root)]
    shards = ray.data.from_items(items).map_batches(
        shard_batch, batch_size=SHARD, fn_kwargs={"root": str(root)})
    write_outputs(root, target, (pickle.loads(row["shard"]) for row in shards.iter_rows()))

Dask works the same way with `dask.bag.from_sequence(paths, partition_size=SHARD)
.map_partitions(...)`: what matters is that each task sees whole shards, that shards come back
in id order, and that the files are readable where the task runs (a shared file system or
object store).
"""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path
from typing import Any

from ..publish.build import write_outputs
from ..publish.derive import SHARD, derive_shard
from ..publish.layout import Published
from ..records import record_files


def shard_batch(
    batch: dict[str, list[Any]], root: str, include_drafts: bool = False
) -> dict[str, list[bytes]]:
    """An engine's batch function: a batch of record paths becomes one pickled Shard."""
    paths = [Path(p) for p in batch["path"]]
    return {"shard": [pickle.dumps(derive_shard((Path(root), paths, include_drafts)))]}


def render_with_datasets(
    root: Path, target: Path, *, num_proc: int = 2, include_drafts: bool = False
) -> Published:
    """`publish.build.render`, with the per-record stage run by `datasets.Dataset.map`."""
    from datasets import Dataset, disable_progress_bars

    disable_progress_bars()
    paths = [str(p) for p in record_files(root)]
    with tempfile.TemporaryDirectory(prefix="newscorpus-map-") as scratch:
        shards = Dataset.from_dict({"path": paths}).map(
            shard_batch,
            batched=True,
            batch_size=SHARD,
            num_proc=min(num_proc, max(1, len(paths) // SHARD)) or None,
            remove_columns=["path"],
            fn_kwargs={"root": str(root), "include_drafts": include_drafts},
            cache_file_name=str(Path(scratch) / "shards.arrow"),
            load_from_cache_file=False,
        )
        return write_outputs(
            root,
            target,
            (pickle.loads(row["shard"]) for row in shards),
            include_drafts=include_drafts,
        )
