"""schema/dataset.json is the one source of the dataset's name, version, licence, creators and
citation: the card, Croissant, LICENSE.md and DATASHEET.md state what it says, and nothing
it does not know."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.errors import MetadataError
from newscorpus.labels import schema_file
from newscorpus.publish import card as card_module
from newscorpus.publish import croissant as croissant_module
from newscorpus.publish.metadata import METADATA_FILE, metadata, parse

FIXTURE = Path(__file__).resolve().parent / "data" / "publish" / "root"


def raw() -> dict:
    return json.loads(schema_file(METADATA_FILE).read_text(encoding="utf-8"))


def test_the_repository_metadata_parses_and_leaves_unknown_facts_out() -> None:
    meta = metadata()
    assert meta.version == raw()["version"] and meta.version_history[-1]["version"] == meta.version
    assert meta.homepage is None and meta.repository is None and meta.contact is None
    assert "url =" not in meta.bibtex()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"homepage": "https://newscorpus.invalid/"}, "placeholder"),
        ({"contact": "TODO"}, "placeholder"),
        ({"homepage": ""}, "placeholder"),
        ({"mascot": "a croissant"}, "unknown \\['mascot'\\]"),
        ({"date_published": "December 2026"}, "is not a date"),
        ({"version": "9.9.9"}, "last version_history entry"),
    ],
)
def test_a_placeholder_or_an_unknown_key_is_refused(change: dict, message: str) -> None:
    with pytest.raises(MetadataError, match=message):
        parse({**raw(), **change})


def test_a_known_address_reaches_the_card_croissant_and_citation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = parse({**raw(), "repository": "https://git.example.net/newscorpus"})
    for module in (card_module, croissant_module):
        monkeypatch.setattr(module, "metadata", lambda: known)
    root = tmp_path / "root"
    shutil.copytree(FIXTURE, root)
    assert CliRunner().invoke(main, ["build", "--root", str(root)]).exit_code == 0
    card = (root / "corpus" / "README.md").read_text(encoding="utf-8")
    croissant = json.loads((root / "corpus" / "croissant.json").read_text(encoding="utf-8"))
    assert "- **Repository:** https://git.example.net/newscorpus" in card
    assert "url = {https://git.example.net/newscorpus}" in card
    assert croissant["url"] == "https://git.example.net/newscorpus"
    assert "url = {https://git.example.net/newscorpus}" in croissant["citeAs"]


def test_the_datasheet_and_licence_file_state_the_metadata(repo_root: Path) -> None:
    meta = metadata()
    datasheet = (repo_root / "DATASHEET.md").read_text(encoding="utf-8")
    block = datasheet.split("<!-- metadata:start -->")[1].split("<!-- metadata:end -->")[0]
    assert f"- Version: {meta.version}, published {meta.date_published}" in block
    assert meta.bibtex() in block and meta.license["summary"] in block
    licence = (repo_root / "corpus" / "LICENSE.md").read_text(encoding="utf-8")
    assert all(term in licence for term in meta.license["terms"])
