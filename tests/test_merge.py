"""What an import would lose: counted by content, so renumbering is never a loss."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from newscorpus.interop.merge import losses

RECORD = json.loads(
    (
        Path(__file__).parent
        / "data"
        / "interop"
        / "root"
        / "corpus"
        / "records"
        / "002_astral.json"
    ).read_text()
)


def renumbered(record: dict) -> dict:
    """The same annotations under other ids, in reverse order."""
    out = copy.deepcopy(record)
    mention_ids = {m["id"]: f"m{100 + i}" for i, m in enumerate(out["mentions"])}
    entity_ids = {e["id"]: f"e{100 + i}" for i, e in enumerate(out["entities"])}
    for mention in out["mentions"]:
        mention["id"], mention["entity"] = mention_ids[mention["id"]], entity_ids[mention["entity"]]
    for entity in out["entities"]:
        entity["id"] = entity_ids[entity["id"]]
    for relation in out["relations"]:
        relation["head"], relation["tail"] = (
            entity_ids[relation["head"]],
            entity_ids[relation["tail"]],
        )
        relation["evidence"] = [mention_ids[m] for m in relation["evidence"]]
    for event in out["events"]:
        for argument in event["arguments"]:
            argument["mention"] = mention_ids[argument["mention"]]
        event["time"] = mention_ids.get(event["time"])
    for quote in out["quotes"]:
        quote["source"] = mention_ids.get(quote["source"])
        quote["speaker"] = entity_ids.get(quote["speaker"])
    for layer in ("mentions", "entities", "relations", "quotes", "events"):
        out[layer].reverse()
    return out


def test_renumbering_loses_nothing():
    assert RECORD["relations"] and RECORD["quotes"]
    assert losses(RECORD, renumbered(RECORD)) == []


def test_each_kind_of_loss_is_named():
    new = copy.deepcopy(RECORD)
    new["quotes"] = new["quotes"][1:]
    new["relations"] = []
    new["labels"] = {"topics": [], "countries": RECORD["labels"]["countries"]}
    new["annotation"] = {**RECORD["annotation"], "status": "draft"}
    said = losses(RECORD, new)
    assert said == [
        "1 quote",
        f"{len(RECORD['relations'])} relation" + ("s" if len(RECORD["relations"]) > 1 else ""),
        f"topics {', '.join(RECORD['labels']['topics'])}",
        "status gold → draft",
    ]


def test_a_split_entity_is_one_lost_merge_not_a_lost_relation():
    new = copy.deepcopy(RECORD)
    entity = next(
        e["id"] for e in new["entities"] if sum(m["entity"] == e["id"] for m in new["mentions"]) > 1
    )
    moved = next(m for m in new["mentions"] if m["entity"] == entity)
    moved["entity"] = "e999"
    new["entities"].append({"id": "e999", "label": moved["label"], "name": moved["text"]})
    assert losses(RECORD, new) == ["1 coreference merge"]


def test_dropping_an_unconfirmed_suggestion_of_any_layer_loses_nothing():
    old = copy.deepcopy(RECORD)
    for layer in ("quotes", "events", "relations"):
        assert old[layer], layer
        old[layer][0]["suggested"] = True
    old["labels"]["suggested"] = {"topics": old["labels"]["topics"][:1], "countries": []}
    new = copy.deepcopy(RECORD)
    for layer in ("quotes", "events", "relations"):
        del new[layer][0]
    new["labels"]["topics"] = new["labels"]["topics"][1:]
    assert losses(old, new) == []
    old[layer][0].pop("suggested")  # a confirmed relation dropped is a loss again
    assert losses(old, new) == ["1 relation"]
