"""The band index: the LSH buckets' members found by binary search, not by a band scan.

Near-duplicate matching needs every document that shares an LSH bucket (band,
band_hash) with one of the run's documents.  A join on ``document_bands`` reads all
of its rows (40 a document) for that; the index finds them in time that grows with
the run, not with the warehouse (docs/PERFORMANCE.md).  It is derived data:
``document_bands`` stays the table, and the index is made whole from it whenever a
part is missing or damaged.

Layout: ``<snapshot>/band_index/<name>.arrow``, LSM-style segments.  A segment holds
the band rows of some ``document_bands`` shards (``snapshots.shard_name``, listed in
its metadata), sorted by (band, band_hash): one uncompressed Arrow IPC file of
``band_hash`` (int64) and ``doc`` (a dictionary of doc_ids, int32 codes), with the
offsets where each band starts.  It is memory-mapped, never read whole: a probe
touches about 40 places per run document and segment.  Segments are immutable files,
hard-linked from one snapshot into the next like the Parquet files; whatever a run
writes (the segment of its own shards, a segment repairing a damaged or missing one,
a merge of small segments) is a new file in the snapshot being built, so a killed
run leaves the published snapshot's index as it was.

Superseded documents keep their rows in the segment that holds them until it is
merged (a merge keeps only the rows of documents still in ``document_bands``);
until then the matching's join with ``documents`` drops them.  A document re-read
unchanged has rows in two segments: identical rows, which the matching takes once.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from transforms.fingerprint import NUM_BANDS
from warehouse.layout import band_index_dir, table_dir
from warehouse.snapshots import parquet_files, shard_name

SEGMENT_SUFFIX = ".arrow"
#: Band rows a segment is built or merged up to (500,000 documents, ~250 MB a file):
#: what a merge holds in memory (about twice that) stays bounded.
MAX_SEGMENT_ROWS = 20_000_000
#: Segments of one size class (rows within a factor of it) are merged when there are this many.
MERGE_FANOUT = 10

SCHEMA = pa.schema([("band_hash", pa.int64()), ("doc", pa.dictionary(pa.int32(), pa.string()))])


class Segment:
    """One segment, memory-mapped and checked (``ValueError`` if it is not what it should be)."""

    def __init__(self, path: str):
        self.path = path
        reader = ipc.open_file(pa.memory_map(path))  # the map stays open while its arrays are used
        if reader.schema.remove_metadata() != SCHEMA or reader.num_record_batches > 1:
            raise ValueError(f"not a band index segment: {reader.schema}")
        data = reader.read_all()
        metadata = data.schema.metadata or {}
        self.starts = np.asarray(json.loads(metadata[b"band_starts"]), dtype=np.int64)
        self.shards = set(json.loads(metadata[b"shards"]))
        self.rows = data.num_rows
        if (
            len(self.starts) != NUM_BANDS + 1
            or self.starts[0] != 0
            or self.starts[-1] != self.rows
            or (np.diff(self.starts) < 0).any()
        ):
            raise ValueError("band offsets do not fit the rows")
        if self.rows:
            self.band_hash = data.column("band_hash").chunk(0).to_numpy()  # views of the map
            doc = data.column("doc").chunk(0)
            self.doc, self.doc_ids = doc.indices.to_numpy(), doc.dictionary
        else:
            self.band_hash, self.doc, self.doc_ids = np.empty(0, np.int64), np.empty(0, np.int32), _NO_IDS

    def band(self, b: int) -> tuple[np.ndarray, np.ndarray]:
        """Band ``b``'s sorted hashes and their documents' codes."""
        return self.band_hash[self.starts[b] : self.starts[b + 1]], self.doc[self.starts[b] : self.starts[b + 1]]

    def probe(self, band: np.ndarray, band_hash: np.ndarray) -> pa.Table:
        """The rows (band, band_hash, doc_id) of the distinct keys (``band`` sorted, and
        ``band_hash`` sorted within a band)."""
        out_band, out_hash, out_doc = [], [], []
        edges = np.searchsorted(band, np.arange(NUM_BANDS + 1))
        for b in range(NUM_BANDS):
            keys = band_hash[edges[b] : edges[b + 1]]
            hashes, docs = self.band(b)
            if not len(keys) or not len(hashes):
                continue
            lo = np.searchsorted(hashes, keys, "left")
            hit = hashes[np.minimum(lo, len(hashes) - 1)] == keys
            lo, keys = lo[hit], keys[hit]
            counts = np.searchsorted(hashes, keys, "right") - lo  # only the keys found: a bucket may hold several
            rows = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
            out_band.append(np.full(len(rows), b, np.int64))
            out_hash.append(np.repeat(keys, counts))
            out_doc.append(docs[rows])
        if not out_band:
            return _NO_ROWS
        return _rows(
            np.concatenate(out_band), np.concatenate(out_hash), self.doc_ids.take(pa.array(np.concatenate(out_doc)))
        )


def _rows(band: np.ndarray, band_hash: np.ndarray, doc_ids: pa.Array) -> pa.Table:
    return pa.table(
        {"band": pa.array(band, pa.int64()), "band_hash": pa.array(band_hash, pa.int64()), "doc_id": doc_ids}
    )


_NO_IDS = pa.array([], pa.string())
_NO_ROWS = _rows(np.empty(0, np.int64), np.empty(0, np.int64), _NO_IDS)


def probe(segments: list[Segment], keys: pa.Table) -> pa.Table:
    """Every row (band, band_hash, doc_id) of the index in the buckets of ``keys``
    (band, band_hash): what a semi-join of ``document_bands`` with them finds, plus the
    rows of superseded documents not yet merged away, and some rows twice."""
    band = keys.column("band").to_numpy().astype(np.int64)
    band_hash = keys.column("band_hash").to_numpy()
    order = np.lexsort((band_hash, band))
    band, band_hash = band[order], band_hash[order]
    first = np.ones(len(band), bool)
    first[1:] = (band[1:] != band[:-1]) | (band_hash[1:] != band_hash[:-1])
    parts = [segment.probe(band[first], band_hash[first]) for segment in segments]
    return pa.concat_tables(parts) if parts else _NO_ROWS


def run_keys(snapshot_dir: str, run_id: str) -> pa.Table:
    """The run's own band rows (band, band_hash), from its ``document_bands`` files."""
    files = parquet_files(table_dir(snapshot_dir, "document_bands"), run_id)
    if not files:
        return _NO_ROWS.drop(["doc_id"])
    return pa.concat_tables(pq.read_table(f, columns=["band", "band_hash"]) for f in files)


# -- keeping it whole ------------------------------------------------------------------


def link_segments(parent_dir: str, building: str) -> None:
    """Hard-link the parent snapshot's segments into the snapshot being built."""
    source = band_index_dir(parent_dir)
    if not os.path.isdir(source):
        return
    target = band_index_dir(building)
    os.makedirs(target, exist_ok=True)
    for name in sorted(os.listdir(source)):
        if name.endswith(SEGMENT_SUFFIX):
            os.link(os.path.join(source, name), os.path.join(target, name))


def update_band_index(snapshot_dir: str, run_id: str) -> tuple[list[Segment], list[str]]:
    """Make the index of the snapshot being built whole, and return its segments and a
    note per segment found damaged: a damaged segment is removed (the snapshot's link
    only), the ``document_bands`` files no segment covers (the run's own, and those of a
    removed, missing or never-built segment) get new segments, and each size class of
    ``MERGE_FANOUT`` segments is merged.  New files are named after ``run_id``."""
    folder = band_index_dir(snapshot_dir)
    os.makedirs(folder, exist_ok=True)
    segments: list[Segment] = []
    notes: list[str] = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(SEGMENT_SUFFIX):
            continue
        path = os.path.join(folder, name)
        try:
            segments.append(Segment(path))
        except (OSError, ValueError, KeyError, pa.ArrowException) as err:
            notes.append(f"band index segment {name} was damaged ({err}): rebuilt from document_bands")
            os.remove(path)
    files = _band_files(snapshot_dir)
    covered = set().union(*(s.shards for s in segments))
    uncovered = [f for f in files if shard_name(f) not in covered]
    for k, group in enumerate(_groups(uncovered)):
        segments.append(_write_segment_of_files(os.path.join(folder, f"{run_id}-{k}{SEGMENT_SUFFIX}"), group))
    present = {shard_name(f) for f in files}
    k = 0
    while merging := _merge_group(segments):
        merged = _merge(os.path.join(folder, f"{run_id}-merge{k}{SEGMENT_SUFFIX}"), merging, files, present)
        for segment in merging:
            os.remove(segment.path)  # the snapshot's link: the parent's file stays
        segments = [s for s in segments if s not in merging] + [merged]
        k += 1
    return segments, notes


def _band_files(snapshot_dir: str) -> list[str]:
    return [
        f
        for f in parquet_files(table_dir(snapshot_dir, "document_bands"))
        if not os.path.basename(f).startswith("empty-")
    ]


def _groups(files: list[str]) -> list[list[str]]:
    """``files`` in runs of up to ``MAX_SEGMENT_ROWS`` rows."""
    groups: list[list[str]] = []
    rows = MAX_SEGMENT_ROWS
    for path in files:
        n = pq.ParquetFile(path).metadata.num_rows
        if rows + n > MAX_SEGMENT_ROWS:
            groups.append([])
            rows = 0
        groups[-1].append(path)
        rows += n
    return groups


def _write_segment_of_files(path: str, files: list[str]) -> Segment:
    bands = pa.concat_tables(pq.read_table(f, columns=["doc_id", "band", "band_hash"]) for f in files)
    encoded = pc.dictionary_encode(bands.column("doc_id")).combine_chunks()
    band = bands.column("band").to_numpy().astype(np.int64)
    band_hash = bands.column("band_hash").to_numpy()
    order = np.lexsort((band_hash, band))
    starts = np.searchsorted(band[order], np.arange(NUM_BANDS + 1))
    return write_segment(
        path,
        band_hash[order],
        encoded.indices.to_numpy()[order],
        encoded.dictionary,
        starts,
        {shard_name(f) for f in files},
    )


def write_segment(
    path: str, band_hash: np.ndarray, doc: np.ndarray, doc_ids: pa.Array, starts: np.ndarray, shards: set[str]
) -> Segment:
    """Write a segment (rows sorted by band, then band_hash; ``starts``: where each band
    begins) under a temporary name, then rename it: a file of that name is whole."""
    doc_column = pa.DictionaryArray.from_arrays(pa.array(doc.astype(np.int32)), doc_ids)
    table = pa.table(
        {"band_hash": pa.array(band_hash, pa.int64()), "doc": doc_column},
        metadata={"band_starts": json.dumps([int(s) for s in starts]), "shards": json.dumps(sorted(shards))},
    )
    with ipc.new_file(path + ".tmp", table.schema) as writer:
        writer.write_table(table, max_chunksize=max(len(table), 1))
    os.replace(path + ".tmp", path)
    return Segment(path)


def _size_class(segment: Segment) -> int:
    """floor(log_MERGE_FANOUT(rows)), in integers."""
    rows, size_class = segment.rows, 0
    while rows >= MERGE_FANOUT:
        rows, size_class = rows // MERGE_FANOUT, size_class + 1
    return size_class


def _merge_group(segments: list[Segment]) -> list[Segment]:
    """The smallest size class holding ``MERGE_FANOUT`` segments that fit one segment together."""
    by_class: dict[int, list[Segment]] = {}
    for segment in segments:
        by_class.setdefault(_size_class(segment), []).append(segment)
    for _, group in sorted(by_class.items()):
        if len(group) >= MERGE_FANOUT and sum(s.rows for s in group) <= MAX_SEGMENT_ROWS:
            return group
    return []


def _merge(path: str, group: list[Segment], files: list[str], present: set[str]) -> Segment:
    """One segment of ``group``'s rows whose documents are still in ``document_bands``
    (each document's rows once): the inputs are sorted, so each band is a merge of
    sorted runs (numpy's stable sort on them)."""
    shards = set().union(*(s.shards for s in group)) & present
    holding = [f for f in files if shard_name(f) in shards]
    live = pa.chunked_array(
        [pq.read_table(f, columns=["doc_id"]).column("doc_id").combine_chunks() for f in holding], pa.string()
    )
    live = pc.unique(live.combine_chunks()) if len(live) else _NO_IDS
    all_ids = pa.concat_arrays([s.doc_ids for s in group])
    codes = pc.fill_null(pc.index_in(all_ids, value_set=live), -1).to_numpy().astype(np.int64)  # -1: not live
    # each live document once: the first position holding it; the others map to -1
    position = np.arange(len(codes))
    valid = codes >= 0
    _, first = np.unique(codes[valid], return_index=True)
    keep = np.zeros(len(codes), bool)
    keep[position[valid][first]] = True
    used = np.sort(codes[keep])
    new_code = np.full(len(codes), -1, np.int64)
    new_code[keep] = np.searchsorted(used, codes[keep])
    offsets = np.cumsum([0] + [len(s.doc_ids) for s in group])
    out_hash, out_doc, starts = [], [], [0]
    for b in range(NUM_BANDS):
        hashes, docs = [], []
        for segment, offset in zip(group, offsets):
            h, d = segment.band(b)
            mapped = new_code[offset + d.astype(np.int64)]
            hashes.append(h[mapped >= 0])
            docs.append(mapped[mapped >= 0])
        h, d = np.concatenate(hashes), np.concatenate(docs)
        order = np.argsort(h, kind="stable")
        out_hash.append(h[order])
        out_doc.append(d[order])
        starts.append(starts[-1] + len(h))
    return write_segment(
        path, np.concatenate(out_hash), np.concatenate(out_doc), live.take(pa.array(used)), np.array(starts), shards
    )
