"""The data directory's layout: the one place that knows where files go.

```
DIR/
  news.duckdb                     the DuckDB database (loaded from the Parquet), replaced by rename
  news.duckdb.damaged-<UTC time>  a damaged database a run found and set aside (kept for inspection)
  parquet -> .snapshots/<id>      symlink to the current complete snapshot
  .snapshots/<id>/<table>/YYYY-MM-DD/<run_id>-<shard>.parquet
  .snapshots/<id>/<table>/empty-<schema hash>.parquet   a table with no rows: schema only
  .staging/<run_id>/…             a run's shard outputs and new news.duckdb until it publishes
  .journal/<run_id>.json          a run in progress (or failed): its ``runs`` row until published
  .lock                           held by the one run allowed at a time
```

A snapshot is a directory of hard links to immutable Parquet files, so making
the next one costs one link per file, and publishing it is one atomic
``rename`` of the ``parquet`` symlink: readers see the old snapshot or the
new one, never a mix.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class DataLayout:
    root: str

    @property
    def duckdb_path(self) -> str:
        return os.path.join(self.root, "news.duckdb")

    def damaged_duckdb_path(self, stamp: str) -> str:
        """Where a damaged ``news.duckdb`` is kept once a run has found it (``stamp``: UTC time)."""
        return f"{self.duckdb_path}.damaged-{stamp}"

    @property
    def parquet_link(self) -> str:
        return os.path.join(self.root, "parquet")

    @property
    def snapshots_dir(self) -> str:
        return os.path.join(self.root, ".snapshots")

    @property
    def staging_root(self) -> str:
        return os.path.join(self.root, ".staging")

    @property
    def lock_path(self) -> str:
        return os.path.join(self.root, ".lock")

    @property
    def journal_dir(self) -> str:
        return os.path.join(self.root, ".journal")

    def journal_path(self, run_id: str) -> str:
        return os.path.join(self.journal_dir, f"{run_id}.json")

    def building_duckdb_path(self, run_id: str) -> str:
        """Where a run builds its new database: same filesystem, so publishing is a rename."""
        return os.path.join(self.staging_dir(run_id), "news.duckdb")

    def duckdb_temp_dir(self, run_id: str) -> str:
        return os.path.join(self.staging_dir(run_id), "duckdb-tmp")

    def staging_dir(self, run_id: str) -> str:
        return os.path.join(self.staging_root, run_id)

    def snapshot_dir(self, snapshot_id: str) -> str:
        return os.path.join(self.snapshots_dir, snapshot_id)

    def current_snapshot(self) -> str | None:
        """The id of the published snapshot, or None before the first run."""
        try:
            return os.path.basename(os.readlink(self.parquet_link))
        except FileNotFoundError:
            return None

    def has_parquet_link(self) -> bool:
        return os.path.islink(self.parquet_link)

    def complete_snapshots(self) -> list[str]:
        """Ids of the snapshots on disk that were sealed and renamed into place, oldest
        first (``<id>.building`` ones are unfinished)."""
        try:
            names = os.listdir(self.snapshots_dir)
        except FileNotFoundError:
            return []
        return sorted(
            name for name in names if not name.endswith(".building") and os.path.isdir(self.snapshot_dir(name))
        )

    def table_glob(self, table: str, snapshot_id: str | None = None) -> str:
        """Glob of a table's Parquet files (the published snapshot by default)."""
        base = self.snapshot_dir(snapshot_id) if snapshot_id else self.parquet_link
        return os.path.join(base, table, "**", "*.parquet")

    def ensure(self) -> None:
        os.makedirs(self.snapshots_dir, exist_ok=True)
        os.makedirs(self.staging_root, exist_ok=True)
        os.makedirs(self.journal_dir, exist_ok=True)


def literal(path: str) -> str:
    """``path`` for DuckDB's file readers, which expand ``*``, ``?`` and ``[`` as glob
    patterns even in a path that exists: a data directory may be called `data [v1]`."""
    return glob.escape(path)
