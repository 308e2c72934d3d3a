"""Every command and snippet of README.md and of the dataset card runs, as the page shows it.

The code blocks are read from the pages themselves (bash, python and sql), in order, and run in
a scratch copy of the repository's files: shell blocks with bash, Python with the project's
interpreter, SQL with DuckDB; a fresh Hugging Face cache, offline. An HTML comment right
before a block may say how to run it:

- `<!-- example: skip: WHY -->`: not run (it needs the network, a server, or files of your
  own); the skip test below reports WHY;
- `<!-- example: cwd=DIR -->`: run from DIR, relative to the page's folder (default: there);
- `<!-- example: setup: COMMAND -->`: run COMMAND first, in a copy of its own, so that what
  it changes stays out of the blocks after it;
- `<!-- example: continues -->`: a Python block that goes on from the one before it (the two
  run as one program).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGES = ("README.md", "corpus/README.md")
RUN = {"bash", "python", "sql"}
_BLOCK = re.compile(r"((?:<!-- example: [^\n]*-->\n)*)```(\w+)\n(.*?)\n```", re.DOTALL)
_SQL = "import duckdb, sys; print(duckdb.connect().execute(sys.stdin.read()).fetchall())"


@dataclass
class Block:
    page: str
    line: int
    language: str
    code: str
    markers: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.page}:{self.line}"


def blocks(text: str, page: str) -> list[Block]:
    found = []
    for match in _BLOCK.finditer(text):
        markers = {}
        for comment in re.findall(r"<!-- example: (.*?) -->", match.group(1)):
            key, _, value = (
                comment.partition(":")
                if comment.startswith(("skip", "setup"))
                else (comment.partition("="))
            )
            markers[key.strip()] = value.strip()
        line = text.count("\n", 0, match.start(2)) + 1
        code = match.group(3)
        if "continues" in markers and found:
            code = found[-1].code + "\n" + code
        found.append(Block(page, line, match.group(2), code, markers))
    return [b for b in found if b.language in RUN]


def _page_blocks() -> list[Block]:
    return [b for page in PAGES for b in blocks((REPO / page).read_text(encoding="utf-8"), page)]


def scratch_copy(target: Path) -> Path:
    """The repository's files (tracked, as they are in the working tree) in `target`."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        HF_HOME=str(home / "hf"),
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        HOME=str(home),
    )
    return env


def run_block(block: Block, root: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    cwd = (root / block.page).parent / block.markers.get("cwd", ".")
    if "setup" in block.markers:
        setup = subprocess.run(
            ["bash", "-e", "-c", block.markers["setup"]], cwd=cwd, env=env, capture_output=True
        )
        assert setup.returncode == 0, setup.stderr.decode()
    command = {
        "bash": ["bash", "-e", "-o", "pipefail"],
        "python": [sys.executable, "-"],
        "sql": [sys.executable, "-c", _SQL],
    }[block.language]
    return subprocess.run(
        command, input=block.code.encode(), cwd=cwd, env=env, capture_output=True, timeout=600
    )


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_every_example_of_the_page_runs(page: str, tmp_path: Path) -> None:
    root = scratch_copy(tmp_path / "repo")
    env = _env(tmp_path)
    ran = []
    for block in blocks((root / page).read_text(encoding="utf-8"), page):
        if "skip" in block.markers:
            continue
        here = root
        if "setup" in block.markers:  # its changes stay in a copy of its own
            here = scratch_copy(tmp_path / f"setup-{block.line}")
        done = run_block(block, here, env)
        output = done.stdout.decode() + done.stderr.decode()
        assert done.returncode == 0, f"{block.name} ({block.language}) failed:\n{output[-3000:]}"
        assert "Traceback" not in output, f"{block.name}:\n{output[-3000:]}"
        ran.append(block.name)
    assert ran, f"{page} has no example to run"


@pytest.mark.parametrize(
    "block", [b for b in _page_blocks() if "skip" in b.markers], ids=lambda b: b.name
)
def test_an_example_not_run_says_why(block: Block) -> None:
    assert len(block.markers["skip"]) > 10, f"{block.name}: say why it cannot run here"
    pytest.skip(f"{block.name} not run: {block.markers['skip']}")


def test_the_markers_are_read_from_the_page() -> None:
    page = (
        "intro\n\n<!-- example: cwd=corpus -->\n```sql\nSELECT 1;\n```\n\n"
        "<!-- example: skip: needs a server that runs elsewhere -->\n```bash\ncurl x\n```\n"
        "```json\n{}\n```\n```python\nprint(1)\n```\n"
    )
    found = blocks(page, "page.md")
    assert [(b.line, b.language, b.markers) for b in found] == [
        (4, "sql", {"cwd": "corpus"}),
        (9, "bash", {"skip": "needs a server that runs elsewhere"}),
        (15, "python", {}),
    ]
