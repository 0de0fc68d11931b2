"""Near-duplicate clusters across the whole warehouse, assigned at publishing.

The shards compute each document's fingerprint (``transforms.fingerprint``, pure) and
write its MinHash signature (``document_signatures``) and LSH bands
(``document_bands``).  When a run builds its snapshot, ``assign_near_duplicates``
matches the run's documents against every document of the snapshot: the members of the
run's LSH buckets come from the band index (``warehouse.band_index``, a binary search
of sorted segments, made whole first), the rest is a join (``sql/near_duplicates.sql``),
and it writes ``documents.near_duplicate_of``
into the run's own ``documents`` files, before anything is published.  A cluster keeps
its first-seen document as its root while that document is in the warehouse.  When it
leaves (its input changed: the run replaced it by a new doc_id), the cluster is re-rooted
at its earliest remaining member, and the earlier runs' ``documents`` files holding the
cluster's rows are rewritten in the snapshot being built, copy-on-write like the parent's
files the run's re-read inputs touch (``snapshots.rewritten_name``): a new file replaces
the snapshot's hard link, so the bytes an older snapshot (or a reader) holds never change.

Deterministic: the result depends on the snapshot's documents only (not on shards or
timing), so a killed and resumed run publishes what an uninterrupted one would.
"""

from __future__ import annotations

import os
import time

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from transforms.fingerprint import JACCARD_THRESHOLD, MIN_SHARED_BANDS, NUM_PERM, SIGNATURE_VALUE_BYTES
from warehouse.band_index import Probe, rebuild_band_index, run_keys, update_band_index
from warehouse.layout import literal, table_dir
from warehouse.parquet_writer import table_compression
from warehouse.query import table_views
from warehouse.snapshots import NO_DOC_IDS, SNAPSHOT_SQL, conform_to_schema, parquet_files, rewritten_name
from warehouse.sql_files import named_queries, script_statements
from warehouse.storage import duckdb_memory_limit

TABLES = ("documents", "document_signatures", "document_bands")


#: the table of the candidates' signatures as lists of integers, which the script reads
#: once it knows the candidates (read from the band index, ``_decode_signatures``)
DECODED_SIGNATURES = "nd_signature_values"
#: the rows (band, band_hash, doc_id) of the run's LSH buckets, which the script reads
#: (from the band index's probe, or the band scan it replaces: ``BandScan``)
BUCKET_ROWS = "nd_bucket_rows"
#: the doc_ids the run superseded (its re-read inputs' earlier documents): the roots it may lose
SUPERSEDED = "nd_superseded"
BAND_INDEX_SQL = named_queries("band_index.sql")


def assignment_statements() -> list[str]:
    return script_statements("near_duplicates.sql")


def assignment_parameters(run_id: str) -> dict[str, object]:
    """The named parameters of ``near_duplicates.sql`` for ``run_id``."""
    return {
        "run_id": run_id,
        "threshold": JACCARD_THRESHOLD,
        "num_perm": NUM_PERM,
        "min_shared_bands": MIN_SHARED_BANDS,
    }


class BandScan:
    """The rows of the run's buckets and the candidates' signatures by scans of
    ``document_bands`` and ``document_signatures``: what the band index
    (``band_index.Probe``) replaces, and what tests and benchmarks hold it to."""

    def __init__(self, con: duckdb.DuckDBPyConnection, run_id: str):
        self.con = con
        self.bucket_rows = con.sql(BAND_INDEX_SQL["bucket_rows_by_scan"], params={"run_id": run_id}).to_arrow_table()

    def signatures(self, doc_ids: pa.Array) -> pa.Table:
        self.con.register("nd_wanted", pa.table({"doc_id": doc_ids}))
        return self.con.sql(BAND_INDEX_SQL["signatures_by_scan"]).to_arrow_table()


def run_assignment(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    index: Probe | BandScan,
    superseded: pa.Array = NO_DOC_IDS,
    timings: list[tuple[str, float]] | None = None,
) -> pa.Table:
    """Run ``near_duplicates.sql`` for ``run_id`` over the views of ``con``, with the rows
    of the run's buckets and the candidates' signatures from ``index`` and the doc_ids
    the run superseded; returns its result (doc_id, near_duplicate_of, rerooted).
    ``timings`` gets each statement's wall seconds (bench/bench_near_duplicates_scale.py)."""
    parameters = assignment_parameters(run_id)
    con.register(BUCKET_ROWS, index.bucket_rows)
    con.register(SUPERSEDED, pa.table({"doc_id": superseded}))
    *statements, result = assignment_statements()
    for statement in statements:
        started = time.time()
        if DECODED_SIGNATURES in statement:
            candidates = con.sql(BAND_INDEX_SQL["candidate_ids"]).to_arrow_table().column("doc_id").combine_chunks()
            con.register(DECODED_SIGNATURES, _decode_signatures(index.signatures(candidates)))
        con.execute(statement, {k: v for k, v in parameters.items() if f"${k}" in statement})
        if timings is not None:
            timings.append((" ".join(statement.split()[:6]), round(time.time() - started, 2)))
    return con.sql(result).to_arrow_table()


def _decode_signatures(table: pa.Table) -> pa.Table:
    """The candidates' signatures (a few thousand) as lists of NUM_PERM integers: numpy
    reads the stored bytes at once, where DuckDB's SQL would slice each value out of
    them (2.2 M slices cost 1-2 CPU-s for 10^4 new documents; comparing lists, ~0.1)."""
    width = NUM_PERM * SIGNATURE_VALUE_BYTES
    fixed = table.column("minhash").combine_chunks().cast(pa.binary(width))  # fails on another size
    values = np.frombuffer(fixed.buffers()[1], dtype="<i8", count=len(fixed) * NUM_PERM, offset=fixed.offset * width)
    offsets = pa.array(np.arange(0, len(values) + 1, NUM_PERM, dtype=np.int32))
    return pa.table({"doc_id": table.column("doc_id"), "minhash": pa.ListArray.from_arrays(offsets, pa.array(values))})


def assign_near_duplicates(
    snapshot_dir: str, run_id: str, superseded: pa.Array = NO_DOC_IDS, temp_directory: str | None = None
) -> tuple[int, list[str]]:
    """Set ``near_duplicate_of`` in the ``documents`` files ``run_id`` wrote into the
    (unpublished) snapshot at ``snapshot_dir``, and re-root the clusters whose root is no
    longer there (``superseded``: the doc_ids of the run's re-read inputs in the parent
    snapshot; rewriting the earlier files that hold their rows); returns how many
    documents got a new value, and a note per band index segment found damaged (and
    rebuilt).  The snapshot's band index is made whole first (it covers the run's
    ``document_bands`` files from then on)."""
    segments, notes = update_band_index(snapshot_dir, run_id)
    all_files = parquet_files(table_dir(snapshot_dir, "documents"))
    run_files = parquet_files(table_dir(snapshot_dir, "documents"), run_id)
    if not run_files:
        return 0, notes
    keys = run_keys(snapshot_dir, run_id)
    try:
        index = Probe(segments, keys)
    except (IndexError, TypeError, ValueError, pa.ArrowException) as err:
        # a segment whose layout checks out (Segment) but whose rows do not: the index is
        # derived data, so it is built again from document_bands, never trusted
        notes.append(f"band index was damaged ({err}): rebuilt from document_bands")
        segments = rebuild_band_index(snapshot_dir, run_id)
        index = Probe(segments, keys)
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
        changed = run_assignment(con, run_id, index, superseded)  # (doc_id, near_duplicate_of, rerooted)
        rerooted = changed.filter(changed.column("rerooted"))
        earlier_files = sorted(set(all_files) - set(run_files))
        rerooted_files = _files_holding(con, earlier_files, rerooted.column("doc_id")) if rerooted.num_rows else []
    finally:
        con.close()
    assigned = changed.filter(pc.invert(changed.column("rerooted")))
    if assigned.num_rows:
        for path in run_files:
            _write_assignments(path, assigned, path)
    for path in rerooted_files:  # an earlier run's file: under a new name, as the parent's rewritten ones
        _write_assignments(path, rerooted, rewritten_name(path, run_id))
    return changed.num_rows, notes


def _files_holding(con: duckdb.DuckDBPyConnection, files: list[str], doc_ids) -> list[str]:
    """Which of ``files`` hold rows of ``doc_ids`` (a few: the re-rooted clusters' members)."""
    by_name = {literal(f): f for f in files} | {f: f for f in files}  # DuckDB may name a file either way
    rows = con.execute(
        SNAPSHOT_SQL["files_with_doc_ids"], {"files": [literal(f) for f in files], "doc_ids": doc_ids.to_pylist()}
    ).fetchall()
    return sorted(by_name[row[0]] for row in rows)


def _write_assignments(path: str, assigned, destination: str) -> None:
    """Write ``path`` to ``destination`` with ``near_duplicate_of`` set for the rows of
    ``assigned`` (the others keep theirs).  The snapshot holds a hard link at ``path`` (to
    a staged file or to an older snapshot's): the new file replaces the link (temp file
    and rename), never the linked bytes."""
    data = conform_to_schema("documents", pq.read_table(path))  # a file may predate the column
    positions = pc.index_in(data.column("doc_id"), value_set=assigned.column("doc_id"))
    if positions.null_count == len(positions):
        return
    values = pc.if_else(
        pc.is_valid(positions),
        pc.take(assigned.column("near_duplicate_of"), positions),
        data.column("near_duplicate_of"),
    )
    column = data.schema.get_field_index("near_duplicate_of")
    data = data.set_column(column, data.schema.field(column), values)
    temporary = destination + ".tmp"
    pq.write_table(data, temporary, compression=table_compression("documents"))
    os.replace(temporary, destination)
    if destination != path:
        os.remove(path)
