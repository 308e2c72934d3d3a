"""Options shared by the commands, each defined once (--root, --jobs, --force)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .parallel import default_jobs

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def root_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--root DIR, shared by every command: the corpus checkout to work on."""

    @click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="Root of the corpus checkout (holds seeds/, corpus/, schema/).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper


def jobs_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--jobs N, shared by the commands that stream records through worker processes."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=default_jobs(),
        show_default=True,
        help="Worker processes (default: the CPUs available to this process).",
    )(func)


def force_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--force: the one explicit way to replace existing records, each kept as a backup."""
    return click.option(
        "--force",
        is_flag=True,
        help="Replace existing records; each previous version is kept as <name>.bak "
        "(then <name>.2.bak, ...).",
    )(func)
