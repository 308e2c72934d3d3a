"""brat standoff: a folder of <doc-id>.txt / <doc-id>.ann pairs plus annotation.conf.

Export and import share the vocabulary below, so whatever is written is read back to the same
layers. brat offsets are code points into the .txt, like the record's.

Mapping (record -> .ann):
- mention m<k>                -> T<k> with the entity label; A MentionType (NAM|NOM|PRO);
                                 A Suggested when it is a machine suggestion
- entity (coreference)        -> on each of its mentions, N Reference newscorpus:e<k> with the
                                 entity's canonical name as the note text; every kb link as
                                 another N line <db>:<id> on each mention. brat `*` Equiv lines
                                 are also read on import (their mentions join one cluster)
- event ev<k>                 -> trigger T (numbered after the mentions) with the event type,
                                 E<k> TYPE:T role:T ... (a repeated role gets brat's numeric
                                 suffix: agent, agent2), the time mention as role `time`,
                                 A Modality, and N Reference newscorpus:evc<k> for its cluster
- relation r<k>               -> R<k> TYPE Arg1:T Arg2:T, each argument the representative
                                 mention of head/tail (interop.common.representative_mention:
                                 first evidence mention of that entity, else its first NAM
                                 mention, else its first mention); when the evidence is not
                                 exactly [Arg1, Arg2], an AnnotatorNotes line `evidence T3 T9`
- quote q<k>                  -> T Quote whose fragments are the content parts; A QuoteType;
                                 the cue as T Cue linked by R Cue; the source mention by
                                 R Source; the speaker as N Reference newscorpus:e<k>
Import numbers mentions, events and relations by their T, E and R numbers (m<k> = T<k>) and
quotes q1, q2, ... in T order. What a curator adds in brat gets defaults: a mention without
MentionType is NAM, an event without Modality is asserted, a mention with neither an N
newscorpus line nor an Equiv partner joins the other unlinked mentions of its (label, surface
form), and a new entity is named by its first named mention. A mention that crosses a line
break is written as fragments split at the break (as brat itself does) and joined again on
import. Document labels have no place in brat and stay with the record.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..fsutil import write_atomic
from ..labels import (
    ENTITY_LABELS,
    EVENT_ROLES,
    EVENT_TYPES,
    MENTION_TYPES,
    MODALITIES,
    QUOTE_TYPES,
    RELATION_ARGUMENTS,
    RELATION_TYPES,
    TEMPORAL_LABELS,
)
from ..tokens import first_difference
from .common import ExportError, Imported, RecordIndex, number, representative_mention, with_layers

# The shared vocabulary of both directions.
QUOTE = "Quote"
CUE = "Cue"
CUE_LINK = "Cue"
SOURCE_LINK = "Source"
MENTION_TYPE = "MentionType"
SUGGESTED = "Suggested"
QUOTE_TYPE = "QuoteType"
MODALITY = "Modality"
TIME_ROLE = "time"
CORPUS_DB = "newscorpus"
EVIDENCE_NOTE = "evidence"
NOTE_TYPE = "AnnotatorNotes"
NORMALIZATION_TYPE = "Reference"

if set(ENTITY_LABELS) & set(EVENT_TYPES) or {QUOTE, CUE} & (set(ENTITY_LABELS) | set(EVENT_TYPES)):
    raise RuntimeError("brat needs distinct names for entity labels, event types and quotes")


# --- export ---------------------------------------------------------------------------------


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span split at line breaks, as brat stores a span that crosses one."""
    parts = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        piece = match.group(0)
        left = len(piece) - len(piece.lstrip())
        right = len(piece) - len(piece.rstrip())
        if len(piece) > left + right:
            parts.append((start + match.start() + left, start + match.end() - right))
    return parts


def _text_bound(tid: str, kind: str, spans: list[tuple[int, int]], text: str) -> str:
    offsets = ";".join(f"{s} {e}" for s, e in spans)
    return f"{tid}\t{kind} {offsets}\t{' '.join(text[s:e] for s, e in spans)}"


def record_to_ann(record: dict[str, Any]) -> str:
    text = record["text"]
    entities = {e["id"]: e for e in record["entities"]}
    lines: list[str] = []
    counters = {"A": 0, "N": 0, "#": 0}

    def next_id(kind: str) -> str:
        counters[kind] += 1
        return f"{kind}{counters[kind]}"

    def normalize(target: str, db: str, ident: str, name: str) -> None:
        lines.append(f"{next_id('N')}\t{NORMALIZATION_TYPE} {target} {db}:{ident}\t{name}")

    t_of: dict[str, str] = {}
    for mention in record["mentions"]:
        tid = f"T{number(mention['id'])}"
        t_of[mention["id"]] = tid
        spans = fragments(text, mention["start"], mention["end"])
        lines.append(_text_bound(tid, mention["label"], spans, text))
        lines.append(f"{next_id('A')}\t{MENTION_TYPE} {tid} {mention['mention_type']}")
        if mention.get("suggested"):
            lines.append(f"{next_id('A')}\t{SUGGESTED} {tid}")
        entity = entities[mention["entity"]]
        normalize(tid, CORPUS_DB, entity["id"], entity["name"])
        for link in entity.get("kb", []):
            normalize(tid, link["db"], link["id"], entity["name"])

    next_t = max((number(m["id"]) for m in record["mentions"]), default=0)
    for event in record["events"]:
        next_t += 1
        trigger = event["trigger"]
        tid = f"T{next_t}"
        lines.append(
            _text_bound(tid, event["type"], fragments(text, trigger["start"], trigger["end"]), text)
        )
        seen: dict[str, int] = defaultdict(int)
        args = []
        for argument in event["arguments"]:
            seen[argument["role"]] += 1
            suffix = "" if seen[argument["role"]] == 1 else str(seen[argument["role"]])
            args.append(f"{argument['role']}{suffix}:{t_of[argument['mention']]}")
        if event["time"] is not None:
            args.append(f"{TIME_ROLE}:{t_of[event['time']]}")
        eid = f"E{number(event['id'])}"
        lines.append(f"{eid}\t{event['type']}:{tid}" + "".join(" " + a for a in args))
        lines.append(f"{next_id('A')}\t{MODALITY} {eid} {event['modality']}")
        normalize(eid, CORPUS_DB, event["cluster"], event["cluster"])

    next_r = max((number(r["id"]) for r in record["relations"]), default=0)
    for relation in record["relations"]:
        rid = f"R{number(relation['id'])}"
        head = representative_mention(record, relation["head"], relation["evidence"])
        tail = representative_mention(record, relation["tail"], relation["evidence"])
        lines.append(f"{rid}\t{relation['type']} Arg1:{t_of[head['id']]} Arg2:{t_of[tail['id']]}")
        if relation["evidence"] != [head["id"], tail["id"]]:
            shown = " ".join(t_of[m] for m in relation["evidence"])
            lines.append(f"{next_id('#')}\t{NOTE_TYPE} {rid}\t{EVIDENCE_NOTE} {shown}")

    for quote in record["quotes"]:
        next_t += 1
        qid = f"T{next_t}"
        spans = [
            piece
            for part in quote["content"]
            for piece in fragments(text, part["start"], part["end"])
        ]
        lines.append(_text_bound(qid, QUOTE, spans, text))
        lines.append(f"{next_id('A')}\t{QUOTE_TYPE} {qid} {quote['type']}")
        if quote["cue"] is not None:
            next_t += 1
            cue = quote["cue"]
            lines.append(
                _text_bound(f"T{next_t}", CUE, fragments(text, cue["start"], cue["end"]), text)
            )
            next_r += 1
            lines.append(f"R{next_r}\t{CUE_LINK} Arg1:{qid} Arg2:T{next_t}")
        if quote["source"] is not None:
            next_r += 1
            lines.append(f"R{next_r}\t{SOURCE_LINK} Arg1:{qid} Arg2:{t_of[quote['source']]}")
        if quote["speaker"] is not None:
            speaker = entities[quote["speaker"]]
            normalize(qid, CORPUS_DB, speaker["id"], speaker["name"])
    return "".join(line + "\n" for line in lines)


def annotation_conf() -> str:
    """brat's annotation.conf for the corpus inventory, so brat loads and checks the export."""
    any_entity = "|".join(ENTITY_LABELS)
    lines = ["# Generated by `newscorpus export brat` from schema/labels.json.", "[entities]"]
    lines += list(ENTITY_LABELS) + [QUOTE, CUE]
    lines += ["", "[relations]"]
    for name, (heads, tails) in RELATION_ARGUMENTS.items():
        lines.append(f"{name}\tArg1:{'|'.join(heads)}, Arg2:{'|'.join(tails)}")
    lines.append(f"{CUE_LINK}\tArg1:{QUOTE}, Arg2:{CUE}")
    lines.append(f"{SOURCE_LINK}\tArg1:{QUOTE}, Arg2:{any_entity}")
    lines.append("Coref\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric-transitive")
    lines.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>")
    lines += ["", "[events]"]
    for name, roles in EVENT_ROLES.items():
        args = [f"{role}*:{any_entity}" for role in roles]
        args.append(f"{TIME_ROLE}?:{'|'.join(TEMPORAL_LABELS)}")
        lines.append(f"{name}\t{', '.join(args)}")
    lines += ["", "[attributes]"]
    lines.append(f"{MENTION_TYPE}\tArg:<ENTITY>, Value:{'|'.join(MENTION_TYPES)}")
    lines.append(f"{SUGGESTED}\tArg:<ENTITY>")
    lines.append(f"{QUOTE_TYPE}\tArg:{QUOTE}, Value:{'|'.join(QUOTE_TYPES)}")
    lines.append(f"{MODALITY}\tArg:<EVENT>, Value:{'|'.join(MODALITIES)}")
    return "\n".join(lines) + "\n"


def export_records(records: list[dict[str, Any]], out: Path) -> list[Path]:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out} exists and is not an empty folder; choose a new OUT folder.")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for record in records:
        for suffix, content in ((".txt", record["text"]), (".ann", record_to_ann(record))):
            path = out / f"{record['id']}{suffix}"
            # Bytes, so no newline translation can move an offset (like open(newline="")).
            write_atomic(path, content.encode("utf-8"))
            written.append(path)
    conf = out / "annotation.conf"
    write_atomic(conf, annotation_conf().encode("utf-8"))
    return written + [conf]


# --- import ---------------------------------------------------------------------------------


@dataclass
class _TextBound:
    tid: str
    kind: str
    spans: list[tuple[int, int]]
    line: int


@dataclass
class _Ann:
    text_bounds: dict[str, _TextBound] = field(default_factory=dict)
    events: list[tuple[str, str, str, list[tuple[str, str]], int]] = field(default_factory=list)
    relations: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    attributes: list[tuple[str, str, str | None, int]] = field(default_factory=list)
    norms: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    notes: dict[str, tuple[str, int]] = field(default_factory=dict)
    equivs: list[tuple[list[str], int]] = field(default_factory=list)


class _Problems:
    def __init__(self, file: str, doc_id: str | None) -> None:
        self.file, self.doc_id = file, doc_id
        self.findings: list[Finding] = []

    def add(self, code: str, line: int, message: str, hint: str) -> None:
        self.findings.append(Finding(code, self.file, self.doc_id, str(line), message, hint))


def _parse(ann: str, text: str, bounds: list[tuple[int, int]], out: _Problems) -> _Ann:
    parsed = _Ann()
    for line_no, line in enumerate(ann.split("\n"), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0]
        try:
            if ident.startswith("T"):
                kind, offsets = fields[1].split(" ", 1)
                spans = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
                if any(len(s) != 2 for s in spans):
                    raise ValueError("an offset pair is incomplete")
                stated = fields[2] if len(fields) > 2 else None
                spans = [(s[0], s[1]) for s in spans]
                if any(not 0 <= s < e <= len(text) for s, e in spans):
                    out.add(
                        "import-span-mismatch",
                        line_no,
                        f"{ident} has offsets outside the text (length {len(text)}).",
                        "fix the offsets against the .txt",
                    )
                    continue
                actual = " ".join(text[s:e] for s, e in spans)
                if stated is not None and actual != stated:
                    out.add(
                        "import-span-mismatch",
                        line_no,
                        f"{ident} slices {actual!r} from the .txt but says {stated!r}.",
                        "the .txt changed after "
                        "annotation: restore it from the record, or fix the offsets",
                    )
                    continue
                parsed.text_bounds[ident] = _TextBound(
                    ident, kind, _join(spans, text, bounds), line_no
                )
            elif ident.startswith("E"):
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
                parsed.norms.append(
                    (target, db, key, fields[2] if len(fields) > 2 else "", line_no)
                )
            elif ident.startswith("#"):
                _, target = fields[1].split()
                parsed.notes[target] = (fields[2] if len(fields) > 2 else "", line_no)
            elif ident == "*":
                parsed.equivs.append((fields[1].split()[1:], line_no))
            else:
                raise ValueError(f"unknown annotation kind {ident!r}")
        except (IndexError, ValueError) as err:
            out.add(
                "import-input-invalid",
                line_no,
                f"cannot read the line {line[:60]!r}: {err}.",
                "write the line in brat standoff form (see brat's docs)",
            )
    return parsed


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


def ann_to_layers(ann: str, record: dict[str, Any], out: _Problems) -> dict[str, list[Any]]:
    text = record["text"]
    parsed = _parse(ann, text, [(p["start"], p["end"]) for p in record["passages"]], out)
    bounds = parsed.text_bounds

    def span(tb: _TextBound) -> dict[str, Any] | None:
        if len(tb.spans) != 1:
            out.add(
                "import-span-discontinuous",
                tb.line,
                f"{tb.tid} ({tb.kind}) has {len(tb.spans)} separate fragments.",
                "a mention, trigger or cue is one "
                "continuous span: split it into several annotations",
            )
            return None
        start, end = tb.spans[0]
        return {"start": start, "end": end, "text": text[start:end]}

    attributes: dict[str, dict[str, str | None]] = defaultdict(dict)
    for name, target, value, line in parsed.attributes:
        if name not in (MENTION_TYPE, SUGGESTED, QUOTE_TYPE, MODALITY):
            out.add(
                "import-unknown-label",
                line,
                f"unknown attribute {name!r}.",
                f"use {MENTION_TYPE}, {SUGGESTED}, {QUOTE_TYPE} or {MODALITY}",
            )
            continue
        attributes[target][name] = value

    mentions: list[dict[str, Any]] = []
    mention_of: dict[str, dict[str, Any]] = {}
    for tid, tb in sorted(bounds.items(), key=lambda kv: number(kv[0])):
        if tb.kind in ENTITY_LABELS:
            place = span(tb)
            if place is None:
                continue
            kind = attributes[tid].get(MENTION_TYPE) or "NAM"
            if kind not in MENTION_TYPES:
                out.add(
                    "import-unknown-label",
                    tb.line,
                    f"{tid} has mention type {kind!r}.",
                    f"use one of {', '.join(MENTION_TYPES)}",
                )
                continue
            mention = {
                "id": f"m{number(tid)}",
                **place,
                "label": tb.kind,
                "mention_type": kind,
                "entity": "",
            }
            if SUGGESTED in attributes[tid]:
                mention["suggested"] = True
            mentions.append(mention)
            mention_of[tid] = mention
        elif tb.kind not in EVENT_TYPES and tb.kind not in (QUOTE, CUE):
            out.add(
                "import-unknown-label",
                tb.line,
                f"{tid} has the label {tb.kind!r}.",
                "use an entity label or event type from schema/labels.json",
            )

    entities = _clusters(parsed, mention_of, out)

    def mention_ref(tid: str, line: int, what: str) -> dict[str, Any] | None:
        if tid in mention_of:
            return mention_of[tid]
        out.add(
            "import-reference-unresolved",
            line,
            f"{what} refers to {tid}, which is not an imported mention.",
            "point it at an entity-labelled T annotation",
        )
        return None

    cluster_of = {
        target: key
        for target, db, key, _, _ in parsed.norms
        if db == CORPUS_DB and target.startswith("E")
    }
    events: list[dict[str, Any]] = []
    used_clusters = [number(c) for c in cluster_of.values() if re.fullmatch(r"evc[0-9]+", c)]
    next_cluster = max(used_clusters, default=0)
    for eid, kind, trigger_id, args, line in sorted(parsed.events, key=lambda e: number(e[0])):
        trigger_tb = bounds.get(trigger_id)
        if kind not in EVENT_TYPES:
            out.add(
                "import-unknown-label",
                line,
                f"{eid} has the event type {kind!r}.",
                "use an event type from schema/labels.json",
            )
            continue
        if trigger_tb is None or trigger_tb.kind != kind:
            out.add(
                "import-reference-unresolved",
                line,
                f"{eid} has no {kind} trigger {trigger_id}.",
                "give the event a text-bound trigger of its own type",
            )
            continue
        trigger = span(trigger_tb)
        arguments, time = [], None
        for role, target in args:
            role = role.rstrip("0123456789")
            mention = mention_ref(target, line, f"{eid} {role}")
            if mention is None:
                continue
            if role == TIME_ROLE:
                time = mention["id"]
            else:
                arguments.append({"role": role, "mention": mention["id"]})
        modality = attributes[eid].get(MODALITY) or "asserted"
        if modality not in MODALITIES:
            out.add(
                "import-unknown-label",
                line,
                f"{eid} has modality {modality!r}.",
                f"use one of {', '.join(MODALITIES)}",
            )
            continue
        cluster = cluster_of.get(eid)
        if cluster is None:
            next_cluster += 1
            cluster = f"evc{next_cluster}"
        if trigger is not None:
            events.append(
                {
                    "id": f"ev{number(eid)}",
                    "type": kind,
                    "trigger": trigger,
                    "modality": modality,
                    "arguments": arguments,
                    "time": time,
                    "cluster": cluster,
                }
            )

    relations: list[dict[str, Any]] = []
    quote_links: dict[str, dict[str, str]] = defaultdict(dict)
    for rid, kind, arg1, arg2, line in sorted(parsed.relations, key=lambda r: number(r[0])):
        if kind in (CUE_LINK, SOURCE_LINK):
            quote_links[arg1][kind] = arg2
            continue
        if kind not in RELATION_TYPES:
            out.add(
                "import-unknown-label",
                line,
                f"{rid} has the relation type {kind!r}.",
                "use a relation type from schema/labels.json",
            )
            continue
        head, tail = mention_ref(arg1, line, f"{rid} Arg1"), mention_ref(arg2, line, f"{rid} Arg2")
        if head is None or tail is None:
            continue
        evidence = [head["id"], tail["id"]]
        note = parsed.notes.get(rid)
        if note is not None and note[0].split()[:1] == [EVIDENCE_NOTE]:
            refs = [mention_ref(t, note[1], f"the evidence of {rid}") for t in note[0].split()[1:]]
            evidence = [m["id"] for m in refs if m is not None]
        relations.append(
            {
                "id": f"r{number(rid)}",
                "type": kind,
                "head": head["entity"],
                "tail": tail["entity"],
                "evidence": evidence,
            }
        )

    quotes: list[dict[str, Any]] = []
    speaker_of = {
        target: key
        for target, db, key, _, _ in parsed.norms
        if db == CORPUS_DB and target in bounds and bounds[target].kind == QUOTE
    }
    for tid, tb in sorted(bounds.items(), key=lambda kv: number(kv[0])):
        if tb.kind != QUOTE:
            continue
        kind = attributes[tid].get(QUOTE_TYPE)
        if kind not in QUOTE_TYPES:
            out.add(
                "import-unknown-label",
                tb.line,
                f"quote {tid} has quote type {kind!r}.",
                f"add a {QUOTE_TYPE} attribute: {', '.join(QUOTE_TYPES)}",
            )
            continue
        links = quote_links.get(tid, {})
        cue = None
        if CUE_LINK in links:
            cue_tb = bounds.get(links[CUE_LINK])
            cue = span(cue_tb) if cue_tb is not None and cue_tb.kind == CUE else None
            if cue is None and cue_tb is None:
                out.add(
                    "import-reference-unresolved",
                    tb.line,
                    f"the cue of {tid} is {links[CUE_LINK]}, which does not exist.",
                    "link a Cue annotation",
                )
        source = None
        if SOURCE_LINK in links:
            source = mention_ref(links[SOURCE_LINK], tb.line, f"the source of {tid}")
        speaker = speaker_of.get(tid) or (source["entity"] if source else None)
        quotes.append(
            {
                "id": f"q{len(quotes) + 1}",
                "type": kind,
                "content": [{"start": s, "end": e, "text": text[s:e]} for s, e in tb.spans],
                "cue": cue,
                "source": source["id"] if source else None,
                "speaker": speaker,
            }
        )
    return {
        "mentions": mentions,
        "entities": entities,
        "quotes": quotes,
        "events": events,
        "relations": relations,
    }


def _clusters(
    parsed: _Ann, mention_of: dict[str, dict[str, Any]], out: _Problems
) -> list[dict[str, Any]]:
    """Entities from N newscorpus:e<k> lines and `*` Equiv lines; the rest by (label, form)."""
    parent: dict[str, str] = {tid: tid for tid in mention_of}

    def find(tid: str) -> str:
        while parent[tid] != tid:
            parent[tid] = parent[parent[tid]]
            tid = parent[tid]
        return tid

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    named: dict[str, tuple[str, str]] = {}  # mention T -> (entity id, name)
    kb: dict[str, list[dict[str, str]]] = defaultdict(list)
    first_with: dict[str, str] = {}
    for target, db, key, name, _ in parsed.norms:
        if target not in mention_of:
            continue
        if db == CORPUS_DB:
            named.setdefault(target, (key, name))
            if key in first_with:
                union(target, first_with[key])
            first_with.setdefault(key, target)
        else:
            kb[target].append({"db": db, "id": key})
    for members, line in parsed.equivs:
        known = [m for m in members if m in mention_of]
        if len(known) != len(members):
            out.add(
                "import-reference-unresolved",
                line,
                "an Equiv line links annotations that are not imported mentions.",
                "link entity-labelled T annotations only",
            )
        for other in known[1:]:
            union(known[0], other)
    by_form: dict[tuple[str, str], str] = {}
    for tid, mention in mention_of.items():
        if tid not in named and all(find(t) != find(tid) or t == tid for t in named):
            form = (mention["label"], mention["text"])
            if form in by_form:
                union(tid, by_form[form])
            by_form.setdefault(form, tid)

    groups: dict[str, list[str]] = defaultdict(list)
    for tid in sorted(mention_of, key=number):
        groups[find(tid)].append(tid)
    taken = {number(key) for key, _ in named.values() if re.fullmatch(r"e[0-9]+", key)}
    next_number = max(taken, default=0)
    entities: list[dict[str, Any]] = []
    for members in groups.values():
        ids = sorted(
            {named[t] for t in members if t in named},
            key=lambda kn: number(kn[0]) if re.fullmatch(r"e[0-9]+", kn[0]) else 10**9,
        )
        if ids and re.fullmatch(r"e[0-9]+", ids[0][0]):
            entity_id, name = ids[0]
        else:
            next_number += 1
            entity_id = f"e{next_number}"
            first = mention_of[members[0]]
            nams = [mention_of[t] for t in members if mention_of[t]["mention_type"] == "NAM"]
            name = (nams[0] if nams else first)["text"]
        entity: dict[str, Any] = {
            "id": entity_id,
            "label": mention_of[members[0]]["label"],
            "name": name or mention_of[members[0]]["text"],
        }
        links = []
        for tid in members:
            links.extend(link for link in kb[tid] if link not in links)
        if links:
            entity["kb"] = links
        entities.append(entity)
        for tid in members:
            mention_of[tid]["entity"] = entity_id
    return sorted(entities, key=lambda e: number(e["id"]))


def read_documents(path: Path, index: RecordIndex) -> Iterator[Imported]:
    if not path.is_dir():
        yield Imported(
            str(path),
            None,
            None,
            [
                Finding(
                    "import-input-invalid",
                    str(path),
                    None,
                    "",
                    "a brat import reads a folder of .txt/.ann pairs.",
                    "give the folder that holds the .txt and .ann files",
                )
            ],
        )
        return
    stems = sorted({p.stem for p in path.iterdir() if p.suffix in (".txt", ".ann")})
    for stem in stems:
        txt, ann = path / f"{stem}.txt", path / f"{stem}.ann"
        shown = str(ann if ann.exists() else txt)
        problems = _Problems(shown, None)
        if not (txt.exists() and ann.exists()):
            have, missing = (txt, ann) if txt.exists() else (ann, txt)
            problems.add(
                "import-document-unmatched",
                0,
                f"{have.name} has no {missing.name}.",
                "brat documents are .txt/.ann pairs: add the missing file",
            )
            yield Imported(shown, None, None, problems.findings)
            continue
        try:
            text = txt.read_bytes().decode("utf-8")
            ann_text = ann.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            problems.add(
                "import-input-invalid",
                0,
                f"cannot read the pair: {err}.",
                "save both files as UTF-8",
            )
            yield Imported(shown, None, None, problems.findings)
            continue
        record = index.match([stem], text)
        if record is None:
            problems.add(
                "import-document-unmatched",
                0,
                f"no record has the id {stem!r} or this text.",
                "add the article first (`newscorpus add`), and name the pair after its record id",
            )
            yield Imported(shown, None, None, problems.findings)
            continue
        problems.doc_id = record["id"]
        at = first_difference(text, record["text"])
        if at is not None:
            problems.add(
                "import-text-mismatch",
                0,
                f"{txt.name} differs from the record's text at offset {at}.",
                "annotate the .txt exported from the record, "
                "unchanged (brat offsets count code points in it)",
            )
            yield Imported(shown, record["id"], None, problems.findings)
            continue
        layers = ann_to_layers(ann_text, record, problems)
        yield Imported(shown, record["id"], with_layers(record, layers), problems.findings)
