"""Writing one shard's rows: one zstd Parquet file per table, in row groups.

Rows are buffered per table and flushed every ``row_group_rows`` rows, so a
shard of any size keeps memory flat.  Files are written under the run's
staging directory; nothing a reader looks at changes until ``publish``.
"""

from __future__ import annotations

import os
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.arrow import arrow_schema

COMPRESSION = "zstd"


def partition_dir(base: str, table: str, ingest_date: str) -> str:
    return os.path.join(base, table, f"ingest_date={ingest_date}")


class ShardWriter:
    """Collects rows (dicts) per table and writes ``<base>/<table>/ingest_date=…/<name>.parquet``."""

    def __init__(self, base: str, shard_name: str, ingest_date: str, row_group_rows: int = 50_000):
        self.base = base
        self.shard_name = shard_name
        self.ingest_date = ingest_date
        self.row_group_rows = row_group_rows
        self._buffers: dict[str, list[dict[str, Any]]] = {}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.paths: dict[str, str] = {}
        self.row_counts: dict[str, int] = {}

    def add(self, table: str, row: dict[str, Any]) -> None:
        buffer = self._buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= self.row_group_rows:
            self._flush(table)

    def extend(self, table: str, rows: list[dict[str, Any]]) -> None:
        buffer = self._buffers.setdefault(table, [])
        buffer.extend(rows)
        if len(buffer) >= self.row_group_rows:
            self._flush(table)

    def _flush(self, table: str) -> None:
        rows = self._buffers.get(table)
        if not rows:
            return
        schema = arrow_schema(table)
        batch = pa.RecordBatch.from_pylist(rows, schema=schema)
        writer = self._writers.get(table)
        if writer is None:
            directory = partition_dir(self.base, table, self.ingest_date)
            os.makedirs(directory, exist_ok=True)
            path = os.path.join(directory, f"{self.shard_name}.parquet")
            writer = pq.ParquetWriter(path + ".tmp", schema, compression=COMPRESSION)
            self._writers[table] = writer
            self.paths[table] = path
        writer.write_batch(batch)
        self.row_counts[table] = self.row_counts.get(table, 0) + len(rows)
        rows.clear()

    def close(self) -> dict[str, str]:
        """Flush, close and rename each file into place; returns table -> path."""
        for table in list(self._buffers):
            self._flush(table)
        for table, writer in self._writers.items():
            writer.close()
            os.replace(self.paths[table] + ".tmp", self.paths[table])
        return dict(self.paths)

    def abort(self) -> None:
        for table, writer in self._writers.items():
            writer.close()
            try:
                os.remove(self.paths[table] + ".tmp")
            except FileNotFoundError:
                pass
