-- `newsetl explain SOURCE_ID` (flows/cli.py): a document's lines and quotes.
-- Each starts with "-- name: NAME"; parameters are $named.

-- name: documents_of_source
SELECT doc_id, source_uri FROM documents WHERE source_id = $source_id ORDER BY doc_id;

-- Every line in input order, kept (with kind) or removed (with rule); lines without a
-- number (title metadata) last.
-- name: lines_of_document
SELECT line_no, action, why, text, ordinal FROM document_lines WHERE doc_id = $doc_id
ORDER BY line_no NULLS LAST, ordinal NULLS LAST;

-- name: quotes_of_document
SELECT paragraph_ordinal, kind, text, coalesce(speaker_name, speaker) AS speaker, speaker_type, attribution
FROM quotes WHERE doc_id = $doc_id ORDER BY paragraph_ordinal, char_start;
