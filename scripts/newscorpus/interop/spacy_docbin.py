"""spaCy DocBin (.spacy): one Doc per record, built on the record text with spacy.blank("en").
OUT ending in .spacy is one file; any other OUT a folder of <split>.spacy files.

- doc.spans["mentions"]: every mention; label = entity label, kb_id = entity id, id = mention id
- doc.ents: the named (NAM) mentions, which never overlap; ent_kb_id = entity id
- doc.spans["coref_clusters_<n>"]: one group per entity (n = 1, 2, ... in entity order), the
  naming of spaCy's coreference components; doc.user_data["coref_clusters"] maps n to the id
- doc.spans["quotes"]: quote content parts, label = quote type, id = quote id (a split quote
  gives several spans with one id); doc.spans["quote_cues"]: cues, id = quote id
- doc.spans["event_triggers"]: label = event type, id = event id, kb_id = event cluster id
- doc.cats: every topic of the inventory, 1.0 when the record has it, else 0.0
- sentence starts from newscorpus.tokens.sentences
- doc.user_data (saved with the DocBin): id, split, countries, and the entities, quotes,
  events and relations layers as in the record (msgpack gives lists back as tuples)

Mentions lie on token boundaries in a valid record. A quote or trigger span that does not is
widened to whole tokens (alignment_mode="expand") and listed in user_data["expanded_spans"].
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..labels import TOPICS
from ..model import Record
from ..tokens import sentences
from .common import ExportError


def _nlp() -> Any:
    import spacy

    return spacy.blank("en")


def record_to_doc(record: Record, nlp: Any) -> Any:
    doc = _tokenized(record, nlp)
    expanded: list[str] = []
    clusters = _add_spans(doc, record, expanded)
    topics = set(record["labels"]["topics"])
    doc.cats = {topic: 1.0 if topic in topics else 0.0 for topic in TOPICS}
    doc.user_data.update(
        {
            "id": record["id"],
            "split": record["split"],
            "countries": list(record["labels"]["countries"]),
            "coref_clusters": clusters,
            "entities": record["entities"],
            "quotes": record["quotes"],
            "events": record["events"],
            "relations": record["relations"],
            "expanded_spans": expanded,
        }
    )
    return doc


def _tokenized(record: Record, nlp: Any) -> Any:
    """The record's text as a Doc, with the sentence starts of the NER view."""
    text = record["text"]
    doc = nlp.make_doc(text)
    if doc.text != text:  # pragma: no cover - the tokenizer never alters text
        raise ExportError(f"{record['id']}: spaCy changed the text")
    starts = {s.start for s in sentences(text, record["passages"])}
    for i, token in enumerate(doc):
        token.is_sent_start = i == 0 or token.idx in starts
    return doc


def _add_spans(doc: Any, record: Record, expanded: list[str]) -> dict[str, str]:
    """Every layer as span groups; returns the coreference clusters (group number -> entity).
    Spans that do not fall on token boundaries are widened to them and named in `expanded`."""
    from spacy.tokens import Span

    def span(start: int, end: int, what: str, **kwargs: Any) -> Span:
        found = doc.char_span(start, end, **kwargs)
        if found is None:
            found = doc.char_span(start, end, alignment_mode="expand", **kwargs)
            expanded.append(what)
        return found

    mentions = []
    for m in record["mentions"]:
        mentions.append(
            span(
                m["start"], m["end"], m["id"], label=m["label"], kb_id=m["entity"], span_id=m["id"]
            )
        )
    doc.spans["mentions"] = mentions
    pairs = zip(mentions, record["mentions"], strict=True)
    doc.ents = [s for s, m in pairs if m["mention_type"] == "NAM"]
    clusters = {}
    for n, entity in enumerate(record["entities"], start=1):
        doc.spans[f"coref_clusters_{n}"] = [s for s in mentions if s.kb_id_ == entity["id"]]
        clusters[str(n)] = entity["id"]
    doc.spans["quotes"] = [
        span(part["start"], part["end"], q["id"], label=q["type"], span_id=q["id"])
        for q in record["quotes"]
        for part in q["content"]
    ]
    doc.spans["quote_cues"] = [
        span(q["cue"]["start"], q["cue"]["end"], q["id"], label="cue", span_id=q["id"])
        for q in record["quotes"]
        if q["cue"] is not None
    ]
    doc.spans["event_triggers"] = [
        span(
            e["trigger"]["start"],
            e["trigger"]["end"],
            e["id"],
            label=e["type"],
            kb_id=e["cluster"],
            span_id=e["id"],
        )
        for e in record["events"]
    ]
    return clusters


def export_records(records: list[Record], out: Path) -> list[Path]:
    """OUT ending in .spacy: one DocBin of every record. Any other OUT is a folder with one
    DocBin per split that has records (train.spacy, validation.spacy, test.spacy), the files
    `spacy train --paths.train OUT/train.spacy` reads, or OUT itself, read whole."""
    if out.exists() and (out.suffix == ".spacy" or not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out} exists; choose a new OUT (a .spacy file, or a folder).")
    if out.suffix == ".spacy":
        return [_write(records, out)]
    from ..labels import SPLITS

    out.mkdir(parents=True, exist_ok=True)
    return [
        _write([r for r in records if r["split"] == split], out / f"{split}.spacy")
        for split in SPLITS
        if any(r["split"] == split for r in records)
    ]


def _write(records: list[Record], out: Path) -> Path:
    from spacy.tokens import DocBin

    from ..fsutil import write_atomic

    nlp = _nlp()
    docbin = DocBin(store_user_data=True)
    for record in records:
        docbin.add(record_to_doc(record, nlp))
    write_atomic(out, docbin.to_bytes())
    return out
