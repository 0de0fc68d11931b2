"""Writing one shard's rows: one zstd Parquet file per table (``table_compression``), in row groups.

Rows are buffered per table and flushed every ``row_group_rows`` rows or
``row_group_bytes`` bytes of text and binary values, whichever comes first, so a
shard of any size keeps memory flat, whatever its rows hold (a thousand 1 MiB
quarantine payloads are sixteen row groups, not one of 1 GB), and so does any
reader of the files (DuckDB's load reads a row group at a time).  Files are written under the run's
staging directory; nothing a reader looks at changes until ``publish``.
"""

from __future__ import annotations

import os
from itertools import repeat
from operator import attrgetter
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from schemas.arrow import arrow_schema
from schemas.models import TABLES
from transforms.decode import without_lone_surrogates
from warehouse.layout import partition_dir

COMPRESSION = "zstd"
#: Columns written LZ4 instead: random values zstd barely shrinks, whose decoding was most
#: of a scan's cost.  The near-duplicate match reads every signature row group for its
#: candidates' signatures: zstd 3.1, LZ4 1.2, uncompressed 0.9 CPU-s at 10^6 documents
#: (745 vs 507 vs 949 MB; docs/PERFORMANCE.md).
LZ4_COLUMNS: dict[str, tuple[str, ...]] = {"document_signatures": ("minhash",)}


def table_compression(table: str) -> str | dict[str, str]:
    """The Parquet compression of ``table``'s files: zstd, per column where it differs."""
    lz4 = LZ4_COLUMNS.get(table)
    if not lz4:
        return COMPRESSION
    return {name: "lz4" if name in lz4 else COMPRESSION for name in arrow_schema(table).names}


def _arrow_array(values: list[Any], type_: pa.DataType) -> pa.Array:
    try:
        return pa.array(values, type=type_)
    except UnicodeEncodeError:
        # A lone surrogate cannot be written as UTF-8.  Readers repair the text they
        # read; this is the last line, so that one such string never fails the shard.
        return pa.array([without_lone_surrogates(v) if isinstance(v, str) else v for v in values], type=type_)


#: Text and binary bytes buffered per table before a row group is written.
ROW_GROUP_BYTES = 16 * 1024 * 1024


class ShardWriter:
    """Collects rows per table, column by column, and writes
    ``<base>/<table>/YYYY-MM-DD/<name>.parquet`` in row groups."""

    def __init__(
        self,
        base: str,
        shard_name: str,
        ingest_date: str,
        row_group_rows: int = 50_000,
        row_group_bytes: int = ROW_GROUP_BYTES,
    ):
        self.base = base
        self.shard_name = shard_name
        self.ingest_date = ingest_date
        self.row_group_rows = row_group_rows
        self.row_group_bytes = row_group_bytes
        self._columns: dict[str, dict[str, list[Any]]] = {}
        self._sized: dict[str, list[str]] = {}  # per table: its text and binary columns
        self._pending: dict[str, int] = {}
        self._pending_bytes: dict[str, int] = {}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.paths: dict[str, str] = {}
        self.row_counts: dict[str, int] = {}

    def _buffer(self, table: str) -> dict[str, list[Any]]:
        columns = self._columns.get(table)
        if columns is None:
            schema = arrow_schema(table)
            columns = self._columns[table] = {name: [] for name in schema.names}
            self._sized[table] = [
                f.name
                for f in schema
                if pa.types.is_string(f.type)
                or pa.types.is_large_string(f.type)
                or pa.types.is_binary(f.type)
                or pa.types.is_large_binary(f.type)
            ]
            self._pending[table] = 0
            self._pending_bytes[table] = 0
        return columns

    def add(self, table: str, row: BaseModel) -> None:
        """One row, as the table's row model (``schemas.models.TABLES``): the model
        has validated every field, so a misspelt or invalid value never gets here."""
        if type(row) is not TABLES[table]:
            raise TypeError(f"{table} rows are {TABLES[table].__name__}, not {type(row).__name__}")
        for name, values in self._buffer(table).items():
            values.append(getattr(row, name))
        self._added(table, 1, sum(len(getattr(row, name) or "") for name in self._sized[table]))

    def add_models(self, table: str, keys: dict[str, Any], models: list[Any]) -> None:
        """Rows from model objects, each completed by the same ``keys`` (doc_id, run_id …).

        Column-wise: one C-level ``map`` per column instead of a dict per row.
        """
        if not models:
            return
        count = len(models)
        for name, values in self._buffer(table).items():
            if name in keys:
                values.extend(repeat(keys[name], count))
            else:
                values.extend(map(attrgetter(name), models))
        columns = self._columns[table]
        size = sum(sum(map(len, filter(None, columns[name][-count:]))) for name in self._sized[table])
        self._added(table, count, size)

    def add_columns(self, table: str, keys: dict[str, Any], columns: dict[str, list[Any]]) -> None:
        """Rows given column by column (many small rows of one document, e.g. its LSH
        bands), each completed by the same ``keys``; the names must be the table's."""
        buffer = self._buffer(table)
        if set(columns) | set(keys) != set(buffer) or set(columns) & set(keys):
            raise ValueError(f"{table}: columns {sorted(columns)} + keys {sorted(keys)} are not {sorted(buffer)}")
        count = len(next(iter(columns.values())))
        if not count:
            return
        for name, values in buffer.items():
            values.extend(repeat(keys[name], count) if name in keys else columns[name])
        self._added(table, count, 0)

    def _added(self, table: str, count: int, size: int) -> None:
        self._pending[table] += count
        self._pending_bytes[table] += size
        if self._pending[table] >= self.row_group_rows or self._pending_bytes[table] >= self.row_group_bytes:
            self._flush(table)

    def _flush(self, table: str) -> None:
        if not self._pending.get(table):
            return
        schema = arrow_schema(table)
        columns = self._columns[table]
        batch = pa.RecordBatch.from_arrays(
            [_arrow_array(columns[field.name], field.type) for field in schema], schema=schema
        )
        writer = self._writers.get(table)
        if writer is None:
            directory = partition_dir(self.base, table, self.ingest_date)
            os.makedirs(directory, exist_ok=True)
            path = os.path.join(directory, f"{self.shard_name}.parquet")
            writer = pq.ParquetWriter(path + ".tmp", schema, compression=table_compression(table))
            self._writers[table] = writer
            self.paths[table] = path
        writer.write_batch(batch)
        self.row_counts[table] = self.row_counts.get(table, 0) + self._pending[table]
        for values in columns.values():
            values.clear()
        self._pending[table] = 0
        self._pending_bytes[table] = 0

    def close(self) -> dict[str, str]:
        """Flush, close and rename each file into place; returns table -> path."""
        for table in list(self._columns):
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
