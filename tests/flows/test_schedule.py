"""``newsetl serve``: a scheduled run really happens on a real Prefect server and loads data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, parquet_rows, query


@pytest.mark.slow
def test_served_flow_runs_on_schedule(prefect_api, seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", str(seeds_copy), "--data-dir", str(data_dir),
         "--interval", "5", "--name", f"test-{os.getpid()}"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_API_URL": prefect_api,
             "PREFECT_RUNNER_POLL_FREQUENCY": "2"},
    )
    try:
        deadline = time.monotonic() + 150
        runs: list = []
        while time.monotonic() < deadline and len(runs) < 1:
            time.sleep(2)
            assert process.poll() is None, Path(tmp_path / "serve.log").read_text()
            if (data_dir / "parquet" / "runs").is_dir():
                runs = parquet_rows(data_dir, "runs", "SELECT run_id FROM t")
        assert runs, "no scheduled run within 150 s:\n" + Path(tmp_path / "serve.log").read_text()
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
    assert query(data_dir, "SELECT count(*) FROM documents")[0][0] == 2
    assert query(data_dir, "SELECT count(*) FROM quotes WHERE speaker_name = 'Josh Earnest'")[0][0] >= 1
