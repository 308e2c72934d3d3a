"""`add` infers `source.language` as guideline 10 says: an ISO 639-1 code marked inferred,
with its evidence, read off the text by a model that ships in its wheel; a short, mixed or
unclear text leaves it null."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.curate import language as language_module
from newscorpus.curate.language import infer_language

ENGLISH = (
    "Ministry delays data rules\n\n"
    "Islamabad: The Ministry of Information said on Monday it would delay the data protection "
    "rules until the end of the year, after more than a hundred rights groups objected to them "
    "in a joint letter to the prime minister.\n"
)
FRENCH = (
    "Le ministère reporte les règles\n\n"
    "Le ministère de l'Information a déclaré lundi qu'il reporterait les règles sur la "
    "protection des données jusqu'à la fin de l'année, après que plus de cent associations ont "
    "protesté dans une lettre commune au premier ministre.\n"
)
URDU = (
    "وزارت نے قواعد مؤخر کر دیے\n\n"
    "وزارت اطلاعات نے پیر کو کہا کہ وہ ڈیٹا کے تحفظ کے قواعد کو سال کے آخر تک مؤخر کر دے گی، جب "
    "سو سے زیادہ تنظیموں نے وزیر اعظم کو ایک مشترکہ خط میں ان پر اعتراض کیا۔\n"
)
SHORT = "Ministry delays rules\n\nThe ministry said on Monday it would wait.\n"
NAMES = (
    "Karachi, Lahore, Islamabad, Quetta, Peshawar, Multan, Faisalabad, Rawalpindi, Hyderabad, "
    "Sialkot, Gujranwala, Bahawalpur, Sargodha, Sukkur, Larkana, Mardan.\n"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "corpus" / "records").mkdir(parents=True)
    (tmp_path / "seeds").mkdir()
    return tmp_path


def _add(root: Path, name: str, text: str) -> dict[str, Any]:
    seed = root / "incoming" / f"{name}.txt"
    seed.parent.mkdir(exist_ok=True)
    seed.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["add", str(seed), "--root", str(root)])
    assert result.exit_code == 0, result.output
    record = json.loads((root / "corpus" / "records" / f"{name}.json").read_text("utf-8"))
    return record["source"]["language"]


@pytest.mark.parametrize(("text", "code"), [(ENGLISH, "en"), (FRENCH, "fr"), (URDU, "ur")])
def test_add_infers_the_language_with_its_evidence(root, text, code):
    language = _add(root, "article", text)
    assert language["value"] == code and language["inferred"] is True
    evidence = language["evidence"]
    opening = " ".join(text.split()[:8])
    assert f'(opening "{opening}"' in evidence
    assert "by py3langid" in evidence
    assert re.search(f": {code} with probability (0\\.9[5-9]|1\\.00), and ", evidence), evidence


@pytest.mark.parametrize(
    "text",
    [SHORT, NAMES, ENGLISH + "\n" + URDU, ENGLISH + "\n" + FRENCH],
    ids=["short", "names only", "english and urdu", "english and french"],
)
def test_short_or_mixed_texts_stay_null(root, text):
    assert _add(root, "article", text) is None


def test_the_inferred_language_validates_and_shows(root):
    _add(root, "article", ENGLISH)
    runner = CliRunner()
    valid = runner.invoke(main, ["validate", "--root", str(root)])
    assert valid.exit_code == 0, valid.output
    shown = runner.invoke(main, ["show", "article", "--root", str(root)], env={"COLUMNS": "300"})
    line = next(line for line in shown.output.splitlines() if line.startswith("language"))
    assert line.split(None, 1)[1].startswith("en (inferred: identified from the whole text")


def test_inference_needs_no_network(monkeypatch):
    language_module._identifier.cache_clear()  # load the model afresh

    def refuse(*args, **kwargs):
        raise AssertionError("language identification tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    language = infer_language(ENGLISH)
    assert language is not None and language["value"] == "en"
