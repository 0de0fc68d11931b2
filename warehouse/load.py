"""Loading the published Parquet snapshot into DuckDB: the one writer connection.

The DuckDB file follows the Parquet snapshots.  ``_loaded`` records which
snapshot it holds.  When that is the new snapshot's parent, only the run's
changes are applied (delete the superseded inputs' rows, insert the run's
files); otherwise (first run, or a crash between publishing and loading) every
table is rebuilt from the snapshot.  Either way it is one transaction, with the
``runs`` row inserted last: readers see the previous load or the new one.
"""

from __future__ import annotations

import os
from importlib import resources

import duckdb

from schemas.arrow import duckdb_columns, duckdb_comments, duckdb_ddl
from schemas.models import TABLES
from warehouse.failpoints import failpoint
from warehouse.layout import DataLayout, literal
from warehouse.snapshots import DOC_TABLES, INPUT_KEY, create_input_keys, parquet_files

META_DDL = "CREATE TABLE IF NOT EXISTS _loaded (snapshot_id VARCHAR NOT NULL, loaded_at TIMESTAMPTZ NOT NULL)"


#: DuckDB's default memory limit is 80% of RAM; a bulk load would take it and
#: the run's peak memory would grow with the corpus.  Past this it spills to disk.
LOAD_MEMORY_LIMIT = "512MB"


def connect_writer(layout: DataLayout) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(layout.duckdb_path, config={
        "memory_limit": LOAD_MEMORY_LIMIT,
        "preserve_insertion_order": False,  # lets inserts stream instead of buffering
        "temp_directory": os.path.join(layout.root, ".staging", "duckdb-tmp"),
    })
    ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables, add columns a newer model version introduced, describe
    every table and column (the models' text), (re)create views."""
    con.execute(META_DDL)
    for table in TABLES:
        con.execute(duckdb_ddl(table))
        existing = {row[0] for row in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()}
        for name, sql_type in duckdb_columns(table):
            if name not in existing:
                con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type.replace(' NOT NULL', '')}")
        for comment in duckdb_comments(table):
            con.execute(comment)
    for sql in view_statements():
        con.execute(sql)


def view_sql_text() -> str:
    return resources.files("warehouse").joinpath("sql/views.sql").read_text(encoding="utf-8")


def view_statements() -> list[str]:
    """The analyst views, from ``warehouse/sql/views.sql`` (statements split on ';')."""
    text = view_sql_text()
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [statement.strip() for statement in code.split(";") if statement.strip()]


def loaded_snapshot(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT snapshot_id FROM _loaded").fetchone()
    return row[0] if row else None


def load_snapshot(layout: DataLayout, snapshot_id: str, parent_id: str | None, run_id: str) -> str:
    """Bring the DuckDB file to ``snapshot_id``; returns "incremental", "rebuild" or "current"."""
    con = connect_writer(layout)
    try:
        current = loaded_snapshot(con)
        if current == snapshot_id:
            return "current"
        con.execute("BEGIN TRANSACTION")
        try:
            if parent_id is not None and current == parent_id:
                mode = "incremental"
                _apply_changes(con, layout, snapshot_id, run_id)
            else:
                mode = "rebuild"
                _rebuild(con, layout, snapshot_id)
            con.execute("DELETE FROM _loaded")
            con.execute("INSERT INTO _loaded VALUES (?, now())", [snapshot_id])
            failpoint("load:before-commit")
            con.execute("COMMIT")
            failpoint("load:committed")
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # a failed COMMIT (disk full) has ended the transaction: its error is the one to report
            raise
        con.execute("CHECKPOINT")
        return mode
    finally:
        con.close()


def _table_files(layout: DataLayout, snapshot_id: str, table: str, run_id: str | None = None) -> list[str]:
    return parquet_files(os.path.join(layout.snapshot_dir(snapshot_id), table), run_id)


def _insert_files(con: duckdb.DuckDBPyConnection, table: str, files: list[str]) -> None:
    if not files:
        return
    con.execute(
        f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?, hive_partitioning = false, union_by_name = true)",
        [[literal(f) for f in files]],
    )


def _apply_changes(con, layout: DataLayout, snapshot_id: str, run_id: str) -> None:
    if create_input_keys(con, "_keys", layout.snapshot_dir(snapshot_id), run_id):
        con.execute("""CREATE OR REPLACE TEMP TABLE _old_docs AS
                       SELECT doc_id FROM documents WHERE source_uri IN (SELECT key FROM _keys)""")
        for table in DOC_TABLES:
            con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM _old_docs)")
        for table, column in INPUT_KEY.items():
            con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT key FROM _keys)")
    for table in TABLES:  # dict order: runs comes last
        _insert_files(con, table, _table_files(layout, snapshot_id, table, run_id))


def _rebuild(con, layout: DataLayout, snapshot_id: str) -> None:
    for table in TABLES:
        con.execute(f"DELETE FROM {table}")
    for table in TABLES:
        _insert_files(con, table, _table_files(layout, snapshot_id, table))
