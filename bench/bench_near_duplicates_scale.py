"""Near-duplicate matching at warehouse scale: ``assign_near_duplicates`` for a run of M
new documents against a synthetic snapshot of N earlier ones.

    python bench/bench_near_duplicates_scale.py generate --docs 1000000 --base /tmp/nd-1e6
    python bench/bench_near_duplicates_scale.py match --base /tmp/nd-1e6 --new 1000 [--statements]
    python bench/bench_near_duplicates_scale.py all --sizes 100000 1000000 --new 1000 10000

``generate`` writes what matching reads, laid out like a real snapshot (``<table>/<day>/
<run_id>-<shard>.parquet`` with the tables' real schemas, zstd, row groups of 50,000 rows
like ``ShardWriter``'s): ``documents``, ``document_signatures`` (120 MinHash values, 32
bits each, stored as the fingerprint stores them: one 960-byte value) and ``document_bands`` (40 a document), in
shards of 100,000 documents over ``runs`` earlier runs.  doc_ids and band hashes are
random (like the real hashes: no file's min/max prunes them); 5% of the documents are
edited copies of an earlier one of their shard (15 of 120 values changed), so some
buckets hold several documents.  Written with numpy and pyarrow directly: the text path
would take hours at 10^7.

``match`` adds a run of M documents (30% edited copies of earlier documents, the rest
new stories) to the snapshot, times the real ``assign_near_duplicates`` in a fresh
process (wall and CPU seconds, peak RSS of that process: ``ru_maxrss``, which includes
DuckDB's memory; the run's band index segment included) and removes the run's files
again.  The snapshot's band index is built by the first ``match`` (or
``bench_band_index.py build``): it is not part of the timed call after that.  ``--statements`` then times each
statement of ``near_duplicates.sql`` on its own (same connection settings), to see
where the time goes.  Figures on a shared machine are under load: say so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from schemas.arrow import arrow_schema  # noqa: E402
from transforms.fingerprint import (  # noqa: E402
    BAND_ROWS,
    NUM_BANDS,
    NUM_PERM,
    SIGNATURE_VALUE_BYTES,
)
from warehouse.band_index import Probe, run_keys, update_band_index  # noqa: E402
from warehouse.layout import band_index_dir, partition_dir  # noqa: E402
from warehouse.near_duplicates import TABLES, assign_near_duplicates, run_assignment  # noqa: E402
from warehouse.parquet_writer import table_compression  # noqa: E402
from warehouse.query import table_views  # noqa: E402
from warehouse.storage import duckdb_memory_limit  # noqa: E402

SHARD_DOCS = 100_000
ROW_GROUP_ROWS = 50_000
COPY_SHARE_BASE = 0.05
COPY_SHARE_NEW = 0.3
EDITED_VALUES = 15
NEW_RUN_ID = "20270101T000000000000Z-scale"
SAMPLE_FILE = "sample_signatures.npz"  # earlier documents the new run copies (outside the tables)


def _run_id(k: int) -> str:
    return f"20261{k // 28 + 1:01d}{k % 28 + 1:02d}T000000000000Z-{k:04x}"


def _hex_ids(rng: np.random.Generator, n: int, nbytes: int = 12) -> pa.Array:
    """n random hex strings (doc_ids and text hashes are hashes: random, unsorted)."""
    text = rng.bytes(nbytes * n).hex().encode("ascii")
    offsets = np.arange(0, 2 * nbytes * n + 1, 2 * nbytes, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(text))


def _band_hashes(signatures: np.ndarray) -> np.ndarray:
    """(n, NUM_BANDS) int64: any fixed mix of a band's 3 values (matching compares equality)."""
    rows = signatures.reshape(len(signatures), NUM_BANDS, BAND_ROWS).astype(np.uint64)
    mixed = rows[:, :, 0] * np.uint64(0x9E3779B97F4A7C15)
    mixed ^= rows[:, :, 1] * np.uint64(0xBF58476D1CE4E5B9)
    mixed ^= rows[:, :, 2] * np.uint64(0x94D049BB133111EB)
    mixed ^= mixed >> np.uint64(31)
    return mixed.view(np.int64)


def _edited(rng: np.random.Generator, signatures: np.ndarray) -> np.ndarray:
    """Copies with EDITED_VALUES of their positions changed (estimated J = 0.875)."""
    copies = signatures.copy()
    for row in copies:
        row[rng.choice(NUM_PERM, EDITED_VALUES, replace=False)] = rng.integers(0, 1 << 32, EDITED_VALUES)
    return copies


def _write(base: str, table: str, day: str, name: str, columns: dict) -> None:
    schema = arrow_schema(table)
    n = len(next(iter(columns.values())))
    arrays = [columns[f.name] if f.name in columns else pa.nulls(n, f.type) for f in schema]
    folder = partition_dir(base, table, day)
    os.makedirs(folder, exist_ok=True)
    data = pa.Table.from_arrays(
        [pa.array(a, f.type) if not isinstance(a, pa.Array) else a.cast(f.type) for a, f in zip(arrays, schema)],
        schema=schema,
    )
    pq.write_table(
        data,
        os.path.join(folder, f"{name}.parquet"),
        compression=table_compression(table),
        row_group_size=ROW_GROUP_ROWS,
    )


def write_shard(
    base: str, run_id: str, shard: str, day: str, doc_ids: pa.Array, signatures: np.ndarray, roots: list
) -> None:
    n = len(doc_ids)
    rng = np.random.default_rng(zlib.crc32(f"{run_id}-{shard}".encode()))
    keys = {"run_id": pa.array([run_id] * n), "ingest_date": pa.array([dt.date.fromisoformat(day)] * n)}
    name = f"{run_id}-{shard}"
    _write(
        base,
        "documents",
        day,
        name,
        {
            **keys,
            "doc_id": doc_ids,
            "source_id": doc_ids,
            "source_uri": pa.array([f"/crawl/{run_id}/{shard}.warc.gz"] * n),
            "input_kind": pa.array(["warc"] * n),
            "source_offset": pa.array(np.arange(n, dtype=np.int64) * 20_000),
            "n_input_lines": pa.array(np.full(n, 60, dtype=np.int64)),
            "n_paragraphs": pa.array(np.full(n, 12, dtype=np.int64)),
            "n_quotes": pa.array(np.full(n, 3, dtype=np.int64)),
            "n_removed_lines": pa.array(np.full(n, 20, dtype=np.int64)),
            "n_chars": pa.array(rng.integers(1500, 6000, n, dtype=np.int64)),
            "text_hash": _hex_ids(rng, n, 16),
            "near_duplicate_of": pa.array(roots, pa.string()),
        },
    )
    # as transforms.fingerprint.signature_bytes stores them: 120 little-endian int64 a document
    width = NUM_PERM * SIGNATURE_VALUE_BYTES
    values = pa.py_buffer(np.ascontiguousarray(signatures, dtype="<i8").tobytes())
    minhash = pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), n, [None, values]).cast(pa.binary())
    _write(
        base,
        "document_signatures",
        day,
        name,
        {**keys, "doc_id": doc_ids, "n_shingles": pa.array(np.full(n, 400, dtype=np.int64)), "minhash": minhash},
    )
    repeat = np.repeat(np.arange(n), NUM_BANDS)
    _write(
        base,
        "document_bands",
        day,
        name,
        {
            "run_id": keys["run_id"].take(pa.array(repeat)),
            "ingest_date": keys["ingest_date"].take(pa.array(repeat)),
            "doc_id": doc_ids.take(pa.array(repeat)),
            "band": pa.array(np.tile(np.arange(NUM_BANDS, dtype=np.int64), n)),
            "band_hash": pa.array(_band_hashes(signatures).reshape(-1)),
        },
    )


def generate(base: str, n_docs: int, runs: int, seed: int = 1) -> dict:
    started = time.time()
    rng = np.random.default_rng(seed)
    shards = max(1, n_docs // SHARD_DOCS)
    sample_ids, sample_sigs = [], []
    for s in range(shards):
        n = n_docs // shards + (1 if s < n_docs % shards else 0)
        run = s * runs // shards
        run_id, day = _run_id(run), (dt.date(2026, 1, 1) + dt.timedelta(days=run)).isoformat()
        doc_ids = _hex_ids(rng, n)
        signatures = rng.integers(0, 1 << 32, size=(n, NUM_PERM), dtype=np.int64)
        roots: list = [None] * n
        n_copies = int(n * COPY_SHARE_BASE)
        originals = rng.choice(n // 2, n_copies, replace=False)
        copies = n // 2 + rng.choice(n - n // 2, n_copies, replace=False)
        signatures[copies] = _edited(rng, signatures[originals])
        id_list = doc_ids.to_pylist()
        for o, c in zip(originals, copies):
            roots[c] = id_list[o]
        write_shard(base, run_id, f"{s:05d}", day, doc_ids, signatures, roots)
        pick = rng.choice(n, min(n, 20_000 // shards + 1), replace=False)
        sample_ids += [id_list[i] for i in pick]
        sample_sigs.append(signatures[pick])
    np.savez(os.path.join(base, SAMPLE_FILE), ids=np.array(sample_ids), signatures=np.concatenate(sample_sigs))
    return {"docs": n_docs, "shards": shards, "seconds": round(time.time() - started, 1), "bytes": _size(base)}


def add_new_run(base: str, n_new: int, seed: int = 2) -> None:
    rng = np.random.default_rng(seed)
    sample = np.load(os.path.join(base, SAMPLE_FILE))
    signatures = rng.integers(0, 1 << 32, size=(n_new, NUM_PERM), dtype=np.int64)
    n_copies = int(n_new * COPY_SHARE_NEW)
    picked = rng.choice(len(sample["ids"]), n_copies, replace=len(sample["ids"]) < n_copies)
    signatures[:n_copies] = _edited(rng, sample["signatures"][picked])
    write_shard(base, NEW_RUN_ID, "s0", "2027-01-01", _hex_ids(rng, n_new), signatures, [None] * n_new)


def remove_new_run(base: str) -> None:
    """The new run's files, and the band index segments it wrote."""
    for table in TABLES:
        folder = partition_dir(base, table, "2027-01-01")
        shutil.rmtree(folder, ignore_errors=True)
    index = band_index_dir(base)
    for name in os.listdir(index) if os.path.isdir(index) else []:
        if name.startswith(NEW_RUN_ID):
            os.remove(os.path.join(index, name))


def _size(path: str) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def match(base: str, n_new: int, statements: bool) -> dict:
    add_new_run(base, n_new)
    try:
        with tempfile.TemporaryDirectory(dir=os.path.dirname(base.rstrip("/"))) as temp:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            started = time.time()
            assigned, _ = assign_near_duplicates(base, NEW_RUN_ID, temp_directory=temp)
            wall = time.time() - started
            after = resource.getrusage(resource.RUSAGE_SELF)
            report = {
                "new_docs": n_new,
                "assigned": assigned,
                "wall_seconds": round(wall, 2),
                "cpu_seconds": round(after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime, 2),
                "peak_rss_mb": round(after.ru_maxrss / 1024),
                "memory_limit": duckdb_memory_limit(),
            }
            if statements:
                report["statement_seconds"] = statement_seconds(base, temp)
    finally:
        remove_new_run(base)
    return report


def statement_seconds(base: str, temp: str) -> list:
    """Each statement of near_duplicates.sql, timed (the run's files as assign left them)."""
    con = duckdb.connect(
        config={"memory_limit": duckdb_memory_limit(), "preserve_insertion_order": False, "temp_directory": temp}
    )
    try:
        started = time.time()
        table_views(con, base, TABLES)
        timings = [("table_views", round(time.time() - started, 2))]
        started = time.time()
        segments, _ = update_band_index(base, NEW_RUN_ID)
        index = Probe(segments, run_keys(base, NEW_RUN_ID))
        timings.append(("band index probe", round(time.time() - started, 2)))
        run_assignment(con, NEW_RUN_ID, index, timings=timings)
    finally:
        con.close()
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["generate", "match", "all"])
    parser.add_argument("--base", help="the synthetic snapshot's directory")
    parser.add_argument("--docs", type=int, default=100_000, help="generate: earlier documents")
    parser.add_argument("--runs", type=int, default=10, help="generate: earlier runs (days) they came in")
    parser.add_argument("--new", type=int, nargs="+", default=[1000], help="match: documents of the new run")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="all: N for each snapshot")
    parser.add_argument("--statements", action="store_true", help="match: also time each statement")
    parser.add_argument("--keep", action="store_true", help="all: keep the generated snapshots")
    parser.add_argument("--json", help="also write the report here")
    args = parser.parse_args(argv)
    if args.command == "generate":
        report: object = generate(args.base, args.docs, args.runs)
    elif args.command == "match":
        report = [match(args.base, n, args.statements) for n in args.new]
    else:
        report = []
        root = args.base or tempfile.mkdtemp(prefix="nd-scale-")
        for size in args.sizes:
            base = os.path.join(root, f"n{size}")
            entry = {"earlier_docs": size, "generate": generate(base, size, args.runs), "runs": []}
            for n in args.new:  # each in a fresh process: its peak RSS is its own
                command = [sys.executable, __file__, "match", "--base", base, "--new", str(n)]
                command += ["--statements"] if args.statements else []
                out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
                entry["runs"] += json.loads(out)
            report.append(entry)
            print(json.dumps(entry), flush=True)
            if not args.keep:
                shutil.rmtree(base)
    print(json.dumps(report, indent=1))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
