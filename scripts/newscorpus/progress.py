"""A progress bar for long work, on a terminal only.

The library reports progress through a plain callback (`advance(records)`), called in the
main process as results come back from the workers, so workers do no extra work. The CLI
passes `bar(...)`'s callback: it draws on stderr with rich, only when stderr is a terminal,
`--quiet` is not given and the work has run for more than a second; otherwise it does
nothing, so logs, pipes and CI see exactly the output they always did.
"""

from __future__ import annotations

import sys
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
    done = 0

    def advance(records: int) -> None:
        nonlocal done
        done += records
        elapsed = time.monotonic() - started
        if not shown:
            if elapsed < DELAY:
                return
            shown.extend(_start(label, total))
        progress, task = shown
        # records/s over the whole run so far: steadier than a windowed speed.
        progress.update(task, completed=done, rate=f"{done / elapsed:,.0f} records/s")

    try:
        yield advance
    finally:
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
