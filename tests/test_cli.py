"""The add and validate commands as a curator sees them: output, files and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus import __version__
from newscorpus.cli import main

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_1b05e77db752fde4.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    shutil.copyfile(SEED, tmp_path / "seeds" / SEED.name)
    return tmp_path


def test_version_and_help(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    result = runner.invoke(main, ["-h"])
    assert result.exit_code == 0 and "add" in result.output and "validate" in result.output


def test_every_command_documents_an_example(runner):
    for name, command in main.commands.items():
        assert "Example:" in (command.help or ""), name
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "--root" in result.output, name


def test_add_then_validate(runner, root):
    result = runner.invoke(main, ["add", str(root / "seeds" / SEED.name), "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "added corpus/records/000_1b05e77db752fde4.json" in result.output
    record = json.loads((root / "corpus/records/000_1b05e77db752fde4.json").read_text())
    assert record["annotation"]["status"] == "draft"
    result = runner.invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "1 file(s) checked: 0 error(s), 0 warning(s): valid" in result.output


def test_add_refuses_to_overwrite(runner, root):
    args = ["add", str(root / "seeds" / SEED.name), "--root", str(root)]
    assert runner.invoke(main, args).exit_code == 0
    target = root / "corpus/records/000_1b05e77db752fde4.json"
    target.write_text(target.read_text().replace('"notes": null', '"notes": "curated"'))
    before = target.read_bytes()
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert "already exists; nothing was changed" in result.output
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_add_copies_an_outside_seed_into_seeds(runner, root, tmp_path):
    outside = tmp_path / "incoming" / "story.txt"
    outside.parent.mkdir()
    shutil.copyfile(DATA / "ingest" / "new_article.txt", outside)
    result = runner.invoke(main, ["add", str(outside), "--id", "story-1", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert (root / "seeds/story.txt").read_bytes() == outside.read_bytes()
    assert runner.invoke(main, ["validate", "--root", str(root)]).exit_code == 0


def test_add_refuses_a_different_seed_with_the_same_name(runner, root, tmp_path):
    outside = tmp_path / "incoming" / SEED.name
    outside.parent.mkdir()
    outside.write_text("Another story\n\nWith other text.\n")
    result = runner.invoke(main, ["add", str(outside), "--id", "other", "--root", str(root)])
    assert result.exit_code == 1 and "already exists with other content" in result.output
    assert not (root / "corpus/records/other.json").exists()


@pytest.mark.parametrize("bad_id", ["../escape", "a/b", "", "-dash", "x" * 200])
def test_add_rejects_unsafe_ids_as_usage_errors(runner, root, bad_id):
    result = runner.invoke(
        main, ["add", str(root / "seeds" / SEED.name), "--id", bad_id, "--root", str(root)]
    )
    assert result.exit_code == 2 and "invalid id" in result.output
    assert not (root / "corpus").exists()


@pytest.mark.parametrize("name", ["latin1.txt", "binary.txt", "empty.txt"])
def test_add_reports_bad_seeds_without_traceback(runner, root, name):
    result = runner.invoke(main, ["add", str(DATA / "ingest" / name), "--root", str(root)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and name in result.output
    assert "Traceback" not in result.output and not (root / "corpus").exists()


def test_add_missing_seed_is_a_usage_error(runner, root):
    result = runner.invoke(main, ["add", str(root / "nope.txt"), "--root", str(root)])
    assert result.exit_code == 2


def test_validate_reports_findings_and_exit_1(runner):
    case = DATA / "findings/cases/span-text-mismatch/mini.json"
    result = runner.invoke(main, ["validate", str(case), "--root", str(DATA / "findings/root")])
    assert result.exit_code == 1
    assert "/mentions/1: error [span-text-mismatch] (record mini)" in result.output
    assert "fix: the text 'Acmx'" not in result.output and "fix:" in result.output
    assert "INVALID" in result.output


def test_validate_json_output(runner):
    case = DATA / "findings/cases/json-invalid/mini.json"
    result = runner.invoke(main, ["validate", "--json", str(case)])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["valid"] is False
    assert report["findings"][0]["code"] == "json-invalid"
    assert report["findings"][0]["file"].endswith("mini.json")


def test_validate_warnings_exit_0(runner):
    case = DATA / "findings/cases/unannotated-occurrence/mini.json"
    result = runner.invoke(main, ["validate", str(case), "--root", str(DATA / "findings/root")])
    assert result.exit_code == 0
    assert "warning [unannotated-occurrence]" in result.output


def test_validate_folder_collects_all_findings(runner, tmp_path):
    for code in ("span-empty", "schema-enum", "file-bom"):
        shutil.copyfile(DATA / f"findings/cases/{code}/mini.json", tmp_path / f"{code}.json")
    result = runner.invoke(
        main, ["validate", "--json", str(tmp_path), "--root", str(DATA / "findings/root")]
    )
    assert result.exit_code == 1
    codes = sorted(f["code"] for f in json.loads(result.output)["findings"])
    assert {"span-empty", "schema-enum", "file-bom"} <= set(codes)
    assert json.loads(result.output)["stats"]["files"] == 3


def test_validate_usage_errors_exit_2(runner, tmp_path):
    assert runner.invoke(main, ["validate", str(tmp_path / "missing.json")]).exit_code == 2
    assert runner.invoke(main, ["validate", "--no-such-flag"]).exit_code == 2


def test_validate_empty_corpus_is_valid(runner, tmp_path):
    result = runner.invoke(main, ["validate", "--root", str(tmp_path)])
    assert result.exit_code == 2 and "no corpus/records folder" in result.output
    (tmp_path / "corpus/records").mkdir(parents=True)
    result = runner.invoke(main, ["validate", "--root", str(tmp_path)])
    assert result.exit_code == 0 and "0 file(s) checked" in result.output


def test_readme_documents_every_command_and_finding_code():
    from newscorpus.findings import CODES

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"| `{name}" in readme, name
    for code, (level, severity, what) in CODES.items():
        assert f"| `{code}` | {level} | {severity} | {what} |" in readme, code


def test_each_forced_add_names_the_backup_it_kept(runner, root):
    args = ["add", str(root / "seeds" / SEED.name), "--root", str(root)]
    assert runner.invoke(main, args).exit_code == 0
    records = root / "corpus/records"
    record = records / "000_1b05e77db752fde4.json"
    for kept in (
        "000_1b05e77db752fde4.json.bak",
        "000_1b05e77db752fde4.json.2.bak",
        "000_1b05e77db752fde4.json.3.bak",
    ):
        edited = record.read_text(encoding="utf-8").replace('"notes": null', f'"notes": "{kept}"')
        record.write_text(edited, encoding="utf-8")  # a curator's work, which --force replaces
        result = runner.invoke(main, [*args, "--force"])
        assert result.exit_code == 0, result.output
        assert result.output.rstrip().endswith(
            f"the previous record is kept as corpus/records/{kept}"
        )
        assert (records / kept).read_text(encoding="utf-8") == edited
    result = runner.invoke(main, [*args, "--force"])  # the same bytes again: nothing to keep
    assert result.exit_code == 0 and "kept as" not in result.output
    assert len(list(records.glob("*.bak"))) == 3


def test_add_seed_works_from_python_with_the_same_policy(root):
    from newscorpus.curate.add import add_seed
    from newscorpus.errors import RecordExistsError

    added = add_seed(root, root / "seeds" / SEED.name)
    assert added.path == root / "corpus/records/000_1b05e77db752fde4.json"
    assert added.backup is None and added.record["annotation"]["status"] == "draft"
    with pytest.raises(RecordExistsError, match="already exists; nothing was changed"):
        add_seed(root, root / "seeds" / SEED.name)
    assert add_seed(root, root / "seeds" / SEED.name, force=True).backup is None  # same bytes
    added.path.write_text(added.path.read_text("utf-8").replace('"notes": null', '"notes": "x"'))
    assert add_seed(root, root / "seeds" / SEED.name, force=True).backup is not None


def test_root_works_before_or_after_the_command_name(runner, root):
    assert (
        runner.invoke(main, ["add", str(root / "seeds" / SEED.name), "--root", str(root)]).exit_code
        == 0
    )
    for args in (["--root", str(root), "validate"], ["validate", "--root", str(root)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0 and "1 file(s) checked" in result.output, args
    result = runner.invoke(main, ["--root", str(root), "validate", "--root", str(root / "x")])
    assert result.exit_code == 2 and "--root is given twice" in result.output
