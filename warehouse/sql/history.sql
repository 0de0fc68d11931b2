-- The run history (warehouse/history.py), from the published snapshot's `runs` files.
-- Each starts with "-- name: NAME"; parameters are $named ($files: named one by one, never a glob).

-- Which of $run_ids the snapshot's runs table holds.
-- name: published_run_ids
SELECT DISTINCT run_id FROM read_parquet($files, union_by_name = true) WHERE list_contains($run_ids, run_id);

-- The $last runs, newest first (what `newsetl runs` prints).
-- name: run_history
SELECT run_id, status, started_at, seconds_total, n_seen, n_processed, n_skipped, n_quarantined, error
FROM read_parquet($files, union_by_name = true)
ORDER BY run_id DESC
LIMIT $last;
