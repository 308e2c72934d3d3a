"""Croissant 1.1 metadata (corpus/croissant.json), generated from the Features.

One FileObject per Parquet file, with its sha256; one FileSet per config that gathers the
config's split files; one RecordSet per config whose fields mirror the Features: a `split`
field read from the file path, one field per column, sub-fields for structs and lists of
structs. Labels are categorical data as Croissant defines it: each label set is a RecordSet
of `dataType` `sc:Enumeration` whose records (id, name) are given inline, and a label field
holds the class id (what the Parquet stores); a top-level label column also `references` its
set's id (a foreign key; mlcroissant cannot join the items of a list, so nested labels name
their set in their description). Name, version, licence, creators and citation come from
schema/dataset.json.
"""

from __future__ import annotations

import json
from typing import Any

from datasets import ClassLabel, List, Value

from ..labels import NER_TAGS, SCHEMA_ENUMS
from .descriptions import CONFIG_DESCRIPTIONS, FIELD_DESCRIPTIONS
from .features import FEATURES, iter_fields
from .layout import CONFIGS, Published, data_glob
from .metadata import Metadata, metadata

CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

PARQUET = "application/x-parquet"
_DATA_TYPES = {"string": "sc:Text", "int32": "cr:Int32", "int64": "cr:Int64", "bool": "sc:Boolean"}


def _data_type(feature: Any) -> str:
    if isinstance(feature, ClassLabel):
        return "cr:Int64"  # the class id, as stored
    if isinstance(feature, Value):
        return _DATA_TYPES[feature.dtype]
    raise TypeError(f"no Croissant type for {feature!r}")


def _leaf(
    config: str, path: str, feature: Any, column: str, json_path: str | None, is_array: bool
) -> dict[str, Any]:
    field_id = f"{config}/{path.replace('.', '/')}"
    element = feature.feature if isinstance(feature, List) else feature
    source: dict[str, Any] = {
        "fileSet": {"@id": f"{config}-parquet"},
        "extract": {"column": column},
    }
    if json_path:
        source["transform"] = {"jsonPath": json_path}
    node: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": field_id,
        "name": field_id,
        "description": FIELD_DESCRIPTIONS[config][path],
        "dataType": _data_type(element),
        "source": source,
    }
    if isinstance(element, ClassLabel):
        vocabulary = label_set(element)
        node["description"] += f" A class id: its name is in the {vocabulary} label set."
        if not (is_array or isinstance(feature, List) or json_path):
            # A foreign key; mlcroissant can join a column, not the items of a list.
            node["references"] = {"field": {"@id": f"{vocabulary}/id"}}
    if is_array or isinstance(feature, List):
        node.update({"isArray": True, "arrayShape": "-1"})
    return node


def _column_field(config: str, name: str, feature: Any, skipped: list[str]) -> dict[str, Any]:
    """A top-level column; structs become sub-fields (nested structs flattened by jsonPath).

    mlcroissant reads one level of sub-fields, so a list of structs or of lists inside a
    struct or list is left out here (its path is added to `skipped`); the flat record sets
    carry those layers.
    """
    element = feature.feature if isinstance(feature, List) else feature
    if not isinstance(element, dict):
        return _leaf(config, name, feature, name, None, False)
    in_list = isinstance(feature, List)
    sub_fields: list[dict[str, Any]] = []

    def walk(struct: dict[str, Any], path: str, json_path: str) -> None:
        for child, sub in struct.items():
            child_path, child_json = f"{path}.{child}", f"{json_path}.{child}".lstrip(".")
            if isinstance(sub, dict):
                walk(sub, child_path, child_json)
            elif isinstance(sub, List) and isinstance(sub.feature, (dict, List)):
                skipped.append(child_path)
            else:
                sub_fields.append(_leaf(config, child_path, sub, name, child_json, in_list))

    walk(element, name, "")
    field_id = f"{config}/{name}"
    node: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": field_id,
        "name": field_id,
        "description": FIELD_DESCRIPTIONS[config][name],
        "subField": sub_fields,
    }
    if in_list:
        node.update({"isArray": True, "arrayShape": "-1"})
    return node


# --- label sets (categorical data) ----------------------------------------------------------


NER_TAG_SET = "ner_tag"
_LABEL_SETS = {**SCHEMA_ENUMS, NER_TAG_SET: NER_TAGS}  # set id -> names, as the schema calls it


def _label_sets() -> dict[tuple[str, ...], str]:
    """Label names -> the id of their label set."""
    return {tuple(names): section for section, names in _LABEL_SETS.items()}


def label_set(feature: ClassLabel) -> str:
    """The id of the Enumeration RecordSet that holds `feature`'s names."""
    return _label_sets()[tuple(feature.names)]


def _used_label_sets(configs: list[str]) -> list[str]:
    used = []
    for config in configs:
        for _, feature in iter_fields(FEATURES[config]):
            while isinstance(feature, List):
                feature = feature.feature
            if isinstance(feature, ClassLabel) and label_set(feature) not in used:
                used.append(label_set(feature))
    return used


def _enumeration(section: str) -> dict[str, Any]:
    names = list(_LABEL_SETS[section])
    what = "the BIO tags of the ner config" if section == NER_TAG_SET else f"the {section} labels"
    return {
        "@type": "cr:RecordSet",
        "@id": section,
        "name": section,
        "description": f"The class ids and names of {what}.",
        "dataType": "sc:Enumeration",
        "key": {"@id": f"{section}/id"},
        "field": [
            {
                "@type": "cr:Field",
                "@id": f"{section}/id",
                "name": f"{section}/id",
                "description": "Class id, as stored in the Parquet files.",
                "dataType": "cr:Int64",
            },
            {
                "@type": "cr:Field",
                "@id": f"{section}/name",
                "name": f"{section}/name",
                "description": "Label name.",
                "dataType": "sc:Text",
            },
        ],
        "data": [
            {f"{section}/id": index, f"{section}/name": name} for index, name in enumerate(names)
        ],
    }


# --- record sets and the dataset --------------------------------------------------------------


def _record_set(config: str, published: Published) -> dict[str, Any]:
    splits = "|".join(published.splits(config))
    fields = (
        []
        if "split" in FEATURES[config]
        else [
            {
                "@type": "cr:Field",
                "@id": f"{config}/split",
                "name": f"{config}/split",
                "description": "The split (train, validation or test), read from the file name.",
                "dataType": "sc:Text",
                "source": {
                    "fileSet": {"@id": f"{config}-parquet"},
                    "extract": {"fileProperty": "fullpath"},
                    "transform": {
                        "regex": f"^(?:.*/)?data/{config}/({splits})-[0-9]+-of-[0-9]+"
                        r"\.parquet$"
                    },
                },
            }
        ]
    )
    skipped: list[str] = []
    for name, feature in FEATURES[config].items():
        fields.append(_column_field(config, name, feature, skipped))
    counts = ", ".join(f"{s} {published.rows[config][s]}" for s in published.splits(config))
    note = (
        f" Not described here (lists of structs inside a struct or list; see the "
        f"flat record sets and the dataset card): {', '.join(skipped)}."
        if skipped
        else ""
    )
    return {
        "@type": "cr:RecordSet",
        "@id": config,
        "name": config,
        "description": f"{CONFIG_DESCRIPTIONS[config]} Rows: {counts}.{note}",
        "field": fields,
    }


def _creator(meta: Metadata) -> list[dict[str, Any]]:
    return [{"@type": f"sc:{creator.type}", "name": creator.name} for creator in meta.creators]


def croissant(published: Published) -> dict[str, Any]:
    meta = metadata()
    configs = [config for config in CONFIGS if published.splits(config)]
    distribution: list[dict[str, Any]] = []
    for path, (sha256, size) in published.files.items():
        distribution.append(
            {
                "@type": "cr:FileObject",
                "@id": path,
                "name": path,
                "contentUrl": path,
                "contentSize": f"{size} B",
                "encodingFormat": PARQUET,
                "sha256": sha256,
            }
        )
    for config in configs:
        distribution.append(
            {
                "@type": "cr:FileSet",
                "@id": f"{config}-parquet",
                "name": f"{config}-parquet",
                "description": f"The Parquet files of the {config} config, one per split.",
                "encodingFormat": PARQUET,
                "includes": data_glob(config),
            }
        )
    dataset: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.1",
        "name": meta.name,
        "alternateName": meta.pretty_name,
        "description": f"{meta.summary} {published.records} article(s) in this build.",
        "version": meta.version,
        "datePublished": meta.date_published,
        "creator": _creator(meta),
        "license": {
            "@type": "sc:CreativeWork",
            "name": meta.license["name"],
            "description": meta.license["summary"],
            "url": meta.license["file"],
        },
        "citeAs": meta.bibtex(),
        "inLanguage": list(meta.languages),
        "keywords": ["news", "named-entity-recognition", "coreference", "events", "quotes"],
        "distribution": distribution,
        "recordSet": [_enumeration(section) for section in _used_label_sets(configs)]
        + [_record_set(config, published) for config in configs],
    }
    if meta.url:
        dataset["url"] = meta.url
    return dataset


def render_croissant(published: Published) -> str:
    return json.dumps(croissant(published), indent=2, ensure_ascii=False) + "\n"
