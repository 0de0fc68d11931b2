"""Serving the flow on a schedule, which needs a real Prefect server.

The temporary server Prefect starts for a one-off run cannot schedule
("Cannot schedule flows on an ephemeral server").  So: use the server at
``PREFECT_API_URL`` if set, else start ``prefect server start`` on a free
local port for as long as we serve, and say so.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request

SERVER_START_TIMEOUT_S = 90


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(
    api_url: str, timeout: float = SERVER_START_TIMEOUT_S, process: subprocess.Popen | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"prefect server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"prefect server at {api_url} not healthy after {timeout:.0f} s")


def start_local_server(
    port: int | None = None,
    log_path: str | None = None,
    ui: bool = False,
    startup_timeout: float = SERVER_START_TIMEOUT_S,
) -> tuple[subprocess.Popen, str]:
    """``prefect server start`` in a child process; returns it and its API URL.

    ``ui`` serves Prefect's web UI too (``serve`` prints links into it), told
    where the API is: by default the UI's pages call port 4200, not ours."""
    port = port or _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": str(ui).lower(),
        "PREFECT_UI_API_URL": api_url,
    }
    env.pop("PREFECT_API_URL", None)
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115  (open while the server runs)
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_healthy(api_url, timeout=startup_timeout, process=process)
    except BaseException:
        process.kill()
        raise
    return process, api_url


def serve_flow(inputs: list[str], data_dir: str, *, cron: str | None, interval: float | None, name: str) -> None:
    if not os.environ.get("PREFECT_API_URL"):
        print("PREFECT_API_URL is not set: starting a local Prefect server (prefect server start) …", file=sys.stderr)
        process, api_url = start_local_server(ui=True)
        atexit.register(process.terminate)
        os.environ["PREFECT_API_URL"] = api_url
        print(
            f"Prefect server running at {api_url} (UI at {api_url.removesuffix('/api')}) while this command runs",
            file=sys.stderr,
        )
    from flows.pipeline import newsetl_flow  # imported after PREFECT_API_URL is final

    if not cron and not interval:
        raise ValueError("serve needs a cron expression or an interval")
    schedule = {"cron": cron} if cron else {"interval": dt.timedelta(seconds=interval or 0)}
    print(
        f"serving deployment newsetl/{name} on {cron or f'every {interval:g} s'} over {' '.join(inputs)} → {data_dir}",
        file=sys.stderr,
        flush=True,
    )
    # limit=1: a run that outlasts the interval delays the next one instead of
    # starting beside it only to queue on the data directory's lock
    newsetl_flow.serve(
        name=name,
        parameters={"inputs": inputs, "data_dir": data_dir, "wait_for_lock": True, "announce": True},
        limit=1,
        **schedule,
    )
