"""Warnings for rules of guidelines 1.2 that a program can check: a promise quoted without its
PROMISE event (6.4), and a facility's name left unannotated (3.6).

They belong to the consistency level (a curator confirms or corrects them) and run with the
references, which they read: quotes, events and mentions that are known to be well-formed.
"""

from __future__ import annotations

import re

from ..findings import Findings, pointer
from ..model import Record

# promise, pledge, vow, assure, guarantee: every inflection, verb or noun (guideline 6.4)
_PROMISE_CUE = re.compile(
    r"(?:promis(?:e|es|ed|ing)|pledg(?:e|es|ed|ing)|vow(?:s|ed|ing)?|assur(?:e|es|ed|ing)"
    r"|guarantee(?:s|d|ing)?)",
    re.IGNORECASE,
)
# A capitalised word or more before a facility noun (guideline 3.6): "Calder House".
_FACILITY = re.compile(
    r"(?<![\w'’-])((?:[A-Z][\w'’-]* ){1,4})(House|Hall|Airport|Bridge|Stadium|Tower)(?![\w'’-])"
)
# The nouns alone: a text without any of them has no facility name to find (one fast scan).
_FACILITY_NOUN = re.compile(r"House|Hall|Airport|Bridge|Stadium|Tower")
_DETERMINERS = frozenset({"The", "A", "An", "This", "That", "Its", "Their", "Our"})


def check_promise_events(record: Record, out: Findings) -> None:
    """A quote whose cue is a promise verb has a PROMISE event on that cue (6.4)."""
    promises = {
        (e["trigger"]["start"], e["trigger"]["end"])
        for e in record["events"]
        if e["type"] == "PROMISE"
    }
    for i, quote in enumerate(record["quotes"]):
        cue = quote["cue"]
        if cue is None or not _PROMISE_CUE.fullmatch(cue["text"]):
            continue
        if (cue["start"], cue["end"]) in promises:
            continue
        out.add(
            "promise-without-event",
            pointer("quotes", i, "cue"),
            f"the cue {cue['text']!r} at [{cue['start']}, {cue['end']}) is a promise, but no "
            "PROMISE event has it as its trigger (guideline 6.4).",
            f"add a PROMISE event on [{cue['start']}, {cue['end']}) with the promiser as agent; "
            "the promised act, if it has an event type, is planned (7.4)",
        )


def check_facility_names(record: Record, out: Findings) -> None:
    """A capitalised name ending in a facility noun is inside a mention (3.6)."""
    text = record["text"]
    if not _FACILITY_NOUN.search(text):
        return
    spans = sorted((m["start"], m["end"]) for m in record["mentions"])
    for match in _FACILITY.finditer(text):
        words = match.group(1).split()
        while words and words[0] in _DETERMINERS:
            words.pop(0)
        if not words:
            continue
        noun_start, noun_end = match.span(2)
        if any(start <= noun_start and noun_end <= end for start, end in spans):
            continue
        name = " ".join([*words, match.group(2)])
        start = noun_end - len(name)
        out.add(
            "facility-unannotated",
            pointer("mentions"),
            f"{name!r} at [{start}, {noun_end}) looks like a facility's name and is not "
            "annotated (guideline 3.6).",
            f"add a FAC NAM mention for [{start}, {noun_end}), or annotate the longer name it "
            "is part of",
        )
