"""Planning a run: which input files are new or changed, packed into shards.

The discovered listing is streamed to a Parquet file and compared with the
manifest (the ``inputs`` table of the published snapshot) inside an in-memory
DuckDB, so a million inputs never become a million Python objects.  A file
whose size and modification time match the manifest is skipped without being
opened; one whose stat changed is re-hashed by its shard and skipped if its
bytes did not change.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.discover import InputFile, discover
from warehouse.failpoints import failpoint
from warehouse.layout import DataLayout, literal
from warehouse.parquet_writer import ShardWriter
from warehouse.readers import Rejected, estimated_cost
from warehouse.shard_spec import Counts, ShardFile, ShardReport, write_shard_spec
from warehouse.snapshots import parquet_files
from warehouse.sql_files import named_queries

LISTING_SCHEMA = pa.schema(
    [
        ("uri", pa.string()),
        ("name", pa.string()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("fs_path", pa.binary()),  # null unless the file name is not UTF-8 (InputFile.fs_path)
    ]
)
LISTING_BATCH = 50_000
PLAN_SQL = named_queries("plan.sql")
#: Shards smaller than this (in text documents of work) are not worth a task and a
#: process: small runs stay in one shard, run inline.
MIN_SHARD_DOCS = 250


@dataclass
class RunPlan:
    shard_specs: list[str] = field(default_factory=list)
    skipped_records: int = 0
    discover_report: ShardReport = field(default_factory=lambda: ShardReport(shard="discover"))


def plan_run(
    inputs: list[str], layout: DataLayout, run_id: str, ingest_date: str, shard_docs: int, min_shards: int = 1
) -> RunPlan:
    """Discover ``inputs``, diff against the manifest, write shard specs under staging.

    Shards hold about ``shard_docs`` documents' worth of work (an HTML page weighs more
    than a scraped text), fewer when the run is small, so that there are at least
    ``min_shards`` of them (one per worker and more, against a slow last shard)."""
    os.makedirs(layout.shard_specs_dir(run_id), exist_ok=True)
    listing_path = layout.listing_path(run_id)
    problems = ShardWriter(layout.staged_output_dir(run_id), f"{run_id}-discover", ingest_date)
    report = ShardReport(shard="discover")
    plan = RunPlan(discover_report=report)
    keys = {"run_id": run_id, "ingest_date": dt.date.fromisoformat(ingest_date)}

    with pq.ParquetWriter(listing_path, LISTING_SCHEMA) as listing:
        buffer: list[InputFile] = []
        for item in discover(inputs, exclude_dirs=(layout.root,)):
            if isinstance(item, Rejected):
                problems.add("quarantine", item.quarantine_row(keys, source_uri=item.source))
                report.add(Counts(seen=1, quarantined=1))
                continue
            buffer.append(item)
            if len(buffer) >= LISTING_BATCH:
                listing.write_table(_listing_table(buffer))
                buffer.clear()
        listing.write_table(_listing_table(buffer))
    problems.close()
    failpoint("discover:listed")

    con = duckdb.connect(config={"threads": 1})
    try:
        _load_manifest(con, layout)
        con.execute(PLAN_SQL["input_changes"], {"listing": literal(listing_path)})
        shard_cost = _shard_cost(con, shard_docs, max(1, min_shards))
        result = con.execute(PLAN_SQL["input_changes_in_order"])
        shard: list[ShardFile] = []
        shard_weight = 0
        while batch := result.fetchmany(10_000):
            for uri, name, size, mtime_ns, fs_path, previous_hash, previous_records, unchanged in batch:
                if unchanged:
                    plan.skipped_records += previous_records or 0
                    continue
                shard.append(
                    ShardFile(
                        uri,
                        name,
                        size,
                        mtime_ns,
                        previous_hash,
                        previous_records or 0,
                        fs_path=os.fsdecode(fs_path) if fs_path else None,
                    )
                )
                shard_weight += estimated_cost(name, size)
                if shard_weight >= shard_cost:
                    plan.shard_specs.append(_write_spec(layout, run_id, len(plan.shard_specs), shard))
                    shard, shard_weight = [], 0
        if shard:
            plan.shard_specs.append(_write_spec(layout, run_id, len(plan.shard_specs), shard))
    finally:
        con.close()
    failpoint("discover:planned")
    return plan


def _shard_cost(con: duckdb.DuckDBPyConnection, shard_docs: int, min_shards: int) -> int:
    """Work per shard: ``shard_docs``, or less so that the changed files make ``min_shards``.

    Every file is at least one document of work, so once ``shard_docs × min_shards``
    changed files are seen the answer is ``shard_docs``: no more rows are fetched."""
    enough = shard_docs * min_shards
    changed = con.execute(PLAN_SQL["first_changed_files"], {"limit": enough}).fetchall()
    if len(changed) >= enough:
        return shard_docs
    total_cost = sum(estimated_cost(name, size) for name, size in changed)
    return min(shard_docs, max(MIN_SHARD_DOCS, -(-total_cost // min_shards)))


def _listing_table(files: list[InputFile]) -> pa.Table:
    return pa.table(
        {
            "uri": [f.uri for f in files],
            "name": [f.name for f in files],
            "size": [f.size for f in files],
            "mtime_ns": [f.mtime_ns for f in files],
            "fs_path": [f.fs_path and os.fsencode(f.fs_path) for f in files],
        },
        schema=LISTING_SCHEMA,
    )


def _load_manifest(con: duckdb.DuckDBPyConnection, layout: DataLayout) -> None:
    """The published manifest as the temp table ``manifest`` (empty before the first run)."""
    snapshot = layout.current_snapshot()
    files = parquet_files(layout.snapshot_table_dir(snapshot, "inputs")) if snapshot else []
    if files:  # a list of paths, never a glob: the data directory may be called `data [v1]`
        con.execute(PLAN_SQL["manifest_from_files"], {"files": [literal(f) for f in files]})
    else:
        con.execute(PLAN_SQL["manifest_empty"])


def _write_spec(layout: DataLayout, run_id: str, index: int, files: list[ShardFile]) -> str:
    path = layout.shard_spec_path(run_id, index)
    write_shard_spec(path, files)
    return path
