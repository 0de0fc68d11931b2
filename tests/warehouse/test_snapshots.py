"""Copy-on-write rewrites keep working when a column was added since a file was written."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.arrow import arrow_schema
from warehouse.snapshots import _rewrite_without


def test_rewriting_a_file_older_than_a_new_column(tmp_path):
    schema = arrow_schema("quarantine")
    old_schema = schema.remove(schema.get_field_index("error"))  # as if the column came later
    rows = [
        {
            "run_id": "r",
            "ingest_date": dt.date(2026, 12, 1),
            "source": uri,
            "source_uri": uri,
            "source_id": None,
            "stage": "read",
            "reason": "x",
            "payload": None,
            "payload_truncated": False,
        }
        for uri in ("/a.txt", "/b.txt")
    ]
    source = tmp_path / "old.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=old_schema), source)
    _rewrite_without(str(source), str(tmp_path / "new.parquet"), "quarantine", pa.array(["/a.txt"]), None)
    rewritten = pq.read_table(tmp_path / "new.parquet")
    assert rewritten.schema.remove_metadata() == schema.remove_metadata()
    assert rewritten.column("source_uri").to_pylist() == ["/b.txt"] and rewritten.column("error").to_pylist() == [None]
