"""Validation findings as data: a stable code, a severity, a place and a hint.

CODES is the catalogue: every code the validator can emit, its level, severity and what it
catches. Documentation and tests read it; nothing emits a code that is not listed here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # not a problem of the data: a check that could not run, and why

# code: (level, severity, what it catches)
CODES: dict[str, tuple[str, str, str]] = {
    # level 1: file
    "file-unreadable": ("file", ERROR, "the file cannot be read (missing, no permission)"),
    "file-not-regular": (
        "file",
        ERROR,
        "a FIFO, device, folder or symbolic link where a record or seed file should be",
    ),
    "file-not-utf8": ("file", ERROR, "the bytes are not valid UTF-8"),
    "file-bom": ("file", ERROR, "the file starts with a byte-order mark"),
    "file-crlf": ("file", ERROR, "the file has CR or CRLF line ends instead of LF"),
    "json-invalid": ("file", ERROR, "not well-formed JSON (truncated, stray comma, ...)"),
    "json-too-deep": ("file", ERROR, "the JSON nests deeper than any record can"),
    "json-duplicate-key": ("file", ERROR, "an object repeats a key; JSON readers keep only one"),
    "json-nonfinite-number": ("file", ERROR, "NaN or Infinity, which strict JSON does not allow"),
    "json-huge-integer": ("file", ERROR, "an integer beyond 2**53, which many JSON readers lose"),
    "json-not-object": ("file", ERROR, "the top-level JSON value is not an object"),
    # level 2: JSON Schema (one code per schema keyword that failed)
    "schema-required": ("schema", ERROR, "a required property is missing"),
    "schema-additional-properties": ("schema", ERROR, "a property the schema does not know"),
    "schema-type": ("schema", ERROR, "a value of the wrong JSON type"),
    "schema-enum": ("schema", ERROR, "a label that is not in the inventory"),
    "schema-pattern": ("schema", ERROR, "an id, hash, path or code of the wrong form"),
    "schema-minimum": ("schema", ERROR, "a negative offset or count"),
    "schema-min-length": ("schema", ERROR, "an empty string where text is required"),
    "schema-min-items": ("schema", ERROR, "an empty list where at least one item is required"),
    "schema-unique-items": ("schema", ERROR, "a document label listed twice"),
    "schema-one-of": ("schema", ERROR, "a value that is neither null nor the expected object"),
    "schema-other": ("schema", ERROR, "any other JSON Schema violation"),
    # level 3: text and spans
    "string-surrogate": ("spans", ERROR, "a lone UTF-16 surrogate, which UTF-8 cannot encode"),
    "string-control-character": (
        "spans",
        ERROR,
        "a control or bidirectional-override character, which terminals and readers obey",
    ),
    "text-not-nfc": ("spans", ERROR, "the text is not in Unicode NFC"),
    "text-bom": ("spans", ERROR, "the text contains a byte-order mark"),
    "text-crlf": ("spans", ERROR, "the text contains a CR character"),
    "passage-tiling": ("spans", ERROR, "passages overlap, are unordered or leave text uncovered"),
    "span-out-of-range": ("spans", ERROR, "an offset beyond the text, or start after end"),
    "span-empty": ("spans", ERROR, "a zero-length span"),
    "span-text-mismatch": ("spans", ERROR, "the span's text is not text[start:end]"),
    "span-whitespace": ("spans", ERROR, "the span starts or ends with whitespace"),
    "span-crosses-passage": ("spans", ERROR, "the span is not inside a single passage"),
    "quote-content-overlap": ("spans", ERROR, "parts of one quote that overlap or are unordered"),
    "mention-token-boundary": ("spans", ERROR, "a mention that does not start and end on tokens"),
    "mention-crosses-sentence": (
        "spans",
        ERROR,
        "a named mention cut by a sentence break, which the NER view cannot tag",
    ),
    "mention-duplicate": ("spans", ERROR, "two mentions with the same offsets"),
    "mention-overlap": ("spans", ERROR, "named mentions that overlap (the NER view is flat)"),
    # level 4: references
    "id-duplicate": ("references", ERROR, "an id used twice in one record"),
    "id-file-mismatch": ("references", ERROR, "the record id differs from the file name"),
    "id-case-collision": (
        "references",
        ERROR,
        "two record ids of one folder that differ only in case (one file on macOS, Windows)",
    ),
    "text-duplicate": (
        "references",
        ERROR,
        "two records of one folder with the same text (one article in two splits leaks)",
    ),
    "ref-unresolved": ("references", ERROR, "a reference to an id that does not exist"),
    "entity-label-mismatch": ("references", ERROR, "a mention's label differs from its entity's"),
    "entity-unused": ("references", ERROR, "an entity that no mention refers to"),
    "quote-speaker-mismatch": ("references", ERROR, "a quote's source mention is not its speaker"),
    "role-not-allowed": ("references", ERROR, "an argument role the event type does not allow"),
    "event-time-label": ("references", ERROR, "an event's time mention is not a DATE or TIME"),
    "event-cluster-type": ("references", ERROR, "coreferent events of different types"),
    "relation-argument-label": ("references", ERROR, "a relation head or tail of a wrong label"),
    "relation-self": ("references", ERROR, "a relation from an entity to itself"),
    "relation-cycle": ("references", ERROR, "PART_OF or MEMBER_OF relations that form a cycle"),
    "relation-duplicate": ("references", ERROR, "the same relation stated twice"),
    "relation-evidence": ("references", ERROR, "evidence that mentions neither head nor tail"),
    "gold-without-annotator": ("references", ERROR, "a gold record that names no annotator"),
    "gold-with-suggestion": ("references", ERROR, "a gold record with unconfirmed suggestions"),
    "gold-guidelines-version": (
        "references",
        ERROR,
        "a gold record that does not name the current guidelines version",
    ),
    "gold-without-topics": ("references", ERROR, "a gold record without topics"),
    "annotator-email": (
        "references",
        ERROR,
        "an annotator named by an e-mail address rather than an annotator id",
    ),
    # level 5: provenance
    "seed-missing": ("provenance", ERROR, "the seed file named by the record does not exist"),
    "seed-sha256-mismatch": ("provenance", ERROR, "the seed's bytes changed since ingestion"),
    "text-seed-mismatch": ("provenance", ERROR, "the text is not what ingesting the seed gives"),
    # level 6: consistency
    "label-inconsistent": ("consistency", WARNING, "one surface form annotated with two labels"),
    "entity-split-name": (
        "consistency",
        WARNING,
        "one named surface form in two entities of the same label",
    ),
    "entity-split-abbreviation": (
        "consistency",
        WARNING,
        "a name and its abbreviation in parentheses in two entities",
    ),
    "unannotated-occurrence": (
        "consistency",
        WARNING,
        "a named surface form annotated in one place but not in another",
    ),
    "record-not-canonical": (
        "consistency",
        WARNING,
        "a layer not in reading order, or keys not in the schema's order (newscorpus fmt)",
    ),
    "promise-without-event": (
        "consistency",
        WARNING,
        "a quote whose cue is a promise verb, with no PROMISE event on that cue (guideline 6.4)",
    ),
    "facility-unannotated": (
        "consistency",
        WARNING,
        "a capitalised name ending in House, Hall, Airport, Bridge, Stadium or Tower, not "
        "annotated (guideline 3.6)",
    ),
    # checks that could not run on a broken record (the errors that stopped them are listed)
    "spans-skipped": ("spans", NOTE, "span checks not run: the record's shape is broken"),
    "references-skipped": (
        "references",
        NOTE,
        "reference checks not run: the record's shape is broken",
    ),
    "provenance-skipped": (
        "provenance",
        NOTE,
        "provenance not checked: the record's shape or its source block is broken",
    ),
    "consistency-skipped": (
        "consistency",
        NOTE,
        "consistency not checked: the record's shape, text or passages are broken",
    ),
    # import: `newscorpus import` (Label Studio, doccano, brat); not a validation level
    "import-input-invalid": ("import", ERROR, "an export file or line that cannot be parsed"),
    "import-document-unmatched": (
        "import",
        ERROR,
        "a document that matches no record (by id, file stem or text), or half a brat pair",
    ),
    "import-text-mismatch": ("import", ERROR, "the document text differs from the record's text"),
    "import-span-mismatch": (
        "import",
        ERROR,
        "offsets outside the text, inside a character, or not slicing the span's stated text",
    ),
    "import-span-discontinuous": ("import", ERROR, "a discontinuous span where one is expected"),
    "import-unknown-label": ("import", ERROR, "a label, role or attribute not in the inventory"),
    "import-reference-unresolved": ("import", ERROR, "a link to a region that does not exist"),
    "import-no-annotations": ("import", WARNING, "a task without annotations; nothing imported"),
    "import-several-annotations": (
        "import",
        WARNING,
        "several annotations and no --annotator or --each-annotator; the last is used",
    ),
    "import-annotation-skipped": (
        "import",
        WARNING,
        "an annotation cancelled (skipped) in the tool; not imported",
    ),
    "import-span-unchecked": (
        "import",
        ERROR,
        "a region without its text, so its offsets cannot be verified",
    ),
    "import-relation-direction": (
        "import",
        ERROR,
        "a relation drawn both ways where the type has a head and a tail",
    ),
    "import-document-duplicate": (
        "import",
        ERROR,
        "two documents of one export that would write the same record file",
    ),
    "import-would-lose": (
        "import",
        ERROR,
        "importing over a record would drop work (items, merges, labels, gold status)",
    ),
    "import-record-exists": ("import", ERROR, "the output file exists (use --force to replace it)"),
    "import-stale-export": (
        "import",
        ERROR,
        "an export made from another version of the record, whose import would change it",
    ),
    "import-unmapped": ("import", WARNING, "a part of the export that the importer does not map"),
    "import-entity-name-conflict": (
        "import",
        WARNING,
        "mentions of one entity given different names in the tool; the first is kept",
    ),
    "import-json-min-incomplete": (
        "import",
        ERROR,
        "new regions in a JSON_MIN export, which drops their per-region values and links",
    ),
    "import-annotator-unmapped": (
        "import",
        ERROR,
        "an annotator account that is an e-mail address and maps to no annotator id",
    ),
    "import-nothing": ("import", ERROR, "a non-empty export from which nothing was imported"),
    "import-record-damaged": (
        "import",
        ERROR,
        "the record an import would merge into has a broken shape (a layer missing, null, ...)",
    ),
    "import-limit": (
        "import",
        ERROR,
        "an export beyond a stated limit (total size, member count, a file's size)",
    ),
    # evaluate: `newscorpus evaluate`, findings about predictions; not a validation level
    "evaluate-input-invalid": (
        "evaluate",
        ERROR,
        "a prediction file, line or object that is neither a record nor a row of a config",
    ),
    "evaluate-input-mixed": (
        "evaluate",
        ERROR,
        "a prediction of another shape than the first (records, documents rows, layer rows)",
    ),
    "evaluate-document-unmatched": (
        "evaluate",
        ERROR,
        "a prediction whose id matches no gold document (or no ner row of it)",
    ),
    "evaluate-document-duplicate": (
        "evaluate",
        ERROR,
        "a document or ner row predicted twice; only the first is scored",
    ),
    "evaluate-document-missing": (
        "evaluate",
        WARNING,
        "a gold document, layer or ner row without a prediction; scored as predicting nothing",
    ),
    "evaluate-text-mismatch": (
        "evaluate",
        ERROR,
        "a prediction whose text is not the gold text; scored as predicting nothing",
    ),
    "evaluate-span-mismatch": (
        "evaluate",
        ERROR,
        "offsets that are not integers, lie outside the text or do not slice the stated text",
    ),
    "evaluate-unknown-label": (
        "evaluate",
        ERROR,
        "a label, type, role, modality or tag that is not in the inventory",
    ),
    "evaluate-reference-unresolved": (
        "evaluate",
        ERROR,
        "a reference to a mention or entity that the prediction does not give",
    ),
    "evaluate-tokens-mismatch": (
        "evaluate",
        ERROR,
        "a ner row whose tokens or number of tags differ from the gold row's",
    ),
}

LEVELS = ("file", "schema", "spans", "references", "provenance", "consistency")


@dataclass(frozen=True)
class Finding:
    code: str
    file: str
    record: str | None
    pointer: str
    message: str
    hint: str
    severity: str = field(default="")

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown finding code {self.code!r}")
        if not self.severity:
            object.__setattr__(self, "severity", CODES[self.code][1])

    @property
    def level(self) -> str:
        return CODES[self.code][0]

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, **asdict(self)}

    def format(self) -> str:
        where = f"{self.file}:{self.pointer or '/'}"
        record = f" (record {self.record})" if self.record else ""
        head = f"{where}: {self.severity} [{self.code}]{record} {self.message}"
        return f"{head}\n    fix: {self.hint}"


class Findings(list[Finding]):
    """The one way findings are made and collected: every validation level, every importer
    and evaluate's input readers add to one of these.

    A collector belongs to one file and the record (or document) in it, and stamps each
    finding it makes with both; `add` keeps the finding, `finding` only makes it, for code
    that hands one back. It is a list of its findings, so it is iterated, extended, sorted
    and tested for emptiness as one, and it says which of them are errors or warnings.
    """

    def __init__(
        self, file: str = "", record: str | None = None, found: Iterable[Finding] = ()
    ) -> None:
        super().__init__(found)
        self.file = file
        self.record = record

    def finding(
        self,
        code: str,
        where: str,
        message: str,
        hint: str,
        *,
        file: str | None = None,
        record: str | None = None,
    ) -> Finding:
        """A finding at JSON pointer (or line) `where` of this collector's file and record
        (or the `file` and `record` given), not collected."""
        return Finding(
            code,
            self.file if file is None else file,
            self.record if record is None else record,
            where,
            message,
            hint,
        )

    def add(
        self,
        code: str,
        where: str,
        message: str,
        hint: str,
        *,
        file: str | None = None,
        record: str | None = None,
    ) -> Finding:
        """Make a finding (see `finding`) and keep it."""
        made = self.finding(code, where, message, hint, file=file, record=record)
        self.append(made)
        return made

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self if f.severity == WARNING]

    @property
    def notes(self) -> list[Finding]:
        return [f for f in self if f.severity == NOTE]

    @property
    def codes(self) -> set[str]:
        return {f.code for f in self}


@dataclass
class Report:
    """The findings of a run over many files (each finding names its own), and how many files
    it checked."""

    findings: Findings = field(default_factory=Findings)
    files: int = 0

    @property
    def errors(self) -> list[Finding]:
        return self.findings.errors

    @property
    def warnings(self) -> list[Finding]:
        return self.findings.warnings

    @property
    def notes(self) -> list[Finding]:
        """Checks that did not run on some record, each with the reason."""
        return self.findings.notes

    @property
    def valid(self) -> bool:
        return not self.errors

    def extend(self, other: Report) -> None:
        self.findings.extend(other.findings)
        self.files += other.files

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "stats": {
                "files": self.files,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "skipped": len(self.notes),
            },
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def summary(self) -> str:
        verdict = "valid" if self.valid else "INVALID"
        skipped = ""
        if self.notes:
            records = len({(f.file, f.record) for f in self.notes})
            skipped = (
                f", {len(self.notes)} check level(s) not run on {records} broken record(s) "
                "(see the notes)"
            )
        return (
            f"{self.files} file(s) checked: {len(self.errors)} error(s), "
            f"{len(self.warnings)} warning(s){skipped}: {verdict}"
        )


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
