"""The crash tests' corpus and check (test_crash_safety*.py): SIGKILL a run at a
moment; readers keep seeing the last complete state, and a re-run ends with every
table identical to the same run left uninterrupted.

The failpoints are split over two modules so that pytest-xdist runs them on both
workers (a module stays on one worker); each module builds its own corpus."""

from __future__ import annotations

import gzip
import json
import random
import shutil
import signal
import time
from pathlib import Path

import duckdb

from tests.conftest import SEEDS, newsetl
from warehouse.band_index import SEGMENT_SUFFIX, Segment
from warehouse.layout import DataLayout
from warehouse.query import parquet_connection
from warehouse.snapshots import shard_name

#: Named points where the run is killed (see warehouse/failpoints.py), in run order:
#: while inputs are planned and shards written (the shard ones fire in a pool worker) …
SHARD_FAILPOINTS = [
    "discover:listed",
    "discover:planned",
    "shard:after-100-docs",
    "shard:before-close",
    "shard:closed",
    "flow:shards-done",
]
#: … and while the snapshot is published and DuckDB loaded (in the run's main process).
PUBLISH_FAILPOINTS = [
    "publish:carried-over",
    "load:copied",
    "load:before-commit",
    "flow:before-publish",
    "publish:before-swap",
    "publish:swapped",
    "load:before-rename",
    "load:committed",
    "flow:before-gc",
]
#: Plus kills at these fractions of a full run's wall time, wherever the run is then.
TIMED_FRACTIONS = [0.35, 0.6, 0.85]

STATE_QUERIES = {
    # near_duplicate_of: the pages share a seed's text, so they form near-duplicate clusters
    "documents": "SELECT source_id, doc_id, title, n_paragraphs, n_quotes, near_duplicate_of FROM {documents}",
    "document_bands": "SELECT doc_id, band, band_hash FROM {document_bands}",
    "paragraphs": "SELECT doc_id, ordinal, kind, text FROM {paragraphs}",
    "quotes": "SELECT doc_id, paragraph_ordinal, quote_group, text, speaker_name FROM {quotes}",
    "removed_lines": "SELECT doc_id, line_no, rule FROM {removed_lines}",
    "quarantine": "SELECT source, stage, reason FROM {quarantine}",
    "inputs": "SELECT uri, content_hash, n_records FROM {inputs}",
}
#: Corpus sizes: several shards in each run (v1 3, v2 5), one shard past the
#: shard:after-100-docs failpoint, changed, new, unchanged and JSONL inputs.
V1_PAGES, CHANGED_EVERY, NEW_PAGES, NEW_RECORDS, SHARD_DOCS = 450, 30, 150, 60, "150"
WORDS = "council budget school library park vote mayor debate city plan river bridge tax court".split()


def _fingerprint(con: duckdb.DuckDBPyConnection, tables: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Per table: (row count, order-independent hash of the rows)."""
    out = {}
    for table, sql in STATE_QUERIES.items():
        inner = sql.format(**tables)
        out[table] = con.execute(f"SELECT count(*), coalesce(sum(hash(r)), 0) FROM ({inner}) AS r").fetchone()
    return out


def duckdb_state(data_dir: Path) -> dict | None:
    path = data_dir / "news.duckdb"
    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        if not con.execute("SELECT count(*) FROM _loaded").fetchone()[0]:
            return None
        return _fingerprint(con, {t: t for t in STATE_QUERIES})
    finally:
        con.close()


def parquet_state(data_dir: Path) -> dict | None:
    """What a dashboard reading DIR/parquet sees."""
    root = data_dir / "parquet"
    if not root.exists():
        return None
    segments = [p for p in root.rglob("*") if p.parent.name == "band_index" and p.name.endswith(SEGMENT_SUFFIX)]
    stray = [p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".parquet") and p not in segments]
    assert not stray, f"non-Parquet files visible to readers: {stray}"
    # the band index is whole: every segment opens and checks, and they hold every band file
    covered = set().union(*(Segment(str(p)).shards for p in segments))
    bands = [p for p in (root / "document_bands").rglob("*.parquet") if not p.name.startswith("empty-")]
    assert {shard_name(str(p)) for p in bands} <= covered, "band files outside the band index"
    con = parquet_connection(DataLayout(str(data_dir)))
    try:
        return _fingerprint(con, {t: t for t in STATE_QUERIES})
    finally:
        con.close()


def _page(rng: random.Random, base: str, i: int) -> str:
    extra = " ".join(rng.choice(WORDS) for _ in range(40)).capitalize()
    return f"{base}\n\nStory number {i} adds this paragraph: {extra}.\n"


def build_corpus(tmp_path_factory, workers: int) -> dict:
    """v1 = V1_PAGES pages; v2 = v1 with every CHANGED_EVERY-th page changed, plus
    NEW_PAGES pages, a JSONL of NEW_RECORDS records and a binary file.  Every run of the
    corpus, killed or not, uses ``workers`` shard processes (1: inline, no pool)."""
    root = tmp_path_factory.mktemp("crash")
    run_options = ("--shard-docs", SHARD_DOCS, "--workers", str(workers))
    rng = random.Random(11)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    inputs = root / "inputs"
    for i in range(V1_PAGES):
        path = inputs / "a" / f"{i // 150:02d}" / f"page{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page(rng, seeds[i % 2], i), encoding="utf-8")
    base_dir = root / "base"
    newsetl("run", inputs, "--data-dir", base_dir, *run_options, check=True)
    # v2
    for i in range(0, V1_PAGES, CHANGED_EVERY):
        path = inputs / "a" / f"{i // 150:02d}" / f"page{i:05d}.txt"
        path.write_text(_page(rng, seeds[(i + 1) % 2], i + 100_000), encoding="utf-8")
    for i in range(NEW_PAGES):
        path = inputs / "b" / f"page{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page(rng, seeds[i % 2], 200_000 + i), encoding="utf-8")
    records = [
        json.dumps({"id": f"rec-{i}", "text": _page(rng, seeds[i % 2], 300_000 + i), "publisher": "example.org"})
        for i in range(NEW_RECORDS)
    ]
    (inputs / "b" / "records.jsonl.gz").write_bytes(gzip.compress("\n".join(records).encode()))
    (inputs / "b" / "broken.txt").write_bytes(b"\x00\x01\x02 binary")
    # The reference is the same run left alone: from the same v1 state, because a run also
    # learns from the warehouse it starts from (publisher templates of earlier runs).
    clean_dir = root / "clean"
    shutil.copytree(base_dir, clean_dir, symlinks=True)
    started = time.monotonic()
    newsetl("run", inputs, "--data-dir", clean_dir, *run_options, check=True)
    full_run_seconds = time.monotonic() - started
    return {
        "root": root,
        "inputs": inputs,
        "run_options": run_options,
        "base_dir": base_dir,
        "full_run_seconds": full_run_seconds,
        "base": duckdb_state(base_dir),
        "clean": duckdb_state(clean_dir),
    }


def kill_and_recover(corpus, name: str, env_extra=None, kill_after=None) -> None:
    data_dir = corpus["root"] / f"run-{name.replace(':', '-')}"
    shutil.copytree(corpus["base_dir"], data_dir, symlinks=True)
    killed = newsetl(
        "run", corpus["inputs"], "--data-dir", data_dir, *corpus["run_options"], env=env_extra, kill_after=kill_after
    )
    if kill_after is None:
        assert killed.returncode == -signal.SIGKILL, (
            f"failpoint {name} was not reached (exit {killed.returncode})\n{killed.stderr[-2000:]}"
        )
    # Between the kill and the re-run, readers see a complete state: the last one, or the new one.
    complete = (corpus["base"], corpus["clean"])
    assert parquet_state(data_dir) in complete, f"Parquet half-written after kill at {name}"
    assert duckdb_state(data_dir) in complete, f"DuckDB half-loaded after kill at {name}"
    newsetl("sql", "SELECT count(*) FROM documents", "--data-dir", data_dir, "--format", "csv", check=True)
    # The re-run completes and ends where the uninterrupted run ends.
    newsetl("run", corpus["inputs"], "--data-dir", data_dir, *corpus["run_options"], check=True)
    assert duckdb_state(data_dir) == corpus["clean"], f"DuckDB differs after recovery from {name}"
    assert parquet_state(data_dir) == corpus["clean"], f"Parquet differs after recovery from {name}"
    assert not list((data_dir / ".staging").iterdir()), "staging debris left behind"
    shutil.rmtree(data_dir)


def assert_states_differ(corpus) -> None:
    """Guard: the corpus really changes the data, so the checks can fail."""
    assert corpus["base"] != corpus["clean"]
    assert corpus["clean"]["documents"][0] == V1_PAGES + NEW_PAGES + NEW_RECORDS
    assert corpus["clean"]["quarantine"][0] == 1
    assert corpus["clean"]["document_bands"][0] > 0
