"""The pydantic models are the one contract: Parquet files and DuckDB tables follow them."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from schemas.arrow import (
    DESCRIPTION_KEY,
    SCHEMA_VERSION_KEY,
    arrow_schema,
    column_descriptions,
    duckdb_columns,
    duckdb_ddl,
    long_text_columns,
)
from schemas.models import KEYS, SCHEMA_VERSION, TABLES
from tests.conftest import SEEDS
from warehouse.layout import DataLayout
from warehouse.load import ensure_schema
from warehouse.query import parquet_connection

INTERFACE = {  # columns other tools script against (issue 2); never renamed
    "documents": {"doc_id", "source_id", "title"},
    "paragraphs": {"doc_id", "ordinal", "kind", "text"},
    "quotes": {"doc_id", "paragraph_ordinal", "text", "speaker", "speaker_name", "cue", "kind"},
    "removed_lines": {"doc_id", "line_no", "text", "rule"},
    "quarantine": {"source", "stage", "reason"},
}


@pytest.mark.parametrize("table", list(TABLES))
def test_arrow_schema_has_the_model_fields_in_order(table):
    assert arrow_schema(table).names == list(TABLES[table].model_fields)
    assert arrow_schema(table).metadata[SCHEMA_VERSION_KEY] == str(SCHEMA_VERSION).encode()


@pytest.mark.parametrize("table", list(TABLES))
def test_every_column_says_what_it_means(table):
    # docs/TABLES.md, DuckDB's column comments and the Parquet field metadata come from these
    undescribed = [name for name, info in TABLES[table].model_fields.items() if not info.description]
    assert undescribed == [], f"{table}: give these fields a Field(description=...) in schemas/models.py"


def test_interface_columns_exist():
    for table, columns in INTERFACE.items():
        assert columns <= set(TABLES[table].model_fields), table


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory, prefect_api):
    import shutil

    from flows.pipeline import newsetl_flow

    inputs = tmp_path_factory.mktemp("contract-inputs")
    shutil.copytree(SEEDS, inputs / "seeds")
    (inputs / "seeds" / "empty.txt").write_bytes(b"")  # so quarantine has a file too
    for n in (1, 2):  # two pages of one folder sharing a footer line, so template_lines has rows too
        (inputs / "seeds" / f"shared-footer-{n}.txt").write_text(
            f"Story {n} of the day\n\nThe river rose by {n} metres overnight, the county said on Monday morning.\n\n"
            "Copyright River County Times, all rights reserved\n",
            encoding="utf-8",
        )
    data_dir = tmp_path_factory.mktemp("contract")
    newsetl_flow([str(inputs / "seeds")], data_dir=str(data_dir))
    return data_dir


@pytest.mark.parametrize("table", list(TABLES))
def test_written_parquet_schema_equals_model(seeded_dir, table):
    files = sorted((seeded_dir / "parquet" / table).rglob("*.parquet"))
    assert files, table
    for path in files:
        schema = pq.read_schema(path)
        assert schema.remove_metadata() == arrow_schema(table).remove_metadata()
        assert schema.metadata[SCHEMA_VERSION_KEY] == str(SCHEMA_VERSION).encode()


@pytest.mark.parametrize("table", list(TABLES))
def test_each_key_identifies_one_row(seeded_dir, table):
    key = ", ".join(KEYS[table])
    con = duckdb.connect(str(seeded_dir / "news.duckdb"), read_only=True)
    try:
        rows, distinct = con.execute(f"SELECT count(*), count(DISTINCT ({key})) FROM {table}").fetchone()
    finally:
        con.close()
    assert rows > 0 and rows == distinct, f"{table}: ({key}) is not a key"


def test_column_descriptions_are_in_parquet_and_duckdb(seeded_dir):
    layout = DataLayout(str(seeded_dir))
    readers = {
        "news.duckdb": duckdb.connect(str(seeded_dir / "news.duckdb"), read_only=True),
        "Parquet views": parquet_connection(layout),
    }
    for table in TABLES:
        expected = column_descriptions(table)
        for path in (seeded_dir / "parquet" / table).rglob("*.parquet"):
            schema = pq.read_schema(path)
            assert {f.name: f.metadata[DESCRIPTION_KEY].decode() for f in schema} == expected, path
        for name, con in readers.items():
            comments = dict(
                con.execute(
                    "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ?", [table]
                ).fetchall()
            )
            assert comments == expected, (name, table)
    for con in readers.values():
        con.close()


@pytest.mark.parametrize("table", list(TABLES))
def test_duckdb_table_equals_model(seeded_dir, table):
    con = duckdb.connect(str(seeded_dir / "news.duckdb"), read_only=True)
    try:
        columns = con.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
    finally:
        con.close()
    expected = [
        (name, sql_type.replace(" NOT NULL", ""), "NO" if "NOT NULL" in sql_type else "YES")
        for name, sql_type in duckdb_columns(table)
    ]
    assert [(n, t.replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"), null) for n, t, null in columns] == expected


def test_long_text_is_stored_zstd_compressed(seeded_dir):
    """Paragraph text is marked long text in the model: the loaded DuckDB file stores it
    with zstd (a 3x smaller file than DuckDB's default for it); nothing else is forced."""
    assert {table: long_text_columns(table) for table in TABLES if long_text_columns(table)} == {"paragraphs": {"text"}}
    con = duckdb.connect(str(seeded_dir / "news.duckdb"), read_only=True)
    try:
        methods = dict(
            con.execute(
                "SELECT column_name, list(DISTINCT compression) FROM pragma_storage_info('paragraphs') "
                "WHERE segment_type = 'VARCHAR' GROUP BY column_name"
            ).fetchall()
        )
        n = con.execute("SELECT count(*) FROM paragraphs WHERE text LIKE '%said%'").fetchone()[0]
    finally:
        con.close()
    assert methods["text"] == ["ZSTD"] and "ZSTD" not in methods["kind"]
    assert n > 0  # and the text reads back


def test_old_parquet_files_stay_readable_after_a_column_is_added(tmp_path):
    """Schema evolution: files written before a column existed read alongside newer ones."""
    layout = DataLayout(str(tmp_path))
    snapshot = tmp_path / ".snapshots" / "s1"
    new_schema = arrow_schema("removed_lines")
    old_schema = new_schema.remove(new_schema.get_field_index("rule"))  # "version 0" had no rule
    row = {"run_id": "r", "ingest_date": None, "doc_id": "d", "line_no": 1, "text": "Now playing"}
    import datetime as dt

    row["ingest_date"] = dt.date(2026, 1, 1)
    for name, schema, values in (
        ("old", old_schema, row),
        ("new", new_schema, {**row, "line_no": 2, "rule": "video_playlist"}),
    ):
        directory = snapshot / "removed_lines" / "2026-01-01"
        directory.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([values], schema=schema), directory / f"{name}.parquet")
    (tmp_path / "parquet").symlink_to(".snapshots/s1")
    con = parquet_connection(layout)
    assert con.execute("SELECT line_no, rule FROM removed_lines ORDER BY line_no").fetchall() == [
        (1, None),
        (2, "video_playlist"),
    ]
    # and a DuckDB file created by the old version gains the column on upgrade
    db = duckdb.connect(str(tmp_path / "old.duckdb"))
    db.execute(duckdb_ddl("removed_lines").replace(",\n  rule VARCHAR NOT NULL", ""))
    ensure_schema(db)
    names = [r[0] for r in db.execute("DESCRIBE removed_lines").fetchall()]
    assert "rule" in names
