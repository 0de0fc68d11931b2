"""Read-only access for analysts: the DuckDB file when it holds the published
snapshot, else the published Parquet, and a note saying which.

A run publishes the Parquet (the ``parquet`` symlink) a moment before it
renames its new ``news.duckdb`` into place, and a run that failed between the
two, or a DuckDB file from an older run, holds an older snapshot.  So a reader
opens the file, reads which snapshot it holds (``_loaded``), then which one is
published: if they differ it answers from the published Parquet and says so.
"""

from __future__ import annotations

import os

import duckdb

from warehouse.database_file import first_line, is_damage, loaded_snapshot
from warehouse.layout import DataLayout, literal, table_dir
from warehouse.sql_files import named_queries, sql_string, view_statements

# The Parquet reader's imports (pyarrow, the pydantic models) are made in its functions:
# a query that news.duckdb answers needs DuckDB only, and starts ~1 s sooner.


class NoDataError(RuntimeError):
    """Nothing has been loaded into this data directory yet."""


class RefusedStatement(ValueError):
    """A statement ``newsetl sql`` does not run; ``str(err)`` says why."""


#: What ``newsetl sql`` runs: queries.  Whatever writes — to the warehouse (INSERT,
#: DELETE, CREATE …), to files (COPY … TO, EXPORT DATABASE), to other databases
#: (ATTACH, which in the Parquet fallback would create news.duckdb) — or changes the
#: session (SET, LOAD, INSTALL, CALL, CHECKPOINT) is refused before anything runs:
#: to save a result, use ``--format csv|json`` and redirect it.
QUERY_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})


def refuse_non_queries(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise ``RefusedStatement`` unless every statement in ``sql`` is a query."""
    for statement in con.extract_statements(sql):
        if statement.type not in QUERY_STATEMENTS:
            raise RefusedStatement(
                f"newsetl sql is read-only: it runs queries (SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, "
                f"EXPLAIN), not {statement.type.name}; to save a result use --format csv or json and redirect it"
            )


def connect_reader(layout: DataLayout) -> tuple[duckdb.DuckDBPyConnection, str | None]:
    """A read-only connection to the published snapshot and, if it is the Parquet, a note saying why."""
    loaded, problem = None, "no DuckDB file"
    if os.path.exists(layout.duckdb_path):
        try:
            con = duckdb.connect(layout.duckdb_path, read_only=True)
        except duckdb.Error as err:
            if is_damage(err):
                problem = damaged_note(err)
            elif "could not set lock" in str(err).lower():
                problem = "news.duckdb is busy (another process holds it for writing)"
            else:
                problem = f"news.duckdb cannot be opened ({first_line(err)})"
        else:
            damage = None
            try:
                loaded = loaded_snapshot(con)
            except duckdb.Error as err:
                loaded, damage = None, (damaged_note(err) if is_damage(err) else None)
            # read after opening the file: the link is swapped before the file is renamed
            published = layout.current_snapshot()
            if loaded is not None and loaded == published:
                return con, None
            con.close()
            problem = damage or (
                f"news.duckdb holds snapshot {loaded or '(none)'} but {published} is published "
                "(a run is publishing it, or its load failed)"
            )
    published = layout.current_snapshot()
    if published:
        return parquet_connection(layout, published), f"{problem}: answering from the Parquet snapshot {published}"
    raise NoDataError(f"no data in {layout.root}: run `newsetl run` first")


def damaged_note(err: BaseException) -> str:
    return f"news.duckdb is damaged ({first_line(err)}; the next `newsetl run` keeps it aside and rebuilds it)"


def parquet_reader(layout: DataLayout) -> duckdb.DuckDBPyConnection:
    """The tables and views over the published Parquet snapshot, never opening news.duckdb."""
    if not layout.current_snapshot():
        raise NoDataError(f"no Parquet snapshot in {layout.root}: run `newsetl run` first")
    return parquet_connection(layout)


def parquet_connection(layout: DataLayout, snapshot: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with every table (and view) over one snapshot's Parquet
    (the published one by default).

    The views name the snapshot's files one by one (a list, never a glob: the data
    directory may be called `data [v1]`), in the snapshot directory rather than
    through the ``parquet`` link, so a run publishing meanwhile changes nothing."""
    from schemas.arrow import duckdb_comments

    con = duckdb.connect()
    snapshot = snapshot or layout.current_snapshot()
    if snapshot is None:
        raise NoDataError(f"no Parquet snapshot in {layout.root}: run `newsetl run` first")
    for table, columns in table_views(con, layout.snapshot_dir(snapshot)).items():
        for comment in duckdb_comments(table, "TABLE" if columns is None else "VIEW", columns):
            con.execute(comment)
    for statement in view_statements():
        con.execute(statement)
    return con


def table_views(
    con: duckdb.DuckDBPyConnection, snapshot_dir: str, tables: tuple[str, ...] | None = None
) -> dict[str, set[str] | None]:
    """Each of ``tables`` in ``con`` as a view over its Parquet files in ``snapshot_dir``
    (named one by one: a list, never a glob), with the current schema's columns (nulls for
    a column no file has yet), or an empty table where it has no file; returns each view's
    columns (None for an empty table).  Also used on a snapshot still being built
    (near-duplicate matching); ``tables``: every table by default."""
    from schemas.arrow import duckdb_columns, duckdb_ddl
    from schemas.models import TABLES
    from warehouse.snapshots import parquet_files

    created: dict[str, set[str] | None] = {}
    for table in tuple(TABLES) if tables is None else tables:
        files = parquet_files(table_dir(snapshot_dir, table))
        if not files:
            con.execute(duckdb_ddl(table))  # an empty table reads as empty, not as an error
            created[table] = None
            continue
        listing = ", ".join(sql_string(literal(f)) for f in files)
        con.execute(READER_SQL["table_over_files"].format(table=table, files=listing, extra=""))
        # files written before a column was added lack it: nulls where no file has it
        columns = {row[0] for row in con.execute(READER_SQL["columns_of"].format(table=table)).fetchall()}
        missing = [
            (name, sql_type.replace(" NOT NULL", "")) for name, sql_type in duckdb_columns(table) if name not in columns
        ]
        if missing:
            extra = "".join(f", NULL::{sql_type} AS {name}" for name, sql_type in missing)
            con.execute(READER_SQL["table_over_files"].format(table=table, files=listing, extra=extra))
            columns |= {name for name, _ in missing}
        created[table] = columns
    return created


READER_SQL = named_queries("readers.sql")
