"""Interrupted the way schedulers interrupt (issue 18): SIGTERM (cron, systemd and
Kubernetes time-outs) and Ctrl-C stop a run within seconds with one line,
``newsetl: interrupted``, exit 128 + the signal, no process left behind, and the
next run completes with everything."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from flows.interrupts import _alive, descendants
from tests.conftest import SEEDS, query, start_newsetl


def _pages(root: Path, n: int) -> Path:
    root.mkdir()
    seed = (SEEDS / "001_2d56a537528789b0.txt").read_text(encoding="utf-8")
    for i in range(n):
        (root / f"p{i:04d}.txt").write_text(
            f"{seed}\n\nPage {i} closes with a paragraph of its own.\n", encoding="utf-8"
        )
    return root


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _interrupt_mid_run(
    pages: Path, data_dir: Path, signum: int, env: dict | None = None
) -> tuple[int, str, float, dict[int, str]]:
    """Start a run, wait until its shard workers run, send ``signum`` to the run's
    process group (Ctrl-C reaches the whole foreground group); returns the exit code,
    stderr, seconds to exit and the processes the run had started."""
    process = start_newsetl("run", pages, "--data-dir", data_dir, "--workers", "2", "--shard-docs", "250", env=env)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        children = descendants(process.pid)
        if (data_dir / ".staging").is_dir() and any((data_dir / ".staging").glob("*/out")) and len(children) >= 3:
            break  # shards are being written by the pool (forkserver + workers)
        time.sleep(0.1)
    else:
        pytest.fail("the run never reached its shards")
    children = {pid: _command(pid) for pid in descendants(process.pid)}
    sent = time.monotonic()
    os.killpg(process.pid, signum) if signum == signal.SIGINT else process.send_signal(signum)
    try:
        _, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return process.returncode, stderr, time.monotonic() - sent, children


def _check_stopped(code: int, stderr: str, seconds: float, children: dict[int, str], signum: int) -> None:
    assert code == 128 + signum, stderr
    assert stderr.strip().splitlines() == ["newsetl: interrupted"], stderr
    assert seconds < 10, f"took {seconds:.1f} s to stop"
    time.sleep(0.5)  # orphans are reaped by init
    assert not [pid for pid in children if _alive(pid)], "processes left behind"


def test_sigterm_stops_the_run_and_its_temporary_prefect_server(tmp_path, cli):
    """Without PREFECT_API_URL the run starts Prefect's temporary server: it must go too.
    The variable is set empty here (`PREFECT_API_URL= newsetl run`), which must mean the same
    as unset: Prefect itself would take "" for a server and log a traceback per event."""
    pages, data_dir = _pages(tmp_path / "pages", 600), tmp_path / "data"
    env = {
        "PREFECT_API_URL": "",
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    }
    code, stderr, seconds, children = _interrupt_mid_run(pages, data_dir, signal.SIGTERM, env)
    assert any("prefect.server" in command for command in children.values()), children
    _check_stopped(code, stderr, seconds, children, signal.SIGTERM)

    cli("run", pages, "--data-dir", data_dir)  # the next run finds a whole state and completes it
    assert query(data_dir, "SELECT count(*) FROM documents")[0][0] == 600
    # the stopped run recorded itself as interrupted (aborted = found dead, without a word)
    assert query(data_dir, "SELECT status, error, finished_at IS NOT NULL FROM runs ORDER BY run_id") == [
        ("interrupted", "interrupted by SIGTERM", True),
        ("completed", None, True),
    ]


def test_ctrl_c_stops_the_run_within_seconds(prefect_api, tmp_path, cli):
    pages, data_dir = _pages(tmp_path / "pages", 600), tmp_path / "data"
    code, stderr, seconds, children = _interrupt_mid_run(pages, data_dir, signal.SIGINT)
    _check_stopped(code, stderr, seconds, children, signal.SIGINT)
    assert not (data_dir / "parquet").exists() or query(data_dir, "SELECT count(*) FROM runs")[0][0] == 0
    listed = cli("runs", "--data-dir", data_dir, "--format", "json").stdout.splitlines()
    assert [(row["status"], row["error"]) for row in map(json.loads, listed)] == [
        ("interrupted", "interrupted by SIGINT (Ctrl-C)")
    ]
