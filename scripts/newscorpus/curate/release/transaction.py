"""A release as a transaction: made aside, published in one ref transaction, then checked out.

The release is prepared in a worktree of HEAD inside the git directory
(`<git dir>/newscorpus-release/tree`), beside a state file naming the version and the commit
it starts from: the changelog and the metadata are written there, the outputs rebuilt there,
and the release commit and its annotated tag written as objects from there. The checkout the
curator works in is not touched. Then one `git update-ref --stdin` transaction moves the
branch and creates the tag: both, or neither (a held lock or a full disk leaves neither).
Only after it are the checkout's files updated, each from the state HEAD had to the release.

So a release that fails or is killed before its transaction has changed no file, and the
next `newscorpus release` clears what it left; one killed after it is a complete commit and
tag, and the next run finishes updating the files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ...errors import ReleaseError
from ...fsutil import write_atomic

JOURNAL = "newscorpus-release"
STATE = "state.json"


def git(
    root: Path, *args: str, stdin: str | None = None, raw: bool = False, check: bool = True
) -> str:
    """Run git in `root`; a failure is a ReleaseError with git's own first error line."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            text=True,
            errors="surrogateescape",
            check=False,
        )
    except FileNotFoundError:
        raise ReleaseError("git is not installed: a release is a commit and a tag") from None
    except OSError as err:
        raise ReleaseError(f"git {args[0]} could not run: {err.strerror or err}") from None
    if done.returncode != 0 and check:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        said = next((line for line in lines if line.startswith(("fatal", "error"))), None)
        full = "; No space left on device" if _disk_full(root) else ""
        raise ReleaseError(f"git {args[0]}: {said or (lines[0] if lines else 'failed')}{full}")
    return done.stdout if raw else done.stdout.strip()


def _disk_full(root: Path) -> bool:
    """Whether the file system of `root` has no block left (git does not always say so)."""
    try:
        return os.statvfs(root).f_bavail == 0
    except OSError:
        return False


def maybe_git(root: Path, *args: str) -> str | None:
    """git's output, or None when git fails (an unknown revision, say)."""
    try:
        return git(root, *args) or None
    except ReleaseError:
        return None


@dataclass
class Journal:
    root: Path
    folder: Path

    @classmethod
    def of(cls, root: Path) -> Journal:
        return cls(root, root / git(root, "rev-parse", "--git-path", JOURNAL))

    @property
    def tree(self) -> Path:
        """The worktree the release is prepared in."""
        return self.folder / "tree"

    def state(self) -> dict[str, str] | None:
        """What the interrupted release was (None: no release was under way)."""
        path = self.folder / STATE
        if not path.is_file():
            return None
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            return {"version": str(state["version"]), "head": str(state["head"])}
        except (OSError, ValueError, KeyError, TypeError):
            return {"version": "?", "head": ""}  # damaged: nothing was published from it

    def begin(self, version: str, head: str) -> None:
        """Record the state, then make the worktree of `head` the release is prepared in."""
        self.discard()
        state = json.dumps({"version": version, "head": head}) + "\n"
        write_atomic(self.folder / STATE, state, overwrite=True, backup=False)
        git(self.root, "worktree", "add", "--detach", "--quiet", str(self.tree), head)

    def discard(self) -> None:
        """Remove the worktree and the state; the checkout is not touched."""
        if self.tree.exists():
            shutil.rmtree(self.tree, ignore_errors=True)
        git(self.root, "worktree", "prune", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def commit_objects(journal: Journal, head: str, message: str, tag: str) -> tuple[str, str]:
    """The release commit and its annotated tag as objects only: no ref moves yet."""
    tree = journal.tree
    git(tree, "add", "-A")
    commit = git(tree, "commit-tree", git(tree, "write-tree"), "-p", head, "-m", message)
    tagger = git(tree, "var", "GIT_COMMITTER_IDENT")
    name = tag.removeprefix("refs/tags/")
    body = f"object {commit}\ntype commit\ntag {name}\ntagger {tagger}\n\nVersion "
    body += f"{name.removeprefix('v')} of the data\n"
    return commit, git(tree, "mktag", stdin=body)


def move_refs(root: Path, head: str, commit: str, tag: str, tag_object: str) -> None:
    """HEAD (its branch) to the release commit and the new tag, in one transaction."""
    orders = f"update HEAD {commit} {head}\ncreate {tag} {tag_object}\n"
    reason = f"release {tag.removeprefix('refs/tags/v')}"
    git(root, "update-ref", "-m", reason, "--stdin", stdin=orders)


def check_out(journal: Journal, old: str) -> None:
    """Bring the checkout's files from `old` to HEAD (the release commit). A file is updated
    only when it is as `old` or HEAD has it: a change made meanwhile is never overwritten."""
    root = journal.root
    paths = [p for p in git(root, "diff", "--name-only", "-z", old, "HEAD", raw=True).split("\0")]
    paths = [p for p in paths if p]
    edited = [p for p in paths if _blob(root, p) not in (_at(root, old, p), _at(root, "HEAD", p))]
    if edited:
        raise ReleaseError(
            f"the release is made (HEAD is its commit and tag), but {', '.join(edited[:5])} "
            "changed while it ran: commit or stash those changes, then run the same "
            "`newscorpus release` again to update the files"
        )
    for path in paths:  # each file atomically: a full disk leaves it as `old` had it
        blob = _at(root, "HEAD", path)
        if blob is not None and blob != _blob(root, path):
            _write_blob(root, path, blob)
    for gone in (p for p in paths if _at(root, "HEAD", p) is None):
        (root / gone).unlink(missing_ok=True)
    git(root, "reset", "-q")
    journal.discard()


def _write_blob(root: Path, path: str, blob: str) -> None:
    data = subprocess.run(
        ["git", "-C", str(root), "cat-file", "blob", blob], capture_output=True, check=False
    )
    if data.returncode != 0:
        raise ReleaseError(f"git cat-file: cannot read {path} of the release commit")
    mode = git(root, "ls-tree", "HEAD", "--", path).split(" ", 1)[0]
    if mode not in ("100644", "100755"):  # a link or a submodule: git writes those
        git(root, "checkout", "-q", "HEAD", "--", path)
        return
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(root / path, data.stdout, overwrite=True, backup=False)
    os.chmod(root / path, (root / path).stat().st_mode | (0o111 if mode == "100755" else 0))


def _blob(root: Path, path: str) -> str | None:
    if not os.path.lexists(root / path):
        return None
    return git(root, "hash-object", "--no-filters", "--", path)


def _at(root: Path, revision: str, path: str) -> str | None:
    return maybe_git(root, "rev-parse", "--verify", "--quiet", f"{revision}:{path}")


def resume(root: Path) -> str | None:
    """Finish or clear a release that was interrupted: the version it finished, or None."""
    if maybe_git(root, "rev-parse", "--git-dir") is None:
        return None  # not a repository: plan_release says so
    journal = Journal.of(root)
    state = journal.state() if journal.folder.exists() else None
    if state is None:
        if journal.folder.exists():  # killed before its state was written
            journal.discard()
        return None
    head = git(root, "rev-parse", "--verify", "HEAD^{commit}")
    tagged = maybe_git(root, "rev-parse", "--verify", "-q", f"refs/tags/v{state['version']}^0")
    parent = maybe_git(root, "rev-parse", "--verify", "--quiet", "HEAD^")
    if tagged == head and parent == state["head"]:  # published: update the files
        check_out(journal, state["head"])
        return state["version"]
    journal.discard()  # nothing was published from it, and the checkout was not touched
    return None
