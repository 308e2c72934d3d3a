"""The curator's commands: show a record, re-anchor it onto a corrected seed, measure
agreement, see what changed between two states of the corpus, release a version. Thin shells
like the rest of the CLI; newscorpus.cli registers them."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..paths import RECORDS_DIR
from .options import CONTEXT, force_option, jobs_option, root_option

if TYPE_CHECKING:
    from ..model import Record


@click.command(context_settings=CONTEXT)
@click.argument("doc_id", metavar="ID")
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write a self-contained HTML page of every layer to FILE instead of the terminal view.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace FILE if it exists (never a record or a seed, which are refused).",
)
@root_option
def show(doc_id: str, html_file: Path | None, force: bool, root: Path) -> None:
    """Show the record ID with its annotations: mentions coloured by label with their entity,
    quotes with their speaker, events with arguments and modality, and relations; above them
    every field a reviewer checks (status, guidelines, annotators, notes, source metadata with
    what was inferred and from what, topics, countries, unconfirmed suggestions).

    In the text: [mention]LABEL entity, «quote»id, {cue}, <trigger>event. A record with
    validation errors is still shown, with the count of errors.

    Example: newscorpus show 000_1b05e77db752fde4 --html /tmp/000.html
    """
    from rich.console import Console
    from rich.text import Text

    from ..curate.show import terminal_view
    from ..curate.show.html import html_page, write_page
    from ..outputs import encodable
    from ..validate import load_record

    found, errors = load_record(root, doc_id)
    record: Record
    record, replaced = encodable(found)
    if replaced:
        click.echo(f"note: {replaced} lone surrogate(s) shown as U+FFFD; see `validate`", err=True)
    if html_file is not None:
        kept = write_page(root, html_file, html_page(record, errors), force=force)
        click.echo(f"wrote {html_file}" + (f" (the previous file is {kept})" if kept else ""))
        return
    stream = sys.stdout  # (click.get_text_stream is deprecated since click 8.5)
    # A terminal sets its own width; pipes and logs get $COLUMNS or 110, so output does not
    # depend on what the process happens to inherit.
    columns = os.environ.get("COLUMNS", "")
    width = None if stream.isatty() else int(columns) if columns.isdigit() else 110
    console = Console(file=stream, highlight=False, width=width)
    for part in terminal_view(record, errors):
        console.print(part, soft_wrap=isinstance(part, Text))


@click.command(context_settings=CONTEXT)
@click.argument("doc_id", metavar="ID")
@click.argument("new_seed", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@force_option
@root_option
def reanchor(doc_id: str, new_seed: Path, force: bool, root: Path) -> None:
    """Move the annotations of record ID onto NEW_SEED, a publisher's corrected article.

    The new version is ingested (copied into seeds/ under a free name if it is elsewhere;
    no seed is ever replaced) and every span is moved by aligning the old and the new text.
    Spans whose text changed or vanished are listed with old and new text, and so is
    everything removed with a vanished span; then the record is back to draft for review.
    Without --force this is a preview: the report is printed and nothing is written. With
    --force the record is rewritten atomically and the previous version is kept as
    <ID>.json.bak (then <ID>.json.2.bak, ...).

    Example: newscorpus reanchor 000_1b05e77db752fde4 ~/corrected/000_article_v2.txt --force
    """
    from ..curate.reanchor import reanchor_file

    done = reanchor_file(root, doc_id, new_seed, force=force)
    report = done.report
    for line in report.lines():
        click.echo(line)
    counts = (
        f"{report.moved} span(s) moved unchanged, {len(report.changes)} changed or vanished, "
        f"{len(report.removals)} removal(s); status {done.record['annotation']['status']}"
    )
    if not done.written:
        click.echo(f"would re-anchor {RECORDS_DIR / done.path.name} to {done.seed_path}: {counts}")
        click.echo(
            f"preview only: {RECORDS_DIR / done.path.name} was not changed; re-run "
            "with --force to write it (the previous version is kept as a backup)"
        )
        return
    click.echo(
        f"re-anchored {RECORDS_DIR / done.path.name} to {done.seed_path}: {counts}"
        + (f"; previous version in {RECORDS_DIR / done.backup.name}" if done.backup else "")
    )


@click.command(context_settings=CONTEXT)
@click.argument("a", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("b", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@root_option
def agreement(a: Path, b: Path, as_json: bool, root: Path) -> None:
    """Agreement of two annotations (record files A and B) of the same text.

    A is the reference: precision = matched / |B|, recall = matched / |A|. Per layer and per
    label, exact and overlap matching: mentions by offsets and label; entities as clusters
    (B-cubed); quotes by content spans and speaker; events by trigger and type, with their
    arguments; relations by type, head and tail. Plus Cohen's kappa on token BIO tags of the
    named mentions. --json also holds every figure of `newscorpus evaluate` for B scored
    against A (`scorer`). Exit 1 when the records annotate different texts. Paths are shown
    relative to --root.

    Example: newscorpus agreement annotator1/000.json annotator2/000.json --json
    """
    import json

    from ..curate.agreement import compare_files, render_text

    result = compare_files(a, b, root)
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(f"A = {result['a']}\nB = {result['b']}")
        for line in render_text(result):
            click.echo(line)


@click.command(context_settings=CONTEXT)
@click.argument(
    "paths", nargs=-1, metavar="[GOLD] PRED", type=click.Path(exists=True, path_type=Path)
)
@click.option(
    "--split",
    metavar="SPLIT",
    help="Score the gold documents of one split only (a split of schema/labels.json: train, "
    "validation or test).",
)
@click.option(
    "--baseline", is_flag=True, help="Score the `add --suggest` gazetteer baseline; no PRED."
)
@click.option("--json", "as_json", is_flag=True, help="Print every figure and finding as JSON.")
@root_option
def evaluate(
    paths: tuple[Path, ...], split: str | None, baseline: bool, as_json: bool, root: Path
) -> None:
    """Score a system's predictions PRED against GOLD, layer by layer and label by label.

    GOLD (default: the gold records of corpus/records under --root, what a build publishes)
    is a folder of records or a record file, or documents rows (Parquet). PRED is in any
    shape the dataset publishes (rows of ner, mentions, quotes, events, relations or
    documents; or records), in JSON, JSONL or Parquet, labels as names or ClassLabel
    integers, a file or a folder; the command says which shape it read. Figures:
    SemEval-2013 span schemes and seqeval entity F1 for mentions and NER; MUC, B-cubed,
    CEAF-e and their mean for coreference; content overlap, attribution and speaker accuracy
    for quotes; ACE-style triggers and arguments, and modality accuracy, for events; typed
    directed relations. A layer PRED lacks is not evaluated. Bad predictions are findings
    (exit 1) and are left out of the scores.

    Example: newscorpus evaluate predictions.jsonl --json
    """
    import json

    from .. import labels
    from ..curate.evaluate.report import render_findings, render_read, render_text, run

    if split is not None and split not in labels.SPLITS:  # the root's labels: read them here
        choices = ", ".join(map(repr, labels.SPLITS))
        raise click.BadParameter(f"{split!r} is not one of {choices}.", param_hint="'--split'")
    if len(paths) > (1 if baseline else 2) or (not paths and not baseline):
        raise click.UsageError("give PRED, or GOLD and PRED (with --baseline: at most GOLD)")
    gold = paths[0] if len(paths) == 2 or (baseline and paths) else None
    pred = None if baseline else paths[-1]
    result = run(root, gold, pred, split)
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        for line in render_text(result) + render_read(result) + render_findings(result):
            click.echo(line)
    if not result["valid"]:
        raise click.exceptions.Exit(1)


@click.command("diff", context_settings=CONTEXT)
@click.argument("old", metavar="[A]", required=False)
@click.argument("new", metavar="[B]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the changes and counts as JSON.")
@root_option
def diff(old: str | None, new: str | None, as_json: bool, root: Path) -> None:
    """What changed in the annotations from A to B, article by article and layer by layer.

    A and B are git revisions (HEAD~1, a tag, a commit) or folders (a corpus root, or a
    folder of record files); A defaults to HEAD and B to the working tree. Items are matched
    by content, never by id: renumbering ids or reordering lists is no change. A corrected
    text is followed as `reanchor` follows it (a span that moves with the text is not a
    change); coreference is compared by membership (entities merged, split, mentions moved).
    Ends with a summary (added, removed, changed per layer) and the change of each label's
    count.

    Exit status: 0 when there is no difference, 1 when there is one (like `git diff
    --exit-code`), 2 for a usage error or input that cannot be read.

    Example: newscorpus diff v0.1.0 HEAD --json
    """
    import json

    from ..curate.diff import diff_corpus
    from ..curate.diff.render import render
    from ..errors import DiffError

    try:
        result = diff_corpus(root, old, new)
    except DiffError as err:  # exit 2, since 1 means "there is a difference"
        click.echo(f"Error: {err}", err=True)
        raise click.exceptions.Exit(2) from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        for line in render(result):
            click.echo(line)
    raise click.exceptions.Exit(1 if result.different else 0)


@click.command(context_settings=CONTEXT)
@click.argument("version")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check the tree and the version, print the changelog entry; no build, nothing written.",
)
@jobs_option
@root_option
def release(version: str, dry_run: bool, jobs: int, root: Path) -> None:
    """Release VERSION of the data: checked, described in CHANGELOG.md, committed, tagged.

    Refused unless the tree is clean, VERSION fits the change since the previous release tag
    (semantic versioning for data, README: major for an incompatible schema or label change,
    minor for articles added or removed or an extended schema, patch for corrections only),
    the records validate and `build --check` passes. Then the CHANGELOG.md entry is written
    from `diff` against the previous tag, the version is set in schema/dataset.json, the card
    and Croissant are rebuilt with it, and all of it is committed and tagged vVERSION.

    Example: newscorpus release 0.2.0 --dry-run
    """
    from ..curate.changelog import changelog_entry
    from ..curate.release import plan_release
    from ..curate.release import release as run_release

    if dry_run:
        plan = plan_release(root, version)
        click.echo(f"{version} fits: {plan.kind} ({plan.why})\n")
        entry = changelog_entry(
            version, "unreleased", plan.previous_tag, plan.diff, plan.definitions
        )
        click.echo(entry, nl=False)
        return
    done = run_release(root, version, jobs=jobs)
    if done.plan is None:
        click.echo(
            f"finished the interrupted release of {version}: tag v{version} (commit {done.commit})"
        )
        return
    plan = done.plan
    click.echo(
        f"released {version} as tag {plan.tag} (commit {done.commit}): "
        f"{plan.kind}, {plan.why}; the entry is in {done.changelog.name}"
    )
