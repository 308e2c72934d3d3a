"""`newscorpus adjudicate`: two annotations of one article become one record, decision by
decision, with the agreement of the two kept in its annotation block.

Items the two agree on (matched by content, as `agreement` matches them) are kept; every
disagreement is a numbered Decision (plan, layers, events),
made in the terminal or in a decisions file, a JSON file that can be reviewed and committed:

    {"adjudication": 1, "a": {"path": ..., "fingerprint": ...}, "b": {...},
     "decisions": [{"number": 1, "layer": "mentions", "kind": "boundary", "a": ..., "b": ...,
                    "context_a": ..., "context_b": ..., "choice": null}, ...]}

A decision is made by setting its `choice` to "a" or "b". The file names the two records by
their fingerprints, so a file made for other versions of them is refused. The adjudicated
record (apply) is canonical with ids given in reading order (it is a new record);
choosing A for every decision gives A's annotations back, B for every decision B's. The
result is validated and marked gold when it passes the gold gates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import AdjudicationError, AgreementError, NewscorpusError
from ...findings import ERROR, Finding
from ...fsutil import read_regular, write_atomic
from ...interop.finish import fingerprint
from ...jsonio import dumps, load_json
from ...labels import SCHEMA_VERSION
from ...model import AdjudicationRound, Annotation, LayerAgreement, Record
from ...paths import shown_path
from ...validate.run import validate_record
from ..agreement import LAYERS, agreement
from ..evaluate import sound_record
from .apply import Adjudication, assemble, plan

FORMAT = 1
ROUND = 6


@dataclass
class Session:
    """Two records, their agreement and the decisions between them."""

    a: Record
    b: Record
    shown: tuple[str, str]
    figures: dict[str, Any]
    adjudication: Adjudication
    record: Record | None = None
    findings: list[Finding] = field(default_factory=list)
    not_gold: list[str] = field(default_factory=list)

    @property
    def decisions(self) -> list[Any]:
        return self.adjudication.decisions

    def undecided(self) -> list[int]:
        return [d.number for d in self.decisions if d.choice not in ("a", "b")]


def open_session(a: Path, b: Path, root: Path) -> Session:
    """Read and compare two record files; raises AdjudicationError naming what is wrong."""
    first = sound_record(a, root, AdjudicationError)
    second = sound_record(b, root, AdjudicationError)
    try:
        figures = agreement(first, second)
    except AgreementError as err:
        raise AdjudicationError(f"{shown_path(a, root)} and {shown_path(b, root)}: {err}") from None
    shown = (shown_path(a, root), shown_path(b, root))
    return Session(first, second, shown, figures, plan(first, second))


# --- the decisions file -----------------------------------------------------------------------


def decisions_document(session: Session) -> dict[str, Any]:
    return {
        "adjudication": FORMAT,
        "a": {"path": session.shown[0], "fingerprint": fingerprint(session.a)},
        "b": {"path": session.shown[1], "fingerprint": fingerprint(session.b)},
        "decisions": [d.to_dict() for d in session.decisions],
    }


def write_decisions(session: Session, path: Path, *, force: bool = False) -> Path | None:
    """Write the decisions file; an existing one is replaced only with `force` (backup kept)."""
    text = json.dumps(decisions_document(session), indent=2, ensure_ascii=False) + "\n"
    return write_atomic(path, text, overwrite=force)


def read_decisions(session: Session, path: Path, root: Path) -> None:
    """Take the choices of a decisions file; raises AdjudicationError on a file that does not
    belong to these two records or holds anything but "a", "b" or null as a choice."""
    shown = shown_path(path, root)
    try:
        document = load_json(read_regular(path), shown, "a decisions file")
    except NewscorpusError as err:
        raise AdjudicationError(
            f"not a decisions file: {err}; or write a fresh one by running adjudicate "
            "with --decisions naming a file that does not exist"
        ) from None
    if not isinstance(document, dict) or document.get("adjudication") != FORMAT:
        raise AdjudicationError(
            f'{shown}: not a decisions file (no "adjudication": {FORMAT} at /adjudication)'
        )
    expected = decisions_document(session)
    for side in ("a", "b"):
        stated = (document.get(side) or {}).get("fingerprint")
        if stated != expected[side]["fingerprint"]:
            raise AdjudicationError(
                f"{shown}: /{side}/fingerprint: the decisions were made for another version of "
                f"{side.upper()} ({expected[side]['path']} changed since, or A and B were "
                "swapped); write a fresh decisions file to another name and carry the choices over"
            )
    rows = document.get("decisions")
    if not isinstance(rows, list) or len(rows) != len(expected["decisions"]):
        raise AdjudicationError(
            f"{shown}: /decisions: expected a list of {len(expected['decisions'])} decisions; "
            "decisions are made by setting `choice`, never by adding or removing entries"
        )
    for index, (row, decision) in enumerate(zip(rows, session.decisions, strict=True)):
        pointer = f"/decisions/{index}"
        if not isinstance(row, dict) or any(
            row.get(key) != value
            for key, value in decision.to_dict().items()
            if key in ("number", "layer", "kind", "a", "b")
        ):
            raise AdjudicationError(
                f"{shown}: {pointer}: this is not decision {decision.number} "
                f"({decision.layer}: {decision.kind}); only `choice` may be edited"
            )
        choice = row.get("choice")
        if choice not in ("a", "b", None):
            raise AdjudicationError(
                f'{shown}: {pointer}/choice: {json.dumps(choice)} is not a choice; set "a" '
                "for A's version, \"b\" for B's, or null to leave it open"
            )
        decision.choice = choice


# --- the adjudicated record --------------------------------------------------------------------


def _figures(figures: dict[str, Any]) -> list[LayerAgreement]:
    rows: list[LayerAgreement] = []
    for layer in LAYERS:
        exact = figures[layer]["exact"]
        rows.append(
            {
                "layer": layer,
                "precision": round(exact["precision"], ROUND),
                "recall": round(exact["recall"], ROUND),
                "f1": round(exact["f1"], ROUND),
                "a": int(exact["a"]),
                "b": int(exact["b"]),
            }
        )
    return rows


def annotation_block(session: Session, adjudicator: str | None, status: str) -> Annotation:
    """Both sides' annotators, the rounds of adjudication before, and this round's figures."""
    first, second = session.a["annotation"], session.b["annotation"]
    annotators = list(dict.fromkeys([*first["annotators"], *second["annotators"]]))
    this_round: AdjudicationRound = {
        "a": list(first["annotators"]),
        "b": list(second["annotators"]),
        "adjudicator": adjudicator,
        "decisions": len(session.decisions),
        "tokens": int(session.figures["tokens"]),
        "kappa": round(session.figures["kappa"], ROUND),
        "agreement": _figures(session.figures),
    }
    versions = sorted(
        {v for v in (first["guidelines_version"], second["guidelines_version"]) if v},
        key=lambda v: [int(x) if x.isdigit() else x for x in v.split(".")],
    )
    notes = list(dict.fromkeys(n for n in (first["notes"], second["notes"]) if n))
    return {
        "annotators": annotators,
        "adjudication": [
            *first.get("adjudication", []),
            *second.get("adjudication", []),
            this_round,
        ],
        "guidelines_version": versions[-1] if versions else None,
        "status": status,
        "notes": "\n".join(notes) or None,
    }


def adjudicated(session: Session, adjudicator: str | None, root: Path, out: Path) -> bool:
    """Make the record (every decision made), validate it, and mark it gold when it passes
    the gold gates and names its adjudicator, else draft (`session.not_gold` says why).
    Returns True when it is valid; `session.findings` holds what the validator found."""
    from ...canonical import canonicalize

    undecided = session.undecided()
    if undecided:
        raise AdjudicationError(f"decision(s) {_numbers(undecided)} not made yet")
    record = assemble(session.adjudication)
    record["schema_version"] = SCHEMA_VERSION
    shown = shown_path(out, root)
    record["annotation"] = annotation_block(session, adjudicator, "gold")
    record = canonicalize(record)
    findings = validate_record(record, file=shown, root=root, stem=out.stem)
    session.not_gold = [f.message for f in findings if f.code.startswith("gold-")]
    if adjudicator is None:
        session.not_gold.append("no adjudicator is named (--adjudicator ID)")
    if session.not_gold:
        record["annotation"]["status"] = "draft"
        findings = validate_record(record, file=shown, root=root, stem=out.stem)
    session.record, session.findings = record, findings
    return not [f for f in findings if f.severity == ERROR]


def write_record(session: Session, out: Path, *, force: bool) -> Path | None:
    assert session.record is not None
    return write_atomic(out, dumps(session.record), overwrite=force)


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:20])
    return shown + (f" and {len(numbers) - 20} more" if len(numbers) > 20 else "")
