"""``newsetl serve``: scheduled runs really happen on the Prefect server it starts,
load data, print one line each, and Prefect's own CLI and UI work against that server."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import newsetl_env, query, start_newsetl

RUN_LINE = re.compile(r"^newsetl run (\S+): (completed|failed)(.*)$", re.M)


def _get(url: str) -> tuple[int, str]:
    """What a browser gets when it follows ``url`` (an HTML navigation)."""
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode("utf-8", "replace")


@pytest.mark.slow
def test_served_flow_runs_on_schedule(seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    log_path = tmp_path / "serve.log"
    env = {
        "PREFECT_API_URL": None,  # serve starts its own server, with the UI, as a user's would
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
        "PREFECT_API_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
        "COLUMNS": "250",
    }
    log = open(log_path, "w")  # noqa: SIM115  (serve's output while it runs)
    process = start_newsetl(
        "serve",
        seeds_copy,
        "--data-dir",
        data_dir,
        "--interval",
        "5",
        "--name",
        f"test-{os.getpid()}",
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and len(RUN_LINE.findall(log_path.read_text())) < 2:
            time.sleep(2)
            assert process.poll() is None, log_path.read_text()
        served = log_path.read_text()
        runs = RUN_LINE.findall(served)
        assert len(runs) >= 2, "fewer than two scheduled runs within 240 s:\n" + served
        after_start = served.split("You can also run your flow via the Prefect UI:", 1)[1].splitlines()[1:]
        assert all(RUN_LINE.match(line) for line in after_start if line.strip()), served  # nothing else per run
        api_url = re.search(r"Prefect server running at (http://127\.0\.0\.1:\d+/api)", served).group(1)
        ui_url = api_url.removesuffix("/api")

        # Prefect's own CLI answers against the server (422s with fastapi 0.153, issue 13 item 9)
        prefect_env = newsetl_env({**env, "PREFECT_API_URL": api_url})
        listed = {}
        for command in (["flow-run", "ls"], ["deployment", "ls"], ["artifact", "ls"]):
            result = subprocess.run(
                [sys.executable, "-m", "prefect", *command],
                env=prefect_env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            output = result.stdout + result.stderr
            # an error is a traceback or "SomeError: ..."; a flow run's random name may be
            # "exceptional-terrier", so no bare word match
            failed = re.search(r"Traceback|Unprocessable|\bexceptions\.\w|\b\w*(?:Exception|Error)\b:", output)
            assert result.returncode == 0 and not failed, (
                command,
                output[-3000:],
            )
            listed[command[0]] = output
        assert "newsetl" in listed["flow-run"] and f"newsetl/test-{os.getpid()}" in listed["deployment"]
        assert "newsetl-run-summary" in listed["artifact"]

        # the UI links serve prints open, and the UI's pages call our API, not Prefect's default port
        links = set(re.findall(re.escape(ui_url) + r"/[\w/.-]*", served)) - {api_url}
        assert any("/deployments/deployment/" in link for link in links), served
        for link in links | {ui_url + "/", ui_url + "/runs"}:
            status, page = _get(link)
            assert status == 200 and "<html" in page.lower(), link
        assert json.loads(_get(ui_url + "/ui-settings")[1])["api_url"] == api_url
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()

    # one line per run, and each run's line says what its runs row says
    run_rows = dict(query(data_dir, "SELECT run_id, status FROM runs"))
    first, second = runs[0], runs[1]
    assert [run_id for run_id, *_ in runs].count(first[0]) == 1
    assert first[1] == second[1] == "completed" and run_rows[first[0]] == run_rows[second[0]] == "completed"
    assert first[2].startswith(", seen 2 = processed 2 + skipped 0 + quarantined 0, ")
    assert second[2].startswith(", seen 2 = processed 0 + skipped 2 + quarantined 0, ")
    assert query(data_dir, "SELECT count(*) FROM documents")[0][0] == 2
    assert query(data_dir, "SELECT count(*) FROM quotes WHERE speaker_name = 'Josh Earnest'")[0][0] >= 1
