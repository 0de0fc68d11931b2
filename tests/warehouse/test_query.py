"""Readers over a snapshot's Parquet (warehouse/query.py) when the files are older than the schema."""

from __future__ import annotations

import datetime as dt
import os

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.arrow import arrow_schema
from warehouse.layout import DataLayout
from warehouse.query import parquet_connection


def _old_documents_file(path, column: str) -> None:
    """A documents file as a version before ``column`` existed wrote it."""
    schema = arrow_schema("documents")
    old = schema.remove(schema.get_field_index(column))
    given = {
        "run_id": "r1",
        "ingest_date": dt.date(2026, 12, 1),
        "doc_id": "d1",
        "source_id": "a.txt",
        "source_uri": "/in/a.txt",
        "input_kind": "txt",
    }
    row = {f.name: given.get(f.name, None if f.nullable else _filler(f)) for f in old}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pq.write_table(pa.Table.from_pylist([row], schema=old), path)


def _filler(field: pa.Field):
    return {pa.string(): "x", pa.bool_(): False}.get(field.type, 0)


def test_a_snapshot_older_than_a_column_reads_with_nulls_and_the_views_work(tmp_path):
    layout = DataLayout(str(tmp_path / "data"))
    snapshot = "20261201T000000Z-r1"
    _old_documents_file(
        os.path.join(layout.snapshot_dir(snapshot), "documents", "2026-12-01", "r1-0.parquet"), "near_duplicate_of"
    )
    os.symlink(os.path.join(".snapshots", snapshot), layout.parquet_link)
    con = parquet_connection(layout)
    assert con.execute("SELECT doc_id, near_duplicate_of FROM documents").fetchall() == [("d1", None)]
    # every view over documents binds, the one that reads the new column included
    assert con.execute("SELECT count(*) FROM near_duplicates").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM documents_per_day").fetchone()[0] >= 1
