"""Annotator accounts of the tools (a Label Studio e-mail, a doccano user name) to the annotator
ids a record holds (guideline 11: `newscorpus-curators`, never a personal address).

`--annotator-map FILE` gives the mapping, as JSON (`{"admin@example.com": "newscorpus-curators"}`)
or TOML (`"admin@example.com" = "newscorpus-curators"`, Python 3.11 and later);
`--annotator-id ID` names the annotator
of a single-annotator import. An account that is an e-mail address and is not mapped is refused
with a finding that names it and the fix.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

from ..errors import NewscorpusError
from ..findings import Finding, Findings
from ..jsonio import JSONInputError, load_json
from .common import ImportOptions

EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


class AnnotatorMapError(NewscorpusError, ValueError):
    """The mapping file cannot be used; the message names the file and the fix."""


def is_email(value: str) -> bool:
    return EMAIL.search(value) is not None


def load_annotator_map(path: Path) -> dict[str, str]:
    """account -> annotator id, from a small JSON or TOML file (a flat table of strings)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise AnnotatorMapError(f"cannot read {path}: {err}") from None
    kind = "TOML" if path.suffix == ".toml" else "JSON"
    try:
        data = _toml(path, text) if kind == "TOML" else load_json(text, str(path), "a JSON object")
    except ValueError as err:  # tomllib.TOMLDecodeError is a ValueError
        raise AnnotatorMapError(f"{path} is not valid {kind}: {err}") from None
    except JSONInputError as err:
        raise AnnotatorMapError(f"not valid JSON: {err}") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in data.items()
    ):
        raise AnnotatorMapError(
            f"{path} must map each account to an annotator id, both strings "
            '(e.g. {"admin@example.com": "newscorpus-curators"})'
        )
    bad = sorted(v for v in data.values() if is_email(v))
    if bad:
        raise AnnotatorMapError(
            f"{path} maps accounts to e-mail addresses ({', '.join(bad)}); an annotator id is "
            "a team or pseudonym such as newscorpus-curators (guideline 11)"
        )
    return {k: v.strip() for k, v in data.items()}


def _toml(path: Path, text: str) -> Any:
    try:
        toml = importlib.import_module("tomllib")  # the standard library from Python 3.11
    except ImportError:
        raise AnnotatorMapError(f"{path}: TOML needs Python 3.11 or later; write JSON") from None
    return toml.loads(text)


def annotator_id(account: str | None, options: ImportOptions) -> str | None:
    """The annotator id that `account` stands for in a record."""
    if options.annotator_id is not None:
        return options.annotator_id
    if account is None:
        return None
    return options.annotator_ids.get(account, account)


def email_refusal(
    account: str | None, options: ImportOptions, file: str, doc_id: str | None, where: str
) -> Finding | None:
    """An error when `account` would put an e-mail address into the record."""
    ident = annotator_id(account, options)
    if ident is None or not is_email(ident):
        return None
    return Findings(file, doc_id).finding(
        "import-annotator-unmapped",
        where,
        f"the annotation is by the account {account!r}, an e-mail address, which never goes "
        "into a record (guideline 11); nothing was imported from it.",
        f'map it to an annotator id: --annotator-map FILE with {{"{account}": '
        '"newscorpus-curators"}, or --annotator-id newscorpus-curators',
    )
