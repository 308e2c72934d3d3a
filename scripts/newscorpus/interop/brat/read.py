"""Importing a brat folder: each .txt/.ann pair matched to its record and read into layers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ...fsutil import MAX_SEED_BYTES
from ...tokens import first_difference
from ..common import Imported, RecordIndex, read_export_bytes, refused, with_layers
from .layers import ann_to_layers
from .parse import Problems

# 256 KiB of .ann is some 10,000 annotation lines, several times what an article has; the
# checks of that many mentions take seconds.
MAX_ANN_BYTES = 256 << 10


def read_documents(path: Path, index: RecordIndex) -> Iterator[Imported]:
    if not path.is_dir():
        yield refused(
            str(path), None, "import-input-invalid", "",
            "a brat import reads a folder of .txt/.ann pairs.",
            "give the folder that holds the .txt and .ann files",
        )  # fmt: skip
        return
    stems = sorted({p.stem for p in path.iterdir() if p.suffix in (".txt", ".ann")})
    for stem in stems:
        yield _read_pair(path / f"{stem}.txt", path / f"{stem}.ann", index)


def _read_pair(txt: Path, ann: Path, index: RecordIndex) -> Imported:
    shown = str(ann if ann.exists() else txt)
    problems = Problems(shown, None)
    if not (txt.exists() and ann.exists()):
        have, missing = (txt, ann) if txt.exists() else (ann, txt)
        problems.add(
            "import-document-unmatched",
            0,
            f"{have.name} has no {missing.name}.",
            "brat documents are .txt/.ann pairs: add the missing file",
        )
        return Imported(shown, None, None, problems)
    contents = []
    for part, limit in ((txt, MAX_SEED_BYTES), (ann, MAX_ANN_BYTES)):
        # A FIFO or a device here would block or never end; a huge .ann would take minutes.
        data, problem = read_export_bytes(part, f"a brat {part.suffix} file", limit)
        if data is None:
            assert problem is not None
            return Imported(shown, None, None, [problem])
        contents.append(data)
    try:
        text, ann_text = (data.decode("utf-8") for data in contents)
    except UnicodeDecodeError as err:
        problems.add(
            "import-input-invalid", 0, f"cannot read the pair: {err}.", "save both files as UTF-8"
        )
        return Imported(shown, None, None, problems)
    record = index.match([txt.stem], text)
    if record is None:
        problems.add(
            "import-document-unmatched",
            0,
            f"no record has the id {txt.stem!r} or this text.",
            "add the article first (`newscorpus add`), and name the pair after its record id",
        )
        return Imported(shown, None, None, problems)
    if damage := index.damage(record, f"{txt.name} and {ann.name}"):
        return Imported(shown, record["id"], None, damage)
    problems.record = record["id"]
    at = first_difference(text, record["text"])
    if at is not None:
        problems.add(
            "import-text-mismatch",
            0,
            f"{txt.name} differs from the record's text at offset {at}.",
            "annotate the .txt exported from the record, "
            "unchanged (brat offsets count code points in it)",
        )
        return Imported(shown, record["id"], None, problems)
    layers = ann_to_layers(ann_text, record, problems)
    imported = Imported(shown, record["id"], with_layers(record, layers), problems)
    imported.carried |= {"names"}  # the note of each N newscorpus:e<k> line is its name
    return imported
