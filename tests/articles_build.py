"""A scratch corpus root of the three gold articles of tests/data/articles, built and loaded.

Shared by the tests that need the published dataset of a known, small corpus (never the live
one): every config of it loads with `datasets` from a cache of the caller's own.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import datasets
from click.testing import CliRunner

from newscorpus.cli import main

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
CONFIGS = ("documents", "ner", "mentions", "quotes", "events", "relations")


def build_articles(target: Path) -> Path:
    """`target` as a corpus root holding the articles' seeds and records, built."""
    (target / "corpus" / "records").mkdir(parents=True)
    shutil.copytree(ARTICLES / "seeds", target / "seeds")
    shutil.copytree(ARTICLES / "records", target / "corpus" / "records", dirs_exist_ok=True)
    result = CliRunner().invoke(main, ["build", "--quiet", "--jobs", "1", "--root", str(target)])
    assert result.exit_code == 0, result.output
    return target


def load_all(root: Path, cache: Path) -> dict[str, datasets.Dataset]:
    """Every config of the root's dataset folder, every split as one Dataset."""
    return {
        config: datasets.load_dataset(
            str(root / "corpus"), config, split="all", cache_dir=str(cache)
        )
        for config in CONFIGS
    }


def evaluate_cli(root: Path, *args: str | Path) -> tuple[int, dict[str, Any]]:
    """`newscorpus evaluate ARGS --json` at `root`: the exit code and what it printed."""
    command = ["evaluate", *map(str, args), "--json", "--root", str(root)]
    result = CliRunner().invoke(main, command)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.output)
