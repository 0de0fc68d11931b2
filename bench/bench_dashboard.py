"""How long the dashboard takes to show each page, in a real headless Chromium.

    .venv/bin/python bench/bench_dashboard.py --data-dir DIR [--repeat 3]

Starts ``newsetl dashboard`` on DIR (a data directory a run wrote, e.g. ``make bench
N=100000 BENCH_ARGS=--keep-data``), opens every page and times from the request until
Streamlit has finished the page's script and its numbers are on screen (the first
opening of the overview includes the in-memory DuckDB over the snapshot's Parquet; the
later ones reuse the connection until a new snapshot is published).  Prints one line per
page: first and best of ``--repeat`` later openings, in seconds.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHROMIUM = "/usr/bin/chromium"
PAGES = ("", "quotes", "boilerplate", "runs", "quarantine")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the dashboard exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the dashboard did not answer")


def _open(tab, url: str) -> float:
    started = time.perf_counter()
    tab.goto(url)
    tab.wait_for_selector('[data-testid="stMetricValue"]')
    tab.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    seconds = time.perf_counter() - started
    if tab.locator('[data-testid="stException"]').count():
        raise SystemExit(f"{url}: the page shows an exception")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--repeat", type=int, default=3, help="later openings of each page (best is shown)")
    args = parser.parse_args()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "dashboard", "--data-dir", args.data_dir, "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_healthy(url, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            tab.set_default_timeout(600_000)
            print(f"{'page':<12} {'first s':>8} {'best s':>8}")
            for page in PAGES:
                first = _open(tab, f"{url}/{page}")
                best = min(_open(tab, f"{url}/{page}") for _ in range(args.repeat))
                print(f"{page or 'overview':<12} {first:>8.2f} {best:>8.2f}", flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
