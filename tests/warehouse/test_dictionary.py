"""docs/TABLES.md is generated from the models and views.sql, and kept current."""

from __future__ import annotations

from schemas.models import TABLES
from tests.conftest import ROOT
from warehouse import dictionary


def test_tables_md_is_up_to_date():
    written = (ROOT / "docs" / "TABLES.md").read_text(encoding="utf-8")
    assert written == dictionary.render(), "docs/TABLES.md is out of date: run `make docs` and commit it"


def test_every_table_column_and_view_is_documented():
    text = dictionary.render()
    for table, model in TABLES.items():
        assert f"## `{table}`" in text
        for name, info in model.model_fields.items():
            assert f"| `{name}` |" in text and info.description in text
    for view in ("quotes_with_speakers", "document_lines", "removal_rules"):
        row = next(line for line in text.splitlines() if line.startswith(f"| `{view}` |"))
        assert row.split("|")[2].strip(), f"{view} has no comment above it in views.sql"
