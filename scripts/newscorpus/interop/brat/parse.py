"""Reading an .ann file into its annotations, each checked against the .txt it annotates."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...findings import Finding, Findings


@dataclass
class TextBound:
    tid: str
    kind: str
    spans: list[tuple[int, int]]
    line: int


@dataclass
class Ann:
    text_bounds: dict[str, TextBound] = field(default_factory=dict)
    events: list[tuple[str, str, str, list[tuple[str, str]], int]] = field(default_factory=list)
    relations: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    attributes: list[tuple[str, str, str | None, int]] = field(default_factory=list)
    norms: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    notes: dict[str, tuple[str, int]] = field(default_factory=dict)
    equivs: list[tuple[list[str], int]] = field(default_factory=list)


class Problems(Findings):
    """The findings of one .ann file; `where` is its line number."""

    def add(
        self,
        code: str,
        where: str | int,
        message: str,
        hint: str,
        *,
        file: str | None = None,
        record: str | None = None,
    ) -> Finding:
        return super().add(code, str(where), message, hint, file=file, record=record)


def parse(ann: str, text: str, bounds: list[tuple[int, int]], out: Problems) -> Ann:
    parsed = Ann()
    for line_no, line in enumerate(ann.split("\n"), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        try:
            if fields[0].startswith("T"):
                _text_bound(parsed, fields, line_no, text, bounds, out)
            else:
                _other(parsed, fields, line_no)
        except (IndexError, ValueError) as err:
            out.add(
                "import-input-invalid",
                line_no,
                f"cannot read the line {line[:60]!r}: {err}.",
                "write the line in brat standoff form (see brat's docs)",
            )
    return parsed


def _text_bound(
    parsed: Ann,
    fields: list[str],
    line_no: int,
    text: str,
    bounds: list[tuple[int, int]],
    out: Problems,
) -> None:
    ident = fields[0]
    kind, offsets = fields[1].split(" ", 1)
    pairs = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
    if any(len(pair) != 2 for pair in pairs):
        raise ValueError("an offset pair is incomplete")
    stated = fields[2] if len(fields) > 2 else None
    spans = [(pair[0], pair[1]) for pair in pairs]
    if any(not 0 <= s < e <= len(text) for s, e in spans):
        out.add(
            "import-span-mismatch",
            line_no,
            f"{ident} has offsets outside the text (length {len(text)}).",
            "fix the offsets against the .txt",
        )
        return
    actual = " ".join(text[s:e] for s, e in spans)
    if stated is not None and actual != stated:
        out.add(
            "import-span-mismatch",
            line_no,
            f"{ident} slices {actual!r} from the .txt but says {stated!r}.",
            "the .txt changed after annotation: restore it from the record, or fix the offsets",
        )
        return
    parsed.text_bounds[ident] = TextBound(ident, kind, _join(spans, text, bounds), line_no)


def _other(parsed: Ann, fields: list[str], line_no: int) -> None:
    """An event, relation, attribute, normalization, note or Equiv line."""
    ident = fields[0]
    if ident.startswith("E"):
        head, *args = fields[1].split()
        kind, trigger = head.split(":")
        pairs = [tuple(arg.split(":")) for arg in args]
        if any(len(p) != 2 for p in pairs):
            raise ValueError("an argument is not ROLE:ID")
        parsed.events.append((ident, kind, trigger, [(p[0], p[1]) for p in pairs], line_no))
    elif ident.startswith("R"):
        kind, arg1, arg2 = fields[1].split()
        parsed.relations.append(
            (ident, kind, arg1.split(":", 1)[1], arg2.split(":", 1)[1], line_no)
        )
    elif ident.startswith(("A", "M")):
        parts = fields[1].split()
        value = parts[2] if len(parts) > 2 else None
        parsed.attributes.append((parts[0], parts[1], value, line_no))
    elif ident.startswith("N"):
        _, target, ref = fields[1].split()
        db, key = ref.split(":", 1)
        parsed.norms.append((target, db, key, fields[2] if len(fields) > 2 else "", line_no))
    elif ident.startswith("#"):
        _, target = fields[1].split()
        parsed.notes[target] = (fields[2] if len(fields) > 2 else "", line_no)
    elif ident == "*":
        parsed.equivs.append((fields[1].split()[1:], line_no))
    else:
        raise ValueError(f"unknown annotation kind {ident!r}")


def _join(
    spans: list[tuple[int, int]], text: str, bounds: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Merge fragments split at line breaks back into one span, within one passage."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined:
            prev_start, prev_end = joined[-1]
            gap = text[prev_end:start]
            same_passage = any(b <= prev_start and end <= e for b, e in bounds)
            if "\n" in gap and not gap.strip() and same_passage:
                joined[-1] = (prev_start, end)
                continue
        joined.append((start, end))
    return joined
