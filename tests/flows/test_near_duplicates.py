"""Near-duplicates across runs, end to end with the real flow: a story in a first run,
its edited republication on another site (and an exact copy) in a second, with a
different story on the same topic; the real DuckDB file and the published Parquet
agree on near_duplicate_of and on the near_duplicates view."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.arrow import SCHEMA_VERSION_KEY
from schemas.models import SCHEMA_VERSION
from tests.conftest import query
from transforms.fingerprint import NUM_PERM, SIGNATURE_VALUE_BYTES, signature_values
from warehouse.band_index import Segment
from warehouse.layout import DataLayout, band_index_dir, table_dir
from warehouse.query import parquet_reader
from warehouse.snapshots import parquet_files, shard_name

STORY = [
    "The city council voted on Tuesday to close the old Riverside bridge to cars from next spring, ending a "
    "debate that has divided the town for three years.",
    "Engineers told councillors that the steel supports had corroded far faster than expected since the floods "
    "of 2019, and that heavy lorries were already banned.",
    '"This is a painful decision, but it is the only responsible one," Mayor Anna Kowalski said after the vote, '
    "which passed by nine votes to four.",
    "Shop owners on Mill Street fear the closure will cut them off from the customers who drive in from the "
    "eastern suburbs every weekend.",
    "A temporary footbridge will be built beside the old one, and three bus routes will be diverted over the "
    "north crossing while the work goes on.",
    "The council expects to choose a design for a replacement bridge by the end of next year, with construction "
    "costs estimated at 40 million euros.",
    "Residents can comment on the plans at the town hall until the end of the month, and a public meeting is "
    "planned for early March.",
]
# The same event told by another reporter: names, places and facts shared, sentences not.
SAME_TOPIC = [
    "Drivers will lose their shortest route into town when the Riverside bridge shuts next spring, and many "
    "say nobody asked them.",
    "At a packed meeting in the school hall, residents asked why the repairs promised after the 2019 floods "
    "never happened.",
    "Kowalski defended the council, saying money set aside for the bridge had gone to schools and to the "
    "hospital instead.",
    "Traders on Mill Street warned that a year of detours over the north crossing could close several family "
    "businesses on the east bank.",
    "Officials promised a footbridge and extra buses, but gave no date for a new crossing to be finished or a "
    "budget for it.",
]
UNRELATED = [
    "The regional orchestra announced its new season on Friday, with six premieres and a tour of three "
    "northern cities in the spring.",
    "Tickets go on sale next week, and students will again be able to buy seats for five euros at every "
    "concert of the season.",
]
FERRY = [
    "The island ferry will sail an hour earlier from Monday, the operator said, so that commuters can reach "
    "the mainland before the morning shift starts at the port."
]
# Republished: a new headline, paragraphs reordered, a sentence added, the ending
# trimmed, and the other site's furniture around it.
EDITED = (
    STORY[3:5]
    + STORY[:2]
    + ["The bridge carries about 12,000 vehicles a day, according to the council's own figures."]
    + [STORY[2], "Share this article", "Sign up for the Valley Post morning briefing"]
)


def _record(source_id: str, publisher: str, title: str, paragraphs: list[str], published_at: str | None) -> dict:
    return {
        "id": source_id,
        "publisher": publisher,
        "title": title,
        "published_at": published_at,
        "text": "\n\n".join([title, *paragraphs]),
    }


def _write(path, records) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def _write_wire_run(inputs) -> None:
    """The earlier run: the wire's story and an unrelated one."""
    _write(
        inputs / "wire.jsonl",
        [
            _record("wire-1", "Wire Daily", "Council votes to close Riverside bridge", STORY, "2026-11-30T08:00:00Z"),
            _record("wire-2", "Wire Daily", "Orchestra unveils its season", UNRELATED, "2026-11-30T09:00:00Z"),
        ],
    )


SQL = "SELECT source_id, doc_id, near_duplicate_of FROM documents ORDER BY source_id"
VIEW = "SELECT doc_id, documents, exact_copies, publishers, first_seen, first_published FROM near_duplicates"
SIGNATURES = "SELECT doc_id, n_shingles, minhash FROM document_signatures ORDER BY doc_id"


def test_a_republished_story_is_matched_against_an_earlier_run(run_flow, tmp_path):
    _write_wire_run(tmp_path / "run1")
    _write(
        tmp_path / "run2" / "sites.jsonl",
        [
            _record("valley-1", "Valley Post", "Riverside bridge to shut to traffic", EDITED, "2026-11-30T12:00:00Z"),
            _record("valley-2", "Valley Post", "Anger over bridge closure", SAME_TOPIC, "2026-11-30T13:00:00Z"),
            _record("coast-1", "Coast Times", "Council votes to close Riverside bridge", STORY, None),  # an exact copy
        ],
    )
    data = tmp_path / "data"
    run_flow([tmp_path / "run1"], data)
    first = {source_id: (doc_id, dup) for source_id, doc_id, dup in query(data, SQL)}
    assert [dup for _, dup in first.values()] == [None, None]
    assert query(data, VIEW) == []

    run_flow([tmp_path / "run2"], data)
    rows = query(data, SQL)
    original = first["wire-1"][0]
    assert {source_id: dup for source_id, _, dup in rows} == {
        "wire-1": None,
        "wire-2": None,
        "valley-2": None,
        "valley-1": original,
        "coast-1": original,
    }
    (cluster,) = query(data, VIEW)
    run1_day = query(data, "SELECT ingest_date FROM documents WHERE source_id = 'wire-1'")[0][0]
    assert cluster[:4] == (original, 3, 1, ["Coast Times", "Valley Post", "Wire Daily"])
    assert cluster[4] == run1_day and cluster[5].isoformat().startswith("2026-11-30T08:00")

    # the published Parquet (dashboard, `newsetl sql --parquet`) says the same
    con = parquet_reader(DataLayout(str(data)))
    try:
        assert con.execute(SQL).fetchall() == rows
        assert con.execute(VIEW).fetchall() == [cluster]
    finally:
        con.close()

    # a run with nothing new changes nothing
    run_flow([tmp_path / "run1", tmp_path / "run2"], data)
    assert query(data, SQL) == rows
    # the original's file is re-read (a record appended): the same document stays the
    # first of its cluster, not a duplicate of its own copies
    with open(tmp_path / "run1" / "wire.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps(_record("wire-3", "Wire Daily", "Ferry timetable", FERRY, None)) + "\n")
    run_flow([tmp_path / "run1"], data)
    after = query(data, SQL)
    assert [row for row in after if row[0] != "wire-3"] == rows
    assert [row[2] for row in after if row[0] == "wire-3"] == [None]
    assert query(data, VIEW) == [cluster]


def _file_digests(snapshot_dir: str) -> dict[str, str]:
    return {
        os.path.relpath(path, snapshot_dir): hashlib.sha256(open(path, "rb").read()).hexdigest()
        for path in parquet_files(snapshot_dir)
    }


DANGLING = (
    "SELECT count(*) FROM documents WHERE near_duplicate_of IS NOT NULL "
    "AND near_duplicate_of NOT IN (SELECT doc_id FROM documents)"
)


def test_a_cluster_whose_first_document_changes_is_rerooted(run_flow, tmp_path):
    """A story's first copy (A) and two copies (B, C) in separate files; then A's file
    tells another story: B, the earliest remaining, becomes the root, C and a new copy
    point at it, nothing points at A's old doc_id, and the old snapshot is untouched."""
    inputs, data = tmp_path / "in", tmp_path / "data"
    _write(
        inputs / "a.jsonl", [_record("a", "Wire Daily", "Council votes to close bridge", STORY, "2026-11-30T08:00:00Z")]
    )
    _write(inputs / "b.jsonl", [_record("b", "Valley Post", "Bridge to shut", EDITED, "2026-11-30T12:00:00Z")])
    _write(inputs / "c.jsonl", [_record("c", "Coast Times", "Council votes to close bridge", STORY, None)])
    layout = DataLayout(str(data))
    run_flow([inputs], data)
    first = {source_id: (doc_id, dup) for source_id, doc_id, dup in query(data, SQL)}
    assert {s: dup for s, (_, dup) in first.items()} == {"a": None, "b": first["a"][0], "c": first["a"][0]}
    old_snapshot = layout.snapshot_dir(layout.current_snapshot())
    old_files = _file_digests(old_snapshot)

    _write(inputs / "a.jsonl", [_record("a", "Wire Daily", "Orchestra unveils its season", UNRELATED, None)])
    _write(inputs / "d.jsonl", [_record("d", "Hill News", "Riverside bridge will close", STORY, None)])
    summary = run_flow([inputs], data)
    assert (summary.processed, summary.skipped) == (2, 2)

    rows = query(data, SQL)
    doc_of = {source_id: doc_id for source_id, doc_id, _ in rows}
    root = first["b"][0]
    assert doc_of["b"] == root and doc_of["a"] != first["a"][0]
    assert {source_id: dup for source_id, _, dup in rows} == {"a": None, "b": None, "c": root, "d": root}
    assert query(data, DANGLING) == [(0,)]
    cluster = query(data, "SELECT doc_id, title, documents, exact_copies, publishers FROM near_duplicates")
    assert cluster == [(root, "Bridge to shut", 3, 0, ["Coast Times", "Hill News", "Valley Post"])]
    con = parquet_reader(DataLayout(str(data)))
    try:
        assert con.execute(SQL).fetchall() == rows
        assert con.execute(DANGLING).fetchall() == [(0,)]
    finally:
        con.close()
    # the previous snapshot (a reader may still be on it) holds the bytes it held
    assert _file_digests(old_snapshot) == old_files

    # a rerun with nothing new changes nothing
    run_flow([inputs], data)
    assert query(data, SQL) == rows


def _as_older_schema_version(data_dir, version: int) -> None:
    """Rewrite the published snapshot as schema version 2 or 3 wrote it: no band index,
    every file's metadata that version (a new file replaces each link), and in version 2
    each signature a list of 120 integers."""
    snapshot = os.path.realpath(data_dir / "parquet")
    shutil.rmtree(band_index_dir(snapshot))
    for path in parquet_files(snapshot):
        data = pq.read_table(path)
        if "minhash" in data.column_names and version == 2:
            values = [list(signature_values(stored)) for stored in data.column("minhash").to_pylist()]
            index = data.column_names.index("minhash")
            data = data.set_column(index, "minhash", pa.array(values, pa.list_(pa.int64())))
        pq.write_table(data.replace_schema_metadata({SCHEMA_VERSION_KEY: str(version).encode()}), path + ".old")
        os.replace(path + ".old", path)
    if version == 2:
        os.remove(data_dir / "news.duckdb")


def _current_and_older(run_flow, tmp_path, version: int, third_site: list[dict]):
    """Two warehouses after the wire run: ``current`` as this version writes it, ``upgraded``
    set back to schema ``version``; run2 (written here) is the valley site's edit and
    follow-up plus ``third_site``."""
    _write_wire_run(tmp_path / "run1")
    _write(
        tmp_path / "run2" / "sites.jsonl",
        [
            _record("valley-1", "Valley Post", "Riverside bridge to shut to traffic", EDITED, "2026-11-30T12:00:00Z"),
            _record("valley-2", "Valley Post", "Anger over bridge closure", SAME_TOPIC, "2026-11-30T13:00:00Z"),
            *third_site,
        ],
    )
    current, upgraded = tmp_path / "current", tmp_path / "upgraded"
    for data in (current, upgraded):
        run_flow([tmp_path / "run1"], data)
    _as_older_schema_version(upgraded, version)
    return current, upgraded


def _second_run_on_both(run_flow, tmp_path, current, upgraded) -> dict[str, str]:
    """run2 on both warehouses: the upgraded one's documents and clusters are the current
    one's; returns the doc_id of each source_id."""
    for data in (current, upgraded):
        run_flow([tmp_path / "run2"], data)
    rows = query(current, SQL)
    assert query(upgraded, SQL) == rows
    assert query(upgraded, VIEW) == query(current, VIEW)
    return {source_id: doc_id for source_id, doc_id, _ in rows}


def test_a_version_2_warehouse_is_migrated_and_matches_as_a_current_one(run_flow, tmp_path):
    """Version 2 stored signatures as lists: a warehouse it wrote is upgraded by the next
    run, whose matching then gives what a warehouse written by this version gives."""
    current, upgraded = _current_and_older(
        run_flow, tmp_path, 2, [_record("ferry-1", "Coast Times", "Ferry timetable", FERRY, None)]
    )
    (old_file,) = [f for f in parquet_files(str(upgraded / "parquet" / "document_signatures")) if "empty-" not in f]
    assert pq.read_schema(old_file).field("minhash").type == pa.list_(pa.int64())

    ids = _second_run_on_both(run_flow, tmp_path, current, upgraded)
    assert {source_id: dup for source_id, _, dup in query(current, SQL)} == {
        "ferry-1": None,
        "valley-1": ids["wire-1"],
        "valley-2": None,
        "wire-1": None,
        "wire-2": None,
    }
    # the upgraded warehouse holds what this version writes: the same signatures, as
    # 960-byte values, in the Parquet and in DuckDB
    assert _parquet_signatures(upgraded) == _parquet_signatures(current)
    assert query(upgraded, SIGNATURES) == query(current, SIGNATURES)
    assert query(upgraded, "SELECT DISTINCT typeof(minhash), octet_length(minhash) FROM document_signatures") == [
        ("BLOB", NUM_PERM * SIGNATURE_VALUE_BYTES)
    ]
    assert query(upgraded, "SELECT max(schema_version) FROM runs") == [(SCHEMA_VERSION,)]


def _parquet_signatures(data_dir) -> list[tuple]:
    con = parquet_reader(DataLayout(str(data_dir)))
    try:
        return con.execute(SIGNATURES).fetchall()
    finally:
        con.close()


def test_a_version_3_warehouse_gets_a_band_index_and_matches_as_a_current_one(run_flow, tmp_path):
    """Version 3 had no band index: the next run's migration builds it from
    document_bands (linking the tables' files as they are), and the run's matching gives
    what a warehouse written by this version gives."""
    coast = _record("coast-1", "Coast Times", "Council votes to close Riverside bridge", STORY, None)
    current, upgraded = _current_and_older(run_flow, tmp_path, 3, [coast])
    old_snapshot = os.path.realpath(upgraded / "parquet")

    ids = _second_run_on_both(run_flow, tmp_path, current, upgraded)
    assert {source_id: dup for source_id, _, dup in query(current, SQL)} == {
        "coast-1": ids["wire-1"],
        "valley-1": ids["wire-1"],
        "valley-2": None,
        "wire-1": None,
        "wire-2": None,
    }
    assert query(upgraded, "SELECT max(schema_version) FROM runs") == [(SCHEMA_VERSION,)]

    layout = DataLayout(str(upgraded))
    old_id, migration_id, run2_id = layout.complete_snapshots()
    assert layout.snapshot_dir(old_id) == old_snapshot and layout.current_snapshot() == run2_id
    for snapshot_id in (migration_id, run2_id):  # both index every document_bands file
        snapshot = layout.snapshot_dir(snapshot_id)
        folder = band_index_dir(snapshot)
        covered = set().union(*(Segment(os.path.join(folder, name)).shards for name in os.listdir(folder)))
        bands = parquet_files(table_dir(snapshot, "document_bands"))
        assert {shard_name(f) for f in bands if "empty-" not in f} <= covered
    # the migration linked the tables' files as they were (only runs files carry the version)
    for table in ("documents", "paragraphs", "document_bands"):
        (old,) = [f for f in parquet_files(table_dir(old_snapshot, table)) if "empty-" not in f]
        migrated = old.replace(old_snapshot, layout.snapshot_dir(migration_id))
        assert os.stat(old).st_ino == os.stat(migrated).st_ino
