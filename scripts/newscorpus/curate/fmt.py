"""`newscorpus fmt`: put records in canonical form, or check that they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..canonical import canonicalize
from ..fsutil import read_regular, write_atomic
from ..jsonio import dumps, parse_record
from ..paths import RECORDS_DIR, records_in


@dataclass
class Formatted:
    lines: list[str] = field(default_factory=list)
    failed: bool = False


def format_records(root: Path, doc_ids: tuple[str, ...] = (), *, check: bool = False) -> Formatted:
    """Rewrite each record (all of them when `doc_ids` is empty) in canonical form; with
    `check`, only report the ones that are not. The rewrite only reorders and fills in
    missing entity names, so nothing is lost and no backup is kept. A record that cannot be
    read is reported and left alone."""
    folder = root / RECORDS_DIR
    paths = [folder / f"{doc_id}.json" for doc_id in doc_ids] if doc_ids else records_in(folder)
    out = Formatted()
    changed = 0
    for path in paths:
        shown = (RECORDS_DIR / path.name).as_posix()
        if not path.is_file():
            out.lines.append(f"{shown}: no such record")
            out.failed = True
            continue
        data = read_regular(path)
        record, problems = parse_record(data, shown)
        if record is None or problems:
            detail = problems[0].format() if problems else "unreadable"
            out.lines.append(f"{shown}: left as it is, it cannot be read: {detail}")
            out.failed = True
            continue
        text = dumps(canonicalize(record))
        if text.encode("utf-8") == data:
            continue
        changed += 1
        if check:
            out.lines.append(f"{shown}: not in canonical form; run `newscorpus fmt {path.stem}`")
            out.failed = True
        else:
            write_atomic(path, text, overwrite=True, backup=False)
            out.lines.append(f"{shown}: formatted")
    verb = "would change" if check else "changed"
    out.lines.append(f"{len(paths)} record(s) checked, {changed} {verb}")
    return out
