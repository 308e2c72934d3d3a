"""`newscorpus release`: refusals first (dirty tree, wrong bump), then a real release.

The refusals run on the curator corpus in a fresh repository (real git). The release itself
needs a checkout whose schema/ the package reads, so it runs in a copy of this project.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from githistory import commit, curator_history, git
from newscorpus.cli import main
from newscorpus.jsonio import dumps

REPO = Path(__file__).resolve().parent.parent
RECORDS = "corpus/records"


def relabel(root: Path) -> None:
    path = root / RECORDS / "rules_delay.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    for layer, item_id in (("mentions", "m4"), ("entities", "e5")):
        next(x for x in record[layer] if x["id"] == item_id)["label"] = "LOC"
    path.write_text(dumps(record), encoding="utf-8")


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """The curator corpus, released as v0.1.0."""
    root = curator_history(tmp_path)
    git(root, "tag", "-a", "v0.1.0", "-m", "Version 0.1.0 of the data")
    return root


def release(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["release", *args, "--root", str(root)])
    return result.exit_code, result.output


def test_a_dirty_tree_is_refused(released):
    relabel(released)
    code, output = release(released, "0.1.1")
    assert code == 1
    assert output == (
        "Error: the tree is not clean (1 path(s): corpus/records/rules_delay.json); commit "
        "or stash the changes first, so that the release is exactly a commit\n"
    )


def test_a_bump_that_does_not_fit_is_refused(released):
    relabel(released)
    commit(released, "Islamabad the place, not the government")
    code, output = release(released, "0.2.0")
    assert code == 1
    assert output == (
        "Error: version 0.2.0 does not fit the change since v0.1.0: corrections of 1 "
        "article(s) only, which is a patch change, so the next version is 0.1.1 (README: "
        "versions of the data)\n"
    )
    assert release(released, "0.1.0")[1] == (
        "Error: tag v0.1.0 exists already: that version was released\n"
    )
    assert release(released, "v0.1.1")[1].startswith("Error: 'v0.1.1' is not a version")


def test_an_added_article_needs_a_minor_bump(released):
    record = json.loads((released / RECORDS / "draft_note.json").read_text(encoding="utf-8"))
    record["id"] = "draft_note_2"
    (released / RECORDS / "draft_note_2.json").write_text(dumps(record), encoding="utf-8")
    commit(released, "a second note")
    code, output = release(released, "0.1.1")
    assert code == 1
    assert "1 article(s) added, which is a minor change, so the next version is 0.2.0" in output


def test_a_label_removed_from_the_inventory_needs_a_major_bump(tmp_path):
    root = curator_history(tmp_path)
    (root / "schema").mkdir()
    shutil.copy(REPO / "schema/labels.json", root / "schema/labels.json")
    commit(root, "the inventory")
    git(root, "tag", "-a", "v0.1.0", "-m", "Version 0.1.0 of the data")
    labels = json.loads((root / "schema/labels.json").read_text(encoding="utf-8"))
    del labels["topics"]["diplomacy"]
    (root / "schema/labels.json").write_text(json.dumps(labels, indent=2), encoding="utf-8")
    commit(root, "no diplomacy topic")
    code, output = release(root, "0.2.0")
    assert code == 1
    assert output == (
        "Error: version 0.2.0 does not fit the change since v0.1.0: the schema or label "
        "inventory lost schema/labels.json: topics > diplomacy, which is a major change, so "
        "the next version is 1.0.0 (README: versions of the data)\n"
    )


def test_nothing_to_release(released):
    code, output = release(released, "0.1.1")
    assert code == 1
    assert output == "Error: nothing changed since v0.1.0: there is nothing to release\n"


def test_the_dry_run_shows_the_changelog_entry(released):
    relabel(released)
    commit(released, "Islamabad the place")
    code, output = release(released, "0.1.1", "--dry-run")
    assert code == 0, output
    assert output == (
        "0.1.1 fits: patch (corrections of 1 article(s) only)\n"
        "\n"
        "## 0.1.1 (unreleased)\n"
        "\n"
        "Since v0.1.0: 1 article(s) corrected, 0 added, 0 removed.\n"
        "\n"
        "### Mentions (0 added, 0 removed, 1 changed)\n"
        "\n"
        "- relabelled (1):\n"
        '  - `rules_delay` m4 "Islamabad" [89, 98): GPE -> LOC\n'
        "\n"
        "### Entities (0 added, 0 removed, 1 changed)\n"
        "\n"
        "- relabelled (1):\n"
        '  - `rules_delay` e5 "Islamabad": label GPE -> LOC\n'
        "\n"
        "### Label counts\n"
        "\n"
        "| layer | label | change |\n"
        "|---|---|---:|\n"
        "| mentions | GPE | -1 |\n"
        "| mentions | LOC | +1 |\n"
        "| entities | GPE | -1 |\n"
        "| entities | LOC | +1 |\n"
    )
    assert git(released, "status", "--porcelain") == ""


def test_the_first_release_lists_the_articles(tmp_path):
    root = curator_history(tmp_path)
    code, output = release(root, "0.1.0", "--dry-run")
    assert code == 0, output
    assert output.startswith(
        "0.1.0 fits: first release (3 article(s) added)\n"
        "\n"
        "## 0.1.0 (unreleased)\n"
        "\n"
        "First release: 0 article(s) corrected, 3 added, 0 removed.\n"
        "\n"
        "### Articles added and removed\n"
        "\n"
        "- added: `coalition_letter` (12 mentions, 8 entities, 0 quotes, 3 events, 2 relations, "
        "3 labels)\n"
    )


def test_a_release_outside_the_package_checkout_is_refused(released):
    relabel(released)
    commit(released, "Islamabad the place")
    code, output = release(released, "0.1.1")
    assert code == 1
    assert output == (f"Error: no schema/dataset.json under {released}: the version lives there\n")
    assert git(released, "tag", "--list") == "v0.1.0"


# --- a real release, in a copy of this project ----------------------------------------------

PROJECT = ("scripts", "schema", "seeds", "corpus", "DATASHEET.md", "pyproject.toml", "README.md")


def _project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for name in PROJECT:
        source = REPO / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.bak", ".newscorpus-cache")
            shutil.copytree(source, root / name, ignore=ignore)
        else:
            shutil.copy2(source, root / name)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Curator")
    git(root, "config", "user.email", "curator@example.org")
    commit(root, "the project")
    return root


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(root / "scripts")}
    command = [sys.executable, "-m", "newscorpus.cli", *args, "--root", str(root)]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)


def _at(root: Path, revision: str, path: str) -> Any:
    return git(root, "show", f"{revision}:{path}")


@pytest.mark.slow
@pytest.mark.skipif(
    not (REPO / "schema/dataset.json").is_file(), reason="the metadata file holds the version"
)
def test_a_release_tags_a_card_and_croissant_that_carry_the_version(tmp_path):
    root = _project_copy(tmp_path)
    version = json.loads((root / "schema/dataset.json").read_text(encoding="utf-8"))["version"]
    git(root, "tag", "-a", f"v{version}", "-m", f"Version {version} of the data")
    major, minor, patch = (int(x) for x in version.split("."))
    wrong, right = f"{major}.{minor + 1}.0", f"{major}.{minor}.{patch + 1}"
    path = root / RECORDS / "000_1b05e77db752fde4.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    cabinet = next(m for m in record["mentions"] if m["text"] == "Cabinet")
    cabinet["mention_type"] = "NAM"
    path.write_text(dumps(record), encoding="utf-8")
    refused = _run(root, "release", right)
    assert refused.returncode == 1 and "the tree is not clean" in refused.stderr
    commit(root, "Cabinet as a name")
    refused = _run(root, "release", right)
    assert refused.returncode == 1 and "differ from a fresh build" in refused.stderr
    assert _run(root, "build").returncode == 0
    commit(root, "Rebuild")
    refused = _run(root, "release", wrong)
    assert refused.returncode == 1 and "next version is " + right in refused.stderr
    done = _run(root, "release", right)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"released {right} as tag v{right} (commit ")
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "describe", "--tags", "--exact-match", "HEAD") == f"v{right}"
    assert json.loads(_at(root, f"v{right}", "corpus/croissant.json"))["version"] == right
    assert f"| {right} |" in _at(root, f"v{right}", "corpus/README.md")
    assert json.loads(_at(root, f"v{right}", "schema/dataset.json"))["version"] == right
    changelog = _at(root, f"v{right}", "corpus/CHANGELOG.md")
    assert f"## {right} (" in changelog
    assert '`000_1b05e77db752fde4` m33 "Cabinet" [897, 904): NOM -> NAM' in changelog
    assert _run(root, "build", "--check").returncode == 0
