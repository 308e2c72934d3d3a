"""A progress bar for long work, on a terminal only.

The library reports progress through a plain callback (`advance(records)`), called in the
main process as results come back from the workers, so workers do no extra work. The CLI
passes `bar(...)`'s callback: it draws on stderr with rich, only when stderr is a terminal,
`--quiet` is not given and the work has run for more than a second; otherwise it does
nothing, so logs, pipes and CI see exactly the output they always did.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

Advance = Callable[[int], None]
Progress = Callable[[str, int], AbstractContextManager[Advance]]  # (label, total) -> callback
DELAY = 1.0  # seconds of work before a bar appears


def nothing(_: int) -> None:
    """The callback when no one is watching."""


@contextmanager
def silent(label: str, total: int) -> Iterator[Advance]:
    """The default Progress of every library function: report to no one."""
    yield nothing


@contextmanager
def bar(label: str, total: int, *, quiet: bool = False) -> Iterator[Advance]:
    """A callback that advances a bar of `total` records (records done, records/s, time
    left), drawn once the work has taken more than DELAY seconds; gone when done."""
    if quiet or not sys.stderr.isatty() or total <= 0:
        yield nothing
        return
    started = time.monotonic()
    shown: list[Any] = []  # the rich Progress and its task, once drawn
    lock = threading.Lock()
    done = 0
    finished = False

    def draw() -> None:
        # Called once DELAY has passed, by the timer or by a late advance, whichever is first:
        # the bar appears even while the first results are still being computed.
        with lock:
            if finished:
                return
            if not shown:
                shown.extend(_start(label, total))
            _update()

    def _update() -> None:
        progress, task = shown
        elapsed = max(1e-9, time.monotonic() - started)
        # records/s over the whole run so far: steadier than a windowed speed.
        progress.update(task, completed=done, rate=f"{done / elapsed:,.0f} records/s")

    def advance(records: int) -> None:
        nonlocal done
        with lock:
            done += records
            if shown:
                _update()
                return
        if time.monotonic() - started >= DELAY:
            draw()

    timer = threading.Timer(DELAY, draw)
    timer.daemon = True
    timer.start()
    try:
        yield advance
    finally:
        timer.cancel()
        with lock:
            finished = True  # a timer firing now draws nothing
            if shown:
                shown[0].stop()


def _start(label: str, total: int) -> tuple[Any, Any]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("records, {task.fields[rate]}, left:"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task(label, total=total, rate="0 records/s")
    progress.start()
    return progress, task
