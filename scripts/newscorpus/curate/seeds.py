"""Seeds are never edited nor replaced: where a new article goes in seeds/, for add and reanchor."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ..errors import IngestError, ReanchorError
from ..fsutil import sha256_file


def keep_seed(seeds_dir: Path, seed: Path, sha256: str) -> None:
    """Copy `seed` into seeds/ unless it is there already; never replace another seed."""
    in_seeds = seeds_dir / seed.name
    if in_seeds.exists() and in_seeds.resolve() == seed.resolve():
        return
    if in_seeds.exists():
        if sha256_file(in_seeds) != sha256:
            raise IngestError(
                f"seeds/{seed.name} already exists with other content; seeds are never "
                "replaced: rename the new seed."
            )
        return
    seeds_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seed, in_seeds)


def seed_destination(seeds_dir: Path, new_seed: Path, data: bytes) -> tuple[Path, bool]:
    """Where the new version lives in seeds/, and whether it must be copied there.

    A seed already in seeds/ is used where it is. One from outside keeps its name when that is
    free (or holds the same bytes), else gets the first free `-v2`, `-v3`, ... name: an
    existing seed is never replaced.
    """
    if new_seed.resolve().parent == seeds_dir.resolve():
        return new_seed.resolve(), False
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", new_seed.stem).strip("-._") or "seed"
    suffix = re.sub(r"[^A-Za-z0-9.]+", "", new_seed.suffix)
    for version in range(1, 10_000):
        name = f"{stem}{suffix}" if version == 1 else f"{stem}-v{version}{suffix}"
        target = seeds_dir / name
        if not target.exists():
            return target, True
        if target.is_file() and target.read_bytes() == data:
            return target, False
    raise ReanchorError(f"no free name for {new_seed.name} in {seeds_dir}")
