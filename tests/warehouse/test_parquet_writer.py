"""The shard writer's memory is bounded by bytes, not only by rows."""

from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq

from schemas.models import QuarantineRow
from warehouse.parquet_writer import ShardWriter


def _bad_line(i: int, size: int) -> QuarantineRow:
    return QuarantineRow(
        run_id="r",
        ingest_date=dt.date(2026, 12, 1),
        source=f"big.jsonl:{i}",
        source_uri="/big.jsonl",
        source_id=None,
        stage="parse",
        reason="invalid JSON",
        error=None,
        payload=bytes([65 + i % 26]) * size,
        payload_truncated=False,
    )


def test_row_groups_are_cut_by_bytes(tmp_path):
    writer = ShardWriter(str(tmp_path), "s", "2026-12-01", row_group_rows=50_000, row_group_bytes=4 << 20)
    for i in range(40):
        writer.add("quarantine", _bad_line(i, 1 << 20))  # 40 MiB of payload in 40 rows
    path = writer.close()["quarantine"]
    metadata = pq.ParquetFile(path).metadata
    assert metadata.num_rows == 40
    rows = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert max(rows) <= 5 and sum(rows) == 40  # not one group of 40 MiB
    assert pq.read_table(path).column("payload")[39].as_py() == bytes([65 + 39 % 26]) * (1 << 20)


def test_rows_are_models_so_the_contract_covers_every_table(tmp_path):
    """runs, inputs and quarantine rows are built from their models like the others (issue 13 item 6)."""
    import pydantic
    import pytest

    writer = ShardWriter(str(tmp_path), "s", "2026-12-01")
    with pytest.raises(TypeError):
        writer.add("quarantine", {"run_id": "r", "stage": "parse"})  # a dict bypassing the model
    with pytest.raises(pydantic.ValidationError):
        _bad_line(0, 1).model_copy(update={}).model_validate({**_bad_line(0, 1).model_dump(), "stage": "nowhere"})
    with pytest.raises(pydantic.ValidationError):
        QuarantineRow(**{**_bad_line(0, 1).model_dump(), "reasn": "misspelt"})
