"""Hostile doccano zips and brat files: each is a finding that names the file and, for a
bound, the limit hit; exit 1; nothing changes; under 10 s and 500 MB (tests/bounded.py).

Zips are made with Python's zipfile and then damaged as a hostile or broken tool would:
an encrypted member, a compression method no reader knows, corrupt deflate data, a member
that inflates 1000-fold, ten thousand members, two members for one annotator.
"""

from __future__ import annotations

import json
import shutil
import struct
import zipfile
from pathlib import Path

import pytest

from bounded import run_bounded, tree

DATA = Path(__file__).parent / "data" / "interop" / "root"
RECORD = "corpus/records/001_rules.json"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "root"
    shutil.copytree(DATA, target)
    return target


def _line(root: Path) -> bytes:
    """A doccano line for the first record, one PERSON span on its offsets."""
    record = json.loads((root / RECORD).read_text(encoding="utf-8"))
    mention = record["mentions"][0]
    line = {
        "text": record["text"],
        "meta": {"doc_id": record["id"]},
        "label": [[mention["start"], mention["end"], mention["label"]]],
    }
    return json.dumps(line).encode("utf-8") + b"\n"


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _patch(path: Path, local: int, central: int, value: int) -> None:
    """Set a 2-byte field of the first member, in its local header and its central entry."""
    data = bytearray(path.read_bytes())
    head = data.index(b"PK\x03\x04")
    entry = data.index(b"PK\x01\x02")
    struct.pack_into("<H", data, head + local, value)
    struct.pack_into("<H", data, entry + central, value)
    path.write_bytes(bytes(data))


def _import(root: Path, path: Path, *extra: str) -> str:
    before = tree(root)
    run = run_bounded(
        "import", "doccano" if path.suffix != "" else "brat", str(path), "--root", str(root), *extra
    )
    assert run.code == 1, run.output
    assert tree(root) == before
    return run.output


def test_an_encrypted_member_is_a_finding(root: Path, tmp_path: Path) -> None:
    path = _zip(tmp_path / "export.zip", {"admin.jsonl": _line(root)})
    _patch(path, 6, 8, 0x1)  # general purpose flag bit 0: encrypted
    output = _import(root, path)
    assert f"{path}:/: error [import-input-invalid]" in output
    assert "the member admin.jsonl is encrypted" in output


def test_an_unknown_compression_method_is_a_finding(root: Path, tmp_path: Path) -> None:
    path = _zip(tmp_path / "export.zip", {"admin.jsonl": _line(root)})
    _patch(path, 8, 10, 97)  # a method number no Python reader knows
    output = _import(root, path)
    assert f"{path}:/: error [import-input-invalid]" in output
    assert "compression method" in output


def test_corrupt_deflate_data_is_a_finding(root: Path, tmp_path: Path) -> None:
    path = _zip(tmp_path / "export.zip", {"admin.jsonl": _line(root) * 20})
    data = bytearray(path.read_bytes())
    start = 30 + len("admin.jsonl")  # the local header, the name, no extra field
    data[start : start + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    output = _import(root, path)
    assert f"{path}:/: error [import-input-invalid] cannot read the zip" in output


def test_a_member_that_inflates_past_the_total_stops_at_the_limit(
    root: Path, tmp_path: Path
) -> None:
    """About 500 KB of zip that inflates to 500 MB of blank lines: read up to the 64 MiB
    bound of the whole zip, not to the end."""
    path = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("admin.jsonl", "w", force_zip64=True) as member,
    ):
        for _ in range(500):
            member.write(b"\n" * (1 << 20))
    assert path.stat().st_size < 600_000
    output = _import(root, path)
    assert f"{path}:/: error [import-limit]" in output
    assert "more than the limit of 64 MiB in all" in output


def test_blank_lines_under_the_limit_are_no_document(root: Path, tmp_path: Path) -> None:
    path = _zip(tmp_path / "blank.zip", {"admin.jsonl": b" \n" * (30 << 20)})
    output = _import(root, path)
    assert f"{path}!admin.jsonl:/: error [import-nothing]" in output
    assert "empty or only blank lines" in output


def test_ten_thousand_members_are_refused_by_their_count(root: Path, tmp_path: Path) -> None:
    path = _zip(tmp_path / "many.zip", {f"u{i}.jsonl": b"\n" for i in range(10_000)})
    output = _import(root, path)
    assert f"{path}:/: error [import-limit]" in output
    assert "10000 members, more than the limit of 1000" in output


def test_two_members_for_one_annotator_are_refused(root: Path, tmp_path: Path) -> None:
    line = _line(root)
    path = _zip(tmp_path / "two.zip", {"ann.jsonl": line, "sub/ann.jsonl": line})
    output = _import(root, path, "--force")
    assert "two members, ann.jsonl and sub/ann.jsonl, are both the annotations of 'ann'" in (output)


@pytest.mark.parametrize("content", [b"", b"\n\n   \n\t\n"], ids=["empty", "blank-lines"])
def test_an_empty_export_is_a_finding(root: Path, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(content)
    output = _import(root, path)
    assert f"{path}:/: error [import-nothing]" in output


def test_a_million_bad_lines_stop_at_the_limit(root: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(b"x\n" * 1_000_000)
    output = _import(root, path)
    assert f"{path}:/100: error [import-limit]" in output
    assert "100 lines up to line 100 have errors, the limit of 100" in output


def test_a_50_mb_brat_ann_is_refused_by_its_size(root: Path, tmp_path: Path) -> None:
    brat = tmp_path / "brat"
    brat.mkdir()
    text = json.loads((root / RECORD).read_text(encoding="utf-8"))["text"]
    (brat / "001_rules.txt").write_text(text, encoding="utf-8")
    line = f"T1\tORG 0 5\t{text[:5]}\n".encode()
    (brat / "001_rules.ann").write_bytes(line * (50_000_000 // len(line)))
    output = _import(root, brat)
    assert f"{brat / '001_rules.ann'}:/: error [import-limit]" in output
    assert "larger than the limit of 256 KiB for a brat .ann file" in output


def test_a_brat_ann_just_under_the_limit_stays_within_bounds(root: Path, tmp_path: Path) -> None:
    """The worst an .ann below the bound can do: lines that are each a finding."""
    brat = tmp_path / "brat"
    brat.mkdir()
    text = json.loads((root / RECORD).read_text(encoding="utf-8"))["text"]
    (brat / "001_rules.txt").write_text(text, encoding="utf-8")
    lines = [f"T{i}\tORG 0 5\t{text[:5]}\n".encode() for i in range(1, 400_000)]
    data = b"".join(lines)[: (256 << 10) - 100]
    (brat / "001_rules.ann").write_bytes(data[: data.rindex(b"\n") + 1])
    _import(root, brat)
