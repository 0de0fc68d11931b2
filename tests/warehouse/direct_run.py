"""A run of the warehouse steps without Prefect: plan, shards, snapshot, DuckDB, publish.

The same calls in the same order as ``flows.pipeline`` (``_process`` and
``_Run.publish``), inline and on a temporary directory, so the warehouse modules
are tested directly and a failure points at them, not at the flow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from flows.shards import process_shard
from schemas.models import SCHEMA_VERSION, TABLES, RunRow
from schemas.settings import RunSettings
from warehouse import history
from warehouse.layout import DataLayout
from warehouse.load import build_database, finish_database, publish_database
from warehouse.plan import plan_run
from warehouse.snapshots import add_files, build_snapshot, publish_snapshot, seal_snapshot
from warehouse.templates import write_known_templates


@dataclass
class DirectRun:
    run_id: str
    parent: str | None
    load_mode: str
    processed: int
    skipped: int


def run_id(n: int) -> str:
    """Sortable like a real run id (``warehouse.layout.new_run_id``): the n-th run of the day."""
    return f"20261201T{n:06d}000000Z-{n:04x}"


def publish_run(data_dir, inputs: list, n: int, ingest_date: str = "2026-12-01") -> DirectRun:
    layout = DataLayout(str(data_dir))
    layout.ensure()
    rid, settings = run_id(n), RunSettings(workers=1)
    plan = plan_run([str(p) for p in inputs], layout, rid, ingest_date, settings.shard_docs)
    write_known_templates(layout, rid)
    out = layout.staged_output_dir(rid)
    processed, skipped, not_documents = 0, plan.skipped_records, {}
    for spec in plan.shard_specs:
        report = process_shard(spec, out, rid, ingest_date, settings)
        processed, skipped = processed + report.processed, skipped + report.skipped
        for reason, n in report.not_documents.items():
            not_documents[reason] = not_documents.get(reason, 0) + n
    building, parent, _ = build_snapshot(layout, out, rid)
    database, mode, _ = build_database(layout, building, parent, rid)
    started = dt.datetime.fromisoformat(ingest_date).replace(tzinfo=dt.UTC)
    row = RunRow(
        run_id=rid,
        ingest_date=started.date(),
        started_at=started,
        finished_at=started,
        status="completed",
        inputs=" ".join(map(str, inputs)),
        n_seen=processed + skipped,
        n_processed=processed,
        n_skipped=skipped,
        n_quarantined=0,
        n_not_documents=sum(not_documents.values()),
        not_documents=not_documents,
        n_paragraphs=0,
        n_quotes=0,
        n_removed_lines=0,
        schema_version=SCHEMA_VERSION,
    )
    runs_dir = layout.staged_runs_dir(rid)
    history.write_runs_file(runs_dir, rid, [row])
    finish_database(database, layout.duckdb_temp_dir(rid), rid, add_files(building, runs_dir))
    seal_snapshot(building)
    publish_snapshot(layout, building, rid)
    publish_database(layout, database)
    return DirectRun(rid, parent, mode, processed, skipped)


def table_rows(path: str) -> dict[str, list[tuple]]:
    """Every table's rows in a DuckDB file, in a fixed order."""
    con = duckdb.connect(path, read_only=True)
    try:
        return {table: sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in TABLES}
    finally:
        con.close()
