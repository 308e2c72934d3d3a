"""The card's one-liners for DuckDB and polars: label names and nested layers, no renaming.

Generated from the Features, so the label names they print are the ones stored; a test runs
each of them, exactly as the card shows it, on the built folder. They are written to run from
the dataset folder (the one that holds data/).

Two choices make them short. Offsets are `start_char`/`end_char`, never the reserved SQL word
`end`. A nested layer is unnested under its own name: DuckDB reaches its fields through the
struct (`m.text`), and polars prefixes them with the layer's name (`unnest(...,
separator=".")` gives `mentions.text`, the card's own field name), so the nested `id` and `text`
never clash with the article's.
"""

from __future__ import annotations

from .features import FEATURES
from .layout import data_glob


def _names(config: str, column: str) -> list[str]:
    return list(FEATURES[config][column].names)


def _sql_list(names: list[str]) -> str:
    return "[" + ", ".join(f"'{name}'" for name in names) + "]"


def duckdb_recipes() -> list[tuple[str, str]]:
    """(what it shows, SQL) pairs."""
    labels = _sql_list(_names("mentions", "label"))
    return [
        (
            "Mentions per entity label, by name (a list literal maps each id to its name; "
            "DuckDB lists count from 1):",
            f"SELECT {labels}[label + 1] AS label, count(*) AS mentions "
            f"FROM '{data_glob('mentions')}' GROUP BY ALL ORDER BY mentions DESC, label;",
        ),
        (
            "The mentions nested in `documents`, one row each, through the struct `m`:",
            f"SELECT d.id, m.start_char, m.end_char, m.text, {labels}[m.label + 1] AS label "
            f"FROM '{data_glob('documents')}' AS d, unnest(d.mentions) AS t(m);",
        ),
    ]


def polars_recipes(first_file: dict[str, str]) -> list[tuple[str, str]]:
    """(what it shows, Python) pairs; `first_file` maps a config to one of its Parquet files,
    whose metadata holds the label names."""
    return [
        (
            "The label names, read from a Parquet file's own metadata:",
            "import json, polars as pl\n"
            "features = json.loads(pl.read_parquet_metadata("
            f'"{first_file["mentions"]}")["huggingface"])["info"]["features"]\n'
            'labels = dict(enumerate(features["label"]["names"]))',
        ),
        (
            "Mentions with label names:",
            f'mentions = pl.read_parquet("{data_glob("mentions")}")'
            '.with_columns(pl.col("label").replace_strict(labels))',
        ),
        (
            "The mentions nested in `documents`, unnested under their dotted names "
            "(`explode` drops articles without mentions):",
            f'nested = pl.read_parquet("{data_glob("documents")}").explode("mentions")'
            '.unnest("mentions", separator=".")'
            '.with_columns(pl.col("mentions.label").replace_strict(labels))',
        ),
    ]


def recipes_markdown(first_file: dict[str, str]) -> str:
    """The card's subsection; empty while `mentions` or `documents` has no file to read."""
    if not all(config in first_file for config in ("mentions", "documents")):
        return ""
    lines = [
        "### SQL and dataframes",
        "",
        "DuckDB and polars read the Parquet files directly; labels come as ids, and these "
        "one-liners (run from this folder) turn them into names. No column needs quoting, and "
        "unnesting a layer keeps the article's `id` and `text` apart from the layer's own.",
    ]
    for what, sql in duckdb_recipes():
        lines += ["", what, "", "```sql", sql, "```"]
    for index, (what, code) in enumerate(polars_recipes(first_file)):
        # after the first, each goes on from the one before (the example runner reads this)
        marker = ["<!-- example: continues -->"] if index else []
        lines += ["", what, "", *marker, "```python", code, "```"]
    return "\n".join(lines)
