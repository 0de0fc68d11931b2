-- The band index (warehouse/band_index.py) finds the members of a run's LSH buckets by
-- binary search; this is the scan of document_bands it replaces, run by
-- warehouse/near_duplicates.scanned_bucket_rows, which tests and benchmarks hold the
-- index to.  Parameter: $run_id.

-- The LSH buckets (band, band_hash) the run's documents fall in, and every document in them.
-- name: bucket_rows_by_scan
WITH buckets AS (
    SELECT DISTINCT band, band_hash FROM document_bands WHERE run_id = $run_id
)
SELECT b.band, b.band_hash, b.doc_id
FROM document_bands b SEMI JOIN buckets k ON k.band = b.band AND k.band_hash = b.band_hash;
