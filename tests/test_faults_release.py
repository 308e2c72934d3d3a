"""`newscorpus release` under faults: a bad version, a held ref lock, a SIGKILL before every
step, a disk that fills up at every step. Each leaves no release or a complete one (never a
commit without its tag), the checkout's files as they were, and a rerun that makes exactly
one release.

The release runs for real (git, the build) in a copy of this project whose records are the
publish fixture's. A kill, a lock or a full disk is made at the start of a named step of
`curate.release.STEPS` by a small launcher: the fault is real, the release code is not
replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from githistory import commit, curator_history, git
from newscorpus.cli import main
from newscorpus.curate.release import STEPS

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "publish" / "root"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NAMES = [name for name, _ in STEPS]

# Run the CLI with a fault made at the start of one step: argv is STEP MODE ARGS...
LAUNCHER = """
import os, signal, sys
from pathlib import Path
import newscorpus.curate.release as release
target, mode = sys.argv[1], sys.argv[2]

def fault():
    if mode == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif mode == "fill":
        with open(os.environ["FILLER"], "ab", buffering=0) as handle:
            for size in (65536, 1):
                try:
                    while True:
                        handle.write(b"\\0" * size)
                except OSError:
                    pass
    else:
        Path(mode).write_text("")

def wrap(name, step):
    def run(state):
        if name == target:
            fault()
        step(state)
        if target == "after-" + name:
            fault()
    return run

release.STEPS = tuple((name, wrap(name, step)) for name, step in release.STEPS)
from newscorpus.cli import main
main(args=sys.argv[3:], prog_name="newscorpus")
"""


def files(root: Path) -> dict[str, bytes]:
    """Every file of the checkout by relative path, but git's own folder and the scratch
    caches (.newscorpus-cache: any build may refresh them, and nothing there is published)."""
    skipped = {".git", "__pycache__", ".newscorpus-cache"}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not skipped & set(p.relative_to(root).parts)
    }


def run(root: Path, *args: str, fault: tuple[str, str] | None = None, **env: str) -> Any:
    environment = os.environ | {"PYTHONPATH": str(root / "scripts"), **env}
    command = [sys.executable, "-m", "newscorpus.cli", *args, "--root", str(root)]
    if fault:
        command = [sys.executable, "-c", LAUNCHER, *fault, *args, "--root", str(root)]
    return subprocess.run(
        command, cwd=root, env=environment, capture_output=True, text=True, timeout=300
    )


def _version(root: Path) -> tuple[str, str]:
    """The version the copy's metadata states, and the patch release after it."""
    version = json.loads((root / "schema/dataset.json").read_text(encoding="utf-8"))["version"]
    major, minor, patch = version.split(".")
    return version, f"{major}.{minor}.{int(patch) + 1}"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with the fixture's records, released once, then corrected."""
    root = tmp_path_factory.mktemp("release") / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.bak", ".newscorpus-cache")
    for name in ("scripts", "schema"):
        shutil.copytree(REPO / name, root / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    assert run(root, "build").returncode == 0
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Curator")
    git(root, "config", "user.email", "curator@example.org")
    commit(root, "the project")
    version, _ = _version(root)
    git(root, "tag", "-a", f"v{version}", "-m", f"Version {version} of the data")
    record = root / "corpus/records/fixture_000.json"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("for tests.", "for tests, checked again."), encoding="utf-8")
    assert run(root, "build").returncode == 0
    commit(root, "checked again")
    return root


@pytest.fixture
def project(prepared: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(prepared, root, symlinks=True)
    return root


def refs(root: Path) -> tuple[str, str]:
    """HEAD and every tag with what it points at."""
    return git(root, "rev-parse", "HEAD"), git(root, "for-each-ref", "refs/tags")


def assert_released_once(root: Path, old_head: str, version: str) -> None:
    """A complete release: the tag on HEAD, HEAD right after the old head, a clean tree,
    one changelog entry and one history item, nothing left of the release's journal."""
    assert git(root, "rev-parse", f"v{version}^{{commit}}") == git(root, "rev-parse", "HEAD")
    assert git(root, "rev-parse", "HEAD^") == old_head
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    changelog = (root / "corpus/CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.count(f"\n## {version} (") == 1
    history = json.loads((root / "schema/dataset.json").read_text())["version_history"]
    assert [item["version"] for item in history].count(version) == 1
    assert len(git(root, "worktree", "list").splitlines()) == 1
    assert not list((root / ".git").glob("newscorpus-release*"))


# --- the version, checked before anything ---------------------------------------------------

NOT_VERSIONS = ["0.1.1\n", "0.1.1 ", "v0.1.1", "０.1.1", "0.1.1-rc1", "0.1.1~", "0.1.1..", "01.1.1",
                "0.1", "0.1.1.0", "0.1.1;", "0.1.1/x", "", "9" * 80 + ".0.0"]  # fmt: skip


@pytest.mark.parametrize("version", NOT_VERSIONS, ids=range(len(NOT_VERSIONS)))
def test_a_version_that_is_not_exactly_major_minor_patch_changes_nothing(tmp_path, version):
    root = curator_history(tmp_path)
    before, state = files(root), refs(root)
    result = CliRunner().invoke(main, ["release", version, "--root", str(root)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "is not a version: give MAJOR.MINOR.PATCH" in result.output
    assert files(root) == before and refs(root) == state


# --- a held ref lock ------------------------------------------------------------------------


def test_a_lock_held_before_the_release_is_named_and_nothing_changes(project: Path):
    _, version = _version(project)
    lock = project / ".git/refs/tags" / f"v{version}.lock"
    lock.write_text("")
    before, state = files(project), refs(project)
    refused = run(project, "release", version)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"v{version}.lock exists" in refused.stderr and "remove that file" in refused.stderr
    assert files(project) == before and refs(project) == state
    lock.unlink()
    old = state[0]
    assert run(project, "release", version).returncode == 0
    assert_released_once(project, old, version)


@pytest.mark.slow
@pytest.mark.parametrize("ref", ["tag", "branch"])
def test_a_lock_taken_during_the_release_leaves_no_commit_and_no_tag(project: Path, ref: str):
    _, version = _version(project)
    lock = project / ".git/refs" / (f"tags/v{version}" if ref == "tag" else "heads/main")
    lock = lock.with_name(lock.name + ".lock")
    before, state = files(project), refs(project)
    failed = run(project, "release", version, fault=("refs", str(lock)))
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "cannot lock ref" in failed.stderr and lock.name in failed.stderr
    assert files(project) == before and refs(project) == state
    lock.unlink()
    assert run(project, "release", version).returncode == 0, failed.stderr
    assert_released_once(project, state[0], version)


# --- SIGKILL at every step --------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("step", [*NAMES, "after-files"])
def test_a_release_killed_at_any_step_is_none_or_complete_and_a_rerun_makes_one(
    project: Path, step: str
):
    _, version = _version(project)
    before, (old, tags) = files(project), refs(project)
    killed = run(project, "release", version, fault=(step, "kill"))
    assert killed.returncode == -9
    head = git(project, "rev-parse", "HEAD")
    tagged = subprocess.run(
        ["git", "-C", str(project), "rev-parse", "-q", "--verify", f"v{version}^{{commit}}"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if head == old:  # no release: not a file changed, no tag
        assert not tagged and refs(project)[1] == tags
        assert files(project) == before
    else:  # a complete one: the commit and its tag
        assert tagged == head and git(project, "rev-parse", "HEAD^") == old
    rerun = run(project, "release", version)
    if step == "after-files":
        assert rerun.returncode == 1 and "exists already" in rerun.stderr
    else:
        assert rerun.returncode == 0, rerun.stderr
    assert_released_once(project, old, version)


# --- a full disk at every step ------------------------------------------------------------------


@contextlib.contextmanager
def small_disk(tmp_path: Path, size: str) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)])
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)])


@pytest.mark.skipif(not IS_ROOT, reason="mounting a tmpfs needs root")
@pytest.mark.slow
@pytest.mark.parametrize("step", NAMES)
def test_a_disk_full_at_any_step_leaves_no_half_release_and_a_retry_works(
    prepared: Path, tmp_path: Path, step: str
):
    with small_disk(tmp_path, "64m") as disk:
        root = disk / "project"
        shutil.copytree(prepared, root, symlinks=True)
        _, version = _version(root)
        before, (old, tags) = files(root), refs(root)
        filler = disk / "filler"
        failed = run(root, "release", version, fault=(step, "fill"), FILLER=str(filler))
        assert failed.returncode == 1, failed.stdout + failed.stderr
        assert "Traceback" not in failed.stderr
        said = failed.stderr.lower()
        assert "no space left on device" in said or "unable to write" in said, failed.stderr
        if git(root, "rev-parse", "HEAD") == old:
            assert refs(root)[1] == tags and files(root) == before
        else:
            assert "the release is made" in failed.stderr
            assert git(root, "rev-parse", f"v{version}^{{commit}}") == git(
                root, "rev-parse", "HEAD"
            )
        filler.unlink()
        retried = run(root, "release", version)
        assert retried.returncode == 0, retried.stderr
        assert_released_once(root, old, version)
