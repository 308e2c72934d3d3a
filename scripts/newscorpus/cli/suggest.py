"""`newscorpus suggest`: refresh the suggestions of a draft record."""

from __future__ import annotations

from pathlib import Path

import click

from ..paths import RECORDS_DIR
from .options import CONTEXT, root_option

model_option = click.option(
    "--model",
    metavar="NAME_OR_PATH",
    default=None,
    help="Also take named mentions from this installed spaCy pipeline (a package name or a "
    "saved pipeline's folder); nothing is downloaded.",
)


@click.command(context_settings=CONTEXT)
@click.argument("doc_id", metavar="ID")
@model_option
@root_option
def suggest(doc_id: str, model: str | None, root: Path) -> None:
    """Add fresh suggestions to the draft record ID, for every layer.

    Unconfirmed suggestions that nothing confirmed refers to are replaced; confirmed items
    (those without "suggested") are never changed. The previous record is kept as a backup.

    Example: newscorpus suggest 001_example --model en_core_web_sm
    """
    from ..curate.suggest.resuggest import resuggest

    done = resuggest(root, doc_id, model)
    kept = (
        f"; the previous record is kept as {RECORDS_DIR / done.backup.name}" if done.backup else ""
    )
    click.echo(f"suggested into {RECORDS_DIR / done.path.name}: {done.counts.summary()}{kept}")
    click.echo('review each suggestion: remove "suggested" and "suggested_by" to confirm it')
