"""The dataset card (corpus/README.md): YAML generated from the Features, prose around it.

The YAML's `configs` and `dataset_info` come from datasets' own helpers applied to the
Features objects, so the types `load_dataset` applies (class labels included) are exactly the
ones in newscorpus.publish.features. Names, version, licence, creators and citation come from
schema/dataset.json (publish.metadata); every count comes from the build. The card stands on
its own: a Hub user has only the dataset folder, so label definitions are printed here rather
than pointed to in the repository.
"""

from __future__ import annotations

import json
from typing import Any

from datasets import ClassLabel, List, SplitDict, SplitInfo
from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCardData

from .. import __version__
from ..labels import NER_TAGS, SPLITS, inventory
from .descriptions import CONFIG_DESCRIPTIONS, FIELD_DESCRIPTIONS
from .features import ENTITY_LABEL, FEATURES, iter_fields
from .layout import CONFIGS, DEFAULT_CONFIG, Published
from .metadata import Metadata, metadata
from .recipes import recipes_markdown
from .stats import render_markdown


def card_data(published: Published) -> DatasetCardData:
    meta = metadata()
    data = DatasetCardData(
        pretty_name=meta.pretty_name,
        language=list(meta.languages),
        license=meta.license["id"],
        license_name=meta.license["name"],
        license_link=meta.license["file"],
        annotations_creators=["expert-generated"],
        language_creators=["found"],
        multilinguality=["monolingual"],
        source_datasets=["original"],
        size_categories=[_size_category(published.records)],
        task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition", "coreference-resolution", "topic-classification"],
        tags=[
            "news",
            "entity-linking",
            "event-extraction",
            "quotation-attribution",
            "relation-extraction",
            "croissant",
        ],
    )
    published_configs = [config for config in CONFIGS if published.splits(config)]
    configs: dict[str, dict[str, Any]] = {}
    infos: dict[str, DatasetInfo] = {}
    for config in published_configs:
        splits = published.splits(config)
        configs[config] = {
            "data_files": [{"split": s, "path": _split_path(published, config, s)} for s in splits],
            **({"default": True} if config == DEFAULT_CONFIG else {}),
        }
        split_infos = {
            s: SplitInfo(
                name=s,
                num_bytes=published.num_bytes(config, s),
                num_examples=published.rows[config][s],
            )
            for s in splits
        }
        infos[config] = DatasetInfo(
            config_name=config,
            features=FEATURES[config],
            splits=SplitDict(split_infos),
            download_size=sum(published.download_size(config, s) for s in splits),
            dataset_size=sum(info.num_bytes for info in split_infos.values()),
        )
    if configs:
        MetadataConfigs(configs).to_dataset_card_data(data)
        DatasetInfosDict(infos).to_dataset_card_data(data)
    return data


def _split_path(published: Published, config: str, split: str) -> str:
    """The split's one file, or a pattern for its shards."""
    files = published.split_files(config, split)
    return files[0] if len(files) == 1 else f"data/{config}/{split}-*.parquet"


def _size_category(records: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if records < limit:
            return name
    return "100K<n<1M"


def render_card(published: Published) -> str:
    yaml = card_data(published).to_yaml()
    meta = metadata()
    body = "\n\n".join(section(published, meta) for section in SECTIONS)
    return f"---\n{yaml}\n---\n\n{body}\n"


# --- sections -------------------------------------------------------------------------------


def _summary(published: Published, meta: Metadata) -> str:
    scope = "gold and draft" if published.include_drafts else "gold (reviewed)"
    facts = [
        f"- **Version:** {meta.version}, published {meta.date_published}",
        f"- **Languages:** {', '.join(f'`{code}`' for code in meta.languages)} (BCP-47)",
        "- **Curated by:** " + ", ".join(c.name for c in meta.creators),
        f"- **Licence:** `{meta.license['name']}` (see [LICENSE.md]({meta.license['file']})"
        " and [Licensing](#licensing))",
    ]
    for label, value in (
        ("Homepage", meta.homepage),
        ("Repository", meta.repository),
        ("Contact", meta.contact),
    ):
        if value:
            facts.append(f"- **{label}:** {value}")
    return f"""# {meta.pretty_name}

## Dataset summary

{meta.summary} This build publishes {published.records} {scope} article(s). Sentences and
tokens are not curated: they are derived at build time by spaCy's rule-based English tokenizer.

{chr(10).join(facts)}

Built by `newscorpus build` (newscorpus {__version__}); do not edit this file by hand."""


def _tasks(published: Published, meta: Metadata) -> str:
    return """## Supported tasks

- `named-entity-recognition`: the `ner` config gives tokens with BIO tags of the named (NAM)
  mentions, OntoNotes-style labels.
- Coreference resolution and entity linking: `documents` groups mentions into entities, some
  with knowledge-base links.
- Quotation attribution, event extraction and relation extraction: the `quotes`, `events` and
  `relations` configs, or the nested layers of `documents`.
- Topic classification: `documents` has document-level topics.

With so few articles, the corpus suits evaluation, error analysis and annotation studies more
than training."""


def _languages(published: Published, meta: Metadata) -> str:
    codes = ", ".join(f"`{code}`" for code in meta.languages)
    return f"""## Languages

The articles are written in English ({codes} in BCP-47). Each article's language is also in
`source.language`, marked as inferred when it was read off the text rather than given with
the source."""


def _structure(published: Published, meta: Metadata) -> str:
    lines = ["## Dataset structure", ""]
    for config in CONFIGS:
        lines.append(f"- `{config}`: {CONFIG_DESCRIPTIONS[config]}")
    lines += [
        "",
        "Load a config with `datasets`; label columns are `ClassLabel` features:",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        'ner = load_dataset("path/to/corpus", "ner")',
        'names = ner["train"].features["ner_tags"].feature.names',
        "```",
        "",
        "Label columns hold class ids (integers), as `datasets` stores `ClassLabel`s. The "
        "features, with every label's name, are both in this card and in the `huggingface` "
        "metadata of each Parquet file, so `load_dataset(<this folder>, <config>)`, "
        '`load_dataset("parquet", data_files=...)` and `Dataset.from_parquet` give the same '
        "features, and the Hub's viewer counts the labels.",
    ]
    first_file = {
        c: published.split_files(c, published.splits(c)[0])[0]
        for c in CONFIGS
        if published.splits(c)
    }
    recipes = recipes_markdown(first_file)
    if recipes:
        lines += ["", recipes]
    for config in CONFIGS:
        if config in published.examples:
            example = _shorten(published.examples[config])
            lines += [
                "",
                f"An example `{config}` row (label names shown; long values shortened):",
                "",
                "```json",
                compact_json(example),
                "```",
            ]
    return "\n".join(lines)


def _shorten(value: Any) -> Any:
    """Strings cut at 48 characters, lists at their first item, so that even a `documents`
    row (a whole article with every layer) is a few dozen lines."""
    if isinstance(value, str) and len(value) > 48:
        return value[:48] + "…"
    if isinstance(value, list):
        return [_shorten(item) for item in value[:1]] + (
            [f"… {len(value) - 1} more"] if len(value) > 1 else []
        )
    if isinstance(value, dict):
        return {key: _shorten(item) for key, item in value.items()}
    return value


def compact_json(value: Any, indent: int = 0, used: int = 0, width: int = 130) -> str:
    """JSON indented by two, with every object or list that fits on its line (`used`
    characters of which are taken already) kept on one line."""
    flat = json.dumps(value, ensure_ascii=False)
    if used + len(flat) <= width or not isinstance(value, (dict, list)) or not value:
        return flat
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            head = f"{inner}{json.dumps(key, ensure_ascii=False)}: "
            items.append(head + compact_json(item, indent + 2, len(head) + 1, width))
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [inner + compact_json(item, indent + 2, len(inner) + 1, width) for item in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def _fields(published: Published, meta: Metadata) -> str:
    lines = [
        "## Data fields",
        "",
        "Offsets are 0-based, end-exclusive indices in Unicode code points (Python string "
        "indices) into the article's `text`: `text[start_char:end_char]` is the span. A dotted "
        "name is a field of a nested struct; the fields of a list of structs follow the list. "
        "A class label is stored as its id, the position of its name in the list given.",
    ]
    for config in CONFIGS:
        lines += ["", f"### `{config}`", "", "| field | type | description |", "|---|---|---|"]
        for path, feature in iter_fields(FEATURES[config]):
            description = FIELD_DESCRIPTIONS[config][path]
            lines.append(f"| `{path}` | {_type(feature)} | {description} |")
    return "\n".join(lines)


def _type(feature: Any) -> str:
    if isinstance(feature, List):
        return f"list of {_type(feature.feature)}"
    if isinstance(feature, ClassLabel):
        if list(feature.names) == list(NER_TAGS):
            return "class label: BIO tags O, B-/I- + each entity label"
        if list(feature.names) == list(ENTITY_LABEL.names):
            return "class label: entity label (see Label definitions)"
        return "class label: " + ", ".join(feature.names)
    if isinstance(feature, dict):
        return "struct"
    return f"{feature.dtype}"


def _splits(published: Published, meta: Metadata) -> str:
    lines = [
        "## Data splits",
        "",
        "An article's split is fixed when it is added (from a hash of its id: about 80% train, "
        "10% validation, 10% test) and never moves as the corpus grows. A split without rows is "
        "not listed (`datasets` cannot load an empty Parquet file); a config without any row is "
        "not published until it has one.",
        "",
        "| config | " + " | ".join(SPLITS) + " |",
        "|---|" + "---:|" * len(SPLITS),
    ]
    for config in CONFIGS:
        counts = [str(published.rows[config].get(s, 0)) for s in SPLITS]
        lines.append(f"| {config} | " + " | ".join(counts) + " |")
    missing = [config for config in CONFIGS if not published.splits(config)]
    if missing:
        lines += ["", "Not published yet (no rows): " + ", ".join(f"`{c}`" for c in missing) + "."]
    lines += ["", render_markdown(published.stats, drafts_included=published.include_drafts)]
    return "\n".join(lines)


def _creation(published: Published, meta: Metadata) -> str:
    return """## Dataset creation

### Curation rationale

A small corpus annotated in depth: every layer (entities and coreference, quotes, events,
relations) on the same articles, each span checked against the text, so that the layers can be
studied together and each annotation decision can be traced to the guidelines.

### Source data

Each article is a raw text file kept byte for byte by the project (`source.seed_path`, with
its SHA-256 in `source.seed_sha256`). Ingestion applies general repair rules (Unicode NFC, line
ends, HTML entities, site navigation left by scrapers) and records which rules fired in
`source.cleaning`. The publisher, URL and publication date of an article are `null` when the
project does not know them, never guessed; a value read off the text is marked `inferred`,
with the text it rests on in `evidence`."""


def _annotations(published: Published, meta: Metadata) -> str:
    stats = published.stats
    by_annotator = stats.get("articles_by_annotator", {})
    creators = {c.annotator_id: c.name for c in meta.creators if c.annotator_id}
    annotators = (
        ", ".join(
            f"`{who}`" + (f" ({creators[who]})" if who in creators else "") + f": {n} article(s)"
            for who, n in by_annotator.items()
        )
        or "none (no article is published)"
    )
    versions = ", ".join(
        f"{version}: {n} article(s)"
        for version, n in stats.get("articles_by_guidelines_version", {}).items()
    )
    curators = ", ".join(c.name for c in meta.creators)
    return f"""### Annotations

**Process.** Curators annotate each article by hand (in the JSON record, or in Label Studio,
doccano or brat and then imported) following the project's annotation guidelines and its
label inventory, whose definitions are printed below. A levelled validator (file, JSON
Schema, spans, references, provenance, consistency) must find no error in a record before any
build; every span's `text` must equal the article text at its offsets, and every named
mention must fall on token boundaries. Only records a curator has reviewed and marked `gold`
are published. Guidelines version per article: {versions or "none"}.

**Who annotated.** As named in `annotation.annotators`: {annotators}. No crowd workers were
involved.

**Agreement.** No article of this version was annotated twice independently, so there are no
inter-annotator agreement figures yet. The project's `newscorpus agreement` command computes
them (precision, recall and F1 per layer and label, B-cubed for coreference, Cohen's kappa on
the NER tags) for two annotations of one article.

**Curators.** {curators}, who also review and maintain the records.

{_label_definitions()}"""


def _label_definitions() -> str:
    """Every label set with its one-line definition, from schema/labels.json."""
    inv = inventory()
    parts = ["#### Label definitions"]
    for section, title in (
        ("entity_labels", "Entity labels (`label`, `head_label`, `tail_label`; NER tags)"),
        ("mention_types", "Mention types"),
        ("quote_types", "Quote types"),
        ("event_types", "Event types (with their allowed roles)"),
        ("modalities", "Event modalities"),
        ("roles", "Argument roles"),
        ("relation_types", "Relation types (head and tail entity labels)"),
        ("topics", "Topics"),
    ):
        rows = []
        for name, spec in inv[section].items():
            if isinstance(spec, dict):
                extra = ""
                if "roles" in spec:
                    extra = f" Roles: {', '.join(spec['roles'])}."
                if "head" in spec:
                    extra = f" Head: {', '.join(spec['head'])}; tail: {', '.join(spec['tail'])}."
                rows.append(f"| `{name}` | {spec['definition']}{extra} |")
            else:
                rows.append(f"| `{name}` | {spec} |")
        parts += [
            "",
            f"<details><summary>{title}</summary>",
            "",
            "| label | definition |",
            "|---|---|",
            *rows,
            "",
            "</details>",
        ]
    return "\n".join(parts)


def _uses(published: Published, meta: Metadata) -> str:
    return """## Uses

### Direct use

- Evaluating and analysing named-entity recognition, coreference, quotation attribution,
  event and relation extraction on English news, layer by layer or together.
- Studying annotation decisions: every record's `annotation.notes` says which guideline
  decided a hard case.
- Teaching span annotation and its pitfalls (offsets, token boundaries, nested layers).

### Out-of-scope use

- Training a model and reporting it as representative: the corpus is far too small, and its
  articles were chosen, not sampled.
- Drawing conclusions about news coverage, outlets, countries or people.
- Profiling or tracking the persons the articles name.
- Commercial use of the article texts, which remain their publishers' copyright (see
  Licensing)."""


def _evaluation(published: Published, meta: Metadata) -> str:
    """Scores of systems on this corpus; the scorer (curate/evaluate) will fill this section."""
    return """## Evaluation

No evaluation results are published with this version."""


def _risks(published: Published, meta: Metadata) -> str:
    return """## Personal and sensitive information

The articles are published news; they name public figures and organisations, and may name
private persons quoted in the news. No further personal data was added. Mentions of persons are
annotated as such, which makes them easy to find; do not use the corpus to profile people.

## Bias, risks and limitations

The corpus is tiny and its articles were not sampled to represent any population of news: its
topics, places and outlets reflect what the curators chose. Labels follow one team's
guidelines; sentences and tokens come from a rule-based tokenizer and can be wrong around
abbreviations and headlines. Do not draw statistical conclusions from it."""


def _licensing(published: Published, meta: Metadata) -> str:
    terms = "\n\n".join(meta.license["terms"])
    return f"""## Licensing

{terms}

Hence `license: {meta.license["id"]}` in the metadata, with `license_name:
{meta.license["name"]}` and the terms in [LICENSE.md]({meta.license["file"]})."""


def _history(published: Published, meta: Metadata) -> str:
    lines = ["## Version history", "", "| version | date | changes |", "|---|---|---|"]
    for entry in reversed(meta.version_history):
        lines.append(f"| {entry['version']} | {entry['date']} | {entry['changes']} |")
    return "\n".join(lines)


def _citation(published: Published, meta: Metadata) -> str:
    return f"""## Citation

```bibtex
{meta.bibtex()}
```"""


SECTIONS = (
    _summary,
    _tasks,
    _languages,
    _structure,
    _fields,
    _splits,
    _creation,
    _annotations,
    _uses,
    _evaluation,
    _risks,
    _licensing,
    _history,
    _citation,
)
