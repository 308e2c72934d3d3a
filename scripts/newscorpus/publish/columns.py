"""Rows (or records) -> one Arrow table per config, built column by column.

Each column is gathered from the rows as one Python list and handed to Arrow at once; lists
and structs are built from their flattened children and offsets, and labels become class ids
through one vectorised lookup per column (`pyarrow.compute.index_in`), never per row. The
table equals `Table.from_pylist` over the rows with their labels encoded one by one
(tests/test_views.py holds the two equal), so the Parquet bytes are the same; it is only
cheaper.

The `documents` config is built from the records themselves, reading each published field
under the record's own name (`start_char` is `start`, publish/views.py), so no row is copied
to rename its keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate, chain, repeat
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from datasets import ClassLabel, Features, List

from ..errors import ViewError
from ..model import Record
from .features import FEATURES, storage_schema
from .views import OFFSET_NAMES


@dataclass(frozen=True)
class _Source:
    """How the rows name the published fields: `names` maps a published field name to the
    key the rows hold it under, `absent` gives the value of a field a row leaves out, by its
    dotted path (else None)."""

    names: Mapping[str, str] = field(default_factory=dict)
    absent: Mapping[str, Any] = field(default_factory=dict)


_ROWS = _Source()
# A record says start/end where documents say start_char/end_char; an article annotated once
# has no adjudication, which documents publish as [] (views.document_rows).
_RECORDS = _Source(
    names={published: curated for curated, published in OFFSET_NAMES.items()},
    absent={"documents.annotation.adjudication": []},
)


def rows_table(config: str, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """The stored table of a config from its rows, as the views build them (label strings)."""
    return _table(config, rows, _ROWS)


def columns_table(config: str, columns: Mapping[str, list[Any]]) -> pa.Table:
    """The stored table of a config from its columns (publish/view_columns.py): the rows'
    values by column, label strings included."""
    return _from_columns(config, lambda name, where: columns[name], _ROWS)


def documents_table(records: Sequence[Record]) -> pa.Table:
    """The stored `documents` table of valid records, one row each."""
    return _table("documents", records, _RECORDS)


def _table(config: str, rows: Sequence[Mapping[str, Any]], source: _Source) -> pa.Table:
    return _from_columns(config, lambda name, where: _gather(rows, name, source, where), source)


def _from_columns(
    config: str, column: Callable[[str, str], list[Any]], source: _Source
) -> pa.Table:
    schema = storage_schema(config)
    feature = FEATURES[config]
    columns = [
        _array(
            column(name, f"{config}.{name}"), feature[name], field_.type, source, f"{config}.{name}"
        )
        for name, field_ in zip(schema.names, schema, strict=True)
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def _gather(
    values: Sequence[Mapping[str, Any] | None], name: str, source: _Source, where: str
) -> list[Any]:
    key = source.names.get(name, name)
    default = source.absent.get(where)
    try:  # every value a dict (the common case): looked up in one C loop
        return list(map(dict.get, values, repeat(key), repeat(default)))  # type: ignore[arg-type]
    except TypeError:  # a None among them (a struct left out), or another mapping
        return [None if value is None else value.get(key, default) for value in values]


def _array(values: list[Any], feature: Any, type_: pa.DataType, source: _Source, where: str):
    if isinstance(feature, ClassLabel):
        return _labels(values, tuple(feature.names), where)
    if isinstance(feature, List):
        return _list(values, feature.feature, type_, source, where)
    if isinstance(feature, (dict, Features)):
        return _struct(values, feature, type_, source, where)
    return pa.array(values, type=type_)


def _struct(
    values: list[Any], feature: Any, type_: pa.StructType, source: _Source, where: str
) -> pa.Array:
    children = [
        _array(
            _gather(values, sub.name, source, f"{where}.{sub.name}"),
            feature[sub.name],
            sub.type,
            source,
            f"{where}.{sub.name}",
        )  # fmt: skip
        for sub in type_
    ]
    nulls = [value is None for value in values]
    mask = pa.array(nulls, pa.bool_()) if any(nulls) else None
    return pa.StructArray.from_arrays(children, fields=list(type_), mask=mask)


def _list(
    values: list[Any], inner: Any, type_: pa.ListType, source: _Source, where: str
) -> pa.Array:
    mask = None
    try:  # no list left out (the common case): lengths and items in C loops
        offsets = [0, *accumulate(map(len, values))]
        flat = list(chain.from_iterable(values))
    except TypeError:  # a None among them
        offsets = [0]
        flat = []
        nulls = []
        for value in values:
            nulls.append(value is None)
            if value is not None:
                flat.extend(value)
            offsets.append(len(flat))
        mask = pa.array(nulls, pa.bool_()) if any(nulls) else None
    child = _array(flat, inner, type_.value_type, source, where)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), child, type=type_, mask=mask)


@cache
def _label_set(names: tuple[str, ...]) -> pa.Array:
    return pa.array(names, pa.string())


def _labels(values: list[Any], names: tuple[str, ...], where: str) -> pa.Array:
    """Class ids of label strings (None stays null); an unknown label is an error, not a
    silent -1 (what `Features.encode_example` would store)."""
    try:
        strings = pa.array(values, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        strings = None
    ids = pc.index_in(strings, value_set=_label_set(names)) if strings is not None else None
    if ids is None or strings is None or ids.null_count != strings.null_count:
        known = set(names)
        bad = next(value for value in values if value is not None and value not in known)
        raise ViewError(f"{where}: {bad!r} is not one of its labels")
    return ids.cast(pa.int64())
