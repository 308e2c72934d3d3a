"""What a gold record must be beyond being well-formed: annotated under the current guidelines,
with its topics, and without the tell-tale signs of an entity split in two.

The errors belong to the references level (gold status refers to the guidelines), the warnings
to the consistency level: a likely split entity is a judgement a curator confirms or corrects.
Both run with the references, so that a record with errors shows its likely splits too.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from ..errors import NewscorpusError
from ..findings import Findings, pointer
from ..fsutil import read_regular
from ..labels import schema_file, shown_schema_file
from ..model import Mention, Record

# local@domain.tld, alone or inside a name ("Jane <jane@example.org>").
_EMAIL = re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_VERSION_LINE = re.compile(r"^Guidelines version: *([0-9]+(?:\.[0-9]+)+) *$", re.MULTILINE)


def current_guidelines_version() -> str:
    """The version that schema/GUIDELINES.md states on its "Guidelines version:" line (the
    selected corpus root's copy when it has one, else the packaged one)."""
    path = schema_file("GUIDELINES.md")
    try:
        stat = path.stat()
    except OSError:
        stat = None
    return _guidelines_version(path, None if stat is None else (stat.st_mtime_ns, stat.st_size))


@cache
def _guidelines_version(path: Path, signature: tuple[int, int] | None) -> str:
    """Read once per file and version of it (its mtime and size)."""
    where = shown_schema_file(path)
    try:
        text = read_regular(path, limit=1 << 24).decode("utf-8")
    except (OSError, UnicodeDecodeError, NewscorpusError) as err:
        raise NewscorpusError(
            f"{where} cannot be read as UTF-8 text ({err}); the guidelines state the version a "
            "gold record must follow: restore the file (`git diff` shows what changed)"
        ) from None
    match = _VERSION_LINE.search(text)
    if match is None:
        raise NewscorpusError(
            f"{where} has no 'Guidelines version: X.Y' line, which states the version a gold "
            "record must follow: add it on a line of its own (for example "
            "'Guidelines version: 1.4')"
        )
    return match.group(1)


def check_gold_gates(record: Record, out: Findings) -> None:
    """A gold record names the current guidelines version and has its topics."""
    if record["annotation"]["status"] != "gold":
        return
    current = current_guidelines_version()
    stated = record["annotation"]["guidelines_version"]
    if stated != current:
        out.add(
            "gold-guidelines-version",
            "/annotation/guidelines_version",
            f"a gold record must follow the current guidelines ({current}); it names {stated!r}.",
            f"review it against the changes listed in schema/GUIDELINES.md, then set {current}; "
            "or keep status draft",
        )
    if not record["labels"]["topics"]:
        out.add(
            "gold-without-topics",
            "/labels/topics",
            "a gold record has no topics.",
            "choose its topics from schema/labels.json, or keep status draft",
        )


def check_annotators(record: Record, out: Findings) -> None:
    """Annotators are ids (guideline 11), never e-mail addresses: a record is published, and an
    annotation tool's account (Label Studio names its users by e-mail) is not an id."""
    for i, annotator in enumerate(record["annotation"]["annotators"]):
        if _EMAIL.search(annotator):
            out.add(
                "annotator-email",
                pointer("annotation", "annotators", i),
                f"the annotator {annotator!r} looks like an e-mail address; records are "
                "published, and annotators are named by id (guideline 11).",
                "replace it with an annotator id, such as newscorpus-curators: a name that "
                "reaches no one's inbox",
            )


def check_split_entities(record: Record, out: Findings) -> None:
    """Warnings for names that look like one entity annotated as two."""
    named = sorted(
        (m for m in record["mentions"] if m["mention_type"] == "NAM"),
        key=lambda m: (m["start"], m["end"]),
    )
    _same_name_two_entities(record, named, out)
    _abbreviation_two_entities(record, named, out)


def _index(record: Record) -> dict[str, int]:
    return {m["id"]: i for i, m in enumerate(record["mentions"])}


def _same_name_two_entities(record: Record, named: list[Mention], out: Findings) -> None:
    first: dict[tuple[str, str], Mention] = {}
    reported: set[tuple[str, str, str]] = set()
    index = _index(record)
    for mention in named:
        key = (mention["label"], mention["text"])
        other = first.setdefault(key, mention)
        pair = (mention["text"], other["entity"], mention["entity"])
        if other["entity"] != mention["entity"] and pair not in reported:
            reported.add(pair)
            out.add(
                "entity-split-name",
                pointer("mentions", index[mention["id"]], "entity"),
                f"{mention['text']!r} is {other['entity']} at {other['id']} but "
                f"{mention['entity']} at {mention['id']}.",
                "if both name one entity, give them one entity id; if they are two entities "
                "with one name, leave it and say so in annotation.notes",
            )


def _abbreviation_two_entities(record: Record, named: list[Mention], out: Findings) -> None:
    """A name followed by its abbreviation in parentheses: `Asia Internet Coalition (AIC)`."""
    text = record["text"]
    at_start = {m["start"]: m for m in named}
    index = _index(record)
    for mention in named:
        inner = at_start.get(mention["end"] + 2)
        if (
            inner is None
            or text[mention["end"] : mention["end"] + 2] != " ("
            or text[inner["end"] : inner["end"] + 1] != ")"
            or inner["entity"] == mention["entity"]
            or not _abbreviates(inner["text"], mention["text"])
        ):
            continue
        out.add(
            "entity-split-abbreviation",
            pointer("mentions", index[inner["id"]], "entity"),
            f"{inner['text']!r} abbreviates {mention['text']!r} ({mention['entity']}) but is "
            f"{inner['entity']}.",
            f"give {inner['id']} the entity {mention['entity']}",
        )


def _abbreviates(short: str, name: str) -> bool:
    """True when `short` is made of capitals that open words of `name`, in order."""
    if not (2 <= len(short) <= 10 and short.isupper() and short.isalpha()):
        return False
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z][\w'-]*", name)).upper()
    it = iter(initials)
    return short[0] == initials[:1] and all(letter in it for letter in short)
