"""`newscorpus edit` (annotating by phrase) and `newscorpus fmt` (the canonical form)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .options import CONTEXT, root_option

if TYPE_CHECKING:  # the editor is imported when a command runs, not with the CLI
    from ..curate.phrase import Editor
    from ..curate.phrase.find import Ref


def parse_ref(value: str) -> Ref:
    """A reference as typed on the command line (see curate.phrase.find.parse_ref)."""
    from ..curate.phrase.find import parse_ref as parse

    return parse(value)


def _phrase(text: str, nth: int | None, within: str | None) -> Ref:
    from ..curate.phrase import Phrase

    return Phrase(text, nth=nth, within=within) if nth or within else parse_ref(text)


def _editor(ctx: click.Context) -> Editor:
    """The record being edited, opened once the subcommand knows its --root."""
    from ..curate.phrase import Editor

    state = ctx.obj
    if "editor" not in state:
        roots = {r for r in (state["root"], ctx.params.get("root")) if r is not None}
        if len(roots) > 1:
            raise click.UsageError(f"--root is given twice: {' and '.join(map(str, roots))}")
        state["editor"] = Editor.open(state["doc_id"], roots.pop() if roots else Path("."))
    return state["editor"]


def _save(ctx: click.Context, made: str | None = None) -> None:
    editor = _editor(ctx)
    warnings = editor.save()
    assert editor.path is not None  # opened from its file
    name = editor.path.name
    click.echo(f"{name}: {made}" if made else f"{name}: saved")
    for finding in warnings:
        click.echo(finding.format())


def _root(func: Any) -> Any:
    """--root on `edit` and on each of its subcommands (see `_editor`)."""

    @click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Root of the corpus checkout  [default: .]",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, root: Path | None, **kwargs: Any) -> Any:
        outer = click.get_current_context().find_root().params.get("root")
        return func(*args, root=root or outer, **kwargs)

    return wrapper


_PICK = [
    click.option("--nth", type=click.IntRange(min=1), help="Which occurrence (1 = the first)."),
    click.option("--within", metavar="TEXT", help="A longer string around the phrase."),
]


def _pick(func: Any) -> Any:
    for option in reversed(_PICK):
        func = option(func)
    return func


@click.group(context_settings=CONTEXT)
@click.argument("doc_id")
@_root
@click.pass_context
def edit(ctx: click.Context, doc_id: str, root: Path | None) -> None:
    """Annotate record DOC_ID by phrase: offsets, ids and references are worked out for you.

    A REF is an id (m3, e2, ev4) or a phrase of the text: `Afzal Butt`, its 2nd occurrence
    `Afzal Butt#2`, or the one inside a longer string `He@He said`. A phrase that occurs more
    than once must say which. Each command saves at once (canonical form, validated, atomic,
    the previous file kept as <name>.bak); one that would leave the record invalid saves
    nothing. `apply FILE` runs many operations as one edit.

    Example: newscorpus edit 001_story mention "Afzal Butt" PERSON
    """
    ctx.obj = {"doc_id": doc_id, "root": root}


@edit.command(context_settings=CONTEXT)
@_root
@click.argument("phrase")
@click.argument("label")
@_pick
@click.option("--type", "kind", default="NAM", show_default=True, help="NAM, NOM or PRO.")
@click.option("--entity", help="REF of the entity it joins (else a new entity).")
@click.option("--name", help="Canonical name of a new entity (else guideline 5.2's).")
@click.pass_context
def mention(
    ctx: click.Context,
    root: Path | None,
    phrase: str,
    label: str,
    nth: int | None,
    within: str | None,
    kind: str,
    entity: str | None,
    name: str | None,
) -> None:
    """Add a mention (or confirm a suggested one).

    Example: newscorpus edit 001_story mention He PERSON --type PRO --within "He said" --entity "Afzal Butt"
    """  # noqa: E501
    ref = parse_ref(entity) if entity else None
    made = _editor(ctx).mention(
        _phrase(phrase, nth, within), label, type=kind, entity=ref, name=name
    )
    _save(ctx, f"mention {made}")


@edit.command(context_settings=CONTEXT)
@_root
@click.argument("content", nargs=-1, required=True)
@click.option("--cue", help="REF of the cue (a phrase, or the id of its speech event).")
@click.option("--source", help="REF of the source mention.")
@click.option("--type", "kind", default="direct", show_default=True, help="direct|indirect|mixed")
@click.pass_context
def quote(
    ctx: click.Context,
    root: Path | None,
    content: tuple[str, ...],
    cue: str | None,
    source: str | None,
    kind: str,
) -> None:
    """Add a quote: its content span(s) in text order, cue and source.

    Example: newscorpus edit 001_story quote "the law was passed in haste" --cue said#2 --source He@He said --type indirect
    """  # noqa: E501
    made = _editor(ctx).quote(
        [parse_ref(part) for part in content],
        cue=parse_ref(cue) if cue else None,
        source=parse_ref(source) if source else None,
        type=kind,
    )
    _save(ctx, f"quote {made}")


@edit.command(context_settings=CONTEXT)
@_root
@click.argument("event_type")
@click.argument("trigger")
@_pick
@click.option("--arg", "args", multiple=True, metavar="ROLE=REF", help="An argument; repeatable.")
@click.option("--modality", default="asserted", show_default=True)
@click.option("--time", "when", help="REF of the DATE or TIME mention that dates it.")
@click.option("--corefer", help="REF of an event (id or trigger) whose cluster it joins.")
@click.pass_context
def event(
    ctx: click.Context,
    root: Path | None,
    event_type: str,
    trigger: str,
    nth: int | None,
    within: str | None,
    args: tuple[str, ...],
    modality: str,
    when: str | None,
    corefer: str | None,
) -> None:
    """Add an event with its trigger, arguments, modality, time and cluster.

    Example: newscorpus edit 001_story event STATEMENT said --nth 2 --arg speaker=He@He said
    """
    arguments: dict[str, list[Ref]] = {}
    for item in args:
        role, sep, ref = item.partition("=")
        if not sep or not ref:
            raise click.BadParameter(f"{item!r} is not ROLE=REF", param_hint="--arg")
        arguments.setdefault(role, []).append(parse_ref(ref))
    made = _editor(ctx).event(
        event_type,
        _phrase(trigger, nth, within),
        modality=modality,
        arguments=arguments,
        time=parse_ref(when) if when else None,
        corefer=parse_ref(corefer) if corefer else None,
    )
    _save(ctx, f"event {made}")


@edit.command(context_settings=CONTEXT)
@_root
@click.argument("relation_type")
@click.argument("head")
@click.argument("tail")
@click.option("--evidence", multiple=True, metavar="REF", help="A mention stating it; repeatable.")
@click.pass_context
def relation(
    ctx: click.Context,
    root: Path | None,
    relation_type: str,
    head: str,
    tail: str,
    evidence: tuple[str, ...],
) -> None:
    """Add a relation between two entities (REFs of them or of their mentions).

    Example: newscorpus edit 001_story relation CHAIR_OF "Afzal Butt" PFUJ --evidence PFUJ --evidence "Afzal Butt"
    """  # noqa: E501
    made = _editor(ctx).relation(
        relation_type,
        parse_ref(head),
        parse_ref(tail),
        evidence=[parse_ref(ref) for ref in evidence],
    )
    _save(ctx, f"relation {made}")


@edit.command("name", context_settings=CONTEXT)
@_root
@click.argument("ref")
@click.argument("name")
@click.pass_context
def name_(ctx: click.Context, root: Path | None, ref: str, name: str) -> None:
    """Set the canonical name of an entity.

    Example: newscorpus edit 001_story name PFUJ "Pakistan Federal Union of Journalists"
    """
    _save(ctx, f"entity {_editor(ctx).name(parse_ref(ref), name)} named {name!r}")


@edit.command(context_settings=CONTEXT)
@_root
@click.argument("keep")
@click.argument("other")
@click.pass_context
def merge(ctx: click.Context, root: Path | None, keep: str, other: str) -> None:
    """Join the entity of OTHER into the entity of KEEP (coreference).

    Example: newscorpus edit 001_story merge "Imran Khan" Khan#2
    """
    _save(ctx, f"entity {_editor(ctx).merge(parse_ref(keep), parse_ref(other))}")


@edit.command(context_settings=CONTEXT)
@_root
@click.argument("ref")
@click.option("--label", help="New label (for the whole entity).")
@click.option("--type", "kind", help="NAM, NOM or PRO.")
@click.option("--entity", help="REF of the entity it moves to.")
@click.pass_context
def change(
    ctx: click.Context,
    root: Path | None,
    ref: str,
    label: str | None,
    kind: str | None,
    entity: str | None,
) -> None:
    """Change a mention's label, type or entity.

    Example: newscorpus edit 001_story change Cabinet --type NOM
    """
    made = _editor(ctx).change_mention(
        parse_ref(ref), label=label, type=kind, entity=parse_ref(entity) if entity else None
    )
    _save(ctx, f"mention {made}")


@edit.command(context_settings=CONTEXT)
@_root
@click.argument("ref")
@click.pass_context
def remove(ctx: click.Context, root: Path | None, ref: str) -> None:
    """Remove a mention, quote, event or relation by id, or a mention by its REF.

    Example: newscorpus edit 001_story remove q3 (or: remove Khan#2)
    """
    _save(ctx, f"removed {_editor(ctx).remove(parse_ref(ref))}")


@edit.command(context_settings=CONTEXT)
@_root
@click.option("--topic", "topics", multiple=True, help="A topic; repeatable (replaces all).")
@click.option("--country", "countries", multiple=True, help="An ISO 3166 code; repeatable.")
@click.pass_context
def labels(
    ctx: click.Context, root: Path | None, topics: tuple[str, ...], countries: tuple[str, ...]
) -> None:
    """Set the document labels.

    Example: newscorpus edit 001_story labels --topic media --topic politics --country PK
    """
    _editor(ctx).labels(topics=topics or None, countries=countries or None)
    _save(ctx, "labels set")


@edit.command(context_settings=CONTEXT)
@_root
@click.option("--status", type=click.Choice(["draft", "gold"]), help="draft or gold.")
@click.option(
    "--annotator", "annotators", multiple=True, metavar="ID", help="An annotator id; repeatable."
)
@click.option("--guidelines", "version", metavar="VERSION", help="The guidelines version used.")
@click.option("--notes", help='The judgment calls, with their rules ("" clears them).')
@click.pass_context
def annotation(
    ctx: click.Context,
    root: Path | None,
    status: str | None,
    annotators: tuple[str, ...],
    version: str | None,
    notes: str | None,
) -> None:
    """Set who annotated the record, by which guidelines, its status and notes (guideline 11).

    Marking a record gold checks it: no suggestion left, the current guidelines named.

    Example: newscorpus edit 001_story annotation --status gold --annotator newscorpus-curators
    --guidelines 1.2 --notes "4.3: operators is generic"
    """
    if status is None and not annotators and version is None and notes is None:
        raise click.UsageError("give --status, --annotator, --guidelines or --notes")
    _editor(ctx).annotation(
        status=status,
        annotators=annotators or None,
        guidelines_version=version,
        notes=notes,
    )
    _save(ctx, "annotation set")


@edit.command(context_settings=CONTEXT)
@_root
@click.argument("item_ids", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Confirm every suggestion of the record.")
@click.pass_context
def confirm(ctx: click.Context, root: Path | None, item_ids: tuple[str, ...], every: bool) -> None:
    """Confirm suggested items as they are (`labels` for the suggested document labels).

    Example: newscorpus edit 001_story confirm m3 m4 q1 ev2
    """
    if not item_ids and not every:
        raise click.UsageError("name the items to confirm, or give --all")
    _editor(ctx).confirm(*item_ids)
    _save(ctx, f"confirmed {', '.join(item_ids) or 'every suggestion'}")


@edit.command(context_settings=CONTEXT)
@_root
@click.pass_context
def reject(ctx: click.Context, root: Path | None) -> None:
    """Remove every suggestion still unconfirmed (one a confirmed item uses stays).

    Example: newscorpus edit 001_story reject
    """
    _editor(ctx).reject_suggestions()
    _save(ctx, "unconfirmed suggestions removed")


@edit.command(context_settings=CONTEXT)
@_root
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def apply(ctx: click.Context, root: Path | None, file: Path) -> None:
    """Run a JSON list of operations as one edit: all of them, or none.

    Each operation is an object: {"op": "mention", "phrase": "Afzal Butt", "label": "PERSON"};
    a phrase or REF is a string or {"text": ..., "nth": ..., "within": ...}; the other keys
    are the Python API's arguments (see README, "Annotating by phrase").

    Example: newscorpus edit 001_story apply ops.json
    """
    from ..curate.phrase.ops import run_operations

    made = run_operations(_editor(ctx), file)
    _save(ctx, f"{made} operation(s) applied")


@click.command(context_settings=CONTEXT)
@click.argument("doc_ids", nargs=-1)
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a record is not canonical.")
@root_option
def fmt(doc_ids: tuple[str, ...], check: bool, root: Path) -> None:
    """Put records in canonical form: every layer in reading order, keys in schema order,
    unnamed entities named by guideline 5.2. Ids are never renumbered.

    Example: newscorpus fmt --check
    """
    from ..curate.fmt import format_records

    result = format_records(root, doc_ids, check=check)
    for line in result.lines:
        click.echo(line)
    if result.failed:
        raise SystemExit(1)
