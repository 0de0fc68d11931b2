-- Planning a run (warehouse/plan.py): the discovered listing against the manifest.
-- Each starts with "-- name: NAME"; parameters are $named.

-- The published manifest (the snapshot's `inputs` files, named one by one: never a glob).
-- name: manifest_from_files
CREATE TEMP TABLE manifest AS
SELECT uri, size, mtime_ns, content_hash, n_records FROM read_parquet($files, hive_partitioning = false);

-- Before the first run there is no manifest.
-- name: manifest_empty
CREATE TEMP TABLE manifest (uri VARCHAR, size BIGINT, mtime_ns BIGINT, content_hash VARCHAR, n_records BIGINT);

-- Every listed file once (a file named by two inputs is listed twice), with what the
-- manifest knew of it; `unchanged` files (same size and mtime) are not opened again.
-- name: input_changes
CREATE TEMP TABLE input_changes AS
WITH listing AS (
    SELECT DISTINCT ON (uri) * FROM read_parquet($listing, hive_partitioning = false) ORDER BY uri, name
)
SELECT l.uri, l.name, l.size, l.mtime_ns, l.fs_path,
       m.content_hash AS previous_hash, m.n_records AS previous_records,
       coalesce(m.size = l.size AND m.mtime_ns = l.mtime_ns, false) AS unchanged
FROM listing l LEFT JOIN manifest m USING (uri);

-- The first changed files, enough to size the shards.
-- name: first_changed_files
SELECT name, size FROM input_changes WHERE NOT unchanged LIMIT $limit;

-- name: input_changes_in_order
SELECT uri, name, size, mtime_ns, fs_path, previous_hash, previous_records, unchanged FROM input_changes ORDER BY uri;
