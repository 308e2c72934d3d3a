"""The Label Studio labeling config that carries every layer of a record, made from the inventory.

How each layer is drawn (the README shows the same as steps for a curator):

- a mention is a span under the `mention` labels (its entity label); its mention type is the
  per-region choice `mention_type`, and its coreference cluster the per-region text `entity`:
  mentions that carry the same entity id (e3) or the same new key are one entity; the
  per-region text `entity_name` holds the entity's name on its representative mention (typed on
  any mention of the entity, it renames the entity; left empty, a new entity is named by
  guideline 5.2);
- an event is a span under the `event` labels (its type) on the trigger word; its modality is the
  per-region choice `modality` and its event-coreference cluster the per-region text
  `event_cluster`; each argument is a relation from the trigger to a mention labelled with the
  role, and the time a relation labelled `time`;
- a quote is a span under the `quote` labels (direct, indirect, mixed) on its content; a quote in
  several parts links each part to the next with `continues`; its cue is linked from the quote
  with `cue`: to the event whose trigger is the cue (a speech act's cue is its event's trigger,
  guideline 6.4, so the characters carry one region, never two), or to a span under `cue` when
  no event has that trigger; its source mention is linked from the quote with `source` (the
  speaker is that mention's entity; without a source mention, the per-region text `speaker`
  names the entity); a quote linked to a cue event and to no source takes the event's speaker
  or agent as its source, so that arrow is drawn once, from the event;
- a relation between entities is a relation between one mention of each, labelled with the
  relation type, pointing from head to tail;
- the document's topics are the choices `topics`; its countries the text `countries` (ISO 3166
  codes separated by spaces or commas).
"""

from __future__ import annotations

from typing import Final
from xml.sax.saxutils import quoteattr

from ...labels import (
    ENTITY_LABELS,
    EVENT_TYPES,
    MENTION_TYPES,
    MODALITIES,
    QUOTE_TYPES,
    RELATION_TYPES,
    ROLES,
    TOPICS,
)

TEXT = "text"  # the Text tag's name; regions point at it with to_name
# Span tags (from_name of a region) and the layer each one draws.
MENTION: Final = "mention"
EVENT: Final = "event"
QUOTE: Final = "quote"
CUE: Final = "cue"
SPAN_TAGS = (MENTION, EVENT, QUOTE, CUE)
CUE_LABEL = "cue"
# Per-region controls: (name, the span tag whose regions they describe).
MENTION_TYPE, ENTITY_KEY, ENTITY_NAME = "mention_type", "entity", "entity_name"
MODALITY, EVENT_CLUSTER = "modality", "event_cluster"
SPEAKER_KEY = "speaker"
PER_REGION = {
    MENTION_TYPE: MENTION,
    ENTITY_KEY: MENTION,
    ENTITY_NAME: MENTION,
    MODALITY: EVENT,
    EVENT_CLUSTER: EVENT,
    SPEAKER_KEY: QUOTE,
}
# Document-level controls.
TOPICS_TAG, COUNTRIES_TAG = "topics", "countries"
# Relation labels beyond relation types and roles.
TIME, SOURCE, CUE_LINK, CONTINUES = "time", "source", "cue", "continues"
LINK_LABELS: tuple[str, ...] = (*RELATION_TYPES, *ROLES, TIME, SOURCE, CUE_LINK, CONTINUES)

# Colours per span tag, so the four layers tell apart at a glance in the editor.
_COLOURS = {MENTION: "#8ecae6", EVENT: "#f4a261", QUOTE: "#b7e4c7", CUE: "#adb5bd"}


def _labels(name: str, values: tuple[str, ...]) -> list[str]:
    colour = quoteattr(_COLOURS[name])
    lines = [f'  <Labels name="{name}" toName="{TEXT}" showInline="true">']
    lines += [f"    <Label value={quoteattr(v)} background={colour}/>" for v in values]
    return lines + ["  </Labels>"]


def _choices(
    name: str,
    values: tuple[str, ...],
    *,
    per_region: bool,
    multiple: bool = False,
    indent: str = "  ",
) -> list[str]:
    extra = ' perRegion="true"' if per_region else ""
    choice = "multiple" if multiple else "single"
    lines = [
        f'{indent}<Choices name="{name}" toName="{TEXT}" choice="{choice}"'
        f' showInline="true"{extra}>'
    ]
    lines += [f"{indent}  <Choice value={quoteattr(v)}/>" for v in values]
    return lines + [f"{indent}</Choices>"]


def _text_area(name: str, placeholder: str, *, per_region: bool, indent: str = "    ") -> str:
    extra = ' perRegion="true"' if per_region else ""
    return (
        f'{indent}<TextArea name="{name}" toName="{TEXT}"{extra} maxSubmissions="1"'
        f' editable="true" rows="1" placeholder={quoteattr(placeholder)}/>'
    )


def _region_panel(tag: str, body: list[str]) -> list[str]:
    return [f'  <View visibleWhen="region-selected" whenTagName="{tag}">', *body, "  </View>"]


def labeling_config() -> str:
    """The labeling config XML; `export labelstudio` writes it as labeling-config.xml."""
    lines = ["<View>"]
    for name, values in (
        (MENTION, ENTITY_LABELS),
        (EVENT, EVENT_TYPES),
        (QUOTE, QUOTE_TYPES),
        (CUE, (CUE_LABEL,)),
    ):
        lines += _labels(name, values)
    lines.append(f'  <Text name="{TEXT}" value="$text"/>')
    lines.append("  <Relations>")
    lines += [f"    <Relation value={quoteattr(v)}/>" for v in LINK_LABELS]
    lines.append("  </Relations>")
    lines += _region_panel(
        MENTION,
        [
            *_choices(MENTION_TYPE, MENTION_TYPES, per_region=True, indent="    "),
            _text_area(
                ENTITY_KEY,
                "entity id (e3), or a new key shared by coreferent mentions",
                per_region=True,
            ),
            _text_area(
                ENTITY_NAME,
                "entity name (guideline 5.2); type one to rename the entity",
                per_region=True,
            ),
        ],
    )
    lines += _region_panel(
        EVENT,
        [
            *_choices(MODALITY, MODALITIES, per_region=True, indent="    "),
            _text_area(
                EVENT_CLUSTER,
                "event cluster id (evc2), shared by coreferent events",
                per_region=True,
            ),
        ],
    )
    lines += _region_panel(
        QUOTE,
        [
            _text_area(
                SPEAKER_KEY,
                "speaker entity id, only when no source mention is linked",
                per_region=True,
            )
        ],
    )
    lines += _choices(TOPICS_TAG, TOPICS, per_region=False, multiple=True)
    lines.append(
        _text_area(COUNTRIES_TAG, "ISO 3166 codes, e.g. PK GB", per_region=False, indent="  ")
    )
    lines.append("</View>")
    return "\n".join(lines) + "\n"
