"""Progress bars: on a terminal only, after a second of work, never with --quiet."""

from __future__ import annotations

import io
import shutil
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus import progress
from newscorpus.cli import main
from newscorpus.dev.synth import write_synth

REPO = Path(__file__).resolve().parent.parent


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class WatchedTerminal(Terminal):
    """A terminal whose readers can wait until some text has been drawn on it."""

    def __init__(self) -> None:
        super().__init__()
        self.drawn = threading.Condition()

    def write(self, text: str) -> int:
        with self.drawn:
            written = super().write(text)
            self.drawn.notify_all()
        return written

    def wait_for(self, text: str) -> bool:
        with self.drawn:
            return self.drawn.wait_for(lambda: text in self.getvalue(), timeout=30)


def _drive(**options: bool) -> str:
    with progress.bar("validate", 10, **options) as advance:
        for _ in range(10):
            advance(1)
    return sys.stderr.getvalue()  # type: ignore[attr-defined]


def test_a_terminal_gets_a_bar_with_records_and_rate(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(sys, "stderr", Terminal())
    shown = _drive()
    assert "validate" in shown and "10/10" in shown and "records/s" in shown


def test_the_bar_appears_while_the_first_results_are_still_coming(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(progress, "DELAY", 0.05)
    terminal = WatchedTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress.bar("build", 20_000) as advance:
        assert terminal.wait_for("0/20000")  # drawn by the timer: no result has come yet
        advance(1_000)
    assert "1000/20000" in terminal.getvalue()


def test_quiet_or_quick_work_or_no_terminal_draws_nothing(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert _drive() == ""  # under a second
    monkeypatch.setattr(progress, "DELAY", 0.0)
    assert _drive(quiet=True) == ""
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert _drive() == ""


@pytest.mark.parametrize("command", [["validate"], ["build", "--check"]])
def test_commands_print_the_same_with_or_without_quiet_off_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    shutil.copyfile(REPO / "DATASHEET.md", tmp_path / "DATASHEET.md")
    write_synth(tmp_path, 3, seed=2)
    CliRunner().invoke(main, ["build", "--root", str(tmp_path)])
    runner = CliRunner()
    plain = runner.invoke(main, [*command, "--root", str(tmp_path)])
    quiet = runner.invoke(main, [*command, "--quiet", "--root", str(tmp_path)])
    assert plain.exit_code == quiet.exit_code == 0
    assert plain.output == quiet.output and "━" not in plain.output
