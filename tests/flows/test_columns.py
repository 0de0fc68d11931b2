"""Column tests on a real run (dbt / jaffle_shop style): keys unique, references
resolve, every categorical column holds accepted values only, no orphan rows.

One run of the real flow over the seeds and the golden inputs (generated pages,
hand-written hard cases, JSONL with bad records), checked in the real DuckDB file.
"""

from __future__ import annotations

import shutil
import typing

import pytest

from schemas.models import InputKind, ParagraphKind, QuoteKind
from tests.conftest import query
from tests.golden.harness import ROOT as PROJECT_ROOT
from tests.golden.harness import golden_inputs

CHILD_TABLES = ("paragraphs", "quotes", "removed_lines")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, prefect_api):
    from flows.pipeline import newsetl_flow

    inputs = tmp_path_factory.mktemp("column-inputs")
    for name, path in golden_inputs().items():
        shutil.copy(PROJECT_ROOT / path, inputs / f"{name}{path.suffix}")
    data_dir = tmp_path_factory.mktemp("columns")
    summary = newsetl_flow([str(inputs)], data_dir=str(data_dir))
    assert summary.processed > 20 and summary.quarantined > 0
    return data_dir


def _one(data_dir, sql: str):
    return query(data_dir, sql)[0][0]


@pytest.mark.parametrize(
    "table, key",
    [
        ("documents", "doc_id"),
        ("paragraphs", "doc_id, ordinal"),
        ("removed_lines", "doc_id, line_no, text"),
        ("quotes", "doc_id, paragraph_ordinal, char_start, char_end"),
        ("inputs", "uri"),
        ("runs", "run_id"),
    ],
)
def test_keys_are_unique_and_not_null(warehouse, table, key):
    assert _one(warehouse, f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY ALL HAVING count(*) > 1)") == 0
    nulls = " OR ".join(f"{column.strip()} IS NULL" for column in key.split(","))
    assert _one(warehouse, f"SELECT count(*) FROM {table} WHERE {nulls}") == 0


@pytest.mark.parametrize("table", CHILD_TABLES)
def test_no_orphan_rows(warehouse, table):
    assert _one(warehouse, f"SELECT count(*) FROM {table} WHERE doc_id NOT IN (SELECT doc_id FROM documents)") == 0


def test_quotes_point_at_a_paragraph_of_their_document_or_the_title(warehouse):
    assert (
        _one(
            warehouse,
            """
        SELECT count(*) FROM quotes q
        WHERE q.paragraph_ordinal <> -1
          AND NOT EXISTS (SELECT 1 FROM paragraphs p WHERE p.doc_id = q.doc_id AND p.ordinal = q.paragraph_ordinal)
    """,
        )
        == 0
    )
    assert _one(warehouse, "SELECT count(*) FROM quotes WHERE char_start < 0 OR char_end <= char_start") == 0


def test_paragraph_ordinals_run_from_zero_without_gaps(warehouse):
    assert (
        _one(
            warehouse,
            """
        SELECT count(*) FROM (SELECT doc_id, min(ordinal) AS lo, max(ordinal) AS hi, count(*) AS n
                              FROM paragraphs GROUP BY doc_id) WHERE lo <> 0 OR hi <> n - 1
    """,
        )
        == 0
    )


def test_document_counts_match_their_rows(warehouse):
    for table, column in (("paragraphs", "n_paragraphs"), ("quotes", "n_quotes"), ("removed_lines", "n_removed_lines")):
        assert (
            _one(
                warehouse,
                f"""
            SELECT count(*) FROM documents d
            WHERE d.{column} <> (SELECT count(*) FROM {table} t WHERE t.doc_id = d.doc_id)
        """,
            )
            == 0
        ), column


@pytest.mark.parametrize(
    "table, column, accepted",
    [
        ("paragraphs", "kind", set(typing.get_args(ParagraphKind))),
        ("quotes", "kind", set(typing.get_args(QuoteKind))),
        ("documents", "input_kind", set(typing.get_args(InputKind))),
    ],
)
def test_categorical_columns_hold_accepted_values(warehouse, table, column, accepted):
    found = {row[0] for row in query(warehouse, f"SELECT DISTINCT {column} FROM {table}")}
    assert found and found <= accepted


def test_every_removal_names_a_documented_rule(warehouse):
    from transforms.clean import RULES

    found = {row[0] for row in query(warehouse, "SELECT DISTINCT rule FROM removed_lines")}
    assert len(found) >= 5 and found <= set(RULES), found - set(RULES)


def test_quarantine_stages_are_accepted_values_and_counts_add_up(warehouse):
    from schemas.models import QuarantineRow

    stages = set(typing.get_args(QuarantineRow.model_fields["stage"].annotation))
    found = {row[0] for row in query(warehouse, "SELECT DISTINCT stage FROM quarantine")}
    assert found and found <= stages
    seen, processed, skipped, quarantined = query(
        warehouse, "SELECT n_seen, n_processed, n_skipped, n_quarantined FROM runs"
    )[0]
    assert seen == processed + skipped + quarantined
    assert quarantined == _one(warehouse, "SELECT count(*) FROM quarantine")
    assert processed == _one(warehouse, "SELECT count(*) FROM documents")
