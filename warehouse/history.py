"""The run history: every run that takes the data directory's lock leaves a ``runs`` row.

A run writes its journal, ``DIR/.journal/<run_id>.json``, as soon as it holds
the lock: the row it would leave if it died now (``aborted``).  On an error it
rewrites it as ``failed`` with the error.  A completed run's row is published
with its snapshot; the next run publishes the rows of the journals it finds
(the lock tells it their runs are gone) and deletes them.  So ``runs`` holds
completed, failed and aborted runs, and a journal never outlives one more run.
"""

from __future__ import annotations

import datetime as dt
import os

import duckdb

from schemas.models import RunRow
from warehouse.layout import DataLayout
from warehouse.parquet_writer import ShardWriter
from warehouse.snapshots import parquet_files
from warehouse.sql_files import named_queries

HISTORY_SQL = named_queries("history.sql")


def write_journal(layout: DataLayout, row: RunRow) -> None:
    """Record ``row`` as what this run leaves if it stops now (atomically replaced)."""
    path = layout.journal_path(row.run_id)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w", encoding="utf-8") as fh:
        fh.write(row.model_dump_json())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(path + ".tmp", path)


def journal_rows(layout: DataLayout) -> list[RunRow]:
    """The rows of every journal, oldest first (unreadable journals are skipped)."""
    rows = []
    for path in layout.journal_paths():
        try:
            with open(path, encoding="utf-8") as fh:
                rows.append(RunRow.model_validate_json(fh.read()))
        except (OSError, ValueError):
            continue
    return rows


def unpublished_rows(layout: DataLayout, current_run_id: str) -> list[RunRow]:
    """Rows of earlier runs whose journal is still there and whose row is not
    published yet: they failed, or died (``aborted``).  Call holding the lock."""
    earlier = [row for row in journal_rows(layout) if row.run_id != current_run_id]
    published = published_run_ids(layout, [row.run_id for row in earlier])
    return [row for row in earlier if row.run_id not in published]


def published_run_ids(layout: DataLayout, run_ids: list[str]) -> set[str]:
    """Which of ``run_ids`` the published snapshot's ``runs`` table holds."""
    snapshot = layout.current_snapshot()
    files = parquet_files(layout.snapshot_table_dir(snapshot, "runs")) if snapshot and run_ids else []
    if not files:
        return set()
    con = duckdb.connect()
    try:
        rows = con.execute(HISTORY_SQL["published_run_ids"], {"files": files, "run_ids": run_ids}).fetchall()
    finally:
        con.close()
    return {row[0] for row in rows}


def forget(layout: DataLayout, run_ids: list[str]) -> None:
    """Delete the journals of runs whose rows are now published."""
    for run_id in run_ids:
        try:
            os.remove(layout.journal_path(run_id))
        except FileNotFoundError:
            pass


def write_runs_file(out_dir: str, run_id: str, rows: list[RunRow]) -> None:
    """The run's ``runs`` Parquet file (its own row and those of earlier runs it publishes)."""
    writer = ShardWriter(out_dir, f"{run_id}-run", rows[0].ingest_date.isoformat())
    for row in rows:
        writer.add("runs", row)
    writer.close()


HISTORY_COLUMNS = ["run_id", "status", "started_at", "seconds", "seen", "processed", "skipped", "quarantined", "error"]


def run_history(layout: DataLayout, last: int, lock_held: bool) -> tuple[list[str], list[tuple]]:
    """The ``last`` runs, newest first: the ``runs`` table of the published snapshot,
    plus runs not published yet (``running`` while ``lock_held``, else failed or
    aborted until the next run publishes them)."""
    rows: dict[str, tuple] = {}
    snapshot = layout.current_snapshot()
    files = parquet_files(layout.snapshot_table_dir(snapshot, "runs")) if snapshot else []
    if files:
        con = duckdb.connect()
        try:
            for row in con.execute(HISTORY_SQL["run_history"], {"files": files, "last": last}).fetchall():
                rows[row[0]] = row
        finally:
            con.close()
    journals = journal_rows(layout)
    running = journals[-1].run_id if journals and lock_held else None
    for journal in journals:
        if journal.run_id in rows:
            continue
        status = "running" if journal.run_id == running else journal.status
        rows[journal.run_id] = (
            journal.run_id,
            status,
            journal.started_at,
            journal.seconds_total,
            journal.n_seen,
            journal.n_processed,
            journal.n_skipped,
            journal.n_quarantined,
            journal.error,
        )
    newest = sorted(rows.values(), key=lambda r: r[0], reverse=True)[:last]
    return HISTORY_COLUMNS, newest


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
