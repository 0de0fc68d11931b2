"""What a DuckDB file holds and whether it is damaged: the questions readers
(``newsetl sql``, recovery) ask of ``news.duckdb`` before trusting it.

Apart from ``warehouse.load`` so that a reader's command imports DuckDB and no
more (no pyarrow, no pydantic models: ~1 s of a short command's start-up).
"""

from __future__ import annotations

import os

import duckdb

from warehouse.sql_files import named_queries

LOAD_SQL = named_queries("load.sql")


def loaded_snapshot(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(LOAD_SQL["loaded_snapshot"]).fetchone()
    return row[0] if row else None


#: How DuckDB words an unreadable file (a truncated file, a block whose checksum
#: fails, a zeroed header); other errors (a lock, a full disk) are not damage.
DAMAGE_SIGNS = (
    "corrupt database file",
    "not a valid duckdb database file",
    "could not read enough bytes",
    "does not match stored checksum",
)


def is_damage(err: BaseException) -> bool:
    return isinstance(err, duckdb.Error) and any(sign in str(err).lower() for sign in DAMAGE_SIGNS)


def first_line(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__


def database_state(path: str) -> tuple[str | None, str | None]:
    """(the snapshot the DuckDB file at ``path`` holds, why it is damaged), from one open:
    (None, None) when there is no file, it is busy, or it holds no ``_loaded``.  Opening
    it reads its headers and catalog; a damaged data block shows when it is read."""
    if not os.path.exists(path):
        return None, None
    try:
        con = duckdb.connect(path, read_only=True)
    except duckdb.Error as err:
        return None, (first_line(err) if is_damage(err) else None)
    try:
        return loaded_snapshot(con), None
    except duckdb.Error as err:
        return None, (first_line(err) if is_damage(err) else None)
    finally:
        con.close()
