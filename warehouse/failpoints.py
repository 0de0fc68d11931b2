"""Fault injection for the crash tests: kill the whole run at a named point.

``NEWSETL_FAILPOINT=<name>`` (read once, at import) makes ``failpoint(name)``
SIGKILL the run's process group there — the run and its shard workers die
together, as when a scheduler or the OOM killer takes the job.
``NEWSETL_FAILPOINT=error@<name>`` raises ``InjectedFailure`` there instead (a
run that fails with an error).  Unset (always, outside the crash tests) a
failpoint is one string comparison.
"""

from __future__ import annotations

import os
import signal

_ARMED = os.environ.get("NEWSETL_FAILPOINT", "")


class InjectedFailure(RuntimeError):
    """Raised at an ``error@`` failpoint."""


def failpoint(name: str) -> None:
    if _ARMED and _ARMED.endswith(name):
        if name == _ARMED:
            os.killpg(os.getpgid(0), signal.SIGKILL)
        if "error@" + name == _ARMED:
            raise InjectedFailure(f"injected failure at {name}")
