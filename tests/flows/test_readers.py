"""What a reader sees is complete and current, whatever holds the files open (issue 13).

Real processes throughout: the ``newsetl`` CLI, and readers in processes of their
own (a DuckDB client holding ``news.duckdb``, readers looping over the Parquet
with pandas, polars, pyarrow and DuckDB while runs go on).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from schemas.arrow import arrow_schema
from schemas.models import TABLES
from tests.conftest import ROOT, SEEDS, query

WORDS = "council budget school library park vote mayor debate city plan river bridge tax court".split()


def _write_pages(directory: Path, count: int, version: int) -> None:
    """``count`` text pages built from the seeds, changed whenever ``version`` changes."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        extra = " ".join(WORDS[(i + version + k) % len(WORDS)] for k in range(12))
        text = seeds[i % len(seeds)].replace("\n\n", f"\n\nThe {extra} story, part {i}, edition {version}.\n\n", 1)
        (directory / f"page{i:04d}.txt").write_text(text, encoding="utf-8")


def _spawn(code: str, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


# --------------------------------------------------------------------------
# 1. A reader holding news.duckdb never breaks a run, and keeps its view
# --------------------------------------------------------------------------

HOLDER = """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)  # a notebook, DBeaver, duckdb -readonly
    print(con.execute("SELECT count(*) FROM documents").fetchone()[0], flush=True)
    sys.stdin.readline()  # hold the file open until told
    print(con.execute("SELECT count(*) FROM documents").fetchone()[0], flush=True)
    print(con.execute("SELECT count(*) FROM runs").fetchone()[0], flush=True)
"""


def test_a_reader_holding_the_database_does_not_break_runs(cli, tmp_path):
    inputs, data_dir = tmp_path / "pages", tmp_path / "data"
    _write_pages(inputs / "a", 6, version=0)
    cli("run", inputs, "--data-dir", data_dir)
    holder = _spawn(HOLDER, data_dir / "news.duckdb")
    try:
        assert holder.stdout.readline().strip() == "6"
        _write_pages(inputs / "b", 4, version=0)
        for _ in range(2):  # a served schedule: every tick succeeds while the reader stays
            result = cli("run", inputs, "--data-dir", data_dir, check=False)
            assert result.returncode == 0, result.stderr
        out, err = holder.communicate("\n", timeout=60)
    finally:
        holder.kill()
    assert holder.returncode == 0, err
    assert out.split() == ["6", "1"], "the holder's view changed under it"
    assert query(data_dir, "SELECT count(*) FROM documents")[0][0] == 10  # new readers see the new run
    assert query(data_dir, "SELECT status FROM runs ORDER BY run_id") == [("completed",)] * 3


# --------------------------------------------------------------------------
# 2. After a killed load, readers answer from the current snapshot and say so
# --------------------------------------------------------------------------


def test_after_a_killed_load_readers_answer_from_the_published_snapshot(cli, tmp_path):
    inputs, data_dir = tmp_path / "pages", tmp_path / "data"
    _write_pages(inputs, 3, version=0)
    cli("run", inputs, "--data-dir", data_dir)
    _write_pages(inputs / "more", 2, version=0)
    killed = cli(
        "run", inputs, "--data-dir", data_dir, check=False, env={"NEWSETL_FAILPOINT": "load:before-rename"}
    )  # Parquet published, DuckDB not yet
    assert killed.returncode < 0
    assert query(data_dir, "SELECT count(*) FROM documents")[0][0] == 3  # the file itself is the old one

    result = cli("sql", "SELECT count(*) AS n FROM documents", "--data-dir", data_dir, "--format", "csv")
    assert result.stdout.splitlines()[1] == "5"
    published = os.path.basename(os.readlink(data_dir / "parquet"))
    assert f"answering from the Parquet snapshot {published}" in result.stderr
    source_id = str(inputs / "more" / "page0001.txt")
    explained = cli("explain", source_id, "--data-dir", data_dir)
    assert explained.stdout.startswith(f"# {source_id}") and "Parquet snapshot" in explained.stderr

    cli("run", inputs, "--data-dir", data_dir)  # the next run brings the file up to date
    result = cli("sql", "SELECT count(*) AS n FROM documents", "--data-dir", data_dir, "--format", "csv")
    assert result.stdout.splitlines()[1] == "5" and result.stderr == ""


def test_a_database_never_loaded_is_not_taken_for_current(cli, tmp_path):
    """A file with empty tables (as an interrupted first load once left) is no answer."""
    inputs, data_dir = tmp_path / "pages", tmp_path / "data"
    _write_pages(inputs, 2, version=0)
    cli("run", inputs, "--data-dir", data_dir)
    os.remove(data_dir / "news.duckdb")
    duckdb.connect(str(data_dir / "news.duckdb")).execute("CREATE TABLE documents (doc_id VARCHAR)").close()
    result = cli("sql", "SELECT count(*) AS n FROM documents", "--data-dir", data_dir, "--format", "csv")
    assert result.stdout.splitlines()[1] == "2" and "Parquet snapshot" in result.stderr


# --------------------------------------------------------------------------
# 3. Readers looping over the Parquet during several runs: zero errors
# --------------------------------------------------------------------------

LOOPING_READER = """
    import os, sys, time, traceback
    import duckdb, pandas as pd, polars as pl, pyarrow.dataset as ds, pyarrow.parquet as pq
    data_dir, reader, stop_file = sys.argv[1], sys.argv[2], sys.argv[3]
    reads = errors = 0
    while not os.path.exists(stop_file):
        try:
            # the reading recipe (README): resolve the link once, then list and read under it
            root = os.path.realpath(os.path.join(data_dir, "parquet"))
            table = os.path.join(root, "paragraphs")
            if reader == "pyarrow":
                dataset = ds.dataset(table, partitioning="hive")
                time.sleep(0.3)  # list now, read later
                n = dataset.to_table().num_rows
            elif reader == "pandas":
                n = len(pd.read_parquet(table))
            elif reader == "polars":
                n = pl.scan_parquet(table + "/**/*.parquet").select(pl.len()).collect().item()
            else:
                n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{table}/**/*.parquet')").fetchall()[0][0]
            assert n > 0, "empty read"
            reads += 1
        except Exception:
            errors += 1
            traceback.print_exc()
        # a pause between reads: four readers spinning flat out took both cores from the
        # runs they read beside (the test took minutes); a dashboard refreshes far slower
        time.sleep(0.05)
    print(reads, errors)
"""


@pytest.mark.slow
def test_readers_looping_during_runs_never_fail(cli, tmp_path):
    inputs, data_dir = tmp_path / "pages", tmp_path / "data"
    _write_pages(inputs, 40, version=0)
    cli("run", inputs, "--data-dir", data_dir, "--shard-docs", "10")
    stop = tmp_path / "stop"
    readers = {name: _spawn(LOOPING_READER, data_dir, name, stop) for name in ("pyarrow", "pandas", "polars", "duckdb")}
    try:
        for version in range(1, 4):  # every run changes some inputs: files are rewritten, snapshots retired
            for i in range(0, 40, 7):
                (inputs / f"page{i:04d}.txt").write_text(f"Edition {version} of page {i}.\n\n" + " ".join(WORDS) * 3)
            cli(
                "run", inputs, "--data-dir", data_dir, "--shard-docs", "10", env={"NEWSETL_SNAPSHOT_GRACE_SECONDS": "0"}
            )  # only the guaranteed previous snapshot kept
        stop.write_text("")
        results = {name: reader.communicate(timeout=120) for name, reader in readers.items()}
    finally:
        for reader in readers.values():
            reader.kill()
    for name, (out, err) in results.items():
        reads, errors = map(int, out.split())
        assert reads > 0 and errors == 0, f"{name}: {errors} errors in {reads + errors} reads\n{err[-3000:]}"
    assert len(os.listdir(data_dir / ".snapshots")) == 2, "the grace period keeps the previous snapshot only"


def test_superseded_snapshots_stay_for_the_grace_period(cli, tmp_path):
    inputs, data_dir = tmp_path / "pages", tmp_path / "data"
    _write_pages(inputs, 2, version=0)
    for version in range(3):
        (inputs / "page0000.txt").write_text(f"Edition {version}.\n\n" + " ".join(WORDS))
        cli("run", inputs, "--data-dir", data_dir)
    assert len(os.listdir(data_dir / ".snapshots")) == 3  # within the default hour, none removed
    cli("run", inputs, "--data-dir", data_dir, env={"NEWSETL_SNAPSHOT_GRACE_SECONDS": "0"})
    assert len(os.listdir(data_dir / ".snapshots")) == 2  # the published one and the one before it


# --------------------------------------------------------------------------
# 4. Every table opens with every standard reader, with default options
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, prefect_api):
    """A clean run: ``quarantine`` is empty, the other tables are not."""
    from flows.pipeline import newsetl_flow

    root = tmp_path_factory.mktemp("readers")
    _write_pages(root / "pages", 4, version=0)
    data_dir = root / "data"
    newsetl_flow([str(root / "pages")], data_dir=str(data_dir))
    return data_dir


def _readers(table_dir: str) -> dict[str, pa.Table]:
    """The table as each reader returns it with default options, as Arrow for comparison."""
    return {
        "pyarrow.parquet.read_table": pq.read_table(table_dir),
        "pyarrow.dataset(hive)": ds.dataset(table_dir, partitioning="hive").to_table(),
        "polars.read_parquet": pl.read_parquet(table_dir).to_arrow(),
        "polars.scan_parquet glob": pl.scan_parquet(table_dir + "/**/*.parquet").collect().to_arrow(),
        "duckdb glob": duckdb.sql(f"SELECT * FROM read_parquet('{table_dir}/**/*.parquet')").to_arrow_table(),
    }


def _kind(arrow_type: pa.DataType) -> str:
    """Type family, as readers map types differently (large_string, ns timestamps, category)."""
    if pa.types.is_dictionary(arrow_type):
        return _kind(arrow_type.value_type)
    if pa.types.is_map(arrow_type):  # the entries' name differs by writer
        return f"map of {_kind(arrow_type.key_type)} to {_kind(arrow_type.item_type)}"
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):  # the item's name differs by writer
        item = arrow_type.value_type
        if pa.types.is_struct(item) and [f.name for f in item] == ["key", "value"]:
            # polars has no map type: it reads a Parquet MAP as a list of key/value structs
            return f"map of {_kind(item.field('key').type)} to {_kind(item.field('value').type)}"
        return f"list of {_kind(item)}"
    for name, check in (
        ("string", pa.types.is_string),
        ("string", pa.types.is_large_string),
        ("string", pa.types.is_string_view),
        ("date", pa.types.is_date),
        ("timestamp", pa.types.is_timestamp),
        ("integer", pa.types.is_integer),
        ("float", pa.types.is_floating),
        ("bool", pa.types.is_boolean),
        ("binary", pa.types.is_binary),
        ("binary", pa.types.is_large_binary),
        ("binary", pa.types.is_binary_view),
    ):
        if check(arrow_type):
            return name
    return str(arrow_type)


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_opens_with_every_reader(warehouse, table):
    table_dir = os.path.realpath(warehouse / "parquet" / table)
    expected_rows = query(warehouse, f"SELECT count(*) FROM {table}")[0][0]
    expected = {f.name: _kind(f.type) for f in arrow_schema(table)}
    if table == "quarantine":
        assert expected_rows == 0  # the empty table case
    for reader, data in _readers(table_dir).items():
        assert data.num_rows == expected_rows, (reader, table)
        got = {f.name: _kind(f.type) for f in data.schema}
        assert got == expected, (reader, table)
    frame = pd.read_parquet(table_dir)  # pandas has no date dtype: dates are datetime.date objects
    assert len(frame) == expected_rows
    # pandas' own mapping of the model's types (an integer column holding nulls becomes float64)
    assert frame.dtypes.to_dict() == pq.read_table(table_dir).to_pandas().dtypes.to_dict()
    if expected_rows:
        assert type(frame["ingest_date"].iloc[0]) is dt.date  # a date, not a folder-name string


def test_published_at_is_a_timestamp_everywhere(warehouse):
    rows = query(warehouse, "SELECT typeof(published_at) FROM documents LIMIT 1")
    assert rows == [("TIMESTAMP WITH TIME ZONE",)]
    frame = pl.read_parquet(os.path.realpath(warehouse / "parquet" / "documents"))
    assert frame.schema["published_at"] == pl.Datetime("us", "UTC")
    assert frame.schema["ingest_date"] == pl.Date


ARTICLE_PARAGRAPHS = [
    "The harbour board approved the new ferry timetable on Monday after a long public consultation.",
    "\u201cThe early crossing stays, and the late one comes back,\u201d board chair Maria Olsen said after the vote.",
    "Ferries will run every forty minutes in summer, with extra sailings on market days and holidays.",
]


def _html_page(head: str) -> str:
    return (
        f"<html><head>{head}</head><body><article>"
        + "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
        + "</article></body></html>"
    )


def test_publisher_and_published_at_from_every_input_kind(cli, tmp_path):
    """Dashboards group by publisher and by day (issue 13, item 10): ``publisher`` comes
    from the record, else the page's site name, else its URL's registrable domain, and
    ``published_at`` is one UTC timestamp whatever form the date was written in."""
    inputs, data_dir = tmp_path / "in", tmp_path / "data"
    inputs.mkdir()
    (inputs / "named.html").write_text(
        _html_page(
            '<meta property="og:site_name" content="The Harbour Courier">'
            '<link rel="canonical" href="https://www.harbourcourier.co.uk/ferries">'
            '<meta property="article:published_time" content="2024-03-05">'
        ),
        encoding="utf-8",
    )
    (inputs / "canonical.html").write_text(
        _html_page(
            '<link rel="canonical" href="https://news.rivertown.co.uk/2024/ferries">'
            '<meta property="article:published_time" content="2024-03-05T10:00:00+02:00">'
        ),
        encoding="utf-8",
    )
    (inputs / "plain.txt").write_text("\n\n".join(ARTICLE_PARAGRAPHS), encoding="utf-8")
    text = "\n\n".join(ARTICLE_PARAGRAPHS)
    (inputs / "feed.jsonl").write_text(
        "\n".join(
            json.dumps(record)
            for record in [
                {
                    "id": "given",
                    "text": text,
                    "publisher": "Valley Times",
                    "url": "https://www.other.com/a",
                    "published_at": "Tue, 05 Mar 2024 10:00:00 GMT",
                },
                {"id": "from-url", "text": text + " Second edition.", "url": "https://edition.lakeside.com/b"},
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    cli("run", inputs, "--data-dir", data_dir)
    rows = query(
        data_dir,
        "SELECT source_id, publisher, strftime(timezone('UTC', published_at), '%Y-%m-%d %H:%M') FROM documents",
    )
    got = {Path(source_id).name: (publisher, published) for source_id, publisher, published in rows}
    assert got == {
        "named.html": ("The Harbour Courier", "2024-03-05 00:00"),  # a bare day is its midnight, UTC
        "canonical.html": ("rivertown.co.uk", "2024-03-05 08:00"),  # the registrable domain, not news.
        "plain.txt": (None, None),  # a text file names neither its site nor its URL
        "given": ("Valley Times", "2024-03-05 10:00"),
        "from-url": ("lakeside.com", None),
    }
    assert query(data_dir, "SELECT DISTINCT typeof(published_at) FROM documents") == [("TIMESTAMP WITH TIME ZONE",)]


def test_no_folder_name_repeats_a_column(warehouse):
    """The Spark rule: a partition value lives in one place.  Ours is the column."""
    for path in Path(os.path.realpath(warehouse / "parquet")).rglob("*"):
        assert "=" not in path.name, path


def test_run_summary_json_has_the_stages(cli, tmp_path):
    inputs, data_dir = tmp_path / "pages", tmp_path / "data"
    _write_pages(inputs, 2, version=0)
    cli("run", inputs, "--data-dir", data_dir, "--summary-json", tmp_path / "s.json")
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["stage_seconds"]["prefect_start"] > 0
    assert summary["elapsed_seconds"] >= sum(summary["stage_seconds"].values()) - 0.5
