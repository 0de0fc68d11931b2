-- Tables over a snapshot's Parquet files (warehouse/query.py: `sql --parquet`, the
-- dashboard, the templates a run hands its shards).  {table} is a table of the schema,
-- {files} the list of its files as SQL string literals: named one by one, never a glob;
-- {view} a view of views.sql.

-- {extra} is empty, or ", NULL::TYPE AS column" for each column of the model that no file
-- has yet (every file predates it): a reader sees the current schema either way.
-- name: table_over_files
CREATE OR REPLACE VIEW {table} AS
SELECT *{extra} FROM read_parquet([{files}], hive_partitioning = false, union_by_name = true);

-- Files written before a column was added lack it: what the view has.
-- name: columns_of
SELECT column_name FROM (DESCRIBE {table});

-- The views a connection has (docs/TABLES.md lists them with columns_of).
-- name: view_names
SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY view_name;

-- A view of views.sql, whole (the dashboard's tables).
-- name: whole_view
SELECT * FROM {view};

-- name: relation_columns
SELECT column_name FROM duckdb_columns() WHERE table_name = $relation;
