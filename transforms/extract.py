"""HTML -> article text with trafilatura (one parse, one extraction, no network).

``extract_html`` parses the page once with ``trafilatura.load_html`` (so a page that
cannot be parsed is told apart from a page without an article) and hands the tree to
``trafilatura.bare_extraction``.  trafilatura never fetches anything when it is given
the markup; ``url`` is only used as metadata.  The text comes back with one blank line
between blocks, ready for ``clean_text(..., source="html")``.
"""

from __future__ import annotations

import functools
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
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def _clean_meta(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _language(value: object) -> str | None:
    lang = _clean_meta(value)
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
    meta = _page_metadata(tree)  # before extraction: cheap XPath, no second parse
    page_paragraphs = _paragraph_texts(tree)
    p_chars = sum(len(t) for t in page_paragraphs)
    # trafilatura's fast mode (its own extractor only) first: it costs a quarter less than
    # the full cascade (which also runs readability and jusText) and agrees with it on
    # most pages.  The full cascade runs when the fast result looks wrong: it kept under
    # half of the page's <p> text, or it lost the paragraph structure (one block longer
    # than any news paragraph).  The fast pass prunes ``tree`` in place: parse again.
    lines = _extract_lines(trafilatura, tree, fast=True)
    if _looks_truncated(lines, p_chars) or max(map(len, lines), default=0) > MAX_PARAGRAPH_CHARS:
        lines = _extract_lines(trafilatura, trafilatura.load_html(html), fast=False)
    # Still under half of the page's <p> text: the extractor most likely misreads this
    # layout; hand the page's paragraphs to the cleaner, which picks the article block.
    if p_chars >= MIN_FALLBACK_CHARS and _looks_truncated(lines, p_chars):
        lines = page_paragraphs
    text = "\n\n".join(lines)
    return ExtractedPage(
        text=text,
        title=meta["title"],
        url=meta["url"] or url,
        published_at=meta["published_at"],
        language=meta["language"],
    )


#: Below this share of the page's <p> text, the extractor's output is taken as truncated.
FALLBACK_COVERAGE = 0.5
MIN_FALLBACK_CHARS = 1500
#: A fast-mode "paragraph" longer than this is several paragraphs run together.
MAX_PARAGRAPH_CHARS = 2000


def _looks_truncated(lines: list[str], p_chars: int) -> bool:
    return sum(len(x) for x in lines) < FALLBACK_COVERAGE * p_chars


@functools.cache
def _extractor_options(fast: bool):
    """trafilatura's options, built once per process: building them per page (its config
    parser lookups) cost ~5% of the extraction.  No URL: it only resolves links and images,
    which we do not keep."""
    from trafilatura.settings import Extractor

    return Extractor(
        output_format="python",  # bare_extraction's own default: fills Document.text
        fast=fast,
        with_metadata=False,  # trafilatura's metadata pass costs ~12 %; ours costs ~1 %
        comments=False,
        tables=True,
        images=False,
        links=False,
        dedup=False,
    )


def _extract_lines(trafilatura, tree, *, fast: bool) -> list[str]:
    try:
        doc = trafilatura.bare_extraction(tree, options=_extractor_options(fast))
    except RecursionError as exc:  # pragma: no cover - libxml2 caps depth at 256 first
        raise ValueError("HTML too deeply nested to extract") from exc
    raw = (doc.text if doc is not None else "") or ""
    return [line.strip() for line in raw.split("\n") if line.strip()]


def _paragraph_texts(tree) -> list[str]:
    """Whitespace-normalised texts of the page's <p> elements, in document order."""
    out = []
    for p in tree.iter("p"):
        t = " ".join(p.text_content().split())
        if t:
            out.append(t)
    return out


# <head> queries first (a small subtree); whole-page scans only as a fallback
_TITLE_XPATHS = (
    '/html/head/meta[@property="og:title"]/@content',
    '/html/head/meta[@name="twitter:title"]/@content',
    "/html/head/title",
    "//h1",
)
_DATE_XPATHS = (
    '/html/head/meta[@property="article:published_time"]/@content',
    '/html/head/meta[@itemprop="datePublished"]/@content',
    '/html/head/meta[@name="parsely-pub-date" or @name="pubdate" or @name="publishdate" or @name="date"'
    ' or @name="sailthru.date" or @name="dc.date" or @name="DC.date.issued" or @name="article.published"]/@content',
)
_DATE_BODY_XPATHS = ('//*[@itemprop="datePublished"]/@datetime', '//*[@itemprop="datePublished"]/@content', "//time/@datetime")
_URL_XPATHS = ('/html/head/link[@rel="canonical"]/@href', '/html/head/meta[@property="og:url"]/@content')
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"(\d{4}-\d{2}-\d{2}[^"]{0,40})"')


def _first(tree, xpaths: tuple[str, ...]) -> str | None:
    for xp in xpaths:
        for hit in tree.xpath(xp):
            value = hit if isinstance(hit, str) else hit.text_content()
            value = _clean_meta(str(value))
            if value:
                return value
    return None


def _page_metadata(tree) -> dict[str, str | None]:
    """Title, canonical URL, publication date and language from the page's own markup."""
    try:
        title = _first(tree, _TITLE_XPATHS)
        url = _first(tree, _URL_XPATHS)
        date = _first(tree, _DATE_XPATHS)
        if date is None:
            for script in tree.xpath('//script[@type="application/ld+json"]/text()')[:5]:
                m = _JSONLD_DATE.search(script)
                if m:
                    date = m.group(1)
                    break
        if date is None:
            date = _first(tree, _DATE_BODY_XPATHS)
        lang = tree.get("lang") or tree.get("xml:lang") or _first(
            tree,
            ('/html/head/meta[@http-equiv="content-language"]/@content', '/html/head/meta[@property="og:locale"]/@content'),
        )
    except Exception:  # noqa: BLE001 - metadata is best effort; never fail a page for it
        return {"title": None, "url": None, "published_at": None, "language": None}
    return {
        "title": title[:1000] if title else None,
        "url": url if url and url.startswith(("http://", "https://")) else None,
        "published_at": date[:100] if date else None,  # as written; parsed by transforms.dates
        "language": _language(lang),
    }
