"""``newsetl dashboard`` in a real headless Chromium (Debian's, driven by Playwright).

One data directory made by a real run (the seeds, a few generated pages and a
binary file that is quarantined), one dashboard server and one browser for the
module.  Every number a page shows is compared with the answer of ``news.duckdb``
(the dashboard itself reads the Parquet snapshot, so the two paths are apart).
Screenshots of each page go to the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS, newsetl, query, start_newsetl

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BINARY_PAGE = b"\x00\x01\x02\x03 not a page \xff\xfe"

pytestmark = pytest.mark.timeout(300)

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: `make setup-test` installs it (apt-get install chromium, as root)")
    pytest.skip(f"no {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, prefect_api):
    inputs = tmp_path_factory.mktemp("dashboard-inputs")
    shutil.copytree(SEEDS, inputs / "seeds")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate_corpus.py"),
            "--n",
            "3",
            "--kinds",
            "txt,html",
            "--out",
            str(inputs / "generated"),
            "--jobs",
            "1",
        ],
        check=True,
        capture_output=True,
    )
    (inputs / "bad").mkdir()
    (inputs / "bad" / "binary.txt").write_bytes(BINARY_PAGE)
    target = tmp_path_factory.mktemp("dashboard-data") / "data"
    run = newsetl("run", inputs / "seeds", inputs / "generated", inputs / "bad", "--data-dir", target, timeout=240)
    assert run.returncode == 0, run.stderr
    return target


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url(data_dir, tmp_path_factory):
    port = _free_port()
    log = open(tmp_path_factory.mktemp("dashboard-log") / "dashboard.log", "w+")  # noqa: SIM115  (the server's log)
    server = start_newsetl("dashboard", "--data-dir", data_dir, "--port", port, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            log.seek(0)
            raise AssertionError(f"the dashboard did not start:\n{log.read()}")
        time.sleep(0.3)
    yield url
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, dashboard_url, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.base_url, tab.shots = dashboard_url, tmp_path  # what the helpers below need
    yield tab
    context.close()


def _settle(tab) -> None:
    """Wait until Streamlit has finished running the script for what was asked."""
    tab.wait_for_selector('[data-testid="stMetricValue"]')
    tab.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    tab.wait_for_timeout(300)  # a rerun that starts right after an input is sent
    tab.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")


def _open(tab, path: str) -> None:
    tab.goto(f"{tab.base_url}/{path}")
    _settle(tab)


def _shot_and_check(tab, name: str) -> None:
    tab.screenshot(path=str(tab.shots / f"{name}.png"), full_page=True)
    assert tab.locator('[data-testid="stException"]').count() == 0, tab.locator(
        '[data-testid="stException"]'
    ).all_inner_texts()
    assert "Traceback" not in tab.inner_text("body")


def _metrics(tab) -> dict[str, str]:
    labels = tab.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = tab.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip().replace(",", "") for label, value in zip(labels, values)}


def _one(data_dir, sql: str, params=None):
    return query(data_dir, sql, params)[0]


def test_every_page_shows_the_numbers_sql_gives_and_no_exception(page, data_dir):
    documents, paragraphs, quotes, removed, quarantined = _one(
        data_dir,
        """
        SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM paragraphs), (SELECT count(*) FROM quotes),
               (SELECT count(*) FROM removed_lines), (SELECT count(*) FROM quarantine)""",
    )
    assert min(documents, paragraphs, quotes, removed, quarantined) > 0
    speech, speakers = _one(
        data_dir,
        """SELECT count(*) FILTER (WHERE kind <> 'scare'),
        count(DISTINCT coalesce(speaker_name, speaker)) FROM quotes""",
    )
    rules, removal_docs = _one(data_dir, "SELECT count(DISTINCT rule), count(DISTINCT doc_id) FROM removed_lines")
    runs, (status, seen) = (
        _one(data_dir, "SELECT count(*) FROM runs")[0],
        _one(data_dir, "SELECT status, n_seen FROM runs ORDER BY started_at DESC LIMIT 1"),
    )
    stages, reasons = _one(data_dir, "SELECT count(DISTINCT stage), count(DISTINCT reason) FROM quarantine")
    expected = {
        "": {
            "Documents": documents,
            "Paragraphs": paragraphs,
            "Quotes": quotes,
            "Removed lines": removed,
            "Quarantined inputs": quarantined,
        },
        "quotes": {"Quotes": quotes, "Direct and partial": speech, "Speakers": speakers},
        "boilerplate": {"Removed lines": removed, "Rules that fired": rules, "Documents": removal_docs},
        "runs": {"Runs": runs, "Last run": status, "Last run seen": seen},
        "quarantine": {"Quarantined inputs": quarantined, "Stages": stages, "Reasons": reasons},
    }
    for path, numbers in expected.items():
        _open(page, path)
        _shot_and_check(page, path or "overview")
        shown = _metrics(page)
        assert {label: shown.get(label) for label in numbers} == {k: str(v) for k, v in numbers.items()}, path
        assert page.locator('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]').count() > 0, path


@pytest.mark.parametrize("speaker", ["Josh Earnest", "Dmitri Trenin"])
def test_speaker_search_finds_the_seeds_quotes(page, data_dir, speaker):
    rows = query(
        data_dir,
        """SELECT q.text, d.title FROM quotes q JOIN documents d USING (doc_id)
                              WHERE coalesce(q.speaker_name, q.speaker) = ? ORDER BY q.text""",
        [speaker],
    )
    assert rows, f"the seeds quote {speaker}"
    _open(page, "quotes")
    box = page.get_by_label("Speaker or words of a quote")
    box.fill(speaker)
    box.press("Enter")
    page.get_by_text("quotes match").wait_for()
    _settle(page)
    _shot_and_check(page, f"search-{speaker.replace(' ', '_')}")
    body = page.inner_text("body")
    matching = _one(
        data_dir,
        """SELECT count(*) FROM quotes WHERE speaker_name ILIKE '%' || $1 || '%'
                                 OR speaker ILIKE '%' || $1 || '%' OR text ILIKE '%' || $1 || '%'""",
        [speaker],
    )[0]
    assert f"{matching:,} quotes match" in body
    for text, title in rows:
        assert text[:60] in body and (title or "(untitled)") in body


def test_document_view_shows_removed_lines_with_their_rules(page, data_dir):
    (doc_id,) = _one(data_dir, "SELECT doc_id FROM documents WHERE source_id LIKE '%000_baf19a50518b6e72%'")
    removed = query(data_dir, "SELECT rule, text FROM removed_lines WHERE doc_id = ?", [doc_id])
    assert removed
    _open(page, "boilerplate")
    box = page.get_by_label("Source id or title contains")
    box.fill("000_baf19a50518b6e72")
    box.press("Enter")
    table = page.locator("table.lines")
    table.wait_for()
    _settle(page)
    _shot_and_check(page, "document")

    def words(text: str) -> str:  # HTML shows runs of spaces as one
        return " ".join(text.split())

    shown = {
        (words(row.locator("td").nth(2).inner_text()), words(row.locator("td").nth(3).inner_text()))
        for row in table.locator("tr.removed").all()
    }
    assert shown == {(rule, words(text)) for rule, text in removed}
    kept = _one(data_dir, "SELECT count(*) FROM paragraphs WHERE doc_id = ?", [doc_id])[0]
    assert table.locator("tr.kept").count() == kept
    assert f"{kept} kept, {len(removed)} removed" in page.inner_text("body")


def test_quarantined_payload_downloads_as_it_was(page):
    _open(page, "quarantine")
    _shot_and_check(page, "quarantine-detail")
    with page.expect_download() as download:
        page.get_by_text("Download payload").click()
    assert Path(download.value.path()).read_bytes() == BINARY_PAGE


def test_bad_command_lines_exit_2_with_one_line(tmp_path):
    missing = newsetl("dashboard", "--data-dir", tmp_path / "nowhere", timeout=60)
    assert missing.returncode == 2 and "no data directory" in missing.stderr and "Traceback" not in missing.stderr
    bad_port = newsetl("dashboard", "--port", "0", timeout=60)
    assert bad_port.returncode == 2 and "Traceback" not in bad_port.stderr


def test_readme_example_analyses_run_alike_on_duckdb_and_parquet(data_dir):
    from warehouse.layout import DataLayout
    from warehouse.query import parquet_reader

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("**Three example analyses**", 1)[1].split("```sql", 1)[1].split("```", 1)[0]
    statements = [s.strip() for s in block.split(";") if s.strip()]
    assert len(statements) == 3
    con = parquet_reader(DataLayout(str(data_dir)))
    for sql in statements:
        assert sorted(map(str, query(data_dir, sql))) == sorted(map(str, con.execute(sql).fetchall())), sql
    assert con.execute(statements[2]).fetchall()  # the quarantined binary file
    con.close()
