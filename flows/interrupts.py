"""Stopping a run the way schedulers stop jobs: Ctrl-C (SIGINT) and SIGTERM (cron,
systemd and Kubernetes time-outs).

A run is safe to stop at any instant: the crash tests kill it with SIGKILL at every
step and the next run finds the previous snapshot whole (nothing half-published)
and clears the debris.  So an interrupt does not unwind through Prefect (which took
~70 s, printed event payloads and ended with a false ``ConnectError``): it says
"interrupted", stops every process the run started (shard workers, the forkserver,
Prefect's temporary API server) and exits at once with 128 + the signal's number
(130 for Ctrl-C, 143 for SIGTERM), as a shell reports a job killed by it.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

#: How long children get to exit after SIGTERM before they are killed.
CHILD_GRACE_SECONDS = 1.0


def exit_code(signum: int) -> int:
    return 128 + signum


#: Called with the signal's number before the process exits (``last_word``).
_LAST_WORDS: list[Callable[[int], None]] = []


@contextmanager
def last_word(callback: Callable[[int], None]):
    """While in the block, an interrupt calls ``callback(signum)`` first: a run
    records itself as ``interrupted`` (best effort: stopping matters more)."""
    _LAST_WORDS.append(callback)
    try:
        yield
    finally:
        _LAST_WORDS.remove(callback)


def signal_name(signum: int) -> str:
    return "SIGINT (Ctrl-C)" if signum == signal.SIGINT else signal.Signals(signum).name


def signal_of(err: BaseException) -> int | None:
    """The signal an exception stands for: Ctrl-C's ``KeyboardInterrupt``, or Prefect's
    ``TerminationSignal`` (its engine turns SIGTERM into one when it runs its own server)."""
    if isinstance(err, KeyboardInterrupt):
        return signal.SIGINT
    signum = getattr(err, "signal", None)
    return signum if isinstance(signum, int) else None


def install(on_interrupt: Callable[[int], None] | None = None) -> None:
    """Handle SIGINT and SIGTERM in this (main) process from now on.
    ``on_interrupt(signum)`` and the ``last_word`` callbacks run first, for a last
    word on record (best effort)."""

    def handler(signum, _frame) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            sys.stderr.write("newsetl: interrupted\n")
            sys.stderr.flush()
        except Exception:  # noqa: BLE001 — stderr may be a closed pipe
            pass
        for callback in ([on_interrupt] if on_interrupt else []) + list(_LAST_WORDS):
            try:
                callback(signum)
            except Exception:  # noqa: BLE001 — stopping matters more than the record
                pass
        stop_descendants()
        os._exit(exit_code(signum))

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def ignore_in_worker() -> None:
    """Initializer of shard worker processes: Ctrl-C reaches the whole foreground
    process group, and the parent stops the workers itself (without a traceback each)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stop_descendants(pid: int | None = None, grace: float = CHILD_GRACE_SECONDS) -> list[int]:
    """SIGTERM every descendant of ``pid`` (this process by default), SIGKILL those
    still there after ``grace`` seconds; returns the pids found."""
    found = descendants(os.getpid() if pid is None else pid)
    for child in found:
        _signal(child, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(child) for child in found):
        time.sleep(0.05)
    for child in found:
        if _alive(child):
            _signal(child, signal.SIGKILL)
    return found


@dataclass(frozen=True)
class ProcessStat:
    """A process as ``/proc/<pid>/stat`` (Linux) shows it."""

    pid: int
    ppid: int
    state: str  # "Z" once it has exited and not been reaped
    cpu_ticks: int  # user + system time, in clock ticks (os.sysconf("SC_CLK_TCK") a second)


def process_stat(pid: int) -> ProcessStat | None:
    """``pid``'s stat, or None when it is gone (or this is not Linux)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return None
    # "pid (comm) state ppid … utime stime …": comm may hold spaces and parentheses
    fields = stat[stat.rfind(b")") + 2 :].split()
    if len(fields) < 13:
        return None
    return ProcessStat(pid, int(fields[1]), fields[0].decode(), int(fields[11]) + int(fields[12]))


def process_table() -> dict[int, ProcessStat]:
    """Every process this user can see, by pid (empty where there is no ``/proc``)."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return {}
    stats = (process_stat(int(entry)) for entry in entries if entry.isdigit())
    return {stat.pid: stat for stat in stats if stat is not None}


def descendants(pid: int, table: dict[int, ProcessStat] | None = None) -> list[int]:
    """Children, grandchildren … of ``pid`` (in ``table``, by default the current one)."""
    children: dict[int, list[int]] = {}
    for stat in (process_table() if table is None else table).values():
        children.setdefault(stat.ppid, []).append(stat.pid)
    found, pending = [], [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def _alive(pid: int) -> bool:
    stat = process_stat(pid)
    return stat is not None and stat.state != "Z"  # a zombie has exited


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except (ProcessLookupError, PermissionError):
        pass
