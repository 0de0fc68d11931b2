"""The ``newsetl`` command line: run, sql, explain, runs, dashboard, serve.

Exit codes: 0 the command completed (a run is complete even if some inputs
were quarantined); 1 the run or query failed; 2 bad usage; 3 another run holds
the data directory; 130 / 143 the run was interrupted (Ctrl-C / SIGTERM).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from typing import NoReturn

import click

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3


def _usage_error(message: str) -> NoReturn:
    """A bad command line: one line on stderr, exit 2, no traceback."""
    click.echo(f"newsetl: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _check_data_dir(data_dir: str) -> None:
    if os.path.exists(data_dir) and not os.path.isdir(data_dir):
        _usage_error(f"--data-dir {data_dir}: is a file, not a directory")


def _check_output_file(option: str, path: str | None) -> None:
    """Checked before the run: a run must not publish and then fail on its last line."""
    if path is None:
        return
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        _usage_error(f"{option} {path}: is a directory")
    if not os.path.isdir(folder):
        _usage_error(f"{option} {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        _usage_error(f"{option} {path}: folder {folder} is not writable")


def _quiet_prefect(verbose: bool) -> None:
    """Prefect reads these at import: no telemetry (no network here), fewer logs."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Prefect's own 20 s for its temporary server to answer is too little on a first run
    # (it migrates a fresh SQLite database first) or on a busy machine: the run then fails
    # with "Timed out while attempting to connect to ephemeral Prefect API server".
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
        # A failed run is said in one line by the CLI; the engines' tracebacks (2-4 of
        # them, ~100 lines) only with -v.
        os.environ.setdefault("PREFECT_LOGGING_LOGGERS_PREFECT_FLOW_RUNS_LEVEL", "CRITICAL")
        os.environ.setdefault("PREFECT_LOGGING_LOGGERS_PREFECT_TASK_RUNS_LEVEL", "CRITICAL")


def _version() -> str:
    from newsetl import __version__

    return __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), "--version", prog_name="newsetl")
def main() -> None:
    """Batch ETL for scraped news text: clean, segment, quotes → Parquet + DuckDB."""
    # `PREFECT_API_URL= newsetl run` means "no server": Prefect would take the empty string
    # as a server address and print a traceback for every event it cannot send
    if os.environ.get("PREFECT_API_URL", "unset").strip() == "":
        del os.environ["PREFECT_API_URL"]

    # only the commands that read the settings check them: the settings model imports
    # pydantic-settings, which a query (`newsetl sql`, `runs`) does not need
    ctx = click.get_current_context()
    if isinstance(main.get_command(ctx, ctx.invoked_subcommand or ""), SettingsCommand):
        from schemas.settings import unknown_environment

        for name in unknown_environment(dict(os.environ)):
            click.echo(f"newsetl: warning: {name} is not a setting (see `newsetl run --help`); ignored", err=True)


class SettingsCommand(click.Command):
    """A command that reads the settings: its --help ends with every one of them (built
    when help is shown, not at import)."""

    def format_epilog(self, ctx, formatter) -> None:
        from schemas.settings import settings_help

        self.epilog = "\b\nSettings (environment variables; --workers and --shard-docs override theirs):\n"
        self.epilog += settings_help()
        super().format_epilog(ctx, formatter)


@main.command(cls=SettingsCommand)
@click.argument("inputs", nargs=-1)
@click.option("--data-dir", default="data", show_default=True, help="where Parquet and news.duckdb go")
@click.option("--wait", is_flag=True, help="if another run holds DIR, wait for it instead of exiting with code 3")
@click.option("--workers", type=int, default=None, help="worker processes (default: all cores)")
@click.option("--shard-docs", type=int, default=None, help="documents per shard (default 2000)")
@click.option("--dask", "dask_address", default=None, help="run shards on a Dask cluster: ADDRESS or 'local'")
@click.option("--parquet-uri", default=None, help="also publish the Parquet to s3://bucket/prefix")
@click.option("-v", "--verbose", is_flag=True, help="show Prefect's logs")
@click.option(
    "--summary-json",
    "summary_json",
    default=None,
    metavar="PATH",
    help="also write the run summary (counts, seconds per stage) to PATH as JSON",
)
def run(inputs, data_dir, wait, workers, shard_docs, dask_address, parquet_uri, verbose, summary_json) -> None:
    """Process INPUT files, directories or globs (default: seeds/) into DIR."""
    launched_at = time.time()
    _check_data_dir(data_dir)
    _check_output_file("--summary-json", summary_json)
    _quiet_prefect(verbose)
    inputs = list(inputs) or ["seeds/"]
    settings = _checked_usage(inputs, data_dir, {"workers": workers, "shard_docs": shard_docs}, dask_address)
    from flows.lock import RunLockedError, check_lock
    from warehouse.layout import DataLayout

    holder = check_lock(DataLayout(data_dir).lock_path, wait=wait)
    if holder:  # the flow takes the lock itself; this only spares Prefect's start-up
        click.echo(f"newsetl: {RunLockedError.message(holder, os.path.abspath(data_dir))}", err=True)
        sys.exit(EXIT_LOCKED)
    from flows.pipeline import newsetl_flow
    from warehouse.recovery import LostSnapshotError
    from warehouse.versions import SchemaVersionError

    flow = newsetl_flow
    if dask_address:
        flow = _with_dask(flow, dask_address, settings.workers)
    from flows import interrupts

    interrupts.install()
    try:
        summary = flow(
            inputs,
            data_dir=data_dir,
            settings=settings,
            wait_for_lock=wait,
            progress=True,
            parquet_uri=parquet_uri,
            local_pool=dask_address is None,
            launched_at=launched_at,
        )
    except RunLockedError as err:
        click.echo(f"newsetl: {err}", err=True)
        sys.exit(EXIT_LOCKED)
    except SchemaVersionError as err:
        click.echo(f"newsetl: {err}", err=True)
        sys.exit(EXIT_USAGE)
    except LostSnapshotError as err:  # refused before it started: nothing was written
        click.echo(f"newsetl: {err}", err=True)
        _exit_now(EXIT_FAILED)
    except Exception as err:  # the run itself failed: say why, exit non-zero
        if verbose:
            import traceback

            traceback.print_exc()
        click.echo(f"newsetl: run failed: {_one_line(err)}", err=True)
        _exit_now(EXIT_FAILED)
    summary.elapsed_seconds = round(time.time() - launched_at, 3)
    for note in summary.notes:
        click.echo(f"newsetl: {note}", err=True)
    _print_summary(summary)
    if summary_json:
        _write_summary_json(summary, summary_json)


def _exit_now(code: int) -> None:
    """Exit without the interpreter's shutdown: Prefect's engine keeps the failed run's
    exception, whose frames hold DuckDB objects that nanobind reports as "leaked" (a
    dozen lines of noise) at shutdown.  The processes the run started are stopped
    first, as on an interrupt."""
    from flows.interrupts import stop_descendants

    sys.stdout.flush()
    sys.stderr.flush()
    stop_descendants()
    os._exit(code)


def _one_line(err: BaseException) -> str:
    """The error in one line: its type and the first line of its message."""
    message = str(err).strip().splitlines()
    return f"{type(err).__name__}: {message[0] if message else ''}".rstrip(": ")


def _checked_usage(inputs: list[str], data_dir: str, overrides: dict, dask_address: str | None):
    """Settle everything the command line decides before Prefect starts; exit 2 on a mistake."""
    from pydantic import ValidationError

    from schemas.settings import RunSettings
    from warehouse.discover import missing_inputs

    try:
        settings = RunSettings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as err:
        problem = err.errors()[0]
        name = str(problem["loc"][0]) if problem["loc"] else "?"
        where = f"--{name.replace('_', '-')}" if overrides.get(name) is not None else f"NEWSETL_{name.upper()}"
        _usage_error(f"{where}={problem.get('input')!s}: {problem['msg']}")
    for given, reason in missing_inputs(inputs):
        _usage_error(f"input {given!r}: {reason}")
    _check_data_dir(data_dir)
    try:
        os.makedirs(data_dir, exist_ok=True)
        with tempfile.TemporaryFile(dir=data_dir):
            pass
    except OSError as err:
        _usage_error(f"--data-dir {data_dir!r} is not writable: {err.strerror}")
    if dask_address:
        try:
            import distributed  # noqa: F401
            import prefect_dask  # noqa: F401
        except ImportError:
            _usage_error("--dask needs the dask extra: pip install 'newsetl[dask]'")
    from warehouse.layout import DataLayout
    from warehouse.versions import SchemaVersionError, check_schema_version

    try:
        check_schema_version(DataLayout(os.path.abspath(data_dir)))
    except SchemaVersionError as err:
        _usage_error(str(err))
    return settings


def _write_summary_json(summary, path: str) -> None:
    import dataclasses
    import json

    with open(path, "w", encoding="utf-8") as fh:
        json.dump(dataclasses.asdict(summary), fh, indent=2)


def _with_dask(flow, address: str, workers: int):
    from prefect_dask import DaskTaskRunner

    if address == "local":
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True})
    else:
        runner = DaskTaskRunner(address=address)
    return flow.with_options(task_runner=runner)


def _print_summary(summary) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"newsetl run {summary.run_id}", show_header=False)
    prefect_start = summary.stage_seconds.get("prefect_start", 0.0)
    pipeline = max(summary.elapsed_seconds - prefect_start, 1e-9)
    rate = summary.processed / pipeline if summary.processed else 0.0
    rows = [
        ("documents seen", summary.seen),
        ("processed", summary.processed),
        ("skipped (unchanged)", summary.skipped),
        ("quarantined", summary.quarantined),
        *((f"not a document: {reason}", n) for reason, n in sorted(summary.not_documents.items())),
        ("paragraphs", summary.paragraphs),
        ("quotes", summary.quotes),
        ("removed lines", summary.removed_lines),
        ("shards", summary.shards),
        ("DuckDB load", summary.load_mode),
        *(
            [("earlier runs recorded", f"{summary.earlier_runs_recorded} (failed or aborted; see newsetl runs)")]
            if summary.earlier_runs_recorded
            else []
        ),
        (
            "elapsed",
            f"{summary.elapsed_seconds:.2f} s: Prefect start-up {prefect_start:.2f} s, "
            f"pipeline {pipeline:.2f} s ({rate:,.{0 if rate >= 10 else 1}f} docs/s processed)",
        ),
    ]
    for name, value in rows:
        table.add_row(name, f"{value:,}" if isinstance(value, int) else str(value))
    Console().print(table)


@main.command()
@click.argument("query")
@click.option("--data-dir", default="data", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--max-rows", type=int, default=1000, show_default=True, help="rows shown in table format")
@click.option(
    "--parquet",
    is_flag=True,
    help="query the published Parquet snapshot (same tables and views) instead of news.duckdb",
)
def sql(query, data_dir, fmt, max_rows, parquet) -> None:
    """Run a read-only SQL QUERY against the warehouse and print the result."""
    import duckdb

    from warehouse.database_file import is_damage
    from warehouse.query import RefusedStatement, damaged_note

    _check_data_dir(data_dir)
    con = _reader(data_dir, parquet=parquet)
    try:
        try:
            columns, rows = _query(con, query)
        except duckdb.Error as err:
            if parquet or not is_damage(err):
                raise
            # a damaged block of news.duckdb, found by this query: the Parquet has the same data
            con.close()
            click.echo(f"newsetl: {damaged_note(err)}: answering from the published Parquet snapshot", err=True)
            con = _reader(data_dir, parquet=True)
            columns, rows = _query(con, query)
    except RefusedStatement as err:
        click.echo(f"newsetl: {err}", err=True)
        sys.exit(EXIT_USAGE)
    except duckdb.Error as err:
        click.echo(f"newsetl: query failed: {err}", err=True)
        sys.exit(EXIT_FAILED)
    finally:
        con.close()
    _print_rows(columns, rows, fmt, max_rows)


def _query(con, query: str) -> tuple[list[str], list[tuple]]:
    from warehouse.query import refuse_non_queries

    refuse_non_queries(con, query)
    result = con.execute(query)
    return [d[0] for d in result.description or []], result.fetchall()


def _reader(data_dir: str, parquet: bool = False):
    """A read-only connection; says on stderr when it answers from the Parquet
    without being asked to (``parquet``)."""
    from warehouse.layout import DataLayout
    from warehouse.query import NoDataError, connect_reader, parquet_reader

    try:
        layout = DataLayout(os.path.abspath(data_dir))
        con, note = (parquet_reader(layout), None) if parquet else connect_reader(layout)
    except NoDataError as err:
        click.echo(f"newsetl: {err}", err=True)
        sys.exit(EXIT_FAILED)
    if note:
        click.echo(f"newsetl: {note}", err=True)
    return con


def _print_rows(columns: list[str], rows: list[tuple], fmt: str, max_rows: int) -> None:
    if fmt == "json":
        import json

        for row in rows:
            click.echo(json.dumps(dict(zip(columns, row)), default=str, ensure_ascii=False))
        return
    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        *columns, caption=f"{len(rows)} rows" + (f" (first {max_rows} shown)" if len(rows) > max_rows else "")
    )
    for row in rows[:max_rows]:
        table.add_row(*("NULL" if v is None else str(v) for v in row))
    Console(width=max(120, Console().width)).print(table)


@main.command()
@click.argument("source_id")
@click.option("--data-dir", default="data", show_default=True)
def explain(source_id, data_dir) -> None:
    """Show a document's lines in order, kept (with kind) or removed (with rule), and
    under each paragraph its quotes with speaker and the attribution rule that found them."""
    _check_data_dir(data_dir)
    from warehouse.sql_files import named_queries

    queries = named_queries("explain.sql")
    with _reader(data_dir) as con:
        docs = con.execute(queries["documents_of_source"], {"source_id": source_id}).fetchall()
        if not docs:
            click.echo(f"newsetl: no document with source_id {source_id!r}", err=True)
            sys.exit(EXIT_FAILED)
        for doc_id, source_uri in docs:
            click.echo(f"# {source_id}  doc_id={doc_id}  ({source_uri})")
            lines = con.execute(queries["lines_of_document"], {"doc_id": doc_id}).fetchall()
            quotes: dict[int, list[tuple]] = {}
            for row in con.execute(queries["quotes_of_document"], {"doc_id": doc_id}).fetchall():
                quotes.setdefault(row[0], []).append(row[1:])
            for line_no, action, why, text, ordinal in lines:
                mark = "+" if action == "keep" else "-"
                click.echo(f"{mark} {line_no if line_no is not None else '?':>5} {why:<22} {text}")
                for kind, words, speaker, speaker_type, rule in quotes.pop(ordinal, []) if ordinal is not None else ():
                    # each quote under its paragraph: who said it, and the rule that found them
                    who = f"{speaker} ({speaker_type}) by {rule}" if speaker else "no speaker"
                    click.echo(f"  {'':>5} \u00bb {kind:<20} {who}: \u201c{words}\u201d")


@main.command()
@click.option("--data-dir", default="data", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True)
@click.option("--address", default="127.0.0.1", show_default=True, help="interface to listen on (0.0.0.0: all)")
def dashboard(data_dir, port, address) -> None:
    """Browse the published Parquet snapshot in a web dashboard (Streamlit; Ctrl-C stops it).

    Never opens news.duckdb, so it cannot block a run; a snapshot published while
    it runs is shown from the next click or reload on.
    """
    import importlib.util

    if importlib.util.find_spec("streamlit") is None:
        raise click.UsageError("the dashboard needs its extra: pip install 'newsetl[dashboard]'")
    if not os.path.isdir(data_dir):
        raise click.UsageError(f"no data directory {data_dir!r}: run `newsetl run --data-dir {data_dir}` first")
    from dashboard.launch import streamlit_command

    command = streamlit_command(os.path.abspath(data_dir), port=port, address=address)
    click.echo(f"newsetl: dashboard of {os.path.abspath(data_dir)} on http://{address}:{port}/", err=True)
    os.execv(command[0], command)  # Streamlit in this process: a signal to it stops the server


@main.command(cls=SettingsCommand)
@click.argument("inputs", nargs=-1)
@click.option("--data-dir", default="data", show_default=True)
@click.option("--cron", default=None, help='cron schedule, e.g. "0 * * * *"')
@click.option("--interval", type=float, default=None, help="or run every SECONDS")
@click.option("--name", default="newsetl-scheduled", show_default=True, help="deployment name")
@click.option("-v", "--verbose", is_flag=True)
def serve(inputs, data_dir, cron, interval, name, verbose) -> None:
    """Serve the flow as a Prefect deployment on a schedule (Ctrl-C stops it).

    Uses the Prefect server at PREFECT_API_URL; without one, starts a local
    `prefect server start` for as long as this command runs, and says so.
    """
    if (cron is None) == (interval is None):
        _usage_error("give exactly one of --cron or --interval")
    if interval is not None and interval <= 0:
        _usage_error(f"--interval {interval:g}: give a positive number of seconds")
    if cron is not None:
        from cronsim import CronSim, CronSimError

        try:
            CronSim(cron, dt.datetime.now())
        except CronSimError as err:
            _usage_error(f"--cron {cron!r}: {err}")
    _quiet_prefect(verbose)
    inputs = list(inputs) or ["seeds/"]
    _checked_usage(inputs, data_dir, {}, None)
    from flows.schedule import serve_flow

    serve_flow(inputs, os.path.abspath(data_dir), cron=cron, interval=interval, name=name)


@main.command()
@click.option("--data-dir", default="data", show_default=True)
@click.option("--last", "last", type=click.IntRange(min=1), default=20, show_default=True, help="how many runs")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def runs(data_dir, last, fmt) -> None:
    """The run history, newest first: status, start, duration, counts, error."""
    from flows.lock import check_lock
    from warehouse.history import run_history
    from warehouse.layout import DataLayout

    layout = DataLayout(os.path.abspath(data_dir))
    if not os.path.isdir(layout.root):
        _usage_error(f"--data-dir {data_dir!r} does not exist")
    columns, rows = run_history(layout, last, lock_held=check_lock(layout.lock_path, wait=False) is not None)
    if not rows:
        click.echo(f"newsetl: no runs in {layout.root} yet", err=True)
        return
    _print_rows(columns, rows, fmt, last)


if __name__ == "__main__":
    main()
