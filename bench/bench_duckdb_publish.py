"""What publishing DuckDB by rename costs: copy + incremental vs rebuild, and disk.

    .venv/bin/python bench/bench_duckdb_publish.py DATA_DIR [--rounds 3]

On a data directory a run has filled (e.g. ``bench_scale.py --kinds txt --keep-data``),
measures in one process, interleaved round by round (the machine is shared: compare
the ratio, not the seconds):

* ``copy``: the published news.duckdb copied to a new file (what every incremental
  run pays before applying its changes), and the copy's GB/s;
* ``rebuild``: a new file built from the published snapshot (first run, or a file
  behind the snapshot);

plus the disk: the DuckDB file, the snapshots (hard links counted once), and the
peak during a run's load (old file + new file).  Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from warehouse.layout import DataLayout  # noqa: E402
from warehouse.load import _copy_file, _rebuild, connect_writer  # noqa: E402


def disk_bytes(root: str) -> int:
    """Bytes under ``root``, each inode once (snapshots share files by hard links)."""
    seen, total = set(), 0
    for directory, _, names in os.walk(root):
        for name in names:
            st = os.lstat(os.path.join(directory, name))
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    layout = DataLayout(os.path.abspath(args.data_dir))
    snapshot_dir = layout.snapshot_dir(layout.current_snapshot())
    db_bytes = os.path.getsize(layout.duckdb_path)
    copy_s, rebuild_s = [], []
    with tempfile.TemporaryDirectory(dir=layout.root, prefix=".bench-") as scratch:
        for _ in range(args.rounds):
            target = os.path.join(scratch, "copy.duckdb")
            start = time.perf_counter()
            _copy_file(layout.duckdb_path, target)
            os.fsync(os.open(target, os.O_RDONLY))
            copy_s.append(time.perf_counter() - start)
            os.remove(target)

            target = os.path.join(scratch, "rebuild.duckdb")
            start = time.perf_counter()
            con = connect_writer(target, os.path.join(scratch, "tmp"))
            con.execute("BEGIN TRANSACTION")
            _rebuild(con, snapshot_dir)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
            con.close()
            rebuild_s.append(time.perf_counter() - start)
            rebuilt_bytes = os.path.getsize(target)
            os.remove(target)
    print(
        json.dumps(
            {
                "duckdb_file_mb": round(db_bytes / 2**20, 1),
                "rebuilt_file_mb": round(rebuilt_bytes / 2**20, 1),
                "snapshots_mb": round(disk_bytes(layout.snapshots_dir) / 2**20, 1),
                "peak_during_load_mb": round(2 * db_bytes / 2**20, 1),
                "copy_seconds": [round(s, 2) for s in copy_s],
                "rebuild_seconds": [round(s, 2) for s in rebuild_s],
                "copy_gb_per_s": round(db_bytes / 2**30 / min(copy_s), 2),
                "rebuild_over_copy": round(min(rebuild_s) / min(copy_s), 1),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
