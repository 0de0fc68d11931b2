-- Loading a snapshot into a run's new DuckDB file (warehouse/load.py).
-- Each starts with "-- name: NAME"; parameters are $named; {table} and {column} are a
-- table and a column of the schema (schemas/models.py), {sql_type} a column's DuckDB type.

-- Which snapshot the file holds (one row): readers compare it with the published link.
-- name: create_loaded
CREATE TABLE IF NOT EXISTS _loaded (snapshot_id VARCHAR NOT NULL, loaded_at TIMESTAMPTZ NOT NULL);

-- name: loaded_snapshot
SELECT snapshot_id FROM _loaded;

-- name: forget_loaded
DELETE FROM _loaded;

-- name: record_loaded
INSERT INTO _loaded VALUES ($snapshot_id, now());

-- The columns a file's table has: a newer model may have added some since it was written.
-- name: table_columns
SELECT column_name FROM information_schema.columns WHERE table_name = $table;

-- A column a newer model introduced: nullable, since the rows already there lack it.
-- name: add_column
ALTER TABLE {table} ADD COLUMN {column} {sql_type};

-- A table's Parquet files (named one by one, never a glob), whatever columns they predate.
-- name: insert_files
INSERT INTO {table} BY NAME
SELECT * FROM read_parquet($files, hive_partitioning = false, union_by_name = true);

-- The documents of the inputs the run re-read (reread_inputs, see snapshots.sql): their rows go.
-- name: superseded_documents
CREATE OR REPLACE TEMP TABLE superseded_documents AS
SELECT doc_id FROM documents WHERE source_uri IN (SELECT key FROM reread_inputs);

-- name: delete_superseded_document_rows
DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM superseded_documents);

-- name: delete_reread_input_rows
DELETE FROM {table} WHERE {column} IN (SELECT key FROM reread_inputs);

-- The documents of the files a run rewrote ({files}: <shard>~<run_id>) take those files'
-- near_duplicate_of: a cluster whose root left the warehouse was re-rooted in them.
-- name: update_near_duplicate_of
UPDATE documents SET near_duplicate_of = f.near_duplicate_of
FROM read_parquet($files, hive_partitioning = false, union_by_name = true) f
WHERE documents.doc_id = f.doc_id AND documents.near_duplicate_of IS DISTINCT FROM f.near_duplicate_of;
