"""What each config and each field of the published dataset means, in words: the card and
Croissant render these, and undocumented_fields keeps them complete against FEATURES."""

from __future__ import annotations

from .features import FEATURES, iter_fields

CONFIG_DESCRIPTIONS: dict[str, str] = {
    "documents": "One row per article with every annotation layer nested (the default config).",
    "ner": "One row per sentence: tokens and BIO tags of the named (NAM) mentions.",
    "mentions": "One row per mention, with the name of the entity it refers to.",
    "quotes": "One row per attributed quote, with the speaker's name.",
    "events": "One row per event mention, with its arguments' text and entities.",
    "relations": "One row per relation between two entities, with their names.",
}


# Every field of every config, by dotted path (list elements take their list's path). The card
# renders these; tests/test_publish.py fails when a field has no description or a description
# names a field that does not exist.


def _meta_docs(name: str, what: str) -> dict[str, str]:
    return {
        f"source.{name}": f"{what}; null when unknown (never guessed).",
        f"source.{name}.value": f"The {what.lower()} as a string.",
        f"source.{name}.inferred": f"True when the {what.lower()} was read off the article text "
        "rather than given with the source.",
        f"source.{name}.evidence": "The text the value was read from, when inferred or quoted.",
    }


# Which text an offset counts code points of: a documents row's own `text` (the article), or,
# in every other config, the article's text, which that config's rows do not hold (their own
# `text` is the sentence, mention or quote). tests/test_offsets.py slices each by these words.
OWN_TEXT = "this row's `text` (the article)"
ARTICLE_TEXT = "the article's `text` (in the `documents` row whose `id` is `doc_id`)"


def _span_docs(path: str, what: str, into: str = OWN_TEXT) -> dict[str, str]:
    return {
        f"{path}.start_char": f"Start offset of the {what}, in code points of {into}.",
        f"{path}.end_char": f"End offset of the {what} (exclusive), in code points of {into}.",
        f"{path}.text": f"The {what} as written: that text[start_char:end_char].",
    }


def _offsets(start: str, end: str, what: str, into: str, then: str = "") -> dict[str, str]:
    return {
        start: f"Start offset of the {what}, in code points of {into}{then}.",
        end: f"End offset of the {what} (exclusive), in code points of {into}{then}.",
    }


_DOC_ID = "Id of the article (the `id` of the `documents` config)."

FIELD_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "documents": {
        "id": "Stable id of the article; also the record's file name.",
        "schema_version": "Version of the record schema the article was curated under.",
        "split": "The split, fixed from a hash of the id when the article was added.",
        "source": "Provenance of the article.",
        "source.seed_path": "Path of the raw article in the project's seeds/ folder.",
        "source.seed_sha256": "SHA-256 of the raw article's bytes.",
        **_meta_docs("publisher", "Publisher"),
        **_meta_docs("url", "URL of the original article"),
        **_meta_docs("published_date", "Publication date"),
        **_meta_docs("dateline", "Dateline place"),
        **_meta_docs("language", "Language of the article"),
        "source.cleaning": "The general repair rules that ingestion applied to the raw text.",
        "source.cleaning.rule": "Name of the repair rule.",
        "source.cleaning.count": "How many times the rule fired.",
        "text": "The article text (NFC, \\n line ends); every offset of this row points into it.",
        "passages": "Title, standfirst and paragraphs, tiling the text in order.",
        "passages.id": "Passage id (p0, p1, ...).",
        "passages.type": "title, standfirst or paragraph.",
        **_offsets("passages.start_char", "passages.end_char", "passage", OWN_TEXT),
        "mentions": "Entity mentions: named, nominal and pronominal.",
        "mentions.id": "Mention id, unique in the article.",
        **_span_docs("mentions", "mention"),
        "mentions.label": "Entity label (OntoNotes-style: PERSON, ORG, GPE, ...).",
        "mentions.mention_type": "NAM (name or value), NOM (common noun phrase) or PRO (pronoun).",
        "mentions.entity": "Id of the entity (coreference cluster) the mention refers to.",
        "entities": "Entities: the coreference clusters of the mentions.",
        "entities.id": "Entity id, unique in the article.",
        "entities.label": "Entity label, shared by all its mentions.",
        "entities.name": "Canonical name of the entity.",
        "entities.kb": "Knowledge-base links; null when none were recorded.",
        "entities.kb.db": "Name of the knowledge base.",
        "entities.kb.id": "Identifier of the entity in that knowledge base.",
        "quotes": "Attributed quotes (PARC-style): content, cue, source and speaker.",
        "quotes.id": "Quote id, unique in the article.",
        "quotes.type": "direct, indirect or mixed.",
        "quotes.content": "The quoted content; a quote split by its cue has several parts.",
        **_span_docs("quotes.content", "content part"),
        "quotes.cue": "The cue word or phrase that introduces the quote (said, told); may be null.",
        **_span_docs("quotes.cue", "cue"),
        "quotes.source": "Id of the mention that names the speaker in the text; may be null.",
        "quotes.speaker": "Id of the entity that speaks; null when unattributed.",
        "events": "Event mentions: one per trigger occurrence.",
        "events.id": "Event id, unique in the article.",
        "events.type": "Event type from the project's inventory (STATEMENT, BOYCOTT, ...).",
        "events.trigger": "The word or phrase that expresses the event.",
        **_span_docs("events.trigger", "trigger"),
        "events.modality": "Whether the event is asserted, negated, hypothetical, threatened, ...",
        "events.arguments": "The event's participants, each a mention with a role.",
        "events.arguments.role": "Role of the argument, allowed for the event type.",
        "events.arguments.mention": "Id of the argument's mention.",
        "events.time": "Id of a DATE or TIME mention that anchors the event; may be null.",
        "events.cluster": "Event coreference: event mentions of the same happening share it.",
        "relations": "Relations between two entities, with the mentions that state them.",
        "relations.id": "Relation id, unique in the article.",
        "relations.type": "Relation type (CHAIR_OF, LOCATED_IN, ...).",
        "relations.head": "Id of the head entity.",
        "relations.tail": "Id of the tail entity.",
        "relations.evidence": "Ids of the mentions that state the relation.",
        "labels": "Document-level labels.",
        "labels.topics": "Topics from the project's inventory.",
        "labels.countries": "Countries the article is about, as ISO 3166-1 alpha-2 codes.",
        "annotation": "Who annotated the article and how.",
        "annotation.annotators": "Annotators and reviewers.",
        "annotation.adjudication": "Rounds of adjudication: two independent annotations (A and "
        "B) merged decision by decision; empty when the article was annotated once.",
        "annotation.adjudication.a": "Annotators of version A.",
        "annotation.adjudication.b": "Annotators of version B.",
        "annotation.adjudication.adjudicator": "Who decided the disagreements; may be null.",
        "annotation.adjudication.decisions": "How many disagreements were decided.",
        "annotation.adjudication.tokens": "Tokens over which kappa was computed.",
        "annotation.adjudication.kappa": "Cohen's kappa of A's and B's token BIO tags.",
        "annotation.adjudication.agreement": "Agreement of B against A per layer, exact match.",
        "annotation.adjudication.agreement.layer": "mentions, entities (B-cubed), quotes, "
        "events or relations.",
        "annotation.adjudication.agreement.precision": "Matched / items of B.",
        "annotation.adjudication.agreement.recall": "Matched / items of A.",
        "annotation.adjudication.agreement.f1": "Harmonic mean of precision and recall.",
        "annotation.adjudication.agreement.a": "Items of A (entities: mentions).",
        "annotation.adjudication.agreement.b": "Items of B (entities: mentions).",
        "annotation.guidelines_version": "Version of the annotation guidelines; may be null.",
        "annotation.status": "gold (reviewed) or draft (only in builds that include drafts).",
        "annotation.notes": "Free-text notes of the annotators; may be null.",
    },
    "ner": {
        "id": "Sentence id: <doc_id>:s<n>, n counting sentences through the article.",
        "doc_id": _DOC_ID,
        "passage": "Id of the passage the sentence is in (sentences never cross passages).",
        "text": "The sentence as written: the article's text[start_char:end_char].",
        **_offsets("start_char", "end_char", "sentence", ARTICLE_TEXT),
        "tokens": "The sentence's tokens (spaCy's rule-based English tokenizer).",
        "ner_tags": "BIO tag of each token, from the named (NAM) mentions.",
        **_offsets(
            "token_starts",
            "token_ends",
            "token",
            ARTICLE_TEXT,
            "; minus start_char, in this row's `text`, the sentence",
        ),
    },
    "mentions": {
        "doc_id": _DOC_ID,
        "id": "Mention id, unique in the article.",
        "passage": "Id of the passage the mention is in.",
        **_offsets("start_char", "end_char", "mention", ARTICLE_TEXT, ", not of this row's `text`"),
        "text": "The mention as written: the article's text[start_char:end_char].",
        "label": "Entity label.",
        "mention_type": "NAM, NOM or PRO.",
        "entity": "Id of the entity the mention refers to.",
        "entity_name": "Canonical name of that entity.",
    },
    "quotes": {
        "doc_id": _DOC_ID,
        "id": "Quote id, unique in the article.",
        "type": "direct, indirect or mixed.",
        "text": "The quoted content; parts of a split quote joined by ' … '.",
        "content": "The content parts with their offsets.",
        **_span_docs("content", "content part", ARTICLE_TEXT + ", not of this row's `text`"),
        "cue_text": "The cue (said, told): the article's text[cue_start:cue_end]; null when "
        "there is none.",
        **_offsets("cue_start", "cue_end", "cue", ARTICLE_TEXT, "; null when there is none"),
        "source": "Id of the mention naming the speaker; may be null.",
        "source_text": "Text of that mention; may be null.",
        "speaker": "Id of the speaking entity; null when unattributed.",
        "speaker_name": "Canonical name of the speaker; null when unattributed.",
    },
    "events": {
        "doc_id": _DOC_ID,
        "id": "Event id, unique in the article.",
        "type": "Event type.",
        "modality": "Modality of the event.",
        "trigger_text": "The trigger as written: the article's text[trigger_start:trigger_end].",
        **_offsets("trigger_start", "trigger_end", "trigger", ARTICLE_TEXT),
        "cluster": "Event coreference cluster id (unique within the article).",
        "time": "Id of the time mention; may be null.",
        "time_text": "Text of the time mention; may be null.",
        "arguments": "The event's arguments.",
        "arguments.role": "Role of the argument.",
        "arguments.mention": "Id of the argument's mention.",
        "arguments.text": "Text of the argument's mention.",
        "arguments.entity": "Id of the entity the argument's mention refers to.",
        "arguments.entity_name": "Canonical name of that entity.",
    },
    "relations": {
        "doc_id": _DOC_ID,
        "id": "Relation id, unique in the article.",
        "type": "Relation type.",
        "head": "Id of the head entity.",
        "head_name": "Canonical name of the head entity.",
        "head_label": "Entity label of the head.",
        "tail": "Id of the tail entity.",
        "tail_name": "Canonical name of the tail entity.",
        "tail_label": "Entity label of the tail.",
        "evidence": "Ids of the mentions that state the relation.",
        "evidence_text": "Text of each evidence mention, in the same order.",
    },
}


def undocumented_fields() -> list[str]:
    """`config: path` for each field without a description, and each description without a field."""
    problems = []
    for config, features in FEATURES.items():
        paths = [path for path, _ in iter_fields(features)]
        docs = FIELD_DESCRIPTIONS.get(config, {})
        problems += [f"{config}: {p} has no description" for p in paths if not docs.get(p)]
        problems += [f"{config}: {p} is described but is no field" for p in docs if p not in paths]
    return problems
