"""Arrow schemas and DuckDB DDL, both derived from the pydantic row models.

``pydantic-to-pyarrow`` maps the models; we only post-process two things:
``Literal`` fields come back as dictionary columns, which we store as plain
strings (simpler for every reader, and Parquet dictionary-encodes them anyway),
and each schema carries the schema version in its metadata and every field its
model description (``description`` in the field metadata), so a Parquet file says
what its columns mean; DuckDB gets the same text as column comments.
"""

from __future__ import annotations

from functools import cache

import pyarrow as pa
from pydantic_to_pyarrow import get_pyarrow_schema

from schemas.models import LONG_TEXT, SCHEMA_VERSION, TABLES

SCHEMA_VERSION_KEY = b"newsetl.schema_version"
DESCRIPTION_KEY = b"description"


@cache
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of ``table``, exactly as its Parquet files store it."""
    derived = get_pyarrow_schema(TABLES[table], allow_losing_tz=True)
    descriptions = column_descriptions(table)
    fields = [
        pa.field(f.name, _storage_type(f.type), f.nullable, metadata={DESCRIPTION_KEY: descriptions[f.name].encode()})
        for f in derived
    ]
    return pa.schema(fields, metadata={SCHEMA_VERSION_KEY: str(SCHEMA_VERSION).encode()})


def column_descriptions(table: str) -> dict[str, str]:
    """Column -> what it means, from the model's ``Field(description=...)``."""
    return {name: info.description or "" for name, info in TABLES[table].model_fields.items()}


def table_description(table: str) -> str:
    """The row model's docstring (first paragraph, without "table: "): the table's grain."""
    doc = " ".join((TABLES[table].__doc__ or "").strip().split("\n\n")[0].split())
    return doc.removeprefix(f"{table}: ")


def _storage_type(arrow_type: pa.DataType) -> pa.DataType:
    if pa.types.is_dictionary(arrow_type):
        return arrow_type.value_type
    if pa.types.is_timestamp(arrow_type):  # models hold aware datetimes; stored as UTC
        return pa.timestamp("us", tz="UTC")
    return arrow_type


_DUCKDB_TYPES = {
    pa.string(): "VARCHAR",
    pa.large_string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.int32(): "INTEGER",
    pa.bool_(): "BOOLEAN",
    pa.float64(): "DOUBLE",
    pa.date32(): "DATE",
    pa.binary(): "BLOB",
    pa.large_binary(): "BLOB",
}


def _duckdb_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_list(arrow_type):
        return _duckdb_type(arrow_type.value_type) + "[]"
    if pa.types.is_map(arrow_type):
        return f"MAP({_duckdb_type(arrow_type.key_type)}, {_duckdb_type(arrow_type.item_type)})"
    if pa.types.is_timestamp(arrow_type):
        return "TIMESTAMPTZ" if arrow_type.tz else "TIMESTAMP"
    return _DUCKDB_TYPES[arrow_type]


def duckdb_columns(table: str) -> list[tuple[str, str]]:
    """(name, DuckDB type with NOT NULL where the model requires a value)."""
    return [(f.name, _duckdb_type(f.type) + ("" if f.nullable else " NOT NULL")) for f in arrow_schema(table)]


def long_text_columns(table: str) -> set[str]:
    """Columns the model marks as long free text (``schemas.models.LONG_TEXT``)."""
    return {
        name
        for name, info in TABLES[table].model_fields.items()
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get(LONG_TEXT)
    }


def duckdb_ddl(table: str) -> str:
    """``CREATE TABLE IF NOT EXISTS`` for ``table``; long text columns are zstd-compressed."""
    long_text = long_text_columns(table)
    columns = ",\n  ".join(
        f"{name} {sql_type}" + (" USING COMPRESSION zstd" if name in long_text else "")
        for name, sql_type in duckdb_columns(table)
    )
    return f"CREATE TABLE IF NOT EXISTS {table} (\n  {columns}\n)"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_comments(table: str, kind: str = "TABLE", columns: set[str] | None = None) -> list[str]:
    """``COMMENT ON`` statements giving ``table`` (a ``TABLE`` or a ``VIEW`` over the
    Parquet) and each of its ``columns`` (default: all the model's) their descriptions."""
    statements = [f"COMMENT ON {kind} {table} IS {_sql_string(table_description(table))}"]
    statements += [
        f"COMMENT ON COLUMN {table}.{name} IS {_sql_string(text)}"
        for name, text in column_descriptions(table).items()
        if columns is None or name in columns
    ]
    return statements
