"""Options shared by the commands, each defined once (--root, --jobs, --force, --quiet)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..labels import use_root
from ..parallel import default_jobs

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


_ROOT_HELP = (
    "Root of the corpus checkout: seeds/, corpus/ and schema/. Each file of its schema/ "
    "(labels.json, record.schema.json, dataset.json, GUIDELINES.md) is read in place of the "
    "copy packaged with newscorpus; a missing one is the packaged copy's.  [default: .]"
)


def _root_param(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=_ROOT_HELP,
    )(func)


def root_group_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--root DIR on the command group, so that `newscorpus --root DIR validate` works too."""
    return _root_param(func)


def root_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--root DIR, shared by every command: the corpus checkout to work on, schema/ included.

    Accepted before the command name (a group option) or after it; given in both places, the
    two must agree.
    """

    @_root_param
    @functools.wraps(func)
    def wrapper(*args: Any, root: Path | None, **kwargs: Any) -> Any:
        outer = click.get_current_context().find_root().params.get("root")
        if root is not None and outer is not None and root != outer:
            raise click.UsageError(f"--root is given twice: {outer} and {root}")
        chosen = root or outer or Path(".")
        with use_root(chosen):  # before anything is read from schema/
            return func(*args, root=chosen, **kwargs)

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


def quiet_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--quiet: no progress bar. Passed on as `progress`, the library's progress callback
    factory (a bar on a terminal once the work takes over a second, else nothing)."""

    @click.option(
        "--quiet",
        "-q",
        is_flag=True,
        help="No progress bar (one is shown on a terminal only, for work over a second).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, quiet: bool, **kwargs: Any) -> Any:
        from ..progress import bar

        return func(*args, progress=functools.partial(bar, quiet=quiet), **kwargs)

    return wrapper
