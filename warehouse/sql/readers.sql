-- Tables over a snapshot's Parquet files (warehouse/query.py: `sql --parquet`, the
-- dashboard, the templates a run hands its shards).  {table} is a table of the schema,
-- {files} the list of its files as SQL string literals: named one by one, never a glob.

-- name: table_over_files
CREATE VIEW {table} AS SELECT * FROM read_parquet([{files}], hive_partitioning = false, union_by_name = true);

-- Files written before a column was added lack it: what the view has.
-- name: columns_of
SELECT column_name FROM (DESCRIBE {table});
