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
from importlib import resources

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas.arrow import arrow_schema, duckdb_ddl
from transforms.fingerprint import JACCARD_THRESHOLD, NUM_PERM
from warehouse.layout import literal
from warehouse.parquet_writer import COMPRESSION
from warehouse.storage import duckdb_memory_limit

TABLES = ("documents", "document_signatures", "document_bands")


def assignment_statements() -> list[str]:
    text = resources.files("warehouse").joinpath("sql/near_duplicates.sql").read_text(encoding="utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [statement.strip() for statement in code.split(";") if statement.strip()]


def assign_near_duplicates(snapshot_dir: str, run_id: str, temp_directory: str | None = None) -> int:
    """Set ``near_duplicate_of`` in the ``documents`` files ``run_id`` wrote into the
    (unpublished) snapshot at ``snapshot_dir``; returns how many documents got one."""
    run_files = _parquet_files(os.path.join(snapshot_dir, "documents"), run_id)
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
        for table in TABLES:
            files = _parquet_files(os.path.join(snapshot_dir, table))
            if files:
                con.execute(
                    f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{_sql_list(files)}], "
                    "hive_partitioning = false, union_by_name = true)"
                )
            else:  # a snapshot written before fingerprints: no earlier signatures to match
                con.execute(duckdb_ddl(table))
        parameters = {"run_id": run_id, "threshold": JACCARD_THRESHOLD, "num_perm": NUM_PERM}
        for statement in assignment_statements():
            con.execute(statement, {k: v for k, v in parameters.items() if f"${k}" in statement})
        assigned = con.sql("SELECT doc_id, near_duplicate_of FROM nd_assignments ORDER BY doc_id").to_arrow_table()
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


def _parquet_files(root: str, run_id: str | None = None) -> list[str]:
    from warehouse.snapshots import parquet_files  # snapshots calls this module while building

    return parquet_files(root, run_id)


def _sql_list(paths: list[str]) -> str:
    return ", ".join("'" + literal(p).replace("'", "''") + "'" for p in paths)
