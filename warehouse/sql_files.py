"""The SQL of ``warehouse/sql/*.sql``: every statement the warehouse runs is read from there.

A file of named queries holds statements each after a ``-- name: NAME`` line;
parameters are ``$named`` (bound by DuckDB), and ``{placeholders}`` stand for what
DuckDB cannot bind: a table or column name of the schema (``schemas/models.py``),
or a list of file names as string literals.  ``views.sql`` (the analyst views) and
``near_duplicates.sql`` (the matching at publishing) are plain scripts, run in order.
"""

from __future__ import annotations

import re
from importlib import resources

_NAME_LINE = re.compile(r"^\s*--\s*name:\s*(\w+)\s*$")


def sql_text(filename: str) -> str:
    return resources.files("warehouse").joinpath("sql", filename).read_text(encoding="utf-8")


def named_queries(filename: str) -> dict[str, str]:
    """The queries of ``warehouse/sql/<filename>``: each follows a ``-- name: NAME`` line
    and ends with ";" (other comment lines are dropped)."""
    queries: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in sql_text(filename).splitlines():
        match = _NAME_LINE.match(line)
        if match:
            current = queries.setdefault(match.group(1), [])
        elif current is not None and not line.lstrip().startswith("--"):
            current.append(line)
    return {name: "\n".join(lines).strip().rstrip(";").strip() for name, lines in queries.items()}


def view_sql_text() -> str:
    return sql_text("views.sql")


def view_statements() -> list[str]:
    """The analyst views, from ``warehouse/sql/views.sql``."""
    return script_statements("views.sql")


def script_statements(filename: str) -> list[str]:
    """The statements of the plain script ``warehouse/sql/<filename>``, in order (split on
    ';', comment lines dropped)."""
    code = "\n".join(line for line in sql_text(filename).splitlines() if not line.lstrip().startswith("--"))
    return [statement.strip() for statement in code.split(";") if statement.strip()]


def sql_string(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
