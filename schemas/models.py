"""The one contract: every table row, and what the pure transforms return.

Transforms return the *content* models (``Paragraph``, ``Quote``, ``RemovedLine``)
which know nothing about runs or storage.  The warehouse stores *rows*: the same
fields plus the keys that place them (``doc_id``, ``run_id``, ``ingest_date``).
Arrow schemas and DuckDB DDL are derived from the row models in
``schemas.arrow``; nothing else spells a column out.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

#: Bumped on a breaking change only: a column renamed, retyped or removed, a
#: change of meaning, or of the file layout.  Adding a nullable column does not
#: bump it.  Stored in every Parquet file's metadata and in ``runs.schema_version``;
#: a run refuses a newer data directory and migrates an older one (README, "Upgrades").
#: 2: ``ingest_date`` folders without ``key=``; ``published_at`` a timestamp; ``runs``
#: like the other tables (``ingest_date``, failed/aborted rows, seconds per stage).
#: 3: ``document_signatures.minhash`` one 960-byte value (120 little-endian int64), not a
#: list of 120 integers (``transforms.fingerprint.signature_bytes``).
#: 4: each snapshot holds a band index (``band_index/``, ``warehouse.band_index``).
SCHEMA_VERSION = 4

ParagraphKind = Literal["lead", "heading", "body", "highlight", "editor_note", "list_item", "table_row"]
QuoteKind = Literal[
    "direct", "partial", "scare"
]  # scare: quote marks that report no speech (scare quotes, titles, nicknames)
SpeakerType = Literal["person", "organisation", "document", "unknown"]
InputKind = Literal["txt", "html", "jsonl", "warc"]


#: Field marker for long free text (paragraphs of ~200+ characters): DuckDB stores such a
#: column zstd-compressed (``schemas.arrow.duckdb_ddl``), which loads 2.5× faster and
#: makes a 3× smaller file than its default choice for them (dictionary + FSST), for
#: ~25% slower scans of that text (measured on 3.9 M paragraphs).
LONG_TEXT = "long_text"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------
# What the transforms exchange (no run or storage keys)
# --------------------------------------------------------------------------


class InputRecord(_Model):
    """One document as read from an input: a .txt/.html file or one JSONL line."""

    source_id: str = Field(description="JSONL `id`, WARC-Record-ID, or the file's path as given")
    source_uri: str = Field(description="file the record came from")
    line_no: int | None = Field(None, description="1-based line in a JSONL file")
    offset: int | None = Field(None, description="byte offset of the WARC record (its gzip member) in the file")
    text: str | None = Field(None, description="the page's visible text (a .txt file or JSONL `text`)")
    html: str | None = Field(None, description="the raw page (a .html file or JSONL `html`)")
    url: str | None = Field(None, description="JSONL `url`")
    title: str | None = Field(None, description="JSONL `title`")
    publisher: str | None = Field(None, description="JSONL `publisher`")
    published_at: str | None = Field(None, description="JSONL `published_at`, as written")
    fetched_at: str | None = Field(None, description="when the crawler fetched it (WARC-Date), ISO 8601")


class Paragraph(_Model):
    """A paragraph of the cleaned article.

    ``char_start``/``char_end`` index the document's clean text, which is the
    paragraphs' texts joined by a blank line ("\\n\\n") in ordinal order.
    """

    ordinal: int = Field(description="0-based position of the paragraph in the article")
    kind: ParagraphKind = Field(description="lead, heading, body, list_item, table_row, highlight or editor_note")
    text: str = Field(description="the paragraph's clean text", json_schema_extra={LONG_TEXT: True})
    char_start: int = Field(description="offset of its first character in the document's clean text")
    char_end: int = Field(description="offset just past its last character in the document's clean text")
    line_no: int | None = Field(None, description="1-based line of the (extracted) text it came from")


class DocumentInfo(_Model):
    """What a transform learns about a document as a whole."""

    source_id: str = Field(description="JSONL `id`, WARC-Record-ID, or the file's path as given")
    source_uri: str = Field(description="the input file it came from (absolute path or URL)")
    input_kind: InputKind = Field(description="txt, html, jsonl or warc: how the input was read")
    url: str | None = Field(description="the page's URL: from the record, else the HTML's canonical link")
    publisher: str | None = Field(
        description="the record's publisher, else the page's og:site_name, else the registrable domain of its URL"
    )
    title: str | None = Field(description="the record's title, else the page's or the text's headline")
    published_at: AwareDatetime | None = Field(description="when the record or page says it was published, in UTC")
    published_at_raw: str | None = Field(
        None, description="the publication date or time as the record or page wrote it"
    )
    fetched_at: str | None = Field(None, description="when the crawler fetched the page (WARC-Date), ISO 8601")
    source_offset: int | None = Field(
        None, description="byte offset of the WARC record (its gzip member) in source_uri"
    )
    language: str | None = Field(
        description="ISO 639 code (two letters where there are) of the language the cleaner scored the prose in,"
        " detected from the page's longer lines with jusText's stop lists (about 100 languages);"
        " else the page's own lang declaration; null when unclear"
    )
    n_input_lines: int = Field(description="lines of the (extracted) text before cleaning")
    n_paragraphs: int = Field(description="rows in paragraphs")
    n_quotes: int = Field(description="rows in quotes")
    n_removed_lines: int = Field(description="rows in removed_lines")
    n_chars: int = Field(description="characters in all paragraphs' texts")
    text_hash: str | None = Field(
        None,
        description="hash of the clean text's words (case-folded): equal for exact duplicates (transforms.fingerprint)",
    )


class RemovedLine(_Model):
    """A line the cleaner dropped and the rule that dropped it."""

    line_no: int = Field(description="1-based line of the (extracted) text")
    text: str = Field(description="the line as it was in the input")
    rule: str = Field(description="the name of the cleaner rule that removed it")


class Quote(_Model):
    """A quotation.  Pieces split around one attribution share ``quote_group``.

    ``char_start``/``char_end`` index the paragraph's text and exclude the marks.
    """

    paragraph_ordinal: int = Field(description="the paragraph holding it; -1 = in the document's title")
    quote_group: int = Field(description="pieces of one quotation split around its attribution share it (per document)")
    text: str = Field(description="the quoted words, without the quote marks")
    char_start: int = Field(description="offset of its first character in the paragraph's text (marks excluded)")
    char_end: int = Field(description="offset just past its last character in the paragraph's text")
    kind: QuoteKind = Field(
        description="direct, partial (inside a sentence of the writer's) or scare (no speech: scare quotes, titles, nicknames)"
    )
    speaker: str | None = Field(None, description="the speaker as written (may be a pronoun)")
    speaker_name: str | None = Field(None, description="the fullest name it resolves to")
    cue: str | None = Field(None, description="the attribution verb as written")
    cue_lemma: str | None = Field(None, description="the cue normalised: say, tell, argue …")
    attribution: str | None = Field(
        None, description="the rule that found the speaker (transforms.quotes.rules.RULES), null without one"
    )
    speaker_type: SpeakerType | None = Field(
        None, description="person, organisation, document (a report, a statement) or unknown; null without a speaker"
    )


# --------------------------------------------------------------------------
# Table rows
# --------------------------------------------------------------------------


class _RunRow(_Model):
    run_id: str = Field(description="the run that wrote the row")
    ingest_date: dt.date = Field(description="the day (UTC) its run started; the Parquet folder <table>/YYYY-MM-DD/")


class _DocRow(_RunRow):
    doc_id: str = Field(description="content hash of source id + input content")


class DocumentRow(DocumentInfo, _DocRow):
    """documents: one row per input document (current version of each source)."""

    near_duplicate_of: str | None = Field(
        None,
        description="doc_id of the first-seen document of its near-duplicate cluster (same story: copies, "
        "small edits, another headline or site) that is still in the warehouse; null for that root and for "
        "unique documents. When the root leaves (its input changed), the earliest remaining member becomes "
        "the root and the others point at it: it never names a missing doc_id",
    )


class DocumentSignatureRow(_DocRow):
    """document_signatures: one row per document with at least one word shingle: its MinHash signature."""

    n_shingles: int = Field(
        description="5-word shingles (windows within a paragraph) of its clean text (transforms.fingerprint)"
    )
    minhash: bytes = Field(
        description="120 MinHash values over the shingles, each a signed 64-bit little-endian integer (960 bytes; "
        "numpy: frombuffer(minhash, '<i8')); the share of equal positions of two estimates their Jaccard similarity"
    )


class DocumentBandRow(_DocRow):
    """document_bands: one row per document with a signature and LSH band: documents sharing a band are near-duplicate candidates."""

    band: int = Field(description="the band, 0-39: rows 3·band … 3·band+2 of the signature")
    band_hash: int = Field(description="hash of the band's 3 MinHash values")


class ParagraphRow(Paragraph, _DocRow):
    """paragraphs: one row per paragraph of a cleaned article."""


class QuoteRow(Quote, _DocRow):
    """quotes: one row per quotation (piece)."""


class RemovedLineRow(RemovedLine, _DocRow):
    """removed_lines: one row per input line the cleaner dropped."""


class QuarantineRow(_RunRow):
    """quarantine: one row per input (file or JSONL line) that could not be processed."""

    source: str = Field(description="file path, with ':LINE' for a JSONL line")
    source_uri: str = Field(description="the input file (absolute path or URL)")
    source_id: str | None = Field(description="the record's id, when it got that far")
    stage: Literal["discover", "read", "decode", "parse", "extract", "transform", "internal"] = Field(
        description="the step that failed: discover, read, decode, parse, extract, transform, or internal (an unexpected error while handling the input: a bug)"
    )
    reason: str = Field(description="why, in one line")
    error: str | None = Field(description="the exception's type and message, if one was raised")
    payload: bytes | None = Field(description="the input itself (capped), never lost")
    payload_truncated: bool = Field(description="true when payload holds only the first max_quarantine_payload bytes")


class InputFileRow(_RunRow):
    """inputs: the manifest, one row per input file last seen, for change detection."""

    uri: str = Field(description="the input file (absolute path or URL)")
    size: int = Field(description="bytes, when last processed")
    mtime_ns: int = Field(description="modification time in nanoseconds, when last processed")
    content_hash: str = Field(description="hash of its bytes; an unchanged hash is skipped even if the mtime changed")
    n_records: int = Field(description="documents the file held when processed")
    n_quarantined: int = Field(description="of its records (or the file itself), how many were quarantined")


class TemplateScopeRow(_RunRow):
    """template_scopes: one row per run, shard and template scope: how many of the scope's documents it read."""

    shard: str = Field(description="the shard that read them")
    scope: str = Field(
        description="the template scope: the record's publisher, else the URL's registrable domain, else the input directory"
    )
    n_docs: int = Field(description="documents of the scope the shard processed")


class TemplateLineRow(_RunRow):
    """template_lines: one row per run, shard, template scope and line that two or more of the scope's documents in the shard shared (the evidence behind the templates view)."""

    shard: str = Field(description="the shard that saw it")
    scope: str = Field(description="the template scope (see template_scopes)")
    line_hash: str = Field(description="hash of the line's template key (case-folded, whitespace collapsed)")
    text: str = Field(description="the line as one of the documents had it")
    n_docs: int = Field(description="documents of the scope in the shard that had the line")


RunStatus = Literal["completed", "failed", "interrupted", "aborted"]


class RunRow(_RunRow):
    """runs: one row per run that took the data directory's lock.

    ``completed`` rows are published with the run's snapshot, ``failed`` ones (with
    the error) at once with the previous data unchanged, and ``interrupted`` ones
    (SIGINT, SIGTERM: the run records it as it stops) and ``aborted`` ones (found
    dead) by the next run, as are failed ones whose own publishing failed too.
    """

    started_at: AwareDatetime = Field(description="when the run started (UTC)")
    finished_at: AwareDatetime | None = Field(description="when it finished (UTC); null for an aborted run")
    status: RunStatus = Field(
        description="completed, failed (see error), interrupted (stopped by SIGINT or "
        "SIGTERM) or aborted (found dead by a later run: SIGKILL, OOM, power)"
    )
    error: str | None = Field(None, description="why a failed run failed")
    inputs: str = Field(description="the inputs it was given, space-separated")
    n_seen: int = Field(description="documents seen = processed + skipped + quarantined")
    n_processed: int = Field(description="documents processed (new or changed)")
    n_skipped: int = Field(description="documents skipped because their input was unchanged")
    n_quarantined: int = Field(description="inputs (files or JSONL lines) quarantined")
    n_not_documents: int | None = Field(
        None,
        description="records read that are not documents (WARC requests, metadata, revisits, redirects, "
        "non-HTML payloads): outside n_seen, neither processed nor quarantined; null in rows written before "
        "it was counted",
    )
    not_documents: dict[str, int] | None = Field(
        None,
        description="n_not_documents by reason: 'WARC request record', 'WARC metadata record', 'WARC revisit "
        "record', 'redirect', 'not HTML or text (image/jpeg)' … -> records (query one with "
        "not_documents['redirect'])",
    )
    n_paragraphs: int = Field(description="paragraphs written")
    n_quotes: int = Field(description="quotes written")
    n_removed_lines: int = Field(description="removed lines written")
    seconds_prefect_start: float | None = Field(
        None, description="from the command's start to the flow's (Prefect's start-up)"
    )
    seconds_discover: float | None = Field(None, description="listing the inputs and planning the shards")
    seconds_transform: float | None = Field(None, description="the shards: read, transform, write Parquet")
    seconds_publish: float | None = Field(None, description="building the next Parquet snapshot")
    seconds_load: float | None = Field(None, description="building the next DuckDB file")
    seconds_total: float | None = Field(None, description="the command's wall time until the row was written")
    schema_version: int = Field(description="SCHEMA_VERSION of the newsetl that wrote it")


#: table name -> the columns that identify one row (the published tables hold no two
#: rows alike in these; a test checks it on real data).  docs/TABLES.md shows them.
KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",),
    "paragraphs": ("doc_id", "ordinal"),
    "quotes": ("doc_id", "paragraph_ordinal", "char_start"),
    "removed_lines": ("doc_id", "line_no", "text"),
    "document_signatures": ("doc_id",),
    "document_bands": ("doc_id", "band"),
    "quarantine": ("source",),
    "inputs": ("uri",),
    "template_scopes": ("run_id", "shard", "scope"),
    "template_lines": ("run_id", "shard", "scope", "line_hash"),
    "runs": ("run_id",),
}

#: table name -> row model.  Order is load order; ``runs`` is written last.
TABLES: dict[str, type[_Model]] = {
    "documents": DocumentRow,
    "paragraphs": ParagraphRow,
    "quotes": QuoteRow,
    "removed_lines": RemovedLineRow,
    "document_signatures": DocumentSignatureRow,
    "document_bands": DocumentBandRow,
    "quarantine": QuarantineRow,
    "inputs": InputFileRow,
    "template_scopes": TemplateScopeRow,
    "template_lines": TemplateLineRow,
    "runs": RunRow,
}
