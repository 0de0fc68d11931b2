"""warehouse.load on a temporary directory: an incremental load (a copy of the
published file plus the run's changes) holds exactly what a rebuild of every table
from the same snapshot holds."""

from __future__ import annotations

import os
import shutil

import duckdb
import pyarrow.parquet as pq

from schemas.arrow import arrow_schema
from tests.warehouse.direct_run import publish_run, table_rows
from warehouse.database_file import database_state
from warehouse.layout import DataLayout
from warehouse.load import build_database, finish_database
from warehouse.query import parquet_connection
from warehouse.snapshots import parquet_files


def _article(n: int, extra: str = "") -> str:
    return (
        f"Council votes on bridge {n}\n\n"
        f"The council of town {n} voted on Tuesday to repair the old bridge over the river.\n\n"
        f'"We cannot wait another winter," said Mayor Anna Berg {n}, who has pushed for the repair.\n\n'
        f"Work on bridge {n} starts in March and should take about six months. {extra}\n"
    )


def _inputs(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for n in range(4):
        (pages / f"{n}.txt").write_text(_article(n), encoding="utf-8")
    (pages / "feed.jsonl").write_text(
        '{"id": "a", "text": "Short note about the harbour.\\n\\nThe harbour opens at dawn."}\n'
        '{"id": "b", "text": "A second note.\\n\\nThe ferry is late again today."}\n',
        encoding="utf-8",
    )
    return pages


def _second_run_changes(pages):
    """One file changed, one new, one deleted, one JSONL record changed; the rest as they were."""
    (pages / "1.txt").write_text(_article(1, "The budget was raised by a third."), encoding="utf-8")
    (pages / "9.txt").write_text(_article(9), encoding="utf-8")
    os.remove(pages / "3.txt")
    (pages / "feed.jsonl").write_text(
        '{"id": "a", "text": "Short note about the harbour.\\n\\nThe harbour opens at dawn."}\n'
        '{"id": "b", "text": "A second note, rewritten.\\n\\nThe ferry left on time."}\n',
        encoding="utf-8",
    )


def _rebuilt_rows(layout: DataLayout, snapshot: str) -> dict[str, list[tuple]]:
    """Every table rebuilt from the snapshot in a file of its own (``parent_id=None``)."""
    path, mode, _ = build_database(layout, layout.snapshot_dir(snapshot), None, "rebuild-check")
    assert mode == "rebuild"
    finish_database(path, layout.duckdb_temp_dir("rebuild-check"), snapshot, [])
    try:
        return table_rows(path)
    finally:
        shutil.rmtree(layout.staging_dir("rebuild-check"))


def test_incremental_load_equals_a_rebuild(tmp_path):
    pages, data = _inputs(tmp_path), tmp_path / "data"
    layout = DataLayout(str(data))
    first = publish_run(data, [pages], 1)
    assert (first.parent, first.load_mode, first.processed) == (None, "rebuild", 6)

    _second_run_changes(pages)
    second = publish_run(data, [pages], 2)
    assert (second.parent, second.load_mode) == (first.run_id, "incremental")
    assert second.processed == 1 + 1 + 2  # 1.txt, 9.txt and the JSONL file re-read whole
    assert database_state(layout.duckdb_path) == (second.run_id, None)
    assert second.run_id == layout.current_snapshot()

    incremental = table_rows(layout.duckdb_path)
    assert incremental == _rebuilt_rows(layout, second.run_id)
    assert all(incremental[t] for t in ("documents", "paragraphs", "quotes", "inputs", "runs"))

    con = duckdb.connect(layout.duckdb_path, read_only=True)
    try:
        # each input's current version once: the changed file and record replaced, not added
        # (0-3 and the two records, plus 9.txt; 3.txt is deleted but keeps its rows)
        counts = con.execute("SELECT count(*), count(DISTINCT (source_uri, source_id)) FROM documents").fetchone()
        assert counts == (7, 7)
        changed = con.execute(
            "SELECT run_id FROM documents WHERE source_uri LIKE '%/1.txt' OR source_id = 'b' ORDER BY 1"
        ).fetchall()
        assert changed == [(second.run_id,), (second.run_id,)]
        kept = con.execute("SELECT run_id FROM documents WHERE source_uri LIKE '%/0.txt'").fetchall()
        assert kept == [(first.run_id,)]
        # a deleted input keeps its rows: the manifest holds inputs last processed
        assert con.execute("SELECT count(*) FROM documents WHERE source_uri LIKE '%/3.txt'").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM paragraphs WHERE text LIKE '%raised by a third%'").fetchone() == (1,)
        orphans = con.execute(
            "SELECT count(*) FROM paragraphs WHERE doc_id NOT IN (SELECT doc_id FROM documents)"
        ).fetchone()
        assert orphans == (0,)
    finally:
        con.close()


def test_a_file_behind_the_parent_snapshot_is_rebuilt(tmp_path):
    """news.duckdb from before the published snapshot (its rename never happened): a copy
    would miss a run's rows, so the load rebuilds every table, to the same rows."""
    pages, data = _inputs(tmp_path), tmp_path / "data"
    layout = DataLayout(str(data))
    publish_run(data, [pages], 1)
    behind = str(tmp_path / "behind.duckdb")
    shutil.copyfile(layout.duckdb_path, behind)
    (pages / "0.txt").write_text(_article(0, "Updated at noon."), encoding="utf-8")
    publish_run(data, [pages], 2)
    os.replace(behind, layout.duckdb_path)

    (pages / "2.txt").write_text(_article(2, "Updated in the evening."), encoding="utf-8")
    third = publish_run(data, [pages], 3)
    assert third.load_mode == "rebuild"
    rows = table_rows(layout.duckdb_path)
    assert rows == _rebuilt_rows(layout, third.run_id)
    assert len(rows["runs"]) == 3
    assert sum("Updated" in str(row) for row in rows["paragraphs"]) == 2


def test_a_rerun_on_unchanged_inputs_changes_no_table_but_runs(tmp_path):
    pages, data = _inputs(tmp_path), tmp_path / "data"
    layout = DataLayout(str(data))
    publish_run(data, [pages], 1)
    before = table_rows(layout.duckdb_path)
    again = publish_run(data, [pages], 2)
    assert (again.load_mode, again.processed, again.skipped) == ("incremental", 0, 6)
    after = table_rows(layout.duckdb_path)
    assert {t: rows for t, rows in after.items() if t != "runs"} == {
        t: rows for t, rows in before.items() if t != "runs"
    }
    assert len(after["runs"]) == 2


def test_runs_rows_from_before_the_not_documents_columns(tmp_path):
    """A data directory whose runs files and DuckDB table predate ``n_not_documents`` and
    ``not_documents`` (nullable columns added without a schema version bump, as
    schemas.models.SCHEMA_VERSION says): the next run's incremental load adds them, the
    old row null, the new row with its counts, the Parquet the same."""
    pages, data = _inputs(tmp_path), tmp_path / "data"
    layout = DataLayout(str(data))
    first = publish_run(data, [pages], 1)
    new_columns = ["n_not_documents", "not_documents"]
    for path in parquet_files(layout.snapshot_table_dir(first.run_id, "runs")):
        older = pq.read_table(path).drop_columns(new_columns)
        os.remove(path)  # a hard link to the staged file: never write through it
        pq.write_table(older, path)
    con = duckdb.connect(layout.duckdb_path)
    try:
        for column in new_columns:
            con.execute(f"ALTER TABLE runs DROP COLUMN {column}")
    finally:
        con.close()

    second = publish_run(data, [pages], 2)
    assert second.load_mode == "incremental"
    sql = "SELECT run_id, n_not_documents, not_documents FROM runs ORDER BY run_id"
    con = duckdb.connect(layout.duckdb_path, read_only=True)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    assert rows == [(first.run_id, None, None), (second.run_id, 0, {})]
    con = parquet_connection(layout)
    try:
        assert con.execute(sql).fetchall() == rows
    finally:
        con.close()
    # an added column comes last in the old file's table, in model order in a rebuild
    columns = ", ".join(arrow_schema("runs").names)
    assert _runs(layout.duckdb_path, columns) == _runs(_rebuilt_path(layout, second.run_id), columns)


def _runs(path: str, columns: str) -> list[tuple]:
    con = duckdb.connect(path, read_only=True)
    try:
        return con.execute(f"SELECT {columns} FROM runs ORDER BY run_id").fetchall()
    finally:
        con.close()


def _rebuilt_path(layout: DataLayout, snapshot: str) -> str:
    path, _, _ = build_database(layout, layout.snapshot_dir(snapshot), None, "rebuild-check")
    finish_database(path, layout.duckdb_temp_dir("rebuild-check"), snapshot, [])
    return path
