"""The dataset card (corpus/README.md): YAML generated from the Features, prose around it.

The YAML's `configs` and `dataset_info` come from datasets' own helpers applied to the
Features objects, so the types `load_dataset` applies (class labels included) are exactly the
ones in newscorpus.publish.features. Names, version, licence, creators and citation come from
schema/dataset.json (publish.metadata); every count comes from the build. The card stands on
its own: a Hub user has only the dataset folder, so label definitions are printed here rather
than pointed to in the repository.
"""

from __future__ import annotations

from typing import Any

from datasets import SplitDict, SplitInfo
from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCardData

from .card_sections import SECTIONS
from .features import FEATURES
from .layout import CONFIGS, DEFAULT_CONFIG, Published
from .metadata import metadata


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
