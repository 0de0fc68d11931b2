-- Building a snapshot (warehouse/snapshots.py): which rows of the parent a run's
-- re-read inputs supersede.  Each starts with "-- name: NAME"; parameters are $named;
-- {column} is a table's input key (snapshots.INPUT_KEY), {files} a list of file names
-- as SQL string literals (one by one, never a glob).

-- The URIs of the inputs a run re-read: the union of its files' keys.  Kept in DuckDB,
-- never as a Python list: a first run over a million files re-reads a million inputs.
-- name: create_reread_inputs
CREATE OR REPLACE TEMP TABLE reread_inputs AS {keys};

-- One table's part of {keys} (joined by UNION).
-- name: input_keys_of_files
SELECT {column} AS key FROM read_parquet([{files}], hive_partitioning = false);

-- {keys} of a run that wrote no inputs and no quarantine rows.
-- name: no_input_keys
SELECT NULL::VARCHAR AS key WHERE false;

-- name: count_reread_inputs
SELECT count(*) FROM reread_inputs;

-- name: reread_input_keys
SELECT key FROM reread_inputs;

-- The files (of one table of the parent) holding rows of a re-read input.
-- name: files_with_reread_inputs
SELECT DISTINCT filename
FROM read_parquet($files, filename = true, hive_partitioning = false, union_by_name = true)
WHERE {column} IN (SELECT key FROM reread_inputs);

-- The documents of re-read inputs in those files: their rows in the other tables go too.
-- name: superseded_doc_ids
SELECT doc_id FROM read_parquet($files, hive_partitioning = false) WHERE source_uri IN (SELECT key FROM reread_inputs);

-- The files (of documents) holding rows of a few documents (warehouse/near_duplicates.py:
-- the members of re-rooted clusters, whose files the snapshot rewrites).
-- name: files_with_doc_ids
SELECT DISTINCT filename
FROM read_parquet($files, filename = true, hive_partitioning = false, union_by_name = true)
WHERE doc_id IN (SELECT unnest($doc_ids::VARCHAR[]));
