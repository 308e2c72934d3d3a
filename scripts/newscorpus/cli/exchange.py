"""Exchange with annotation tools and other ecosystems: `export` and `import`, thin shells over
newscorpus.interop; newscorpus.cli registers them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..paths import RECORDS_DIR
from ..progress import Progress
from .options import CONTEXT, force_option, quiet_option, root_option


def _interop() -> Any:
    from ..interop import engine as interop

    return interop


class _FormatChoice(click.Choice):
    """The format names of an interop table, looked up only when a command needs them.

    Importing the converters pulls in the validator and spaCy; commands that never touch a
    format (a no-op build above all) should not pay for that at start-up.
    """

    def __init__(self, table: str) -> None:
        self.table = table
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(sorted(getattr(_interop(), self.table)))

    @choices.setter
    def choices(self, _value: Any) -> None:
        pass


@click.command("export", context_settings=CONTEXT)
@click.argument("fmt", type=_FormatChoice("EXPORTERS"))
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--include-drafts", is_flag=True, help="Export draft records too (default: gold only)."
)
@quiet_option
@root_option
def export(fmt: str, out: Path, include_drafts: bool, root: Path, progress: Progress) -> None:
    """Export the valid gold records to OUT in FORMAT.

    labelstudio writes a labeling config for every layer and tasks whose predictions hold the
    records' annotations, to correct in Label Studio (README: the curator loop); brat writes a
    folder of .txt/.ann pairs with annotation.conf; conll a CoNLL-2003-style
    BIO file; spacy a DocBin (OUT.spacy), or a folder OUT of one per split (train.spacy,
    validation.spacy, test.spacy: `spacy train` reads them); bigbio a JSONL file in the BigBIO
    kb schema.
    OUT must not exist yet. The mapping of each format is documented in newscorpus.interop.

    Example: newscorpus export brat exports/brat
    """
    interop = _interop()
    try:
        records, written = interop.export_corpus(fmt, root, out, include_drafts, progress)
    except interop.InvalidRecordsError as err:
        for finding in err.findings:
            click.echo(finding.format())
        raise click.ClickException(
            f"{err}; fix them (`newscorpus validate`) before exporting."
        ) from None
    except (interop.ExportError, FileExistsError) as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"exported {len(records)} record(s) as {fmt} to {out} ({len(written)} file(s))")
    if fmt == "spacy":
        click.echo("wrote " + ", ".join(str(path) for path in written))


@click.command("import", context_settings=CONTEXT)
@click.argument("fmt", type=_FormatChoice("IMPORTERS"))
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the imported records [default: <root>/corpus/records].",
)
@click.option(
    "--annotator",
    default=None,
    help="Import only this annotator's annotation (Label Studio: the user's email "
    "or labelstudio-user-<id>; doccano: the user's file name in the zip).",
)
@click.option(
    "--annotator-map",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A JSON or TOML file mapping tool accounts to annotator ids, e.g. "
    '{"admin@example.com": "newscorpus-curators"}; an e-mail never goes into a record.',
)
@click.option(
    "--annotator-id",
    default=None,
    help="The annotator id to record for the one annotator imported (guideline 11: "
    "newscorpus-curators), whatever the tool's account.",
)
@click.option(
    "--each-annotator",
    is_flag=True,
    help="Write one record per annotator, to OUT/<annotator>/<id>.json, for "
    "`newscorpus agreement`.",
)
@force_option
@root_option
def import_(
    fmt: str,
    path: Path,
    out: Path | None,
    annotator: str | None,
    annotator_map: Path | None,
    annotator_id: str | None,
    each_annotator: bool,
    force: bool,
    root: Path,
) -> None:
    """Import annotations from PATH (a FORMAT export) into the records they correct.

    Each document is matched to its record in <root>/corpus/records (by id, file stem or
    identical text) and keeps the record's text, passages, split and source. Ids of unchanged
    items are kept; layers the format cannot carry are kept from the record. Nothing is
    written if any document has an error, or if replacing a record would lose work (the
    finding lists it: removed quotes, undone coreference merges, gold to draft, ...) unless
    --force, which keeps each replaced file as a backup. Exit status: 0 when there is no
    error (warnings allowed), 1 otherwise, 2 usage error.

    A Label Studio export made from another version of the record (its tasks' fingerprint
    is not the record's) is matched by content and refused if it would change the record,
    with the list of changes, unless --force. Tool accounts become annotator ids through
    --annotator-map or --annotator-id; an e-mail address is refused.

    Example: newscorpus import labelstudio export.json --annotator-map annotators.toml
    """
    if not (root / RECORDS_DIR).is_dir():
        raise click.UsageError(f"no {RECORDS_DIR} folder under {root}; is --root the corpus root?")
    if each_annotator and out is None:
        raise click.UsageError("--each-annotator needs --out DIR (one folder per annotator)")
    if each_annotator and annotator_id is not None:
        raise click.UsageError(
            "--annotator-id names one annotator; with --each-annotator use --annotator-map FILE"
        )
    interop = _interop()
    options = interop.ImportOptions(
        annotator=annotator,
        each_annotator=each_annotator,
        annotator_ids=_annotator_map(interop, annotator_map),
        annotator_id=annotator_id,
    )
    outcome = interop.import_documents(fmt, path, root, out or root / RECORDS_DIR, force, options)
    for finding in outcome.report.findings:
        click.echo(finding.format())
    for target in outcome.written:
        click.echo(f"imported {target}")
    for target in outcome.unchanged:
        click.echo(f"unchanged {target}")
    for backup in outcome.backups:
        click.echo(f"kept the previous version as {backup}")
    report = outcome.report
    click.echo(
        f"{len(outcome.written)} record(s) written, {len(outcome.unchanged)} unchanged, "
        f"{len(outcome.skipped)} document(s) not written: {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s)"
    )
    sys.exit(0 if report.valid else 1)


def _annotator_map(interop: Any, path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        return dict(interop.load_annotator_map(path))
    except interop.AnnotatorMapError as err:
        raise click.BadParameter(str(err), param_hint="--annotator-map") from None
