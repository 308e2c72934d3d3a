"""Shared fixtures. Tests never touch the network: the Hub is switched off before any import."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["RAY_USAGE_STATS_ENABLED"] = "0"  # Ray would report usage over the network

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def ray() -> Any:
    """The `ray` module for the Ray engine's tests: skipped without it, unless
    NEWSCORPUS_REQUIRE_RAY=1 (set by .ci/run) makes its absence a failure."""
    try:
        import ray as module
    except ImportError as err:
        reason = f"Ray cannot be imported ({err}); pip install -e '.[ray]'"
        if os.environ.get("NEWSCORPUS_REQUIRE_RAY") == "1":
            pytest.fail(f"{reason}: NEWSCORPUS_REQUIRE_RAY=1 requires it", pytrace=False)
        pytest.skip(reason)
    return module


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def mini_root(tmp_path: Path) -> Path:
    """A scratch copy of the small valid corpus used by the finding fixtures."""
    target = tmp_path / "mini"
    shutil.copytree(DATA / "findings" / "root", target)
    return target


@pytest.fixture
def interop_root(tmp_path: Path) -> Path:
    """A scratch copy of the interop corpus: two gold records (one with astral characters
    before its spans) and one draft; built by tests/data/interop/make_fixtures.py."""
    target = tmp_path / "interop"
    shutil.copytree(DATA / "interop" / "root", target)
    return target
