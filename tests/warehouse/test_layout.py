"""warehouse.layout: every path of the data directory comes from DataLayout, and a run's
id names its snapshot, its journal and its staging directory."""

from __future__ import annotations

import datetime as dt
import os

from warehouse.layout import DataLayout, is_building, new_run_id, partition_dir, table_dir


def test_every_path_is_under_the_root_and_named_by_the_run(tmp_path):
    layout = DataLayout(str(tmp_path / "data [v1]"))
    run = "20261201T120000000000Z-abcd"
    paths = [
        layout.duckdb_path,
        layout.damaged_duckdb_path("20261201T120000Z"),
        layout.parquet_link,
        layout.lock_path,
        layout.journal_path(run),
        layout.snapshot_dir(run),
        layout.building_snapshot_dir(run),
        layout.snapshot_table_dir(run, "documents"),
        layout.staging_dir(run),
        layout.listing_path(run),
        layout.shard_spec_path(run, 7),
        layout.known_templates_path(run),
        layout.staged_output_dir(run),
        layout.staged_runs_dir(run),
        layout.failed_output_dir(run),
        layout.building_duckdb_path(run),
        layout.duckdb_temp_dir(run),
    ]
    assert all(os.path.commonpath([p, layout.root]) == layout.root for p in paths)
    assert len(set(paths)) == len(paths)
    assert all(run in p for p in paths[4:])
    assert layout.shard_spec_path(run, 7).endswith(os.path.join("shards", "00007.json"))
    assert os.path.dirname(layout.shard_spec_path(run, 7)) == layout.shard_specs_dir(run)
    assert layout.parquet_link_target(run) == os.path.join(".snapshots", run)
    assert partition_dir(layout.snapshot_dir(run), "quotes", "2026-12-01") == os.path.join(
        table_dir(layout.snapshot_dir(run), "quotes"), "2026-12-01"
    )


def test_snapshots_on_disk_and_the_published_one(tmp_path):
    layout = DataLayout(str(tmp_path / "data"))
    layout.ensure()
    assert layout.current_snapshot() is None and layout.complete_snapshots() == []
    old, new = "20261201T100000000000Z-0001", "20261201T110000000000Z-0002"
    for run in (old, new):
        os.makedirs(layout.snapshot_dir(run))
    os.makedirs(layout.building_snapshot_dir("20261201T120000000000Z-0003"))
    os.symlink(layout.parquet_link_target(new), layout.parquet_link)
    assert layout.complete_snapshots() == [old, new]
    assert layout.current_snapshot() == new and layout.is_published(new) and not layout.is_published(old)
    assert is_building(os.path.basename(layout.building_snapshot_dir(old))) and not is_building(old)


def test_run_ids_sort_by_time_and_two_at_once_differ():
    earlier = dt.datetime(2026, 12, 1, 9, 59, 59, 999999, tzinfo=dt.UTC)
    later = earlier + dt.timedelta(microseconds=1)
    assert new_run_id(earlier) < new_run_id(later)
    assert len({new_run_id(later) for _ in range(20)}) > 1


def test_journals_are_listed_oldest_first(tmp_path):
    layout = DataLayout(str(tmp_path / "data"))
    assert layout.journal_paths() == []
    layout.ensure()
    for run in ("20261201T110000000000Z-0002", "20261201T100000000000Z-0001"):
        open(layout.journal_path(run), "w").close()
    open(os.path.join(layout.journal_dir, "notes.txt"), "w").close()
    assert [os.path.basename(p) for p in layout.journal_paths()] == [
        "20261201T100000000000Z-0001.json",
        "20261201T110000000000Z-0002.json",
    ]
