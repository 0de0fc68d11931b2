"""The data directory's layout: the one place that knows where files go.

```
DIR/
  news.duckdb                     the DuckDB database (loaded from the Parquet), replaced by rename
  news.duckdb.damaged-<UTC time>  a damaged database a run found and set aside (kept for inspection)
  parquet -> .snapshots/<run_id>  symlink to the current complete snapshot
  .snapshots/<run_id>/<table>/YYYY-MM-DD/<run_id>-<shard>.parquet
  .snapshots/<run_id>/<table>/empty-<schema hash>.parquet   a table with no rows: schema only
  .snapshots/<run_id>/band_index/<run_id>-<k>.arrow         the band index's segments (warehouse.band_index)
  .snapshots/<run_id>.building/   a snapshot being built (renamed when sealed)
  .staging/<run_id>/              a run's work until it publishes:
      listing.parquet               the discovered input files (diffed against the manifest)
      shards/NNNNN.json             shard specs: the files each shard processes
      known_templates.json          the templates in force, for the shards' cleaner
      out/<table>/YYYY-MM-DD/…      the shards' Parquet files (and discovery's quarantine rows)
      runs/<table>/YYYY-MM-DD/…     the run's ``runs`` rows
      failed/                       empty: what a failed run publishes besides its row
      news.duckdb, duckdb-tmp/      the run's new database and DuckDB's spill files
  .journal/<run_id>.json          a run in progress (or failed): its ``runs`` row until published
  .lock                           held by the one run allowed at a time
```

Inside a snapshot, or any directory of staged tables, a table is ``<table>/`` and its
files sit in one folder per ingest day (``table_dir``, ``partition_dir``).

A run and its snapshot have one name, the ``run_id`` (``new_run_id``): the snapshot
a run publishes is ``.snapshots/<run_id>``, ``news.duckdb`` records it as
``_loaded.snapshot_id``, the journal of a run whose snapshot is not out yet is
``.journal/<run_id>.json``, an object-store mirror writes ``_snapshots/<run_id>.json``,
and the run's files are ``<run_id>-<shard>.parquet``.  Ids sort by time, which
is how snapshots are ordered.  (A schema migration publishes a snapshot of its own
under an id minted the same way, just before the run: the one snapshot with no
``runs`` row of its name.)

A snapshot is a directory of hard links to immutable Parquet files, so making
the next one costs one link per file, and publishing it is one atomic
``rename`` of the ``parquet`` symlink: readers see the old snapshot or the
new one, never a mix.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import secrets
from dataclasses import dataclass


def new_run_id(now: dt.datetime) -> str:
    """A run's name, and its snapshot's: sortable by time; the random tail keeps two
    runs in one microsecond apart."""
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(2)


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

    def staging_dir(self, run_id: str) -> str:
        return os.path.join(self.staging_root, run_id)

    def listing_path(self, run_id: str) -> str:
        """The run's discovered input files, as Parquet: diffed against the manifest in DuckDB."""
        return os.path.join(self.staging_dir(run_id), "listing.parquet")

    def shard_specs_dir(self, run_id: str) -> str:
        return os.path.join(self.staging_dir(run_id), "shards")

    def shard_spec_path(self, run_id: str, index: int) -> str:
        return os.path.join(self.shard_specs_dir(run_id), f"{index:05d}.json")

    def known_templates_path(self, run_id: str) -> str:
        """The templates in force for the run's shards."""
        return known_templates_in(self.staging_dir(run_id))

    def staged_output_dir(self, run_id: str) -> str:
        """The tables the run's shards (and its discovery) wrote: what its snapshot adds."""
        return os.path.join(self.staging_dir(run_id), "out")

    def staged_runs_dir(self, run_id: str) -> str:
        """The run's ``runs`` rows (its own and those of earlier runs it publishes)."""
        return os.path.join(self.staging_dir(run_id), "runs")

    def failed_output_dir(self, run_id: str) -> str:
        """An empty staged directory: a failed run publishes the previous data unchanged."""
        return os.path.join(self.staging_dir(run_id), "failed")

    @property
    def lock_path(self) -> str:
        return os.path.join(self.root, ".lock")

    @property
    def journal_dir(self) -> str:
        return os.path.join(self.root, ".journal")

    def journal_path(self, run_id: str) -> str:
        return os.path.join(self.journal_dir, f"{run_id}.json")

    def journal_paths(self) -> list[str]:
        """Every journal, oldest run first."""
        try:
            names = sorted(os.listdir(self.journal_dir))
        except FileNotFoundError:
            return []
        return [os.path.join(self.journal_dir, name) for name in names if name.endswith(".json")]

    def building_duckdb_path(self, run_id: str) -> str:
        """Where a run builds its new database: same filesystem, so publishing is a rename."""
        return os.path.join(self.staging_dir(run_id), "news.duckdb")

    def duckdb_temp_dir(self, run_id: str) -> str:
        return os.path.join(self.staging_dir(run_id), "duckdb-tmp")

    def snapshot_dir(self, run_id: str) -> str:
        """The snapshot the run ``run_id`` published."""
        return os.path.join(self.snapshots_dir, run_id)

    def building_snapshot_dir(self, run_id: str) -> str:
        """Where a snapshot is built, unseen by readers, until it is renamed to ``snapshot_dir``."""
        return self.snapshot_dir(run_id) + BUILDING_SUFFIX

    def snapshot_table_dir(self, run_id: str, table: str) -> str:
        return table_dir(self.snapshot_dir(run_id), table)

    def parquet_link_target(self, run_id: str) -> str:
        """What the ``parquet`` link holds: relative, so the data directory may be moved."""
        return os.path.relpath(self.snapshot_dir(run_id), self.root)

    def is_published(self, run_id: str) -> bool:
        """Whether the snapshot of run ``run_id`` is the published one."""
        return self.current_snapshot() == run_id

    def current_snapshot(self) -> str | None:
        """The published snapshot's id (the run that published it), or None before the first run."""
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
        return sorted(name for name in names if not is_building(name) and os.path.isdir(self.snapshot_dir(name)))

    def ensure(self) -> None:
        os.makedirs(self.snapshots_dir, exist_ok=True)
        os.makedirs(self.staging_root, exist_ok=True)
        os.makedirs(self.journal_dir, exist_ok=True)


BUILDING_SUFFIX = ".building"


def is_building(name: str) -> bool:
    """Whether a name in ``.snapshots/`` is a snapshot still being built (or abandoned)."""
    return name.endswith(BUILDING_SUFFIX)


def known_templates_in(staging_dir: str) -> str:
    """The templates file of a run's staging directory (a shard knows only its spec's
    path, ``<staging>/shards/NNNNN.json``)."""
    return os.path.join(staging_dir, "known_templates.json")


def band_index_dir(tables_root: str) -> str:
    """The band index of a snapshot (``warehouse.band_index``): derived from its
    ``document_bands``, made whole from it whenever a part is missing or damaged."""
    return os.path.join(tables_root, "band_index")


def table_dir(tables_root: str, table: str) -> str:
    """A table's folder in a snapshot or any directory of staged tables."""
    return os.path.join(tables_root, table)


def partition_dir(tables_root: str, table: str, ingest_date: str) -> str:
    """``<table>/YYYY-MM-DD``: a plain day, not ``ingest_date=…``.  ``ingest_date`` is
    a DATE column inside the files; a ``key=value`` folder would make pandas, pyarrow,
    polars and DuckDB derive a second, string-typed ``ingest_date`` from the path and
    fail to merge the two (see README, "Reading the data")."""
    return os.path.join(table_dir(tables_root, table), ingest_date)


def literal(path: str) -> str:
    """``path`` for DuckDB's file readers, which expand ``*``, ``?`` and ``[`` as glob
    patterns even in a path that exists: a data directory may be called `data [v1]`."""
    return glob.escape(path)
