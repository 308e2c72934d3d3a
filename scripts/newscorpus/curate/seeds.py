"""Seeds are never edited nor replaced: where a new article goes in seeds/, for add and reanchor.

A seed's name ends up in the record (`source.seed_path`), so it must be one the schema accepts:
a name from outside seeds/ is made safe (accents folded, anything else turned into `-`), and
a seed already in seeds/ under an unsafe name is refused before anything is written.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ..errors import IngestError, ReanchorError, RecordExistsError
from ..fsutil import MAX_SEED_BYTES, read_regular, sha256_file, write_atomic

SEED_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # schema: source.seed_path


def ascii_slug(text: str, allowed: str = "A-Za-z0-9_-") -> str:
    """`text` in ASCII letters, digits and `allowed` punctuation: accents folded (café ->
    cafe), every other run of characters turned into one `-`."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(f"[^{allowed}]+", "-", folded)


def safe_seed_name(name: str) -> str:
    """A seed file name the schema accepts, derived from `name`."""
    path = Path(name)
    stem = ascii_slug(path.stem, "A-Za-z0-9._-").strip("-._")[:120] or "seed"
    suffix = re.sub(r"[^A-Za-z0-9.]+", "", path.suffix)[:16]
    return f"{stem}{suffix}"


def read_seed(path: Path) -> bytes:
    """The bytes of an article file: a regular file of at most 64 MB (a FIFO would block,
    /dev/zero would never end)."""
    try:
        return read_regular(path, limit=MAX_SEED_BYTES)
    except OSError as err:
        raise IngestError(
            f"{path}: cannot read the seed ({err.strerror or err}); give a plain text file"
        ) from None


def seed_name_for(seeds_dir: Path, seed: Path) -> str:
    """The name `seed` has, or will have, in seeds/; refuses an unsafe name already there."""
    inside = seed.resolve().parent == seeds_dir.resolve()
    if inside:
        if not SEED_NAME.match(seed.name):
            raise IngestError(
                f"seeds/{seed.name!r} has a name a record cannot point to (letters, digits, "
                f"'.', '_' and '-', starting with a letter or digit); rename it, e.g. to "
                f"seeds/{safe_seed_name(seed.name)}"
            )
        return seed.name
    return safe_seed_name(seed.name)


def keep_seed(seeds_dir: Path, name: str, data: bytes, sha256: str) -> bool:
    """Put the article `data` into seeds/`name` unless it is there already; never replace
    another seed. True when this call created the file (the caller removes it again if the
    record cannot be written). Atomic: a full disk leaves no empty or partial seed."""
    in_seeds = seeds_dir / name
    try:
        write_atomic(in_seeds, data, overwrite=False)
        return True
    except RecordExistsError:
        if sha256_file(in_seeds) != sha256:
            raise IngestError(
                f"seeds/{name} already exists with other content; seeds are never "
                "replaced: rename the new seed."
            ) from None
        return False


def seed_destination(seeds_dir: Path, new_seed: Path, data: bytes) -> tuple[Path, bool]:
    """Where the new version lives in seeds/, and whether it must be copied there.

    A seed already in seeds/ is used where it is. One from outside keeps its (safe) name when
    that is free (or holds the same bytes), else gets the first free `-v2`, `-v3`, ... name:
    an existing seed is never replaced.
    """
    if new_seed.resolve().parent == seeds_dir.resolve():
        seed_name_for(seeds_dir, new_seed)
        return new_seed.resolve(), False
    name = Path(safe_seed_name(new_seed.name))
    stem, suffix = name.stem, name.suffix
    for version in range(1, 10_000):
        target = seeds_dir / (f"{stem}{suffix}" if version == 1 else f"{stem}-v{version}{suffix}")
        if not target.exists():
            return target, True
        if target.is_file() and sha256_file(target) == _sha(data):
            return target, False
    raise ReanchorError(f"no free name for {new_seed.name} in {seeds_dir}")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
