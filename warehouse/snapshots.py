"""Publishing a run's Parquet atomically, as a new snapshot.

The next snapshot = the current one, minus the rows of every input this run
re-read (their old versions), plus the run's staged files.  Untouched files are
hard links (no copy); a file holding rows of a re-read input is rewritten
without them (copy-on-write, like Delta Lake or Iceberg without deletion
vectors).  The new snapshot is built in a temporary directory and made
visible by replacing the ``parquet`` symlink in one ``rename``: a crash at any
point leaves the previous snapshot published and whole.
"""

from __future__ import annotations

import os
import shutil

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas.arrow import arrow_schema
from schemas.models import TABLES
from warehouse.failpoints import failpoint
from warehouse.layout import DataLayout, literal
from warehouse.parquet_writer import COMPRESSION

#: Snapshots kept besides the published one, for readers still reading them.
KEEP_PREVIOUS_SNAPSHOTS = 1

#: The column that ties each table's rows to the input they came from.
INPUT_KEY = {"documents": "source_uri", "quarantine": "source_uri", "inputs": "uri"}
DOC_TABLES = ("paragraphs", "quotes", "removed_lines")


def create_input_keys(con: duckdb.DuckDBPyConnection, name: str, run_dir: str, run_id: str | None = None) -> int:
    """Temp table ``name(key)``: URIs of the inputs a run re-read (their older rows
    are superseded), from the run's ``inputs`` and ``quarantine`` files under
    ``run_dir`` (only files of ``run_id`` if given).  Returns how many.

    Kept in DuckDB, never as a Python list: a first run over a million files
    re-reads a million inputs.
    """
    parts = []
    for table in ("inputs", "quarantine"):
        files = parquet_files(os.path.join(run_dir, table), run_id)
        if files:
            listing = ", ".join(sql_string(literal(f)) for f in files)
            parts.append(f"SELECT {INPUT_KEY[table]} AS key FROM read_parquet([{listing}], hive_partitioning = false)")
    query = " UNION ".join(parts) if parts else "SELECT NULL::VARCHAR AS key WHERE false"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {query}")
    return con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]


def sql_string(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def publish(layout: DataLayout, staged_dir: str, snapshot_id: str) -> str | None:
    """Publish ``staged_dir`` as snapshot ``snapshot_id``; returns the parent snapshot id."""
    parent = layout.current_snapshot()
    target = layout.snapshot_dir(snapshot_id)
    building = target + ".building"
    shutil.rmtree(building, ignore_errors=True)
    os.makedirs(building)
    if parent:
        _carry_over(layout.snapshot_dir(parent), building, staged_dir, snapshot_id)
    failpoint("publish:carried-over")
    for path in parquet_files(staged_dir):
        relative = os.path.relpath(path, staged_dir)
        destination = os.path.join(building, relative)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        os.link(path, destination)
    for table in TABLES:
        os.makedirs(os.path.join(building, table), exist_ok=True)  # every table readable, even empty
    _fsync_tree(building)
    os.rename(building, target)
    failpoint("publish:before-swap")
    _swap_symlink(layout.parquet_link, os.path.relpath(target, layout.root))
    failpoint("publish:swapped")
    return parent


def _carry_over(parent_dir: str, building: str, staged_dir: str, snapshot_id: str) -> None:
    """Link the parent's files into ``building``, rewriting those that hold rows of re-read inputs."""
    con = duckdb.connect()
    try:
        affected, keys, superseded_docs = set(), None, None
        if create_input_keys(con, "keys", staged_dir):
            affected = _files_with_keys(con, parent_dir)
        if affected:
            keys = con.sql("SELECT key FROM keys").to_arrow_table().column("key")
            superseded_docs = _superseded_doc_ids(con, parent_dir, affected)
    finally:
        con.close()
    for path in parquet_files(parent_dir):
        relative = os.path.relpath(path, parent_dir)
        destination = os.path.join(building, relative)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        if os.path.basename(path) not in affected:
            os.link(path, destination)
            continue
        table = relative.split(os.sep, 1)[0]
        _rewrite_without(path, rewritten_name(destination, snapshot_id), table, keys, superseded_docs)


def rewritten_name(path: str, snapshot_id: str) -> str:
    """A rewritten file gets a new name (``<shard>~<snapshot>.parquet``): every file
    name is immutable content, which object-store mirrors and caches rely on.
    All tables of a shard are rewritten together, so they keep sharing a name."""
    directory, name = os.path.split(path)
    stem = name.removesuffix(".parquet").split("~", 1)[0]
    return os.path.join(directory, f"{stem}~{snapshot_id}.parquet")


def _files_with_keys(con: duckdb.DuckDBPyConnection, parent_dir: str) -> set[str]:
    """Base names (one per shard, shared by all its tables) holding rows of the keys."""
    names: set[str] = set()
    for table in ("inputs", "quarantine", "documents"):
        files = parquet_files(os.path.join(parent_dir, table))
        if not files:
            continue
        rows = con.execute(
            f"SELECT DISTINCT filename FROM read_parquet(?, filename = true, hive_partitioning = false, "
            f"union_by_name = true) WHERE {INPUT_KEY[table]} IN (SELECT key FROM keys)",
            [[literal(f) for f in files]],
        ).fetchall()
        names.update(os.path.basename(row[0]) for row in rows)
    return names


def _superseded_doc_ids(con: duckdb.DuckDBPyConnection, parent_dir: str, affected: set[str]):
    files = [f for f in parquet_files(os.path.join(parent_dir, "documents")) if os.path.basename(f) in affected]
    if not files:
        return pa.array([], type=pa.string())
    return con.sql(
        "SELECT doc_id FROM read_parquet(?, hive_partitioning = false) WHERE source_uri IN (SELECT key FROM keys)",
        params=[[literal(f) for f in files]],
    ).to_arrow_table().column("doc_id")


def _rewrite_without(source: str, destination: str, table: str, keys, doc_ids) -> None:
    data = pq.read_table(source)
    if table in INPUT_KEY:
        drop = pc.is_in(data.column(INPUT_KEY[table]), value_set=pa.chunked_array(keys).combine_chunks())
    elif table in DOC_TABLES:
        drop = pc.is_in(data.column("doc_id"), value_set=pa.chunked_array(doc_ids).combine_chunks())
    else:
        os.link(source, destination)
        return
    kept = data.filter(pc.invert(drop))
    if kept.num_rows:
        pq.write_table(kept.cast(arrow_schema(table)) if kept.schema != arrow_schema(table) else kept,
                       destination, compression=COMPRESSION)


def _swap_symlink(link: str, target: str) -> None:
    temporary = link + ".new"
    try:
        os.remove(temporary)
    except FileNotFoundError:
        pass
    os.symlink(target, temporary)
    os.replace(temporary, link)
    _fsync_dir(os.path.dirname(link))


def _fsync_tree(root: str) -> None:
    for directory, _, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(directory, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(directory)


def _fsync_dir(directory: str) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def parquet_files(root: str, run_id: str | None = None) -> list[str]:
    """Parquet files under ``root``, sorted; only those a run wrote if ``run_id`` is given
    (a run's own files are named ``<run_id>-<shard>.parquet``; rewritten ones are not)."""
    found = []
    for directory, _, files in os.walk(root):
        found.extend(os.path.join(directory, f) for f in files
                     if f.endswith(".parquet") and (run_id is None or f.startswith(run_id + "-")))
    return sorted(found)


def collect_garbage(layout: DataLayout, keep_run_ids: frozenset[str] = frozenset()) -> None:
    """Remove unpublished leftovers and all but the newest snapshots (crash debris included)."""
    current = layout.current_snapshot()
    if os.path.isdir(layout.snapshots_dir):
        snapshots = sorted(
            name for name in os.listdir(layout.snapshots_dir)
            if not name.endswith(".building") and name != current
        )
        stale = snapshots[: max(0, len(snapshots) - KEEP_PREVIOUS_SNAPSHOTS)]
        building = [name for name in os.listdir(layout.snapshots_dir) if name.endswith(".building")]
        for name in stale + building:
            shutil.rmtree(layout.snapshot_dir(name), ignore_errors=True)
    if os.path.isdir(layout.staging_root):
        for name in os.listdir(layout.staging_root):
            if name not in keep_run_ids:
                shutil.rmtree(os.path.join(layout.staging_root, name), ignore_errors=True)
