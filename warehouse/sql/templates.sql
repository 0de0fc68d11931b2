-- Templates handed to a run's shards (warehouse/templates.py), from the `templates`
-- view of views.sql over the published snapshot.

-- name: templates_in_force
SELECT publisher, text FROM templates WHERE in_force ORDER BY ALL;
