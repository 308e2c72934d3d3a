"""The benchmark's `libraries` step: what `validate` costs in the libraries it calls alone.

For every record file, in the same worker processes and batches as `newscorpus validate`: the
bytes read (as the validator reads them), decoded by orjson, judged by the record schema's
jsonschema-rs validator, the text run through spaCy's tokenizer to its token offsets, and the
seed read, hashed and ingested. None of the validator's own checks runs, and nothing is
reported. So `validate` cannot be faster than this with today's libraries, and the difference
between the two is what its checks written in Python cost.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson
from spacy.attrs import IDX, IS_SPACE, LENGTH

from ..fsutil import MAX_SEED_BYTES, read_regular
from ..ingest import ingest_text
from ..labels import use_root
from ..parallel import bounded_map, default_jobs
from ..paths import record_files
from ..tokens import _pipeline
from ..validate.run import VALIDATE_BATCH, fewer_collections
from ..validate.schema import schema_is_valid_fast


def run(root: Path, jobs: int = 0) -> int:
    """Make every library call of `validate` over the records under `root`; the number of
    records read."""
    with use_root(root):
        files = record_files(root, [])
        tasks = [
            (root, files[i : i + VALIDATE_BATCH]) for i in range(0, len(files), VALIDATE_BATCH)
        ]
        return sum(bounded_map(_batch, tasks, jobs or default_jobs()))


def _batch(task: tuple[Path, list[Path]]) -> int:
    root, paths = task
    tokenizer = _pipeline().tokenizer
    with fewer_collections():
        for path in paths:
            data = read_regular(path, follow_symlinks=False)
            record = orjson.loads(data)
            schema_is_valid_fast(record)
            tokenizer(record["text"]).to_array([IDX, LENGTH, IS_SPACE])
            seed_path = record["source"]["seed_path"]
            seed = read_regular(root / seed_path, limit=MAX_SEED_BYTES, follow_symlinks=False)
            hashlib.sha256(seed).hexdigest()
            ingest_text(seed, seed_path)
    return len(paths)
