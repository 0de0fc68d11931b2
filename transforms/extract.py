"""HTML -> article text with trafilatura (one parse, one extraction, no network).

``extract_html`` parses the page once with ``trafilatura.load_html`` (so a page that
cannot be parsed is told apart from a page without an article) and extracts from the
tree as ``trafilatura.bare_extraction`` does: fast mode, then, where fast mode looks
wrong, the full cascade built on the fast pass's own extraction (``TwoStepExtraction``).
trafilatura never fetches anything when it is given the markup; ``url`` is only used as
metadata.  The text comes back with one blank line between blocks, ready for
``clean_text(..., source="html")``.
"""

from __future__ import annotations

import copy
import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

__all__ = [
    "EXTRACTOR_RULES", "ExtractedPage", "extract_html", "keep_extractor_lines", "HTML_REMOVAL_RULES", "MAX_HTML_CHARS",
]  # fmt: skip

#: Pages above this size are refused (trafilatura's own default tree limit is far
#: smaller in nodes; this guards memory before parsing).
MAX_HTML_CHARS = 20_000_000
#: Attribute values longer than this are blanked before parsing: no real page needs
#: them, and trafilatura's metadata regexes would spend seconds on a 10 MB attribute.
#: (Nesting depth needs no guard: libxml2 caps it at 256 levels.)
#: A value holds no ``<`` or ``>``: else ``= '`` in an inline script (``href = '…' + q``) would
#: "match" up to the next quote thousands of characters on, across the article's markup
#: (dev_more: three pages lost their whole article so).
MAX_ATTR_CHARS = 4096
_LONG_ATTR = re.compile(r"""=\s*(?:"[^"<>]{%d,}"|'[^'<>]{%d,}')""" % (MAX_ATTR_CHARS, MAX_ATTR_CHARS))  # noqa: UP031  (a regex's own braces)
#: A CDATA section is never page text in HTML: XHTML-minded pages wrap script bodies in one,
#: and an HTML parser turns one in the body into a bogus comment that ends at the first ``>``,
#: leaving its inner markup and the ``]]>`` as visible text.  They are cut before parsing;
#: one never closed is left to the parser (cutting it to the end of the page cut the article).
_CDATA = re.compile(r"<!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\]>", re.DOTALL)


class ExtractedPage(BaseModel):
    """The article part of an HTML page and its metadata."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    title: str | None
    url: str | None
    published_at: str | None
    language: str | None
    site_name: str | None = None  # the site the page names itself (og:site_name and the like)


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
    if "<![CDATA[" in html:
        html = _CDATA.sub("", html)

    import trafilatura  # imported lazily: heavy, and only the HTML path needs it
    from lxml import etree

    try:
        tree = trafilatura.load_html(html)
    except (ValueError, etree.LxmlError, RecursionError) as exc:  # pragma: no cover - lxml specific
        raise ValueError(f"HTML could not be parsed: {type(exc).__name__}: {exc}") from exc
    if tree is None:
        raise ValueError("HTML could not be parsed (lxml returned no tree)")
    meta = _page_metadata(tree)  # before extraction: cheap XPath, no second parse
    _prepare_tree(tree, html)
    p_chars = _paragraph_chars(tree)
    # trafilatura's fast mode (its own extractor only) first: it costs about 40% less than
    # the full cascade (which also runs readability and jusText).  The cascade runs where
    # fast mode is weakest (``_needs_cascade``), reusing the fast pass's extraction, and
    # without a fast pass where the page's <p> text already says so.
    mirrored = getattr(trafilatura, "__version__", None) == MIRRORED_TRAFILATURA
    extraction = (TwoStepExtraction if mirrored else PlainExtraction)(tree)  # (the tree is not used after it)
    try:
        lines = _lines(extraction.fast_text()) if p_chars >= MIN_P_CHARS else []
        if _needs_cascade(lines, p_chars):
            lines = _lines(extraction.cascade_text())
    except RecursionError as exc:  # pragma: no cover - libxml2 caps depth at 256 first
        raise ValueError("HTML too deeply nested to extract") from exc
    text = "\n\n".join(lines)
    return ExtractedPage(
        text=text,
        title=meta["title"],
        url=meta["url"] or url,
        published_at=meta["published_at"],
        language=meta["language"],
        site_name=meta["site_name"],
    )


def _prepare_tree(tree, html: str) -> None:
    """The page's markup as trafilatura should see it: layout tables unwrapped, an
    article body split into parts joined."""
    unwrap_layout_tables(tree)
    if may_split_article_body(html):
        join_split_article_body(tree)


#: a class attribute's value (as the source writes it; no ``\b`` before it: that turns off
#: the regex engine's literal search and costs 10x, and a ``data-class`` counted too only
#: lets the join look)
_CLASS_VALUE = re.compile(r"""class\s*=\s*["']([^"'<>]*)["']""")
#: a class value that names an article body the way trafilatura's first body XPath
#: looks for one (its class tokens, or exactly "post" / "entry")
_BODY_CLASS = re.compile(
    r"""(?:post|entry)$|.*?(?:post[-_]text|post-body|post-?entry|post[-_]?content|postContent"""
    r"""|post_inner_wrapper|article-?text|articleText|(?:entry|page|text|article|art)-content|article__content"""
    r"""|article(?:-|__)?body|articleBody|ArticleContent|body-text|article__container)"""
)


def may_split_article_body(html: str) -> bool:
    """Whether the markup repeats a class value that names a body (a regex over the
    source): only then can ``join_split_article_body`` join anything, and its XPath,
    which tests a regex on every element, costs ~7% of an extraction.  The body pattern
    is tested on the repeated values only (on every value, it cost ~10% of the HTML path)."""
    counts = Counter(_CLASS_VALUE.findall(html))
    return any(n > 1 and _BODY_CLASS.match(value) for value, n in counts.items())


def join_split_article_body(tree) -> int:
    """Join an article body that the page splits into several sibling parts, in place;
    returns how many parts were moved into the first.

    trafilatura reads the article from the *first* element its body XPath finds.  Pages
    built from a grid of sections (an ad rail beside each one) repeat the body container
    once per section: ``<div class="body article__body">`` in each of several
    ``<div class="grid …">``.  It then keeps the first section and loses the rest (dev:
    three magazine pages kept 25-45% of their paragraphs).  A part is joined only when
    it repeats the first part's element and class *and* its parent's element and class,
    which a blog index does not do (each post's wrapper names the post: ``post-6195``)."""
    from trafilatura.xpaths import BODY_XPATH

    hits = BODY_XPATH[0](tree)  # the one body XPath that can match several elements
    hits = [h for h in hits if h.get("class")]  # (a part is known by its class)
    if len(hits) < 2:
        return 0
    first = hits[0]
    parent = first.getparent()
    if parent is None:
        return 0
    shape = (first.tag, first.get("class"), parent.tag, parent.get("class"))
    joined = 0
    for part in hits[1:]:
        above = part.getparent()
        if above is None or (part.tag, part.get("class"), above.tag, above.get("class")) != shape:
            continue
        if any(a is first for a in part.iterancestors()) or any(a is part for a in first.iterancestors()):
            continue
        first.extend(list(part))
        joined += 1
    return joined


#: Below this share of the page's <p> text, fast mode's output is taken as truncated.
CASCADE_COVERAGE = 0.5
#: A page with less <p> text than this does not write its article in <p> elements (old
#: table-and-<font> layouts): trafilatura's own extractor then keeps menus and link lists,
#: its fallbacks find the article (dev_more: fast par F1 .70 vs .75 with the cascade).
MIN_P_CHARS = 200
#: A fast-mode "paragraph" longer than this is several paragraphs run together.
MAX_PARAGRAPH_CHARS = 2000
#: Fast mode's output under this many characters is a short article or a cut one: the
#: cascade's comparison decides (equal or better on every dev set and language, no leak
#: higher; docs/QUALITY.md, 2 Dec 2026).
MIN_FAST_CHARS = 1000


def _needs_cascade(lines: list[str], p_chars: int) -> bool:
    """Whether fast mode's ``lines`` look wrong: nothing, short, under half of the page's
    <p> text, a lost paragraph structure, or a page that does not use <p> for its text."""
    if not lines or p_chars < MIN_P_CHARS:
        return True
    n_chars = sum(map(len, lines))
    return (
        n_chars < MIN_FAST_CHARS or n_chars < CASCADE_COVERAGE * p_chars or max(map(len, lines)) > MAX_PARAGRAPH_CHARS
    )


#: elements whose presence in a cell says the table lays out a page, not data
_BLOCK_TAGS = frozenset(
    {"p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "form"}
)
#: a cell holding this much text is a page region (data cells are short)
LAYOUT_CELL_CHARS = 300
#: ... or this much with block elements in it
LAYOUT_BLOCK_CELL_CHARS = 100
_TABLE_PARTS = ("table", "tbody", "thead", "tfoot", "tr", "td", "th")


def _is_layout_table(table) -> bool:
    """A table that lays out the page (the 1990s-2000s way: the article in a cell) rather
    than holding data, by the markers browsers and readability use: a nested table, a cell
    of prose, one row or one column, ``role="presentation"``.  Data tables keep their rows."""
    if table.get("role") in ("presentation", "none") or table.find(".//table") is not None:
        return True
    for cell in table.iter("td", "th"):
        n_chars = len(" ".join(cell.text_content().split()))
        if n_chars >= LAYOUT_CELL_CHARS or (
            n_chars >= LAYOUT_BLOCK_CELL_CHARS and any(child.tag in _BLOCK_TAGS for child in cell)
        ):
            return True
    if table.find(".//th") is not None or table.find(".//caption") is not None or table.get("summary"):
        return False
    rows = table.findall(".//tr")
    n_cols = max((sum(1 for c in row if c.tag in ("td", "th")) for row in rows), default=0)
    return len(rows) <= 1 or n_cols <= 1


def unwrap_layout_tables(tree) -> int:
    """Turn layout tables into plain blocks (``div``), in place, so that trafilatura reads
    the article in them as paragraphs instead of rendering it as ``| cell | cell |`` rows
    (dev_more's table-layout pages: par F1 .49 -> .75).  Returns how many were unwrapped."""
    layout = [t for t in tree.iter("table") if _is_layout_table(t)]
    for table in layout:
        for el in table.iter(*_TABLE_PARTS):
            el.tag = "div"
    return len(layout)


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


#: The cleaner's removals that the HTML path applies to trafilatura's output: each of these
#: rules helps (or is neutral) on every dev set (dev, dev_more, snippets; `make bench-quality`'s
#: ablation).  The others are left out because they cost article text on some set: the
#: article-block selection (outside_article_block: +.011 par F1 on dev, +.049 on dev_more,
#: but -.025 snippet F1, -.029 on German pages: trafilatura already chose the article, and
#: the snippet set's pages start and end where the block's prose score does not reach),
#: repeated_line (-.008 on English snippets), short_fragment, no_article_text,
#: embedded_post, highlights_header, comment, author_bio.  Rules that never fired on an
#: extractor's output have no evidence and are left out too, except the publisher's
#: template lines (issue 12: they run on both paths; see the ablation for their effect).
HTML_REMOVAL_RULES = frozenset({
    "advertisement", "affiliate_disclaimer", "byline", "call_to_action", "caps_teaser", "caption", "contributor_line",
    "credit", "footer", "newsletter_prompt", "related_link", "share_prompt", "template", "template_line", "timestamp",
})  # fmt: skip


#: A line that ends a list or table the article holds: kept wherever it stands.
_ITEM_START = re.compile(r"^(?:[-*•+]\s|\d{1,3}[.)]\s?|\|)")
#: what counts as the article's sentences for ``after_article_end``: a full sentence of
#: some length (language-neutral: word count and final mark only)
ARTICLE_SENTENCE_MIN_WORDS = 8
#: ... and what after the last of them is a label rather than text
LABEL_MAX_WORDS = 8
_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or a digit


def _is_article_sentence(sig) -> bool:
    return sig.ends_sentence and sig.n_words >= ARTICLE_SENTENCE_MIN_WORDS


def _no_words(texts: list[str], signals: list) -> list[int]:
    return [i for i, text in enumerate(texts) if not _WORD_CHAR.search(text)]


def _after_article_end(texts: list[str], signals: list) -> list[int]:
    last = max((i for i, sig in enumerate(signals) if _is_article_sentence(sig)), default=None)
    if last is None:
        return []
    return [
        i
        for i in range(last + 1, len(texts))
        if signals[i].n_words <= LABEL_MAX_WORDS and not signals[i].ends_sentence and not _ITEM_START.match(texts[i])
    ]


@dataclass(frozen=True)
class ExtractorRule:
    """A removal rule over an extractor's article as a whole (its lines in order), with
    an example article it must cut (``removes``: the lines it removes) and look-alike
    articles it must leave whole (``keeps``).  ``tests/transforms/test_extract.py`` checks
    every example."""

    name: str  # a ``transforms.clean.RULES`` name
    find: Callable[[list[str], list], list[int]]  # (texts, line signals) -> indices removed
    removes: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # (article, the lines removed)
    keeps: tuple[tuple[str, ...], ...]


_PROSE = (
    "The council approved the new budget for the bridge on Tuesday after a long debate.",
    "Construction is expected to start next spring and to last at least three years.",
)
#: Rules the HTML path applies to the extractor's article after the cleaner's line rules:
#: evidence from the article's shape that no single line shows.  Each helps (or is
#: neutral) on every dev set and every language of the snippet set (docs/QUALITY.md).
EXTRACTOR_RULES = (
    ExtractorRule(
        "no_words",
        _no_words,
        removes=((_PROSE + ("___",), ("___",)), (("|---|---|", *_PROSE), ("|---|---|",))),
        keeps=(("3:1", *_PROSE, "- 42 %"),),
    ),
    ExtractorRule(
        # after the article's last sentence: the labels of what follows it (related links,
        # contacts, sources, categories), in any language
        "after_article_end",
        _after_article_end,
        removes=(
            (_PROSE + ("Weitere Informationen:", "Kategorien"), ("Weitere Informationen:", "Kategorien")),
            (_PROSE + ("NOTAS RELACIONADAS", "Über diese Reihe"), ("NOTAS RELACIONADAS", "Über diese Reihe")),
        ),
        keeps=(
            ("Why the bridge matters", *_PROSE),  # a subheading before the last sentence
            _PROSE + ("- Heated seats", "2. Erin Andrews", "| Rovers | 12 |"),  # list items and table rows
            _PROSE + ("It did not.",),  # a short sentence
            ("Kategorien", "Kontakt:"),  # no sentence at all: nothing to stand after
        ),
    ),
)
EXTRACTOR_RULE_NAMES = frozenset(rule.name for rule in EXTRACTOR_RULES)
#: paragraph kinds the cleaner pins (a highlights box, an editor's note): not the article's text
_PINNED_KINDS = frozenset({"highlight", "editor_note"})


def keep_extractor_lines(cleaned, rules: frozenset[str] = HTML_REMOVAL_RULES, options=None):
    """The extractor's lines minus those removed by one of ``rules``: every other line the
    cleaner removed comes back in its place, as ``body`` (``list_item`` for a bulleted item).
    Then the ``EXTRACTOR_RULES`` (those ``options`` leave enabled) remove from the article
    as a whole.  ``cleaned`` is ``clean_text(page.text, source="html")``; returns a
    ``CleanedText``."""
    from transforms.clean import CleanedText
    from transforms.clean.records import LIST_MARKERS
    from transforms.text_signals import line_signals

    items = [(p.line_no, n, p.kind, p.text) for n, p in enumerate(cleaned.paragraphs)]
    put_back = [line for line in cleaned.removed if line.rule not in rules]
    for line in put_back:
        items.append((line.line_no, -1, "list_item" if line.text[:2] in LIST_MARKERS else "body", line.text))
    items.sort(key=lambda item: (item[0], item[1]))
    article = [k for k, item in enumerate(items) if item[2] not in _PINNED_KINDS]
    texts = [items[k][3] for k in article]
    signals = [line_signals(text) for text in texts]
    cut: dict[int, str] = {}
    for rule in EXTRACTOR_RULES:
        if options is None or options.enabled(rule.name):
            for i in rule.find(texts, signals):
                cut.setdefault(article[i], rule.name)
    if not put_back and not cut:
        return cleaned
    removed = [line.model_dump() for line in cleaned.removed if line.rule in rules]
    had_lead = any(item[2] == "lead" for item in items)
    if cut:
        removed += [{"line_no": items[k][0], "text": items[k][3], "rule": rule} for k, rule in cut.items()]
        removed.sort(key=lambda r: r["line_no"])
        items = [item for k, item in enumerate(items) if k not in cut]
    kinds = [kind for _, _, kind, _ in items]
    if had_lead:  # the lead is the first body paragraph, also when an earlier one came back or it was cut
        first_body = next((i for i, kind in enumerate(kinds) if kind in ("lead", "body")), None)
        kinds = ["body" if kind == "lead" else kind for kind in kinds]
        if first_body is not None:
            kinds[first_body] = "lead"
    paragraphs, pos = [], 0
    for ordinal, ((line_no, _, _, text), kind) in enumerate(zip(items, kinds)):
        if ordinal:
            pos += 2
        paragraphs.append(
            {
                "ordinal": ordinal,
                "kind": kind,
                "text": text,
                "char_start": pos,
                "char_end": pos + len(text),
                "line_no": line_no,
            }
        )
        pos += len(text)
    return CleanedText.model_validate(
        {
            "paragraphs": paragraphs,
            "removed": removed,
            "title": cleaned.title,
            "language": cleaned.language,
        }
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


# ---------------------------------------------------------------------------------------------
# trafilatura's cascade in two steps.  This MIRRORS trafilatura 2.3.1's ``core.bare_extraction``
# and ``core.trafilatura_sequence`` (pinned in constraints.txt) for ``_extractor_options``:
# no metadata, comments, language filter, dedup, tree-size limit or prune_xpath; focus
# balanced.  Why: ``bare_extraction(fast=False)`` first repeats the fast pass's own extraction
# (stage 1: tree cleaning, tag conversion, ``extract_content``) before comparing it with
# readability and jusText (stage 2), and ``bare_extraction`` copies a tree it is given.  Here
# stage 1 runs once on the tree itself and both results are built from it; the later stages
# (baseline rescue, recall escalation, the output checks) run per mode as trafilatura runs
# them.  The texts are those of ``bare_extraction(fast=True)`` and ``bare_extraction(fast=False)``:
# ``tests/transforms/test_extract.py::test_two_step_extraction_is_bare_extraction`` fails when
# a trafilatura upgrade changes any of this.  Only this section uses trafilatura's internals.
# ---------------------------------------------------------------------------------------------


#: The trafilatura release ``TwoStepExtraction`` mirrors; with any other, ``PlainExtraction``
#: runs ``bare_extraction`` itself (the same texts, without the shared stage 1).
MIRRORED_TRAFILATURA = "2.3.1"


class PlainExtraction:
    """``bare_extraction`` of ``tree`` in fast mode and with the full cascade, each on its own."""

    def __init__(self, tree) -> None:
        self._tree = tree

    def fast_text(self) -> str:
        return self._text(fast=True)

    def cascade_text(self) -> str:
        return self._text(fast=False)

    def _text(self, fast: bool) -> str:
        import trafilatura

        doc = trafilatura.bare_extraction(self._tree, options=_extractor_options(fast))  # on a copy of the tree
        return (doc.text if doc is not None else "") or ""


class TwoStepExtraction:
    """``bare_extraction`` of ``tree`` in fast mode (``fast_text``) and with the full cascade
    (``cascade_text``, on its own or after ``fast_text``: then on the fast pass's extraction).
    The tree is consumed (pruned in place, as trafilatura prunes its copy)."""

    def __init__(self, tree) -> None:
        self._tree = _raw_tree_pruned(tree)  # None: the prune failed (no text in either mode)
        self._fast_stage1: tuple | None = None  # (cleaned backup, body, text) of the fast pass
        self._page_chars: int | None = None  # of html2txt(tree), for the recall escalation

    def fast_text(self) -> str:
        fast = _extractor_options(True)
        if self._tree is None:
            return ""
        try:
            self._fast_stage1 = self._stage1(fast)
            _, body, text = self._fast_stage1
            return self._finish(body, text, fast)
        except (TypeError, ValueError):  # bare_extraction returns None: no text
            return ""

    def cascade_text(self) -> str:
        from trafilatura.external import compare_extraction

        full = _extractor_options(False)
        if self._tree is None:
            return ""
        try:
            stage1 = self._fast_stage1
            # stage 1 is the same in both modes, except that its wild-text recovery keeps
            # teaser-class blocks in fast mode only (``main_extractor.recover_wild_text``)
            if stage1 is None or _has_teaser_blocks(self._tree):
                stage1 = self._stage1(full)
            cleaned_backup, body, text = stage1
            body, text = compare_extraction(cleaned_backup, copy.copy(self._tree), body, text, full)
            return self._finish(body, text, full)
        except (TypeError, ValueError):
            return ""

    def _stage1(self, options) -> tuple:
        """``trafilatura_sequence`` up to its stage 1: (cleaned backup, body, text)."""
        from trafilatura import core

        cleaned, cleaned_backup = core._prepare_tree(self._tree, options, None)
        body, text = core.extract_content(cleaned, options)
        return cleaned_backup, body, text

    def _finish(self, body, text: str, options) -> str:
        """``trafilatura_sequence``'s stages 3 and 4 and ``bare_extraction``'s output."""
        from trafilatura import core

        tree = self._tree
        if len(text) < options.min_extracted_size:  # 3. baseline rescue
            b_body, b_text, b_len = core.baseline(tree)
            if b_len > len(text):
                body, text = b_body, b_text
        if 0 < len(text) < core.ESCALATION_MAX_LENGTH and len(text) < core.ESCALATION_PAGE_SHARE * self._text_chars():
            # 4. recall escalation
            r_options = copy.copy(options)
            r_options.focus = "recall"
            r_text = j_text = ""
            try:
                r_body, r_text = core._recall_retry(tree, r_options, None)
            except Exception:  # noqa: BLE001 - as trafilatura: a failed retry is no retry
                r_text = ""
            if not options.fast:
                try:
                    j_body, j_text = core.justext_rescue(copy.copy(tree), options)
                except Exception:  # noqa: BLE001
                    j_text = ""
            if len(j_text) > len(r_text) and len(j_text) > core.ESCALATION_JUSTEXT_RATIO * len(text):
                body, text = j_body, j_text
            elif len(r_text) >= options.min_extracted_size and len(r_text) > core.ESCALATION_ACCEPT_RATIO * len(text):
                body, text = r_body, r_text
        if len(text) < options.min_output_size:
            return ""
        return core.xmltotxt(body, options.formatting) or ""

    def _text_chars(self) -> int:
        """The length of the page's whole text (``html2txt``), once for both modes."""
        if self._page_chars is None:
            from trafilatura import core

            self._page_chars = len(core.html2txt(self._tree))
        return self._page_chars


def _raw_tree_pruned(tree):
    """``tree`` after ``trafilatura_sequence``'s raw-tree prunes (the same in both modes),
    or None where a prune fails (``bare_extraction`` then gives None in both modes)."""
    from trafilatura import core

    try:
        is_forum = core._forum_thread_page(tree)
        tree = core.prune_unwanted_nodes(tree, core.RAW_TREE_PRUNE_XPATH)
        if not is_forum:  # comments off
            tree = core.prune_unwanted_nodes(tree, core.REMOVE_COMMENTS_AND_LISTS_XPATH)
    except (TypeError, ValueError):
        return None
    return tree


def _has_teaser_blocks(tree) -> bool:
    """Whether an element's class or id names a teaser the way trafilatura's
    ``TEASER_DISCARD_XPATH`` does (any element: a superset of what that XPath can match in
    the cleaned copies of ``tree``)."""
    return bool(_xpath(_TEASER_ANY)(tree))


_TEASER_ANY = "//*[contains(translate(@class, 'T', 't'), 'teaser') or contains(translate(@id, 'T', 't'), 'teaser')]"


def _paragraph_chars(tree) -> int:
    """Characters of text in the page's <p> elements (whitespace included: a rough size)."""
    return sum(map(len, _xpath("//p//text()")(tree)))


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
_DATE_BODY_XPATHS = (
    '//*[@itemprop="datePublished"]/@datetime',
    '//*[@itemprop="datePublished"]/@content',
    "//time/@datetime",
)
_SITE_NAME_XPATHS = (
    '/html/head/meta[@property="og:site_name" or @name="og:site_name"]/@content',
    '/html/head/meta[@name="application-name"]/@content',
    '/html/head/meta[@name="publisher"]/@content',
)
_URL_XPATHS = ('/html/head/link[@rel="canonical"]/@href', '/html/head/meta[@property="og:url"]/@content')
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"(\d{4}-\d{2}-\d{2}[^"]{0,40})"')


@functools.cache
def _xpath(expr: str):
    """``expr`` compiled once (``tree.xpath(expr)`` compiles it on every call)."""
    from lxml import etree

    return etree.XPath(expr)


def _first(tree, xpaths: tuple[str, ...]) -> str | None:
    for xp in xpaths:
        for hit in _xpath(xp)(tree):
            value = hit if isinstance(hit, str) else hit.text_content()
            value = _clean_meta(str(value))
            if value:
                return value
    return None


def _page_metadata(tree) -> dict[str, str | None]:
    """Title, canonical URL, publication date, language and site name from the page's own markup."""
    try:
        title = _first(tree, _TITLE_XPATHS)
        site_name = _first(tree, _SITE_NAME_XPATHS)
        url = _first(tree, _URL_XPATHS)
        date = _first(tree, _DATE_XPATHS)
        if date is None:
            for script in _xpath('//script[@type="application/ld+json"]/text()')(tree)[:5]:
                m = _JSONLD_DATE.search(script)
                if m:
                    date = m.group(1)
                    break
        if date is None:
            date = _first(tree, _DATE_BODY_XPATHS)
        lang = (
            tree.get("lang")
            or tree.get("xml:lang")
            or _first(
                tree,
                (
                    '/html/head/meta[@http-equiv="content-language"]/@content',
                    '/html/head/meta[@property="og:locale"]/@content',
                ),
            )
        )
    except Exception:  # noqa: BLE001 - metadata is best effort; never fail a page for it
        return {"title": None, "url": None, "published_at": None, "language": None, "site_name": None}
    return {
        "site_name": site_name[:200] if site_name else None,
        "title": title[:1000] if title else None,
        "url": url if url and url.startswith(("http://", "https://")) else None,
        "published_at": date[:100] if date else None,  # as written; parsed by transforms.dates
        "language": _language(lang),
    }
