"""A data directory damaged by hand: the published snapshot or its link removed.

After ``rm DIR/parquet`` or ``rm -r DIR/.snapshots/<current>`` a run would see
no published snapshot, publish one holding only its own inputs and delete the
rest as debris: it would exit 0 with less data than before.  So before anything
else a run finds which snapshot was published last and puts it back when that
loses nothing:

* the link is gone but the snapshot is there: the link is made again;
* the snapshot is gone but ``news.duckdb`` holds it: it is written again from DuckDB;
* otherwise (only an older snapshot is left) the run refuses, saying what is
  left and the command that goes back to it, so losing data is the user's choice.

The last published snapshot is the link's target; without a link, the newest of
the one ``news.duckdb`` names and the complete snapshots whose run has no journal
left (a run deletes its journal only once it has published; a snapshot renamed
into place by a run that died before swapping the link keeps its journal and was
never published).
"""

from __future__ import annotations

import os
import shlex
import shutil

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from schemas.arrow import arrow_schema
from schemas.models import TABLES
from warehouse.database_file import database_state
from warehouse.layout import DataLayout, partition_dir
from warehouse.parquet_writer import table_compression
from warehouse.snapshots import conform_to_schema, publish_snapshot, seal_snapshot
from warehouse.sql_files import named_queries

RECOVERY_SQL = named_queries("recovery.sql")
#: Rows per record batch when a snapshot is written again from DuckDB.
RESTORE_BATCH_ROWS = 50_000


class LostSnapshotError(RuntimeError):
    """The published snapshot is gone and nothing holds all of it; ``str(err)`` says what to do."""


def restore_published_snapshot(layout: DataLayout) -> str | None:
    """Put the last published snapshot back if it is missing; returns a one-line note
    of what was repaired (None if nothing was missing).  Call holding the lock."""
    linked = layout.current_snapshot() if layout.has_parquet_link() else None
    in_duckdb, _ = database_state(layout.duckdb_path)  # None if damaged
    complete = layout.complete_snapshots()
    if linked is not None:
        published = linked
    else:
        candidates = [s for s in complete if not os.path.exists(layout.journal_path(s))]
        candidates += [in_duckdb] if in_duckdb else []
        if not candidates:
            return None  # nothing was ever published (or only a run that died before its link)
        published = max(candidates)
    if published in complete:
        if linked == published:
            return None
        publish_snapshot_link(layout, published)
        return f"the link {layout.parquet_link} was missing: pointed again at the last published snapshot {published}"
    if in_duckdb == published:
        write_snapshot_from_duckdb(layout, published)
        return f"the published snapshot {published} was missing: written again from news.duckdb, which holds all of it"
    raise LostSnapshotError(_lost_message(layout, published, complete))


def publish_snapshot_link(layout: DataLayout, run_id: str) -> None:
    building = layout.building_snapshot_dir(run_id)
    os.rename(layout.snapshot_dir(run_id), building)  # publish_snapshot renames it back, then links it
    publish_snapshot(layout, building, run_id)


def write_snapshot_from_duckdb(layout: DataLayout, run_id: str) -> None:
    """The snapshot of run ``run_id`` again from the DuckDB file that holds it, table by table
    and day by day in record batches (memory stays flat), then publish it."""
    building = layout.building_snapshot_dir(run_id)
    shutil.rmtree(building, ignore_errors=True)
    os.makedirs(building)
    con = duckdb.connect(layout.duckdb_path, read_only=True)
    try:
        for table in TABLES:
            days = [row[0] for row in con.execute(RECOVERY_SQL["ingest_days"].format(table=table)).fetchall()]
            for day in days:
                _write_day(con, table, day, building, run_id)
    finally:
        con.close()
    seal_snapshot(building)
    publish_snapshot(layout, building, run_id)


def _write_day(con: duckdb.DuckDBPyConnection, table: str, day, building: str, run_id: str) -> None:
    folder = partition_dir(building, table, day.isoformat())
    os.makedirs(folder, exist_ok=True)
    # conform_to_schema orders the columns and fills those a file older than the model lacks
    rows = con.sql(RECOVERY_SQL["rows_of_day"].format(table=table), params={"day": day})
    reader = rows.to_arrow_reader(RESTORE_BATCH_ROWS)
    with pq.ParquetWriter(
        os.path.join(folder, f"restored-{run_id}.parquet"), arrow_schema(table), compression=table_compression(table)
    ) as writer:
        for batch in reader:
            writer.write_table(conform_to_schema(table, pa.Table.from_batches([batch])))


def _lost_message(layout: DataLayout, published: str, complete: list[str]) -> str:
    older = [s for s in complete if s < published]
    where = f"{layout.snapshot_dir(published)} is missing and news.duckdb does not hold it"
    if not older:
        return (
            f"the published snapshot {published} is gone ({where}) and no other snapshot is left: "
            f"refusing to run, which would publish less data than before. To start afresh (the next run "
            f"re-reads every input), run: rm {shlex.quote(layout.parquet_link)}"
        )
    back = older[-1]
    return (
        f"the published snapshot {published} is gone ({where}): refusing to run, which would publish "
        f"less data than before. To go back to the previous snapshot {back} (the next run re-reads the "
        f"inputs changed since), run: ln -sfn {shlex.quote(layout.parquet_link_target(back))} {shlex.quote(layout.parquet_link)}"
    )
