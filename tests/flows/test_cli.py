"""The ``newsetl`` command line, as users and scripts call it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from tests.conftest import ROOT, query


def test_run_sql_explain(cli, seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    result = cli("run", seeds_copy, "--data-dir", data_dir)
    for label in ("documents seen", "processed", "skipped (unchanged)", "quarantined",
                  "paragraphs", "quotes", "removed lines", "elapsed"):
        assert label in result.stdout
    assert query(data_dir, "SELECT count(*) FROM documents")[0][0] == 2

    out = cli("sql", "SELECT kind, count(*) AS n FROM paragraphs GROUP BY kind ORDER BY kind",
              "--data-dir", data_dir, "--format", "json").stdout
    kinds = {row["kind"]: row["n"] for row in map(json.loads, out.splitlines())}
    assert kinds["highlight"] == 2 and kinds["editor_note"] == 1 and kinds["lead"] >= 1

    table = cli("sql", "SELECT speaker_name FROM quotes WHERE speaker_name = 'Josh Earnest'", "--data-dir", data_dir).stdout
    assert "Josh Earnest" in table

    source_id = query(data_dir, "SELECT source_id FROM documents WHERE source_id LIKE '%000_%'")[0][0]
    lines = cli("explain", source_id, "--data-dir", data_dir).stdout.splitlines()
    assert any(line.startswith("-") and "Now playing" in line for line in lines)
    assert any(line.startswith("+") and "Not since the Cold War" in line for line in lines)


def test_sql_is_read_only(cli, seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    cli("run", seeds_copy, "--data-dir", data_dir)
    result = cli("sql", "DELETE FROM documents", "--data-dir", data_dir, check=False)
    assert result.returncode == 1 and "read-only" in result.stderr.lower()
    assert query(data_dir, "SELECT count(*) FROM documents")[0][0] == 2


def test_sql_without_data_says_so(cli, tmp_path):
    result = cli("sql", "SELECT 1", "--data-dir", tmp_path / "nothing", check=False)
    assert result.returncode == 1 and "newsetl run" in result.stderr


def test_sql_while_database_is_busy_answers_from_parquet(cli, seeds_copy, tmp_path):
    import duckdb

    data_dir = tmp_path / "data"
    cli("run", seeds_copy, "--data-dir", data_dir)
    writer = duckdb.connect(str(data_dir / "news.duckdb"))  # what a loading run holds
    try:
        result = cli("sql", "SELECT count(*) AS n FROM documents", "--data-dir", data_dir, "--format", "csv")
    finally:
        writer.close()
    assert "busy" in result.stderr
    assert result.stdout.splitlines()[1] == "2"


def test_second_concurrent_run_exits_with_code_3(cli, seeds_copy, tmp_path):
    """A second run on the same directory fails fast (documented choice); data stays whole."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from flows.lock import run_lock\n"
         f"with run_lock({str(data_dir / '.lock')!r}):\n print('locked', flush=True); time.sleep(60)"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        result = cli("run", seeds_copy, "--data-dir", data_dir, check=False)
        assert result.returncode == 3, result.stderr
        assert "another newsetl run" in result.stderr and "--wait" in result.stderr
        assert time.monotonic() - started < 60
    finally:
        holder.kill()
        holder.wait()
    assert not (data_dir / "news.duckdb").exists()
    cli("run", seeds_copy, "--data-dir", data_dir)  # the lock died with its holder
    assert query(data_dir, "SELECT count(*) FROM documents")[0][0] == 2


def test_failed_run_exits_non_zero(cli, seeds_copy, tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    result = cli("run", seeds_copy, "--data-dir", not_a_dir, check=False)
    assert result.returncode == 1 and "run failed" in result.stderr
