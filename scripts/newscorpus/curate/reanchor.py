"""Move a record's annotations onto a publisher's corrected version of its article.

The old and the new text are aligned word by word (difflib.SequenceMatcher over word,
space and punctuation tokens, so a changed name is one replaced word, not a scatter of
matching letters). Each span's ends are mapped through the alignment:

- an end inside unchanged text moves with it;
- an end inside replaced text takes the whole replacement (start to its beginning, end to
  its end), so an edited name stays one span; an insertion exactly at a span's edge stays
  outside the span;
- the mapped span is clipped to one passage of the new text and trimmed of whitespace;
  a mention is then widened to whole tokens of the new text.

A span whose text is the same is moved silently. A span whose text differs is "changed"; a span
with nothing left is "vanished". Both are reported with old and new text, and the record goes
back to draft. Policy for what vanishes (removal is the only way to keep the record valid,
and every removal is reported):

- a vanished mention is removed; an event argument or an event time pointing at it is removed
  (time set to null), a quote's source is set to null, it is dropped from relation evidence;
- an entity that loses its last mention is removed; a quote naming it as speaker gets speaker
  null, and a relation with it as head or tail is removed, as is a relation left without
  evidence;
- a vanished quote part is removed (the quote too, when no part is left); a vanished cue
  becomes null; an event whose trigger vanished is removed.

A changed mention whose widened span would collide with another mention (overlapping names,
or the same offsets) is narrowed to the part aligned with unchanged text; if it still
collides it is treated as vanished.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from ..errors import ReanchorError
from ..fsutil import write_atomic
from ..ingest import ingest_text, split_passages
from ..jsonio import dumps
from ..model import Mention, Passage, Record, Span
from ..paths import RECORDS_DIR
from ..validate import load_record, validate_record
from .align import OffsetMap, Tokens, alignment, place
from .prune import remove_vanished
from .seeds import keep_seed, read_seed, seed_destination

# A record with these errors has spans that point at the wrong text: there is nothing to move.
UNMOVABLE = frozenset({"span-out-of-range", "span-empty", "span-text-mismatch"})

# --- the report -----------------------------------------------------------------------------


@dataclass
class SpanChange:
    """A span whose text changed (new_text set) or vanished (new_text None)."""

    item: str  # e.g. "mention m3", "quote q0 content 1", "quote q0 cue", "event ev2 trigger"
    old_text: str
    new_text: str | None
    old_offsets: tuple[int, int]
    new_offsets: tuple[int, int] | None
    note: str = ""

    @property
    def vanished(self) -> bool:
        return self.new_text is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "status": "vanished" if self.vanished else "changed",
            "old_text": self.old_text,
            "new_text": self.new_text,
            "old_offsets": list(self.old_offsets),
            "new_offsets": list(self.new_offsets) if self.new_offsets else None,
            "note": self.note,
        }


@dataclass
class ReanchorReport:
    seed_path: str
    moved: int = 0
    changes: list[SpanChange] = field(default_factory=list)
    removals: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return bool(self.changes or self.removals or self.notes)

    def lines(self) -> list[str]:
        out = []
        for change in self.changes:
            old = f"{change.old_text!r} [{change.old_offsets[0]}, {change.old_offsets[1]})"
            if change.vanished:
                out.append(f"vanished {change.item}: {old}")
            else:
                assert change.new_offsets is not None
                out.append(
                    f"changed  {change.item}: {old} -> {change.new_text!r} "
                    f"[{change.new_offsets[0]}, {change.new_offsets[1]})"
                )
            if change.note:
                out.append(f"         ({change.note})")
        out.extend(f"removed  {removal}" for removal in self.removals)
        out.extend(f"review   {note}" for note in self.notes)
        return out


# --- moving the spans -----------------------------------------------------------------------


@dataclass
class _Span:
    item: str
    span: Span | Mention  # a mention is its own span
    new: tuple[int, int] | None = None
    narrow: tuple[int, int] | None = None
    note: str = ""


def reanchor_record(
    record: Record, new_seed: bytes, seed_path: str
) -> tuple[Record, ReanchorReport]:
    """A copy of `record` anchored to the article `new_seed` (stored at `seed_path`).

    Raises ReanchorError or IngestError when the new seed cannot be used.
    """
    digest = hashlib.sha256(new_seed).hexdigest()
    if digest == record["source"]["seed_sha256"]:
        raise ReanchorError(
            f"{seed_path} has the same bytes as the record's seed: the record is already "
            "anchored to this version; give the corrected article"
        )
    cleaned = ingest_text(new_seed, seed_path)
    new_text = cleaned.text
    result = copy.deepcopy(record)
    report = ReanchorReport(seed_path=seed_path)
    passages = split_passages(new_text)
    remove_vanished(result, move_spans(result, new_text, passages, report), report.removals)
    _anchor_source(result, seed_path, digest, cleaned.rules, new_text, report)
    result["text"] = new_text
    result["passages"] = passages
    if report.needs_review:
        annotation = result["annotation"]
        annotation["status"] = "draft"
        note = (
            f"Re-anchored to {seed_path}: {len(report.changes)} span(s) changed or vanished, "
            f"{len(report.removals)} item(s) removed; review before marking gold again."
        )
        annotation["notes"] = f"{annotation['notes']}\n{note}" if annotation["notes"] else note
    return result, report


def move_spans(
    record: Record, new_text: str, passages: list[Passage], report: ReanchorReport
) -> set[int]:
    """Move every span of `record`, in place, onto `new_text` split into `passages`.

    The spans keep their dicts; the report gets what changed or vanished. Returns the
    id() of each span dict that vanished, for the caller to remove or to report. `diff`
    moves an old record onto a new text through this too, so both see the same moves.
    """
    offsets = OffsetMap(alignment(record["text"], new_text))
    bounds = [(p["start"], p["end"]) for p in passages]
    tokens = Tokens(new_text, passages)
    spans = _spans(record)
    for span in spans:
        start, end = span.span["start"], span.span["end"]
        span.new = place(offsets, new_text, bounds, start, end, widen=True)
        span.narrow = place(offsets, new_text, bounds, start, end, widen=False)
        if span.item.startswith("mention "):
            # Mentions sit on whole tokens (the NER view depends on it), moved ones included:
            # new neighbouring text can change how a word is tokenized.
            span.new = tokens.snap(span.new, widen=True)
            span.narrow = tokens.snap(span.narrow, widen=False)
    _avoid_collisions([s for s in spans if s.item.startswith("mention ")], new_text)
    return _move(spans, new_text, report)


def _move(spans: list[_Span], new_text: str, report: ReanchorReport) -> set[int]:
    """Give each span its new offsets and text; return the ids of the spans that vanished."""
    vanished: set[int] = set()
    for span in spans:
        old = (span.span["start"], span.span["end"])
        if span.new is None:
            report.changes.append(
                SpanChange(span.item, span.span["text"], None, old, None, span.note)
            )
            vanished.add(id(span.span))
            continue
        text = new_text[span.new[0] : span.new[1]]
        if text == span.span["text"]:
            report.moved += 1
        else:
            report.changes.append(SpanChange(span.item, span.span["text"], text, old, span.new))
        span.span["start"], span.span["end"], span.span["text"] = span.new[0], span.new[1], text
    return vanished


def _anchor_source(
    record: Record,
    seed_path: str,
    digest: str,
    rules: Any,
    new_text: str,
    report: ReanchorReport,
) -> None:
    """Point the record's provenance at the new seed; flag a dateline no longer in the text."""
    source = record["source"]
    source["seed_path"] = seed_path
    source["seed_sha256"] = digest
    source["cleaning"] = [{"rule": r, "count": n} for r, n in sorted(rules.items())]
    dateline = source.get("dateline")
    evidence = dateline.get("evidence") if dateline else None
    if evidence and evidence not in new_text:
        report.notes.append(f"source.dateline: its evidence {evidence!r} is no longer in the text")


def _spans(record: Record) -> list[_Span]:
    spans = [_Span(f"mention {m['id']}", m) for m in record["mentions"]]
    for quote in record["quotes"]:
        for index, part in enumerate(quote["content"]):
            spans.append(_Span(f"quote {quote['id']} content {index}", part))
        if quote["cue"] is not None:
            spans.append(_Span(f"quote {quote['id']} cue", quote["cue"]))
    spans.extend(_Span(f"event {e['id']} trigger", e["trigger"]) for e in record["events"])
    return spans


def _avoid_collisions(mentions: list[_Span], text: str) -> None:
    """Narrow, then drop, changed mentions that would overlap a name or repeat offsets."""

    def collides(mention: _Span, place: tuple[int, int]) -> str | None:
        named = _mention(mention)["mention_type"] == "NAM"
        for other in mentions:
            if other is mention or other.new is None:
                continue
            if other.new == place:
                return _mention(other)["id"]
            overlap = other.new[0] < place[1] and place[0] < other.new[1]
            if overlap and named and _mention(other)["mention_type"] == "NAM":
                return _mention(other)["id"]
        return None

    for mention in mentions:
        if mention.new is None or text[mention.new[0] : mention.new[1]] == mention.span["text"]:
            continue
        hit = collides(mention, mention.new)
        if hit is None:
            continue
        if mention.narrow is not None and collides(mention, mention.narrow) is None:
            mention.new = mention.narrow
        else:
            mention.new = None
            mention.note = f"its new span would collide with {hit}"


def _mention(span: _Span) -> Mention:
    """The mention a mention's span is (see _spans)."""
    return cast(Mention, span.span)


# --- the record file ------------------------------------------------------------------------


@dataclass
class Reanchored:
    """The re-anchored record, its report, and what was written (nothing for a preview)."""

    path: Path
    record: Record
    report: ReanchorReport
    seed_path: str  # the new seed, relative to the root
    written: bool = False
    backup: Path | None = None


def reanchor_file(root: Path, doc_id: str, new_seed: Path, *, force: bool = False) -> Reanchored:
    """Move the annotations of record `doc_id` under `root` onto the article `new_seed`.

    Without `force` this is a preview: nothing is written. With it, the new seed is copied
    into seeds/ (under a free name) and the record rewritten, the previous one kept as a
    backup. Raises ReanchorError (or IngestError for an unusable seed) when the record cannot
    be moved or would be left with errors; nothing is written then.
    """
    record, errors = load_record(root, doc_id)
    span_errors = [f for f in errors if f.code in UNMOVABLE]
    if span_errors:
        raise ReanchorError(
            f"{doc_id}: the record's own spans are wrong, so they cannot be moved: "
            f"{span_errors[0].format()}"
        )
    data = read_seed(new_seed)
    seeds_dir = root / "seeds"
    target, copy_needed = seed_destination(seeds_dir, new_seed, data)
    seed_rel = f"seeds/{target.name}"
    digest = hashlib.sha256(data).hexdigest()
    new_record, report = reanchor_record(record, data, seed_rel)
    if seed_rel == record["source"]["seed_path"]:
        raise ReanchorError(
            f"{seed_rel} is the record's own seed, edited in place; seeds are never "
            "edited: restore it and give the corrected article as a new file"
        )
    left = [
        f
        for f in validate_record(new_record, file=doc_id, root=None, stem=doc_id)
        if f.severity == "error"
    ]
    if left:
        raise ReanchorError(
            f"re-anchoring {doc_id} would leave {len(left)} error(s); nothing was written:\n"
            + "\n".join(f.format() for f in left)
        )
    done = Reanchored(root / RECORDS_DIR / f"{doc_id}.json", new_record, report, seed_rel)
    if force:
        # The seed first (atomic: a full disk leaves no empty seed), then the record; if the
        # record cannot be written, the seed this call added goes again.
        created = keep_seed(seeds_dir, target.name, data, digest) if copy_needed else False
        try:
            done.backup = write_atomic(done.path, dumps(new_record), overwrite=True)
        except BaseException:
            if created:
                target.unlink(missing_ok=True)
            raise
        done.written = True
    return done
