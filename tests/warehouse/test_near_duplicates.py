"""warehouse.near_duplicates on a temporary directory: a cluster whose root leaves the
warehouse (its input changed) is re-rooted at its earliest remaining member, in new files
of the snapshot being built (the older snapshot's bytes unchanged), and DuckDB's
incremental load holds what a rebuild from the snapshot holds."""

from __future__ import annotations

import hashlib
import os

import duckdb

from tests.flows.test_near_duplicates import EDITED, FERRY, STORY, UNRELATED
from tests.warehouse.direct_run import publish_run, table_rows
from tests.warehouse.test_load import _rebuilt_rows
from warehouse.layout import DataLayout, table_dir
from warehouse.query import parquet_connection
from warehouse.snapshots import parquet_files

POINTERS = "SELECT source_uri, doc_id, near_duplicate_of FROM documents ORDER BY source_uri"
DANGLING = (
    "SELECT count(*) FROM documents WHERE near_duplicate_of IS NOT NULL "
    "AND near_duplicate_of NOT IN (SELECT doc_id FROM documents)"
)


def _page(path, title: str, paragraphs: list[str]) -> None:
    path.write_text("\n\n".join([title, *paragraphs]) + "\n", encoding="utf-8")


def _pointers(layout: DataLayout) -> dict[str, str | None]:
    """Each input file's name -> the name of the file its document points at."""
    con = duckdb.connect(layout.duckdb_path, read_only=True)
    try:
        rows = con.execute(POINTERS).fetchall()
        assert con.execute(DANGLING).fetchone() == (0,)
    finally:
        con.close()
    names = {doc_id: os.path.basename(uri) for uri, doc_id, _ in rows}
    return {os.path.basename(uri): names.get(target, target) for uri, _, target in rows}


def _file_digests(snapshot_dir: str) -> dict[str, str]:
    return {
        os.path.relpath(path, snapshot_dir): hashlib.sha256(open(path, "rb").read()).hexdigest()
        for path in parquet_files(snapshot_dir)
    }


def _check_snapshot_agrees(layout: DataLayout, run_id: str) -> None:
    """The published Parquet has the same pointers, none dangling, and an incremental
    DuckDB load equals a rebuild from the snapshot."""
    con = parquet_connection(layout)
    try:
        assert con.execute(DANGLING).fetchone() == (0,)
        parquet_pointers = con.execute(POINTERS).fetchall()
    finally:
        con.close()
    rows = table_rows(layout.duckdb_path)
    assert sorted(parquet_pointers) == sorted(
        (row[4], row[2], row[-1])
        for row in rows["documents"]  # source_uri, doc_id, near_duplicate_of
    ), "DuckDB and the Parquet differ"
    assert rows == _rebuilt_rows(layout, run_id)


def test_a_cluster_whose_root_leaves_is_rerooted_at_its_earliest_remaining_member(tmp_path):
    pages, data = tmp_path / "pages", tmp_path / "data"
    pages.mkdir()
    layout = DataLayout(str(data))
    _page(pages / "a.txt", "Council votes to close Riverside bridge", STORY)
    first = publish_run(data, [pages], 1)
    _page(pages / "b.txt", "Riverside bridge to shut to traffic", EDITED)
    _page(pages / "c.txt", "Council votes to close Riverside bridge", STORY)
    second = publish_run(data, [pages], 2)
    assert _pointers(layout) == {"a.txt": None, "b.txt": "a.txt", "c.txt": "a.txt"}
    before = _file_digests(layout.snapshot_dir(second.run_id))

    # a.txt now tells another story: b.txt (the earliest remaining) is the root, c.txt
    # points at it, and so does a new copy
    _page(pages / "a.txt", "Orchestra unveils its season", UNRELATED)
    _page(pages / "d.txt", "Bridge to close", STORY)
    third = publish_run(data, [pages], 3)
    assert third.load_mode == "incremental"
    assert _pointers(layout) == {"a.txt": None, "b.txt": None, "c.txt": "b.txt", "d.txt": "b.txt"}
    _check_snapshot_agrees(layout, third.run_id)
    # the older snapshot's files are as they were; run 2's documents file is a new one of
    # run 3, its other tables still the old files (hard links)
    assert _file_digests(layout.snapshot_dir(second.run_id)) == before
    documents = [os.path.basename(f) for f in parquet_files(table_dir(layout.snapshot_dir(third.run_id), "documents"))]
    run2_documents = [name for name in documents if name.startswith(second.run_id)]
    assert run2_documents and all(name.endswith(f"~{third.run_id}.parquet") for name in run2_documents)
    run2_paragraphs = [
        f for f in parquet_files(table_dir(layout.snapshot_dir(third.run_id), "paragraphs")) if second.run_id in f
    ]
    assert run2_paragraphs and all("~" not in os.path.basename(f) for f in run2_paragraphs)
    assert all(os.stat(f).st_ino == os.stat(f.replace(third.run_id, second.run_id)).st_ino for f in run2_paragraphs)

    # b.txt changes too: the shard whose documents file run 3 rewrote is rewritten whole
    # (all its tables), and c.txt is the root
    _page(pages / "b.txt", "Ferry timetable", FERRY)
    fourth = publish_run(data, [pages], 4)
    assert _pointers(layout) == {"a.txt": None, "b.txt": None, "c.txt": None, "d.txt": "c.txt"}
    _check_snapshot_agrees(layout, fourth.run_id)
    con = duckdb.connect(layout.duckdb_path, read_only=True)
    try:
        orphans = con.execute("SELECT count(*) FROM paragraphs WHERE doc_id NOT IN (SELECT doc_id FROM documents)")
        assert orphans.fetchone() == (0,)
        (cluster,) = con.execute("SELECT doc_id, documents FROM near_duplicates").fetchall()
        root = con.execute("SELECT doc_id FROM documents WHERE source_uri LIKE '%c.txt'").fetchone()[0]
        assert cluster == (root, 2)
    finally:
        con.close()
    assert first.parent is None
