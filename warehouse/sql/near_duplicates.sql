-- Near-duplicate clusters: documents.near_duplicate_of for one run's documents, against
-- every document of the snapshot being built (earlier runs' and the run's own).
-- Run by warehouse/near_duplicates.py at publishing, over the snapshot's Parquet
-- (views documents, document_signatures, document_bands), with the parameters
-- $run_id, $threshold, $num_perm and $min_shared_bands (transforms.fingerprint).  One
-- statement per block, separated by ";"; the last one returns the result: each of the
-- run's documents that has a near_duplicate_of, with it, and each earlier run's document
-- whose near_duplicate_of changes because its cluster lost its root (rerooted = true).
--
-- "First seen" orders documents: every earlier run's before this run's; within a run
-- by publication time (unknown last), then source_uri, source_offset, source_id and
-- doc_id, so the result depends on the documents only, never on how the run was cut
-- into shards or whether it was killed and resumed.  A document's cluster is that of the
-- first-seen document it matches.  Earlier runs' assignments change in one case only: a
-- cluster whose root (its first-seen document) left the warehouse (its input changed, so
-- its document was replaced) is re-rooted at its earliest remaining member.

-- Only the documents that take part are read whole and ranked: the run's own, those in
-- its LSH buckets, those with the clean text of one of its documents, and the members of
-- clusters that lost their root.  The other scans read a column or two, and the run's
-- own rows are found by run_id (each file holds one run's rows: its statistics skip the
-- others).  Ranking every document (a sort of the whole documents table) was a third of
-- the matching's time at 10^6 documents (docs/PERFORMANCE.md).

-- The doc_ids earlier runs' rows may point at that no document has any more: a cluster
-- loses its root when its input changed, so its document was replaced.  Only the
-- documents this run superseded can leave (nd_superseded: the earlier documents of its
-- re-read inputs, from warehouse/snapshots.py), and every earlier run re-rooted what it
-- lost: a run that re-read nothing loses no root, and no scan of every near_duplicate_of
-- is needed (2.7 CPU-s at 10^7 documents).
CREATE OR REPLACE TEMP TABLE nd_lost_roots AS
SELECT doc_id FROM nd_superseded
EXCEPT
SELECT d.doc_id FROM documents d SEMI JOIN nd_superseded s ON s.doc_id = d.doc_id;

-- The LSH buckets (band, band_hash) the run's documents fall in, and every document in
-- them: nd_bucket_rows is what warehouse/near_duplicates.py found for them in the band
-- index (warehouse/band_index.py; a scan of document_bands here cost ~3 CPU-s per 10^6
-- documents).  The index may hold a document's rows twice (a re-read input's document
-- unchanged) and rows of superseded documents until they are merged away: the first go
-- here, the others with the join on nd_docs below (only documents of the snapshot).
CREATE OR REPLACE TEMP TABLE nd_bucket_docs AS
SELECT DISTINCT band, band_hash, doc_id FROM nd_bucket_rows;

-- The documents that take part, with their first-seen ranks (run ids sort by their start
-- time): the joins below carry this integer, not the columns that order it (at 10^5
-- pages the bucket table with those columns outgrew the memory limit).  Ranks of a subset
-- keep the order of the whole, which is all the comparisons below use.
CREATE OR REPLACE TEMP TABLE nd_docs AS
WITH new_texts AS (
    SELECT DISTINCT text_hash FROM documents WHERE run_id = $run_id AND text_hash IS NOT NULL
), involved AS (
    SELECT doc_id FROM documents WHERE run_id = $run_id
    UNION SELECT doc_id FROM nd_bucket_docs
    UNION SELECT d.doc_id FROM documents d SEMI JOIN new_texts t ON t.text_hash = d.text_hash
    UNION SELECT d.doc_id FROM documents d SEMI JOIN nd_lost_roots l ON l.doc_id = d.near_duplicate_of
)
SELECT doc_id, run_id, text_hash, n_chars, near_duplicate_of,
       row_number() OVER (ORDER BY run_id, published_at NULLS LAST, source_uri NULLS LAST,
                                   source_offset NULLS FIRST, source_id NULLS LAST, doc_id) AS rank
FROM documents SEMI JOIN involved i ON i.doc_id = documents.doc_id;

-- Clusters whose root left the warehouse: the earliest of the earlier runs' documents
-- pointing at it (first-seen order) is the cluster's new root (near_duplicate_of NULL),
-- the others point at it; the run's documents below then match the cluster through it,
-- and no row is left pointing at a missing document.
CREATE OR REPLACE TEMP TABLE nd_rerooted AS
WITH orphans AS (
    SELECT d.doc_id, d.near_duplicate_of AS lost_root, d.rank
    FROM nd_docs d SEMI JOIN nd_lost_roots l ON l.doc_id = d.near_duplicate_of
    WHERE d.run_id <> $run_id
), new_roots AS (
    SELECT lost_root, arg_min(doc_id, rank) AS new_root FROM orphans GROUP BY lost_root
)
SELECT o.doc_id, CASE WHEN o.doc_id <> r.new_root THEN r.new_root END AS near_duplicate_of
FROM orphans o JOIN new_roots r ON r.lost_root = o.lost_root;

UPDATE nd_docs SET near_duplicate_of = r.near_duplicate_of
FROM nd_rerooted r WHERE nd_docs.doc_id = r.doc_id;

-- The run's documents with their first-seen ranks.
CREATE OR REPLACE TEMP TABLE nd_new AS
SELECT doc_id, text_hash, rank AS first_seen FROM nd_docs WHERE run_id = $run_id;

-- The buckets' members by first-seen rank.
CREATE OR REPLACE TEMP TABLE nd_bucket_members AS
SELECT b.band, b.band_hash, d.rank AS key FROM nd_bucket_docs b JOIN nd_docs d ON d.doc_id = b.doc_id;

-- Candidate pairs (new document, earlier document): in each of its buckets, the bucket's
-- first-seen members (up to three besides itself: a member that fails the check below, e.g. a
-- different story sharing one stock phrase, does not hide the next), when the two share at
-- least $min_shared_bands buckets; and the first-seen document with the same clean text.
-- Comparing with a bucket's first members only keeps the work linear in the documents,
-- however large a cluster grows (a press release on a thousand sites is a thousand pairs,
-- not a million), and loses no cluster: the first documents of a story are the first
-- members of its buckets.  A pair that shares one bucket only is nearly always two stories
-- sharing a stock sentence (9 candidates in 10 on the benchmark, none of them a match):
-- the signature check, the costly part, is spared them.  A bucket of one document (all
-- those of a story seen once) holds no pair.
CREATE OR REPLACE TEMP TABLE nd_candidates AS
WITH firsts AS (
    SELECT band, band_hash, min(key, 4) AS keys FROM nd_bucket_members GROUP BY band, band_hash HAVING count(*) > 1
), pairs AS (
    SELECT m.key, unnest(f.keys) AS other_key
    FROM nd_bucket_members m
    SEMI JOIN nd_new n ON n.first_seen = m.key
    JOIN firsts f ON f.band = m.band AND f.band_hash = m.band_hash
), banded AS (
    SELECT key, other_key FROM pairs WHERE other_key < key
    GROUP BY key, other_key HAVING count(*) >= $min_shared_bands
)
SELECT n.doc_id, o.doc_id AS other_id
FROM banded p JOIN nd_docs n ON n.rank = p.key JOIN nd_docs o ON o.rank = p.other_key
UNION
SELECT n.doc_id, min_by(d.doc_id, d.rank)
FROM nd_new n JOIN nd_docs d ON d.text_hash = n.text_hash AND d.doc_id <> n.doc_id
WHERE n.text_hash IS NOT NULL AND d.n_chars > 0 AND d.rank < n.first_seen
GROUP BY n.doc_id;

-- The candidates' signatures as lists of 120 integers: nd_signature_values is what
-- warehouse/near_duplicates.py read for them where the band index keeps them (each
-- segment holds its documents' signatures at fixed places, so a few thousand are read
-- by position: a semi-join with document_signatures read every row group of its
-- 960-byte values, the costliest step at 10^6-10^7 documents; docs/PERFORMANCE.md).
CREATE OR REPLACE TEMP TABLE nd_signatures AS
SELECT doc_id, minhash FROM nd_signature_values;

-- Each candidate with what decides: is it earlier, is it the same story (the same text,
-- or signatures agreeing in at least threshold x num_perm positions), and its cluster.
CREATE OR REPLACE TEMP TABLE nd_matches AS
SELECT * FROM (
    SELECT c.doc_id, c.other_id, n.first_seen,
           o.run_id = $run_id AS other_is_new,
           o.rank AS other_first_seen,
           -- an earlier run's document stands for its cluster (every root is there: see nd_rerooted)
           CASE WHEN o.run_id = $run_id THEN o.doc_id ELSE coalesce(o.near_duplicate_of, o.doc_id) END AS other_root,
           o.near_duplicate_of AS other_near_duplicate_of,
           o.text_hash = n.text_hash
             OR list_sum(list_transform(range(1, $num_perm + 1), lambda i: (s.minhash[i] = os.minhash[i])::INTEGER))
                >= $threshold * $num_perm AS same_story
    FROM nd_candidates c
    JOIN nd_new n ON n.doc_id = c.doc_id
    JOIN nd_docs o ON o.doc_id = c.other_id
    LEFT JOIN nd_signatures s ON s.doc_id = c.doc_id
    LEFT JOIN nd_signatures os ON os.doc_id = c.other_id
)
WHERE same_story
  -- a re-read document is not the duplicate of the documents that were its duplicates
  AND coalesce(other_near_duplicate_of, '') <> doc_id AND other_root <> doc_id;

-- Each new document points at its first-seen match: an earlier run's document stands
-- for its cluster (its root), a document of this run is followed further below.
CREATE OR REPLACE TEMP TABLE nd_pointers AS
SELECT doc_id,
       arg_min(other_root, other_first_seen) AS target,
       arg_min(other_is_new, other_first_seen) AS target_is_new
FROM nd_matches GROUP BY doc_id;

-- Follow pointers within the run to the document that points nowhere (or to an earlier
-- run's root): every step goes to an earlier document, so the walk ends.
CREATE OR REPLACE TEMP TABLE nd_assignments AS
WITH RECURSIVE walk(doc_id, target, target_is_new, depth) AS (
    SELECT doc_id, target, target_is_new, 1 FROM nd_pointers
    UNION ALL
    SELECT w.doc_id, p.target, p.target_is_new, w.depth + 1
    FROM walk w JOIN nd_pointers p ON p.doc_id = w.target
    WHERE w.target_is_new
)
SELECT doc_id, arg_max(target, depth) AS near_duplicate_of FROM walk GROUP BY doc_id;

SELECT doc_id, near_duplicate_of, false AS rerooted FROM nd_assignments
UNION ALL
SELECT doc_id, near_duplicate_of, true AS rerooted FROM nd_rerooted
ORDER BY doc_id;
