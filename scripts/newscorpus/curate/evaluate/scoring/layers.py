"""The figures of one document: a gold record against a predicted one, layer by layer.

Every function returns {figure name: figure}, each figure a value that adds up over documents
with `+` (Tally, Breakdown, SchemeScores, Accuracy). Items are compared by offsets, never by id:
a prediction's ids are its own.

- mentions: the SemEval-2013 schemes over (start, end, label) of every mention.
- ner: the named (NAM) mentions as BIO tags over the gold tokens, scored as entities in seqeval's
  default and strict modes, and with the SemEval-2013 schemes on the default-mode entities.
- coreference: MUC, B-cubed and CEAF-e on the mentions both sides share. Rule: a predicted
  mention is a gold one when its start and end offsets are the same (the label is not
  compared); every other mention is left out on both sides, so mention detection (scored under
  mentions) does not count twice.
- quotes: content overlap F1 over characters (per quote type: the characters of quotes of that
  type); quotes paired one-to-one by overlapping content, per type (`identified`) and with the
  speaker too (`attribution`, PARC-style); speaker accuracy over the pairs found regardless of
  type. Two speakers agree when their entities share a mention with identical offsets, or both
  quotes have none.
- events (ACE-style): a trigger is identified by its offsets and classified by offsets and type;
  an argument is identified by (trigger offsets, event type, argument mention offsets) and
  classified with its role too; modality accuracy over the classified triggers.
- relations: typed and directed, the head entities and the tail entities each sharing a mention
  with identical offsets; `untyped` drops the type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from operator import itemgetter
from typing import Any

from ....tokens import Sentence, bio_tags
from . import coref
from .spans import SCHEMES, SchemeScores, Span, chunks, exact_matches, overlaps
from .tally import Accuracy, Breakdown, Tally, matched_by_label, one_to_one, staged_one_to_one

Offsets = tuple[int, int]
Figures = dict[str, Any]


def offsets(span: Mapping[str, Any]) -> Offsets:
    return (span["start"], span["end"])


class Side:
    """One annotation, with its references resolved to offsets: a gold record, or a checked
    prediction (an id and the layers it predicts), read alike."""

    def __init__(self, record: Mapping[str, Any]) -> None:
        self.record = record
        self.mentions = {m["id"]: m for m in record.get("mentions", [])}
        self.clusters: dict[str, set[Offsets]] = {}
        for mention in record.get("mentions", []):
            if mention.get("entity") is not None:
                self.clusters.setdefault(mention["entity"], set()).add(offsets(mention))

    def entity_offsets(self, entity_id: str | None) -> frozenset[Offsets]:
        return frozenset(self.clusters.get(entity_id, ())) if entity_id else frozenset()

    def mention_offsets(self, mention_id: str | None) -> Offsets | None:
        mention = self.mentions.get(mention_id) if mention_id else None
        return offsets(mention) if mention else None

    def speaker(self, quote: Mapping[str, Any]) -> frozenset[Offsets] | None:
        if quote.get("speaker") is not None:
            return self.entity_offsets(quote["speaker"])
        source = self.mention_offsets(quote.get("source"))
        return frozenset([source]) if source else None


def share(x: frozenset[Offsets] | None, y: frozenset[Offsets] | None, exact: bool) -> bool:
    """Two speakers (or entities) agree: a mention in common, or overlapping ones; both None."""
    if x is None or y is None:
        return x is None and y is None
    if exact:
        return bool(x & y)
    return any(overlaps(p, q) for p in x for q in y)


def mention_spans(mentions: Iterable[Mapping[str, Any]]) -> list[Span]:
    return [(m["start"], m["end"], m["label"]) for m in mentions]


def scheme_figures(gold: list[Span], predicted: list[Span]) -> Figures:
    return {scheme: SchemeScores.of(gold, predicted, scheme) for scheme in SCHEMES}


def mentions(gold: Side, predicted: Side) -> Figures:
    return scheme_figures(
        mention_spans(gold.record["mentions"]), mention_spans(predicted.record["mentions"])
    )


def entity_spans(tags: list[list[str]], strict: bool) -> list[Span]:
    """The entities of per-sentence BIO tags, in token positions counted over the document.

    Token positions, not characters, so that the type scheme's closest-bounds rule weighs
    bounds as nervaluate does.
    """
    found: list[Span] = []
    offset = 0
    for sentence_tags in tags:
        found.extend(
            (offset + a, offset + b, label) for a, b, label in chunks(sentence_tags, strict)
        )
        offset += len(sentence_tags)
    return found


def tags_of(record: Mapping[str, Any], sentence_list: tuple[Sentence, ...]) -> list[list[str]]:
    """The BIO tags of a record's named mentions, per sentence (the NER view's tagging)."""
    tokens = [token for sentence in sentence_list for token in sentence.tokens]
    flat = iter(bio_tags(record["mentions"], tokens))
    return [[next(flat) for _ in sentence.tokens] for sentence in sentence_list]


def ner(gold_tags: list[list[str]], tags: list[list[str]]) -> Figures:
    gold = entity_spans(gold_tags, strict=False)
    default = entity_spans(tags, strict=False)
    strict = entity_spans(tags, strict=True)
    return {
        "entity_f1": exact_matches(gold, default),
        "entity_f1_strict": exact_matches(gold, strict),
        **scheme_figures(gold, default),
    }


def coreference(gold: Side, predicted: Side) -> Figures:
    shared = {offsets(m) for m in gold.mentions.values()} & {
        offsets(m) for m in predicted.mentions.values()
    }

    def partition(side: Side) -> coref.Partition:
        return coref.distinct(
            sorted(c & shared) for _, c in sorted(side.clusters.items()) if c & shared
        )

    key, response = partition(gold), partition(predicted)
    figures: Figures = coref.scores(key, response)
    figures["shared_mentions"] = Tally.of(len(shared), len(gold.mentions), len(predicted.mentions))
    return figures


def _characters(quotes: Iterable[Mapping[str, Any]]) -> set[int]:
    return {i for q in quotes for part in q["content"] for i in range(part["start"], part["end"])}


def _content_overlap(
    gold: list[Mapping[str, Any]], predicted: list[Mapping[str, Any]]
) -> Breakdown:
    labels: dict[str, Tally] = {}
    for kind in sorted({q["type"] for q in gold} | {q["type"] for q in predicted}):
        mine_gold = _characters(q for q in gold if q["type"] == kind)
        mine_predicted = _characters(q for q in predicted if q["type"] == kind)
        labels[kind] = Tally.of(
            len(mine_gold & mine_predicted), len(mine_gold), len(mine_predicted)
        )
    all_gold, all_predicted = _characters(gold), _characters(predicted)
    overall = Tally.of(len(all_gold & all_predicted), len(all_gold), len(all_predicted))
    return Breakdown(overall, labels)


def quotes(gold: Side, predicted: Side) -> Figures:
    gold_quotes, predicted_quotes = gold.record["quotes"], predicted.record["quotes"]

    def content_overlaps(x: Mapping[str, Any], y: Mapping[str, Any]) -> bool:
        return any(overlaps(offsets(p), offsets(q)) for p in x["content"] for q in y["content"])

    def attributed(x: Mapping[str, Any], y: Mapping[str, Any]) -> bool:
        return content_overlaps(x, y) and share(gold.speaker(x), predicted.speaker(y), True)

    def same_content(x: Mapping[str, Any], y: Mapping[str, Any]) -> bool:
        return [offsets(p) for p in x["content"]] == [offsets(q) for q in y["content"]]

    pairs = staged_one_to_one(gold_quotes, predicted_quotes, [same_content, content_overlaps])
    right = sum(
        share(gold.speaker(gold_quotes[i]), predicted.speaker(predicted_quotes[j]), True)
        for i, j in pairs
    )
    kind = itemgetter("type")
    return {
        "content": _content_overlap(gold_quotes, predicted_quotes),
        "identified": matched_by_label(gold_quotes, predicted_quotes, kind, content_overlaps)[0],
        "attribution": matched_by_label(gold_quotes, predicted_quotes, kind, attributed)[0],
        "speaker_accuracy": Accuracy(right, len(pairs)),
    }


def _arguments(side: Side) -> list[tuple[Offsets, str, Offsets, str]]:
    found = []
    for event in side.record["events"]:
        for argument in event["arguments"]:
            where = side.mention_offsets(argument["mention"])
            if where is not None:
                found.append((offsets(event["trigger"]), event["type"], where, argument["role"]))
    return found


def _same_items(gold: list[Any], predicted: list[Any]) -> Tally:
    """Equal items matched one to one (a multiset intersection)."""
    matched = sum((Counter(gold) & Counter(predicted)).values())
    return Tally.of(matched, len(gold), len(predicted))


def events(gold: Side, predicted: Side) -> Figures:
    gold_events, predicted_events = gold.record["events"], predicted.record["events"]
    found = one_to_one(
        gold_events, predicted_events, lambda x, y: offsets(x["trigger"]) == offsets(y["trigger"])
    )
    classified, pairs = matched_by_label(
        gold_events,
        predicted_events,
        itemgetter("type"),
        lambda x, y: offsets(x["trigger"]) == offsets(y["trigger"]),
    )
    gold_arguments, predicted_arguments = _arguments(gold), _arguments(predicted)
    same_modality = sum(x.get("modality") == y.get("modality") for x, y in pairs)
    return {
        "trigger_identification": Tally.of(len(found), len(gold_events), len(predicted_events)),
        "trigger_classification": classified,
        "argument_identification": _same_items(
            [a[:3] for a in gold_arguments], [a[:3] for a in predicted_arguments]
        ),
        "argument_classification": matched_by_label(
            gold_arguments, predicted_arguments, lambda a: a[3], lambda x, y: x == y
        )[0],
        "modality_accuracy": Accuracy(same_modality, len(pairs)),
    }


def relations(gold: Side, predicted: Side) -> Figures:
    def same_ends(x: Mapping[str, Any], y: Mapping[str, Any]) -> bool:
        return share(
            gold.entity_offsets(x["head"]), predicted.entity_offsets(y["head"]), True
        ) and share(gold.entity_offsets(x["tail"]), predicted.entity_offsets(y["tail"]), True)

    gold_relations, predicted_relations = gold.record["relations"], predicted.record["relations"]
    typed, _ = matched_by_label(gold_relations, predicted_relations, itemgetter("type"), same_ends)
    untyped = one_to_one(gold_relations, predicted_relations, same_ends)
    return {
        "typed": typed,
        "untyped": Tally.of(len(untyped), len(gold_relations), len(predicted_relations)),
    }


RECORD_LAYERS = {
    "mentions": mentions,
    "coreference": coreference,
    "quotes": quotes,
    "events": events,
    "relations": relations,
}
