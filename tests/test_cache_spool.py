"""What a build collects per record goes to disk as it comes, not into memory: the validation
entries it stores (WorkCache with `spool`) and its shards' summaries (Spool). Read back, they
are what was stored; where nothing can be written, they stay in memory and the run goes on."""

from __future__ import annotations

import contextlib
import resource
import signal
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from newscorpus.cache import CACHE_DIR, Spool, WorkCache
from newscorpus.fsutil import write_atomic
from newscorpus.publish.buildstate import SIGNATURES, Hashes


@pytest.fixture(autouse=True)
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-cache"  # the HMAC key, made for this test
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def _root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    root.mkdir()
    return root


def test_a_spooled_cache_keeps_the_entries_it_did_not_replace_and_the_new_ones(tmp_path: Path):
    root = _root(tmp_path)
    first = WorkCache(root, "validate")
    first.store("a.json", "sha-a", None, [{"code": "old"}], text="t-a")
    first.store("b.json", "sha-b", None, [{"code": "old"}], text="t-b")
    first.save()

    second = WorkCache(root, "validate", spool=True)
    second.store("b.json", "sha-b2", None, [{"code": "new", "message": "ü"}], text="t-b2")
    second.store("c.json", "sha-c", None, [], text=None)
    assert second.lookup("c.json", "sha-c", root) is None  # spooled: for the next run
    second.save()

    third = WorkCache(root, "validate")
    assert set(orjson.loads(third.path.read_bytes())) == {"a.json", "b.json", "c.json"}
    assert third.lookup("a.json", "sha-a", root)["result"] == [{"code": "old"}]
    assert third.lookup("b.json", "sha-b", root) is None  # replaced
    assert third.lookup("b.json", "sha-b2", root)["result"] == [{"code": "new", "message": "ü"}]
    assert third.lookup("c.json", "sha-c", root)["text"] is None


def test_an_entry_whose_keys_were_reordered_by_hand_is_not_trusted(tmp_path: Path):
    """The seal covers the entry as written, key order included: an entry rewritten by
    another tool is ignored, never taken for one this user's runs sealed."""
    root = _root(tmp_path)
    cache = WorkCache(root, "validate")
    cache.store("a.json", "sha-a", None, [], text="t")
    cache.save()
    entries = orjson.loads(cache.path.read_bytes())
    entries["a.json"] = dict(reversed(entries["a.json"].items()))
    cache.path.write_bytes(orjson.dumps(entries))
    assert WorkCache(root, "validate").lookup("a.json", "sha-a", root) is None


def test_a_cache_folder_that_cannot_be_made_keeps_the_entries_in_memory(tmp_path: Path):
    root = _root(tmp_path)
    (root / CACHE_DIR).write_text("not a folder\n")  # (refused to root as well)
    cache = WorkCache(root, "validate", spool=True)
    cache.store("a.json", "sha-a", None, [], text="t")
    assert cache.lookup("a.json", "sha-a", root) is not None  # kept in memory instead
    cache.save()  # cannot be written: only costs time next run
    assert (root / CACHE_DIR).read_text() == "not a folder\n"


def test_a_spool_gives_back_its_pairs_in_order(tmp_path: Path):
    spool = Spool(tmp_path / "cache")
    pairs = [("ä-key", b"x" * 300_000), ("", b""), ("k", orjson.dumps({"a": [1, "é"]}))]
    for key, value in pairs:
        spool.append(key, value)
    assert list(spool) == pairs
    assert list(spool) == pairs  # read again from the start
    assert not list((tmp_path / "cache").iterdir())  # the file has no name
    spool.close()
    assert list(spool) == []


def test_a_spool_that_cannot_be_made_keeps_its_pairs_in_memory(tmp_path: Path):
    (tmp_path / "cache").write_text("")
    spool = Spool(tmp_path / "cache")
    spool.append("a", b"1")
    spool.append("b", b"2")
    assert list(spool) == [("a", b"1"), ("b", b"2")]


@contextlib.contextmanager
def _file_size_limit(limit: int) -> Iterator[None]:
    """Writes past `limit` bytes fail (EFBIG) as on a full disk, for this process only."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


def test_a_spool_whose_write_fails_drops_what_it_wrote_and_goes_on_in_memory(tmp_path: Path):
    """What a failed write left in the file is never read back half-written: the pairs
    written before are lost (scratch data: they cost time next run), the later ones kept."""
    spool = Spool(tmp_path / "cache")
    with _file_size_limit(100_000):
        spool.append("first", b"1" * 60_000)
        spool.append("second", b"2" * 60_000)  # past the limit
        spool.append("third", b"3")
    assert list(spool) == [("second", b"2" * 60_000), ("third", b"3")]


def test_a_file_written_in_pieces_holds_them_all_and_a_failure_keeps_the_old_one(
    tmp_path: Path,
):
    path = tmp_path / "cache.json"
    pieces = [b"{", b"x" * 3_000_000, memoryview(b'"a":1'), b"}"]
    write_atomic(path, iter(pieces), overwrite=True, backup=False)
    assert path.read_bytes() == b"".join(bytes(piece) for piece in pieces)

    def failing() -> Iterator[bytes]:
        yield b"{"
        raise OSError(28, "No space left on device")

    with pytest.raises(Exception, match="No space left on device"):
        write_atomic(path, failing(), overwrite=True, backup=False)
    assert path.read_bytes() == b"".join(bytes(piece) for piece in pieces)
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["cache.json"]  # no temp


def test_an_entry_stored_in_pieces_reads_back_sealed(tmp_path: Path):
    """The build's table of file signatures is stored already serialized, in pieces: read
    back by the next run, it is trusted and holds what was stored."""
    root = _root(tmp_path)
    table = Hashes()
    table.add("corpus/records/ä.json", (1, 2, 3), "ab" * 32)
    table.add("seeds/unreadable.txt", (4, 5, 6), None)  # no digest: left out
    table.add("seeds/a.txt", (7, 8, -9), "cd" * 32)
    cache = WorkCache(root, "build")
    cache.store_json(SIGNATURES, "", None, table.json_pieces(lambda name, at: "ä" in name))
    cache.save()
    entry = WorkCache(root, "build").lookup(SIGNATURES, "", root)
    assert entry is not None
    back = Hashes.from_json(entry["result"])
    assert dict((name, (signature, digest)) for name, signature, digest in back.items()) == {
        "corpus/records/ä.json": ((1, 2, 3), "ab" * 32)
    }
