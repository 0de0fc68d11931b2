-- The band index (warehouse/band_index.py) finds the members of a run's LSH buckets by
-- binary search and reads the candidates' signatures by position; these are the scans
-- of document_bands and document_signatures it replaces (warehouse/near_duplicates.py,
-- BandScan), which tests and benchmarks hold the index to.  Parameter: $run_id.

-- The LSH buckets (band, band_hash) the run's documents fall in, and every document in them.
-- name: bucket_rows_by_scan
WITH buckets AS (
    SELECT DISTINCT band, band_hash FROM document_bands WHERE run_id = $run_id
)
SELECT b.band, b.band_hash, b.doc_id
FROM document_bands b SEMI JOIN buckets k ON k.band = b.band AND k.band_hash = b.band_hash;

-- The signatures of the documents in nd_wanted (doc_id).
-- name: signatures_by_scan
SELECT doc_id, minhash FROM document_signatures
SEMI JOIN nd_wanted w ON w.doc_id = document_signatures.doc_id;

-- The documents of near_duplicates.sql's candidate pairs, whose signatures it compares.
-- name: candidate_ids
SELECT doc_id FROM nd_candidates UNION SELECT other_id FROM nd_candidates;
