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
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas.arrow import arrow_schema
from schemas.models import TABLES
from warehouse.failpoints import failpoint
from warehouse.layout import DataLayout
from warehouse.parquet_writer import COMPRESSION

#: Snapshots kept besides the published one, for readers still reading them.
KEEP_PREVIOUS_SNAPSHOTS = 1

#: The column that ties each table's rows to the input they came from.
INPUT_KEY = {"documents": "source_uri", "quarantine": "source_uri", "inputs": "uri"}
DOC_TABLES = ("paragraphs", "quotes", "removed_lines")


def staged_input_keys(staged_dir: str) -> list[str]:
    """URIs of the inputs this run re-read: their previous rows are superseded."""
    keys: set[str] = set()
    for table in ("inputs", "quarantine"):
        column = INPUT_KEY[table]
        for path in _parquet_files(os.path.join(staged_dir, table)):
            keys.update(pq.read_table(path, columns=[column]).column(column).to_pylist())
    return sorted(keys)


def publish(layout: DataLayout, staged_dir: str, snapshot_id: str, input_keys: list[str]) -> str | None:
    """Publish ``staged_dir`` as snapshot ``snapshot_id``; returns the parent snapshot id."""
    parent = layout.current_snapshot()
    target = layout.snapshot_dir(snapshot_id)
    building = target + ".building"
    shutil.rmtree(building, ignore_errors=True)
    os.makedirs(building)
    if parent:
        _carry_over(layout.snapshot_dir(parent), building, set(input_keys), snapshot_id)
    failpoint("publish:carried-over")
    for path in _parquet_files(staged_dir):
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


def _carry_over(parent_dir: str, building: str, input_keys: set[str], snapshot_id: str) -> None:
    affected = _files_with_keys(parent_dir, input_keys) if input_keys else set()
    superseded_docs = _superseded_doc_ids(parent_dir, affected, input_keys)
    for path in _parquet_files(parent_dir):
        relative = os.path.relpath(path, parent_dir)
        destination = os.path.join(building, relative)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        if os.path.basename(path) not in affected:
            os.link(path, destination)
            continue
        table = relative.split(os.sep, 1)[0]
        _rewrite_without(path, rewritten_name(destination, snapshot_id), table, input_keys, superseded_docs)


def rewritten_name(path: str, snapshot_id: str) -> str:
    """A rewritten file gets a new name (``<shard>~<snapshot>.parquet``): every file
    name is immutable content, which object-store mirrors and caches rely on.
    All tables of a shard are rewritten together, so they keep sharing a name."""
    directory, name = os.path.split(path)
    stem = name.removesuffix(".parquet").split("~", 1)[0]
    return os.path.join(directory, f"{stem}~{snapshot_id}.parquet")


def _files_with_keys(parent_dir: str, input_keys: set[str]) -> set[str]:
    """Base names (one per shard, shared by all its tables) holding rows of ``input_keys``."""
    names: set[str] = set()
    con = duckdb.connect()
    try:
        con.execute("CREATE TEMP TABLE keys (key VARCHAR)")
        con.executemany("INSERT INTO keys VALUES (?)", [[k] for k in input_keys])
        for table in ("inputs", "quarantine", "documents"):
            files = _parquet_files(os.path.join(parent_dir, table))
            if not files:
                continue
            column = INPUT_KEY[table]
            rows = con.execute(
                f"SELECT DISTINCT filename FROM read_parquet(?, filename = true, hive_partitioning = false, union_by_name = true) "
                f"WHERE {column} IN (SELECT key FROM keys)",
                [files],
            ).fetchall()
            names.update(os.path.basename(row[0]) for row in rows)
    finally:
        con.close()
    return names


def _superseded_doc_ids(parent_dir: str, affected: set[str], input_keys: set[str]) -> set[str]:
    doc_ids: set[str] = set()
    for path in _parquet_files(os.path.join(parent_dir, "documents")):
        if os.path.basename(path) in affected:
            table = pq.read_table(path, columns=["doc_id", "source_uri"])
            mask = pc.is_in(table.column("source_uri"), value_set=_string_array(input_keys))
            doc_ids.update(table.filter(mask).column("doc_id").to_pylist())
    return doc_ids


def _rewrite_without(source: str, destination: str, table: str, input_keys: set[str], doc_ids: set[str]) -> None:
    data = pq.read_table(source)
    if table in INPUT_KEY:
        drop = pc.is_in(data.column(INPUT_KEY[table]), value_set=_string_array(input_keys))
    elif table in DOC_TABLES:
        drop = pc.is_in(data.column("doc_id"), value_set=_string_array(doc_ids))
    else:
        os.link(source, destination)
        return
    kept = data.filter(pc.invert(drop))
    if kept.num_rows:
        pq.write_table(kept.cast(arrow_schema(table)) if kept.schema != arrow_schema(table) else kept,
                       destination, compression=COMPRESSION)


def _string_array(values):
    import pyarrow as pa

    return pa.array(sorted(values), type=pa.string())


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


def _parquet_files(root: str) -> list[str]:
    found = []
    for directory, _, files in os.walk(root):
        found.extend(os.path.join(directory, f) for f in files if f.endswith(".parquet"))
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
