"""Incremental builds: a shard whose inputs are unchanged is reused, never at the cost of a byte.

Every test compares what a build published with a cold build of the same inputs, rendered
into a fresh folder with no cache at all: the published bytes must be exactly the same.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from killpoint import Stoppable
from newscorpus.cache import CACHE_DIR
from newscorpus.dev.synth import write_synth
from newscorpus.errors import InvalidCorpusError
from newscorpus.jsonio import dumps
from newscorpus.labels import MODALITIES, SPLITS
from newscorpus.publish import reuse, shards
from newscorpus.publish.build import build, render
from newscorpus.publish.buildstate import BuildState, Hashes
from newscorpus.publish.layout import CORPUS, DATASHEET, GENERATED

REPO = Path(__file__).resolve().parent.parent
RECORDS = 24
DERIVE_BATCH = 8  # records per shard here: three shards
BATCH = 2  # records per batch here: four batches a shard, so one edit leaves three kept


@pytest.fixture(scope="module", autouse=True)
def small_batches():
    """Batches of two records, so that an edited shard is patched, not derived whole."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shards, "DERIVE_BATCH", BATCH)
        patch.setattr(reuse, "DERIVE_BATCH", BATCH)
        yield


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic corpus of three shards, built once (its shard cache filled)."""
    root = tmp_path_factory.mktemp("incremental") / "root"
    root.mkdir()
    shutil.copyfile(REPO / "DATASHEET.md", root / "DATASHEET.md")
    write_synth(root, RECORDS, seed=26)
    build(root, shard_records=DERIVE_BATCH)
    return root


@pytest.fixture
def root(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "root"
    shutil.copytree(built, copy)
    # a cache entry holds for the checkout that wrote it only: fill the copy's own
    build(copy, shard_records=DERIVE_BATCH)
    return copy


def _records(root: Path) -> list[Path]:
    return sorted((root / CORPUS / "records").glob("*.json"))


def _edit(path: Path, change) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(dumps(record), encoding="utf-8")


def _note(path: Path, note: str) -> None:
    _edit(path, lambda record: record["annotation"].update(notes=note))


def _published(root: Path) -> dict[str, bytes]:
    """Every published file, by name: corpus/'s generated outputs and the datasheet."""
    found = {DATASHEET: (root / DATASHEET).read_bytes()}
    for name in GENERATED:
        path = root / CORPUS / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            found[file.relative_to(root / CORPUS).as_posix()] = file.read_bytes()
    return found


def _cold(root: Path, where: Path) -> dict[str, bytes] | list[str]:
    """What a cold build of `root`'s inputs publishes, or the findings it fails on."""
    shutil.rmtree(where, ignore_errors=True)
    try:
        render(root, where, shard_records=DERIVE_BATCH)
    except InvalidCorpusError as err:
        return [finding.format() for finding in err.report.findings]
    out = {DATASHEET: (where / DATASHEET).read_bytes()}
    out.update(
        (p.relative_to(where).as_posix(), p.read_bytes())
        for p in sorted(where.rglob("*"))
        if p.is_file() and p.name != DATASHEET
    )
    return out


def _incremental(root: Path) -> dict[str, bytes] | list[str]:
    try:
        build(root, shard_records=DERIVE_BATCH)
    except InvalidCorpusError as err:
        return [finding.format() for finding in err.report.findings]
    return _published(root)


def _inodes(root: Path) -> dict[str, int]:
    data = root / CORPUS / "data"
    return {p.relative_to(data).as_posix(): p.stat().st_ino for p in data.rglob("*.parquet")}


def test_an_edit_rebuilds_its_shard_only_and_publishes_a_cold_builds_bytes(root, tmp_path):
    before = _inodes(root)
    _note(_records(root)[-1], "one record edited in the last shard")
    assert _incremental(root) == _cold(root, tmp_path / "cold")
    after = _inodes(root)
    # the first two shards' files are the very files the previous build wrote; the last
    # shard's were written again
    for shard in ("00000", "00001"):
        assert (
            after[f"documents/train-{shard}-of-00003.parquet"]
            == before[f"documents/train-{shard}-of-00003.parquet"]
        )
    last = "documents/train-00002-of-00003.parquet"
    assert after[last] != before[last]


@pytest.fixture
def derived(monkeypatch) -> list[str]:
    """The names of the record files that builds from now on validate and derive again."""
    names: list[str] = []
    real = reuse.derive_shard

    def counting(task):
        names.extend(path.name for path in task[1])
        return real(task)

    monkeypatch.setattr(reuse, "derive_shard", counting)
    monkeypatch.setattr(shards, "derive_shard", counting)
    return names


def test_an_edit_derives_its_batch_only_and_the_shard_is_written_afresh(root, tmp_path, derived):
    edited = _records(root)[-3]  # in the last shard's third batch
    _note(edited, "one record edited, its shard patched")
    published = _incremental(root)
    assert derived == [path.name for path in _records(root)[-4:-2]]  # its batch, no more
    assert published == _cold(root, tmp_path / "cold")
    # and the next edit of the same shard patches the patched one
    derived.clear()
    _note(_records(root)[-1], "a second edit in the same shard")
    published = _incremental(root)
    assert derived == [path.name for path in _records(root)[-2:]]
    assert published == _cold(root, tmp_path / "cold-2")


def test_an_edit_writes_again_only_the_files_whose_rows_it_changes(root, tmp_path):
    before = _inodes(root)
    _note(_records(root)[-3], "notes are only in the documents config")
    assert _incremental(root) == _cold(root, tmp_path / "cold")
    after = _inodes(root)
    changed = sorted(name for name in before if after[name] != before[name])
    assert changed and all(name.startswith("documents/") for name in changed), changed

    # an event's modality: its events and documents rows change, no other
    def modality(record: dict) -> None:
        event = record["events"][0]
        event["modality"] = next(m for m in MODALITIES if m != event["modality"])

    _edit(_records(root)[-3], modality)
    before = after
    assert _incremental(root) == _cold(root, tmp_path / "cold-2")
    after = _inodes(root)
    changed = {name.split("/")[0] for name in before if after[name] != before[name]}
    assert changed == {"documents", "events"}, changed


def test_a_record_added_at_the_end_derives_the_last_batch_only(root, tmp_path, derived):
    last = _records(root)[-1]
    data = last.read_bytes()
    last.unlink()  # the last shard: batches of 2, 2, 2 and 1 records
    build(root, shard_records=DERIVE_BATCH)
    derived.clear()
    last.write_bytes(data)  # added back, as `newscorpus add` adds: after every other id
    published = _incremental(root)
    assert derived == [path.name for path in _records(root)[-2:]]
    assert published == _cold(root, tmp_path / "cold")


def test_an_edit_that_moves_a_shards_example_publishes_a_cold_builds_bytes(root, tmp_path):
    # the first shard's first batch becomes drafts: the card's documents example (the first
    # shard's) now comes from the shard's second batch, which kept none
    for path in _records(root)[:2]:
        _edit(path, lambda record: record["annotation"].update(status="draft"))
    assert _incremental(root) == _cold(root, tmp_path / "cold")


# --- what the last build hashed ---------------------------------------------------------------


def _same_size_edit(path: Path, old: str, new: str) -> None:
    """Bytes changed, size, inode and mtime as they were: what a stat cannot see."""
    info = path.stat()
    data = path.read_bytes()
    assert len(old) == len(new) and old.encode() in data
    with path.open("r+b") as handle:  # in place: the same inode
        handle.write(data.replace(old.encode(), new.encode(), 1))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_ino == info.st_ino


def _notes(root: Path, record_id: str) -> str:
    """The notes the documents config publishes for a record."""
    for path in sorted((root / CORPUS / "data" / "documents").glob("*.parquet")):
        table = pq.read_table(path, columns=["id", "annotation"]).to_pylist()
        for row in table:
            if row["id"] == record_id:
                return row["annotation"]["notes"]
    raise AssertionError(f"{record_id} is not published")


def test_a_file_modified_within_the_racy_window_is_hashed_again(root, tmp_path):
    path = _records(root)[4]
    _note(path, "note-AAAA")
    later = time.time_ns() + 60 * 10**9  # not older than the build by RACY_NS: never kept
    os.utime(path, ns=(later, later))
    build(root, shard_records=DERIVE_BATCH)
    _same_size_edit(path, "note-AAAA", "note-BBBB")
    published = _incremental(root)
    assert published == _cold(root, tmp_path / "cold")
    assert _notes(root, path.stem) == "note-BBBB"  # the documents config publishes notes


def test_an_unchanged_signature_is_trusted_and_no_cache_hashes_everything(root, tmp_path):
    path = _records(root)[4]
    _note(path, "note-AAAA")
    hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(hour_ago, hour_ago))
    build(root, shard_records=DERIVE_BATCH)  # its signature kept with its sha256
    _same_size_edit(path, "note-AAAA", "note-BBBB")
    # as git's index: same inode, size and mtime are taken for the same bytes...
    assert build(root, shard_records=DERIVE_BATCH).up_to_date
    assert _notes(root, path.stem) == "note-AAAA"
    # ...and a build without the cache hashes every file
    build(root, shard_records=DERIVE_BATCH, use_cache=False)
    assert _published(root) == _cold(root, tmp_path / "cold")
    assert _notes(root, path.stem) == "note-BBBB"
    _note(_records(root)[-1], "then an ordinary edit")
    assert _incremental(root) == _cold(root, tmp_path / "cold-2")


def test_a_record_edited_after_the_inputs_were_hashed_is_seen(root, tmp_path):
    """The command hashes the inputs before the build takes its lock and lists corpus/: a
    record edited in between must not be taken for the bytes hashed."""
    path = _records(root)[5]
    _note(path, "note-AAAA")
    hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(hour_ago, hour_ago))
    build(root, shard_records=DERIVE_BATCH)
    _note(_records(root)[-1], "an edit the build sees from the start")
    state = BuildState(root, False)
    _note(path, "note-BBBB, longer")  # after the hashing, before the build's own listing
    build(root, shard_records=DERIVE_BATCH, state=state)
    assert _notes(root, path.stem) == "note-BBBB, longer"
    assert _published(root) == _cold(root, tmp_path / "cold")


def test_an_entry_put_in_seeds_that_is_no_file_fails_the_next_build(root):
    live = _published(root)
    os.mkfifo(root / "seeds" / "zz-pipe.txt")  # a build that hashed it would hang
    try:
        build(root, shard_records=DERIVE_BATCH)
    except InvalidCorpusError as err:
        codes = {(finding.file, finding.code) for finding in err.report.findings}
    else:
        raise AssertionError("the build took a FIFO in seeds/ for no change")
    assert codes == {("seeds/zz-pipe.txt", "file-not-regular")}
    assert _published(root) == live


def test_an_edited_signature_list_is_not_trusted(root, tmp_path):
    (path,) = (root / CACHE_DIR).glob("build-*.json")
    entries = json.loads(path.read_text())
    kept = entries["signatures"]["result"]
    assert len(kept["sha256"]) == 64 * len(kept["names"]) > 0
    kept["sha256"] = "0" * len(kept["sha256"])  # every file claims other bytes
    path.write_text(json.dumps(entries))
    _note(_records(root)[-1], "an edit in the last shard")
    assert _incremental(root) == _cold(root, tmp_path / "cold")


def test_the_packed_signature_table_reads_back_what_it_wrote_and_refuses_the_rest():
    table = Hashes()
    table.add("corpus/records/a.json", (7, 120, 10**18), "ab" * 32)
    table.add("seeds/a.txt", (2**40, 0, 1), None)  # unreadable: no digest, not kept
    table.add("corpus/records/b.json", (8, 3, 4), "cd" * 32)
    table.add("corpus/records/a.json", (9, 121, 5), "ef" * 32)  # hashed again: this holds
    assert table.get("seeds/a.txt") == ((2**40, 0, 1), None)
    assert table.get("nowhere") is None
    again = Hashes.from_json(json.loads(json.dumps(table.to_json())))
    assert sorted((name, sig, sha) for name, sig, sha in again.items()) == [
        ("corpus/records/a.json", (9, 121, 5), "ef" * 32),
        ("corpus/records/b.json", (8, 3, 4), "cd" * 32),
    ]
    good = table.to_json()
    for broken in (
        None,
        [],
        {**good, "names": good["names"][:1]},  # fewer names than signatures
        {**good, "names": [good["names"][0]] * 2},  # one name twice
        {**good, "sha256": good["sha256"][:-2]},  # a digest cut short
        {**good, "signatures": good["signatures"] + "zz"},  # not hex
        {**good, "names": [1, 2]},
    ):
        assert len(Hashes.from_json(broken)) == 0  # nothing trusted: every file is hashed


# --- the property: random small edits, incremental against cold ------------------------------


def _apply(root: Path, edit: tuple) -> None:
    kind, index, value = edit
    paths = _records(root)
    path = paths[index % len(paths)]
    if kind == "notes":
        _note(path, value)
    elif kind == "split":
        _edit(path, lambda record: record.update(split=value))
    elif kind == "draft":
        _edit(path, lambda record: record["annotation"].update(status="draft"))
    elif kind == "quote-drop":
        _edit(path, lambda record: record["quotes"].pop() if record["quotes"] else None)
    elif kind == "delete":
        path.unlink()
    elif kind == "duplicate":  # the same text twice: the check across shards must fail it
        copy = path.with_name(f"synth-99-{value:06d}.json")
        record = json.loads(path.read_text(encoding="utf-8"))
        record["id"] = copy.stem
        copy.write_text(dumps(record), encoding="utf-8")


index = st.integers(0, RECORDS - 1)
edits = st.one_of(
    st.tuples(st.just("notes"), index, st.text(max_size=12)),
    st.tuples(st.just("split"), index, st.sampled_from(SPLITS)),
    st.tuples(st.sampled_from(["draft", "quote-drop", "delete"]), index, st.none()),
    st.tuples(st.just("duplicate"), index, st.integers(0, 999)),
)


@pytest.mark.slow
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rounds=st.lists(st.lists(edits, min_size=1, max_size=2), min_size=1, max_size=3))
def test_incremental_builds_publish_exactly_a_cold_builds_bytes(built, tmp_path_factory, rounds):
    work = tmp_path_factory.mktemp("property")
    root = work / "root"
    shutil.copytree(built, root)
    for number, round_ in enumerate(rounds):
        for edit in round_:
            _apply(root, edit)
        cold = _cold(root, work / f"cold-{number}")
        live = _published(root)
        got = _incremental(root)
        assert got == cold
        if isinstance(cold, list):  # a failed build publishes nothing
            assert _published(root) == live
            return


# --- what must not be reused ------------------------------------------------------------------


def _first_file(root: Path) -> Path:
    return root / CORPUS / "data" / "documents" / "train-00000-of-00003.parquet"


def test_a_tampered_published_file_is_not_reused(root, tmp_path):
    target = _first_file(root)
    other = target.with_name("train-00001-of-00003.parquet")
    target.unlink()  # a new file in its place, bytes of another shard's file
    target.write_bytes(other.read_bytes())
    _note(_records(root)[-1], "an edit in the last shard")
    assert _incremental(root) == _cold(root, tmp_path / "cold")


def test_a_published_file_changed_in_place_or_removed_is_not_reused(root, tmp_path):
    target = _first_file(root)
    with target.open("r+b") as handle:  # one byte flipped, same size, same inode
        handle.seek(100)
        byte = handle.read(1)
        handle.seek(100)
        handle.write(bytes([byte[0] ^ 1]))
    (root / CORPUS / "data" / "ner" / "train-00001-of-00003.parquet").unlink()
    _note(_records(root)[-1], "an edit in the last shard")
    assert _incremental(root) == _cold(root, tmp_path / "cold")


def _shard_cache(root: Path) -> Path:
    (found,) = (root / CACHE_DIR).glob("shards-*.json")
    return found


def test_an_edited_cache_entry_is_not_reused(root, tmp_path):
    path = _shard_cache(root)
    entries = json.loads(path.read_text())
    for entry in entries.values():  # counts a card would show, changed without the key
        entry["result"]["records"] += 1
        entry["result"]["stats"]["counters"]["layers"]["mentions"] += 1000
    path.write_text(json.dumps(entries))
    _note(_records(root)[-1], "an edit in the last shard")
    assert _incremental(root) == _cold(root, tmp_path / "cold")


def test_a_truncated_cache_only_makes_the_build_cold(root, tmp_path):
    path = _shard_cache(root)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    _note(_records(root)[0], "an edit in the first shard")
    assert _incremental(root) == _cold(root, tmp_path / "cold")


def test_a_changed_seed_fails_the_build_as_a_cold_build_does(root, tmp_path):
    seed = sorted((root / "seeds").iterdir())[0]  # cited by the first shard's first record
    seed.write_bytes(seed.read_bytes().replace(b"e", b"E", 1))
    live = _published(root)
    _note(_records(root)[-1], "an edit in the last shard")
    cold = _cold(root, tmp_path / "cold")
    assert isinstance(cold, list) and cold  # the record no longer matches its seed
    assert _incremental(root) == cold
    assert _published(root) == live


# --- a killed build -----------------------------------------------------------------------------

_BUILD = (
    "import sys; from pathlib import Path; from newscorpus.publish.build import build; "
    f"build(Path(sys.argv[1]), shard_records={DERIVE_BATCH})"
)


@pytest.mark.slow
def test_a_build_killed_midway_leaves_the_cache_usable(root, tmp_path):
    command = ["-c", _BUILD, str(root)]
    _note(_records(root)[-1], "counting run")
    whole = Stoppable(command, at=-1)  # never stopped: counts the build's file-system steps
    assert whole.reached() is None and whole.process.returncode == 0
    for number, fraction in enumerate((0.2, 0.4, 0.6, 0.75, 0.85, 0.95, 1.1)):
        first = _inodes(root)["documents/train-00000-of-00003.parquet"]
        _note(_records(root)[-1], f"killed run {number}")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        build = Stoppable(command, at=int(whole.steps * fraction), **quiet)
        stopped = build.reached()  # None: the build ended first (at 1.1, after its last step)
        assert (stopped is None) == (fraction > 1), (fraction, whole.steps)
        if stopped is not None:
            build.kill()
        assert _incremental(root) == _cold(root, tmp_path / f"cold-{number}")
        # the first shard, never edited, is still the very file the first build wrote
        assert _inodes(root)["documents/train-00000-of-00003.parquet"] == first, fraction
        assert not list(root.glob(".corpus-staging-*"))
    assert os.listdir(root / CACHE_DIR)
