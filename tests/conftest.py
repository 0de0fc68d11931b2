"""Shared fixtures: one real Prefect server for the session, and helpers that run
the real flow (in process or as the ``newsetl`` CLI) and open the real DuckDB.

Prefect reads ``PREFECT_API_URL`` when it is first imported, so test modules
import ``flows.pipeline`` only through these fixtures, after the server is up.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# A test's runs are small and pytest-xdist already keeps every core busy: a pool of shard
# workers would only add a forkserver and workers that import the whole stack again, per
# run.  The pool path has its own tests (test_scale_out, test_interrupts, test_crash_safety).
os.environ.setdefault("NEWSETL_WORKERS", "1")


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory) -> str:
    """A real ``prefect server start`` (SQLite) for the whole test session.

    ``TESTS_PREFECT_API_URL`` reuses a server already running instead (its
    scheduler loop should be short for test_schedule), for quick test iterations."""
    from flows.schedule import start_local_server

    external = os.environ.get("TESTS_PREFECT_API_URL")
    if external:
        os.environ["PREFECT_API_URL"] = external
        yield external
        return

    home = tmp_path_factory.mktemp("prefect-home")
    os.environ["PREFECT_HOME"] = str(home)
    # Scheduled runs in test_schedule must appear within seconds, not a minute.
    os.environ["PREFECT_API_SERVICES_SCHEDULER_LOOP_SECONDS"] = "2"
    # a loaded 2-core CI machine has taken more than the CLI's 90 s to start it
    process, api_url = start_local_server(log_path=str(home / "server.log"), startup_timeout=300)
    os.environ["PREFECT_API_URL"] = api_url
    yield api_url
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def run_flow(prefect_api):
    """Run the real flow in this process: ``run_flow(inputs, data_dir, **settings)``."""
    from flows.pipeline import newsetl_flow
    from schemas.settings import RunSettings

    def _run(inputs, data_dir, **settings):
        return newsetl_flow([str(i) for i in inputs], data_dir=str(data_dir), settings=RunSettings(**settings))

    return _run


def newsetl_env(extra: dict[str, str | None] | None = None) -> dict[str, str]:
    """The environment a test's ``newsetl`` runs in: this process's, with the checkout
    importable, updated by ``extra`` (a value of None removes the variable)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for key, value in (extra or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def newsetl_command(*args) -> list[str]:
    """The command line of ``newsetl ARGS`` from this checkout."""
    return [sys.executable, "-m", "flows.cli", *map(str, args)]


def start_newsetl(*args, env: dict[str, str | None] | None = None, **popen) -> subprocess.Popen:
    """``newsetl ARGS`` started in a session of its own (a failpoint or a test's signal
    reaches the run's process group, never the tests); ``popen``: where its output goes.
    ``env``: see ``newsetl_env``."""
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen(
        newsetl_command(*args), cwd=ROOT, env=newsetl_env(env), text=True, start_new_session=True, **popen
    )


def newsetl(*args, check=False, timeout=300, env=None, kill_after=None) -> subprocess.CompletedProcess:
    """Run ``newsetl ARGS`` to its end; ``kill_after`` seconds: SIGKILL its process group
    then (if it still runs), as a power cut would.  ``check``: fail the test unless it exits 0."""
    process = start_newsetl(*args, env=env)
    if kill_after is not None:
        try:
            process.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    result = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    if check and result.returncode != 0:
        raise AssertionError(f"newsetl {args} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture
def cli(prefect_api):
    """``newsetl(ARGS)`` against the session's Prefect server; fails the test unless it exits 0
    (``check=False`` returns the result whatever the exit code)."""

    def _cli(*args, check=True, timeout=300, env=None):
        return newsetl(*args, check=check, timeout=timeout, env=env)

    return _cli


def query(data_dir, sql: str, params=None) -> list[tuple]:
    """Rows of ``sql`` against the real DuckDB file, opened read-only."""
    con = duckdb.connect(str(Path(data_dir) / "news.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def parquet_rows(data_dir, table: str, sql: str = "SELECT * FROM t") -> list[tuple]:
    """Rows of a table read straight from the published Parquet, as a dashboard would."""
    pattern = str(Path(data_dir) / "parquet" / table / "**" / "*.parquet")
    con = duckdb.connect()
    try:
        con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{pattern}', union_by_name = true)")
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private copy of seeds/ that a test may change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target
