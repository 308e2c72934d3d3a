"""Hostile and broken inputs: every case yields its finding, never a traceback or a hang."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.ingest import draft_record
from newscorpus.jsonio import dumps
from newscorpus.validate import validate_paths

DATA = Path(__file__).parent / "data"
ROOT = DATA / "findings" / "root"
CASES = sorted(p for p in (DATA / "adversarial").iterdir() if p.is_dir())


def test_the_adversarial_corpus_is_large_enough():
    findings_cases = [p for p in (DATA / "findings" / "cases").iterdir() if p.is_dir()]
    assert len(CASES) >= 40 and len(CASES) + len(findings_cases) >= 90


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_case_is_a_finding_with_its_place(case: Path):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    started = time.monotonic()
    result = CliRunner().invoke(
        main, ["validate", "--json", "--no-cache", "--root", str(ROOT), str(case / "mini.json")]
    )
    assert time.monotonic() - started < 60  # a guard against hangs, not a benchmark
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    report = json.loads(result.output)
    found = {(f["code"], f["pointer"]) for f in report["findings"]}
    assert (expected["code"], expected["pointer"]) in found, found
    for finding in report["findings"]:
        assert finding["file"].endswith("mini.json") and finding["hint"]


# 1 MB in the quick run; the 10 MB case, a quarter of that run on its own, only in the full one.
@pytest.mark.parametrize("megabytes", [1, pytest.param(10, marks=pytest.mark.slow)])
def test_a_large_record_validates_in_seconds(tmp_path: Path, megabytes: int):
    """A valid record of 1 or 10 MB: the small corpus's article plus many paragraphs."""
    seed = (ROOT / "seeds" / "mini.txt").read_text(encoding="utf-8")
    filler = "".join(
        f"\n\nParagraph {i} repeats that the regulator acted on a Tuesday."
        for i in range(17_000 * megabytes)
    )
    data = (seed.rstrip("\n") + filler + "\n").encode("utf-8")
    assert len(data) > megabytes * 1_000_000
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "mini.txt").write_bytes(data)
    base = json.loads((ROOT / "corpus/records/mini.json").read_text(encoding="utf-8"))
    record = draft_record(data, "seeds/mini.txt", "mini")
    for layer in ("mentions", "entities", "quotes", "events", "relations", "labels", "annotation"):
        record[layer] = base[layer]
    (tmp_path / "corpus/records").mkdir(parents=True)
    path = tmp_path / "corpus/records/mini.json"
    path.write_text(dumps(record), encoding="utf-8")
    assert path.stat().st_size > megabytes * 1_000_000
    started = time.monotonic()
    report = validate_paths(tmp_path)
    elapsed = time.monotonic() - started
    assert report.findings == [] and report.files == 1
    assert elapsed < 60, f"{elapsed:.1f} s"  # seconds in practice; a hang guard here


def test_a_10_mb_file_of_garbage_is_one_finding(tmp_path: Path):
    path = tmp_path / "garbage.json"
    path.write_bytes(b"{" + b'"a": [1, 2, 3], ' * 700_000 + b'"end": }')
    started = time.monotonic()
    report = validate_paths(tmp_path, [path])
    assert time.monotonic() - started < 60
    assert [f.code for f in report.findings] == ["json-invalid"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary\xff" * 100, "looks binary"),
        (b"", "the seed is empty"),
        (b"caf\xe9\n", "not valid UTF-8 (byte 0xe9 at offset 3)"),
        (b"\xef\xbb\xbf \r\n\t\r\n", "no article text left"),
        (b"Title\n\n" + b"\xed\xa0\x80" + b"\n", "not valid UTF-8 (byte 0xed at offset 7)"),
        (b"Next Story\n\nRead more\n", "no article text left"),
    ],
    ids=[
        "binary",
        "empty",
        "latin-1",
        "whitespace-only",
        "utf8-encoded-surrogate",
        "navigation-only",
    ],
)
def test_bad_seeds_are_refused_by_add_without_traceback(
    tmp_path: Path, content: bytes, message: str
):
    seed = tmp_path / "incoming.txt"
    seed.write_bytes(content)
    result = CliRunner().invoke(main, ["add", str(seed), "--root", str(tmp_path / "root")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "incoming.txt" in result.output and message in result.output
    assert not (tmp_path / "root" / "corpus").exists()
