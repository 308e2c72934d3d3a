"""The levelled validator: file, schema, spans, references, provenance, consistency.

`validate_paths` and `validate_record` return a Report and never raise on bad input; the CLI
decides how to print it. Deeper levels run only when the record is structurally sound, so a
malformed record yields the findings that explain it, not a cascade.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from ..cache import WorkCache
from ..errors import IngestError
from ..findings import ERROR, LEVELS, Finding, Report, pointer
from ..fsutil import sha256_file
from ..ingest import ingest_text
from ..jsonio import MAX_DEPTH, MAX_SAFE_INTEGER, iter_paths, nesting_depth, read_record
from ..labels import (
    EVENT_ROLES,
    HIERARCHICAL_RELATIONS,
    RELATION_ARGUMENTS,
    TEMPORAL_LABELS,
    record_schema,
)
from ..parallel import bounded_map
from ..records import record_files, shown_path
from ..tokens import first_difference, may_span_sentences, sentences, token_boundaries

_SCHEMA_CODES = {
    "required": "schema-required",
    "additionalProperties": "schema-additional-properties",
    "type": "schema-type",
    "enum": "schema-enum",
    "pattern": "schema-pattern",
    "minimum": "schema-minimum",
    "minLength": "schema-min-length",
    "minItems": "schema-min-items",
    "uniqueItems": "schema-unique-items",
    "oneOf": "schema-one-of",
}
_SCHEMA_HINTS = {
    "required": "add the missing property (see schema/record.schema.json)",
    "additionalProperties": "remove the property or correct its spelling",
    "type": "give the value the type the schema expects",
    "enum": "use a label from schema/labels.json",
    "pattern": "write the value in the form the pattern describes",
    "minimum": "offsets and counts are non-negative integers",
    "minLength": "give a non-empty string",
    "minItems": "give at least one item",
    "uniqueItems": "list each value once",
    "oneOf": "use null or an object of the documented shape",
}


@cache
def _schema_validator() -> Draft202012Validator:
    schema = record_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


BATCH = 64  # files per task handed to a worker process
__all__ = ["Checked", "check_file", "schema_is_valid_fast", "validate_paths", "validate_record"]


def validate_paths(root: Path, paths: Iterable[Path] = (), *, jobs: int = 1,
                   use_cache: bool = False) -> Report:
    """Validate record files, streaming them in batches over `jobs` processes.

    With `use_cache`, files whose bytes (and seed) are unchanged since a previous run under the
    same code and schema reuse that run's findings (see newscorpus.cache).
    """
    files = record_files(root, paths)
    cache = WorkCache(root, "validate") if use_cache else None
    report = Report()
    tasks = [(root, files[i : i + BATCH], use_cache) for i in range(0, len(files), BATCH)]
    for results in bounded_map(_check_batch, tasks, jobs):
        for checked in results:
            report.files += 1
            report.findings.extend(checked.findings)
            if cache is not None:
                cache.store_checked(checked)
    if cache is not None:
        cache.save()
    report.findings.sort(key=lambda f: (f.file, LEVELS.index(f.level)))
    return report


@dataclass
class Checked:
    """One file's findings, its record when asked for, and what to remember of it."""

    findings: list[Finding]
    record: dict[str, Any] | None = None
    fresh: tuple[str, str, tuple[str, str] | None, list[dict[str, Any]]] | None = None

    @property
    def valid(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)


def check_file(path: Path, root: Path, *, use_cache: bool = False,
               want_record: bool = False) -> Checked:
    """Validate one file, reusing a cached verdict when its bytes and seed are unchanged.

    With `want_record`, a valid file's parsed record comes back too (build derives rows from
    it). A freshly validated file carries `fresh`, the cache entry for the caller to store.
    """
    shown = shown_path(path, root)
    cache = _worker_cache(root) if use_cache else None
    sha = sha256_file(path) if cache is not None else None
    if cache is not None and sha:
        cached = cache.lookup(shown, sha, root)
        if cached is not None:
            checked = Checked([Finding(**fields) for fields in cached])
            if want_record and checked.valid:
                checked.record, _ = read_record(path, shown)
            return checked
    findings, record = _validate_one(path, root, sentences_wanted=want_record)
    seed = None
    source = record.get("source") if record is not None else None
    if isinstance(source, dict) and isinstance(source.get("seed_path"), str):
        seed = (source["seed_path"], sha256_file(root / source["seed_path"]) or "")
    fresh = (shown, sha, seed, [_finding_fields(f) for f in findings]) if sha else None
    return Checked(findings, record if want_record else None, fresh)


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
    return [check_file(path, root, use_cache=use_cache) for path in paths]


def _validate_one(path: Path, root: Path, *, sentences_wanted: bool = False,
                  ) -> tuple[list[Finding], dict[str, Any] | None]:
    shown = shown_path(path, root)
    record, findings = read_record(path, shown)
    findings = list(findings)
    if record is not None and not findings:
        findings.extend(validate_record(record, file=shown, root=root, stem=path.stem,
                                        sentences_wanted=sentences_wanted))
    return findings, record


def validate_record(
    record: dict[str, Any], *, file: str, root: Path | None, stem: str | None = None,
    sentences_wanted: bool = False,
) -> list[Finding]:
    """All findings for one parsed record (levels 2 to 6).

    `sentences_wanted` tells that the caller derives the record's sentences next (build): the
    consistency checks then split sentences rather than only tokens, and the split is kept.
    """
    rid = record.get("id") if isinstance(record.get("id"), str) else None
    out = _Collector(file, rid)
    _check_schema(record, out)
    if out.findings:
        return out.findings
    if _has_surrogate(record):
        _check_strings(record, out)
    _check_integral_offsets(record, out)
    if out.findings:
        return out.findings
    _check_text_and_spans(record, out)
    _check_references(record, out, stem)
    if root is not None:
        _check_provenance(record, out, root)
    if not any(f.severity == "error" for f in out.findings):
        _check_consistency(record, out, sentences_wanted)
    return out.findings


class _Collector:
    def __init__(self, file: str, record: str | None) -> None:
        self.file = file
        self.record = record
        self.findings: list[Finding] = []

    def add(self, code: str, where: str, message: str, hint: str) -> None:
        self.findings.append(Finding(code, self.file, self.record, where, message, hint))


# --- level 2: schema ------------------------------------------------------------------------


@cache
def _fast_validator() -> Any:
    """jsonschema-rs, a compiled implementation of the same standard, for the bulk pass.

    It only decides valid or not; the reference implementation (jsonschema) explains every
    failure. tests/test_schema_differential.py proves both give the same verdicts.
    """
    try:
        import jsonschema_rs
    except ImportError:  # an optional speed-up: the reference validator does the same job
        return None
    return jsonschema_rs.validator_for(record_schema())


def schema_is_valid_fast(record: Any) -> bool | None:
    """The compiled validator's verdict, or None when it is not available for this value."""
    fast = _fast_validator()
    if fast is None:
        return None
    try:
        return bool(fast.is_valid(record))
    except Exception:  # e.g. a lone surrogate the Rust side cannot take: let jsonschema decide
        return None


def _check_schema(record: dict[str, Any], out: _Collector) -> None:
    if schema_is_valid_fast(record):
        return
    if nesting_depth(record) > MAX_DEPTH:
        out.add("json-too-deep", "", "the JSON nests too deeply to be a record.",
                "a record nests at most 6 levels; check the file's structure")
        return
    huge = list(_huge_integers(record))
    for path in huge:
        out.add("json-huge-integer", pointer(*path), "the integer is too large.",
                f"offsets and counts stay below 2**53 ({MAX_SAFE_INTEGER})")
    if huge:
        return
    errors = sorted(_schema_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    for error in errors:
        shown = _deepest(error)
        keyword = str(shown.validator)
        where = pointer(*shown.absolute_path)
        message = shown.message
        if len(message) > 300:
            message = message[:300] + "..."
        if keyword == "enum" and shown.path and shown.path[-1] != "type":
            message = f"{shown.instance!r} is not a known label here."
        out.add(
            _SCHEMA_CODES.get(keyword, "schema-other"),
            where,
            message,
            _SCHEMA_HINTS.get(keyword, "make the value match schema/record.schema.json"),
        )


def _deepest(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the alternative that came closest explains the problem best."""
    while error.context:
        candidate = best_match(error.context)
        if candidate.validator == "type" and error.validator == "oneOf":
            break
        error = candidate
    return error


# --- level 3: text and spans ----------------------------------------------------------------


def _has_surrogate(record: dict[str, Any]) -> bool:
    try:
        orjson.dumps(record)  # refuses lone surrogates, fast
        return False
    except TypeError:  # a surrogate, or an integer orjson cannot hold: ask the slow way
        pass
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _huge_integers(record: dict[str, Any]) -> Iterator[tuple]:
    for path, value in iter_paths(record):
        if isinstance(value, int) and not isinstance(value, bool) and (
            abs(value) > MAX_SAFE_INTEGER
        ):
            yield path


def _check_strings(record: dict[str, Any], out: _Collector) -> None:
    for path, value in iter_paths(record):
        if isinstance(value, str) and any("\ud800" <= ch <= "\udfff" for ch in value):
            out.add("string-surrogate", pointer(*path), "the string holds a lone surrogate.",
                    "replace the \\ud8xx escape with the character it was meant to encode")


def _check_integral_offsets(record: dict[str, Any], out: _Collector) -> None:
    """JSON Schema counts 3.0 as an integer; offsets must still be written as integers."""
    located = [(("passages", i), p) for i, p in enumerate(record["passages"])]
    for path, span in located + list(iter_spans(record)):
        for key in ("start", "end"):
            if type(span[key]) is not int:
                out.add("schema-type", pointer(*path, key), f"the offset {span[key]!r} is "
                        "written as a decimal number.", "write offsets as integers, e.g. 3 "
                        "rather than 3.0")


def iter_spans(record: dict[str, Any]) -> Iterator[tuple[tuple, dict[str, Any]]]:
    """Every annotated span of a record, with its path: mentions, quote parts, triggers."""
    for i, mention in enumerate(record["mentions"]):
        yield ("mentions", i), mention
    for i, quote in enumerate(record["quotes"]):
        for j, part in enumerate(quote["content"]):
            yield ("quotes", i, "content", j), part
        if quote["cue"] is not None:
            yield ("quotes", i, "cue"), quote["cue"]
    for i, event in enumerate(record["events"]):
        yield ("events", i, "trigger"), event["trigger"]


def _check_text_and_spans(record: dict[str, Any], out: _Collector) -> None:
    text: str = record["text"]
    if unicodedata.normalize("NFC", text) != text:
        out.add("text-not-nfc", "/text", "the text is not NFC-normalised.",
                "normalise with unicodedata.normalize('NFC', text) and re-anchor the spans")
    if "\ufeff" in text:
        out.add("text-bom", "/text", f"U+FEFF at offset {text.index(chr(0xFEFF))}.",
                "remove the byte-order mark from the text")
    if "\r" in text:
        out.add("text-crlf", "/text", f"CR at offset {text.index(chr(13))}.",
                "use \\n line ends in the text")

    passages = record["passages"]
    previous_end = 0
    for i, passage in enumerate(passages):
        start, end = passage["start"], passage["end"]
        where = pointer("passages", i)
        if not start < end <= len(text):
            out.add("passage-tiling", where, f"passage [{start}, {end}) is empty or out of range.",
                    f"give 0 <= start < end <= {len(text)}")
            return
        if start < previous_end:
            out.add("passage-tiling", where, f"passage starts at {start}, before the previous "
                    f"one ends at {previous_end}.", "list passages in order, without overlap")
        elif text[previous_end:start].strip():
            out.add("passage-tiling", where, f"text [{previous_end}, {start}) is in no passage: "
                    f"{text[previous_end:start][:40]!r}.", "extend a passage to cover it")
        body = text[start:end]
        if body != body.strip():
            out.add("passage-tiling", where, "the passage starts or ends with whitespace.",
                    "trim the passage to its first and last visible character")
        previous_end = end
    if text[previous_end:].strip():
        out.add("passage-tiling", pointer("passages"), f"text after offset {previous_end} is "
                "in no passage.", "add a passage for the rest of the text")

    starts = [p["start"] for p in passages]
    ends = [p["end"] for p in passages]
    for path, span in iter_spans(record):
        _check_span(text, starts, ends, span, path, out)
    for i, quote in enumerate(record["quotes"]):
        parts = quote["content"]
        for j in range(1, len(parts)):
            if parts[j]["start"] < parts[j - 1]["end"]:
                out.add("quote-content-overlap", pointer("quotes", i, "content", j),
                        f"part {j} of {quote['id']} starts at {parts[j]['start']}, before part "
                        f"{j - 1} ends at {parts[j - 1]['end']}.",
                        "list the parts of a split quote in text order, without overlap")


def _check_span(text: str, passage_starts: list[int], passage_ends: list[int],
                span: dict[str, Any], path: tuple, out: _Collector) -> bool:
    start, end, said = span["start"], span["end"], span["text"]
    if text[start:end] == said and start < end and said == said.strip():
        index = bisect_right(passage_starts, start) - 1
        if index >= 0 and end <= passage_ends[index]:
            return True  # the common case, decided without building a pointer
    where = pointer(*path)
    if start > end or end > len(text):
        out.add("span-out-of-range", where, f"[{start}, {end}) is outside the text "
                f"(length {len(text)}).", "fix the offsets (0-based, end-exclusive code points)")
        return False
    if start == end:
        out.add("span-empty", where, f"the span [{start}, {end}) is empty.",
                "give the span at least one character, or delete it")
        return False
    actual = text[start:end]
    if actual != said:
        found = text.find(said)
        hint = (f"the text {said!r} first occurs at [{found}, {found + len(said)})"
                if found >= 0 else "correct the offsets or the text")
        out.add("span-text-mismatch", where, f"text[{start}:{end}] is {actual!r}, "
                f"but the span says {said!r}.", hint)
        return False
    if actual != actual.strip():
        out.add("span-whitespace", where, f"the span {actual!r} has leading or trailing "
                "whitespace.", "trim the offsets to the first and last visible character")
    index = bisect_right(passage_starts, start) - 1
    if index < 0 or end > passage_ends[index]:
        out.add("span-crosses-passage", where, f"the span [{start}, {end}) is not inside one "
                "passage.", "split the annotation at the passage break")
    return True


# --- level 4: references --------------------------------------------------------------------


def _check_references(record: dict[str, Any], out: _Collector, stem: str | None) -> None:
    if stem is not None and record["id"] != stem:
        out.add("id-file-mismatch", "/id", f"the id {record['id']!r} differs from the file name "
                f"{stem!r}.json.", f"rename the file to {record['id']}.json or fix the id")

    seen: dict[str, tuple[str, int]] = {}
    for layer in ("passages", "mentions", "entities", "quotes", "events", "relations"):
        for i, item in enumerate(record[layer]):
            if item["id"] in seen:
                out.add("id-duplicate", pointer(layer, i, "id"), f"the id {item['id']!r} is "
                        f"already used at {pointer(*seen[item['id']], 'id')}.",
                        "give the item a new id (never renumber others)")
            else:
                seen[item["id"]] = (layer, i)

    mentions = {m["id"]: m for m in record["mentions"]}
    entities = {e["id"]: e for e in record["entities"]}

    def resolve(ref: str | None, table: dict[str, Any], where: tuple, kind: str) -> Any:
        if ref is None:
            return None
        if ref not in table:
            out.add("ref-unresolved", pointer(*where), f"no {kind} has the id {ref!r}.",
                    f"point at an existing {kind} id, or add the {kind}")
            return None
        return table[ref]

    used: set[str] = set()
    by_offsets: dict[tuple[int, int], str] = {}
    named: list[dict[str, Any]] = []
    for i, mention in enumerate(record["mentions"]):
        entity = resolve(mention["entity"], entities, ("mentions", i, "entity"), "entity")
        if entity is not None:
            used.add(entity["id"])
            if entity["label"] != mention["label"]:
                out.add("entity-label-mismatch", pointer("mentions", i, "label"),
                        f"the mention is {mention['label']} but its entity {entity['id']} is "
                        f"{entity['label']}.", "give the mention its entity's label, or move it "
                        "to another entity")
        key = (mention["start"], mention["end"])
        if key in by_offsets:
            out.add("mention-duplicate", pointer("mentions", i), f"mention {mention['id']} has "
                    f"the same offsets as {by_offsets[key]}.", "delete one of the two mentions")
        by_offsets.setdefault(key, mention["id"])
        if mention["mention_type"] == "NAM":
            named.append(mention)
    named.sort(key=lambda m: (m["start"], -m["end"]))
    for left, right in zip(named, named[1:], strict=False):
        if right["start"] < left["end"] and (left["start"], left["end"]) != (
            right["start"], right["end"]
        ):
            index = record["mentions"].index(right)
            out.add("mention-overlap", pointer("mentions", index), f"named mention {right['id']} "
                    f"{right['text']!r} overlaps {left['id']} {left['text']!r}.",
                    "named mentions are flat: keep the longest name, or make one of them NOM")
    for i, entity in enumerate(record["entities"]):
        if entity["id"] not in used:
            out.add("entity-unused", pointer("entities", i), f"no mention refers to entity "
                    f"{entity['id']} ({entity['name']!r}).",
                    "delete the entity or add its mentions")

    for i, quote in enumerate(record["quotes"]):
        source = resolve(quote["source"], mentions, ("quotes", i, "source"), "mention")
        speaker = resolve(quote["speaker"], entities, ("quotes", i, "speaker"), "entity")
        if source is not None and speaker is not None and source["entity"] != speaker["id"]:
            out.add("quote-speaker-mismatch", pointer("quotes", i, "speaker"), f"the source "
                    f"mention {source['id']} belongs to {source['entity']}, not to the speaker "
                    f"{speaker['id']}.", "make the speaker the entity of the source mention")

    clusters: dict[str, tuple[str, str]] = {}
    for i, event in enumerate(record["events"]):
        allowed = EVENT_ROLES[event["type"]]
        for j, argument in enumerate(event["arguments"]):
            resolve(argument["mention"], mentions, ("events", i, "arguments", j, "mention"),
                    "mention")
            if argument["role"] not in allowed:
                out.add("role-not-allowed", pointer("events", i, "arguments", j, "role"),
                        f"{event['type']} events have no "
                        f"role {argument['role']!r}.", f"use one of: {', '.join(allowed)}")
        time = resolve(event["time"], mentions, ("events", i, "time"), "mention")
        if time is not None and time["label"] not in TEMPORAL_LABELS:
            out.add("event-time-label", pointer("events", i, "time"), f"the time mention "
                    f"{time['id']} is {time['label']}.", "point at a DATE or TIME mention")
        first = clusters.setdefault(event["cluster"], (event["type"], event["id"]))
        if first[0] != event["type"]:
            out.add("event-cluster-type", pointer("events", i, "cluster"), f"{event['id']} is "
                    f"{event['type']} but {first[1]} in the same cluster is {first[0]}.",
                    "coreferent events share a type: fix the type or the cluster")

    seen_relations: dict[tuple[str, str, str], str] = {}
    for i, relation in enumerate(record["relations"]):
        head = resolve(relation["head"], entities, ("relations", i, "head"), "entity")
        tail = resolve(relation["tail"], entities, ("relations", i, "tail"), "entity")
        heads, tails = RELATION_ARGUMENTS[relation["type"]]
        for role, entity, allowed in (("head", head, heads), ("tail", tail, tails)):
            if entity is not None and entity["label"] not in allowed:
                out.add("relation-argument-label", pointer("relations", i, role),
                        f"{relation['type']} takes a {' or '.join(allowed)} {role}, not "
                        f"{entity['label']} ({entity['name']!r}).",
                        "swap head and tail, or choose another relation type")
        if relation["head"] == relation["tail"]:
            out.add("relation-self", pointer("relations", i), f"{relation['id']} relates "
                    f"{relation['head']} to itself.", "a relation links two different entities")
        key = (relation["type"], relation["head"], relation["tail"])
        if key in seen_relations:
            out.add("relation-duplicate", pointer("relations", i), f"{relation['id']} repeats "
                    f"{seen_relations[key]}.", "merge the evidence into one relation")
        seen_relations.setdefault(key, relation["id"])
        for j, ref in enumerate(relation["evidence"]):
            mention = resolve(ref, mentions, ("relations", i, "evidence", j), "mention")
            if mention is not None and mention["entity"] not in (relation["head"],
                                                                 relation["tail"]):
                out.add("relation-evidence", pointer("relations", i, "evidence", j),
                        f"evidence {ref} refers to {mention['entity']}, neither head nor tail.",
                        "list mentions of the head and the tail that state the relation")

    _check_relation_cycles(record, out)

    annotation = record["annotation"]
    if annotation["status"] == "gold" and not annotation["annotators"]:
        out.add("gold-without-annotator", "/annotation/annotators", "a gold record names no "
                "annotator.", "list who annotated and reviewed it, or keep status draft")
    if annotation["status"] == "gold":
        for i, mention in enumerate(record["mentions"]):
            if mention.get("suggested"):
                out.add("gold-with-suggestion", pointer("mentions", i, "suggested"), f"mention "
                        f"{mention['id']} is an unconfirmed suggestion in a gold record.",
                        "review it: delete the mention, or remove `suggested` to confirm it")


def _check_relation_cycles(record: dict[str, Any], out: _Collector) -> None:
    for kind in HIERARCHICAL_RELATIONS:
        edges: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for i, relation in enumerate(record["relations"]):
            if relation["type"] == kind and relation["head"] != relation["tail"]:
                edges[relation["head"]].append((relation["tail"], i))
        reported: set[int] = set()
        for start in sorted(edges):
            # Depth-first search for a path back to `start`.
            stack = [(start, [])]
            seen = {start}
            while stack:
                node, path = stack.pop()
                for target, index in edges.get(node, ()):
                    if target == start and index not in reported:
                        reported.add(index)
                        chain = " -> ".join(record["relations"][k]["id"] for k in path + [index])
                        out.add("relation-cycle", pointer("relations", index), f"{kind} "
                                f"relations form a cycle: {chain}.", "a part or member cannot "
                                "contain its own whole: delete or reverse one of them")
                    elif target not in seen:
                        seen.add(target)
                        stack.append((target, path + [index]))


# --- level 5: provenance --------------------------------------------------------------------


def _check_provenance(record: dict[str, Any], out: _Collector, root: Path) -> None:
    seed_rel = record["source"]["seed_path"]
    seed = root / seed_rel
    try:
        data = seed.read_bytes()
    except OSError:
        out.add("seed-missing", "/source/seed_path", f"the seed {seed_rel} does not exist under "
                f"{root}.", "restore the raw article in seeds/ (seeds are never deleted)")
        return
    digest = hashlib.sha256(data).hexdigest()
    if digest != record["source"]["seed_sha256"]:
        out.add("seed-sha256-mismatch", "/source/seed_sha256", f"{seed_rel} has sha256 "
                f"{digest[:12]}..., the record says {record['source']['seed_sha256'][:12]}....",
                "seeds are never edited: restore the original, or add the new version with "
                "`newscorpus reanchor`")
        return
    try:
        expected = ingest_text(data, seed_rel).text
    except IngestError as err:
        out.add("text-seed-mismatch", "/text", f"the seed cannot be ingested: {err}",
                "restore the original seed")
        return
    text = record["text"]
    at = first_difference(text, expected)
    if at is not None:
        out.add("text-seed-mismatch", "/text", f"the text differs from the ingested seed at "
                f"offset {at}: {text[at:at + 30]!r} vs {expected[at:at + 30]!r}.",
                "the text is derived from the seed: undo the edit (annotations never change "
                "the text)")


# --- level 6: consistency -------------------------------------------------------------------


def _check_consistency(record: dict[str, Any], out: _Collector,
                       sentences_wanted: bool = False) -> None:
    text = record["text"]
    named = [m for m in record["mentions"] if m["mention_type"] == "NAM"]
    starts: dict[int, int] | set[int]
    ends: dict[int, int] | set[int]
    if sentences_wanted or any(may_span_sentences(m["text"]) for m in named):
        # Sentence index of every token start and end, to see whether a name is cut.
        starts, ends = {}, {}
        for index, sentence in enumerate(sentences(text, record["passages"])):
            for start, end in sentence.tokens:
                starts[start] = ends[end] = index
    else:  # no name can be cut: the tokenizer alone is enough, and much faster
        starts, ends = token_boundaries(text, record["passages"])
    for i, mention in enumerate(record["mentions"]):
        if mention["start"] not in starts or mention["end"] not in ends:
            out.add("mention-token-boundary", pointer("mentions", i), f"{mention['id']} "
                    f"{mention['text']!r} does not start and end on token boundaries.",
                    "widen or narrow the span to whole tokens")
        elif (mention["mention_type"] == "NAM" and isinstance(starts, dict)
              and starts[mention["start"]] != ends[mention["end"]]):
            out.add("mention-crosses-sentence", pointer("mentions", i), f"named mention "
                    f"{mention['id']} {mention['text']!r} crosses a sentence break of the "
                    "tokenizer.", "split it into one mention per sentence, or make it NOM")
    # Surface forms of named mentions: one label each, and annotated wherever they occur.
    labels: dict[str, set[str]] = defaultdict(set)
    for mention in named:
        labels[mention["text"]].add(mention["label"])
    for form, found in sorted(labels.items()):
        if len(found) > 1:
            index = next(i for i, m in enumerate(record["mentions"]) if m["text"] == form)
            out.add("label-inconsistent", pointer("mentions", index), f"{form!r} is annotated "
                    f"as {', '.join(sorted(found))}.", "use one label for the surface form, "
                    "unless the readings really differ (then say so in annotation.notes)")
    # An occurrence is covered when some named mention starts at or before it and ends at or
    # after it: with mentions sorted by start, that is the running maximum of their ends.
    covered = sorted((m["start"], m["end"]) for m in named)
    covered_starts = [start for start, _ in covered]
    reach = list(accumulate((end for _, end in covered), max))
    for form in sorted(labels):
        start = text.find(form)
        while start >= 0:
            end, at = start + len(form), start
            start = text.find(form, start + 1)
            if at not in starts or end not in ends:
                continue
            index = bisect_right(covered_starts, at)
            if index and reach[index - 1] >= end:
                continue
            first = next(i for i, m in enumerate(record["mentions"]) if m["text"] == form)
            out.add("unannotated-occurrence", pointer("mentions"), f"{form!r} at [{at}, "
                    f"{end}) is not annotated, but {record['mentions'][first]['id']} annotates "
                    "it elsewhere.", f"add a mention for [{at}, {end}) or explain in notes")
