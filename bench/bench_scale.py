"""Scale benchmark: the real ``newsetl run`` over a generated corpus, measured from outside.

    make bench N=100000                       # = .venv/bin/python bench/bench_scale.py --n 100000
    .venv/bin/python bench/bench_scale.py --n 20000 --repeat 2

For the text path (N .txt pages) and the HTML path (N/20 .html pages by default) it

1. generates the corpus once per N into ``bench/corpus/<kind>-<N>`` (reused when complete);
2. runs the CLI, ``newsetl run <corpus> --data-dir <fresh dir> --summary-json …``, as a
   subprocess, sampling every process of its tree (/proc/<pid>/status VmRSS every ~0.2 s,
   and PSS from /proc/<pid>/smaps_rollup every ~2 s: reading it walks the process's page
   tables under its memory lock, ~6 ms for a 300 MB worker): the peak of the *sum* of
   VmRSS is the run's memory;
3. reports pages/s = processed documents / the flow's own elapsed time, the CLI's whole
   wall time, Prefect start-up (= wall − flow elapsed, printed apart), and the split of
   the flow's time by stage (discover, transform_and_parquet, publish, duckdb_load);
4. (text path) reruns with no change (its time as a % of the full run), then appends a
   paragraph to one file, reruns, and checks with ``newsetl sql`` that only that
   document's rows carry the new run_id (the file is restored afterwards);
5. (HTML path) runs ``trafilatura.extract`` alone over the same pages on a plain
   ``ProcessPoolExecutor(2)`` and reports the HTML path as a ratio to it.

Prints a table and writes every figure to ``bench/out/bench_<N>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import generate_corpus  # noqa: E402  (bench/ is not a package)

from flows.interrupts import descendants, process_table  # noqa: E402  (the process tree, as the CLI stops it)

BIN = os.path.dirname(sys.executable)
NEWSETL = os.path.join(BIN, "newsetl")

# Targets from the issue, checked in the report.
TARGET_TEXT_PAGES_PER_S = 1000
TARGET_HTML_RATIO = 1.0
TARGET_RERUN_PCT = 5.0
TARGET_PEAK_MB = 1536


# --------------------------------------------------------------------------- process-tree memory


class TreeSampler(threading.Thread):
    """Every ``interval`` s, sums VmRSS over ``root_pid`` and all its descendants (and PSS
    every ``pss_every`` samples: it costs the sampled processes time)."""

    def __init__(self, root_pid: int, interval: float = 0.2, pss_every: int = 10):
        super().__init__(daemon=True)
        self.root_pid, self.interval, self.pss_every = root_pid, interval, pss_every
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_detail: list[tuple[int, str, int]] = []
        self.max_procs = 0
        self.cpu_ticks: dict[int, int] = {}  # pid -> last seen utime + stime of that process itself
        self.cmdlines: dict[int, str] = {}  # pid -> its command line when first seen
        self.t0 = time.perf_counter()
        self.peak_at = 0.0
        self.timeline: list[tuple[float, float, float]] = []  # (seconds, sum RSS MB, root process RSS MB)
        self.samples = 0
        self.own_cpu_seconds = 0.0
        self._halt = threading.Event()

    def run(self) -> None:
        start = time.thread_time()
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)
        self.own_cpu_seconds = time.thread_time() - start  # what measuring cost the machine

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def sample(self) -> None:
        pids = self._tree()
        total_rss = total_pss = 0
        detail = []
        with_pss = self.samples % self.pss_every == 0
        for pid in pids:
            rss, name = _vmrss_kb(pid)
            if rss is None:
                continue
            total_rss += rss
            if with_pss:
                total_pss += _pss_kb(pid) or rss
            detail.append((pid, name, rss))
        self.samples += 1
        self.max_procs = max(self.max_procs, len(detail))
        now = time.perf_counter() - self.t0
        root_rss = next((kb for pid, _n, kb in detail if pid == self.root_pid), 0)
        self.timeline.append((round(now, 1), round(total_rss / 1024, 1), round(root_rss / 1024, 1)))
        if total_rss > self.peak_rss_kb:
            self.peak_at = now
            self.peak_rss_kb = total_rss
            self.peak_detail = sorted(detail, key=lambda d: -d[2])
        self.peak_pss_kb = max(self.peak_pss_kb, total_pss)

    def _tree(self) -> list[int]:
        table = process_table()
        out = [self.root_pid, *descendants(self.root_pid, table)]
        for pid in out:
            if pid in table:
                self.cpu_ticks[pid] = table[pid].cpu_ticks
                if pid not in self.cmdlines:
                    self.cmdlines[pid] = _cmdline(pid)
        return out

    def cpu_seconds(self) -> float:
        """CPU time of every process seen in the tree (up to its last sample)."""
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")

    def cpu_by_process(self) -> list[dict]:
        """CPU seconds of each process of the tree, largest first: where the time outside the shards goes."""
        tick = os.sysconf("SC_CLK_TCK")
        rows = [
            {"pid": pid, "cmdline": self.cmdlines.get(pid, "?"), "cpu_seconds": round(ticks / tick, 1)}
            for pid, ticks in self.cpu_ticks.items()
        ]
        return sorted(rows, key=lambda row: -row["cpu_seconds"])


def _vmrss_kb(pid: int) -> tuple[int | None, str]:
    try:
        with open(f"/proc/{pid}/status") as fh:
            text = fh.read()
    except OSError:
        return None, ""
    m = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
    name = re.search(r"^Name:\s+(.*)$", text, re.M)
    return (int(m.group(1)) if m else 0), (name.group(1) if name else "?")


def _pss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")[:100]
    except OSError:
        return ""


# --------------------------------------------------------------------------- running the CLI


def _env(prefect_home: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env.setdefault("PYTHONUNBUFFERED", "1")
    if prefect_home:
        os.makedirs(prefect_home, exist_ok=True)
        env["PREFECT_HOME"] = prefect_home
    return env


def machine_speed_ms() -> float:
    """CPU ms of a fixed pure-Python workload (dicts, strings, a regex), best of 3.

    This VM's speed drifts by up to ×1.6 within an hour (other guests on the host); the
    index, taken before and after each run, tells a slow run of the code from a run on a
    slow machine.  About 90 ms on this machine at its fastest."""

    def once() -> float:
        start = time.process_time()
        table = {}
        for i in range(200_000):
            table[str(i)] = i * 2
        sum(len(k) for k in table)
        text = "The quick brown fox said, \u201cwe will go,\u201d according to John Smith. " * 20
        for _ in range(3000):
            low = text.lower()
            [t.strip(".,") for t in low.split()]
            re.search(r"said|according", low)
        return (time.process_time() - start) * 1000

    return round(min(once() for _ in range(3)), 1)


def run_cli(inputs: list[str], data_dir: str, summary_path: str, env: dict[str, str]) -> dict:
    """One ``newsetl run``; returns its summary, wall time, CPU time and process-tree memory."""
    if os.path.exists(summary_path):
        os.remove(summary_path)
    cmd = [NEWSETL, "run", *inputs, "--data-dir", data_dir, "--summary-json", summary_path]
    speed_before = machine_speed_ms()
    load_before = os.getloadavg()[0]
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.stop()
    usage1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"newsetl run exited {proc.returncode}:\n{out[-3000:]}\n{err[-3000:]}")
    summary = _read_summary(summary_path, out)
    elapsed = summary.get("elapsed_seconds") or 0.0
    processed = summary.get("processed", 0)
    # Sampled per process: getrusage(RUSAGE_CHILDREN) misses the pool workers, whose
    # forkserver parent is never waited for by the CLI.
    cpu_waited = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    cpu = max(sampler.cpu_seconds(), cpu_waited)
    return {
        "command": " ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c for c in cmd),
        "summary": summary,
        "wall_seconds": round(wall, 2),
        "flow_elapsed_seconds": round(elapsed, 2),
        "prefect_startup_seconds": round(wall - elapsed, 2),
        "pages_per_s": round(processed / elapsed, 1) if elapsed else None,
        "pages_per_s_wall": round(processed / wall, 1) if wall else None,
        "cpu_seconds": round(cpu, 1),
        "cores_used": round(cpu / wall, 2) if wall else None,
        # Less sensitive to other load on the machine than pages/s: CPU of the whole tree per page.
        "cpu_ms_per_page": round(1000 * cpu / processed, 2) if processed else None,
        "cpu_by_process": sampler.cpu_by_process()[:8],
        "sampler_cpu_seconds": round(sampler.own_cpu_seconds, 2),
        "peak_rss_sum_mb": round(sampler.peak_rss_kb / 1024, 1),
        "peak_pss_sum_mb": round(sampler.peak_pss_kb / 1024, 1),
        "peak_processes": sampler.max_procs,
        "peak_breakdown_mb": [
            {"pid": pid, "name": name, "rss_mb": round(kb / 1024, 1)} for pid, name, kb in sampler.peak_detail[:8]
        ],
        "memory_samples": sampler.samples,
        "peak_at_seconds": round(sampler.peak_at, 1),
        "peak_stage": _stage_at(sampler.peak_at, wall - elapsed, summary.get("stage_seconds") or {}),
        "memory_timeline_mb": _downsample(sampler.timeline, 300),
        "load_avg_1m_before": round(load_before, 2),
        "load_avg_1m_after": round(os.getloadavg()[0], 2),
        "machine_speed_ms_before_after": [speed_before, machine_speed_ms()],
    }


def _stage_at(t: float, startup: float, stages: dict[str, float]) -> str:
    """Which stage was running ``t`` s after the CLI started (start-up and exit counted apart).

    Start-up is taken as wall − flow elapsed, so the little work after the flow
    (printing the summary, shutting Prefect down) is counted in it too: approximate.
    """
    if t < startup:
        return "startup (Prefect, imports)"
    edge = startup
    for name, seconds in stages.items():
        edge += seconds
        if t <= edge:
            return name
    return "after the stages (garbage collection, report, exit)"


def _downsample(points: list, limit: int) -> list:
    if len(points) <= limit:
        return points
    step = len(points) / limit
    return [points[int(i * step)] for i in range(limit)] + [points[-1]]


def _read_summary(path: str, stdout: str) -> dict:
    """The run's summary: the --summary-json file, else parsed from the printed table."""
    try:
        with open(path) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        pass
    summary: dict = {"stage_seconds": {}}
    for key, label in (
        ("seen", "documents seen"),
        ("processed", "processed"),
        ("skipped", r"skipped \(unchanged\)"),
        ("quarantined", "quarantined"),
        ("paragraphs", "paragraphs"),
        ("quotes", "quotes"),
        ("removed_lines", "removed lines"),
        ("shards", "shards"),
    ):
        m = re.search(rf"│\s*{label}\s*│\s*([\d,]+)", stdout)
        if m:
            summary[key] = int(m.group(1).replace(",", ""))
    m = re.search(r"elapsed\s*│\s*([\d.]+) s", stdout)
    summary["elapsed_seconds"] = float(m.group(1)) if m else 0.0
    m = re.search(r"newsetl run (\S+)", stdout)
    summary["run_id"] = m.group(1) if m else None
    return summary


def sql(data_dir: str, query: str, env: dict[str, str]) -> list[dict]:
    out = subprocess.run(
        [NEWSETL, "sql", query, "--data-dir", data_dir, "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


# --------------------------------------------------------------------------- corpus


def ensure_corpus(kind: str, n: int, cache: str, seed: int) -> tuple[str, float | None]:
    out = os.path.join(cache, f"{kind}-{n}")
    if generate_corpus.is_complete(out, n, [kind], seed):
        return out, None
    if os.path.exists(out):
        shutil.rmtree(out)
    print(f"bench: generating {n:,} {kind} pages into {os.path.relpath(out, ROOT)} …", file=sys.stderr)
    t0 = time.perf_counter()
    generate_corpus.generate(n, out, [kind], seed)
    return out, round(time.perf_counter() - t0, 1)


def corpus_bytes(path: str) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for f in files:
            if not f.startswith("."):
                total += os.path.getsize(os.path.join(dirpath, f))
    return total


# --------------------------------------------------------------------------- trafilatura alone


def _traf_init() -> None:
    import trafilatura  # noqa: F401  (workers pay the import before the clock starts)


def _traf_ready(_: int) -> int:
    return os.getpid()


def _traf_extract(paths: list[str]) -> tuple[int, int, float]:
    import trafilatura

    cpu0 = time.process_time()
    chars = 0
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            chars += len(trafilatura.extract(fh.read()) or "")
    return len(paths), chars, time.process_time() - cpu0


def trafilatura_alone(html_dir: str, workers: int = 2, chunk: int = 25) -> dict:
    paths = sorted(glob.glob(os.path.join(html_dir, "*", "*.html")))
    chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
    load_before = os.getloadavg()[0]
    t_start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, initializer=_traf_init) as pool:
        list(pool.map(_traf_ready, range(workers * 4)))
        t0 = time.perf_counter()
        done = list(pool.map(_traf_extract, chunks))
        seconds = time.perf_counter() - t0
    with_start = time.perf_counter() - t_start
    pages = sum(d[0] for d in done)
    return {
        "pages": pages,
        "workers": workers,
        "seconds": round(seconds, 2),
        "seconds_with_pool_start": round(with_start, 2),
        "pages_per_s": round(pages / seconds, 1),
        "pages_per_s_with_pool_start": round(pages / with_start, 1),
        "chars_extracted": sum(d[1] for d in done),
        "cpu_ms_per_page": round(1000 * sum(d[2] for d in done) / pages, 2),
        "load_avg_1m_before": round(load_before, 2),
    }


# --------------------------------------------------------------------------- the scenarios


def best_of(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["flow_elapsed_seconds"])


def bench_path(kind: str, n: int, args, env: dict[str, str], results: dict) -> None:
    corpus, gen_seconds = ensure_corpus(kind, n, args.corpus_dir, args.seed)
    inputs = [os.path.relpath(os.path.join(corpus, kind), ROOT)]
    section: dict = {
        "n": n,
        "corpus": os.path.relpath(corpus, ROOT),
        "corpus_mb": round(corpus_bytes(corpus) / 2**20, 1),
        "generation_seconds": gen_seconds,
    }
    results[kind] = section
    runs = []
    for i in range(args.repeat):
        data_dir = os.path.join(args.work_dir, f"data-{kind}-{n}")
        if os.path.exists(data_dir):
            shutil.rmtree(data_dir)
        print(f"bench: {kind} path, {n:,} pages, run {i + 1}/{args.repeat} …", file=sys.stderr)
        run = run_cli(inputs, data_dir, os.path.join(args.work_dir, f"summary-{kind}-{n}.json"), env)
        runs.append(run)
        _say_run(kind, run)
        last = i == args.repeat - 1
        if not last:
            continue
        section["full"] = best_of(runs)
        section["full_runs"] = [
            {k: r[k] for k in ("flow_elapsed_seconds", "wall_seconds", "pages_per_s", "peak_rss_sum_mb")} for r in runs
        ]
        if kind == "txt" and not args.skip_rerun:
            section["rerun_no_change"] = rerun_no_change(inputs, data_dir, args, env, section["full"], runs[-1])
            section["one_changed_input"] = one_changed_input(corpus, kind, inputs, data_dir, args, env)
        if kind == "html":
            print("bench: trafilatura.extract alone on the same pages …", file=sys.stderr)
            traf = trafilatura_alone(os.path.join(corpus, kind), workers=args.traf_workers)
            section["trafilatura_alone"] = traf
            section["ratio_to_trafilatura"] = round(section["full"]["pages_per_s"] / traf["pages_per_s"], 3)
            section["ratio_to_trafilatura_incl_pool_start"] = round(
                section["full"]["pages_per_s"] / traf["pages_per_s_with_pool_start"], 3
            )
            section["ratio_wall_to_trafilatura"] = round(section["full"]["pages_per_s_wall"] / traf["pages_per_s"], 3)
            # Robust to other load on the machine: trafilatura's CPU per page over the pipeline's
            # (the pipeline's includes every process of the run: Prefect server, pool, DuckDB load).
            if section["full"].get("cpu_ms_per_page"):
                section["cpu_ratio_to_trafilatura"] = round(
                    traf["cpu_ms_per_page"] / section["full"]["cpu_ms_per_page"], 3
                )
        if not args.keep_data:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            section["data_dir"] = os.path.relpath(data_dir, ROOT)


def rerun_no_change(inputs, data_dir, args, env, full: dict, last_full: dict) -> dict:
    print("bench: re-run with no change …", file=sys.stderr)
    run = run_cli(inputs, data_dir, os.path.join(args.work_dir, "summary-rerun.json"), env)
    _say_run("rerun", run)
    s = run["summary"]
    run["pct_of_full_flow"] = round(100 * run["flow_elapsed_seconds"] / last_full["flow_elapsed_seconds"], 2)
    run["pct_of_full_wall"] = round(100 * run["wall_seconds"] / last_full["wall_seconds"], 2)
    run["all_skipped"] = s.get("processed") == 0 and s.get("skipped") == last_full["summary"].get("processed")
    return run


def one_changed_input(corpus, kind, inputs, data_dir, args, env) -> dict:
    """Append a paragraph to one page, rerun, check that only its rows carry the new run_id."""
    target = generate_corpus.page_path(corpus, kind, 7, kind)
    name = os.path.basename(target)
    with open(target, "rb") as fh:
        original = fh.read()
    try:
        with open(target, "ab") as fh:
            fh.write(
                "\nThe council met again on Friday to review the figures. “We will publish everything,” "
                "Marta Quell, a spokesperson for the council, said.\n".encode()
            )
        print("bench: re-run with one changed input …", file=sys.stderr)
        run = run_cli(inputs, data_dir, os.path.join(args.work_dir, "summary-changed.json"), env)
        _say_run("changed", run)
        run_id = run["summary"]["run_id"]
        like = f"%{name}"
        docs = sql(data_dir, f"SELECT source_id, doc_id FROM documents WHERE run_id = '{run_id}'", env)
        same_source = sql(data_dir, f"SELECT count(*) AS n FROM documents WHERE source_id LIKE '{like}'", env)[0]["n"]
        total_docs = sql(data_dir, "SELECT count(*) AS n FROM documents", env)[0]["n"]
        per_table = {}
        for table in ("paragraphs", "quotes", "removed_lines"):
            row = sql(
                data_dir,
                f"SELECT count(*) AS n, count(DISTINCT doc_id) AS docs, "
                f"count(*) FILTER (WHERE doc_id NOT IN (SELECT doc_id FROM documents WHERE source_id LIKE '{like}')) AS other "
                f"FROM {table} WHERE run_id = '{run_id}'",
                env,
            )[0]
            per_table[table] = row
        inputs_rows = sql(data_dir, f"SELECT count(*) AS n FROM inputs WHERE run_id = '{run_id}'", env)[0]["n"]
        ok = (
            len(docs) == 1
            and docs[0]["source_id"].endswith(name)
            and same_source == 1
            and all(t["other"] == 0 and t["docs"] <= 1 for t in per_table.values())
            and per_table["paragraphs"]["n"] > 0
            and run["summary"].get("processed") == 1
        )
    finally:
        with open(target, "wb") as fh:
            fh.write(original)
    return {
        "file": os.path.relpath(target, ROOT),
        "run_id": run_id,
        "ok": ok,
        "documents_with_new_run_id": docs,
        "documents_total": total_docs,
        "documents_for_that_source": same_source,
        "rows_with_new_run_id": per_table,
        "inputs_rows_with_new_run_id": inputs_rows,
        "processed": run["summary"].get("processed"),
        "skipped": run["summary"].get("skipped"),
        "flow_elapsed_seconds": run["flow_elapsed_seconds"],
        "wall_seconds": run["wall_seconds"],
        "stage_seconds": run["summary"].get("stage_seconds"),
        "peak_rss_sum_mb": run["peak_rss_sum_mb"],
    }


def _say_run(label: str, run: dict) -> None:
    s = run["summary"]
    print(
        f"bench:   {label}: processed {s.get('processed', 0):,} skipped {s.get('skipped', 0):,} in "
        f"{run['flow_elapsed_seconds']:.1f} s flow / {run['wall_seconds']:.1f} s wall "
        f"({run['pages_per_s'] or 0:,.0f} pages/s), peak {run['peak_rss_sum_mb']:,.0f} MB",
        file=sys.stderr,
    )


# --------------------------------------------------------------------------- report


def machine() -> dict:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as fh:
            mem_kb = int(fh.readline().split()[1])
    except OSError:
        mem_kb = 0
    from transforms.text_signals import COMPILED

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "c_kernel": COMPILED,
    }


def print_report(results: dict) -> None:
    lines = [
        f"newsetl scale benchmark — {results['date']}  ({results['machine']['nproc']} cores, "
        f"{results['machine']['cpu']}, {results['machine']['ram_gb']} GB RAM)",
        "",
    ]
    row = "{:<34} {:>12} {:>10} {:>10} {:>10} {:>11} {:>10}"
    lines.append(row.format("run", "pages", "flow s", "wall s", "startup s", "pages/s", "peak MB"))
    lines.append("-" * 103)

    def add(label, run, pages):
        lines.append(
            row.format(
                label,
                f"{pages:,}",
                f"{run['flow_elapsed_seconds']:.1f}",
                f"{run['wall_seconds']:.1f}",
                f"{run['prefect_startup_seconds']:.1f}",
                f"{run['pages_per_s'] or 0:,.0f}",
                f"{run['peak_rss_sum_mb']:,.0f}",
            )
        )

    for kind in ("txt", "html", "jsonl"):
        sec = results.get(kind)
        if not sec:
            continue
        add(f"{kind} path, full", sec["full"], sec["full"]["summary"].get("processed", 0))
        if "rerun_no_change" in sec:
            r = sec["rerun_no_change"]
            add(f"{kind} re-run, no change", r, r["summary"].get("skipped", 0))
        if "one_changed_input" in sec:
            c = sec["one_changed_input"]
            lines.append(
                row.format(
                    f"{kind} re-run, one changed input",
                    "1",
                    f"{c['flow_elapsed_seconds']:.1f}",
                    f"{c['wall_seconds']:.1f}",
                    "",
                    "",
                    f"{c['peak_rss_sum_mb']:,.0f}",
                )
            )
    lines.append("")
    for kind in ("txt", "html", "jsonl"):
        sec = results.get(kind)
        if not sec:
            continue
        st = sec["full"]["summary"].get("stage_seconds", {})
        total = sum(st.values()) or 1
        lines.append(
            f"{kind} stage split: " + ", ".join(f"{k} {v:.1f} s ({100 * v / total:.0f}%)" for k, v in st.items())
        )
        lines.append(
            f"{kind} CPU: {sec['full']['cpu_seconds']:.0f} s over {sec['full']['wall_seconds']:.0f} s wall "
            f"= {sec['full']['cores_used']:.2f} cores, {sec['full'].get('cpu_ms_per_page') or 0:.1f} CPU-ms per page "
            f"(all processes, Prefect server included); peak PSS sum {sec['full']['peak_pss_sum_mb']:,.0f} MB, "
            f"peak during {sec['full'].get('peak_stage', '?')}; "
            f"load avg before {sec['full']['load_avg_1m_before']}; machine speed index before/after "
            f"{sec['full']['machine_speed_ms_before_after']} ms (lower is faster, ~90 at best)"
        )
    lines.append("")
    txt, html = results.get("txt"), results.get("html")
    if txt:
        pps = txt["full"]["pages_per_s"] or 0
        lines.append(
            f"target text path ≥ {TARGET_TEXT_PAGES_PER_S:,} pages/s on 2 cores (at 10^5): "
            f"{pps:,.0f} pages/s at {txt['n']:,} — {'met' if pps >= TARGET_TEXT_PAGES_PER_S else 'NOT met'}"
        )
        if "rerun_no_change" in txt:
            r = txt["rerun_no_change"]
            lines.append(
                f"target no-change re-run ≤ {TARGET_RERUN_PCT:.0f}% of full: {r['pct_of_full_flow']:.1f}% of flow time "
                f"({r['pct_of_full_wall']:.1f}% of wall incl. Prefect start-up) — "
                f"{'met' if r['pct_of_full_flow'] <= TARGET_RERUN_PCT else 'NOT met'}"
            )
        if "one_changed_input" in txt:
            c = txt["one_changed_input"]
            lines.append(
                f"one changed input: {'OK' if c['ok'] else 'FAILED'} — documents with the new run_id: "
                f"{[d['source_id'] for d in c['documents_with_new_run_id']]}, rows: "
                + ", ".join(f"{t} {v['n']} (other docs {v['other']})" for t, v in c["rows_with_new_run_id"].items())
            )
        lines.append(
            f"peak memory (sum of VmRSS over the process tree): {txt['full']['peak_rss_sum_mb']:,.0f} MB "
            f"(target at 10^6 ≤ {TARGET_PEAK_MB:,} MB and within 20% of 10^5's)"
        )
    if html and "trafilatura_alone" in html:
        t = html["trafilatura_alone"]
        lines.append(
            f"target HTML path ≥ {TARGET_HTML_RATIO:.1f}× trafilatura.extract alone: pipeline "
            f"{html['full']['pages_per_s']:,.1f} pages/s vs trafilatura {t['pages_per_s']:,.1f} pages/s "
            f"({t['workers']} workers) = {html['ratio_to_trafilatura']:.2f}× "
            f"({html['ratio_to_trafilatura_incl_pool_start']:.2f}× vs trafilatura incl. its pool start) — "
            f"{'met' if html['ratio_to_trafilatura'] >= TARGET_HTML_RATIO else 'NOT met'}"
        )
        if "cpu_ratio_to_trafilatura" in html:
            lines.append(
                f"  CPU per page: pipeline {html['full']['cpu_ms_per_page']:.1f} ms (whole run) vs trafilatura.extract "
                f"{t['cpu_ms_per_page']:.1f} ms = {html['cpu_ratio_to_trafilatura']:.2f}× (same ratio on the same "
                f"free cores)"
            )
    print("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Scale benchmark of newsetl (runs the real CLI).")
    ap.add_argument("--n", type=int, default=100_000, help="text pages (default 100000)")
    ap.add_argument("--html-n", type=int, default=None, help="HTML pages (default N/20)")
    ap.add_argument("--kinds", default="txt,html", help="paths to run: txt, html, jsonl (default txt,html)")
    ap.add_argument("--keep-data", action="store_true", help="keep the data directories")
    ap.add_argument("--skip-rerun", action="store_true", help="skip the no-change and one-changed-input re-runs")
    ap.add_argument("--repeat", type=int, default=1, help="full runs per path; the best is reported (default 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--traf-workers", type=int, default=2, help="processes for trafilatura alone (default 2)")
    ap.add_argument("--corpus-dir", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--work-dir", default=os.path.join(HERE, "out", "work"), help="data directories and summaries")
    ap.add_argument(
        "--prefect-home",
        default=os.path.join(HERE, "out", "prefect-home"),
        help="PREFECT_HOME for the runs ('' to inherit), so other Prefect users do not share its database",
    )
    ap.add_argument("--out", default=None, help="JSON results (default bench/out/bench_<N>.json)")
    args = ap.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    if set(kinds) - {"txt", "html", "jsonl"}:
        ap.error("--kinds takes txt, html, jsonl")
    html_n = args.html_n or max(1, args.n // 20)
    os.makedirs(args.work_dir, exist_ok=True)
    env = _env(args.prefect_home or None)
    results: dict = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join([os.path.relpath(sys.executable, ROOT), "bench/bench_scale.py", *(argv or sys.argv[1:])]),
        "machine": machine(),
        "n": args.n,
        "html_n": html_n,
        "repeat": args.repeat,
    }
    for kind in kinds:
        bench_path(kind, html_n if kind == "html" else args.n, args, env, results)
    out = args.out or os.path.join(HERE, "out", f"bench_{args.n}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as fh:
        json.dump(results, fh, indent=2, default=str)
    print_report(results)
    print(f"\nwritten: {os.path.relpath(out, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
