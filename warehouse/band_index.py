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
``band_hash`` (int64) and ``doc`` (int32 codes into a dictionary of its documents: each
one's doc_id and MinHash signature, 960 bytes at a fixed place), with the offsets where
each band starts.  It is memory-mapped, never read whole: a probe touches about 40
places per run document and segment, and the candidates' signatures are read where
they lie (a scan of ``document_signatures`` for them cost more than the rest of the
matching at 10^6 documents).  Segments are immutable files,
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
import mmap
import os

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from transforms.fingerprint import NUM_BANDS, NUM_PERM, SIGNATURE_VALUE_BYTES
from warehouse.layout import band_index_dir, table_dir
from warehouse.snapshots import NO_DOC_IDS, parquet_files, shard_name

SEGMENT_SUFFIX = ".arrow"
#: Band rows a segment is built or merged up to (500,000 documents, ~730 MB a file with
#: their signatures): what a merge holds in memory (about twice that) stays bounded.
MAX_SEGMENT_ROWS = 20_000_000
#: Segments of one size class (rows within a factor of it) are merged when there are this many.
MERGE_FANOUT = 10

SIGNATURE = pa.binary(NUM_PERM * SIGNATURE_VALUE_BYTES)
DOCUMENT = pa.struct([("doc_id", pa.string()), ("minhash", SIGNATURE)])
SCHEMA = pa.schema([("band_hash", pa.int64()), ("doc", pa.dictionary(pa.int32(), DOCUMENT))])


class Segment:
    """One segment, memory-mapped and checked (``ValueError`` if it is not what it should be)."""

    def __init__(self, path: str):
        self.path = path
        with open(path, "rb") as handle:  # the map stays while its arrays are used
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        # a probe and the signatures read a few places of each page region: without this, each
        # fault reads ahead ~128 KB, which for the signatures is most of the file
        mapped.madvise(mmap.MADV_RANDOM)
        reader = ipc.open_file(pa.BufferReader(pa.py_buffer(mapped)))
        if reader.schema.remove_metadata() != SCHEMA or reader.num_record_batches > 1:
            raise ValueError("not a band index segment: another schema")
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
            self.doc, self.documents = doc.indices.to_numpy(), doc.dictionary
        else:
            self.band_hash, self.doc, self.documents = np.empty(0, np.int64), np.empty(0, np.int32), _NO_DOCUMENTS
        self.doc_ids = self.documents.field("doc_id")

    def band(self, b: int) -> tuple[np.ndarray, np.ndarray]:
        """Band ``b``'s sorted hashes and their documents' codes."""
        return self.band_hash[self.starts[b] : self.starts[b + 1]], self.doc[self.starts[b] : self.starts[b + 1]]

    def probe(self, band: np.ndarray, band_hash: np.ndarray) -> tuple[pa.Table, np.ndarray]:
        """The rows (band, band_hash, doc_id) of the distinct keys (``band`` sorted, and
        ``band_hash`` sorted within a band), and their documents' codes."""
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
            return _NO_ROWS, np.empty(0, np.int32)
        codes = np.concatenate(out_doc)
        return _rows(np.concatenate(out_band), np.concatenate(out_hash), self.doc_ids.take(pa.array(codes))), codes


def _rows(band: np.ndarray, band_hash: np.ndarray, doc_ids: pa.Array) -> pa.Table:
    return pa.table(
        {"band": pa.array(band, pa.int64()), "band_hash": pa.array(band_hash, pa.int64()), "doc_id": doc_ids}
    )


_NO_DOCUMENTS = pa.array([], DOCUMENT)
_NO_ROWS = _rows(np.empty(0, np.int64), np.empty(0, np.int64), NO_DOC_IDS)


class Probe:
    """What the index holds for a run: ``bucket_rows``, every row (band, band_hash,
    doc_id) in the buckets of ``keys`` (band, band_hash) — what a semi-join of
    ``document_bands`` with them finds, plus the rows of superseded documents not yet
    merged away, and some rows twice — and the signatures of those documents."""

    def __init__(self, segments: list[Segment], keys: pa.Table):
        band = keys.column("band").to_numpy().astype(np.int64)
        band_hash = keys.column("band_hash").to_numpy()
        order = np.lexsort((band_hash, band))
        band, band_hash = band[order], band_hash[order]
        first = np.ones(len(band), bool)
        first[1:] = (band[1:] != band[:-1]) | (band_hash[1:] != band_hash[:-1])
        parts = [segment.probe(band[first], band_hash[first]) for segment in segments]
        self.segments = segments
        self.bucket_rows = pa.concat_tables([rows for rows, _ in parts]) if parts else _NO_ROWS
        # where each row's document lies: its segment and code there
        self._segment = np.repeat(np.arange(len(parts)), [len(codes) for _, codes in parts])
        self._code = np.concatenate([codes for _, codes in parts]) if parts else np.empty(0, np.int32)

    def signatures(self, doc_ids: pa.Array) -> pa.Table:
        """(doc_id, minhash) of the ``doc_ids`` found in the buckets that have a signature,
        read from the segments by position."""
        found = pc.fill_null(pc.index_in(doc_ids, value_set=self.bucket_rows.column("doc_id")), -1).to_numpy()
        where = found >= 0
        rows = found[where].astype(np.int64)
        ids = pc.filter(doc_ids, pa.array(where))
        parts, order = [], []
        for k, segment in enumerate(self.segments):
            mine = np.flatnonzero(self._segment[rows] == k)
            if len(mine):
                parts.append(segment.documents.field("minhash").take(pa.array(self._code[rows[mine]])))
                order.append(mine)
        if not parts:
            return pa.table({"doc_id": NO_DOC_IDS, "minhash": pa.array([], SIGNATURE)})
        positions = np.concatenate(order)
        table = pa.table({"doc_id": ids.take(pa.array(positions)), "minhash": pa.concat_arrays(parts)})
        return table.filter(pc.is_valid(table.column("minhash")))


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
    files = _table_files(snapshot_dir, "document_bands")
    signature_files = _table_files(snapshot_dir, "document_signatures")
    covered = set().union(*(s.shards for s in segments))
    uncovered = [f for f in files if shard_name(f) not in covered]
    for k, group in enumerate(_groups(uncovered)):
        path = os.path.join(folder, f"{run_id}-{k}{SEGMENT_SUFFIX}")
        segments.append(_write_segment_of_files(path, group, signature_files))
    present = {shard_name(f) for f in files}
    k = 0
    while merging := _merge_group(segments):
        merged = _merge(os.path.join(folder, f"{run_id}-merge{k}{SEGMENT_SUFFIX}"), merging, files, present)
        for segment in merging:
            os.remove(segment.path)  # the snapshot's link: the parent's file stays
        segments = [s for s in segments if s not in merging] + [merged]
        k += 1
    return segments, notes


def rebuild_band_index(snapshot_dir: str, run_id: str) -> list[Segment]:
    """The index of the snapshot being built, from its ``document_bands`` alone (its
    segments' links removed: the parent's files stay as they are)."""
    folder = band_index_dir(snapshot_dir)
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    return update_band_index(snapshot_dir, run_id)[0]


def _table_files(snapshot_dir: str, table: str) -> list[str]:
    return [f for f in parquet_files(table_dir(snapshot_dir, table)) if not os.path.basename(f).startswith("empty-")]


def _groups(files: list[str]) -> list[list[str]]:
    """``files`` in runs of up to ``MAX_SEGMENT_ROWS`` rows."""
    groups: list[list[str]] = []
    rows = 0
    for path in files:
        n = pq.ParquetFile(path).metadata.num_rows
        if not groups or rows + n > MAX_SEGMENT_ROWS:
            groups.append([])
            rows = 0
        groups[-1].append(path)
        rows += n
    return groups


def _write_segment_of_files(path: str, files: list[str], signature_files: list[str]) -> Segment:
    """A segment of the band rows of ``files``, with the signatures of their documents
    (from the ``signature_files`` of the same shards; null for a document without)."""
    shards = {shard_name(f) for f in files}
    bands = pa.concat_tables(pq.read_table(f, columns=["doc_id", "band", "band_hash"]) for f in files)
    encoded = pc.dictionary_encode(bands.column("doc_id")).combine_chunks()
    band = bands.column("band").to_numpy().astype(np.int64)
    band_hash = bands.column("band_hash").to_numpy()
    order = np.lexsort((band_hash, band))
    starts = np.searchsorted(band[order], np.arange(NUM_BANDS + 1))
    held = [pq.read_table(f, columns=["doc_id", "minhash"]) for f in signature_files if shard_name(f) in shards]
    signatures = (
        pa.concat_tables(held) if held else pa.table({"doc_id": NO_DOC_IDS, "minhash": pa.array([], pa.binary())})
    )
    at = pc.index_in(encoded.dictionary, value_set=signatures.column("doc_id").combine_chunks())
    minhash = signatures.column("minhash").combine_chunks().take(at).cast(SIGNATURE)  # fails on another size
    documents = pa.StructArray.from_arrays([encoded.dictionary, minhash], fields=list(DOCUMENT))
    return write_segment(path, band_hash[order], encoded.indices.to_numpy()[order], documents, starts, shards)


def write_segment(
    path: str, band_hash: np.ndarray, doc: np.ndarray, documents: pa.Array, starts: np.ndarray, shards: set[str]
) -> Segment:
    """Write a segment (rows sorted by band, then band_hash; ``starts``: where each band
    begins; ``doc``: codes into ``documents``) under a temporary name, then rename it: a
    file of that name is whole."""
    doc_column = pa.DictionaryArray.from_arrays(pa.array(doc.astype(np.int32)), documents)
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
    """The segments to merge next: in the smallest size class holding ``MERGE_FANOUT``
    segments, as many of its smallest as fit one segment together (at least two).  Large
    classes merge a few at a time, so they too shed superseded rows, and every merge
    leaves fewer segments: the loop that calls this ends."""
    by_class: dict[int, list[Segment]] = {}
    for segment in segments:
        by_class.setdefault(_size_class(segment), []).append(segment)
    for _, group in sorted(by_class.items()):
        if len(group) < MERGE_FANOUT:
            continue
        chosen: list[Segment] = []
        for segment in sorted(group, key=lambda s: s.rows):
            if sum(s.rows for s in chosen) + segment.rows > MAX_SEGMENT_ROWS:
                break
            chosen.append(segment)
        if len(chosen) >= 2:
            return chosen
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
    live = pc.unique(live.combine_chunks()) if len(live) else NO_DOC_IDS
    all_documents = pa.concat_arrays([s.documents for s in group])
    all_ids = all_documents.field("doc_id")
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
    documents = all_documents.take(pa.array(position[keep][np.argsort(codes[keep])]))  # in the order of new_code
    return write_segment(path, np.concatenate(out_hash), np.concatenate(out_doc), documents, np.array(starts), shards)
