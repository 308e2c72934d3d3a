"""Records to Label Studio tasks whose predictions hold every layer, for the config in config.py.

Label Studio 1.23 counts region offsets in code points, as records do (its front end splits
the text with `[...text]`), so offsets are written unchanged. Region ids are the record's own
ids (m12, ev3, q2, q2-2 for a quote's second part, q2-cue), so that links can name them and an
import can tell an unchanged item from a new one.
"""

from __future__ import annotations

from typing import Any

from ...model import Event, Mention, Quote, Record, Relation, Span
from ..common import representative_mention
from ..finish import fingerprint
from .config import (
    CONTINUES,
    COUNTRIES_TAG,
    CUE,
    CUE_LABEL,
    CUE_LINK,
    ENTITY_KEY,
    ENTITY_NAME,
    EVENT,
    EVENT_CLUSTER,
    MENTION,
    MENTION_TYPE,
    MODALITY,
    QUOTE,
    SOURCE,
    SPEAKER_KEY,
    TEXT,
    TIME,
    TOPICS_TAG,
)

MODEL_VERSION = "newscorpus"


def part_id(quote_id: str, index: int) -> str:
    """The region id of a quote's content part: q3 for the first, q3-2 for the second, ..."""
    return quote_id if index == 0 else f"{quote_id}-{index + 1}"


def cue_id(quote_id: str) -> str:
    return f"{quote_id}-cue"


def _span(region_id: str, tag: str, span: Span | Mention, label: str) -> dict[str, Any]:
    value = {"start": span["start"], "end": span["end"], "text": span["text"], "labels": [label]}
    return {"id": region_id, "from_name": tag, "to_name": TEXT, "type": "labels", "value": value}


def _attribute(
    region_id: str, name: str, span: Span | Mention, kind: str, values: list[str]
) -> dict[str, Any]:
    """A per-region choice or text: same id as its region, the span's offsets repeated."""
    value: dict[str, Any] = {"start": span["start"], "end": span["end"]}
    value["choices" if kind == "choices" else "text"] = values
    return {"id": region_id, "from_name": name, "to_name": TEXT, "type": kind, "value": value}


def _link(source: str, target: str, label: str) -> dict[str, Any]:
    return {
        "from_id": source,
        "to_id": target,
        "type": "relation",
        "direction": "right",
        "labels": [label],
    }


def relation_links(record: Record, relation: Relation) -> list[tuple[str, str]]:
    """(head mention, tail mention) pairs that draw one entity relation in Label Studio.

    Label Studio links regions, so each evidence mention of the head is paired with one of the
    tail; a side without evidence is drawn from the entity's representative mention. The
    importer calls this too: links that equal these pairs give back the relation's evidence.
    """
    entity_of = {m["id"]: m["entity"] for m in record["mentions"]}
    heads = [m for m in relation["evidence"] if entity_of.get(m) == relation["head"]]
    tails = [m for m in relation["evidence"] if entity_of.get(m) == relation["tail"]]
    heads = heads or [representative_mention(record, relation["head"])["id"]]
    tails = tails or [representative_mention(record, relation["tail"])["id"]]
    count = max(len(heads), len(tails))
    return [(heads[min(i, len(heads) - 1)], tails[min(i, len(tails) - 1)]) for i in range(count)]


def named_mentions(record: Record) -> dict[str, str]:
    """Mention id -> entity name, on each named entity's representative mention: where the
    editor shows (and the import reads) the entity's name."""
    out = {}
    for entity in record["entities"]:
        if entity.get("name") and any(m["entity"] == entity["id"] for m in record["mentions"]):
            out[representative_mention(record, entity["id"])["id"]] = entity["name"]
    return out


def _mention_results(record: Record) -> list[dict[str, Any]]:
    out = []
    names = named_mentions(record)
    for mention in record["mentions"]:
        ident = mention["id"]
        out.append(_span(ident, MENTION, mention, mention["label"]))
        out.append(_attribute(ident, MENTION_TYPE, mention, "choices", [mention["mention_type"]]))
        out.append(_attribute(ident, ENTITY_KEY, mention, "textarea", [mention["entity"]]))
        if ident in names:
            out.append(_attribute(ident, ENTITY_NAME, mention, "textarea", [names[ident]]))
    return out


def _event_results(record: Record) -> list[dict[str, Any]]:
    out = []
    for event in record["events"]:
        trigger = event["trigger"]
        out.append(_span(event["id"], EVENT, trigger, event["type"]))
        out.append(_attribute(event["id"], MODALITY, trigger, "choices", [event["modality"]]))
        out.append(_attribute(event["id"], EVENT_CLUSTER, trigger, "textarea", [event["cluster"]]))
        out += [_link(event["id"], a["mention"], a["role"]) for a in event["arguments"]]
        if event["time"] is not None:
            out.append(_link(event["id"], event["time"], TIME))
    return out


def implied_source(event: Event) -> str | None:
    """The mention a quote whose cue is `event`'s trigger takes as its source when no source
    is linked: the event's speaker (STATEMENT) or agent, as guideline 6.2 makes the subject of
    the cue the source."""
    return next((a["mention"] for a in event["arguments"] if a["role"] in _SPEAKING), None)


_SPEAKING = ("speaker", "agent")


def cue_event(record: Record, quote: Quote) -> Event | None:
    """The event whose trigger is the quote's cue, when the quote's cue is drawn as that
    event's region: always, except for a quote without a source on an event with a speaker
    or agent (drawn with a cue region of its own, so that no source is implied)."""
    cue = quote["cue"]
    if cue is None:
        return None
    for event in record["events"]:
        trigger = event["trigger"]
        if (trigger["start"], trigger["end"]) == (cue["start"], cue["end"]):
            implied = implied_source(event)
            return event if quote["source"] is not None or implied is None else None
    return None


def _quote_results(record: Record) -> list[dict[str, Any]]:
    entity_of = {m["id"]: m["entity"] for m in record["mentions"]}
    out = []
    for quote in record["quotes"]:
        parts = [part_id(quote["id"], i) for i in range(len(quote["content"]))]
        for region_id, span in zip(parts, quote["content"], strict=True):
            out.append(_span(region_id, QUOTE, span, quote["type"]))
        out += [_link(a, b, CONTINUES) for a, b in zip(parts, parts[1:], strict=False)]
        event = cue_event(record, quote)
        if event is not None:
            out.append(_link(parts[0], event["id"], CUE_LINK))
        elif quote["cue"] is not None:
            out.append(_span(cue_id(quote["id"]), CUE, quote["cue"], CUE_LABEL))
            out.append(_link(parts[0], cue_id(quote["id"]), CUE_LINK))
        implied = implied_source(event) if event is not None else None
        if quote["source"] is not None and quote["source"] != implied:
            out.append(_link(parts[0], quote["source"], SOURCE))
        speaker, source = quote["speaker"], quote["source"]
        if speaker is not None and (source is None or entity_of.get(source) != speaker):
            out.append(
                _attribute(parts[0], SPEAKER_KEY, quote["content"][0], "textarea", [speaker])
            )
    return out


def _document_results(record: Record) -> list[dict[str, Any]]:
    labels = record["labels"]
    out = []
    if labels["topics"]:
        out.append(
            {
                "id": "doc-topics",
                "from_name": TOPICS_TAG,
                "to_name": TEXT,
                "type": "choices",
                "value": {"choices": list(labels["topics"])},
            }
        )
    if labels["countries"]:
        out.append(
            {
                "id": "doc-countries",
                "from_name": COUNTRIES_TAG,
                "to_name": TEXT,
                "type": "textarea",
                "value": {"text": [" ".join(labels["countries"])]},
            }
        )
    return out


def prediction_result(record: Record) -> list[dict[str, Any]]:
    """Every layer of `record` as one Label Studio result list."""
    relations = [
        _link(head, tail, relation["type"])
        for relation in record["relations"]
        for head, tail in relation_links(record, relation)
    ]
    return [
        *_mention_results(record),
        *_event_results(record),
        *_quote_results(record),
        *relations,
        *_document_results(record),
    ]


def record_task(record: Record) -> dict[str, Any]:
    """One task: the record's text and id, and its annotations as a prediction to correct.

    `data.doc_id` repeats the id because Label Studio's JSON_MIN export replaces `id` with its
    own task number; `data.fingerprint` names the version of the record the task was made
    from, so that an import can tell whether the task's region ids are still the record's.
    Every task's prediction has the same model_version: Label Studio prefills the annotator's
    annotation only from predictions of the project's current model version.
    """
    data = {"id": record["id"], "doc_id": record["id"], "text": record["text"]}
    data["fingerprint"] = fingerprint(record)
    return {
        "data": data,
        "predictions": [{"model_version": MODEL_VERSION, "result": prediction_result(record)}],
    }
