"""Records to brat: a .txt and an .ann per record, and annotation.conf for the inventory."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from ...fsutil import write_atomic
from ...labels import (
    ENTITY_LABELS,
    EVENT_ROLES,
    MENTION_TYPES,
    MODALITIES,
    QUOTE_TYPES,
    RELATION_ARGUMENTS,
    TEMPORAL_LABELS,
)
from ...model import Record
from ..common import ExportError, number, representative_mention
from .vocab import (
    CORPUS_DB,
    CUE,
    CUE_LINK,
    EVIDENCE_NOTE,
    MENTION_TYPE,
    MODALITY,
    NORMALIZATION_TYPE,
    NOTE_TYPE,
    QUOTE,
    QUOTE_TYPE,
    SOURCE_LINK,
    SUGGESTED,
    TIME_ROLE,
)


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


def record_to_ann(record: Record) -> str:
    writer = _AnnWriter(record)
    writer.mentions()
    writer.events()
    writer.relations()
    writer.quotes()
    return "".join(line + "\n" for line in writer.lines)


class _AnnWriter:
    """The .ann lines of one record, numbered as the import numbers them back."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self.text = record["text"]
        self.entities = {e["id"]: e for e in record["entities"]}
        self.lines: list[str] = []
        self.counters = {"A": 0, "N": 0, "#": 0}
        self.t_of: dict[str, str] = {}  # mention id -> its T
        self.next_t = max((number(m["id"]) for m in record["mentions"]), default=0)
        self.next_r = max((number(r["id"]) for r in record["relations"]), default=0)

    def next_id(self, kind: str) -> str:
        self.counters[kind] += 1
        return f"{kind}{self.counters[kind]}"

    def text_bound(self, tid: str, kind: str, spans: list[tuple[int, int]]) -> None:
        offsets = ";".join(f"{s} {e}" for s, e in spans)
        self.lines.append(f"{tid}\t{kind} {offsets}\t{' '.join(self.text[s:e] for s, e in spans)}")

    def normalize(self, target: str, db: str, ident: str, name: str) -> None:
        self.lines.append(
            f"{self.next_id('N')}\t{NORMALIZATION_TYPE} {target} {db}:{ident}\t{name}"
        )

    def mentions(self) -> None:
        for mention in self.record["mentions"]:
            tid = f"T{number(mention['id'])}"
            self.t_of[mention["id"]] = tid
            self.text_bound(
                tid, mention["label"], fragments(self.text, mention["start"], mention["end"])
            )
            self.lines.append(
                f"{self.next_id('A')}\t{MENTION_TYPE} {tid} {mention['mention_type']}"
            )
            if mention.get("suggested"):
                self.lines.append(f"{self.next_id('A')}\t{SUGGESTED} {tid}")
            entity = self.entities[mention["entity"]]
            self.normalize(tid, CORPUS_DB, entity["id"], entity["name"])
            for link in entity.get("kb", []):
                self.normalize(tid, link["db"], link["id"], entity["name"])

    def events(self) -> None:
        for event in self.record["events"]:
            self.next_t += 1
            trigger = event["trigger"]
            tid = f"T{self.next_t}"
            self.text_bound(
                tid, event["type"], fragments(self.text, trigger["start"], trigger["end"])
            )
            seen: dict[str, int] = defaultdict(int)
            args = []
            for argument in event["arguments"]:
                seen[argument["role"]] += 1
                suffix = "" if seen[argument["role"]] == 1 else str(seen[argument["role"]])
                args.append(f"{argument['role']}{suffix}:{self.t_of[argument['mention']]}")
            if event["time"] is not None:
                args.append(f"{TIME_ROLE}:{self.t_of[event['time']]}")
            eid = f"E{number(event['id'])}"
            self.lines.append(f"{eid}\t{event['type']}:{tid}" + "".join(" " + a for a in args))
            self.lines.append(f"{self.next_id('A')}\t{MODALITY} {eid} {event['modality']}")
            self.normalize(eid, CORPUS_DB, event["cluster"], event["cluster"])

    def relations(self) -> None:
        record, t_of = self.record, self.t_of
        for relation in record["relations"]:
            rid = f"R{number(relation['id'])}"
            head = representative_mention(record, relation["head"], relation["evidence"])
            tail = representative_mention(record, relation["tail"], relation["evidence"])
            self.lines.append(
                f"{rid}\t{relation['type']} Arg1:{t_of[head['id']]} Arg2:{t_of[tail['id']]}"
            )
            if relation["evidence"] != [head["id"], tail["id"]]:
                shown = " ".join(t_of[m] for m in relation["evidence"])
                self.lines.append(
                    f"{self.next_id('#')}\t{NOTE_TYPE} {rid}\t{EVIDENCE_NOTE} {shown}"
                )

    def quotes(self) -> None:
        text = self.text
        for quote in self.record["quotes"]:
            self.next_t += 1
            qid = f"T{self.next_t}"
            spans = [
                piece
                for part in quote["content"]
                for piece in fragments(text, part["start"], part["end"])
            ]
            self.text_bound(qid, QUOTE, spans)
            self.lines.append(f"{self.next_id('A')}\t{QUOTE_TYPE} {qid} {quote['type']}")
            if quote["cue"] is not None:
                self.next_t += 1
                cue = quote["cue"]
                self.text_bound(f"T{self.next_t}", CUE, fragments(text, cue["start"], cue["end"]))
                self.next_r += 1
                self.lines.append(f"R{self.next_r}\t{CUE_LINK} Arg1:{qid} Arg2:T{self.next_t}")
            if quote["source"] is not None:
                self.next_r += 1
                source = self.t_of[quote["source"]]
                self.lines.append(f"R{self.next_r}\t{SOURCE_LINK} Arg1:{qid} Arg2:{source}")
            if quote["speaker"] is not None:
                speaker = self.entities[quote["speaker"]]
                self.normalize(qid, CORPUS_DB, speaker["id"], speaker["name"])


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


def export_records(records: list[Record], out: Path) -> list[Path]:
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
