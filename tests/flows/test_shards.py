"""One shard, called directly (no Prefect server): how it counts and what it writes for
changed, unchanged and touched-but-unchanged files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq

from flows.shards import process_shard
from schemas.settings import RunSettings
from warehouse.readers import content_hash
from warehouse.shard_spec import ShardFile, write_shard_spec

ARTICLE = (
    "The council approved the harbour budget on Tuesday after a debate that ran late into the evening.\n\n"
    "Members said the new sea wall would protect the lower town from the winter storms for decades."
)


def _rows(out: Path, table: str) -> list[dict]:
    return [row for path in sorted(out.glob(f"{table}/**/*.parquet")) for row in pq.read_table(path).to_pylist()]


def _shard_file(path: Path, **previous) -> ShardFile:
    stat = path.stat()
    return ShardFile(uri=str(path), name=path.name, size=stat.st_size, mtime_ns=stat.st_mtime_ns, **previous)


def test_a_touched_but_unchanged_file_counts_its_records_as_skipped(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text(
        "\n".join(json.dumps({"id": f"r{i}", "text": f"{ARTICLE}\n\nStory {i}."}) for i in range(3)) + "\n"
    )
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    os.utime(records)  # touched since the last run: the planner hands it over with its old hash
    spec = tmp_path / "shard-0.json"
    write_shard_spec(
        str(spec),
        [
            _shard_file(records, previous_hash=content_hash(str(records)), previous_records=3),
            _shard_file(page),
        ],
    )
    report = process_shard(str(spec), str(tmp_path / "out"), "run-1", "2026-01-01", RunSettings(workers=1))
    assert (report.seen, report.processed, report.skipped, report.quarantined) == (4, 1, 3, 0)
    assert [row["source_id"] for row in _rows(tmp_path / "out", "documents")] == ["page.txt"]


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    spec = tmp_path / "shard-0.json"
    write_shard_spec(str(spec), [_shard_file(page, previous_hash="0" * 64, previous_records=1)])
    report = process_shard(str(spec), str(tmp_path / "out"), "run-1", "2026-01-01", RunSettings(workers=1))
    assert (report.seen, report.processed, report.skipped) == (1, 1, 0)
    assert len(_rows(tmp_path / "out", "documents")) == 1
