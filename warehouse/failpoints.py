"""Fault injection for the crash tests: kill the whole run at a named point.

``NEWSETL_FAILPOINT=<name>`` (read once, at import) makes ``failpoint(name)``
SIGKILL the run's process group there — the run and its shard workers die
together, as when a scheduler or the OOM killer takes the job.  Unset (always,
outside the crash tests) a failpoint is one string comparison.
"""

from __future__ import annotations

import os
import signal

_ARMED = os.environ.get("NEWSETL_FAILPOINT", "")


def failpoint(name: str) -> None:
    if _ARMED and _ARMED == name:
        os.killpg(os.getpgid(0), signal.SIGKILL)
