"""The curated facts about the dataset (schema/dataset.json), loaded and checked once.

The card, Croissant, corpus/LICENSE.md and the header of DATASHEET.md all take their name,
version, licence, creators and citation from here. The file lives in schema/ because the
top-level layout is fixed and schema/ is where the curated definitions the build reads are
kept: a command reads the corpus root's schema/dataset.json when there is one, else the copy
packaged with labels.json (newscorpus.labels says which), and it is part of the fingerprint
that tells a build its inputs changed. corpus/ holds only what the Hub gets.

Optional facts (homepage, repository, contact) are simply absent when unknown; the outputs
then leave them out instead of printing a placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import MetadataError, NewscorpusError
from ..fsutil import read_regular
from ..jsonio import load_json
from ..labels import schema_file, shown_schema_file

METADATA_FILE = "dataset.json"
_REQUIRED = (
    "description",
    "name",
    "pretty_name",
    "summary",
    "version",
    "date_published",
    "languages",
    "creators",
    "license",
    "citation",
    "version_history",
)
_OPTIONAL = ("homepage", "repository", "contact")
# Values that stand for an unknown fact; the file must leave such a fact out instead.
_PLACEHOLDER = re.compile(r"\.invalid\b|example\.(com|org)\b|\bTODO\b|\bTBD\b")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Creator:
    name: str
    type: str  # "Organization" or "Person" (schema.org)
    annotator_id: str | None = None  # how annotation.annotators names this creator


@dataclass(frozen=True)
class Metadata:
    name: str
    pretty_name: str
    summary: str
    version: str
    date_published: str
    languages: tuple[str, ...]
    creators: tuple[Creator, ...]
    license: dict[str, Any]
    citation: dict[str, str]
    version_history: tuple[dict[str, str], ...]
    homepage: str | None = None
    repository: str | None = None
    contact: str | None = None

    @property
    def year(self) -> str:
        return self.date_published[:4]

    @property
    def url(self) -> str | None:
        """The dataset's address: its homepage, else its repository, else none is known."""
        return self.homepage or self.repository

    def bibtex(self) -> str:
        authors = " and ".join(f"{{{c.name}}}" for c in self.creators)
        fields = [
            ("author", authors),
            ("title", self.citation["title"]),
            ("year", self.year),
            ("version", self.version),
            ("url", self.url),
        ]
        body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields if value)
        return f"@misc{{{self.citation['key']}_{self.year},\n{body}\n}}"


def parse(data: dict[str, Any], where: str = METADATA_FILE) -> Metadata:
    """Check the metadata file's content and return it; a MetadataError names what is wrong."""
    missing = [key for key in _REQUIRED if key not in data]
    unknown = [key for key in data if key not in _REQUIRED + _OPTIONAL]
    if missing or unknown:
        raise MetadataError(
            f"{where}: missing {missing or 'nothing'}, unknown {unknown or 'nothing'}; "
            f"allowed keys: {', '.join(_REQUIRED + _OPTIONAL)}"
        )
    _no_placeholders(data, where)
    for date in [data["date_published"]] + [v["date"] for v in data["version_history"]]:
        if not _DATE.match(date):
            raise MetadataError(f"{where}: {date!r} is not a date (YYYY-MM-DD)")
    if data["version_history"][-1]["version"] != data["version"]:
        raise MetadataError(
            f"{where}: the last version_history entry must be version {data['version']}"
        )
    for key in ("id", "name", "file", "summary", "terms"):
        if key not in data["license"]:
            raise MetadataError(f"{where}: license needs {key!r}")
    return Metadata(
        name=data["name"],
        pretty_name=data["pretty_name"],
        summary=data["summary"],
        version=data["version"],
        date_published=data["date_published"],
        languages=tuple(data["languages"]),
        creators=tuple(Creator(**creator) for creator in data["creators"]),
        license=data["license"],
        citation=data["citation"],
        version_history=tuple(data["version_history"]),
        **{key: data[key] for key in _OPTIONAL if key in data},
    )


def _no_placeholders(value: Any, where: str) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _no_placeholders(item, where)
    elif isinstance(value, list):
        for item in value:
            _no_placeholders(item, where)
    elif isinstance(value, str) and (not value.strip() or _PLACEHOLDER.search(value)):
        raise MetadataError(
            f"{where}: {value!r} looks like a placeholder; leave an unknown fact out instead"
        )


def metadata() -> Metadata:
    """The metadata of the selected corpus root's schema/dataset.json, else the packaged one."""
    path = schema_file(METADATA_FILE)
    try:
        stat = path.stat()
    except OSError:
        stat = None
    return _metadata_at(path, None if stat is None else (stat.st_mtime_ns, stat.st_size))


@cache
def _metadata_at(path: Path, signature: tuple[int, int] | None) -> Metadata:
    """Read and checked once per file and version of it (its mtime and size)."""
    where = shown_schema_file(path)
    fix = f"fix {path} (`git diff` shows what changed since it last worked)"
    try:
        data = load_json(read_regular(path, limit=1 << 22), where, "a JSON object")
    except (OSError, ValueError, RecursionError, NewscorpusError) as err:
        raise MetadataError(f"{where} cannot be read as JSON ({err}); {fix}") from None
    if not isinstance(data, dict):
        raise MetadataError(f"{where} holds {type(data).__name__}, not an object; {fix}")
    try:
        return parse(data, where)
    except (TypeError, KeyError, AttributeError, ValueError) as err:
        raise MetadataError(f"{where}: a value has the wrong shape ({err!r}); {fix}") from None


# --- renderings shared by the outputs -------------------------------------------------------

METADATA_START = "<!-- metadata:start -->"
METADATA_END = "<!-- metadata:end -->"


def license_text(meta: Metadata) -> str:
    """corpus/LICENSE.md: the terms, as the card's `license_link` points to them."""
    terms = "\n\n".join(meta.license["terms"])
    return (
        f"# Licence of {meta.pretty_name}, version {meta.version}\n\n"
        f"Licence name: `{meta.license['name']}`.\n\n{terms}\n"
    )


def facts_markdown(meta: Metadata) -> str:
    """The facts block of DATASHEET.md (between the metadata markers)."""
    lines = [
        f"Generated by `newscorpus build` from schema/{METADATA_FILE}; do not edit by hand.",
        "",
        f"- Name: {meta.pretty_name} (`{meta.name}`)",
        f"- Version: {meta.version}, published {meta.date_published}",
        "- Creators: " + ", ".join(c.name for c in meta.creators),
        f"- Languages (BCP-47): {', '.join(meta.languages)}",
        f"- Licence: `{meta.license['name']}` (corpus/{meta.license['file']}): "
        + meta.license["summary"],
    ]
    for label, value in (
        ("Homepage", meta.homepage),
        ("Repository", meta.repository),
        ("Contact", meta.contact),
    ):
        if value:
            lines.append(f"- {label}: {value}")
    lines += ["", "Cite as:", "", "```bibtex", meta.bibtex(), "```"]
    return "\n".join(lines)
