"""The sorted band index prototype (bench/bench_band_index.py, docs/PERFORMANCE.md): its
probe finds exactly the rows the band scan finds, and matching with it assigns the same
clusters, on a small synthetic snapshot of two shards (two segments)."""

from __future__ import annotations

import bench.bench_near_duplicates_scale as scale
from bench import bench_band_index as band_index


def test_probe_finds_the_band_scans_rows_and_the_same_clusters(tmp_path, monkeypatch):
    monkeypatch.setattr(scale, "SHARD_DOCS", 1_000)
    base = str(tmp_path / "snapshot")
    scale.generate(base, 2_000, runs=2)
    built = band_index.build(base, segments=2)
    assert built["segments"] == 2 and built["files"] == 2

    report = band_index.compare(base, 300, rounds=1)  # raises if the assignments differ

    assert report["identical"]
    assert report["assigned"] == 90  # the run's 30% edited copies of earlier documents
    (_, scan_rows), (_, probe_rows) = report["probe_A"][0], report["probe_B"][0]
    assert probe_rows == scan_rows > 300 * 40  # the run's own band rows and their buckets' members
