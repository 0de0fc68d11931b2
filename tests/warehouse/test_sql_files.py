"""warehouse/sql/*.sql: every named query parses, every {placeholder} is one the code fills,
and no module of the warehouse writes SQL of its own."""

from __future__ import annotations

import re
import string
from importlib import resources

import duckdb
import pytest

from warehouse.sql_files import named_queries, view_statements

SQL_FILES = sorted(
    p.name
    for p in resources.files("warehouse").joinpath("sql").iterdir()
    if p.name.endswith(".sql") and p.name not in ("views.sql", "near_duplicates.sql")
)
#: What the code puts in a placeholder: a schema identifier, a type, a list of literals, a query.
PLACEHOLDERS = {
    "table": "documents",
    "column": "source_uri",
    "view": "document_texts",
    "sql_type": "VARCHAR",
    "files": "'a.parquet', 'b.parquet'",
    "extra": ", NULL::VARCHAR AS x",
    "keys": "SELECT 'a' AS key",
}


@pytest.mark.parametrize("filename", SQL_FILES)
def test_every_named_query_parses(filename):
    queries = named_queries(filename)
    assert queries, f"{filename} has no -- name: lines"
    con = duckdb.connect()
    for name, sql in queries.items():
        fields = {field for _, field, _, _ in string.Formatter().parse(sql) if field}
        assert fields <= set(PLACEHOLDERS), f"{filename}:{name} has unknown placeholders {fields - set(PLACEHOLDERS)}"
        statements = con.extract_statements(sql.format(**PLACEHOLDERS))
        assert len(statements) == 1, f"{filename}:{name} is {len(statements)} statements"


def test_views_parse():
    con = duckdb.connect()
    assert all(len(con.extract_statements(statement)) == 1 for statement in view_statements())


def test_no_python_module_holds_sql_statements():
    """SQL lives in warehouse/sql/: a statement in a Python string (not a regex) is a regression."""
    statement = re.compile(
        r"""(?<![rR])["'](SELECT|INSERT|DELETE|UPDATE|CREATE|ALTER|DROP|COPY|ATTACH|BEGIN|COMMIT)\s"""
    )
    offenders = []
    for package in ("warehouse", "flows", "dashboard"):
        for module in sorted(resources.files(package).iterdir(), key=lambda p: p.name):
            if not module.name.endswith(".py") or module.name == "near_duplicates.py":
                continue
            for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), 1):
                if statement.search(line):
                    offenders.append(f"{package}/{module.name}:{number}: {line.strip()}")
    assert offenders == []
