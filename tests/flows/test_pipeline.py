"""The real flow on seeds/, checked through the real DuckDB file and Parquet files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from tests.conftest import parquet_rows, query

SEED_CNN = "000_baf19a50518b6e72.txt"
SEED_RD = "001_2d56a537528789b0.txt"
CONTENT_TABLES = {
    "documents": "doc_id, source_id, source_uri, title, n_paragraphs, n_quotes, n_removed_lines",
    "paragraphs": "doc_id, ordinal, kind, text, char_start, char_end",
    "quotes": "doc_id, paragraph_ordinal, quote_group, text, speaker, speaker_name, cue, kind",
    "removed_lines": "doc_id, line_no, text, rule",
    "inputs": "uri, size, mtime_ns, content_hash, n_records",
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, prefect_api):
    """One run over a copy of seeds/ shared by the read-only checks below."""
    from flows.pipeline import newsetl_flow

    data_dir = tmp_path_factory.mktemp("seeded")
    summary = newsetl_flow([str(Path(__file__).resolve().parents[2] / "seeds")], data_dir=str(data_dir))
    return data_dir, summary


def _doc(data_dir, seed_name: str) -> str:
    rows = query(data_dir, "SELECT doc_id FROM documents WHERE source_id LIKE ?", [f"%{seed_name}"])
    assert len(rows) == 1, rows
    return rows[0][0]


def _paragraphs(data_dir, doc_id: str) -> list[tuple[str, str]]:
    return query(data_dir, "SELECT kind, text FROM paragraphs WHERE doc_id = ? ORDER BY ordinal", [doc_id])


def test_counts_add_up(seeded):
    data_dir, summary = seeded
    assert summary.seen == 2 and summary.processed == 2
    assert summary.seen == summary.processed + summary.skipped + summary.quarantined
    (runs,) = query(data_dir, "SELECT n_seen, n_processed, n_paragraphs, n_quotes, n_removed_lines, status FROM runs")
    assert runs == (2, 2, summary.paragraphs, summary.quotes, summary.removed_lines, "completed")
    assert query(data_dir, "SELECT count(*) FROM paragraphs")[0][0] == summary.paragraphs
    assert query(data_dir, "SELECT sum(n_paragraphs) FROM documents")[0][0] == summary.paragraphs


def test_cnn_seed_is_clean(seeded):
    data_dir, _ = seeded
    paragraphs = _paragraphs(data_dir, _doc(data_dir, SEED_CNN))
    for _, text in paragraphs:
        assert "Now playing" not in text and "Getty Images" not in text and ".jpg" not in text
        assert not re.search(r"\b\d{1,2}:\d{2}\b", text), text
    body = [text for kind, text in paragraphs if kind == "body"]
    assert body[0] == "Not since the Cold War have relations between the US and Russia been so poor."
    assert body[-1] == (
        "In other words, the conflict may have lost a major player, "
        "but any peaceful end for Syria feels as far away as ever."
    )
    highlights = [text for kind, text in paragraphs if kind == "highlight"]
    assert highlights == [
        "What can the US do, other than leave Russia and Syria to find a solution on their own?",
        "Russia, it seems, is using the Syria conflict to throw its weight around",
    ]
    notes = [text for kind, text in paragraphs if kind == "editor_note"]
    assert len(notes) == 1 and notes[0].startswith("Editor’s Note: Nic Robertson")


def test_rd_seed_boilerplate_is_in_removed_lines(seeded):
    data_dir, _ = seeded
    doc_id = _doc(data_dir, SEED_RD)
    paragraphs = _paragraphs(data_dir, doc_id)
    assert paragraphs[0][0] == "lead"
    assert paragraphs[0][1].startswith("The parties of war won in both Moscow and Washington.")
    removed = query(data_dir, "SELECT text, rule FROM removed_lines WHERE doc_id = ?", [doc_id])
    removed_texts = [text.strip() for text, _ in removed]
    for start in ("A Civil Defense worker carrying", "Also read:", "Recommended:"):
        assert any(t.startswith(start) for t in removed_texts), start
        assert not any(t.startswith(start) for _, t in paragraphs), start
    assert all(rule for _, rule in removed)


def test_quotes_and_speakers(seeded):
    data_dir, _ = seeded
    rows = query(data_dir, "SELECT text, speaker, speaker_name, quote_group, doc_id, kind FROM quotes")

    def speaker_of(fragment: str) -> str | None:
        hits = [r for r in rows if fragment in r[0]]
        assert hits, fragment
        return hits[0][2]

    assert speaker_of("Everybody’s patience with Russia has run out") == "Josh Earnest"
    assert "Trenin" in speaker_of("We have to forget about collaboration so far")
    assert "Lamrani" in speaker_of("If Aleppo falls")
    assert "Rogulev" in speaker_of("When we deal with the outgoing administration")
    assert "Kuznetsov" in speaker_of("No one in Syria will bet only on Russia.")
    kirby = [r for r in rows if r[0].startswith(("This is not a decision", "Unfortunately, Russia failed"))]
    assert len(kirby) == 2
    assert {r[2] for r in kirby} == {"John Kirby"}
    assert kirby[0][3] == kirby[1][3] and kirby[0][4] == kirby[1][4]
    assert not any("Making sense of the new US-Russian ceasefire" in r[0] for r in rows)


def test_offsets_slice_the_texts(seeded):
    data_dir, _ = seeded
    bad_paragraphs = query(
        data_dir,
        """
        SELECT p.doc_id, p.ordinal FROM paragraphs p JOIN document_texts t USING (doc_id)
        WHERE substr(t.text, p.char_start + 1, p.char_end - p.char_start) <> p.text""",
    )
    assert bad_paragraphs == []
    bad_quotes = query(
        data_dir,
        """
        SELECT q.text FROM quotes q JOIN paragraphs p
          ON p.doc_id = q.doc_id AND p.ordinal = q.paragraph_ordinal
        WHERE substr(p.text, q.char_start + 1, q.char_end - q.char_start) <> q.text""",
    )
    assert bad_quotes == []


def test_article_paragraphs_hold_the_articles_lists_and_tables_not_its_highlights(tmp_path, seeded, run_flow):
    data_dir, _ = seeded
    kinds = {kind for (kind,) in query(data_dir, "SELECT DISTINCT kind FROM paragraphs")}
    assert {"highlight", "editor_note"} <= kinds  # the CNN seed's box and note ...
    article_kinds = {kind for (kind,) in query(data_dir, "SELECT DISTINCT kind FROM article_paragraphs")}
    assert not article_kinds & {"highlight", "editor_note"}  # ... are not the article's text
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(Path(__file__).resolve().parents[1] / "fixtures" / "pipeline" / "list-and-table-article.txt", inputs)
    run_flow([str(inputs)], str(tmp_path / "data"))
    rows = query(tmp_path / "data", "SELECT kind, text FROM article_paragraphs ORDER BY ordinal")
    assert [text for kind, text in rows if kind == "list_item"] == [
        "- a new concrete wall along the old quay",
        "- pumps to drain the lower streets after storms",
        "- a warning system for the harbour's fishing fleet",
    ]
    assert [text.split("\t")[0] for kind, text in rows if kind == "table_row"] == [
        "Phase",
        "Quay wall",
        "Pumps",
        "Warnings",
    ]
    assert rows[-1][1].startswith("Work on the first phase")


def test_views_answer(seeded):
    data_dir, _ = seeded
    top = query(data_dir, "SELECT speaker, quotes FROM quotes_per_speaker")
    assert top and all(n >= 1 for _, n in top)
    assert query(data_dir, "SELECT count(*) FROM article_paragraphs")[0][0] > 20
    assert (
        query(data_dir, "SELECT sum(lines) FROM removal_rules")[0][0]
        == query(data_dir, "SELECT count(*) FROM removed_lines")[0][0]
    )


def test_parquet_matches_duckdb(seeded):
    """Dashboards read the Parquet directly: same rows as the DuckDB tables."""
    data_dir, _ = seeded
    for table, columns in CONTENT_TABLES.items():
        from_parquet = sorted(parquet_rows(data_dir, table, f"SELECT {columns} FROM t"), key=repr)
        from_duckdb = sorted(query(data_dir, f"SELECT {columns} FROM {table}"), key=repr)
        assert from_parquet == from_duckdb, table
    # ingest_date is both a column in each file and the directory name: plain and
    # typed-hive pyarrow readers both work (inferred hive would guess "string").
    n_paragraphs = query(data_dir, "SELECT count(*) FROM paragraphs")[0][0]
    directory = Path(data_dir) / "parquet" / "paragraphs"
    assert ds.dataset(directory, format="parquet").count_rows() == n_paragraphs
    hive = ds.partitioning(pa.schema([("ingest_date", pa.date32())]), flavor="hive")
    assert ds.dataset(directory, format="parquet", partitioning=hive).to_table().num_rows == n_paragraphs


def test_parquet_files_are_zstd_and_partitioned(seeded):
    import pyarrow.parquet as pq

    data_dir, _ = seeded
    files = list((Path(data_dir) / "parquet" / "paragraphs").rglob("*.parquet"))
    # one folder per ingest day, named by the day alone (the column is in the files)
    assert files and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", f.parent.name) for f in files)
    meta = pq.ParquetFile(files[0]).metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
    assert not list(Path(data_dir).rglob("*.tmp"))


def _table_state(data_dir) -> dict[str, list]:
    return {
        table: sorted(query(data_dir, f"SELECT {cols} FROM {table}"), key=repr)
        for table, cols in CONTENT_TABLES.items()
    }


def test_rerun_is_idempotent(run_flow, seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    first = run_flow([seeds_copy], data_dir)
    before = _table_state(data_dir)
    second = run_flow([seeds_copy], data_dir)
    assert (second.processed, second.skipped, second.seen) == (0, 2, 2)
    assert _table_state(data_dir) == before
    assert query(data_dir, "SELECT count(*) FROM runs")[0][0] == 2
    assert first.processed == 2


def test_changed_input_replaces_only_its_rows(run_flow, seeds_copy, tmp_path):
    data_dir = tmp_path / "data"
    run_flow([seeds_copy], data_dir)
    old_cnn = _doc(data_dir, SEED_CNN)
    rd_rows = query(
        data_dir,
        "SELECT doc_id, run_id, ordinal, text FROM paragraphs WHERE doc_id = ? ORDER BY ordinal",
        [_doc(data_dir, SEED_RD)],
    )
    seed = seeds_copy / SEED_CNN
    seed.write_text(
        seed.read_text(encoding="utf-8") + "\n\nA brand new closing paragraph was added to this story today.\n",
        encoding="utf-8",
    )
    summary = run_flow([seeds_copy], data_dir)
    assert (summary.processed, summary.skipped) == (1, 1)
    new_cnn = _doc(data_dir, SEED_CNN)
    assert new_cnn != old_cnn
    assert query(data_dir, "SELECT count(*) FROM paragraphs WHERE doc_id = ?", [old_cnn])[0][0] == 0
    assert query(data_dir, "SELECT count(*) FROM quotes WHERE doc_id = ?", [old_cnn])[0][0] == 0
    assert _paragraphs(data_dir, new_cnn)[-1][1] == "A brand new closing paragraph was added to this story today."
    # the untouched seed keeps its rows, down to the run that wrote them
    assert (
        query(
            data_dir,
            "SELECT doc_id, run_id, ordinal, text FROM paragraphs WHERE doc_id = ? ORDER BY ordinal",
            [rd_rows[0][0]],
        )
        == rd_rows
    )
    assert query(data_dir, "SELECT count(*) FROM documents")[0][0] == 2
    assert len(parquet_rows(data_dir, "documents")) == 2
    assert len(parquet_rows(data_dir, "inputs")) == 2


def test_touched_but_unchanged_input_is_skipped(run_flow, seeds_copy, tmp_path):
    import os

    data_dir = tmp_path / "data"
    run_flow([seeds_copy], data_dir)
    before = _table_state(data_dir)
    os.utime(seeds_copy / SEED_RD, ns=(1, 1))
    summary = run_flow([seeds_copy], data_dir)
    assert (summary.processed, summary.skipped) == (0, 2)
    assert _table_state(data_dir) == before


def test_report_artifact_has_the_run_counts(seeded, prefect_api):
    import json
    import urllib.request

    _, summary = seeded
    # Plain REST: this Prefect client's artifact filter sends nulls the pinned server rejects.
    body = {
        "artifacts": {"key": {"any_": ["newsetl-run-summary"]}},
        "limit": 50,
        "offset": 0,
        "sort": "CREATED_DESC",
        "flow_runs": {},
        "task_runs": {},
    }
    request = urllib.request.Request(
        f"{prefect_api}/artifacts/filter",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        artifacts = json.load(response)
    matching = [a for a in artifacts if summary.run_id in json.dumps(a["data"])]
    assert len(matching) == 1 and matching[0]["type"] == "table"
    data = matching[0]["data"]
    rows = data if isinstance(data, list) else json.loads(data)
    values = {row["metric"]: row["value"] for row in rows}
    assert values["run_id"] == summary.run_id
    assert (
        int(values["seen"])
        == summary.seen
        == int(values["processed"]) + int(values["skipped"]) + int(values["quarantined"])
    )
