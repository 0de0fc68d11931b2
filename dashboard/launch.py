"""The command that serves the app; no Streamlit import here, so the CLI stays quick."""

from __future__ import annotations

import os
import sys

APP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "app.py")


def streamlit_command(data_dir: str, *, port: int, address: str) -> list[str]:
    """``streamlit run`` of the app on ``address:port`` for ``data_dir``: headless, no
    usage statistics (no network here), no file watcher (the app is not being edited)."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        APP,
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--global.developmentMode",
        "false",
        "--client.toolbarMode",
        "viewer",
        "--",
        data_dir,
    ]
