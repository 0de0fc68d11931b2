"""The Prefect flow: discover → process shards → build snapshot and DuckDB → publish → report.

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
from schemas.models import SCHEMA_VERSION, RunRow
from schemas.settings import RunSettings
from warehouse import history
from warehouse.failpoints import failpoint
from warehouse.layout import DataLayout, new_run_id
from warehouse.load import build_database, finish_database, publish_database
from warehouse.mirror import mirror_snapshot
from warehouse.plan import RunPlan, plan_run
from warehouse.recovery import restore_published_snapshot
from warehouse.shard_spec import Counts, ShardReport
from warehouse.snapshots import (
    add_files,
    build_snapshot,
    collect_garbage,
    discard_unpublished,
    publish_snapshot,
    seal_snapshot,
)
from warehouse.templates import write_known_templates
from warehouse.versions import check_schema_version, migrate

#: Set by the flow for local multi-process runs; None on Dask workers (run inline there).
_SHARD_POOL: Executor | None = None


@dataclass(kw_only=True)
class RunSummary(Counts):
    run_id: str
    status: str = "completed"
    error: str | None = None
    shards: int = 0
    load_mode: str = ""
    stage_seconds: dict[str, float] = field(default_factory=dict)
    elapsed_seconds: float = 0.0  # the command's wall time, Prefect's start-up included
    earlier_runs_recorded: int = 0  # failed or aborted runs whose rows this run published
    notes: list[str] = field(default_factory=list)  # repairs the run made (one line each, told on stderr)

    def as_rows(self) -> list[dict]:
        counts = {k: v for k, v in asdict(self).items() if k not in ("stage_seconds", "notes")}
        return [{"metric": k, "value": str(v)} for k, v in counts.items()] + [
            {"metric": f"seconds_{k}", "value": f"{v:.2f}"} for k, v in self.stage_seconds.items()
        ]


@task(name="discover-and-plan")
def plan_task(inputs: list[str], data_dir: str, run_id: str, ingest_date: str, settings: RunSettings) -> RunPlan:
    """List the inputs, diff them against the manifest and write the shard specs."""
    # two shards per worker at least: a run smaller than workers × shard_docs still
    # keeps every worker busy, and the last shard to finish is a short one
    return plan_run(
        inputs, DataLayout(data_dir), run_id, ingest_date, settings.shard_docs, min_shards=2 * settings.workers
    )


@task(name="process-shard")
def process_shard_task(
    spec_path: str, out_dir: str, run_id: str, ingest_date: str, settings: RunSettings
) -> ShardReport:
    if _SHARD_POOL is not None:
        return _SHARD_POOL.submit(process_shard, spec_path, out_dir, run_id, ingest_date, settings).result()
    return process_shard(spec_path, out_dir, run_id, ingest_date, settings)


@task(name="build-snapshot")
def build_snapshot_task(data_dir: str, staged_dir: str, run_id: str) -> tuple[str, str | None, list[str]]:
    return build_snapshot(DataLayout(data_dir), staged_dir, run_id)


@task(name="build-duckdb")
def build_duckdb_task(data_dir: str, snapshot_dir: str, parent: str | None, run_id: str) -> tuple[str, str, str | None]:
    return build_database(DataLayout(data_dir), snapshot_dir, parent, run_id)


@task(name="mirror-parquet")
def mirror_task(data_dir: str, run_id: str, local_root: str, parquet_uri: str) -> dict[str, int]:
    return mirror_snapshot(DataLayout(data_dir), run_id, parquet_uri, local_root=local_root)


@task(name="report")
def report_task(summary: RunSummary) -> None:
    create_table_artifact(
        key="newsetl-run-summary",
        table=summary.as_rows(),
        description=f"newsetl run {summary.run_id}: counts and seconds per stage",
    )


@flow(name="newsetl", log_prints=False)
def newsetl_flow(
    inputs: list[str],
    data_dir: str = "data",
    settings: RunSettings | None = None,
    wait_for_lock: bool = False,
    progress: bool = False,
    parquet_uri: str | None = None,
    local_pool: bool = True,
    launched_at: float | None = None,
    announce: bool = False,
) -> RunSummary:
    """Run the whole pipeline once over ``inputs`` into ``data_dir``.  Idempotent.

    ``parquet_uri`` (``s3://bucket/prefix``) also mirrors each published
    snapshot there.  ``local_pool=False`` runs shard tasks inline, for task
    runners that bring their own workers (Dask).  ``launched_at`` (a
    ``time.time()``) is when the command started: Prefect's start-up is the time
    from then to here.  ``announce`` prints one line per run on stdout (``serve``).
    """
    flow_started = time.time()
    settings = settings or RunSettings()
    layout = DataLayout(os.path.abspath(data_dir))
    layout_root = layout.root
    os.makedirs(layout_root, exist_ok=True)
    with run_lock(layout.lock_path, wait=wait_for_lock):
        layout.ensure()
        repaired = restore_published_snapshot(layout)  # before anything could take a lost snapshot for none
        version = check_schema_version(layout)  # before writing anything: a newer layout is not ours
        if version is not None and version < SCHEMA_VERSION:
            migrate(layout)
        started_at = history.utc_now()
        run_id = new_run_id(started_at)
        run = _Run(layout, run_id, started_at, list(inputs), launched_at or flow_started)
        run.summary.notes += [repaired] if repaired else []
        run.summary.stage_seconds["prefect_start"] = round(flow_started - (launched_at or flow_started), 3)
        history.write_journal(layout, run.row())
        earlier: list[RunRow] = []
        try:
            with interrupts.last_word(run.interrupted):
                earlier = history.unpublished_rows(layout, run_id)
                collect_garbage(layout, settings.snapshot_grace_seconds)  # debris of a crashed run goes first
                run.clock.restart()
                _process(run, settings, progress, local_pool)
                run.publish(layout.staged_output_dir(run_id), earlier, parquet_uri)
        except Exception as err:
            run.fail(err, earlier)
            if announce:
                print(f"newsetl run {run_id}: failed: {run.summary.error}", flush=True)
            raise
        except BaseException as err:  # a signal Prefect's engine turned into an exception (TerminationSignal)
            signum = interrupts.signal_of(err)
            if signum is not None:
                run.interrupted(signum)
            else:  # SystemExit and the like: no time for more; the next run publishes the row
                run.summary.status, run.summary.error = "failed", f"{type(err).__name__}: {err}".strip(": ")
                history.write_journal(layout, run.row(finished=True))
            if announce:
                print(f"newsetl run {run_id}: {run.summary.status}: {run.summary.error}", flush=True)
            raise
        failpoint("flow:before-gc")
        _best_effort(collect_garbage, layout, settings.snapshot_grace_seconds)
        run.summary.elapsed_seconds = round(time.time() - run.launched_at, 3)
        _best_effort(report_task, run.summary)
    summary = run.summary
    line = (
        f"newsetl run {run_id}: {summary.status}, seen {summary.seen} = processed {summary.processed}"
        f" + skipped {summary.skipped} + quarantined {summary.quarantined}, {summary.elapsed_seconds:.1f} s"
    )
    get_run_logger().info(line)
    if announce:
        print(line, flush=True)
    return summary


def _process(run: _Run, settings: RunSettings, progress: bool, local_pool: bool) -> None:
    """Discover and process the shards into the run's staging directory."""
    layout, run_id, summary = run.layout, run.run_id, run.summary
    plan = plan_task(run.inputs, layout.root, run_id, run.ingest_date, settings)
    summary.shards = len(plan.shard_specs)
    summary.add(plan.discover_report)
    summary.add(Counts(seen=plan.skipped_records, skipped=plan.skipped_records))
    write_known_templates(layout, run_id)
    run.clock.done("discover")

    out_dir = layout.staged_output_dir(run_id)
    pool_size = len(plan.shard_specs) if local_pool else 0
    with _shard_pool(settings, pool_size), _progress(progress, len(plan.shard_specs)) as bar:
        futures = [
            process_shard_task.submit(spec, out_dir, run_id, run.ingest_date, settings) for spec in plan.shard_specs
        ]
        for future in as_completed(futures):
            report = future.result()
            summary.add(report)
            bar(report)
    run.clock.done("transform_and_parquet")
    failpoint("flow:shards-done")


class _Run:
    """One run's identity, summary and clock, and how it publishes its outcome."""

    def __init__(self, layout: DataLayout, run_id: str, started_at: dt.datetime, inputs: list[str], launched_at: float):
        self.layout, self.run_id, self.started_at, self.inputs = layout, run_id, started_at, inputs
        self.launched_at = launched_at
        self.ingest_date = started_at.date().isoformat()
        self.summary = RunSummary(run_id=run_id, status="aborted")
        self.clock = _StageClock(self.summary)

    def row(self, finished: bool = False) -> RunRow:
        s, seconds = self.summary, self.summary.stage_seconds
        return RunRow(
            run_id=self.run_id,
            ingest_date=self.started_at.date(),
            started_at=self.started_at,
            finished_at=history.utc_now() if finished else None,
            status=s.status,
            error=s.error,
            inputs=" ".join(self.inputs),
            n_seen=s.seen,
            n_processed=s.processed,
            n_skipped=s.skipped,
            n_quarantined=s.quarantined,
            n_not_documents=sum(s.not_documents.values()),
            not_documents=dict(sorted(s.not_documents.items())),
            n_paragraphs=s.paragraphs,
            n_quotes=s.quotes,
            n_removed_lines=s.removed_lines,
            seconds_prefect_start=seconds.get("prefect_start"),
            seconds_discover=seconds.get("discover"),
            seconds_transform=seconds.get("transform_and_parquet"),
            seconds_publish=seconds.get("publish"),
            seconds_load=seconds.get("duckdb_load"),
            seconds_total=round(time.time() - self.launched_at, 3) if finished else None,
            schema_version=SCHEMA_VERSION,
        )

    def publish(self, staged_dir: str, earlier: list[RunRow], parquet_uri: str | None) -> None:
        """Snapshot and database with the staged files and the runs rows, then the two renames."""
        layout, run_id = self.layout, self.run_id
        if self.summary.status == "aborted":
            self.summary.status = "completed"
        building, parent, notes = build_snapshot_task(layout.root, staged_dir, run_id)
        self.summary.notes += notes
        self.clock.done("publish")
        database, self.summary.load_mode, note = build_duckdb_task(layout.root, building, parent, run_id)
        if note:
            self.summary.notes.append(note)
        self.clock.done("duckdb_load")
        today = self.started_at.date()
        rows = [self.row(finished=True)] + [r.model_copy(update={"ingest_date": today}) for r in earlier]
        runs_dir = layout.staged_runs_dir(run_id)
        history.write_runs_file(runs_dir, run_id, rows)
        finish_database(database, layout.duckdb_temp_dir(run_id), run_id, add_files(building, runs_dir))
        seal_snapshot(building)
        if parquet_uri:
            mirror_task(layout.root, run_id, building, parquet_uri)
            self.clock.done("mirror")
        failpoint("flow:before-publish")
        publish_snapshot(layout, building, run_id)
        publish_database(layout, database)
        history.forget(layout, [row.run_id for row in rows])
        self.summary.earlier_runs_recorded = len(earlier)

    def interrupted(self, signum: int) -> None:
        """Stopped by a signal: the journal says so; the next run publishes the row
        (unless this run's snapshot is already out as ``completed``)."""
        if self.layout.is_published(self.run_id):
            return
        self.summary.status, self.summary.error = "interrupted", f"interrupted by {interrupts.signal_name(signum)}"
        history.write_journal(self.layout, self.row(finished=True))

    def fail(self, err: Exception, earlier: list[RunRow]) -> None:
        """Publish a ``failed`` row (the previous snapshot's data, unchanged) if the
        run's own snapshot is not out yet; else leave it in the journal for the next run."""
        self.summary.status, self.summary.error = "failed", f"{type(err).__name__}: {err}"
        discard_unpublished(self.layout, self.run_id)  # a full disk: room for the row
        history.write_journal(self.layout, self.row(finished=True))
        if self.layout.is_published(self.run_id):
            return  # published as completed; only a later step failed
        try:
            empty = self.layout.failed_output_dir(self.run_id)
            os.makedirs(empty, exist_ok=True)
            self.publish(empty, earlier, parquet_uri=None)
        except Exception:  # noqa: BLE001 - the journal keeps the row for the next run
            pass


def _best_effort(function, *args) -> None:
    """Steps after publishing (clean-up, the Prefect artifact) must not fail a published run."""
    try:
        function(*args)
    except Exception as err:  # noqa: BLE001
        print(f"newsetl: warning: {getattr(function, '__name__', function)} failed: {err}", file=sys.stderr)


class _StageClock:
    def __init__(self, summary: RunSummary):
        self.summary = summary
        self.last = time.perf_counter()

    def restart(self) -> None:
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
        context = multiprocessing.get_context("forkserver")
        # the workers fork from a forkserver that has imported the shard code once; else each
        # worker imports it again (~1-3 CPU-s: pyarrow, the cleaner's and quotes' regexes)
        context.set_forkserver_preload(["flows.shards"])
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=interrupts.ignore_in_worker,
        )
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

    columns = (
        TextColumn("shards"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[docs]:,} docs"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True) as progress:
        bar = progress.add_task("shards", total=total, docs=0)
        yield lambda report: progress.update(bar, advance=1, docs=progress.tasks[bar].fields["docs"] + report.seen)
