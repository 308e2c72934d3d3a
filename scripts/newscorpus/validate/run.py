"""The levelled validator: file, schema, spans, references, provenance, consistency.

`validate_paths` and `validate_record` return findings and never raise on bad input; the CLI
decides how to print them. Every level runs that can: a level that a record's errors leave
nothing sound to read (gate.py) is skipped for that record only, with a note that says why,
so a malformed record yields the findings that explain it, not a cascade. Level 1 (file) is
jsonio.read_record, which every reader of records uses.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from ..cache import WorkCache
from ..errors import RecordNotFoundError, RecordUnreadableError
from ..findings import ERROR, LEVELS, Finding, Findings, Report
from ..fsutil import sha256_file
from ..jsonio import parse_record, parse_record_exact, read_record, read_record_bytes
from ..model import Record
from ..parallel import bounded_map
from ..paths import RECORDS_DIR, record_files, shown_path
from ..progress import Progress, silent
from ..tokens import flush_cache as flush_token_cache
from ..tokens import use_cache as use_token_cache
from .consistency import check_canonical, check_consistency
from .corpus import CorpusChecks, check_seed_folder
from .gate import (
    AFTER_SCHEMA,
    broken_mentions,
    shape_problems,
    skip,
    source_problems,
    text_problems,
)
from .provenance import check_provenance
from .references import check_references
from .schema import (
    check_controls,
    check_integral_offsets,
    check_schema,
    check_strings,
    has_control,
    has_surrogate,
    json_bytes,
)
from .spans import check_text_and_spans

VALIDATE_BATCH = 64  # files per task handed to a worker process


def validate_paths(
    root: Path,
    paths: Iterable[Path] = (),
    *,
    jobs: int = 1,
    use_cache: bool = False,
    progress: Progress = silent,
) -> Report:
    """Validate record files, streaming them in batches over `jobs` processes.

    With `use_cache`, files whose bytes (and seed) are unchanged since a previous run under the
    same code and schema reuse that run's findings (see newscorpus.cache). Checks across
    records (the same text twice, ids that differ only in case) run over each folder; with no
    `paths`, the entries of seeds/ are checked to be regular files too.
    """
    paths = list(paths)
    files = record_files(root, paths)
    cache = WorkCache(root, "validate", spool=True) if use_cache else None
    report = Report()
    tasks = [
        (root, files[i : i + VALIDATE_BATCH], use_cache)
        for i in range(0, len(files), VALIDATE_BATCH)
    ]
    corpus = CorpusChecks()
    with progress("validate", len(files)) as advance:
        for results in bounded_map(_check_batch, tasks, jobs):
            for checked in results:
                report.files += 1
                report.findings.extend(checked.findings)
                corpus.add(checked)
                if cache is not None:
                    cache.store_checked(checked)
            advance(len(results))
    if cache is not None:
        cache.save()
    report.findings.extend(corpus.findings())
    if not paths:
        report.findings.extend(check_seed_folder(root))
    report.findings.sort(key=lambda f: (f.file, LEVELS.index(f.level)))
    return report


@dataclass(frozen=True)
class CacheEntry:
    """What the cache keeps of a freshly validated file: its findings, under its shown path
    and the sha256 of its bytes, the seed (path, sha256) they depend on, and the sha256 of
    the record's text (for the checks across records)."""

    key: str
    sha: str
    seed: tuple[str, str] | None
    findings: list[dict[str, Any]]
    text: str | None = None


@dataclass
class Checked:
    """One file's findings, its record when asked for, and what to remember of it."""

    findings: list[Finding]
    record: Record | None = None
    fresh: CacheEntry | None = None
    file: str = ""  # the shown path
    text_sha: str | None = None  # sha256 of the record's text, when it has one

    @property
    def valid(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)


def check_file(
    path: Path,
    root: Path,
    *,
    use_cache: bool = False,
    want_record: bool = False,
    remember: bool = False,
    shown: str | None = None,
) -> Checked:
    """Validate one file, reusing a cached verdict when its bytes and seed are unchanged.

    The file is read once: the cache key, the verdict and the record all come from the same
    bytes. With `want_record`, a valid file's parsed record comes back too (build derives rows
    from it). With `use_cache` or `remember`, a freshly validated file carries `fresh`, the
    cache entry for the caller to store; only `use_cache` trusts entries already stored.
    `shown`: the path as shown_path gives it, when the caller has it (ShownPaths).
    """
    if shown is None:
        shown = shown_path(path, root)
    data, problems = read_record_bytes(path, shown)
    if data is None:
        return Checked(problems, file=shown)
    keep = use_cache or remember
    sha = hashlib.sha256(data).hexdigest() if keep else ""  # the cache's key, when there is one
    if use_cache:
        cached = _worker_cache(root).lookup(shown, sha, root)
        if cached is not None:
            checked = Checked(
                [Finding(**fields) for fields in cached["result"]],
                file=shown,
                text_sha=cached.get("text"),
            )
            if want_record and checked.valid:
                checked.record, _ = parse_record(data, shown)
            return checked
    record, problems, exact = parse_record_exact(data, shown)
    findings = list(problems)
    seed_rel = _seed_path(record)
    use_token_cache(root if keep else None)  # an edit of the annotations never re-tokenizes
    seed_before = _signature(root / seed_rel) if keep and seed_rel is not None else None
    seed_read = None  # the sha256 of the seed's bytes, when provenance read them
    if record is not None and not findings:
        found, seed_read = _validate_record(
            record,
            file=shown,
            root=root,
            stem=path.stem,
            sentences_wanted=want_record,
            dumped=data if exact else None,  # the bytes are the record's JSON: not dumped again
        )
        findings.extend(found)
    text = record.get("text") if record is not None else None
    text_sha = None
    if isinstance(text, str):
        text_sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    fresh = None
    if keep:
        seed = _seed_seen(root, seed_rel, seed_read, seed_before)
        if seed_rel is None or seed is not None:
            fields = [_finding_fields(f) for f in findings]
            fresh = CacheEntry(shown, sha, seed, fields, text_sha)
    return Checked(findings, record if want_record else None, fresh, shown, text_sha)


def _seed_seen(
    root: Path, seed_rel: str | None, seed_read: str | None, before: tuple[int, ...] | None
) -> tuple[str, str] | None:
    """The (seed path, sha256) a fresh verdict holds for, or None when it holds for none.

    A verdict is only kept for the bytes it saw. When provenance read the seed, its digest is
    of exactly those bytes, and the seed is not read again. Otherwise (the seed is missing,
    not a regular file, or provenance did not run) the seed is hashed now and kept only if
    its stat signature did not change while the record was checked."""
    if seed_rel is None:
        return None
    if seed_read is not None:
        return (seed_rel, seed_read)
    digest = sha256_file(root / seed_rel)
    if _signature(root / seed_rel) != before:
        return None
    return (seed_rel, digest or "")


def _signature(path: Path) -> tuple[int, ...] | None:
    """What changes when a file is replaced or written: its inode, size and times."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _seed_path(record: Record | None) -> str | None:
    source = record.get("source") if isinstance(record, dict) else None
    if isinstance(source, dict) and isinstance(source.get("seed_path"), str):
        return str(source["seed_path"])
    return None


_WORKER_CACHES: dict[Path, WorkCache] = {}


def _worker_cache(root: Path) -> WorkCache:
    """The validation cache as this process first read it (loaded once per process)."""
    if root not in _WORKER_CACHES:
        _WORKER_CACHES[root] = WorkCache(root, "validate")
    return _WORKER_CACHES[root]


def _finding_fields(finding: Finding) -> dict[str, Any]:
    fields = finding.to_dict()
    del fields["level"]
    return fields


def _check_batch(task: tuple[Path, list[Path], bool]) -> list[Checked]:
    root, paths, use_cache = task
    shown = ShownPaths(root)
    with fewer_collections():
        checked = [check_file(path, root, use_cache=use_cache, shown=shown(path)) for path in paths]
    flush_token_cache()
    return checked


class ShownPaths:
    """paths.shown_path for the files of one batch: the root and each folder are resolved
    once (a system call per path component), not once per file, and the rest is string work.
    Made afresh for each batch, so a folder moved meanwhile is seen by the next one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.base: str | None = None
        self.folders: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        if self.base is None:
            self.base = str(self.root.resolve())
        folder = self.folders.get(path.parent)
        if folder is None:
            folder = self.folders[path.parent] = str(path.parent.resolve())
        full = f"{folder}/{path.name}" if folder != "/" else f"/{path.name}"
        prefix = self.base if self.base.endswith("/") else self.base + "/"
        if full == self.base:
            return "."
        if full.startswith(prefix):
            return full[len(prefix) :]
        return str(path)


GC_YOUNG = 50_000  # allocations between two collections of the youngest generation


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with the cyclic garbage collector's youngest generation collected every
    GC_YOUNG allocations rather than every 700 (restored after).

    Checking and deriving records makes and keeps many small dicts, lists and tuples, and
    each collection walks every young object still alive: at the default threshold that was
    a quarter of a shard's time. Records are trees without cycles, freed by reference
    counting, so collecting less often frees nothing later that matters."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], GC_YOUNG), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def validate_record(
    record: Mapping[str, Any],
    *,
    file: str,
    root: Path | None,
    stem: str | None = None,
    sentences_wanted: bool = False,
) -> Findings:
    """All findings for one parsed record (levels 2 to 6).

    `record` is any JSON object: whether it has a record's shape is what level 2 decides.
    Every level runs that can (see gate.py): a record with errors still gets its warnings.
    A level that cannot run on this record is a note saying why.
    `sentences_wanted` tells that the caller derives the record's sentences next (build): the
    consistency checks then split sentences rather than only tokens, and the split is kept.
    """
    return _validate_record(
        record, file=file, root=root, stem=stem, sentences_wanted=sentences_wanted
    )[0]


def _validate_record(
    record: Mapping[str, Any],
    *,
    file: str,
    root: Path | None,
    stem: str | None,
    sentences_wanted: bool,
    dumped: bytes | None = None,
) -> tuple[Findings, str | None]:
    """validate_record's findings, with the sha256 of the seed bytes that provenance read
    (None when it read none). `dumped`: the record's JSON as orjson writes it, when the
    caller has it; else it is made here, once, for the fast string tests of level 2."""
    if dumped is None:
        dumped = json_bytes(record)
    out = Findings(file, _record_id(record))
    shaped = _check_shape(record, out, strings=True, dumped=dumped)
    if shaped is None:
        too_deep = any(f.code == "json-too-deep" for f in out)
        if not too_deep and has_control(record, dumped):
            check_controls(record, out)
        shape = shape_problems(record, out)
        skip(out, AFTER_SCHEMA, shape, "they read every field, and the record's shape is broken")
        return out, None
    check_text_and_spans(shaped, out)
    if has_control(shaped, dumped):
        check_controls(shaped, out)
    check_references(shaped, out, stem)
    seed_read = None
    if root is not None:
        source = source_problems(out)
        if source:
            skip(out, ("provenance",), source, "the source block names the seed to read")
        else:
            seed_read = check_provenance(shaped, out, root)
    text = text_problems(out)
    if text:
        skip(out, ("consistency",), text, "sentences and tokens are split per passage")
    else:
        broken = broken_mentions(shaped) if out else frozenset()
        check_consistency(shaped, out, sentences_wanted, broken)
    check_canonical(shaped, out, stem)
    return out, seed_read


def shape_findings(record: Mapping[str, Any], *, file: str) -> list[Finding]:
    """The validator's findings that leave `record`'s structure broken (gate.shape_problems):
    a layer missing, null or a number, an item of the wrong type, an offset written as 3.0.
    Code that reads every field (an import merging into the record) refuses it on these."""
    out = Findings(file, _record_id(record))
    _check_shape(record, out, strings=False)
    return shape_problems(record, out)


def _record_id(record: Mapping[str, Any]) -> str | None:
    rid = record.get("id")
    return rid if isinstance(rid, str) else None


def _check_shape(
    record: Mapping[str, Any], out: Findings, *, strings: bool, dumped: bytes | None = None
) -> Record | None:
    """Level 2, the schema and what it cannot say (with `strings`, lone surrogates too). The
    record as a `Record` when its structure is sound (gate.shape_problems finds nothing), for
    the levels that read its fields; else None."""
    check_schema(record, out)
    too_deep = any(f.code == "json-too-deep" for f in out)
    if strings and not too_deep and has_surrogate(record, dumped):
        check_strings(record, out)
    if shape_problems(record, out):
        return None
    shaped = cast(Record, record)  # every property in place, with its type
    check_integral_offsets(shaped, out)
    return None if shape_problems(record, out) else shaped


def load_record(root: Path, doc_id: str) -> tuple[Record, list[Finding]]:
    """The record `doc_id` under `root`, with the validator's error findings.

    Raises RecordNotFoundError or RecordUnreadableError (file-level or schema errors, which
    leave nothing to show or move).
    """
    path = root / RECORDS_DIR / f"{doc_id}.json"
    if "/" in doc_id or "\\" in doc_id or not path.is_file():
        raise RecordNotFoundError(f"no record {doc_id!r}: {path} does not exist")
    shown = (RECORDS_DIR / path.name).as_posix()
    record, problems = read_record(path, shown)
    if record is None or problems:
        raise RecordUnreadableError(_first_problem(shown, problems))
    findings = validate_record(record, file=shown, root=None, stem=path.stem)
    errors = [f for f in findings if f.severity == "error"]
    structural = [f for f in errors if f.level in ("schema", "file")]
    if structural:
        raise RecordUnreadableError(_first_problem(shown, structural))
    return record, errors


def _first_problem(shown: str, problems: list[Finding]) -> str:
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    detail = problems[0].format() if problems else "unreadable"
    return f"{shown} cannot be shown: {detail}{more}; run `newscorpus validate {shown}`"
