"""Loading a Parquet snapshot into DuckDB, in a new file published by one rename.

The published ``news.duckdb`` is never opened for writing: DuckDB lets no
process write a file that another holds open, even read-only (a notebook, a
dashboard, ``duckdb -readonly``).  A run builds the next database in
``.staging/<run_id>/news.duckdb`` and renames it over the published one.
Readers that have the old file open keep reading its inode, whole and
consistent; new readers open the new file.

The new file starts as a copy of the published one when that holds the new
snapshot's parent (``_loaded``), and only the run's changes are applied (delete
the superseded inputs' rows, insert the run's files); otherwise (first run, a
crash between publishing and loading, a damaged file) every table is rebuilt
from the snapshot.  A copy costs about a second per GB; a rebuild ~45 s per
10^5 pages' worth of rows (README, "DuckDB: a new file per run").
"""

from __future__ import annotations

import datetime as dt
import os
import shutil

import duckdb

from schemas.arrow import duckdb_columns, duckdb_comments, duckdb_ddl
from schemas.models import TABLES
from warehouse.database_file import database_state, first_line, is_damage
from warehouse.failpoints import failpoint
from warehouse.layout import DataLayout, literal, table_dir
from warehouse.snapshots import DOC_TABLES, INPUT_KEY, create_reread_inputs, parquet_files
from warehouse.sql_files import named_queries, view_statements
from warehouse.storage import duckdb_memory_limit, fsync_path

LOAD_SQL = named_queries("load.sql")


def connect_writer(path: str, temp_directory: str) -> duckdb.DuckDBPyConnection:
    """The one writer connection, on a file no reader has: a run's new database."""
    con = duckdb.connect(
        path,
        config={
            "memory_limit": duckdb_memory_limit(),
            "preserve_insertion_order": False,  # lets inserts stream instead of buffering
            "temp_directory": temp_directory,
        },
    )
    ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables, add columns a newer model version introduced, describe
    every table and column (the models' text), (re)create views.  In one transaction:
    its ~165 statements, each committed on its own, took 3× as long (0.8 s, on a new file)."""
    con.begin()
    try:
        _create_schema(con)
    except BaseException:
        con.rollback()
        raise
    con.commit()


def _create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(LOAD_SQL["create_loaded"])
    for table in TABLES:
        con.execute(duckdb_ddl(table))
        existing = {row[0] for row in con.execute(LOAD_SQL["table_columns"], {"table": table}).fetchall()}
        for name, sql_type in duckdb_columns(table):
            if name not in existing:
                nullable = sql_type.replace(" NOT NULL", "")
                con.execute(LOAD_SQL["add_column"].format(table=table, column=name, sql_type=nullable))
        for comment in duckdb_comments(table):
            con.execute(comment)
    for sql in view_statements():
        con.execute(sql)


def set_damaged_aside(layout: DataLayout, why: str) -> str:
    """Move a damaged ``news.duckdb`` aside (kept, never deleted) and say so in one line."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = layout.damaged_duckdb_path(stamp)
    os.replace(layout.duckdb_path, kept)
    fsync_path(layout.root)
    return (
        f"news.duckdb was damaged ({why}): kept as {os.path.basename(kept)}, "
        "rebuilt from the published Parquet snapshot"
    )


def build_database(
    layout: DataLayout, snapshot_dir: str, parent_id: str | None, run_id: str
) -> tuple[str, str, str | None]:
    """Build the run's new database from the snapshot in ``snapshot_dir`` (not yet
    published); returns its path, "incremental" or "rebuild", and a note if the
    published file was damaged (set aside, and rebuilt from the Parquet).  ``runs``
    rows and ``_loaded`` are written by ``finish_database``, once the run's row is known."""
    path = layout.building_duckdb_path(run_id)
    os.makedirs(layout.staging_dir(run_id), exist_ok=True)
    held, damage = database_state(layout.duckdb_path)
    note = set_damaged_aside(layout, damage) if damage else None
    if parent_id is not None and held == parent_id:
        try:
            _build(layout, path, snapshot_dir, run_id, incremental=True)
            return path, "incremental", None
        except duckdb.Error as err:  # a damaged block, found while the copy was changed
            if not is_damage(err):
                raise
            note = set_damaged_aside(layout, first_line(err))
    _build(layout, path, snapshot_dir, run_id, incremental=False)
    return path, "rebuild", note


def _build(layout: DataLayout, path: str, snapshot_dir: str, run_id: str, incremental: bool) -> None:
    _remove_database(path)
    if incremental:
        _copy_file(layout.duckdb_path, path)
    failpoint("load:copied")
    con = connect_writer(path, layout.duckdb_temp_dir(run_id))
    try:
        con.begin()
        if incremental:
            _apply_changes(con, snapshot_dir, run_id)
        else:
            _rebuild(con, snapshot_dir)
        con.commit()
    finally:
        con.close()


def finish_database(path: str, temp_directory: str, run_id: str, runs_files: list[str]) -> None:
    """Insert the run's ``runs`` rows, record its snapshot (``_loaded.snapshot_id`` is the
    run's id), checkpoint and sync the file."""
    con = connect_writer(path, temp_directory)
    try:
        con.begin()
        _insert_files(con, "runs", runs_files)
        con.execute(LOAD_SQL["forget_loaded"])
        con.execute(LOAD_SQL["record_loaded"], {"snapshot_id": run_id})
        failpoint("load:before-commit")
        con.commit()
        con.checkpoint()
    finally:
        con.close()
    if os.path.exists(path + ".wal"):
        raise RuntimeError(f"{path}: DuckDB left a write-ahead log after CHECKPOINT and close")
    fsync_path(path)


def publish_database(layout: DataLayout, path: str) -> None:
    """Replace ``news.duckdb`` by the run's file in one ``rename``; readers holding
    the old file keep it (the kernel frees it when the last one closes)."""
    failpoint("load:before-rename")
    os.replace(path, layout.duckdb_path)
    fsync_path(layout.root)
    failpoint("load:committed")


def _copy_file(source: str, destination: str) -> None:
    """A full copy; ``copy_file_range`` lets the kernel (or a CoW filesystem) do it."""
    with open(source, "rb") as src, open(destination, "wb") as dst:
        remaining = os.fstat(src.fileno()).st_size
        while remaining > 0:
            copied = os.copy_file_range(src.fileno(), dst.fileno(), min(remaining, 1 << 30))
            if copied == 0:
                break
            remaining -= copied
        if remaining:
            shutil.copyfileobj(src, dst)


def _remove_database(path: str) -> None:
    for name in (path, path + ".wal"):
        try:
            os.remove(name)
        except FileNotFoundError:
            pass


def _table_files(snapshot_dir: str, table: str, run_id: str | None = None) -> list[str]:
    return parquet_files(table_dir(snapshot_dir, table), run_id)


def _insert_files(con: duckdb.DuckDBPyConnection, table: str, files: list[str]) -> None:
    if not files:
        return
    con.execute(LOAD_SQL["insert_files"].format(table=table), {"files": [literal(f) for f in files]})


def _apply_changes(con, snapshot_dir: str, run_id: str) -> None:
    if create_reread_inputs(con, snapshot_dir, run_id):
        con.execute(LOAD_SQL["superseded_documents"])
        for table in DOC_TABLES:
            con.execute(LOAD_SQL["delete_superseded_document_rows"].format(table=table))
        for table, column in INPUT_KEY.items():
            con.execute(LOAD_SQL["delete_reread_input_rows"].format(table=table, column=column))
    for table in TABLES:
        if table != "runs":  # finish_database inserts the run's rows
            _insert_files(con, table, _table_files(snapshot_dir, table, run_id))
    # earlier runs' documents whose cluster the run re-rooted (warehouse.near_duplicates):
    # their files are among those it rewrote, <shard>~<run_id>
    rewritten = [f for f in _table_files(snapshot_dir, "documents") if f.endswith(f"~{run_id}.parquet")]
    if rewritten:
        con.execute(LOAD_SQL["update_near_duplicate_of"], {"files": [literal(f) for f in rewritten]})


def _rebuild(con, snapshot_dir: str) -> None:
    for table in TABLES:
        _insert_files(con, table, _table_files(snapshot_dir, table))
