"""`newscorpus release VERSION`: a checked, tagged version of the data.

Refusals come first and cost little: a tree that is not clean, a tag that exists, a version
that does not fit the change since the previous release (curate.versioning). Then the corpus
must validate and its committed outputs must be what a build gives. Only then is anything
written: the CHANGELOG.md entry (from the diff against the previous release tag), the version
in the metadata file, the rebuilt card and Croissant, which must carry the version. These are
committed and tagged vVERSION. If a step after the first write fails, every file the release
touched is put back as it was.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DiffError, ReleaseError
from ..labels import schema_dir
from .changelog import CHANGELOG, CHANGELOG_NAME, card_summary, changelog_entry, write_changelog
from .diff import CorpusDiff, diff_sides
from .diff_sources import Side, load_revision, load_side, run_git
from .versioning import DefinitionChanges, check_bump, compare_definitions, parse_version
from .versioning import required_bump as bump_for

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
        shown = ", ".join(line[3:] for line in dirty[:5]) + (" ..." if len(dirty) > 5 else "")
        raise ReleaseError(
            f"the tree is not clean ({len(dirty)} path(s): {shown}); commit or stash the "
            "changes first, so that the release is exactly a commit"
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
    plan: Plan
    commit: str
    changelog: Path


def release(root: Path, version: str, *, today: str | None = None, jobs: int = 1) -> Released:
    """Check, write the changelog and the version, rebuild, commit and tag. Raises
    ReleaseError (or InvalidCorpusError) when the release is refused; nothing is left
    changed then."""
    plan = plan_release(root, version)
    metadata = _metadata_file(root)
    _require_valid_and_built(root, jobs)
    date = today or datetime.date.today().isoformat()
    try:
        entry = changelog_entry(version, date, plan.previous_tag, plan.diff, plan.definitions)
        changelog = write_changelog(root, entry)
        summary = card_summary(plan.diff, plan.why, _changelog_link(metadata, plan.tag))
        set_version(metadata, version, date, summary)
        _rebuild(root, jobs)
        _require_carried(root, version)
        commit = _commit_and_tag(root, plan)
    except BaseException:
        _restore(root)
        raise
    return Released(plan, commit, changelog)


def _metadata_file(root: Path) -> Path:
    """The metadata file the build reads, which must be this checkout's own."""
    path = root / METADATA
    if not path.is_file():
        raise ReleaseError(f"no {METADATA} under {root}: the version lives there")
    read = schema_dir() / path.name
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
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ReleaseError(f"{path} cannot be read as JSON: {err}") from None
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
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _require_valid_and_built(root: Path, jobs: int) -> None:
    from ..publish.build import check
    from ..validate import validate_paths

    report = validate_paths(root, (), jobs=jobs)
    if not report.valid:
        raise ReleaseError(f"the records do not validate ({report.summary()}): fix them first")
    stale = check(root, jobs=jobs)
    if stale:
        raise ReleaseError(
            f"{len(stale)} committed output(s) differ from a fresh build ({stale[0]}); run "
            "`newscorpus build`, commit, and release again"
        )


def _rebuild(root: Path, jobs: int) -> None:
    """Build in a fresh process: it reads the metadata file just written, nothing cached."""
    done = subprocess.run(
        [sys.executable, "-m", "newscorpus.cli", "build", "--jobs", str(jobs), "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
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


def _commit_and_tag(root: Path, plan: Plan) -> str:
    changed = [line[3:] for line in _status(root, "--untracked-files=all")]
    _git(root, "add", "--", *changed)
    message = f"Release {plan.version}\n\n{plan.why[0].upper()}{plan.why[1:]}; see {CHANGELOG}."
    _git(root, "commit", "-q", "-m", message)
    _git(root, "tag", "-a", plan.tag, "-m", f"Version {plan.version} of the data")
    return _git(root, "rev-parse", "--short=7", "HEAD")


def _restore(root: Path) -> None:
    """Put back every file the release touched (the tree was clean when it started)."""
    _git(root, "reset", "-q")
    for line in _status(root, "--untracked-files=all"):
        path = line[3:]
        if line.startswith("??"):
            (root / path).unlink(missing_ok=True)
        else:
            _git(root, "checkout", "-q", "HEAD", "--", path)
