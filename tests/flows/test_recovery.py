"""A data directory damaged by hand or by the disk (issue 18), through the real CLI:
a damaged ``news.duckdb`` is kept aside and rebuilt from the Parquet (``sql``
answers from the Parquet meanwhile); a removed snapshot or link is put back when
something holds all of it, else the run refuses and names the command that repairs.
Never a run that exits 0 with less data than before."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import newsetl, parquet_rows, query

PAGE = (
    "The river authority opened a new flood barrier on Tuesday after three years of work.\n\n"
    "\u201cIt protects four thousand homes,\u201d engineer Mara Lind said at the opening.\n\n"
    "Page {n} ends with a sentence of its own.\n"
)


def _pages(root: Path, names: range) -> Path:
    root.mkdir(exist_ok=True)
    for n in names:
        (root / f"page{n:03d}.txt").write_text(PAGE.format(n=n), encoding="utf-8")
    return root


def _count(data_dir) -> int:
    return query(data_dir, "SELECT count(*) FROM documents")[0][0]


def _damage(path: Path, kind: str) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        if kind == "truncated":
            handle.truncate(size // 2)
        elif kind == "bad-checksum":  # one bit flipped in every 256 KiB block after the headers
            for offset in range(3 * 4096 + 100, size, 256 * 1024):
                handle.seek(offset)
                byte = handle.read(1)
                handle.seek(offset)
                handle.write(bytes([byte[0] ^ 0x01]))
        elif kind == "zeroed-header":
            handle.write(b"\0" * 4096)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, prefect_api) -> tuple[Path, Path]:
    """A data directory after one run over 5 pages, copied by each test that damages it."""
    root = tmp_path_factory.mktemp("recovery")
    pages, data_dir = _pages(root / "pages", range(5)), root / "data"
    newsetl("run", pages, "--data-dir", data_dir, check=True)
    return pages, data_dir


def _copy(loaded, tmp_path) -> tuple[Path, Path]:
    """The loaded pages (shared, unchanged: a page's path is its identity) and a copy of the data directory."""
    pages, data_dir = loaded
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy, symlinks=True)
    return pages, copy


@pytest.mark.parametrize("kind", ["truncated", "bad-checksum", "zeroed-header"])
def test_a_damaged_duckdb_is_kept_aside_and_rebuilt(cli, loaded, tmp_path, kind):
    pages, data_dir = _copy(loaded, tmp_path)
    database = data_dir / "news.duckdb"
    _damage(database, kind)
    damaged_bytes = database.read_bytes()

    # meanwhile `sql` answers from the Parquet, saying so in one line
    answer = cli("sql", "SELECT count(*) AS n FROM documents", "--data-dir", data_dir, "--format", "csv")
    assert answer.stdout.splitlines() == ["n", "5"]
    notes = answer.stderr.strip().splitlines()
    assert len(notes) == 1 and "news.duckdb is damaged" in notes[0] and "Parquet snapshot" in notes[0], notes

    result = cli("run", pages, _pages(tmp_path / "more", range(5, 7)), "--data-dir", data_dir)
    notes = result.stderr.strip().splitlines()
    assert len(notes) == 1 and notes[0].startswith("newsetl: news.duckdb was damaged") and "rebuilt" in notes[0], notes
    kept = list(data_dir.glob("news.duckdb.damaged-*"))
    assert len(kept) == 1 and kept[0].name in notes[0]
    assert kept[0].read_bytes() == damaged_bytes  # kept as found, for whoever wants to look
    assert _count(data_dir) == 7 == parquet_rows(data_dir, "documents", "SELECT count(*) FROM t")[0][0]
    assert query(data_dir, "SELECT status FROM runs ORDER BY run_id") == [("completed",), ("completed",)]


def test_a_removed_parquet_link_is_put_back(cli, loaded, tmp_path):
    pages, data_dir = _copy(loaded, tmp_path)
    published = os.readlink(data_dir / "parquet")
    (data_dir / "parquet").unlink()
    result = cli("run", pages, _pages(tmp_path / "more", range(5, 6)), "--data-dir", data_dir)
    assert "pointed again at the last published snapshot" in result.stderr
    assert _count(data_dir) == 6 == parquet_rows(data_dir, "documents", "SELECT count(*) FROM t")[0][0]
    assert query(data_dir, "SELECT n_processed, n_skipped FROM runs ORDER BY run_id DESC LIMIT 1") == [(1, 5)]
    assert os.readlink(data_dir / "parquet") != published


def test_a_removed_snapshot_is_written_again_from_duckdb(cli, loaded, tmp_path):
    pages, data_dir = _copy(loaded, tmp_path)
    shutil.rmtree(data_dir / os.readlink(data_dir / "parquet"))
    result = cli("run", pages, _pages(tmp_path / "more", range(5, 6)), "--data-dir", data_dir)
    assert "written again from news.duckdb" in result.stderr
    assert _count(data_dir) == 6 == parquet_rows(data_dir, "documents", "SELECT count(*) FROM t")[0][0]
    for table in ("paragraphs", "quotes", "removed_lines", "inputs", "runs"):
        assert query(data_dir, f"SELECT count(*) FROM {table}") == parquet_rows(
            data_dir, table, "SELECT count(*) FROM t"
        ), table
    assert query(data_dir, "SELECT n_processed, n_skipped FROM runs ORDER BY run_id DESC LIMIT 1") == [(1, 5)]


def test_a_lost_snapshot_is_refused_with_the_command_that_repairs(cli, loaded, tmp_path):
    pages, data_dir = _copy(loaded, tmp_path)
    more = _pages(tmp_path / "more", range(5, 8))
    cli("run", pages, more, "--data-dir", data_dir)  # a second snapshot: 8 documents
    shutil.rmtree(data_dir / os.readlink(data_dir / "parquet"))
    (data_dir / "news.duckdb").unlink()  # nothing holds the 8 documents any more

    refused = cli("run", pages, more, "--data-dir", data_dir, check=False)
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "refusing to run" in lines[0] and "ln -sfn .snapshots/" in lines[0], lines
    assert not (data_dir / "news.duckdb").exists()  # nothing was published

    repair = lines[0].split("run: ", 1)[1]
    subprocess.run(repair, shell=True, check=True)
    cli("run", pages, more, "--data-dir", data_dir)  # back to 5 documents; the 3 newer inputs are re-read
    assert _count(data_dir) == 8 == parquet_rows(data_dir, "documents", "SELECT count(*) FROM t")[0][0]
