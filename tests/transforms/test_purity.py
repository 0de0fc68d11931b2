"""``transforms/`` is pure: strings in, models out (DESIGN.md).

No Prefect, DuckDB or pyarrow, no file system, network or environment access in our
own modules; the libraries we call (trafilatura, jusText) may read their own package
data. Package data of ours is read with ``importlib.resources``, at import time.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import transforms

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_MODULES = {
    "prefect",
    "duckdb",
    "pyarrow",
    "flows",
    "warehouse",  # orchestration and storage
    "os",
    "pathlib",
    "shutil",
    "glob",
    "tempfile",
    "io",
    "fsspec",
    "mmap",  # file system
    "socket",
    "requests",
    "httpx",
    "urllib.request",
    "http.client",
    "subprocess",  # network, processes
}
FORBIDDEN_CALLS = {"open", "input", "exec", "eval"}


def _transform_sources() -> list[Path]:
    return sorted(Path(transforms.__file__).parent.rglob("*.py"))


def _imported_modules(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _is_forbidden(module: str) -> bool:
    return any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN_MODULES)


def test_transform_sources_import_no_storage_orchestration_or_file_system():
    offenders = []
    for path in _transform_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [
            f"{path.relative_to(ROOT)} imports {m}" for m in sorted(_imported_modules(tree)) if _is_forbidden(m)
        ]
        offenders += [
            f"{path.relative_to(ROOT)}:{node.lineno} calls {node.func.id}()"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS
        ]
    assert offenders == []


def test_the_purity_check_sees_a_forbidden_import():
    tree = ast.parse("import duckdb\nfrom os import path\nfrom pyarrow.parquet import read_table\nimport re\n")
    assert {m for m in _imported_modules(tree) if _is_forbidden(m)} == {"duckdb", "os", "pyarrow.parquet"}


def test_importing_every_transform_module_loads_no_prefect_duckdb_or_pyarrow():
    modules = ["transforms"] + [
        info.name for info in pkgutil.walk_packages(transforms.__path__, "transforms.") if not info.name.endswith("_py")
    ]
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in ('prefect', 'duckdb', 'pyarrow', 'flows', 'warehouse') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
