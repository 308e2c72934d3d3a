"""Small git histories in a temp folder, made with real git, for the diff and release tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CURATOR = Path(__file__).resolve().parent / "data" / "curator" / "root"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Curator", "-c", "user.email=curator@example.org", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "--short=7", "HEAD")


def curator_history(tmp_path: Path) -> Path:
    """The curator corpus (three records) as the first commit of a fresh repository."""
    root = tmp_path / "corpus-root"
    shutil.copytree(CURATOR, root)
    git(root, "init", "-q", "-b", "main")
    # Commits and tags made by the code under test need an author too.
    git(root, "config", "user.name", "Curator")
    git(root, "config", "user.email", "curator@example.org")
    commit(root, "three records")
    return root
