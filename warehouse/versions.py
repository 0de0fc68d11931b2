"""Schema versions of a data directory: refuse a newer one, migrate an older one.

The version of a snapshot is the ``newsetl.schema_version`` metadata of its
newest ``runs`` file (every run writes one).  A newer version than this
code's means a newer newsetl wrote the directory: a run refuses to touch it.
An older one is migrated before the run: every file of the published snapshot
is rewritten by the steps in ``MIGRATIONS`` (one per version, each a function
of one table's rows) into the current layout and schema (a file no step changes
is linked as it is, except the ``runs`` files, which carry the version), the band
index is built, and it is published as a snapshot of its own; the run then
rebuilds DuckDB from it.  No input is
re-read and no row is lost.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas.arrow import SCHEMA_VERSION_KEY
from schemas.models import SCHEMA_VERSION, TABLES
from transforms.dates import parse_timestamp
from transforms.fingerprint import NUM_PERM, SIGNATURE_VALUE_BYTES
from warehouse.band_index import update_band_index
from warehouse.layout import DataLayout, new_run_id, partition_dir, table_dir
from warehouse.parquet_writer import table_compression
from warehouse.snapshots import conform_to_schema, parquet_files, publish_snapshot, seal_snapshot


class SchemaVersionError(RuntimeError):
    """The data directory was written by a newer newsetl."""


def snapshot_version(layout: DataLayout) -> int | None:
    """Schema version of the published snapshot (None before the first run)."""
    snapshot = layout.current_snapshot()
    if not snapshot:
        return None
    runs = [
        f
        for f in parquet_files(layout.snapshot_table_dir(snapshot, "runs"))
        if not os.path.basename(f).startswith("empty-")
    ]
    if not runs:
        return None
    metadata = pq.read_schema(runs[-1]).metadata or {}
    return int(metadata.get(SCHEMA_VERSION_KEY, b"1"))


def check_schema_version(layout: DataLayout) -> int | None:
    """Raise ``SchemaVersionError`` if a newer newsetl wrote ``layout``; returns its version."""
    version = snapshot_version(layout)
    if version is not None and version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{layout.root} holds schema version {version}, written by a newer newsetl; "
            f"this one writes version {SCHEMA_VERSION}: upgrade newsetl (pip install -U newsetl) "
            "or use another --data-dir"
        )
    return version


def migrate(layout: DataLayout) -> int:
    """Rewrite the published (older) snapshot into the current schema as a snapshot of
    its own (named like a run's, before the run that migrates) and publish it; returns
    the version migrated from."""
    migration_id = new_run_id(dt.datetime.now(dt.UTC))
    version = snapshot_version(layout) or SCHEMA_VERSION
    current = layout.current_snapshot()
    assert current is not None, "migrate() is only called with a published snapshot"
    old_dir = layout.snapshot_dir(current)
    building = layout.building_snapshot_dir(migration_id)
    os.makedirs(building)
    for table in TABLES:
        for path in parquet_files(table_dir(old_dir, table)):
            data = pq.read_table(path)
            if data.num_rows == 0:
                continue
            migrated = data
            for step in range(version, SCHEMA_VERSION):
                migrated = MIGRATIONS[step](table, migrated)
            day = _day_folder(os.path.relpath(os.path.dirname(path), table_dir(old_dir, table)))
            target = os.path.join(partition_dir(building, table, day), os.path.basename(path))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            conformed = conform_to_schema(table, migrated)
            if conformed is data and table != "runs" and target == path.replace(old_dir, building, 1):
                os.link(path, target)  # nothing changed it: the file stays (runs files carry the version)
            else:
                pq.write_table(conformed, target, compression=table_compression(table))
    update_band_index(building, migration_id)  # version 4: the band index, from document_bands
    seal_snapshot(building)
    publish_snapshot(layout, building, migration_id)
    return version


def _day_folder(folder: str) -> str:
    match = re.search(r"\d{4}-\d{2}-\d{2}", folder)
    return match.group(0) if match else dt.date.today().isoformat()


def _v1_to_v2(table: str, data: pa.Table) -> pa.Table:
    """Version 2: ``published_at`` a timestamp (the string kept as ``published_at_raw``);
    ``runs`` rows carry ``ingest_date`` (the day the run started)."""
    if table == "documents" and pa.types.is_string(data.schema.field("published_at").type):
        raw = data.column("published_at")
        parsed = pa.array([parse_timestamp(value) for value in raw.to_pylist()], type=pa.timestamp("us", tz="UTC"))
        index = data.column_names.index("published_at")
        data = data.set_column(index, "published_at", parsed).append_column("published_at_raw", raw)
    if table == "runs" and "ingest_date" not in data.column_names:
        day = pc.cast(pc.cast(data.column("started_at"), pa.timestamp("us", tz="UTC")), pa.date32())
        data = data.append_column("ingest_date", day)
    return data


def _v2_to_v3(table: str, data: pa.Table) -> pa.Table:
    """Version 3: ``document_signatures.minhash`` one fixed-size value (120 little-endian
    int64, ``transforms.fingerprint.signature_bytes``), not a list of 120 integers."""
    if table == "document_signatures" and pa.types.is_list(data.schema.field("minhash").type):
        lists = data.column("minhash").combine_chunks()
        lengths = pc.list_value_length(lists).to_numpy(zero_copy_only=False)
        if data.num_rows and not (lengths == NUM_PERM).all():
            raise ValueError(f"document_signatures: a signature without {NUM_PERM} values")
        values = pc.list_flatten(lists).to_numpy().astype("<i8")
        width = NUM_PERM * SIGNATURE_VALUE_BYTES
        stored = pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), data.num_rows, [None, pa.py_buffer(values)])
        index = data.column_names.index("minhash")
        data = data.set_column(index, "minhash", stored.cast(pa.binary()))
    return data


def _v3_to_v4(table: str, data: pa.Table) -> pa.Table:
    """Version 4: each snapshot holds a band index (``warehouse.band_index``), which
    ``migrate`` builds from ``document_bands``; no table's rows change."""
    return data


#: version -> the step from it to the next version.
MIGRATIONS: dict[int, Callable[[str, pa.Table], pa.Table]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}
