-- Views an analyst asks for first.  One statement per block, separated by ";".

-- The article text proper, in order: lead, headings, body and the lists and tables that
-- continue it (highlights boxes and editor's notes are about the article, not of it).
CREATE OR REPLACE VIEW article_paragraphs AS
SELECT p.doc_id, d.source_id, d.publisher, d.title, p.ordinal, p.kind, p.text
FROM paragraphs p JOIN documents d USING (doc_id)
WHERE p.kind IN ('lead', 'heading', 'body', 'list_item', 'table_row');

-- Each document's clean text, rebuilt from its paragraphs (offsets index this).
CREATE OR REPLACE VIEW document_texts AS
SELECT doc_id, string_agg(text, chr(10) || chr(10) ORDER BY ordinal) AS text
FROM paragraphs GROUP BY doc_id;

-- Each document's day: its publication day (UTC) where it has one, else the ingest day.
CREATE OR REPLACE VIEW document_days AS
SELECT doc_id, coalesce(CAST(timezone('UTC', published_at) AS DATE), ingest_date) AS day
FROM documents;

-- Documents per day (publication day, else ingest day).
CREATE OR REPLACE VIEW documents_per_day AS
SELECT day, count(*) AS documents FROM document_days GROUP BY ALL ORDER BY day;

-- Documents per publisher, with their quotes and removed lines.
CREATE OR REPLACE VIEW documents_per_publisher AS
SELECT publisher, count(*) AS documents, sum(n_paragraphs) AS paragraphs,
       sum(n_quotes) AS quotes, sum(n_removed_lines) AS removed_lines
FROM documents GROUP BY ALL ORDER BY documents DESC;

-- Documents per language (null: too short or unclear to tell).
CREATE OR REPLACE VIEW documents_per_language AS
SELECT language, count(*) AS documents FROM documents GROUP BY ALL ORDER BY documents DESC;

-- A document's lines in order, kept (with the paragraph kind) or removed (with the rule),
-- as `newsetl explain` prints them; a line the cleaner split has several rows.
CREATE OR REPLACE VIEW document_lines AS
SELECT doc_id, line_no, 'keep' AS action, kind AS why, text, ordinal FROM paragraphs
UNION ALL
SELECT doc_id, line_no, 'drop' AS action, rule AS why, text, NULL AS ordinal FROM removed_lines;

-- Quotes with who said them, where and when.
CREATE OR REPLACE VIEW quotes_with_speakers AS
SELECT q.doc_id, q.paragraph_ordinal, q.quote_group, q.kind, q.text, q.speaker_type, q.attribution,
       coalesce(q.speaker_name, q.speaker) AS speaker_resolved,
       q.speaker, q.speaker_name, q.cue, q.cue_lemma,
       d.publisher, d.title, d.url, d.published_at, d.source_id, dd.day
FROM quotes q JOIN documents d USING (doc_id) JOIN document_days dd USING (doc_id);

-- Speakers by number of quotes (resolved name, else as written), with documents and publishers.
CREATE OR REPLACE VIEW quotes_per_speaker AS
SELECT speaker_resolved AS speaker, count(*) AS quotes,
       count(DISTINCT doc_id) AS documents, count(DISTINCT publisher) AS publishers
FROM quotes_with_speakers WHERE speaker_resolved IS NOT NULL
GROUP BY ALL ORDER BY quotes DESC;

-- Publishers by number of quotes, with documents and distinct speakers.
CREATE OR REPLACE VIEW quotes_per_publisher AS
SELECT publisher, count(*) AS quotes, count(DISTINCT doc_id) AS documents,
       count(DISTINCT speaker_resolved) AS speakers
FROM quotes_with_speakers GROUP BY ALL ORDER BY quotes DESC;

-- Quotes per day (publication day, else ingest day) and distinct speakers.
CREATE OR REPLACE VIEW quotes_per_day AS
SELECT day, count(*) AS quotes, count(DISTINCT speaker_resolved) AS speakers
FROM quotes_with_speakers GROUP BY ALL ORDER BY day;

-- Why lines were removed, most frequent rule first.
CREATE OR REPLACE VIEW removal_rules AS
SELECT rule, count(*) AS lines, count(DISTINCT doc_id) AS documents
FROM removed_lines GROUP BY ALL ORDER BY lines DESC;

-- Removed lines per ingest day, publisher and rule: a rule that suddenly removes far more is a regression.
CREATE OR REPLACE VIEW removals_per_day AS
SELECT r.ingest_date AS day, d.publisher, r.rule, count(*) AS lines, count(DISTINCT r.doc_id) AS documents
FROM removed_lines r JOIN documents d USING (doc_id) GROUP BY ALL ORDER BY day, lines DESC;

-- What could not be processed: inputs per stage and reason, most frequent first.
CREATE OR REPLACE VIEW quarantine_reasons AS
SELECT stage, reason, count(*) AS inputs FROM quarantine GROUP BY ALL ORDER BY inputs DESC;

-- A record id names a record within its input file: the same id in two files is two
-- documents (two scrapers' ids may collide).  These are the ids that do.
CREATE OR REPLACE VIEW duplicate_source_ids AS
SELECT source_id, count(DISTINCT source_uri) AS inputs, list(DISTINCT source_uri ORDER BY source_uri) AS source_uris
FROM documents WHERE input_kind = 'jsonl' GROUP BY source_id HAVING count(DISTINCT source_uri) > 1;

-- Publisher templates learned across runs (issue 16).  Each run's shards record, per
-- template scope (the publisher, else the URL's registrable domain, else the input
-- directory), how many of its documents they read (template_scopes) and the short lines
-- that two or more of them shared (template_lines).  A line is in force as template
-- while, over the scope's last 2 runs, it was in >= 10 of its documents and >= 10% of
-- them: furniture a publisher stops showing ages out after two runs without it.
CREATE OR REPLACE VIEW templates AS
WITH scope_runs AS (
    SELECT scope, run_id, sum(n_docs) AS n_docs,
           row_number() OVER (PARTITION BY scope ORDER BY run_id DESC) AS age
    FROM template_scopes GROUP BY scope, run_id
), recent_scopes AS (
    SELECT scope, sum(n_docs) AS recent_scope_documents FROM scope_runs WHERE age <= 2 GROUP BY scope
), recent_lines AS (
    SELECT l.scope, l.line_hash, sum(l.n_docs) AS recent_documents
    FROM template_lines l JOIN scope_runs r ON r.scope = l.scope AND r.run_id = l.run_id AND r.age <= 2
    GROUP BY ALL
), lines AS (
    SELECT scope AS publisher, line_hash, any_value(text) AS text, sum(n_docs) AS documents_seen,
           min(run_id) AS first_run, max(run_id) AS last_run
    FROM template_lines GROUP BY scope, line_hash
)
SELECT lines.*, coalesce(r.recent_documents, 0) AS recent_documents, s.recent_scope_documents,
       coalesce(r.recent_documents, 0) >= 10
           AND coalesce(r.recent_documents, 0) >= 0.1 * s.recent_scope_documents AS in_force
FROM lines
JOIN recent_scopes s ON s.scope = lines.publisher
LEFT JOIN recent_lines r ON r.scope = lines.publisher AND r.line_hash = lines.line_hash;

-- Near-duplicate clusters (issue 16): documents telling the same story (copies, small
-- edits, another headline, another site's furniture), across every run.  One row per
-- cluster of two or more: its first-seen document (doc_id, title, publisher), how many
-- documents and exact copies (the same clean text) it has, the publishers, and when it
-- was first and last ingested and first published.  Matching: sql/near_duplicates.sql.
CREATE OR REPLACE VIEW near_duplicates AS
WITH members AS (
    SELECT coalesce(near_duplicate_of, doc_id) AS cluster, doc_id, publisher, text_hash, ingest_date, published_at
    FROM documents
    WHERE near_duplicate_of IS NOT NULL
       OR doc_id IN (SELECT near_duplicate_of FROM documents WHERE near_duplicate_of IS NOT NULL)
)
SELECT m.cluster AS doc_id, first.title, first.publisher, count(*) AS documents,
       count(*) FILTER (WHERE m.doc_id <> m.cluster AND m.text_hash = first.text_hash) AS exact_copies,
       count(DISTINCT m.publisher) AS n_publishers,
       list(DISTINCT m.publisher ORDER BY m.publisher) FILTER (WHERE m.publisher IS NOT NULL) AS publishers,
       min(m.ingest_date) AS first_seen, max(m.ingest_date) AS last_seen, min(m.published_at) AS first_published
FROM members m LEFT JOIN documents first ON first.doc_id = m.cluster
GROUP BY m.cluster, first.title, first.publisher, first.text_hash
HAVING count(*) > 1
ORDER BY documents DESC, first_seen, doc_id;
