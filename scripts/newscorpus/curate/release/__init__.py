"""`newscorpus release VERSION`: a checked, tagged version of the data.

Refusals come first and cost little: a tree that is not clean, a tag that exists, a version
that does not fit the change since the previous release (curate.versioning). Then the corpus
must validate and its committed outputs must be what a build gives. Only then is anything
written: the CHANGELOG.md entry (from the diff against the previous release tag), the version
in the metadata file, the rebuilt card and Croissant, which must carry the version. These are
committed and tagged vVERSION in one ref transaction (release/transaction.py): a failure or a
kill at any step leaves no release or a complete one. A failed step puts every file back; a
killed release is undone or finished by the next `newscorpus release`.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import DiffError, NewscorpusError, ReleaseError
from ...fsutil import read_regular, write_atomic
from ...labels import schema_file
from ..changelog import CHANGELOG, CHANGELOG_NAME, card_summary, changelog_entry, write_changelog
from ..diff import CorpusDiff, diff_sides
from ..diff.sources import Side, load_revision, load_side, run_git
from ..versioning import DefinitionChanges, check_bump, compare_definitions, parse_version
from ..versioning import required_bump as bump_for
from .transaction import Journal, check_out, commit_objects, maybe_git, move_refs, resume

# The curated metadata file that holds the version; the card and Croissant are built from it.
METADATA = Path("schema") / "dataset.json"
_TAGS = "v[0-9]*.[0-9]*.[0-9]*"


def _git(root: Path, *args: str) -> str:
    try:
        return run_git(root, *args).decode("utf-8", "replace").strip()
    except DiffError as err:
        raise ReleaseError(f"git {args[0]}: {err}") from None


def _status(root: Path, *options: str) -> list[str]:
    """`git status --porcelain` lines ("XY path"), each with its two status columns."""
    try:
        out = run_git(root, "status", "--porcelain", *options)
    except DiffError as err:
        raise ReleaseError(f"git status: {err}") from None
    return out.decode("utf-8", "replace").splitlines()


@dataclass
class Plan:
    """What a release will do, decided before anything is written."""

    version: str
    previous_tag: str | None
    diff: CorpusDiff
    definitions: DefinitionChanges
    bump: str | None
    why: str

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @property
    def kind(self) -> str:
        """The kind of release: a major, minor or patch change, or the first release."""
        return "first release" if self.previous_tag is None else str(self.bump)


def plan_release(root: Path, version: str) -> Plan:
    """The checks that need no build: version, clean tree, tag, the bump the change needs."""
    parse_version(version)
    _require_clean(root)
    if _git(root, "tag", "--list", f"v{version}"):
        raise ReleaseError(f"tag v{version} exists already: that version was released")
    previous = _previous_tag(root)
    old = load_revision(root, previous) if previous else Side("no release yet", {})
    diff = diff_sides(old, load_side(root, None))
    definitions = compare_definitions(
        _json_at(root, previous, "schema/labels.json"),
        _json_at(root, "HEAD", "schema/labels.json"),
        _json_at(root, previous, "schema/record.schema.json"),
        _json_at(root, "HEAD", "schema/record.schema.json"),
    )
    bump, why = bump_for(diff, definitions)
    check_bump(version, previous[1:] if previous else None, bump, why)
    return Plan(version, previous, diff, definitions, bump, why)


def _require_clean(root: Path) -> None:
    try:
        prefix = run_git(root, "rev-parse", "--show-prefix").strip()
    except DiffError:
        raise ReleaseError(
            f"{root} is not in a git repository: a release is a commit and a tag"
        ) from None
    if prefix:
        raise ReleaseError(f"{root} is not the top of its git repository; give --root that")
    dirty = _status(root, "--untracked-files=all")
    if dirty:
        _require_no_journal(root)
        shown = ", ".join(line[3:] for line in dirty[:5]) + (" ..." if len(dirty) > 5 else "")
        raise ReleaseError(
            f"the tree is not clean ({len(dirty)} path(s): {shown}); commit or stash the "
            "changes first, so that the release is exactly a commit"
        )


def _require_no_journal(root: Path) -> None:
    journal = Journal.of(root)
    state = journal.state() if journal.folder.exists() else None
    if state is not None:
        raise ReleaseError(
            f"a release of {state['version']} was interrupted after its commit and tag: "
            f"`newscorpus release {state['version']}` updates the files to finish it"
        )


def _previous_tag(root: Path) -> str | None:
    tags = _git(root, "tag", "--list", _TAGS, "--merged", "HEAD", "--sort=-v:refname")
    return tags.splitlines()[0] if tags else None


def _json_at(root: Path, revision: str | None, path: str) -> Any:
    """A JSON file of the repository at `revision` (None when it is not there)."""
    if revision is None:
        return None
    try:
        return json.loads(run_git(root, "show", f"{revision}:./{path}"))
    except (DiffError, ValueError):
        return None


# --- the release ----------------------------------------------------------------------------


@dataclass
class Released:
    plan: Plan | None  # None: an interrupted release of this version was finished
    commit: str
    changelog: Path
    version: str = ""


@dataclass
class _Run:
    root: Path
    plan: Plan
    date: str
    jobs: int
    journal: Journal
    head: str
    commit: str = ""
    tag_object: str = ""

    @property
    def metadata(self) -> Path:
        return self.journal.tree / METADATA


def _begin(run: _Run) -> None:
    run.journal.begin(run.plan.version, run.head)


def _write_changelog(run: _Run) -> None:
    plan = run.plan
    entry = changelog_entry(plan.version, run.date, plan.previous_tag, plan.diff, plan.definitions)
    write_changelog(run.journal.tree, entry)


def _write_version(run: _Run) -> None:
    plan = run.plan
    summary = card_summary(plan.diff, plan.why, _changelog_link(run.metadata, plan.tag))
    set_version(run.metadata, plan.version, run.date, summary)


def _build(run: _Run) -> None:
    package = Path(__file__).resolve().parents[3]  # scripts/, the folder holding newscorpus/
    scripts = run.journal.tree / package.relative_to(run.root.resolve())
    _rebuild(run.journal.tree, run.jobs, scripts)
    _require_carried(run.journal.tree, run.plan.version)


def _objects(run: _Run) -> None:
    plan = run.plan
    message = f"Release {plan.version}\n\n{plan.why[0].upper()}{plan.why[1:]}; see {CHANGELOG}."
    run.commit, run.tag_object = commit_objects(
        run.journal, run.head, message, f"refs/tags/{plan.tag}"
    )


def _refs(run: _Run) -> None:
    move_refs(run.root, run.head, run.commit, f"refs/tags/{run.plan.tag}", run.tag_object)


def _files(run: _Run) -> None:
    check_out(run.journal, run.head)


# The release in order. Everything before `refs` happens in a worktree of its own, so a
# failure there changes nothing; `refs` is one git transaction; `files` updates the checkout,
# and a rerun finishes it when it was interrupted.
STEPS = (
    ("journal", _begin),
    ("changelog", _write_changelog),
    ("metadata", _write_version),
    ("build", _build),
    ("objects", _objects),
    ("refs", _refs),
    ("files", _files),
)


def release(root: Path, version: str, *, today: str | None = None, jobs: int = 1) -> Released:
    """Check, write the changelog and the version, rebuild, commit and tag. Raises
    ReleaseError (or InvalidCorpusError) when the release is refused or fails; the checkout
    is not changed then. An interrupted release is first finished (when its commit and tag
    exist) or cleared."""
    parse_version(version)
    if resume(root) == version:
        commit = _git(root, "rev-parse", "--short=7", "HEAD")
        return Released(None, commit, root / CHANGELOG, version)
    plan = plan_release(root, version)
    _require_writable(root, plan, _metadata_file(root))
    _require_valid_and_built(root, jobs)
    date = today or datetime.date.today().isoformat()
    head = _git(root, "rev-parse", "--verify", "HEAD^{commit}")
    run = _Run(root, plan, date, jobs, Journal.of(root), head)
    for _name, step in STEPS:
        try:
            step(run)
        except BaseException as err:
            published = maybe_git(root, "rev-parse", "--verify", "HEAD") == run.commit
            if not published:
                run.journal.discard()
                raise
            if isinstance(err, ReleaseError) and "the release is made" in str(err):
                raise
            raise ReleaseError(
                f"the release is made (tag {plan.tag}), but updating the files failed: "
                f"{err}; run `newscorpus release {version}` again to finish"
            ) from None
    return Released(plan, run.commit[:7], root / CHANGELOG, version)


def _require_writable(root: Path, plan: Plan, metadata: Path) -> None:
    """Everything the release writes can be written: no git lock held, an identity to
    commit with, metadata and changelog that do not already hold this version."""
    branch = maybe_git(root, "symbolic-ref", "-q", "HEAD")
    for ref in ("HEAD", f"refs/tags/{plan.tag}", branch, "packed-refs", "index"):
        lock = root / _git(root, "rev-parse", "--git-path", f"{ref}.lock") if ref else None
        if lock is not None and os.path.lexists(lock):
            raise ReleaseError(
                f"{lock} exists: another git command is running, or one was killed; when "
                "none is running, remove that file and release again (nothing was changed)"
            )
    _git(root, "var", "GIT_COMMITTER_IDENT")
    history = _load_metadata(metadata)["version_history"]
    if any(isinstance(item, dict) and item.get("version") == plan.version for item in history):
        raise ReleaseError(f"{metadata} lists version {plan.version} already: remove it first")
    changelog = root / CHANGELOG
    if os.path.lexists(changelog):
        try:
            text = read_regular(changelog).decode("utf-8")
        except (NewscorpusError, UnicodeDecodeError) as err:
            raise ReleaseError(f"{changelog} cannot be read as text: {err}") from None
        if f"\n## {plan.version} (" in text:
            raise ReleaseError(f"{changelog} has an entry for {plan.version} already")


def _metadata_file(root: Path) -> Path:
    """The metadata file the build reads, which must be this checkout's own."""
    path = root / METADATA
    if not path.is_file():
        raise ReleaseError(f"no {METADATA} under {root}: the version lives there")
    read = schema_file(path.name)
    if read.resolve() != path.resolve():
        raise ReleaseError(
            f"the build reads its metadata from {read}, not from {path}: run the release in "
            "the checkout the newscorpus package is installed from"
        )
    return path


def read_version(path: Path) -> str:
    """The version the metadata file states."""
    return str(_load_metadata(path)["version"])


def _load_metadata(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_regular(path))
    except (OSError, ValueError, NewscorpusError) as err:
        raise ReleaseError(f"{path} cannot be read as JSON: {err}; fix it and commit") from None
    if not isinstance(data, dict) or not isinstance(data.get("version_history"), list):
        raise ReleaseError(f"{path} has no version_history list")
    return data


def _changelog_link(path: Path, tag: str) -> str:
    """The changelog at the tag in the repository, when the metadata names one; else its
    place relative to the card (corpus/README.md) in a checkout."""
    repository = _load_metadata(path).get("repository")
    # The card is corpus/README.md, beside the changelog.
    return f"{repository}/blob/{tag}/{CHANGELOG}" if repository else CHANGELOG_NAME


def set_version(path: Path, version: str, date: str, changes: str) -> None:
    """Set the version and its date, and add it to the version history (newest last)."""
    data = _load_metadata(path)
    data["version"] = version
    data["date_published"] = date
    data["version_history"].append({"version": version, "date": date, "changes": changes})
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text, overwrite=True, backup=False)


def _require_valid_and_built(root: Path, jobs: int) -> None:
    from ...publish.build import check
    from ...validate import validate_paths

    report = validate_paths(root, (), jobs=jobs)
    if not report.valid:
        raise ReleaseError(f"the records do not validate ({report.summary()}): fix them first")
    stale = check(root, jobs=jobs)
    if stale:
        raise ReleaseError(
            f"{len(stale)} committed output(s) differ from a fresh build ({stale[0]}); run "
            "`newscorpus build`, commit, and release again"
        )


def _rebuild(root: Path, jobs: int, scripts: Path) -> None:
    """Build in a fresh process with the package and schema of `root` (the release's
    worktree): it reads the metadata file just written, nothing cached."""
    command = [sys.executable, "-m", "newscorpus.cli", "build", "--no-cache", "--jobs", str(jobs)]
    env = os.environ | {"PYTHONPATH": str(scripts)}
    done = subprocess.run(
        [*command, "--root", str(root)], capture_output=True, text=True, check=False, env=env
    )
    if done.returncode != 0:
        raise ReleaseError(f"the rebuild failed: {(done.stderr or done.stdout).strip()}")


def _require_carried(root: Path, version: str) -> None:
    card = (root / "corpus" / "README.md").read_text(encoding="utf-8")
    croissant = json.loads((root / "corpus" / "croissant.json").read_text(encoding="utf-8"))
    if croissant.get("version") != version or version not in card:
        raise ReleaseError(
            f"the rebuilt card or Croissant does not state version {version}: the build does "
            f"not take the version from {METADATA}"
        )
