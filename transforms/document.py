"""One input record to one cleaned, segmented document with its quotes.

Pure: the shard driver reads the inputs and writes the rows; this module only
decides what they contain.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from urllib.parse import urlsplit

from tld import get_fld

from schemas.models import DocumentInfo, InputRecord, Paragraph, Quote, RemovedLine
from transforms.clean import clean_text
from transforms.clean.language import language_code
from transforms.dates import parse_timestamp
from transforms.extract import extract_html, keep_extractor_lines
from transforms.fingerprint import Fingerprint, fingerprint
from transforms.quotes import QuoteOptions, extract_quotes


class TransformError(ValueError):
    """The record cannot be turned into a document; ``str(err)`` is the reason."""


@dataclass(frozen=True)
class TransformedDocument:
    doc_id: str
    info: DocumentInfo
    paragraphs: list[Paragraph]
    quotes: list[Quote]
    removed: list[RemovedLine]
    fingerprint: Fingerprint


def document_id(record: InputRecord) -> str:
    """Content hash of the record's identity and content: equal input, equal id."""
    digest = hashlib.blake2b(digest_size=12)
    for part in (record.source_uri, record.source_id, record.text or "", record.html or ""):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def publisher_of(record: InputRecord) -> str | None:
    """The record's publisher, else its URL's registrable domain."""
    return record.publisher or registrable_domain(record.url)


def registrable_domain(url: str | None) -> str | None:
    """The part of a URL's host one registers, by the Public Suffix List that ``tld``
    ships (no network): ``news.bbc.co.uk`` → ``bbc.co.uk``, ``edition.cnn.com`` →
    ``cnn.com``, ``someblog.blogspot.com`` as it is.  A host under no listed suffix
    (``localhost``, an IP address, ``.example``) is kept without ``www.``."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if not host:
        return None
    return get_fld(host, fix_protocol=True, fail_silently=True) or host.removeprefix("www.")


def template_scope(record: InputRecord) -> str | None:
    """Whose template a record's page wears: its publisher, else the URL's registrable
    domain (``example.co.uk`` for ``www.news.example.co.uk``), else the input
    file's directory (a scraper's folder per site)."""
    return publisher_of(record) or posixpath.dirname(record.source_uri) or None


def transform_record(
    record: InputRecord,
    *,
    input_kind: str,
    template_lines: frozenset[str] = frozenset(),
    learned_template_lines: frozenset[str] = frozenset(),
) -> TransformedDocument:
    """Clean, segment and find quotes in one record."""
    if record.html is not None:
        try:
            page = extract_html(record.html, url=record.url)
        except ValueError as err:
            raise TransformError(f"HTML extraction failed: {err}") from err
        text, source = page.text, "html"
        title = record.title or page.title
        published_at = record.published_at or page.published_at
        url = record.url or page.url
        declared_language = page.language
        publisher = record.publisher or page.site_name or registrable_domain(url)
    else:
        text, source = record.text or "", "text"
        title, published_at, url, declared_language = record.title, record.published_at, record.url, None
        publisher = publisher_of(record)
    cleaned = clean_text(
        text, template_lines=template_lines, learned_template_lines=learned_template_lines, source=source
    )
    if source == "html":  # trafilatura chose the article: only rules that hold on every dev set remove from it
        cleaned = keep_extractor_lines(cleaned)
    paragraphs = cleaned.paragraphs
    content = fingerprint(paragraphs)
    title = title or cleaned.title
    quotes = extract_quotes(paragraphs, title=title)
    quotes += headline_quotes(title, paragraphs, quotes)
    info = DocumentInfo(
        source_id=record.source_id,
        source_uri=record.source_uri,
        input_kind=input_kind,
        url=url,
        publisher=publisher,
        title=title,
        published_at=parse_timestamp(published_at),
        published_at_raw=published_at,
        fetched_at=record.fetched_at,
        source_offset=record.offset,
        # the language the cleaner scored the prose in (detected from the page's longer
        # lines, ~100 languages) before the page's own declaration, which templates get wrong
        language=language_code(cleaned.language) or declared_language,
        n_input_lines=text.count("\n") + 1 if text else 0,
        n_paragraphs=len(paragraphs),
        n_quotes=len(quotes),
        n_removed_lines=len(cleaned.removed),
        n_chars=sum(len(p.text) for p in paragraphs),
        text_hash=content.text_hash,
    )
    return TransformedDocument(document_id(record), info, paragraphs, quotes, cleaned.removed, content)


#: ``quotes.paragraph_ordinal`` of a quote in the document's title (headline).
TITLE_ORDINAL = -1


def headline_quotes(
    title: str | None, paragraphs: list[Paragraph], body_quotes: list[Quote], options: QuoteOptions | None = None
) -> list[Quote]:
    """Quotes in the headline: ``paragraph_ordinal`` -1, offsets into the title, groups
    after the body's.  A headline names people by surname ("Kirby: “…”"); the
    article's quotes supply the full name ("John Kirby") where one ends with it.
    """
    if not title or ('"' not in title and "“" not in title):
        return []
    heading = Paragraph(ordinal=0, kind="heading", text=title, char_start=0, char_end=len(title))
    first_group = 1 + max((q.quote_group for q in body_quotes), default=-1)
    full_names = {q.speaker_name for q in body_quotes if q.speaker_name and " " in q.speaker_name}
    found = []
    for quote in extract_quotes([heading], options=options):
        name = quote.speaker_name
        if name and " " not in name:
            name = next((full for full in sorted(full_names) if full.endswith(" " + name)), name)
        found.append(
            quote.model_copy(
                update={
                    "paragraph_ordinal": TITLE_ORDINAL,
                    "quote_group": first_group + quote.quote_group,
                    "speaker_name": name,
                }
            )
        )
    return found
