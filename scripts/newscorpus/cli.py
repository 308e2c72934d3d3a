"""The `newscorpus` command line: thin shells over library functions.

Library code raises plain domain exceptions; only this module turns them into messages and exit
codes (0 success, 1 failure or invalid data, 2 usage error). No traceback reaches a user.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .ingest import IngestError, check_id, derive_id, draft_record
from .jsonio import RecordExistsError, dumps, write_atomic
from .validate import RECORDS_DIR, validate_paths

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


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="newscorpus")
def main() -> None:
    """Grow, validate and publish the annotated news corpus.

    Example: newscorpus validate
    """


@main.command(context_settings=CONTEXT)
@click.argument("seed", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "doc_id", help="Record id (a slug); derived from the seed's name if not given.")
@click.option(
    "--suggest",
    is_flag=True,
    help="Pre-annotate: names known from gold records, and dates, money and numbers by pattern "
    '(marked "suggested": true; the record stays a draft).',
)
@root_option
def add(seed: Path, doc_id: str | None, suggest: bool, root: Path) -> None:
    """Ingest the raw article SEED as a draft record in corpus/records/.

    The seed is decoded as UTF-8, cleaned by general repair rules, split into passages and
    recorded with its sha256. A seed outside seeds/ is first copied there, byte for byte.
    An existing record is never overwritten. With --suggest, the draft gets suggested NAM
    mentions for a curator to confirm (remove "suggested") or delete.

    Example: newscorpus add seeds/001_example.txt --id 001_example --suggest
    """
    try:
        doc_id = check_id(doc_id) if doc_id is not None else derive_id(seed)
    except IngestError as err:
        raise click.BadParameter(str(err), param_hint="--id") from None
    data = seed.read_bytes()
    try:
        record = draft_record(data, f"seeds/{seed.name}", doc_id)
    except IngestError as err:
        raise click.ClickException(str(err)) from None
    suggested = None
    if suggest:
        from .suggest import load_inventory, suggest_mentions

        inventory = load_inventory(root / RECORDS_DIR, exclude=doc_id)
        record, suggested = suggest_mentions(record, inventory)
    seeds_dir = root / "seeds"
    in_seeds = seeds_dir / seed.name
    if not (in_seeds.exists() and in_seeds.resolve() == seed.resolve()):
        if in_seeds.exists():
            if hashlib.sha256(in_seeds.read_bytes()).hexdigest() != record["source"]["seed_sha256"]:
                raise click.ClickException(
                    f"seeds/{seed.name} already exists with other content; seeds are never "
                    "replaced: rename the new seed."
                )
        else:
            seeds_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(seed, in_seeds)
    target = root / RECORDS_DIR / f"{doc_id}.json"
    try:
        write_atomic(target, dumps(record))
    except RecordExistsError:
        raise click.ClickException(
            f"{RECORDS_DIR / (doc_id + '.json')} already exists; nothing was changed. "
            "Choose another --id, or delete the record first if you mean to start over."
        ) from None
    click.echo(
        f"added {RECORDS_DIR / (doc_id + '.json')} (split {record['split']}, "
        f"{len(record['passages'])} passages, draft)"
    )
    if suggested is not None:
        click.echo(
            f"suggested {suggested.total} mentions ({suggested.from_inventory} known names, "
            f"{suggested.from_patterns} values); review each and remove \"suggested\" to confirm"
        )


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@root_option
def validate(paths: tuple[Path, ...], as_json: bool, root: Path) -> None:
    """Check records level by level; by default every record in corpus/records.

    Exit status: 0 when there are no errors (warnings allowed), 1 when there are errors,
    2 for a usage error.

    Example: newscorpus validate corpus/records/000_1b05e77db752fde4.json --json
    """
    if not paths and not (root / RECORDS_DIR).is_dir():
        raise click.UsageError(f"no {RECORDS_DIR} folder under {root}; is --root the corpus root?")
    report = validate_paths(root, paths)
    if as_json:
        click.echo(report.to_json())
    else:
        for finding in report.findings:
            click.echo(finding.format())
        click.echo(report.summary())
    sys.exit(0 if report.valid else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
