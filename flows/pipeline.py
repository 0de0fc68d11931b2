"""The Prefect flow: discover → process shards → publish Parquet → load DuckDB → report.

Thin wiring.  Tasks pass paths and small reports; the shard work itself is
``flows.shards.process_shard``, a plain function.  Locally, shards run in a
process pool sized to the machine (only when there is more than one shard, so
small runs do not pay for starting it); on Dask (``--dask``) each shard task
runs the same function on a worker.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import secrets
import sys
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.futures import as_completed

from flows import interrupts
from flows.lock import run_lock
from flows.shards import process_shard
from schemas.models import SCHEMA_VERSION
from schemas.settings import RunSettings
from warehouse.failpoints import failpoint
from warehouse.layout import DataLayout
from warehouse.load import load_snapshot
from warehouse.mirror import mirror_snapshot
from warehouse.parquet_writer import ShardWriter
from warehouse.plan import plan_run
from warehouse.shard_spec import Counts, ShardReport
from warehouse.templates import write_known_templates
from warehouse.snapshots import collect_garbage, publish

#: Set by the flow for local multi-process runs; None on Dask workers (run inline there).
_SHARD_POOL: Executor | None = None


@dataclass(kw_only=True)
class RunSummary(Counts):
    run_id: str
    status: str = "completed"
    shards: int = 0
    load_mode: str = ""
    stage_seconds: dict[str, float] = field(default_factory=dict)
    elapsed_seconds: float = 0.0

    def as_rows(self) -> list[dict]:
        counts = {k: v for k, v in asdict(self).items() if k not in ("stage_seconds",)}
        return [{"metric": k, "value": str(v)} for k, v in counts.items()] + [
            {"metric": f"seconds_{k}", "value": f"{v:.2f}"} for k, v in self.stage_seconds.items()
        ]


def new_run_id(now: dt.datetime) -> str:
    """Sortable by time; the random tail keeps two runs in one microsecond apart."""
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(2)


@task(name="discover")
def discover_task(inputs: list[str], data_dir: str, run_id: str, ingest_date: str, settings: RunSettings):
    # two shards per worker at least: a run smaller than workers × shard_docs still
    # keeps every worker busy, and the last shard to finish is a short one
    return plan_run(
        inputs, DataLayout(data_dir), run_id, ingest_date, settings.shard_docs, min_shards=2 * settings.workers
    )


@task(name="process-shard")
def process_shard_task(spec_path: str, out_dir: str, run_id: str, ingest_date: str, settings: RunSettings) -> ShardReport:
    if _SHARD_POOL is not None:
        return _SHARD_POOL.submit(process_shard, spec_path, out_dir, run_id, ingest_date, settings).result()
    return process_shard(spec_path, out_dir, run_id, ingest_date, settings)


@task(name="publish-parquet")
def publish_task(data_dir: str, run_id: str, summary: RunSummary, started_at: dt.datetime, inputs: list[str]) -> str | None:
    layout = DataLayout(data_dir)
    out_dir = os.path.join(layout.staging_dir(run_id), "out")
    _write_run_row(out_dir, run_id, summary, started_at, inputs)
    return publish(layout, out_dir, run_id)


@task(name="load-duckdb")
def load_task(data_dir: str, run_id: str, parent: str | None) -> str:
    return load_snapshot(DataLayout(data_dir), run_id, parent, run_id)


@task(name="mirror-parquet")
def mirror_task(data_dir: str, snapshot_id: str, parquet_uri: str) -> dict[str, int]:
    return mirror_snapshot(DataLayout(data_dir), snapshot_id, parquet_uri)


@task(name="report")
def report_task(summary: RunSummary) -> None:
    create_table_artifact(
        key="newsetl-run-summary", table=summary.as_rows(),
        description=f"newsetl run {summary.run_id}: counts and seconds per stage",
    )


def _write_run_row(out_dir: str, run_id: str, summary: RunSummary, started_at: dt.datetime, inputs: list[str]) -> None:
    writer = ShardWriter(out_dir, f"{run_id}-run", started_at.date().isoformat())
    writer.add("runs", {
        "run_id": run_id, "started_at": started_at, "finished_at": dt.datetime.now(dt.timezone.utc),
        "status": summary.status, "inputs": " ".join(inputs),
        "n_seen": summary.seen, "n_processed": summary.processed, "n_skipped": summary.skipped,
        "n_quarantined": summary.quarantined, "n_paragraphs": summary.paragraphs,
        "n_quotes": summary.quotes, "n_removed_lines": summary.removed_lines,
        "schema_version": SCHEMA_VERSION,
    })
    writer.close()


@flow(name="newsetl", log_prints=False)
def newsetl_flow(
    inputs: list[str], data_dir: str = "data", settings: RunSettings | None = None,
    wait_for_lock: bool = False, progress: bool = False,
    parquet_uri: str | None = None, local_pool: bool = True,
) -> RunSummary:
    """Run the whole pipeline once over ``inputs`` into ``data_dir``.  Idempotent.

    ``parquet_uri`` (``s3://bucket/prefix``) also mirrors each published
    snapshot there.  ``local_pool=False`` runs shard tasks inline, for task
    runners that bring their own workers (Dask).
    """
    settings = settings or RunSettings()
    layout = DataLayout(os.path.abspath(data_dir))
    layout_root = layout.root
    os.makedirs(layout_root, exist_ok=True)
    clock = time.perf_counter()
    with run_lock(layout.lock_path, wait=wait_for_lock):
        layout.ensure()
        collect_garbage(layout)  # debris of a crashed run goes before anything new is written
        started_at = dt.datetime.now(dt.timezone.utc)
        run_id = new_run_id(started_at)
        ingest_date = started_at.date().isoformat()
        summary = RunSummary(run_id=run_id)
        stage = _StageClock(summary)

        plan = discover_task(list(inputs), layout_root, run_id, ingest_date, settings)
        summary.shards = len(plan.shard_specs)
        summary.add(plan.discover_report)
        summary.add(Counts(seen=plan.skipped_records, skipped=plan.skipped_records))
        write_known_templates(layout, layout.staging_dir(run_id))
        stage.done("discover")

        out_dir = os.path.join(layout.staging_dir(run_id), "out")
        pool_size = len(plan.shard_specs) if local_pool else 0
        with _shard_pool(settings, pool_size), _progress(progress, len(plan.shard_specs)) as bar:
            futures = [
                process_shard_task.submit(spec, out_dir, run_id, ingest_date, settings)
                for spec in plan.shard_specs
            ]
            for future in as_completed(futures):
                report = future.result()
                summary.add(report)
                bar(report)
        stage.done("transform_and_parquet")
        failpoint("flow:shards-done")

        parent = publish_task(layout_root, run_id, summary, started_at, list(inputs))
        stage.done("publish")
        summary.load_mode = load_task(layout_root, run_id, parent)
        stage.done("duckdb_load")
        if parquet_uri:
            mirror_task(layout_root, run_id, parquet_uri)
            stage.done("mirror")
        failpoint("flow:before-gc")
        collect_garbage(layout)
        summary.elapsed_seconds = time.perf_counter() - clock
        report_task(summary)
    get_run_logger().info(
        "run %s: seen %d = processed %d + skipped %d + quarantined %d",
        run_id, summary.seen, summary.processed, summary.skipped, summary.quarantined,
    )
    return summary


class _StageClock:
    def __init__(self, summary: RunSummary):
        self.summary = summary
        self.last = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.summary.stage_seconds[name] = round(now - self.last, 3)
        self.last = now


def _shard_pool(settings: RunSettings, n_shards: int):
    """A process pool when it pays (several shards, several workers); else inline."""
    stack = ExitStack()
    global _SHARD_POOL
    workers = min(settings.workers, n_shards)
    if workers > 1:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver"),
                                   initializer=interrupts.ignore_in_worker)
        _SHARD_POOL = pool

        def _close() -> None:
            global _SHARD_POOL
            _SHARD_POOL = None
            pool.shutdown(wait=True, cancel_futures=True)

        stack.callback(_close)
    return stack


@contextmanager
def _progress(enabled: bool, total: int):
    """Yields ``advance(report)``: a rich progress bar over shards on a terminal, else a no-op."""
    if not enabled or not sys.stderr.isatty() or total == 0:
        yield lambda report: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("shards"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[docs]:,} docs"), TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        bar = progress.add_task("shards", total=total, docs=0)
        yield lambda report: progress.update(
            bar, advance=1, docs=progress.tasks[bar].fields["docs"] + report.seen)
