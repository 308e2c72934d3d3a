"""The `newscorpus` command line: thin shells over library functions.

Library code raises NewscorpusError (newscorpus.errors) for bad input or data; only this module
turns it into a message and an exit code (0 success, 1 failure or invalid data, 2 usage error).
Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..errors import IngestError, InvalidCorpusError, NewscorpusError, RecordExistsError
from ..ingest import check_id, derive_id
from ..paths import RECORDS_DIR
from ..progress import Progress
from .adjudicate import adjudicate
from .curate import agreement, diff, evaluate, reanchor, release, show
from .edit import edit, fmt
from .exchange import export, import_
from .options import (
    CONTEXT,
    force_option,
    jobs_option,
    quiet_option,
    root_group_option,
    root_option,
)
from .serve import serve_suggestions
from .suggest import model_option, suggest


class _Main(click.Group):
    """The command group: a NewscorpusError from any command becomes its message, exit 1.

    So does an OSError the library did not name (a disk that fills up, a permission taken
    away): the machine's fault, not a bug; every write is atomic, so nothing is half-made.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewscorpusError as err:
            raise click.ClickException(str(err)) from None
        except OSError as err:
            where = f"{err.filename}: " if err.filename else ""
            raise click.ClickException(
                f"{where}{err.strerror or err}; the command stopped, nothing was half-written"
            ) from None


@click.group(cls=_Main, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="newscorpus")
@root_group_option
def main(root: Path | None) -> None:
    """Grow, validate and publish the annotated news corpus.

    --root may come before the command name or after it.

    Example: newscorpus --root path/to/checkout validate
    """


for _command in (export, import_):  # exchange with other tools, in cli/exchange.py
    main.add_command(_command)
main.add_command(serve_suggestions)  # the suggester for Label Studio, in cli/serve.py
for _command in (edit, fmt):  # annotating by phrase and the canonical form, in cli/edit.py
    main.add_command(_command)
for _command in (show, reanchor, agreement, adjudicate, diff, release, evaluate, suggest):
    main.add_command(_command)


@main.command(context_settings=CONTEXT)
@click.argument("seed", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--id", "doc_id", help="Record id (a slug); derived from the seed's name if not given."
)
@click.option(
    "--suggest",
    is_flag=True,
    help="Pre-annotate every layer: names, values, quotes, events, relations, topics (marked "
    '"suggested": true; the record stays a draft).',
)
@model_option
@force_option
@root_option
def add(
    seed: Path, doc_id: str | None, suggest: bool, model: str | None, force: bool, root: Path
) -> None:
    """Ingest the raw article SEED as a draft record in corpus/records/.

    The seed is decoded as UTF-8, cleaned by general repair rules, split into passages and
    recorded with its sha256. A seed outside seeds/ is first copied there, byte for byte.
    An existing record is never overwritten. With --suggest, the draft gets suggestions for
    every layer for a curator to confirm (remove "suggested") or delete; --model adds the
    named mentions of an installed spaCy pipeline.

    Example: newscorpus add seeds/001_example.txt --id 001_example --suggest
    """
    from ..curate.add import add_seed

    try:
        doc_id = check_id(doc_id) if doc_id is not None else derive_id(seed)
    except IngestError as err:
        raise click.BadParameter(str(err), param_hint="--id") from None
    if model and not suggest:
        raise click.UsageError("--model works with --suggest")
    added = add_seed(root, seed, doc_id, suggest=suggest, force=force, model=model)
    record, backup, suggested = added.record, added.backup, added.suggested
    click.echo(
        f"added {RECORDS_DIR / added.path.name} (split {record['split']}, "
        f"{len(record['passages'])} passages, draft)"
        + (f"; the previous record is kept as {RECORDS_DIR / backup.name}" if backup else "")
    )
    if suggested is not None:
        click.echo(
            f"suggested {suggested.summary()} ({suggested.from_inventory} known names, "
            f'{suggested.from_patterns} values); review each and remove "suggested" to confirm'
        )


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@jobs_option
@click.option(
    "--no-cache", is_flag=True, help="Re-check every file, ignoring results kept from earlier runs."
)
@quiet_option
@root_option
def validate(
    paths: tuple[Path, ...],
    as_json: bool,
    jobs: int,
    no_cache: bool,
    root: Path,
    progress: Progress,
) -> None:
    """Check records level by level; by default every record in corpus/records.

    Files unchanged since an earlier run (same bytes, same seed, same code and schema) reuse
    that run's findings, kept in .newscorpus-cache/.

    Exit status: 0 when there are no errors (warnings allowed), 1 when there are errors,
    2 for a usage error.

    Example: newscorpus validate corpus/records/000_1b05e77db752fde4.json --json
    """
    if not paths and not (root / RECORDS_DIR).is_dir():
        raise click.UsageError(f"no {RECORDS_DIR} folder under {root}; is --root the corpus root?")
    from ..validate import validate_paths

    report = validate_paths(root, paths, jobs=jobs, use_cache=not no_cache, progress=progress)
    if as_json:
        click.echo(report.to_json())
    else:
        for finding in report.findings:
            click.echo(finding.format())
        click.echo(report.summary())
    sys.exit(0 if report.valid else 1)


def _print_invalid(report: Any) -> None:
    for finding in report.errors:
        click.echo(finding.format(), err=True)
    click.echo(report.summary(), err=True)


@main.command(context_settings=CONTEXT)
@click.option(
    "--check",
    is_flag=True,
    help="Rebuild in a temp folder and fail if the committed outputs differ.",
)
@click.option("--include-drafts", is_flag=True, help="Publish draft records too (for previews).")
@jobs_option
@click.option(
    "--no-cache",
    is_flag=True,
    help="Hash every input and derive every shard, as a first build does. Otherwise a build "
    "takes a file whose inode, size and modification time are those the last build saw for "
    "unchanged (as git does), and derives again only the shards and batches that changed.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="What runs the shard tasks: worker processes here, or Ray (pip install "
    "'newscorpus[ray]'). Both give the same bytes.",
)
@click.option(
    "--address",
    default=None,
    help="With --engine ray: the cluster to join (auto, ray://HOST:10001); default: start "
    "Ray on this machine for the build.",
)
@quiet_option
@root_option
def build(
    check: bool,
    include_drafts: bool,
    jobs: int,
    no_cache: bool,
    engine: str,
    address: str | None,
    root: Path,
    progress: Progress,
) -> None:
    """Publish the gold records: Parquet per config, dataset card, Croissant, datasheet stats.

    Validates every record first; on any error nothing is written. Outputs replace the previous
    ones only once all of them are complete. With --check nothing is written: each output that
    differs from a fresh build is named, and the exit status is 1.

    Example: newscorpus build && newscorpus build --check --engine ray
    """
    from ..publish.buildstate import BuildState

    _system_allocator()
    state = None
    if not check and not no_cache:  # decide a no-op before importing the heavy libraries
        state = BuildState(root, include_drafts)
        last = state.last_build()
        if last is not None:
            click.echo(
                f"up to date: nothing changed since the last build ({last.records} record(s))"
            )
            return

    try:
        if check:
            _check(root, include_drafts, jobs, engine, address, progress)
            return
        from ..publish.build import build as run_build

        published = run_build(
            root,
            include_drafts=include_drafts,
            jobs=jobs,
            use_cache=not no_cache,
            state=state,
            engine=engine,
            address=address,
            progress=progress,
        )
    except InvalidCorpusError as err:
        _print_invalid(err.report)
        raise click.ClickException("nothing was built: fix the errors above") from None
    configs = [c for c in published.rows if published.splits(c)]
    click.echo(
        ("up to date: nothing changed since the last build; " if published.up_to_date else "")
        + f"published {published.records} record(s): "
        + (", ".join(f"{c} {sum(published.rows[c].values())}" for c in configs) or "no rows")
    )
    if not published.records:
        click.echo("no gold record yet: the card and Croissant describe an empty dataset", err=True)


def _system_allocator() -> None:
    """Arrow's allocator for this process and its workers: the C library's, unless the user
    chose one. Arrow's own (mimalloc) hands the memory of each batch back to the system and
    faults it in again for the next one; a cold build of 20,000 records spent about 8 % of
    its time in that, and its workers' peak memory was a third higher. Arrow reads the
    variable when it first allocates, which no command has done before this point."""
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")


def _check(
    root: Path,
    include_drafts: bool,
    jobs: int,
    engine: str,
    address: str | None,
    progress: Progress,
) -> None:
    """build --check: name each output that a fresh build would change."""
    from ..publish.build import check as run_check

    problems = run_check(
        root,
        include_drafts=include_drafts,
        jobs=jobs,
        engine=engine,
        address=address,
        progress=progress,
    )
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(
            f"{len(problems)} output(s) out of date; run `newscorpus build` and commit."
        )
    click.echo("outputs are up to date")


@main.command(context_settings=CONTEXT)
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option("--include-drafts", is_flag=True, help="Count draft records too (named IDs always).")
@root_option
def stats(ids: tuple[str, ...], as_json: bool, include_drafts: bool, root: Path) -> None:
    """Count articles, passages, sentences, tokens and every annotation layer, by label and split.

    Counts the gold records (what `build` publishes) unless --include-drafts is given. With
    record IDs, each one's counts per layer and label instead, whatever its status.

    Example: newscorpus stats --json --include-drafts; newscorpus stats 001_story --json
    """
    from ..publish.derive import check_valid, published_records
    from ..publish.record_stats import count_records, render_record_counts
    from ..publish.stats import Stats, render_markdown

    counts = Stats()
    try:
        if ids:
            by_id = count_records(root, list(ids))
            click.echo(json.dumps(by_id, indent=2) if as_json else render_record_counts(by_id))
            return
        check_valid(root)
        for record in published_records(root, include_drafts=include_drafts):
            counts.add(record)
    except InvalidCorpusError as err:
        _print_invalid(err.report)
        raise click.ClickException("cannot count invalid records: fix the errors above") from None
    if as_json:
        click.echo(counts.to_json())
    else:
        click.echo(render_markdown(counts.to_dict(), drafts_included=include_drafts))


@main.command(context_settings=CONTEXT)
@click.argument("count", type=click.IntRange(min=1))
@click.option(
    "--seed",
    "seed",
    type=int,
    default=0,
    show_default=True,
    help="Random seed: the same COUNT and seed give the same records.",
)
@force_option
@quiet_option
@root_option
def synth(count: int, seed: int, force: bool, root: Path, progress: Progress) -> None:
    """Add COUNT synthetic gold records (ids synth-<seed>-N) for load tests.

    Meant for scratch copies of the corpus, never for a release: the records are valid by
    construction but their text is generated. Existing records are never overwritten.

    Example: newscorpus synth 2000 --seed 1 --root /tmp/scratch
    """
    from ..dev.synth import write_synth

    try:
        written = write_synth(root, count, seed, overwrite=force, progress=progress)
    except RecordExistsError as err:
        raise click.ClickException(
            f"{err} already exists; nothing was overwritten. Use another --seed, or --force."
        ) from None
    click.echo(f"added {written} synthetic records under {root / RECORDS_DIR}")


if __name__ == "__main__":  # pragma: no cover
    main()
