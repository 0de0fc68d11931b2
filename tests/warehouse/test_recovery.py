"""warehouse.recovery on a temporary directory: a lost link or a lost snapshot is put
back from what still holds it, and what cannot be put back is refused."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.warehouse.direct_run import publish_run, run_id, table_rows
from warehouse.layout import DataLayout
from warehouse.query import parquet_connection
from warehouse.recovery import LostSnapshotError, restore_published_snapshot


def _two_runs(tmp_path) -> DataLayout:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("A story.\n\nThe harbour opens at dawn.\n", encoding="utf-8")
    publish_run(tmp_path / "data", [pages], 1)
    (pages / "b.txt").write_text("B story.\n\nThe ferry is late again.\n", encoding="utf-8")
    publish_run(tmp_path / "data", [pages], 2)
    return DataLayout(str(tmp_path / "data"))


def _parquet_rows(layout: DataLayout) -> dict[str, int]:
    con = parquet_connection(layout)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "paragraphs", "runs")}
    finally:
        con.close()


def test_nothing_missing_nothing_done(tmp_path):
    layout = _two_runs(tmp_path)
    assert restore_published_snapshot(layout) is None
    assert layout.current_snapshot() == run_id(2)


def test_a_lost_link_points_again_at_the_last_published_snapshot(tmp_path):
    layout = _two_runs(tmp_path)
    os.remove(layout.parquet_link)
    note = restore_published_snapshot(layout)
    assert note is not None and "was missing" in note and run_id(2) in note
    assert layout.current_snapshot() == run_id(2)
    assert _parquet_rows(layout) == {"documents": 2, "paragraphs": 2, "runs": 2}


def test_a_lost_snapshot_is_written_again_from_news_duckdb(tmp_path):
    layout = _two_runs(tmp_path)
    before = table_rows(layout.duckdb_path)
    shutil.rmtree(layout.snapshot_dir(run_id(2)))
    note = restore_published_snapshot(layout)
    assert note is not None and "written again from news.duckdb" in note
    assert layout.current_snapshot() == run_id(2) and os.path.isdir(layout.snapshot_dir(run_id(2)))
    con = parquet_connection(layout)
    try:
        restored = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in before}
    finally:
        con.close()
    assert restored == before


def test_a_lost_snapshot_nothing_holds_is_refused_naming_the_previous_one(tmp_path):
    layout = _two_runs(tmp_path)
    shutil.rmtree(layout.snapshot_dir(run_id(2)))
    os.remove(layout.duckdb_path)
    with pytest.raises(LostSnapshotError) as refused:
        restore_published_snapshot(layout)
    assert run_id(1) in str(refused.value) and "ln -sfn" in str(refused.value)
    assert not os.path.exists(layout.snapshot_dir(run_id(2)))
