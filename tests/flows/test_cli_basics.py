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


def test_readme_settings_table_names_every_setting_and_its_flag():
    """README's settings table is the one users read: no setting missing, no flag made up."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("### Settings", 1)[1]
    rows = [line.split("|")[1:3] for line in section.split("\n\n| setting |", 1)[1].split("\n\n", 1)[0].splitlines()]
    table = {name.strip(" `"): flag.strip(" `") for name, flag in rows[2:]}  # after the header and its rule
    assert sorted(table) == sorted(RunSettings.model_fields)
    options = _newsetl("run", "--help").stdout
    for name, flag in table.items():
        has_flag = f"--{name.replace('_', '-')} " in options
        assert flag == (f"--{name.replace('_', '-')}" if has_flag else ""), (name, flag)
