"""Prototype: a sorted band index for near-duplicate matching, measured against the band
scan it would replace (issue 16; docs/PERFORMANCE.md).

    python bench/bench_band_index.py build --base /work/nd/n1e6 [--segments 10]
    python bench/bench_band_index.py compare --base /work/nd/n1e6 --new 1000 10000 [--rounds 2]
    python bench/bench_band_index.py parquet --base /work/nd/n1e6 --new 1000 [--row-group 2048]

``--base`` is a synthetic snapshot of ``bench_near_duplicates_scale.py generate``.

The index (prototype, kept outside the snapshot's tables in ``<base>/_band_index/``):
LSM-style segments, each the band rows of some documents sorted by (band, band_hash),
one Arrow IPC file (uncompressed, so it is memory-mapped, never read whole) of
``band_hash`` (int64) and ``doc`` (int32, a row of the segment's ``doc_ids`` file),
with the 41 offsets where each band starts in its metadata.  A run would add one
segment of its own documents and merge segments when there are too many (not built
here: ``build`` writes the segments a merged index would hold); a probe
binary-searches each segment for the run's sorted (band, band_hash) pairs, so it
touches about 40·M·(segments) places of the index, not its 40·N rows.

``compare`` adds a run of M documents (the scale bench's), builds its segment, and then,
interleaved in one process (order A B B A ...), CPU time (``getrusage``: all threads):
A the real ``near_duplicates.sql`` (the band scan ``nd_bucket_docs``), B the same script
with ``nd_bucket_docs`` taken from the index probe; and the probe step alone both ways.
The results of A and B must be identical (it fails otherwise).

``parquet`` is the DuckDB-only variant: the same sorted rows written as one Parquet file
with small row groups (``<base>/_band_index_sorted.parquet``, the earlier documents'
rows only: it counts fewer rows than the scan, which also finds the run's own), probed
with a semi-join; prints the CPU time against the plain band scan and the Parquet scan's
lines of ``EXPLAIN ANALYZE`` (rows read, the join's dynamic filters).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.ipc as ipc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from bench.bench_near_duplicates_scale import NEW_RUN_ID, add_new_run, remove_new_run  # noqa: E402
from transforms.fingerprint import NUM_BANDS  # noqa: E402
from warehouse.layout import table_dir  # noqa: E402
from warehouse.near_duplicates import (
    DECODED_SIGNATURES,
    TABLES,
    _decode_signatures,
    assignment_parameters,
    assignment_statements,
)  # noqa: E402
from warehouse.query import table_views  # noqa: E402
from warehouse.snapshots import parquet_files  # noqa: E402
from warehouse.storage import duckdb_memory_limit  # noqa: E402

INDEX_DIR = "_band_index"
BUCKET_STATEMENT = "CREATE OR REPLACE TEMP TABLE nd_bucket_docs"


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- the index: segments -------------------------------------------------------------


def write_segment(folder: str, name: str, bands: pa.Table) -> str:
    """One segment of ``bands`` (doc_id, band, band_hash): sorted by (band, band_hash)."""
    encoded = pc.dictionary_encode(bands.column("doc_id")).combine_chunks()
    doc_ids, doc = encoded.dictionary, encoded.indices.to_numpy()
    band = bands.column("band").to_numpy().astype(np.int64)
    band_hash = bands.column("band_hash").to_numpy()
    order = np.lexsort((band_hash, band))
    starts = np.searchsorted(band[order], np.arange(NUM_BANDS + 1))
    table = pa.table(
        {"band_hash": pa.array(band_hash[order]), "doc": pa.array(doc[order].astype(np.int32))},
        metadata={"band_starts": json.dumps(starts.tolist())},
    )
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with ipc.new_file(path + ".bands.arrow", table.schema) as writer:
        writer.write_table(table, max_chunksize=len(table) or 1)
    with ipc.new_file(path + ".docs.arrow", pa.schema([("doc_id", pa.string())])) as writer:
        writer.write_table(pa.table({"doc_id": doc_ids}))
    return path


class Segment:
    """A segment memory-mapped: nothing is read until a probe touches it."""

    def __init__(self, path: str):
        bands = ipc.open_file(pa.memory_map(path + ".bands.arrow")).read_all()
        self.starts = json.loads(bands.schema.metadata[b"band_starts"])
        self.band_hash = bands.column("band_hash").chunk(0).to_numpy()  # zero-copy views of the map
        self.doc = bands.column("doc").chunk(0).to_numpy()
        self.doc_ids = ipc.open_file(pa.memory_map(path + ".docs.arrow")).read_all().column("doc_id")

    def probe(self, band: np.ndarray, band_hash: np.ndarray) -> pa.Table:
        """The rows (band, band_hash, doc_id) of the probe keys (``band`` sorted, and
        ``band_hash`` sorted within a band)."""
        out_band, out_hash, out_doc = [], [], []
        edges = np.searchsorted(band, np.arange(NUM_BANDS + 1))
        for b in range(NUM_BANDS):
            keys = band_hash[edges[b] : edges[b + 1]]
            if not len(keys):
                continue
            hashes = self.band_hash[self.starts[b] : self.starts[b + 1]]
            lo = np.searchsorted(hashes, keys, "left")
            hit = hashes[np.minimum(lo, len(hashes) - 1)] == keys
            if not hit.any():
                continue
            lo, keys = lo[hit], keys[hit]
            counts = np.searchsorted(hashes, keys, "right") - lo  # only the keys found: a bucket may hold several
            rows = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
            out_band.append(np.full(len(rows), b, np.int64))
            out_hash.append(np.repeat(keys, counts))
            out_doc.append(self.doc[self.starts[b] + rows])
        if not out_band:
            return pa.table(
                {
                    "band": pa.array([], pa.int64()),
                    "band_hash": pa.array([], pa.int64()),
                    "doc_id": pa.array([], pa.string()),
                }
            )
        docs = self.doc_ids.take(pa.array(np.concatenate(out_doc)))
        return pa.table({"band": np.concatenate(out_band), "band_hash": np.concatenate(out_hash), "doc_id": docs})


def index_segments(base: str) -> list[Segment]:
    folder = os.path.join(base, INDEX_DIR)
    names = sorted({f.split(".", 1)[0] for f in os.listdir(folder)}) if os.path.isdir(folder) else []
    return [Segment(os.path.join(folder, name)) for name in names]


def probe(segments: list[Segment], run_bands: pa.Table) -> pa.Table:
    band = run_bands.column("band").to_numpy().astype(np.int64)
    band_hash = run_bands.column("band_hash").to_numpy()
    order = np.lexsort((band_hash, band))
    band, band_hash = band[order], band_hash[order]
    first = np.ones(len(band), bool)
    first[1:] = (band[1:] != band[:-1]) | (band_hash[1:] != band_hash[:-1])
    return pa.concat_tables([s.probe(band[first], band_hash[first]) for s in segments])


def build(base: str, segments: int) -> dict:
    """Segments of the earlier documents' band rows, ``segments`` of about equal size (as
    an LSM index would hold after merging)."""
    started, cpu0 = time.time(), cpu()
    files = [f for f in parquet_files(table_dir(base, "document_bands")) if NEW_RUN_ID not in f]
    folder = os.path.join(base, INDEX_DIR)
    shutil.rmtree(folder, ignore_errors=True)
    groups = [g for g in np.array_split(np.arange(len(files)), segments) if len(g)]
    for k, group in enumerate(groups):
        data = pa.concat_tables(pq.read_table(files[i], columns=["doc_id", "band", "band_hash"]) for i in group)
        write_segment(folder, f"seg{k:04d}", data)
    size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    return {
        "segments": len(groups),
        "files": len(files),
        "wall": round(time.time() - started, 1),
        "cpu": round(cpu() - cpu0, 1),
        "bytes": size,
    }


# -- matching both ways -----------------------------------------------------------------


def connect(base: str, temp: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(
        config={"memory_limit": duckdb_memory_limit(), "preserve_insertion_order": False, "temp_directory": temp}
    )
    table_views(con, base, TABLES)
    return con


def assignment(con: duckdb.DuckDBPyConnection, bucket_docs: pa.Table | None, timings: dict | None = None) -> pa.Table:
    """near_duplicates.sql as warehouse.near_duplicates.run_assignment runs it, the band
    scan replaced by ``bucket_docs`` if given."""
    parameters = assignment_parameters(NEW_RUN_ID)
    *statements, result = assignment_statements()
    for statement in statements:
        c0 = cpu()
        name = statement.split("TEMP TABLE ", 1)[-1].split()[0] if "TEMP TABLE" in statement else statement.split()[0]
        if DECODED_SIGNATURES in statement:
            con.register(DECODED_SIGNATURES, _decode_signatures(con.sql("SELECT doc_id, minhash FROM nd_signatures")))
        if bucket_docs is not None and statement.lstrip().startswith(BUCKET_STATEMENT):
            con.register("nd_probed", bucket_docs)
            con.execute("CREATE OR REPLACE TEMP TABLE nd_bucket_docs AS SELECT band, band_hash, doc_id FROM nd_probed")
        else:
            con.execute(statement, {k: v for k, v in parameters.items() if f"${k}" in statement})
        if timings is not None:
            timings[name] = round(timings.get(name, 0) + cpu() - c0, 3)
    return con.sql(result).to_arrow_table()


def bucket_scan(con: duckdb.DuckDBPyConnection) -> int:
    statement = next(s for s in assignment_statements() if s.lstrip().startswith(BUCKET_STATEMENT))
    con.execute(statement, {"run_id": NEW_RUN_ID})
    return con.execute("SELECT count(*) FROM nd_bucket_docs").fetchall()[0][0]


def run_buckets(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The run's distinct (band, band_hash) pairs, as the band scan's first step finds them."""
    return con.sql(
        "SELECT DISTINCT band, band_hash FROM document_bands WHERE run_id = $r", params={"r": NEW_RUN_ID}
    ).to_arrow_table()


def run_bands(con: duckdb.DuckDBPyConnection) -> pa.Table:
    return con.sql(
        "SELECT doc_id, band, band_hash FROM document_bands WHERE run_id = $r", params={"r": NEW_RUN_ID}
    ).to_arrow_table()


def compare(base: str, n_new: int, rounds: int) -> dict:
    add_new_run(base, n_new)
    run_segment_dir = os.path.join(base, INDEX_DIR)
    try:
        with tempfile.TemporaryDirectory(dir=os.path.dirname(base.rstrip("/"))) as temp:
            con = connect(base, temp)
            c0 = cpu()
            new_bands = run_bands(con)
            write_segment(run_segment_dir, "zrun", new_bands)
            segment_cpu = cpu() - c0
            con.close()
            report: dict = {
                "new_docs": n_new,
                "run_segment_cpu": round(segment_cpu, 3),
                "A": [],
                "B": [],
                "probe_A": [],
                "probe_B": [],
            }
            results = {}
            for label in (["A", "B", "B", "A"] * rounds)[: 4 * rounds]:
                con = connect(base, temp)
                c0 = cpu()
                if label == "A":
                    report["A_statements"] = {}
                    results["A"] = assignment(con, None, report["A_statements"])
                else:
                    segments = index_segments(base)
                    buckets = probe(segments, run_bands(con))
                    report["B_statements"] = {"probe": round(cpu() - c0, 3)}
                    results["B"] = assignment(con, buckets, report["B_statements"])
                report[label].append(round(cpu() - c0, 2))
                con.close()
            for label in ("A", "B", "B", "A")[: 2 * rounds]:
                con = connect(base, temp)
                c0 = cpu()
                if label == "A":
                    rows = bucket_scan(con)
                else:
                    rows = len(probe(index_segments(base), run_bands(con)))
                report["probe_" + label].append((round(cpu() - c0, 3), rows))
                con.close()
            same = results["A"].sort_by("doc_id").equals(results["B"].sort_by("doc_id"))
            report["assigned"] = results["A"].num_rows
            report["identical"] = bool(same)
            # the mapped index pages a probe touched count in RSS (RssFile: page cache, shared and
            # reclaimable); RssAnon is the process's own memory
            report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
            report["rss_now_mb"] = _rss_parts()
            report["load"] = os.getloadavg()[0]
            if not same:
                raise SystemExit(f"different assignments: {report}")
    finally:
        for suffix in (".bands.arrow", ".docs.arrow"):
            try:
                os.remove(os.path.join(run_segment_dir, "zrun" + suffix))
            except FileNotFoundError:
                pass
        remove_new_run(base)
    return report


def parquet_variant(base: str, n_new: int, row_group: int) -> dict:
    """The sorted rows as one Parquet file of small row groups: does DuckDB skip them?"""
    path = os.path.join(base, INDEX_DIR + "_sorted.parquet")
    if not os.path.exists(path):
        files = parquet_files(table_dir(base, "document_bands"))
        con = duckdb.connect(config={"memory_limit": duckdb_memory_limit(), "preserve_insertion_order": False})
        listing = ", ".join("'" + f + "'" for f in files)
        con.execute(
            f"COPY (SELECT band, band_hash, doc_id FROM read_parquet([{listing}]) ORDER BY band, band_hash) "
            f"TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE {row_group}, COMPRESSION zstd)"
        )
        con.close()
    add_new_run(base, n_new)
    report: dict = {"new_docs": n_new, "row_group": row_group, "row_groups": pq.ParquetFile(path).num_row_groups}
    try:
        with tempfile.TemporaryDirectory(dir=os.path.dirname(base.rstrip("/"))) as temp:
            for label in ("scan", "sorted", "sorted", "scan"):
                con = connect(base, temp)
                con.register("probe_keys", run_buckets(con))
                source = "document_bands" if label == "scan" else f"read_parquet('{path}')"
                query = f"SELECT count(*) FROM {source} b SEMI JOIN probe_keys k ON k.band = b.band AND k.band_hash = b.band_hash"
                c0 = cpu()
                rows = con.execute(query).fetchall()[0][0]
                report.setdefault(label, []).append((round(cpu() - c0, 3), rows))
                con.close()
            con = connect(base, temp)
            con.register("probe_keys", run_buckets(con))
            plan = con.execute(
                f"EXPLAIN ANALYZE SELECT count(*) FROM read_parquet('{path}') b "
                "SEMI JOIN probe_keys k ON k.band = b.band AND k.band_hash = b.band_hash"
            ).fetchall()[0][1]
            con.close()
            report["plan_scan"] = _scan_lines(plan)
    finally:
        remove_new_run(base)
    return report


def _rss_parts() -> dict:
    """RssAnon and RssFile of this process now, in MB (Linux)."""
    parts = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("RssAnon", "RssFile")):
                name, value, _ = line.split()
                parts[name.rstrip(":")] = round(int(value) / 1024)
    return parts


def _scan_lines(plan: str) -> list[str]:
    """The lines of the Parquet scan's box in an EXPLAIN ANALYZE text (rows read, filters)."""
    lines = [line.strip(" │┌┐└┘─") for line in plan.splitlines()]
    keep = [
        line
        for line in lines
        if any(w in line.lower() for w in ("rows", "filter", "parquet", "table_scan", "bf(", "optional"))
    ]
    return [line for line in keep if line][:40]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["build", "compare", "parquet"])
    parser.add_argument("--base", required=True)
    parser.add_argument("--segments", type=int, default=10)
    parser.add_argument("--new", type=int, nargs="+", default=[1000])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--row-group", type=int, default=2048)
    args = parser.parse_args(argv)
    if args.command == "build":
        print(json.dumps(build(args.base, args.segments)), flush=True)
    elif args.command == "compare":
        for n in args.new:
            print(json.dumps(compare(args.base, n, args.rounds)), flush=True)
    else:
        for n in args.new:
            print(json.dumps(parquet_variant(args.base, n, args.row_group)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
