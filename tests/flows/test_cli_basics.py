"""The command line's own surface: version, ``python -m newsetl``, settings help, typos."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from schemas.settings import RunSettings, unknown_environment

ROOT = Path(__file__).resolve().parents[2]


def _newsetl(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "newsetl", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_version_and_python_dash_m():
    from newsetl import __version__

    result = _newsetl("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"newsetl, version {__version__}"
    assert __version__ != "0+unknown"


def test_run_help_lists_every_setting_as_an_environment_variable():
    result = _newsetl("run", "--help")
    assert result.returncode == 0
    for name in RunSettings.model_fields:
        assert f"NEWSETL_{name.upper()} " in result.stdout


def test_a_misspelt_setting_is_reported_and_a_real_one_is_not():
    result = _newsetl("run", "--help", env={"NEWSETL_MAX_FILE_BYTE": "10", "NEWSETL_WORKERS": "1"})
    assert "NEWSETL_MAX_FILE_BYTE is not a setting" in result.stderr
    assert "NEWSETL_WORKERS" not in result.stderr
    assert unknown_environment({"NEWSETL_SHARD_DOCS": "5", "NEWSETL_BENCHMARKS": "x", "newsetl_wrokers": "2"}) == [
        "newsetl_wrokers"
    ]
