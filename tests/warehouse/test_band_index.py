"""warehouse.band_index: the LSH buckets' members found in sorted segments give the
matching exactly what the band scan of document_bands gives, across runs, re-runs,
superseded documents and merges; a damaged or missing part of the index is rebuilt from
document_bands; the published snapshot's index is never written."""

from __future__ import annotations

import json
import os

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
import pytest

import bench.bench_near_duplicates_scale as scale
from bench.bench_near_duplicates import build_corpus
from tests.warehouse.direct_run import publish_run
from warehouse import band_index, near_duplicates
from warehouse.layout import DataLayout, band_index_dir, table_dir
from warehouse.query import parquet_connection, table_views
from warehouse.snapshots import parquet_files, shard_name


def _write_records(path, docs) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for doc in docs:
        record = doc["record"]
        lines.append(
            json.dumps(
                {
                    "id": record.source_id,
                    "text": record.text,
                    "title": record.title,
                    "publisher": record.publisher,
                    "published_at": record.published_at,
                    "url": record.url,
                }
            )
        )
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _rows(table: pa.Table) -> set[tuple]:
    return set(zip(*(table.column(c).to_pylist() for c in ("band", "band_hash", "doc_id"))))


def _signatures(table: pa.Table) -> set[tuple]:
    return set(zip(table.column("doc_id").to_pylist(), (bytes(v) for v in table.column("minhash").to_pylist())))


@pytest.fixture
def compared(monkeypatch):
    """Every matching the runs do is done twice, with the index's rows and with the band
    scan's: the results must be identical.  Records what each run compared."""
    seen: list[dict] = []
    real = near_duplicates.run_assignment

    def both(con, run_id, index, superseded=near_duplicates.NO_DOC_IDS, timings=None):
        with_index = real(con, run_id, index, superseded, timings)
        scan = near_duplicates.BandScan(con, run_id)
        with_scan = real(con, run_id, scan, superseded)
        assert with_index.sort_by("doc_id").equals(with_scan.sort_by("doc_id"))
        # the signatures read from the index are the table's
        candidates = con.sql("SELECT doc_id FROM document_signatures").to_arrow_table().column("doc_id")
        assert _signatures(index.signatures(candidates.combine_chunks())) == _signatures(
            scan.signatures(index.bucket_rows.column("doc_id").combine_chunks())
        )
        documents = {row[0] for row in con.execute("SELECT doc_id FROM documents").fetchall()}
        probed, scan_rows = _rows(index.bucket_rows), _rows(scan.bucket_rows)
        assert scan_rows <= probed and all(row[2] not in documents for row in probed - scan_rows)
        seen.append({"run_id": run_id, "assigned": with_index.num_rows, "extra_rows": len(probed - scan_rows)})
        return with_index

    monkeypatch.setattr(near_duplicates, "run_assignment", both)
    return seen


def _segments(snapshot_dir: str) -> list[band_index.Segment]:
    folder = band_index_dir(snapshot_dir)
    return [band_index.Segment(os.path.join(folder, n)) for n in sorted(os.listdir(folder))]


def _check_covers(snapshot_dir: str) -> None:
    """The index of a published snapshot covers every document_bands file, and holds no
    row of a document that is not in the table unless that segment was never merged."""
    shards = {shard_name(f) for f in parquet_files(table_dir(snapshot_dir, "document_bands")) if "empty-" not in f}
    covered = set().union(*(s.shards for s in _segments(snapshot_dir)))
    assert shards <= covered


def test_the_index_gives_the_band_scans_clusters_across_runs_reruns_and_superseded_documents(
    tmp_path, monkeypatch, compared
):
    monkeypatch.setattr(band_index, "MERGE_FANOUT", 2)  # merges at every other run
    docs = build_corpus(40, seed=7)
    first = [d for d in docs if d["run"] == 1]
    second = [d for d in docs if d["run"] == 2]
    pages, data = tmp_path / "pages", tmp_path / "data"
    layout = DataLayout(str(data))
    for k in range(3):
        _write_records(pages / f"a{k}.jsonl", first[k::3])
    publish_run(data, [pages], 1)
    _write_records(pages / "b.jsonl", second)
    publish_run(data, [pages], 2)
    assert publish_run(data, [pages], 3).processed == 0  # a re-run: nothing new
    # a0's documents are superseded: half of them leave, copies of the others stay
    _write_records(pages / "a0.jsonl", first[0::6])
    publish_run(data, [pages], 4)
    # a1 re-read with one record more: its other documents come back unchanged
    _write_records(pages / "a1.jsonl", first[1::3] + second[:1])
    publish_run(data, [pages], 5)
    _write_records(pages / "c.jsonl", [d for d in docs if d["story"] is not None][::4])
    last = publish_run(data, [pages], 6)

    assert [c["assigned"] > 0 for c in compared] == [True] * len(compared) and len(compared) == 5
    assert any(c["extra_rows"] for c in compared), "superseded or re-read documents' rows were in the index"
    snapshot = layout.snapshot_dir(last.run_id)
    _check_covers(snapshot)
    segments = _segments(snapshot)
    assert len(segments) < 5 and any("merge" in os.path.basename(s.path) for s in segments)
    # a merged segment holds each document of the table once, and no superseded one
    con = parquet_connection(layout)
    try:
        live = {row[0] for row in con.execute("SELECT doc_id FROM documents").fetchall()}
    finally:
        con.close()
    for segment in segments:
        if "merge" in os.path.basename(segment.path):
            ids = segment.doc_ids.to_pylist()
            assert len(set(ids)) == len(ids) and set(ids) <= live


def test_a_damaged_or_missing_segment_is_rebuilt_and_the_published_index_is_never_written(tmp_path, compared):
    docs = build_corpus(20, seed=3)
    pages, data = tmp_path / "pages", tmp_path / "data"
    layout = DataLayout(str(data))
    _write_records(pages / "a.jsonl", [d for d in docs if d["run"] == 1])
    publish_run(data, [pages], 1)
    _write_records(pages / "b.jsonl", [d for d in docs if d["run"] == 2][::2])
    second = publish_run(data, [pages], 2)
    folder = band_index_dir(layout.snapshot_dir(second.run_id))
    first_segment, second_segment = sorted(os.listdir(folder))
    before = {name: _bytes(os.path.join(folder, name)) for name in os.listdir(folder)}

    # a run's new segment and the notes of a damaged one; the published snapshot's files keep their bytes
    with open(os.path.join(folder, first_segment), "r+b") as handle:
        handle.truncate(100)
    _write_records(pages / "c.jsonl", [d for d in docs if d["run"] == 2][1::2])
    building, _, notes = _build(layout, pages, 3)
    assert len(notes) == 1 and first_segment in notes[0] and "rebuilt from document_bands" in notes[0]
    _check_covers(building)
    assert _bytes(os.path.join(folder, second_segment)) == before[second_segment]
    assert len(compared) == 3 and compared[-1]["assigned"] > 0

    # no index at all (a snapshot written again from news.duckdb): built from document_bands
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    os.rmdir(folder)
    building, _, notes = _build(layout, pages, 4)
    assert notes == []
    _check_covers(building)
    assert compared[-1] == {**compared[-2], "run_id": compared[-1]["run_id"]}


def test_a_segment_whose_rows_are_damaged_is_rebuilt(tmp_path, compared):
    """A segment whose layout checks out (schema, band offsets) but whose document codes
    point nowhere: the probe fails on it, and the index is built again from document_bands."""
    docs = build_corpus(20, seed=3)
    pages, data = tmp_path / "pages", tmp_path / "data"
    layout = DataLayout(str(data))
    _write_records(pages / "a.jsonl", [d for d in docs if d["run"] == 1])
    first = publish_run(data, [pages], 1)
    path = os.path.join(
        band_index_dir(layout.snapshot_dir(first.run_id)),
        os.listdir(band_index_dir(layout.snapshot_dir(first.run_id)))[0],
    )
    table = ipc.open_file(path).read_all()
    doc = table.column("doc").chunk(0)
    nowhere = pa.array(np.full(len(doc), len(doc.dictionary) + 6, np.int32))
    damaged = table.set_column(1, "doc", pa.DictionaryArray.from_arrays(nowhere, doc.dictionary, safe=False))
    with ipc.new_file(path, damaged.schema) as writer:
        writer.write_table(damaged)

    _write_records(pages / "b.jsonl", [d for d in docs if d["run"] == 2])
    building, _, notes = _build(layout, pages, 2)
    assert len(notes) == 1 and "band index was damaged" in notes[0] and "rebuilt from document_bands" in notes[0]
    _check_covers(building)
    assert compared[-1]["assigned"] > 0  # and the same assignments as the band scans (``compared``)


def _bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _build(layout: DataLayout, pages, n: int):
    """Plan, shards and the snapshot of run ``n``, not published."""
    from flows.shards import process_shard
    from schemas.settings import RunSettings
    from tests.warehouse.direct_run import run_id
    from warehouse.plan import plan_run
    from warehouse.snapshots import build_snapshot
    from warehouse.templates import write_known_templates

    rid, settings = run_id(n), RunSettings(workers=1)
    plan = plan_run([str(pages)], layout, rid, "2026-12-01", settings.shard_docs)
    write_known_templates(layout, rid)
    for spec in plan.shard_specs:
        process_shard(spec, layout.staged_output_dir(rid), rid, "2026-12-01", settings)
    return build_snapshot(layout, layout.staged_output_dir(rid), rid)


def test_on_the_scale_benchmarks_snapshot_the_probe_finds_the_band_scans_rows(tmp_path, monkeypatch):
    """bench/bench_near_duplicates_scale.py's synthetic snapshot (two shards, a run's 30%
    edited copies of earlier documents): the index built from it finds what the scan finds."""
    monkeypatch.setattr(scale, "SHARD_DOCS", 1_000)
    base = str(tmp_path / "snapshot")
    scale.generate(base, 2_000, runs=2)
    scale.add_new_run(base, 300)
    segments, notes = band_index.update_band_index(base, scale.NEW_RUN_ID)
    assert notes == [] and len(segments) == 1 and sum(s.rows for s in segments) == 2_300 * 40
    con = duckdb.connect()
    table_views(con, base, near_duplicates.TABLES)
    scanned = near_duplicates.BandScan(con, scale.NEW_RUN_ID).bucket_rows
    index = band_index.Probe(segments, band_index.run_keys(base, scale.NEW_RUN_ID))
    probed = index.bucket_rows
    assert len(probed) == len(scanned) > 300 * 40 and _rows(probed) == _rows(scanned)
    result = near_duplicates.run_assignment(con, scale.NEW_RUN_ID, index)
    assert result.num_rows == 90  # the run's 30% edited copies of earlier documents


def test_a_size_class_too_large_to_merge_whole_merges_its_smallest_segments(monkeypatch):
    """Ten segments of a class that together exceed MAX_SEGMENT_ROWS still merge, a few
    at a time (so they too shed superseded rows); a class of fewer than MERGE_FANOUT waits."""
    from types import SimpleNamespace

    monkeypatch.setattr(band_index, "MAX_SEGMENT_ROWS", 1_000)
    big = [SimpleNamespace(rows=rows) for rows in (400, 300, 350, 200, 250, 500, 450, 380, 320, 310)]
    chosen = band_index._merge_group(big)
    assert [s.rows for s in chosen] == [200, 250, 300]  # the smallest, while they fit 1,000 rows
    assert band_index._merge_group(big[:9]) == []
    assert band_index._merge_group([SimpleNamespace(rows=600) for _ in range(10)]) == []  # no two fit
