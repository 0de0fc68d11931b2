"""warehouse.snapshots: copy-on-write snapshots, on a temporary directory."""

from __future__ import annotations

import datetime as dt
import os

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.arrow import arrow_schema
from tests.warehouse.direct_run import publish_run, run_id
from warehouse.layout import DataLayout
from warehouse.snapshots import _rewrite_without, parquet_files


def test_rewriting_a_file_older_than_a_new_column(tmp_path):
    schema = arrow_schema("quarantine")
    old_schema = schema.remove(schema.get_field_index("error"))  # as if the column came later
    rows = [
        {
            "run_id": "r",
            "ingest_date": dt.date(2026, 12, 1),
            "source": uri,
            "source_uri": uri,
            "source_id": None,
            "stage": "read",
            "reason": "x",
            "payload": None,
            "payload_truncated": False,
        }
        for uri in ("/a.txt", "/b.txt")
    ]
    source = tmp_path / "old.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=old_schema), source)
    _rewrite_without(str(source), str(tmp_path / "new.parquet"), "quarantine", pa.array(["/a.txt"]), None)
    rewritten = pq.read_table(tmp_path / "new.parquet")
    assert rewritten.schema.remove_metadata() == schema.remove_metadata()
    assert rewritten.column("source_uri").to_pylist() == ["/b.txt"] and rewritten.column("error").to_pylist() == [None]


def _story(n: int, extra: str = "") -> str:
    return f"Story {n}\n\nThe harbour of town {n} opens at dawn. {extra}\n\nThe ferry to town {n} is late again.\n"


def test_a_snapshot_links_untouched_files_and_rewrites_those_of_re_read_inputs(tmp_path):
    """Copy-on-write: the files of a shard holding a re-read input are rewritten (a new
    name) without its old rows; every other file is a hard link of the parent's, and
    the parent snapshot keeps its files unchanged."""
    first, second, data = tmp_path / "first", tmp_path / "second", tmp_path / "data"
    for folder, numbers in ((first, (0, 1)), (second, (2, 3))):
        folder.mkdir()
        for n in numbers:
            (folder / f"{n}.txt").write_text(_story(n), encoding="utf-8")
    layout = DataLayout(str(data))
    publish_run(data, [first], 1)
    publish_run(data, [first, second], 2)
    (first / "0.txt").write_text(_story(0, "It opens an hour later now."), encoding="utf-8")
    publish_run(data, [first, second], 3)

    parent, child = layout.snapshot_dir(run_id(2)), layout.snapshot_dir(run_id(3))
    parent_files = {os.path.relpath(p, parent) for p in parquet_files(parent)}
    child_files = {os.path.relpath(p, child) for p in parquet_files(child)}
    linked = {rel for rel in parent_files if os.path.basename(rel).startswith(run_id(2) + "-")}
    assert linked and linked <= child_files
    assert all(os.path.samefile(os.path.join(parent, rel), os.path.join(child, rel)) for rel in linked)

    old_shard = f"{run_id(1)}-00000.parquet"
    rewritten = {rel for rel in child_files if os.path.basename(rel) == f"{run_id(1)}-00000~{run_id(3)}.parquet"}
    assert {rel.split(os.sep)[0] for rel in rewritten} >= {"documents", "paragraphs", "inputs", "document_bands"}
    assert not any(os.path.basename(rel) == old_shard for rel in child_files)

    def uris(snapshot: str, name: str) -> list[str]:
        (path,) = [p for p in parquet_files(os.path.join(snapshot, "inputs")) if os.path.basename(p) == name]
        return sorted(os.path.basename(u) for u in pq.read_table(path).column("uri").to_pylist())

    assert uris(child, f"{run_id(1)}-00000~{run_id(3)}.parquet") == ["1.txt"]
    assert uris(parent, old_shard) == ["0.txt", "1.txt"]  # the parent is untouched
    assert uris(child, f"{run_id(3)}-00000.parquet") == ["0.txt"]
    documents = pq.read_table(os.path.join(child, "documents")).column("source_uri").to_pylist()
    assert sorted(os.path.basename(u) for u in documents) == ["0.txt", "1.txt", "2.txt", "3.txt"]
