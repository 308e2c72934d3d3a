"""`--root DIR` is the whole root: DIR/schema/ is read in place of the copy packaged with
newscorpus, file by file, even by an installed package.

The package is installed the way a user installs it: a wheel built from this checkout into a
fresh virtual environment (its dependencies are this environment's, reached through a .pth
file). The commands then run from a folder outside the checkout, so the only schema/ they can
find besides DIR's is the packaged copy, newscorpus/_schema.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from newscorpus.errors import NewscorpusError
from newscorpus.labels import use_root

REPO = Path(__file__).resolve().parents[1]
PUBLISHED = Path(__file__).parent / "data" / "publish" / "root"

pytestmark = pytest.mark.slow


def _environment() -> dict[str, str]:
    """This environment without what would let the installed package see another copy of
    newscorpus (PYTHONPATH) or another root (NEWSCORPUS_*)."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("NEWSCORPUS_") and k not in ("PYTHONPATH", "PYTHONHOME")
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `newscorpus` script of a non-editable install of this checkout in a fresh venv."""
    venv = tmp_path_factory.mktemp("installed") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The dependencies (and pip, and the build backend) are this environment's; a .pth line
    # only extends sys.path, so this environment's editable install is not seen.
    (Path(purelib) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", REPO],
        check=True,
        capture_output=True,
        cwd=venv,
        env=_environment(),
    )
    where = subprocess.run(
        [python, "-c", "import newscorpus.labels as l; print(l.packaged_schema_dir())"],
        check=True,
        capture_output=True,
        text=True,
        cwd=venv,
        env=_environment(),
    ).stdout.strip()
    assert Path(where) == Path(purelib) / "newscorpus" / "_schema"  # the wheel's, not REPO's
    return venv / "bin" / "newscorpus"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The publish fixture with a schema/ of its own, a copy of the packaged one."""
    target = tmp_path / "root"
    shutil.copytree(PUBLISHED, target)
    shutil.copytree(REPO / "schema", target / "schema")
    return target


def run(script: Path, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = _environment()
    return subprocess.run(
        [script, "--root", root, *args],
        capture_output=True,
        text=True,
        cwd=root.parent,  # outside the checkout: no schema/ of REPO's is at hand
        env=environment,
        timeout=300,
    )


def edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def test_the_roots_dataset_json_is_what_the_installed_build_publishes(installed, root):
    assert run(installed, root, "build").returncode == 0
    assert run(installed, root, "build", "--check").stdout == "outputs are up to date\n"

    edit_json(root / "schema/dataset.json", lambda d: d.update(pretty_name="Harbour Wire"))
    check = run(installed, root, "build", "--check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "corpus/README.md" in check.stdout + check.stderr

    assert run(installed, root, "build").returncode == 0
    assert "Harbour Wire" in (root / "corpus/README.md").read_text(encoding="utf-8")
    assert "Harbour Wire" in (root / "corpus/croissant.json").read_text(encoding="utf-8")
    assert run(installed, root, "build", "--check").stdout == "outputs are up to date\n"


def test_the_roots_labels_and_record_schema_are_what_the_installed_build_uses(installed, root):
    assert run(installed, root, "build").returncode == 0

    def add_label(inventory) -> None:
        inventory["entity_labels"]["VESSEL"] = "A ship or boat, by name."

    def add_to_enum(schema) -> None:
        schema["$defs"]["entity_label"]["enum"].append("VESSEL")

    edit_json(root / "schema/labels.json", add_label)
    edit_json(root / "schema/record.schema.json", add_to_enum)
    check = run(installed, root, "build", "--check")
    assert check.returncode == 1, check.stdout + check.stderr

    assert run(installed, root, "build").returncode == 0
    croissant = (root / "corpus/croissant.json").read_text(encoding="utf-8")
    assert "B-VESSEL" in croissant and "I-VESSEL" in croissant


def test_a_stricter_record_schema_of_the_root_is_what_validate_checks(installed, root):
    assert run(installed, root, "validate").returncode == 0
    edit_json(
        root / "schema/record.schema.json", lambda s: s["properties"]["text"].update(maxLength=5)
    )
    result = run(installed, root, "validate")
    assert result.returncode == 1
    assert "/text" in result.stdout + result.stderr


def test_without_a_schema_folder_the_packaged_copy_is_read(installed, root):
    shutil.rmtree(root / "schema")
    assert run(installed, root, "build").returncode == 0
    assert run(installed, root, "build", "--check").stdout == "outputs are up to date\n"
    meta = json.loads((REPO / "schema/dataset.json").read_text(encoding="utf-8"))
    assert meta["pretty_name"] in (root / "corpus/README.md").read_text(encoding="utf-8")


def test_importing_the_command_line_reads_nothing_from_schema():
    """The root is selected before anything is read, so the CLI's imports must read nothing."""
    code = "import newscorpus.cli, newscorpus.labels as l; print(sorted(l._loaded))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "[]\n"


def test_a_second_label_set_in_one_process_is_refused(tmp_path: Path):
    """Label constants are bound at import: a process that has read one inventory cannot
    read another, and says so instead of mixing them."""
    from newscorpus import labels

    assert labels.ENTITY_LABELS  # read (the packaged copy, or the one already read)
    other = tmp_path / "other"
    (other / "schema").mkdir(parents=True)
    inventory = json.loads((REPO / "schema/labels.json").read_text(encoding="utf-8"))
    inventory["topics"]["shipping"] = "Ships and ports."
    (other / "schema/labels.json").write_text(json.dumps(inventory), encoding="utf-8")
    with use_root(other):
        for read in (labels.inventory, lambda: labels.TOPICS):
            with pytest.raises(NewscorpusError, match=r"other/schema/labels.json differs from "):
                read()
    assert labels.selected_root() is None  # the selection ends with the block
    with use_root(tmp_path):  # no schema/ of its own: the packaged copy, as read
        assert labels.schema_file("labels.json") == labels.packaged_schema_dir() / "labels.json"


def test_the_roots_guidelines_state_the_version_gold_records_must_follow(installed, root):
    guidelines = root / "schema/GUIDELINES.md"
    text = guidelines.read_text(encoding="utf-8")
    current = text.split("Guidelines version: ", 1)[1].split("\n", 1)[0]
    guidelines.write_text(text.replace(f"Guidelines version: {current}", "Guidelines version: 9.0"))
    result = run(installed, root, "validate")
    assert result.returncode == 1
    assert "gold-guidelines-version" in result.stdout
    assert f"current guidelines (9.0); it names '{current}'" in result.stdout

    guidelines.write_text(text.replace(f"Guidelines version: {current}", ""), encoding="utf-8")
    result = run(installed, root, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "Error: schema/GUIDELINES.md has no 'Guidelines version: X.Y' line"
    ), result.stderr


def test_a_label_inventory_of_the_wrong_shape_is_a_message(installed, root):
    edit_json(root / "schema/labels.json", lambda d: d["entity_labels"].update(VESSEL=["ship"]))
    result = run(installed, root, "build", "--check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "Error: schema/labels.json: at /entity_labels/VESSEL, the label's definition (a string) "
        "is expected; fix it"
    ), result.stderr


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda s: s["properties"]["text"].update(type="strin"),
            "Error: schema/record.schema.json:/properties/text/type: not a valid JSON Schema: ",
        ),
        (
            lambda s: s["properties"].update(text={"$ref": "#/$defs/nothing_here"}),
            "Error: schema/record.schema.json: the record schema cannot be compiled "
            "(Pointer '/$defs/nothing_here' does not exist); fix it",
        ),
    ],
    ids=["not-a-schema", "unresolvable-ref"],
)
def test_a_record_schema_that_cannot_be_used_is_a_message(installed, root, change, expected):
    edit_json(root / "schema/record.schema.json", change)
    for command in ("validate", "build"):
        result = run(installed, root, command)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith(expected), result.stderr
        assert "or remove the file to use the copy packaged with newscorpus" in result.stderr
