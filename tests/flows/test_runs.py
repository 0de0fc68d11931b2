"""The run history (``runs``, ``newsetl runs``), usage errors and schema versions (issue 13)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from schemas.arrow import SCHEMA_VERSION_KEY
from schemas.models import SCHEMA_VERSION
from tests.conftest import ROOT, SEEDS, parquet_rows, query


def _runs(data_dir) -> list[tuple]:
    return query(data_dir, "SELECT status, error, n_seen, n_processed FROM runs ORDER BY run_id")


# --------------------------------------------------------------------------
# 5. Every run that took the lock leaves a row
# --------------------------------------------------------------------------


def test_completed_failed_and_aborted_runs_all_leave_rows(cli, seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    cli("run", seeds_copy, "--data-dir", data_dir)
    failed = cli(
        "run", seeds_copy, "--data-dir", data_dir, check=False, env={"NEWSETL_FAILPOINT": "error@flow:shards-done"}
    )
    assert failed.returncode == 1
    # the failed run's row is published at once, with the error; the data stay as they were
    assert [r[0] for r in _runs(data_dir)] == ["completed", "failed"]
    assert "InjectedFailure: injected failure at flow:shards-done" in _runs(data_dir)[1][1]
    assert query(data_dir, "SELECT count(*) FROM documents") == [(2,)]

    # a failure that also stops the failure's own row from being published (the load
    # fails every time): the journal keeps the row, `newsetl runs` shows it at once
    cli("run", seeds_copy, "--data-dir", data_dir, check=False, env={"NEWSETL_FAILPOINT": "error@load:before-commit"})
    (seeds_copy / "new.txt").write_text("A new page.\n\nIt says something new about the council budget.\n")
    killed = cli("run", seeds_copy, "--data-dir", data_dir, check=False, env={"NEWSETL_FAILPOINT": "shard:closed"})
    assert killed.returncode < 0
    listed = cli("runs", "--data-dir", data_dir, "--format", "json").stdout
    assert [json.loads(line)["status"] for line in listed.splitlines()] == ["aborted", "failed", "failed", "completed"]

    cli("run", seeds_copy, "--data-dir", data_dir)  # finds the dead runs and publishes their rows
    statuses = [r[0] for r in _runs(data_dir)]
    assert statuses == ["completed", "failed", "failed", "aborted", "completed"]
    assert "load:before-commit" in _runs(data_dir)[2][1]
    assert parquet_rows(data_dir, "runs", "SELECT status FROM t ORDER BY run_id") == [(s,) for s in statuses]
    assert not os.listdir(data_dir / ".journal")
    seen, processed, skipped, quarantined = query(
        data_dir, "SELECT n_seen, n_processed, n_skipped, n_quarantined FROM runs ORDER BY run_id DESC LIMIT 1"
    )[0]
    assert (seen, processed, skipped, quarantined) == (3, 1, 2, 0)


def test_runs_rows_have_seconds_per_stage(cli, seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    cli("run", seeds_copy, "--data-dir", data_dir)
    row = query(
        data_dir,
        """SELECT seconds_prefect_start, seconds_discover, seconds_transform, seconds_publish,
                                    seconds_load, seconds_total, finished_at - started_at FROM runs""",
    )[0]
    assert all(value is not None and value >= 0 for value in row[:6])
    assert row[0] > 0.5, "Prefect's start-up is measured from the command's start"
    assert row[5] >= sum(row[:5]) - 0.1


def test_runs_command_lists_the_last_runs(cli, seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    for _ in range(3):
        cli("run", seeds_copy, "--data-dir", data_dir)
    table = cli("runs", "--data-dir", data_dir, "--last", "2").stdout
    assert table.count("completed") == 2
    for column in ("status", "started_at", "seconds", "seen", "processed", "skipped", "quarantined", "error"):
        assert column in table
    assert cli("runs", "--data-dir", data_dir, "--last", "0", check=False).returncode == 2


# --------------------------------------------------------------------------
# 7. Usage errors: one line, exit 2, no traceback, before Prefect starts
# --------------------------------------------------------------------------


@pytest.fixture
def dask_missing(tmp_path) -> dict:
    """An environment in which ``import prefect_dask`` fails, as without the extra."""
    shadow = tmp_path / "shadow" / "prefect_dask"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('No module named prefect_dask')\n")
    return {"PYTHONPATH": f"{shadow.parent}{os.pathsep}{ROOT}"}


@pytest.mark.parametrize(
    "case",
    [
        "missing input",
        "empty glob",
        "data dir is a file",
        "data dir unwritable",
        "negative shard docs",
        "zero workers",
        "bad env setting",
        "dask without extra",
        "bad cron",
    ],
)
def test_usage_errors_exit_2_with_one_line(cli, tmp_path, case, dask_missing):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    args, env, names = {
        "missing input": (["run", tmp_path / "no-such-dir"], {}, "no-such-dir"),
        "empty glob": (["run", str(tmp_path / "*.nothing")], {}, "*.nothing"),
        "data dir is a file": (["run", SEEDS, "--data-dir", a_file], {}, "not a directory"),
        "data dir unwritable": (["run", SEEDS, "--data-dir", "/proc/newsetl-data"], {}, "not writable"),
        "negative shard docs": (["run", SEEDS, "--shard-docs", "-5"], {}, "--shard-docs=-5"),
        "zero workers": (["run", SEEDS, "--workers", "0"], {}, "--workers=0"),
        "bad env setting": (["run", SEEDS], {"NEWSETL_MAX_FILE_BYTES": "abc"}, "NEWSETL_MAX_FILE_BYTES=abc"),
        "dask without extra": (["run", SEEDS, "--dask", "local"], dask_missing, "newsetl[dask]"),
        "bad cron": (["serve", SEEDS, "--cron", "61 * * * *"], {}, "--cron"),
    }[case]
    data = [] if "--data-dir" in args else ["--data-dir", tmp_path / "data"]
    result = cli(*args, *data, check=False, env=env, timeout=60)
    assert result.returncode == 2, result.stderr
    assert names in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    assert not (tmp_path / "data" / ".snapshots").exists()


# --------------------------------------------------------------------------
# 8. Schema versions: a newer one is refused, an older one migrated
# --------------------------------------------------------------------------


def _set_version(path: Path, version: int, rename: dict | None = None) -> None:
    data = pq.read_table(path)
    if rename:
        data = rename(data)
    metadata = {**(data.schema.metadata or {}), SCHEMA_VERSION_KEY: str(version).encode()}
    pq.write_table(data.replace_schema_metadata(metadata), path)


def test_a_newer_schema_is_refused(cli, seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    cli("run", seeds_copy, "--data-dir", data_dir)
    runs_file = next((data_dir / "parquet" / "runs").rglob("*.parquet"))
    _set_version(Path(os.path.realpath(runs_file)), SCHEMA_VERSION + 1)
    before = sorted(os.listdir(data_dir / ".snapshots"))
    result = cli("run", seeds_copy, "--data-dir", data_dir, check=False)
    assert result.returncode == 2 and f"schema version {SCHEMA_VERSION + 1}" in result.stderr
    assert "newer newsetl" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert sorted(os.listdir(data_dir / ".snapshots")) == before


def test_a_version_1_directory_is_migrated_without_losing_rows(cli, seeds_copy, tmp_path):
    """Version 1 wrote ``ingest_date=`` folders, ``published_at`` as a string and
    ``runs`` without ``ingest_date``: rebuild such a directory from a current one."""
    data_dir = tmp_path / "data"
    jsonl = seeds_copy / "records.jsonl"
    jsonl.write_text(
        json.dumps(
            {
                "id": "r1",
                "text": "A page.\n\nThe mayor spoke about the bridge budget.",
                "published_at": "2024-03-05T10:00:00+02:00",
            }
        )
        + "\n"
    )
    cli("run", seeds_copy, "--data-dir", data_dir)
    counts = {t: query(data_dir, f"SELECT count(*) FROM {t}")[0][0] for t in ("documents", "paragraphs", "runs")}
    snapshot = Path(os.path.realpath(data_dir / "parquet"))
    for table_dir in snapshot.iterdir():
        for path in list(table_dir.rglob("*.parquet")):
            if path.name.startswith("empty-"):
                path.unlink()
                continue
            old = table_dir / f"ingest_date={path.parent.name}" / path.name
            old.parent.mkdir(exist_ok=True)
            data = pq.read_table(path)
            if table_dir.name == "documents":
                data = data.drop_columns(["published_at_raw"]).set_column(
                    data.schema.get_field_index("published_at"),
                    "published_at",
                    pa.array(["2024-03-05T10:00:00+02:00"] * data.num_rows),
                )
            if table_dir.name == "runs":
                data = data.drop_columns(["ingest_date"])
            pq.write_table(data.replace_schema_metadata({SCHEMA_VERSION_KEY: b"1"}), old)
            path.unlink()
            path.parent.rmdir()
    os.remove(data_dir / "news.duckdb")

    result = cli("run", seeds_copy, "--data-dir", data_dir)
    assert "DuckDB load" in result.stdout
    for table, count in counts.items():
        assert query(data_dir, f"SELECT count(*) FROM {table}")[0][0] == count + (table == "runs")
    assert query(
        data_dir, "SELECT published_at_raw, hour(timezone('UTC', published_at)) FROM documents WHERE source_id = 'r1'"
    ) == [("2024-03-05T10:00:00+02:00", 8)]
    assert query(data_dir, "SELECT count(*) FROM runs WHERE ingest_date IS NULL") == [(0,)]
    assert query(data_dir, "SELECT n_skipped FROM runs ORDER BY run_id DESC LIMIT 1") == [(3,)]  # nothing re-read
    assert "=" not in "".join(str(p) for p in Path(os.path.realpath(data_dir / "parquet")).rglob("*"))
    shutil.rmtree(data_dir)
