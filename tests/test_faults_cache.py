"""The validation cache never makes `validate` say valid for an invalid record: whoever can
write the checkout's cache folder (a replaced key, a forged entry) cannot seal an entry that
this user's runs accept, because the key lives in the user's own cache folder; and a key
folder that other users may write is not trusted at all."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
from pathlib import Path

import pytest

from newscorpus.cache import WorkCache

RECORD = "corpus/records/mini.json"


def _validate(root: Path) -> tuple[int, str]:
    """`newscorpus validate` in its own process: nothing read by an earlier run is kept."""
    command = [sys.executable, "-m", "newscorpus.cli", "validate", "--root", str(root)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


def _break(root: Path) -> None:
    record = json.loads((root / RECORD).read_text(encoding="utf-8"))
    record["mentions"][0]["text"] += "x"  # span-text-mismatch
    (root / RECORD).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def _forge(root: Path, key: bytes) -> None:
    """What a user with write access to the cache folder does: an entry for the broken bytes
    that says "no findings", sealed with a key of their choosing, put beside the cache."""
    cache = WorkCache(root, "validate")
    sha = hashlib.sha256((root / RECORD).read_bytes()).hexdigest()
    entry = {"sha": sha, "seed": None, "result": [], "text": None}
    where = str(cache.path.parent.resolve())
    for place in ([cache.kind, where, RECORD, entry], [cache.kind, RECORD, entry]):
        message = json.dumps(place, sort_keys=True).encode()
        sealed = {**entry, "mac": hmac.new(key, message, hashlib.sha256).hexdigest()}
        cache.entries[RECORD] = sealed
        cache.dirty = True
        cache.save()
        (cache.path.parent / "key").write_text(key.hex(), encoding="ascii")
        code, output = _validate(root)
        assert code == 1 and "span-text-mismatch" in output, output


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def test_a_replaced_key_and_a_forged_entry_are_not_trusted(mini_root: Path, user_cache: Path):
    assert _validate(mini_root)[0] == 0  # fills the cache, seals with the user's key
    assert (user_cache / "newscorpus" / "key").stat().st_mode & 0o077 == 0
    _break(mini_root)
    _forge(mini_root, b"k" * 32)


def test_a_key_folder_others_may_write_is_not_trusted(mini_root: Path, user_cache: Path):
    """Had another user written the key (its folder is group-writable), a forged entry
    sealed with it would pass; so such a key is not used."""
    folder = user_cache / "newscorpus"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    key = b"s" * 32
    (folder / "key").write_text(key.hex(), encoding="ascii")
    (folder / "key").chmod(0o600)
    assert _validate(mini_root)[0] == 0
    _break(mini_root)
    _forge(mini_root, key)


# Makes this user's key in a fresh cache folder at the same moment as its siblings (each waits
# for a line on its standard input, which the test writes to all of them at once), then prints
# the key it got.
_MAKE_KEY = """
import sys
from newscorpus.cache import _key_folder, _secret
sys.stdin.readline()
print(_secret(_key_folder()).hex())
"""


def test_runs_that_make_the_key_at_once_all_use_the_one_key_on_disk(user_cache: Path):
    """The first run on a machine makes the key; runs started with it must not read a key file
    half written (an empty key seals entries that every later run rejects)."""
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _MAKE_KEY],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    for run in runs:
        assert run.stdin is not None
        run.stdin.write("go\n")
        run.stdin.flush()
    keys = {run.communicate(timeout=60)[0].strip() for run in runs}
    on_disk = (user_cache / "newscorpus" / "key").read_text(encoding="ascii")
    assert keys == {on_disk} and len(on_disk) == 64
    assert sorted(p.name for p in (user_cache / "newscorpus").iterdir()) == ["key"]


def test_a_short_key_file_is_not_used(mini_root: Path, user_cache: Path):
    """A key file cut short (an empty one, say) is not a key: the run seals with a key of its
    own, and a forged entry sealed with the short key is not trusted."""
    folder = user_cache / "newscorpus"
    folder.mkdir(parents=True, mode=0o700)
    (folder / "key").write_text("", encoding="ascii")
    (folder / "key").chmod(0o600)
    assert _validate(mini_root)[0] == 0
    _break(mini_root)
    _forge(mini_root, b"")
