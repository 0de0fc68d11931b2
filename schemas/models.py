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

#: Bumped when a column is added or changes meaning; stored in every Parquet
#: file's metadata and in ``runs.schema_version`` (see README, "Upgrades").
SCHEMA_VERSION = 1

ParagraphKind = Literal["lead", "heading", "body", "highlight", "editor_note", "list_item"]
QuoteKind = Literal["direct", "partial", "scare"]  # scare: quote marks that report no speech (scare quotes, titles, nicknames)
InputKind = Literal["txt", "html", "jsonl"]


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

    source_id: str = Field(description="JSONL `id`, or the file's path as given")
    source_uri: str = Field(description="file the record came from")
    line_no: int | None = Field(None, description="1-based line in a JSONL file")
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published_at: str | None = None


class Paragraph(_Model):
    """A paragraph of the cleaned article.

    ``char_start``/``char_end`` index the document's clean text, which is the
    paragraphs' texts joined by a blank line ("\\n\\n") in ordinal order.
    """

    ordinal: int
    kind: ParagraphKind
    text: str = Field(json_schema_extra={LONG_TEXT: True})
    char_start: int
    char_end: int
    line_no: int | None = Field(None, description="1-based line of the (extracted) text it came from")


class DocumentInfo(_Model):
    """What a transform learns about a document as a whole."""

    source_id: str
    source_uri: str
    input_kind: InputKind
    url: str | None
    publisher: str | None
    title: str | None
    published_at: str | None
    language: str | None
    n_input_lines: int
    n_paragraphs: int
    n_quotes: int
    n_removed_lines: int
    n_chars: int


class RemovedLine(_Model):
    """A line the cleaner dropped and the rule that dropped it."""

    line_no: int
    text: str
    rule: str


class Quote(_Model):
    """A quotation.  Pieces split around one attribution share ``quote_group``.

    ``char_start``/``char_end`` index the paragraph's text and exclude the marks.
    """

    paragraph_ordinal: int
    quote_group: int
    text: str
    char_start: int
    char_end: int
    kind: QuoteKind
    speaker: str | None = Field(None, description="the speaker as written (may be a pronoun)")
    speaker_name: str | None = Field(None, description="the fullest name it resolves to")
    cue: str | None = Field(None, description="the attribution verb as written")
    cue_lemma: str | None = Field(None, description="the cue normalised: say, tell, argue …")


# --------------------------------------------------------------------------
# Table rows
# --------------------------------------------------------------------------


class _RunRow(_Model):
    run_id: str
    ingest_date: dt.date = Field(description="partition key of the Parquet files")


class _DocRow(_RunRow):
    doc_id: str = Field(description="content hash of source id + input content")


class DocumentRow(DocumentInfo, _DocRow):
    """documents: one row per input document (current version of each source)."""


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
    source_id: str | None
    stage: Literal["discover", "read", "decode", "parse", "extract", "transform"]
    reason: str
    error: str | None
    payload: bytes | None = Field(description="the input itself (capped), never lost")
    payload_truncated: bool


class InputFileRow(_RunRow):
    """inputs: the manifest, one row per input file last seen, for change detection."""

    uri: str
    size: int
    mtime_ns: int
    content_hash: str
    n_records: int = Field(description="documents the file held when processed")
    n_quarantined: int


class RunRow(_Model):
    """runs: one row per completed run, written last."""

    run_id: str
    started_at: AwareDatetime
    finished_at: AwareDatetime
    status: Literal["completed", "failed"]
    inputs: str
    n_seen: int
    n_processed: int
    n_skipped: int
    n_quarantined: int
    n_paragraphs: int
    n_quotes: int
    n_removed_lines: int
    schema_version: int


#: table name -> row model.  Order is load order; ``runs`` is written last.
TABLES: dict[str, type[_Model]] = {
    "documents": DocumentRow,
    "paragraphs": ParagraphRow,
    "quotes": QuoteRow,
    "removed_lines": RemovedLineRow,
    "quarantine": QuarantineRow,
    "inputs": InputFileRow,
    "runs": RunRow,
}
