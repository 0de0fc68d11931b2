"""What the dashboard shows, as DataFrames: the published Parquet snapshot through an
in-memory DuckDB with the same tables and views as ``news.duckdb``.

It never opens ``news.duckdb``: a reader holding that file could block a run's load,
and the Parquet snapshot is the complete state a run published.  One reader per
snapshot: the app asks for the current snapshot id on every rerun and opens a new
reader when a run has published another.  No Streamlit here, so tests and scripts
can use it as it is.
"""

from __future__ import annotations

import os

import duckdb
import pandas as pd

from warehouse.layout import DataLayout
from warehouse.query import READER_SQL, parquet_connection
from warehouse.sql_files import named_queries, view_statements

QUERIES = named_queries("dashboard.sql")
VIEWS = {statement.split()[4] for statement in view_statements()}  # CREATE OR REPLACE VIEW name AS


def current_snapshot(data_dir: str) -> str | None:
    """The published snapshot's id, or None before the first run."""
    return DataLayout(os.path.abspath(data_dir)).current_snapshot()


class SnapshotReader:
    """Queries against one published snapshot.

    DuckDB connections are not for sharing between threads (Streamlit runs each
    session in its own); every query gets its own cursor on the one database.
    """

    def __init__(self, data_dir: str):
        self.layout = DataLayout(os.path.abspath(data_dir))
        self.con: duckdb.DuckDBPyConnection = parquet_connection(self.layout)

    def query(self, name: str, **params) -> pd.DataFrame:
        """The named query of ``warehouse/sql/dashboard.sql`` with ``$params``."""
        return self.con.cursor().execute(QUERIES[name], params or None).df()

    def view(self, name: str) -> pd.DataFrame:
        """A view of ``warehouse/sql/views.sql``, whole."""
        if name not in VIEWS:
            raise KeyError(f"no view {name!r} in views.sql")
        return self.con.cursor().execute(READER_SQL["whole_view"].format(view=name)).df()

    def columns(self, relation: str) -> set[str]:
        rows = self.con.cursor().execute(READER_SQL["relation_columns"], {"relation": relation}).fetchall()
        return {name for (name,) in rows}

    def close(self) -> None:
        self.con.close()
