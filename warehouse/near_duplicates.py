"""Near-duplicate clusters across the whole warehouse, assigned at publishing.

The shards compute each document's fingerprint (``transforms.fingerprint``, pure) and
write its MinHash signature (``document_signatures``) and LSH bands
(``document_bands``).  When a run builds its snapshot, ``assign_near_duplicates``
matches the run's documents against every document of the snapshot by a join on the
band table (``sql/near_duplicates.sql``) and writes ``documents.near_duplicate_of``
into the run's own ``documents`` files, before anything is published.  Earlier runs'
files are never rewritten: a cluster keeps its first-seen document.

Deterministic: the result depends on the snapshot's documents only (not on shards or
timing), so a killed and resumed run publishes what an uninterrupted one would.
"""

from __future__ import annotations

import os

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas.arrow import arrow_schema
from transforms.fingerprint import JACCARD_THRESHOLD, MIN_SHARED_BANDS, NUM_PERM
from warehouse.layout import table_dir
from warehouse.parquet_writer import COMPRESSION
from warehouse.query import table_views
from warehouse.snapshots import parquet_files
from warehouse.sql_files import script_statements
from warehouse.storage import duckdb_memory_limit

TABLES = ("documents", "document_signatures", "document_bands")


def assignment_statements() -> list[str]:
    return script_statements("near_duplicates.sql")


def assign_near_duplicates(snapshot_dir: str, run_id: str, temp_directory: str | None = None) -> int:
    """Set ``near_duplicate_of`` in the ``documents`` files ``run_id`` wrote into the
    (unpublished) snapshot at ``snapshot_dir``; returns how many documents got one."""
    run_files = parquet_files(table_dir(snapshot_dir, "documents"), run_id)
    if not run_files:
        return 0
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": duckdb_memory_limit(),
        "preserve_insertion_order": False,
    }
    if temp_directory:
        config["temp_directory"] = temp_directory
    con = duckdb.connect(config=config)
    try:
        # a snapshot written before fingerprints has empty signature and band tables
        table_views(con, snapshot_dir, TABLES)
        parameters = {
            "run_id": run_id,
            "threshold": JACCARD_THRESHOLD,
            "num_perm": NUM_PERM,
            "min_shared_bands": MIN_SHARED_BANDS,
        }
        *statements, result = assignment_statements()
        for statement in statements:
            con.execute(statement, {k: v for k, v in parameters.items() if f"${k}" in statement})
        assigned = con.sql(result).to_arrow_table()  # (doc_id, near_duplicate_of)
    finally:
        con.close()
    if assigned.num_rows:
        for path in run_files:
            _write_assignments(path, assigned)
    return assigned.num_rows


def _write_assignments(path: str, assigned) -> None:
    """Rewrite one of the run's files with the column set; the snapshot holds a hard link
    to the staged file, so the new file replaces the link, never the staged bytes."""
    data = pq.read_table(path)
    positions = pc.index_in(data.column("doc_id"), value_set=assigned.column("doc_id"))
    if positions.null_count == len(positions):
        return
    values = pc.take(assigned.column("near_duplicate_of"), positions)
    column = data.schema.get_field_index("near_duplicate_of")
    data = data.set_column(column, data.schema.field(column), values)
    temporary = path + ".tmp"
    pq.write_table(data.cast(arrow_schema("documents")), temporary, compression=COMPRESSION)
    os.replace(temporary, path)
