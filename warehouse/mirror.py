"""Mirroring the published Parquet snapshot to object storage (``s3://bucket/prefix``).

Object stores have no atomic rename of many objects, so the mirror follows the
usual table-format recipe: upload the snapshot's new files under their table
paths, then write ``_snapshots/<run_id>.json`` (the complete file list) and
``_current.json`` (which snapshot is whole), and only then delete objects the
snapshot no longer has.  The snapshot's band index (``band_index/*.arrow``) is mirrored
with its tables, so a data directory restored from the bucket needs no rebuild of
it.  A reader that wants exactly one complete run reads
the files listed in ``_current.json``; a reader that globs the prefix never
misses rows, but may briefly see a changed document twice while a sync runs.
"""

from __future__ import annotations

import json
import os

import pyarrow.fs as pafs

from warehouse.band_index import SEGMENT_SUFFIX
from warehouse.layout import DataLayout
from warehouse.storage import filesystem_and_path


def mirror_snapshot(layout: DataLayout, run_id: str, target_uri: str, local_root: str | None = None) -> dict[str, int]:
    """Make ``target_uri`` hold the snapshot of run ``run_id`` (read from ``local_root``, by
    default its published directory); returns counts of uploads and deletions."""
    fs, prefix = filesystem_and_path(target_uri.rstrip("/"))
    local_root = local_root or layout.snapshot_dir(run_id)
    wanted = _local_files(local_root)
    existing = _remote_files(fs, prefix)
    # File names are immutable content (see snapshots.rewritten_name): upload
    # what is missing or incomplete, the run's own new files first, so a
    # globbing reader never misses a row.
    uploads = [rel for rel, size in wanted.items() if existing.get(rel) != size]
    uploads.sort(key=lambda rel: not os.path.basename(rel).startswith(run_id + "-"))
    for rel in uploads:
        fs.create_dir(os.path.dirname(f"{prefix}/{rel}"), recursive=True)
        pafs.copy_files(
            os.path.join(local_root, rel),
            f"{prefix}/{rel}",
            source_filesystem=pafs.LocalFileSystem(),
            destination_filesystem=fs,
        )
    manifest = json.dumps({"snapshot_id": run_id, "files": sorted(wanted)}, indent=1).encode()
    _put(fs, f"{prefix}/_snapshots/{run_id}.json", manifest)
    _put(fs, f"{prefix}/_current.json", json.dumps({"snapshot_id": run_id}).encode())
    stale = [rel for rel in existing if rel not in wanted]
    for rel in stale:
        fs.delete_file(f"{prefix}/{rel}")
    return {"uploaded": len(uploads), "deleted": len(stale)}


def _put(fs: pafs.FileSystem, path: str, data: bytes) -> None:
    with fs.open_output_stream(path) as out:
        out.write(data)


#: what a snapshot's files end with: the tables' Parquet and the band index's segments
MIRRORED_SUFFIXES = (".parquet", SEGMENT_SUFFIX)


def _local_files(root: str) -> dict[str, int]:
    files = {}
    for directory, _, names in os.walk(root):
        for name in names:
            if name.endswith(MIRRORED_SUFFIXES):
                path = os.path.join(directory, name)
                files[os.path.relpath(path, root)] = os.path.getsize(path)
    return files


def _remote_files(fs: pafs.FileSystem, prefix: str) -> dict[str, int]:
    infos = fs.get_file_info(pafs.FileSelector(prefix, recursive=True, allow_not_found=True))
    return {
        info.path[len(prefix) + 1 :]: info.size
        for info in infos
        if info.type == pafs.FileType.File and info.path.endswith(MIRRORED_SUFFIXES)
    }
