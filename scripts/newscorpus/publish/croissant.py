"""Croissant 1.1 metadata (corpus/croissant.json), generated from the Features.

One FileObject per Parquet file, with its sha256; one FileSet per config that gathers the
config's split files; one RecordSet per config whose fields mirror the Features: a `split`
field read from the file path, one field per column, sub-fields for structs and lists of
structs. Labels are described as text (the Parquet stores label strings).
"""

from __future__ import annotations

import json
from typing import Any

from datasets import ClassLabel, List, Value

from .. import __version__
from .descriptions import CONFIG_DESCRIPTIONS, FIELD_DESCRIPTIONS
from .features import FEATURES
from .layout import CONFIGS, Published, data_glob
from .metadata import PRETTY_NAME

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
        return "sc:Text"
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


def croissant(published: Published) -> dict[str, Any]:
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
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.1",
        "name": "newscorpus",
        "alternateName": PRETTY_NAME,
        "description": (
            "English news articles with hand-made span annotations: entity mentions and "
            "coreference, attributed quotes, events and relations. "
            f"{published.records} article(s) in this build."
        ),
        "version": __version__,
        "license": "other: article texts copyrighted by their publishers, research use only; "
        "annotations by the project; code MIT",
        "url": "https://newscorpus.invalid/",
        "citeAs": "@misc{newscorpus, title = {newscorpus: an annotated news corpus}}",
        "inLanguage": "en",
        "keywords": ["news", "named-entity-recognition", "coreference", "events", "quotes"],
        "distribution": distribution,
        "recordSet": [_record_set(config, published) for config in configs],
    }


def render_croissant(published: Published) -> str:
    return json.dumps(croissant(published), indent=2, ensure_ascii=False) + "\n"
