"""`newscorpus adjudicate`: two annotations of one article into one record, decision by
decision, in the terminal or through a decisions file. A thin shell over
newscorpus.curate.adjudicate; newscorpus.cli registers it."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..errors import AdjudicationError, RecordExistsError
from ..paths import RECORDS_DIR
from .options import CONTEXT, root_option


@click.command(context_settings=CONTEXT)
@click.argument("a", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("b", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the adjudicated record  [default: corpus/records/<id>.json]",
)
@click.option(
    "--decisions",
    "decisions_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A decisions file: written with every decision open when FILE does not exist, "
    "read (each `choice` set to a or b) when it does.",
)
@click.option(
    "--ask",
    is_flag=True,
    help="Ask in the terminal for every decision still open (the default without "
    "--decisions); with --decisions, the answers are saved to FILE.",
)
@click.option("--adjudicator", metavar="ID", help="The adjudicator's annotator id.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace an existing output file; the previous version is kept as <name>.bak.",
)
@root_option
def adjudicate(
    a: Path,
    b: Path,
    out: Path | None,
    decisions_file: Path | None,
    ask: bool,
    adjudicator: str | None,
    force: bool,
    root: Path,
) -> None:
    """Adjudicate two annotations (record files A and B) of one article into one record.

    What A and B agree on (matched by content, as `agreement` matches) is kept. Every
    disagreement is a numbered decision shown with both versions in context: a mention only
    one side has, a boundary or label, an entity's membership or name, a quote, event,
    argument, modality, time, coreference, relation, evidence or document label. Choose a or
    b for each, in the terminal or in a decisions file. The record is written in canonical
    form with new ids, its annotation block naming both annotators, the adjudicator and the
    agreement of A and B per layer; it is gold when it passes the gold gates. A third
    annotation is adjudicated against the result the same way.

    Example: newscorpus adjudicate ann1/doc.json ann2/doc.json --decisions doc.decisions.json
    --adjudicator curator3
    """
    from ..curate.adjudicate import adjudicated, open_session, read_decisions, write_decisions

    if adjudicator is not None and ("@" in adjudicator or not adjudicator.strip()):
        raise click.BadParameter(
            "an annotator id, not an e-mail address", param_hint="--adjudicator"
        )
    session = open_session(a, b, root)
    named = f"{session.a['id']}.json"
    if out is not None and out.name != named:  # said before any decision is asked for
        raise click.BadParameter(
            f"a record file is named by its id: write {out.with_name(named)} instead",
            param_hint="--out",
        )
    target = out if out is not None else root / RECORDS_DIR / named
    if not force and target.exists():  # said before any decision is asked for, too
        raise RecordExistsError(_exists(target))
    shown = ", ".join(session.shown)
    click.echo(f"A = {session.shown[0]}\nB = {session.shown[1]}")
    click.echo(f"{len(session.decisions)} decision(s) between {shown}")
    if decisions_file is not None and decisions_file.exists():
        read_decisions(session, decisions_file, root)
    elif decisions_file is not None and not ask:
        write_decisions(session, decisions_file)
        click.echo(
            f'wrote {decisions_file}: set each decision\'s `choice` to "a" or "b", then run '
            "the same command again"
        )
        return
    if session.undecided() and (ask or decisions_file is None):
        _ask(session, decisions_file)
    if not adjudicated(session, adjudicator, root, target):
        for finding in session.findings:
            if finding.severity == "error":
                click.echo(finding.format(), err=True)
        raise AdjudicationError(
            f"the adjudicated record would not be valid, so {target} was not written; choose "
            "differently where the findings point, or correct the record after writing it"
        )
    _finish(session, target, force)


def _ask(session: object, decisions_file: Path | None) -> None:
    """Ask for each open decision; `q` stops, saving what was decided to the decisions file."""
    from ..curate.adjudicate import Session, write_decisions

    assert isinstance(session, Session)
    started = time.monotonic()
    asked = 0
    for decision in session.decisions:
        if decision.choice in ("a", "b"):
            continue
        click.echo("")
        for line in decision.lines():
            click.echo(line)
        answer = click.prompt(
            f"choose (decision {decision.number} of {len(session.decisions)})",
            type=click.Choice(["a", "b", "q"]),
            show_choices=True,
        )
        if answer == "q":
            break
        decision.choice = answer
        asked += 1
    took = time.monotonic() - started
    click.echo(f"\n{asked} decision(s) made in {took:.0f} s")
    if decisions_file is not None:
        write_decisions(session, decisions_file, force=decisions_file.exists())
        click.echo(f"saved the choices to {decisions_file}")
    if session.undecided():
        raise AdjudicationError(
            f"{len(session.undecided())} decision(s) still open; nothing was written"
            + (f" (run again with --decisions {decisions_file} --ask)" if decisions_file else "")
        )


def _finish(session: object, target: Path, force: bool) -> None:
    from ..curate.adjudicate import Session, write_record

    assert isinstance(session, Session) and session.record is not None
    try:
        backup = write_record(session, target, force=force)
    except RecordExistsError:  # made since the check at the start
        raise RecordExistsError(_exists(target)) from None
    for note in session.adjudication.notes:
        click.echo(f"note: {note}")
    for finding in session.findings:
        click.echo(finding.format())
    status = session.record["annotation"]["status"]
    click.echo(
        f"wrote {target}: status {status}, {len(session.decisions)} decision(s)"
        + (f"; previous version in {backup}" if backup else "")
    )
    for reason in session.not_gold:
        click.echo(f"not gold: {reason}")


def _exists(target: Path) -> str:
    return (
        f"{target} exists and was left as it is: add --force to replace it (the previous "
        f"version is kept as a .bak file beside it), or write elsewhere with "
        f"--out DIR/{target.name}"
    )
