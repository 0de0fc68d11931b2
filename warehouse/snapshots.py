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

import hashlib
import os
import shutil
import time

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas.arrow import arrow_schema
from schemas.models import TABLES
from warehouse.failpoints import failpoint
from warehouse.layout import DataLayout, is_building, literal, table_dir
from warehouse.parquet_writer import table_compression
from warehouse.sql_files import named_queries, sql_string
from warehouse.storage import fsync_path, fsync_tree

SNAPSHOT_SQL = named_queries("snapshots.sql")

#: Snapshots kept besides the published one, for readers still reading them.
KEEP_PREVIOUS_SNAPSHOTS = 1

#: The column that ties each table's rows to the input they came from.
INPUT_KEY = {"documents": "source_uri", "quarantine": "source_uri", "inputs": "uri"}
DOC_TABLES = ("paragraphs", "quotes", "removed_lines", "document_signatures", "document_bands")
#: no doc_ids (a run that superseded nothing)
NO_DOC_IDS = pa.array([], pa.string())


def create_reread_inputs(con: duckdb.DuckDBPyConnection, run_dir: str, run_id: str | None = None) -> int:
    """Temp table ``reread_inputs(key)``: URIs of the inputs a run re-read (their older
    rows are superseded), from the run's ``inputs`` and ``quarantine`` files under
    ``run_dir`` (only files of ``run_id`` if given).  Returns how many.

    Kept in DuckDB, never as a Python list: a first run over a million files
    re-reads a million inputs.
    """
    parts = []
    for table in ("inputs", "quarantine"):
        files = parquet_files(table_dir(run_dir, table), run_id)
        if files:
            listing = ", ".join(sql_string(literal(f)) for f in files)
            parts.append(SNAPSHOT_SQL["input_keys_of_files"].format(column=INPUT_KEY[table], files=listing))
    keys = " UNION ".join(parts) if parts else SNAPSHOT_SQL["no_input_keys"]
    con.execute(SNAPSHOT_SQL["create_reread_inputs"].format(keys=keys))
    (count,) = con.execute(SNAPSHOT_SQL["count_reread_inputs"]).fetchall()[0]
    return count


def build_snapshot(layout: DataLayout, staged_dir: str, run_id: str) -> tuple[str, str | None, list[str]]:
    """Build the snapshot of run ``run_id`` = the published one, minus the superseded
    rows of every input ``staged_dir`` re-read, plus ``staged_dir``'s files, in a
    directory nobody reads yet, with its band index and near-duplicates.  Returns it,
    the parent snapshot's id, and notes of what was found damaged and repaired.

    More files may be added to it (``add_files``) until ``publish_snapshot``."""
    # they read the snapshot through this module
    from warehouse.band_index import link_segments
    from warehouse.near_duplicates import assign_near_duplicates

    parent = layout.current_snapshot()
    building = layout.building_snapshot_dir(run_id)
    shutil.rmtree(building, ignore_errors=True)
    os.makedirs(building)
    superseded = NO_DOC_IDS
    if parent:
        superseded = _carry_over(layout.snapshot_dir(parent), building, staged_dir, run_id)
        link_segments(layout.snapshot_dir(parent), building)
    failpoint("publish:carried-over")
    add_files(building, staged_dir)
    _, notes = assign_near_duplicates(building, run_id, superseded, temp_directory=layout.duckdb_temp_dir(run_id))
    return building, parent, notes


def add_files(building: str, staged_dir: str) -> list[str]:
    """Hard-link ``staged_dir``'s Parquet files into the snapshot being built; returns the new paths."""
    added = []
    for path in parquet_files(staged_dir):
        destination = os.path.join(building, os.path.relpath(path, staged_dir))
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        os.link(path, destination)
        added.append(destination)
    return added


def seal_snapshot(building: str) -> None:
    """The built snapshot is complete: every table readable, every file on disk."""
    for table in TABLES:
        _ensure_readable(table_dir(building, table), table)
    fsync_tree(building)


def publish_snapshot(layout: DataLayout, building: str, run_id: str) -> None:
    """Make the sealed snapshot of run ``run_id`` the published one: one ``rename`` of the
    ``parquet`` symlink."""
    target = layout.snapshot_dir(run_id)
    os.rename(building, target)
    os.utime(target)  # the snapshot's publication time; its parent is superseded from then on
    failpoint("publish:before-swap")
    _swap_symlink(layout.parquet_link, layout.parquet_link_target(run_id))
    failpoint("publish:swapped")


def empty_file_name(table: str) -> str:
    """An empty table holds one file with no rows, named after its schema: the name
    stays while the schema does, so a reader's listing stays valid across runs."""
    digest = hashlib.blake2b(arrow_schema(table).to_string().encode(), digest_size=6).hexdigest()
    return f"empty-{digest}.parquet"


def _ensure_readable(table_dir: str, table: str) -> None:
    """A table with no rows gets a schema-only file: polars and DuckDB globs fail on
    a folder with no file, pandas and pyarrow would see no columns."""
    os.makedirs(table_dir, exist_ok=True)
    if not parquet_files(table_dir):
        pq.write_table(
            arrow_schema(table).empty_table(),
            os.path.join(table_dir, empty_file_name(table)),
            compression=table_compression(table),
        )


def _carry_over(parent_dir: str, building: str, staged_dir: str, run_id: str):
    """Link the parent's files into ``building``, rewriting those that hold rows of re-read
    inputs; returns the doc_ids of those inputs' documents (the superseded ones)."""
    con = duckdb.connect()
    try:
        affected, keys, superseded_docs = set(), None, NO_DOC_IDS
        if create_reread_inputs(con, staged_dir):
            affected = _files_with_keys(con, parent_dir)
        if affected:
            keys = con.sql(SNAPSHOT_SQL["reread_input_keys"]).to_arrow_table().column("key")
            superseded_docs = _superseded_doc_ids(con, parent_dir, affected)
    finally:
        con.close()
    for path in parquet_files(parent_dir):
        if os.path.basename(path).startswith("empty-"):
            continue  # placeholders are made afresh for the tables still empty
        relative = os.path.relpath(path, parent_dir)
        destination = os.path.join(building, relative)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        if shard_name(path) not in affected:
            os.link(path, destination)
            continue
        table = relative.split(os.sep, 1)[0]
        _rewrite_without(path, rewritten_name(destination, run_id), table, keys, superseded_docs)
    return superseded_docs


def rewritten_name(path: str, run_id: str) -> str:
    """A rewritten file gets a new name, ``<shard>~<run_id>.parquet`` (the run whose
    snapshot rewrote it): every file name is immutable content, which object-store
    mirrors and caches rely on.  A shard's tables may have been rewritten by different
    runs (re-rooted near-duplicates rewrite ``documents`` alone): ``shard_name`` ties them."""
    directory = os.path.dirname(path)
    return os.path.join(directory, f"{shard_name(path)}~{run_id}.parquet")


def shard_name(path: str) -> str:
    """The shard a file's rows came from (``<run_id>-<shard>``), whichever run rewrote it."""
    return os.path.basename(path).removesuffix(".parquet").split("~", 1)[0]


def _files_with_keys(con: duckdb.DuckDBPyConnection, parent_dir: str) -> set[str]:
    """Shards (``shard_name``: the same for all their tables) holding rows of the keys."""
    names: set[str] = set()
    for table in ("inputs", "quarantine", "documents"):
        files = parquet_files(table_dir(parent_dir, table))
        if not files:
            continue
        rows = con.execute(
            SNAPSHOT_SQL["files_with_reread_inputs"].format(column=INPUT_KEY[table]),
            {"files": [literal(f) for f in files]},
        ).fetchall()
        names.update(shard_name(row[0]) for row in rows)
    return names


def _superseded_doc_ids(con: duckdb.DuckDBPyConnection, parent_dir: str, affected: set[str]):
    files = [f for f in parquet_files(table_dir(parent_dir, "documents")) if shard_name(f) in affected]
    if not files:
        return pa.array([], type=pa.string())
    return (
        con.sql(SNAPSHOT_SQL["superseded_doc_ids"], params={"files": [literal(f) for f in files]})
        .to_arrow_table()
        .column("doc_id")
    )


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
        pq.write_table(conform_to_schema(table, kept), destination, compression=table_compression(table))


def conform_to_schema(table: str, data: pa.Table) -> pa.Table:
    """``data`` in the table's current schema: columns in order, those added since the
    file was written null (a plain cast fails on a file older than a new column)."""
    schema = arrow_schema(table)
    if data.schema == schema:
        return data
    columns = [
        data.column(field.name).cast(field.type)
        if field.name in data.column_names
        else pa.nulls(data.num_rows, field.type)
        for field in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def _swap_symlink(link: str, target: str) -> None:
    temporary = link + ".new"
    try:
        os.remove(temporary)
    except FileNotFoundError:
        pass
    os.symlink(target, temporary)
    os.replace(temporary, link)
    fsync_path(os.path.dirname(link))


def parquet_files(root: str, run_id: str | None = None) -> list[str]:
    """Parquet files under ``root``, sorted; only those a run wrote if ``run_id`` is given
    (a run's own files are named ``<run_id>-<shard>.parquet``; rewritten ones are not)."""
    found: list[str] = []
    for directory, _, files in os.walk(root):
        found.extend(
            os.path.join(directory, f)
            for f in files
            if f.endswith(".parquet") and (run_id is None or f.startswith(run_id + "-"))
        )
    return sorted(found)


def collect_garbage(layout: DataLayout, grace_seconds: float) -> None:
    """Remove crash debris and the snapshots no reader may still be on.

    Kept: the published snapshot, the one before it (readers that resolved the link
    during the last run), and every snapshot superseded less than ``grace_seconds``
    ago (readers that resolved the link a moment ago and read for a while)."""
    current = layout.current_snapshot()
    if os.path.isdir(layout.snapshots_dir):
        names = os.listdir(layout.snapshots_dir)
        published = sorted(name for name in names if not is_building(name))
        for name in [name for name in names if is_building(name)]:
            shutil.rmtree(layout.snapshot_dir(name), ignore_errors=True)
        position = published.index(current) if current in published else len(published)
        for name in published[position + 1 :] if current in published else published:
            shutil.rmtree(layout.snapshot_dir(name), ignore_errors=True)  # built, never published
        if current in published:
            older = published[:position]
            for name, successor in zip(older[:-1], older[1:] + [current]):
                if not _superseded_within(layout.snapshot_dir(successor), grace_seconds):
                    shutil.rmtree(layout.snapshot_dir(name), ignore_errors=True)
    if os.path.isdir(layout.staging_root):
        for name in os.listdir(layout.staging_root):  # called before this run stages anything
            shutil.rmtree(layout.staging_dir(name), ignore_errors=True)


def discard_unpublished(layout: DataLayout, run_id: str) -> None:
    """Delete what a failed run built and did not publish (its staging files, its
    snapshot being built, its new database): on a full disk this is the room its
    ``failed`` row needs."""
    if not layout.is_published(run_id):
        shutil.rmtree(layout.building_snapshot_dir(run_id), ignore_errors=True)
    shutil.rmtree(layout.staging_dir(run_id), ignore_errors=True)


def _superseded_within(successor_dir: str, grace_seconds: float) -> bool:
    """Whether the snapshot published after this one was published less than ``grace_seconds`` ago."""
    try:
        return time.time() - os.stat(successor_dir).st_mtime < grace_seconds
    except FileNotFoundError:
        return False
