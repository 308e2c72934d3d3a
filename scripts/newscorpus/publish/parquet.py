"""Writing a config's split to Parquet, with fixed options and row groups of a fixed size, so
that the same rows always give the same bytes (for a given pyarrow version)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .layout import CONFIGS

# Rows per Parquet row group: documents rows carry whole articles, the others are small.
ROW_GROUP_SIZE = {config: 10_000 for config in CONFIGS} | {"documents": 500}
PARQUET_OPTIONS: dict[str, Any] = {
    "version": "2.6",
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
    "write_page_index": False,
    "store_schema": True,
}


class SplitWriter:
    """Writes a (config, split) in row groups of a fixed size, whatever the shards' sizes.

    Each row group is one contiguous single-chunk table, so the bytes depend only on the rows,
    not on how the work was sharded or how many processes derived it.
    """

    def __init__(self, path: Path, schema: pa.Schema, group_size: int) -> None:
        self.path, self.schema, self.group_size = path, schema, group_size
        self.pending: list[pa.Table] = []
        self.pending_rows = 0
        self.writer: pq.ParquetWriter | None = None
        self.count = 0

    def add(self, table: pa.Table) -> None:
        self.pending.append(table)
        self.pending_rows += table.num_rows
        while self.pending_rows >= self.group_size:
            combined = pa.concat_tables(self.pending)
            self._write(combined.slice(0, self.group_size))
            rest = combined.slice(self.group_size)
            self.pending, self.pending_rows = [rest], rest.num_rows

    def _write(self, table: pa.Table) -> None:
        if not table.num_rows:
            return
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.path, self.schema, **PARQUET_OPTIONS)
        self.writer.write_table(table.combine_chunks(), row_group_size=self.group_size)
        self.count += table.num_rows

    def close(self) -> None:
        if self.pending_rows:
            self._write(pa.concat_tables(self.pending))
        self.pending, self.pending_rows = [], 0
        if self.writer is not None:
            self.writer.close()


def arrow_bytes(path: Path) -> int:
    """The size of a Parquet file's rows as Arrow data, read one row group at a time.

    This is what `datasets` reports as a split's num_bytes. Measured on the written file, so
    it depends only on its bytes, not on how the rows were sharded before writing.
    """
    parquet = pq.ParquetFile(path)
    return sum(parquet.read_row_group(i).nbytes for i in range(parquet.num_row_groups))
