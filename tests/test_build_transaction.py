"""The build's transaction (publish/transaction.py) as a build meets it: one build at a time,
and a transaction left without publishing leaves the root as it was, saying why."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newscorpus.cli import main
from newscorpus.errors import BuildError
from newscorpus.publish.transaction import BuildTransaction

PUBLISHED = Path(__file__).parent / "data" / "publish" / "root"
RECORD = "corpus/records/fixture_000.json"


def files(root: Path) -> dict[str, bytes]:
    """Every regular file under the root, the cache (which holds the lock) aside."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if ".newscorpus-cache" not in path.parts and stat.S_ISREG(path.lstat().st_mode)
    }


def build(root: Path) -> subprocess.CompletedProcess[str]:
    """`newscorpus build` in its own process: the build lock belongs to a process."""
    command = [sys.executable, "-m", "newscorpus.cli", "build", "--no-cache", "--root", str(root)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built") / "root"
    shutil.copytree(PUBLISHED, root)
    result = invoke(root, "build")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def root(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "root"
    shutil.copytree(built, target)
    return target


def test_a_build_while_another_runs_is_refused_and_changes_nothing(root: Path) -> None:
    before = files(root)
    with BuildTransaction(root):
        refused = build(root)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert f"another build is running in {root}" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert files(root) == before
    done = build(root)  # the lock went with the transaction
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_write_that_fails_before_the_exchange_publishes_nothing(root: Path) -> None:
    before = files(root)
    with pytest.raises(BuildError) as raised, BuildTransaction(root) as txn:
        (txn.stage() / "README.md").write_text("half a card\n", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert str(raised.value) == (
        "cannot write the new corpus/ (No space left on device); nothing was published"
    )
    assert files(root) == before
    assert not list(root.glob(".corpus-staging-*"))


def test_a_record_saved_after_the_transaction_began_is_kept_and_nothing_is_published(
    root: Path,
) -> None:
    record = root / RECORD
    saved = record.read_text(encoding="utf-8").replace('"notes": null', '"notes": "saved"')
    before = files(root)
    changed = "records changed while building; nothing was published"
    with pytest.raises(BuildError, match=changed), BuildTransaction(root) as txn:
        (txn.stage() / "README.md").write_text("a card from the old record\n")
        record.write_text(saved, encoding="utf-8")  # the curator saves meanwhile
        txn.publish()
    assert record.read_text(encoding="utf-8") == saved
    assert files(root) == {**before, RECORD: saved.encode()}
    assert not list(root.glob(".corpus-staging-*"))


def test_a_build_killed_after_staging_is_cleared_by_the_next_even_with_nothing_changed(
    root: Path,
) -> None:
    assert invoke(root, "build").exit_code == 0  # the last build, as this root has it
    assert invoke(root, "build").output.startswith("up to date")
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_STAGING, str(root)], timeout=120, check=False
    )
    assert killed.returncode == -signal.SIGKILL and list(root.glob(".corpus-staging-*"))
    result = invoke(root, "build")  # clears what was left, then finds nothing else to do
    assert result.exit_code == 0, result.output
    assert not list(root.glob(".corpus-staging-*"))
    assert invoke(root, "build", "--check").exit_code == 0


KILLED_AFTER_STAGING = """
import os, signal, sys
from pathlib import Path
from newscorpus.publish.transaction import BuildTransaction
with BuildTransaction(Path(sys.argv[1])) as txn:
    (txn.stage() / "README.md").write_text("half a card")
    os.kill(os.getpid(), signal.SIGKILL)
"""


def invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--root", str(root)])
