-- Writing a lost snapshot again from the DuckDB file that holds it (warehouse/recovery.py),
-- table by table and day by day.  {table} is a table of the schema; parameters are $named.

-- name: ingest_days
SELECT DISTINCT ingest_date FROM {table} ORDER BY 1;

-- name: rows_of_day
SELECT * FROM {table} WHERE ingest_date = $day;
