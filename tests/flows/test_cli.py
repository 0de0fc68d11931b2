"""The ``newsetl`` command line, as users and scripts call it."""

from __future__ import annotations

import json
import time

from tests.conftest import ROOT, SEEDS, newsetl, query, start_newsetl


def test_run_sql_explain(cli, seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    result = cli("run", seeds_copy, "--data-dir", data_dir)
    for label in (
        "documents seen",
        "processed",
        "skipped (unchanged)",
        "quarantined",
        "paragraphs",
        "quotes",
        "removed lines",
        "elapsed",
    ):
        assert label in result.stdout
    assert query(data_dir, "SELECT count(*) FROM documents")[0][0] == 2

    out = cli(
        "sql",
        "SELECT kind, count(*) AS n FROM paragraphs GROUP BY kind ORDER BY kind",
        "--data-dir",
        data_dir,
        "--format",
        "json",
    ).stdout
    kinds = {row["kind"]: row["n"] for row in map(json.loads, out.splitlines())}
    assert kinds["highlight"] == 2 and kinds["editor_note"] == 1 and kinds["lead"] >= 1

    table = cli(
        "sql", "SELECT speaker_name FROM quotes WHERE speaker_name = 'Josh Earnest'", "--data-dir", data_dir
    ).stdout
    assert "Josh Earnest" in table

    source_id = query(data_dir, "SELECT source_id FROM documents WHERE source_id LIKE '%000_%'")[0][0]
    lines = cli("explain", source_id, "--data-dir", data_dir).stdout.splitlines()
    assert any(line.startswith("-") and "Now playing" in line for line in lines)
    assert any(line.startswith("+") and "Not since the Cold War" in line for line in lines)
    # quotes under their paragraph, with the rule that found the speaker
    assert any("\u00bb" in line and "(person) by " in line for line in lines)


def test_sql_parquet_gives_the_database_answers_with_the_same_views(cli, seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    cli("run", seeds_copy, "--data-dir", data_dir)
    for sql in (
        "SELECT * FROM quotes_per_speaker ORDER BY ALL",
        "SELECT * FROM document_lines ORDER BY doc_id, line_no, ordinal NULLS LAST, text",
        "SELECT * FROM removals_per_day ORDER BY ALL",
        "SELECT count(*) FROM documents",
    ):
        from_database = cli("sql", sql, "--data-dir", data_dir, "--format", "csv")
        from_parquet = cli("sql", sql, "--data-dir", data_dir, "--format", "csv", "--parquet")
        assert from_parquet.stdout == from_database.stdout and len(from_parquet.stdout.splitlines()) > 1, sql
        assert from_parquet.stderr == ""  # asked for: no note that it answers from the Parquet
    no_data = cli("sql", "SELECT 1", "--parquet", "--data-dir", tmp_path / "nothing", check=False)
    assert no_data.returncode == 1 and "no Parquet snapshot" in no_data.stderr


def test_sql_is_read_only(cli, seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    cli("run", seeds_copy, "--data-dir", data_dir)
    outside = tmp_path / "outside"
    writes = [
        "DELETE FROM documents",
        f"COPY documents TO '{outside}.csv'",
        f"EXPORT DATABASE '{outside}'",
        f"ATTACH '{outside}.duckdb' (READ_WRITE)",
        f"ATTACH '{data_dir / 'other.duckdb'}'",
        "SELECT 1; DROP TABLE documents",
        "CHECKPOINT",
        "SET threads = 1",
    ]
    for parquet in ([], ["--parquet"]):  # the Parquet fallback is an in-memory database: same rule
        for statement in writes:
            result = cli("sql", statement, "--data-dir", data_dir, *parquet, check=False)
            assert result.returncode == 2 and "read-only" in result.stderr.lower(), (statement, result.stderr)
            assert len(result.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.glob("outside*")) and not (data_dir / "other.duckdb").exists()
    assert query(data_dir, "SELECT count(*) FROM documents")[0][0] == 2
    assert cli("sql", "DESCRIBE documents", "--data-dir", data_dir).returncode == 0


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
    assert "answering from the Parquet snapshot" in result.stderr
    assert result.stdout.splitlines()[1] == "2"


def _start_run(inputs, data_dir, *extra):
    return start_newsetl("run", inputs, "--data-dir", data_dir, *extra)


def _wait_for_lock_holder(data_dir, first, timeout=120.0) -> None:
    lock = data_dir / ".lock"
    deadline = time.monotonic() + timeout
    while not (lock.exists() and lock.read_text().startswith("pid")):
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline, "first run never took the lock"
        time.sleep(0.05)


def _many_pages(tmp_path, n=500):
    pages = tmp_path / "pages"
    pages.mkdir()
    seed = (SEEDS / "000_baf19a50518b6e72.txt").read_text(encoding="utf-8")
    for i in range(n):
        (pages / f"p{i:04d}.txt").write_text(
            f"{seed}\n\nPage {i} ends with its own closing paragraph here.\n", encoding="utf-8"
        )
    return pages


def test_second_concurrent_run_exits_with_code_3(prefect_api, tmp_path):
    """Two runs on one directory: the second fails fast (the documented default), data stays whole."""
    pages, data_dir = _many_pages(tmp_path), tmp_path / "data"
    first = _start_run(pages, data_dir, "--workers", "1")
    _wait_for_lock_holder(data_dir, first)
    second = newsetl("run", pages, "--data-dir", data_dir, timeout=120)
    first_out, first_err = first.communicate(timeout=300)
    assert second.returncode == 3, second.stderr
    assert "another newsetl run (pid" in second.stderr and "--wait" in second.stderr
    assert first.returncode == 0, first_err
    assert query(data_dir, "SELECT count(*), count(DISTINCT source_id) FROM documents") == [(500, 500)]
    assert query(data_dir, "SELECT count(*) FROM runs") == [(1,)]


def test_second_run_with_wait_queues_behind_the_first(prefect_api, tmp_path):
    pages, data_dir = _many_pages(tmp_path), tmp_path / "data"
    first = _start_run(pages, data_dir, "--workers", "1")
    _wait_for_lock_holder(data_dir, first)
    second = _start_run(pages, data_dir, "--wait")
    first_out, first_err = first.communicate(timeout=300)
    second_out, second_err = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, (first_err, second_err)
    assert "waiting for another newsetl run" in second_err
    assert query(data_dir, "SELECT n_processed, n_skipped FROM runs ORDER BY started_at") == [(500, 0), (0, 500)]
    assert query(data_dir, "SELECT count(*) FROM documents") == [(500,)]


def test_data_dir_that_is_a_file_is_bad_usage(cli, seeds_copy, tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    for command in (("run", seeds_copy), ("sql", "SELECT 1"), ("explain", "x")):
        result = cli(*command, "--data-dir", not_a_dir, check=False)
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip().splitlines() == [f"newsetl: --data-dir {not_a_dir}: is a file, not a directory"]


def test_summary_json_into_a_missing_folder_is_refused_before_the_run(cli, seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    result = cli("run", seeds_copy, "--data-dir", data_dir, "--summary-json", tmp_path / "no" / "s.json", check=False)
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (data_dir / "parquet").exists()  # nothing was published


def test_failed_run_exits_non_zero(cli, seeds_copy, tmp_path):
    result = cli(
        "run",
        seeds_copy,
        "--data-dir",
        tmp_path / "data",
        check=False,
        env={"NEWSETL_FAILPOINT": "error@flow:shards-done"},
    )
    assert result.returncode == 1 and "run failed: InjectedFailure" in result.stderr


def test_readme_example_sql_answers_in_the_database_and_over_the_parquet(cli, seeds_copy, tmp_path):
    import re

    blocks = re.findall(r"```sql\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 3
    (seeds_copy / "empty.txt").write_text("")  # so that the quarantine example has a row
    data_dir = tmp_path / "data"
    cli("run", seeds_copy, "--data-dir", data_dir)
    for sql in blocks:
        answers = [
            cli("sql", "--data-dir", data_dir, "--format", "csv", *mode, "--", sql).stdout
            for mode in ([], ["--parquet"])
        ]
        assert answers[0] == answers[1], sql
        assert len(answers[0].splitlines()) > 1, f"no rows:\n{sql}"
