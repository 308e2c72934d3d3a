"""Every JSON file a curator writes by hand is read by the one strict reader (jsonio): a key
given twice, NaN or an integer beyond 2**53 is refused with the file and the JSON pointer,
never half-read (Python's json keeps the last of two values for a key, silently)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.curate.add import add_seed
from newscorpus.errors import NewscorpusError
from newscorpus.interop.annotators import load_annotator_map
from newscorpus.publish.metadata import _metadata_at

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
NAME = "harbour_union_boycott"


def test_an_operations_file_with_a_key_given_twice_changes_nothing(tmp_path: Path):
    root = tmp_path / "root"
    (root / "corpus" / "records").mkdir(parents=True)
    add_seed(root, ARTICLES / "seeds" / f"{NAME}.txt")
    path = root / "corpus" / "records" / f"{NAME}.json"
    before = path.read_bytes()
    ops = tmp_path / "ops.json"
    ops.write_text(
        '[{"op": "mention", "phrase": "Marlow", "label": "GPE", "label": "ORG"}]',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["edit", NAME, "apply", str(ops), "--root", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{ops}:/0/label: the key 'label' appears more than once" in result.output
    assert "nothing was changed" in result.output
    assert path.read_bytes() == before


def test_an_annotator_map_with_an_account_given_twice_is_refused(tmp_path: Path):
    path = tmp_path / "annotators.json"
    path.write_text('{"ann@example.org": "ann-a", "ann@example.org": "ann-b"}', "utf-8")
    with pytest.raises(NewscorpusError) as caught:
        load_annotator_map(path)
    assert f"{path}:/ann@example.org: the key 'ann@example.org' appears more than once" in str(
        caught.value
    )


def test_dataset_metadata_with_a_nan_is_refused_naming_the_place(tmp_path: Path):
    path = tmp_path / "dataset.json"
    text = (Path(__file__).resolve().parents[1] / "schema" / "dataset.json").read_text("utf-8")
    path.write_text(text.replace("{", '{"size": NaN, ', 1), encoding="utf-8")
    with pytest.raises(NewscorpusError) as caught:
        _metadata_at(path, None)
    assert "/size" in str(caught.value) and "Traceback" not in str(caught.value)


def test_a_decisions_file_with_a_key_given_twice_is_refused(tmp_path: Path):
    study = Path(__file__).resolve().parent / "data" / "agreement"
    root = tmp_path / "root"
    (root / "corpus" / "records").mkdir(parents=True)
    shutil.copytree(study / "seeds", root / "seeds")
    decisions = tmp_path / "decisions.json"
    text = (study / "press_sit_in.decisions.json").read_text(encoding="utf-8")
    decisions.write_text(text.replace("{", '{"adjudication": 0, ', 1), encoding="utf-8")
    before = decisions.read_bytes()
    out = tmp_path / "press_sit_in.json"
    args = ["adjudicate", str(study / "a" / "press_sit_in.json")]
    args += [str(study / "b" / "press_sit_in.json"), "--decisions", str(decisions)]
    args += ["--adjudicator", "newscorpus-curators", "--out", str(out), "--root", str(root)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "/adjudication: the key 'adjudication' appears more than once" in result.output
    assert not out.exists() and decisions.read_bytes() == before
