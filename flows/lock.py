"""One run at a time per data directory.

An advisory ``flock`` on ``DIR/.lock``: the kernel drops it when the holder
dies, so a killed run never leaves a stale lock behind.  By default a second
run fails at once with ``RunLockedError`` (exit code 3 on the CLI); with
``wait=True`` it prints a message and waits its turn.
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


class RunLockedError(RuntimeError):
    """Another run holds the data directory."""

    @staticmethod
    def message(holder: str, directory: str) -> str:
        return f"another newsetl run ({holder}) is using {directory}; retry later or pass --wait to queue behind it"


@contextmanager
def run_lock(path: str, *, wait: bool = False) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        holder = _take(fd, wait=wait)
        if holder:
            raise RunLockedError(RunLockedError.message(holder, os.path.dirname(path)))
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def check_lock(path: str, *, wait: bool) -> str | None:
    """Before starting Prefect: who holds the lock ("pid N"), or None if it is free.

    With ``wait``, says so and blocks until it is free (then returns None).  A
    cheap early answer, so a second run fails or queues in a fraction of a
    second; the flow still takes the lock itself.
    """
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:  # no lock file yet, or DIR is unusable: the run itself will say why
        return None
    try:
        return _take(fd, wait=wait)
    finally:
        os.close(fd)


def _take(fd: int, *, wait: bool) -> str | None:
    """Lock ``fd``; if another process holds it, return the holder, or with
    ``wait`` say so and block until it is ours.  None once we hold it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return None
    except BlockingIOError:
        holder = _read_holder(fd)
        if not wait:
            return holder
    print(f"waiting for another newsetl run ({holder}) to finish …", file=sys.stderr, flush=True)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return None


def _read_holder(fd: int) -> str:
    try:
        return os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "pid unknown"
    except OSError:
        return "pid unknown"
