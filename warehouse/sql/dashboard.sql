-- The dashboard's queries (dashboard/), over the tables and views of views.sql.
-- Each starts with "-- name: NAME"; parameters are $named.

-- name: overview_counts
SELECT (SELECT count(*) FROM documents) AS documents,
       (SELECT count(*) FROM paragraphs) AS paragraphs,
       (SELECT count(*) FROM quotes) AS quotes,
       (SELECT count(*) FROM removed_lines) AS removed_lines,
       (SELECT count(*) FROM quarantine) AS quarantined;

-- name: quote_counts
SELECT count(*) AS quotes,
       count(*) FILTER (WHERE kind <> 'scare') AS speech,
       count(DISTINCT speaker_resolved) AS speakers
FROM quotes_with_speakers;

-- name: top_speakers
SELECT speaker, quotes, documents, publishers FROM quotes_per_speaker LIMIT $limit;

-- name: top_speakers_of_type
SELECT speaker_resolved AS speaker, count(*) AS quotes,
       count(DISTINCT doc_id) AS documents, count(DISTINCT publisher) AS publishers
FROM quotes_with_speakers
WHERE speaker_resolved IS NOT NULL AND speaker_type = $speaker_type
GROUP BY ALL ORDER BY quotes DESC, speaker LIMIT $limit;

-- A quote with its paragraph and its document's title; a search term matches the
-- speaker (as written or resolved) or the quote's text, case-insensitively.
-- name: quote_search
SELECT q.speaker_resolved AS speaker, q.kind, q.cue, q.text, q.title, q.publisher, q.day,
       q.source_id, coalesce(p.text, q.title) AS paragraph
FROM quotes_with_speakers q
LEFT JOIN paragraphs p ON p.doc_id = q.doc_id AND p.ordinal = q.paragraph_ordinal
WHERE q.speaker_resolved ILIKE '%' || $term || '%' OR q.speaker ILIKE '%' || $term || '%'
   OR q.text ILIKE '%' || $term || '%'
ORDER BY q.day DESC, q.source_id, q.paragraph_ordinal, q.quote_group, q.text
LIMIT $limit;

-- name: quote_search_count
SELECT count(*) FROM quotes_with_speakers q
WHERE q.speaker_resolved ILIKE '%' || $term || '%' OR q.speaker ILIKE '%' || $term || '%'
   OR q.text ILIKE '%' || $term || '%';

-- name: removal_counts
SELECT count(*) AS lines, count(DISTINCT rule) AS rules, count(DISTINCT doc_id) AS documents FROM removed_lines;

-- name: removals_per_publisher
SELECT publisher, rule, sum(lines) AS lines FROM removals_per_day GROUP BY ALL ORDER BY lines DESC;

-- Documents whose source id or title contains the term, those with most removed lines first.
-- name: document_search
SELECT doc_id, source_id, title, publisher, n_removed_lines, n_paragraphs
FROM documents
WHERE source_id ILIKE '%' || $term || '%' OR title ILIKE '%' || $term || '%'
ORDER BY n_removed_lines DESC, source_id LIMIT $limit;

-- name: document_lines
SELECT line_no, action, why, text FROM document_lines WHERE doc_id = $doc_id
ORDER BY line_no NULLS LAST, ordinal NULLS LAST;

-- name: runs
SELECT *, date_diff('millisecond', started_at, finished_at) / 1000.0 AS seconds FROM runs ORDER BY started_at DESC;

-- name: quarantine_counts
SELECT count(*) AS inputs, count(DISTINCT stage) AS stages, count(DISTINCT reason) AS reasons FROM quarantine;

-- name: quarantine_stages
SELECT stage, count(*) AS inputs FROM quarantine GROUP BY ALL ORDER BY inputs DESC;

-- name: quarantined_inputs
SELECT source, stage, reason, error, octet_length(payload) AS payload_bytes, payload_truncated, run_id
FROM quarantine ORDER BY run_id DESC, source;

-- name: quarantine_payload
SELECT payload FROM quarantine WHERE source = $source;
