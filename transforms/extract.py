"""HTML -> article text with trafilatura (one parse, one extraction, no network).

``extract_html`` parses the page once with ``trafilatura.load_html`` (so a page that
cannot be parsed is told apart from a page without an article) and hands the tree to
``trafilatura.bare_extraction``.  trafilatura never fetches anything when it is given
the markup; ``url`` is only used as metadata.  The text comes back with one blank line
between blocks, ready for ``clean_text(..., source="html")``.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

__all__ = ["ExtractedPage", "extract_html", "MAX_HTML_CHARS"]

#: Pages above this size are refused (trafilatura's own default tree limit is far
#: smaller in nodes; this guards memory before parsing).
MAX_HTML_CHARS = 20_000_000
#: Attribute values longer than this are blanked before parsing: no real page needs
#: them, and trafilatura's metadata regexes would spend seconds on a 10 MB attribute.
#: (Nesting depth needs no guard: libxml2 caps it at 256 levels.)
MAX_ATTR_CHARS = 4096
_LONG_ATTR = re.compile(r"""=\s*(?:"[^"]{%d,}"|'[^']{%d,}')""" % (MAX_ATTR_CHARS, MAX_ATTR_CHARS))


class ExtractedPage(BaseModel):
    """The article part of an HTML page and its metadata."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    title: str | None
    url: str | None
    published_at: str | None
    language: str | None


_TAG_OPEN = re.compile(r"<[A-Za-z]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def _clean_meta(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _language(tree, doc_lang: object) -> str | None:
    lang = _clean_meta(doc_lang)
    if lang is None and tree is not None:
        lang = _clean_meta(tree.get("lang") or tree.get("xml:lang"))
    if lang and _LANG.match(lang):
        return lang.split("-")[0].split("_")[0].lower()
    return None


def extract_html(html: str, *, url: str | None = None) -> ExtractedPage:
    """Extract the article text and metadata from ``html``.

    Raises ``ValueError`` when the input cannot be parsed as HTML at all; returns an
    ``ExtractedPage`` with empty ``text`` when the page parses but holds no article.
    """
    if not isinstance(html, str):
        raise ValueError(f"extract_html expects str, got {type(html).__name__}")
    if len(html) > MAX_HTML_CHARS:
        raise ValueError(f"HTML too large to extract ({len(html):,} chars > {MAX_HTML_CHARS:,})")
    if not html.strip() or not _TAG_OPEN.search(html):
        raise ValueError("input holds no HTML markup")

    if len(html) > 4 * MAX_ATTR_CHARS and _LONG_ATTR.search(html):
        html = _LONG_ATTR.sub('=""', html)

    import trafilatura  # imported lazily: heavy, and only the HTML path needs it
    from lxml import etree

    try:
        tree = trafilatura.load_html(html)
    except (ValueError, etree.LxmlError, RecursionError) as exc:  # pragma: no cover - lxml specific
        raise ValueError(f"HTML could not be parsed: {type(exc).__name__}: {exc}") from exc
    if tree is None:
        raise ValueError("HTML could not be parsed (lxml returned no tree)")
    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except RecursionError as exc:  # pragma: no cover - libxml2 caps depth at 256 first
        raise ValueError("HTML too deeply nested to extract") from exc

    if doc is None:
        return ExtractedPage(text="", title=_title_from_tree(tree), url=url, published_at=None,
                             language=_language(tree, None))
    raw = doc.text or ""
    text = "\n\n".join(line.strip() for line in raw.split("\n") if line.strip())
    date = _clean_meta(doc.date)
    return ExtractedPage(
        text=text,
        title=_clean_meta(doc.title),
        url=_clean_meta(doc.url) or url,
        published_at=date if date and _ISO_DATE.match(date) else None,
        language=_language(tree, doc.language),
    )


def _title_from_tree(tree) -> str | None:
    try:
        t = tree.findtext(".//title")
    except Exception:  # noqa: BLE001 - metadata only; never fail the page for it
        return None
    return _clean_meta(t)
