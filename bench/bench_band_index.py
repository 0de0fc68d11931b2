"""The band index (``warehouse/band_index.py``) against the band scan it replaced, at
warehouse scale (issue 16; docs/PERFORMANCE.md).

    python bench/bench_band_index.py build --base /work/nd/n1e6
    python bench/bench_band_index.py compare --base /work/nd/n1e6 --new 1000 10000 [--rounds 2]

``--base`` is a synthetic snapshot of ``bench_near_duplicates_scale.py generate``.
``build`` makes its band index whole (``band_index.update_band_index``: from
``document_bands``, what a migration to schema version 4 does).  ``compare`` adds a
run of M documents (the scale bench's), writes the run's segment as a run would (timed
apart: ``run_segment_cpu``), and then, interleaved in one process (order A B B A ...),
CPU time (``getrusage``: all threads) of the whole matching: A ``near_duplicates.sql``
with the run's buckets and the candidates' signatures from scans of the tables
(``BandScan``), B with them from the index (``update_band_index`` finding it whole,
``Probe``); and the buckets' rows alone both ways.  A and B must give identical assignments (it fails otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import duckdb  # noqa: E402

from bench.bench_near_duplicates_scale import NEW_RUN_ID, add_new_run, remove_new_run  # noqa: E402
from warehouse.band_index import Probe, run_keys, update_band_index  # noqa: E402
from warehouse.layout import band_index_dir  # noqa: E402
from warehouse.near_duplicates import TABLES, BandScan, run_assignment  # noqa: E402
from warehouse.query import table_views  # noqa: E402
from warehouse.storage import duckdb_memory_limit  # noqa: E402

BUILD_ID = "20261231T000000000000Z-build"  # names the segments ``build`` writes (before NEW_RUN_ID)


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def build(base: str) -> dict:
    started, cpu0 = time.time(), cpu()
    segments, notes = update_band_index(base, BUILD_ID)
    folder = band_index_dir(base)
    size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    return {
        "segments": len(segments),
        "rows": sum(s.rows for s in segments),
        "notes": notes,
        "wall": round(time.time() - started, 1),
        "cpu": round(cpu() - cpu0, 1),
        "bytes": size,
    }


def connect(base: str, temp: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(
        config={"memory_limit": duckdb_memory_limit(), "preserve_insertion_order": False, "temp_directory": temp}
    )
    table_views(con, base, TABLES)
    return con


def index_probe(base: str) -> Probe:
    segments, _ = update_band_index(base, NEW_RUN_ID)
    return Probe(segments, run_keys(base, NEW_RUN_ID))


def compare(base: str, n_new: int, rounds: int) -> dict:
    add_new_run(base, n_new)
    try:
        with tempfile.TemporaryDirectory(dir=os.path.dirname(base.rstrip("/"))) as temp:
            c0 = cpu()
            segments, _ = update_band_index(base, NEW_RUN_ID)
            report: dict = {
                "new_docs": n_new,
                "segments": len(segments),
                "run_segment_cpu": round(cpu() - c0, 3),
                "A": [],
                "B": [],
                "rows_A": [],
                "rows_B": [],
            }
            results = {}
            order = (["A", "B", "B", "A"] * rounds)[: 4 * rounds]
            for label in order:
                con = connect(base, temp)
                c0 = cpu()
                index = BandScan(con, NEW_RUN_ID) if label == "A" else index_probe(base)
                results[label] = run_assignment(con, NEW_RUN_ID, index)
                report[label].append(round(cpu() - c0, 2))
                con.close()
            for label in order[:4]:
                con = connect(base, temp)
                c0 = cpu()
                index = BandScan(con, NEW_RUN_ID) if label == "A" else index_probe(base)
                report["rows_" + label].append((round(cpu() - c0, 3), index.bucket_rows.num_rows))
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
        folder = band_index_dir(base)
        for name in os.listdir(folder):
            if name.startswith(NEW_RUN_ID):
                os.remove(os.path.join(folder, name))
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["build", "compare"])
    parser.add_argument("--base", required=True)
    parser.add_argument("--new", type=int, nargs="+", default=[1000])
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    if args.command == "build":
        print(json.dumps(build(args.base)), flush=True)
    else:
        for n in args.new:
            print(json.dumps(compare(args.base, n, args.rounds)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
