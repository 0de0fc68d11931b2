"""The article block: which surviving lines form the article, and of what kind.

Input is the page's lines after the line, context and structure rules have marked the
lines they recognise.  This module

* finds the main article block: the contiguous run of lines with the best total prose
  score (Kadane over per-line weights minus a density margin), plus further runs that
  are dense on their own or share the main block's vocabulary (an article interrupted by
  a "Most popular" box or a gallery);
* recovers a standfirst / lead just above it and a subheading opening a later run;
* cuts reader comments at a comments header and an author bio at the end;
* keeps the lists an article line announces and the tables that continue the article;
* gives every kept line a paragraph kind (lead, heading, body, list_item, table_row) and finds a
  title above the article.

Every signal is general (sentence shape, position, continuity, cohesion): nothing here
knows a publisher.  Pure functions over :class:`LineRecord` lists.
"""

from __future__ import annotations

import re
from functools import lru_cache

from transforms.clean.options import CleanOptions
from transforms.clean.records import LIST_MARKERS, LineRecord
from transforms.text_signals import STOPWORDS, LineSignals

#: Rules whose lines sit inside articles (pictures, ads, link boxes): they weigh
#: ``options.inline_junk_weight``, not a full negative line, so they do not split an article.
INLINE_RULES = frozenset(
    {
        "caption",
        "caption_next_to_credit",
        "credit",
        "image_file",
        "advertisement",
        "related_link",
        "dateline",
        "highlights_header",
        "video_playlist",
        "embedded_post",
        "repeated_line",
    }
)
#: the header of a comments section: everything after it (once the article has run) is comments
COMMENTS_HEADER = re.compile(
    r"^(?:(?:\d+\s+)?comments?(?:\s*\(\d+\))?|all comments(?:\s*\d+)?|view comments|show comments|read comments"
    r"|leave a (?:comment|reply)|join the (?:conversation|discussion)|add a comment|post a comment|reader comments"
    r"|comments? (?:are|have been) closed|conversation|discussion)\s*[:.]?$",
    re.IGNORECASE,
)
#: "Jane Doe is a senior politics reporter for X." among the last paragraphs
AUTHOR_BIO = re.compile(
    r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}\s+(?:is|was|has been)\s+(?:a|an|the)\b[^.]{0,80}?\b"
    r"(?:reporter|writer|editor|correspondent|columnist|journalist|contributor|producer|author|fellow|professor"
    r"|researcher|lecturer|analyst|critic|presenter|host)s?\s+(?:for|at|with)\s+(?:the\s+)?[A-Z]"
)


def _is_table_row(text: str, source: str) -> bool:
    if source == "html":
        return text.startswith("|") and text.endswith("|")
    return "\t" in text  # a visible-text dump ends table cells with a tab


def _best_run(weights: list[float], lo: int, hi: int) -> tuple[int, int, float] | None:
    best_sum, best = 0.0, None
    cur_sum, cur_start = 0.0, lo
    for i in range(lo, hi):
        w = weights[i]
        if cur_sum <= 0:
            cur_sum, cur_start = w, i
        else:
            cur_sum += w
        if cur_sum > best_sum:
            best_sum, best = cur_sum, (cur_start, i)
    return None if best is None else (best[0], best[1], best_sum)


_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
#: the same on lower-cased ASCII text, where a letter is a-z: a bitmap test per character
#: instead of a Unicode category lookup (half the time)
_ASCII_CONTENT_WORD = re.compile(r"[a-z]{4,}")


@lru_cache(maxsize=16_384)
def _line_content_words(text: str) -> frozenset[str]:
    low = text.lower()
    words = (_ASCII_CONTENT_WORD if low.isascii() else _CONTENT_WORD).findall(low)
    return frozenset(words).difference(STOPWORDS)


def _content_words(records: list[LineRecord], lo: int, hi: int) -> set[str]:
    words: set[str] = set()
    for r in records[lo : hi + 1]:
        if r.rule is None:
            words.update(_line_content_words(r.paragraph_text))
    return words


def article_blocks(weights: list[float], records: list[LineRecord], options: CleanOptions) -> list[tuple[int, int]]:
    """The main block (best run) plus any other run dense enough to be part of the article:
    dense on its own, or less dense but sharing the main block's vocabulary."""
    main = _best_run(weights, 0, len(weights))
    if main is None:
        return []
    need = max(options.min_extra_block, options.min_extra_share * main[2])
    blocks = [(main[0], main[1])]
    vocab: set[str] | None = None
    todo = [(0, main[0]), (main[1] + 1, len(weights))]
    while todo:
        lo, hi = todo.pop()
        if hi - lo <= 0:
            continue
        run = _best_run(weights, lo, hi)
        if run is None or run[2] < options.min_cohesive_block:
            continue
        take = run[2] >= need
        if not take:
            if vocab is None:
                vocab = _content_words(records, main[0], main[1])
            words = _content_words(records, run[0], run[1])
            take = bool(words) and len(words & vocab) / len(words) >= options.min_cohesion
        if take:
            blocks.append((run[0], run[1]))
        todo.extend([(lo, run[0]), (run[1] + 1, hi)])
    return sorted(blocks)


_HEADING_MAX_WORDS = 14


def is_heading_like(sig: LineSignals, *, strict: bool = True, text: str = "") -> bool:
    """A subheading: short, capitalised start, no final full stop; when ``strict``, not a
    bare Title-Case name or label ("Paul Serran", "TGP Stats"; "STRATEGIC CORRIDORS" and
    "Political dilemmas" are headings)."""
    if not (1 <= sig.n_words <= _HEADING_MAX_WORDS) or not sig.starts_upper:
        return False
    if (
        strict
        and sig.n_words <= 3
        and sig.stop_share == 0
        and sig.cap_share == 1.0
        and not sig.ends_colon
        and (not text or text.upper() != text)  # ALL-CAPS is a heading style, not a name
    ):
        return False
    # a question is a common subheading ("Why was the OBR created?"), a full stop is not
    return not sig.ends_sentence


def is_question_heading(rec: LineRecord) -> bool:
    sig = rec.sig
    return 2 <= sig.n_words <= 12 and sig.starts_upper and rec.paragraph_text.rstrip("\"'”’").endswith("?")


_TITLE_MIN_WORDS, _TITLE_MAX_WORDS = 3, 30
_NOT_TITLE = re.compile(r"^(by|updated|published|posted|from)\b|\d{1,2}:\d{2}", re.IGNORECASE)


def _title_like(rec: LineRecord) -> bool:
    sig = rec.sig
    return (
        _TITLE_MIN_WORDS <= sig.n_words <= _TITLE_MAX_WORDS
        and sig.starts_upper
        and not rec.text.endswith(".")
        and "\t" not in rec.text
        and not _NOT_TITLE.search(rec.text)
    )


def _cut_comments(
    records: list[LineRecord], blocks: list[tuple[int, int]], weights: list[float], in_block: list[bool], after: int
) -> None:
    """Reader comments follow the article, often as prose: cut at a comments header that
    comes after the article has run for a few paragraphs (all later lines: "comment")."""
    seen_prose = 0
    for b0, b1 in blocks:
        for k in range(b0, b1 + 1):
            r = records[k]
            if r.rule is None and weights[k] > 1.0:
                seen_prose += 1
            elif seen_prose >= after and r.sig.n_words <= 4 and COMMENTS_HEADER.match(r.text):
                for j in range(k + 1, len(records)):
                    if records[j].rule is None and not records[j].pinned:
                        records[j].rule = "comment"
                    in_block[j] = False
                return


#: rules of the block selection (not of a line's own text): a list's items may carry them
_BLOCK_RULES = frozenset({"outside_article_block", "short_fragment", "menu"})
_ARTICLE = frozenset({"body", "heading", "list_item", "table_row"})
#: lines the block selection left out (a menu, a run of short lines, ends a closing list)
_UNCHOSEN = frozenset({"outside_article_block", "short_fragment"})


#: a line of program code: a call or a block's brace or statement end
_CODE_LINE = re.compile(r"\w\(|[{}]$|\);$|^[})\]]")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")


def _cells_or_code(items: list[LineRecord]) -> bool:
    """Whether a run of lines is mostly table cells that lost their rows ("71.1 MB") or
    program code: neither is a list of items (a code block is one paragraph)."""
    odd = 0
    for x in items:
        text = x.paragraph_text
        if _CODE_LINE.search(text) or len(_DIGIT.findall(text)) >= len(_LETTER.findall(text)):
            odd += 1
    return 2 * odd >= len(items)


def _closing_list(records: list[LineRecord], start: int, options: CleanOptions) -> list[LineRecord]:
    """The items after the article's last line ``start`` (it ends with a colon): the lines
    the block selection left out, up to the first line another rule removed (a menu too);
    items that touch each other (one ``<ul>``) end with their run of lines."""
    touching = start + 1 < len(records) and not records[start + 1].blank_after
    stop = start + 1
    while stop < len(records) and stop - start <= options.list_max_items and records[stop].rule in _UNCHOSEN:
        stop += 1
        if touching and records[stop - 1].blank_after:
            break
    return records[start + 1 : stop]


def _keep_announced_lists(records: list[LineRecord], options: CleanOptions) -> None:
    """A kept article line that ends with a colon announces what follows ("Below is the
    list of players:", "The bill would:"): the lines between it and the next kept article
    line are its items when only the block selection removed them (lists, schedules and
    spec bullets do not read as prose); after the article's last line, the closing list
    (``_closing_list``, two items or more).  Kept as ``list_item``."""
    kept = [i for i, r in enumerate(records) if r.rule is None and r.kind in _ARTICLE and not r.pinned]
    for k, start in enumerate(kept):
        if not records[start].paragraph_text.endswith(":"):
            continue
        if k + 1 < len(kept):  # the article goes on after the list
            items = records[start + 1 : kept[k + 1]]
            if len(items) > options.list_max_items or not all(
                x.rule in _BLOCK_RULES or x.rule in INLINE_RULES for x in items
            ):
                continue
        else:
            items = _closing_list(records, start, options)
            if len(items) < 2:
                continue
        if items and not _cells_or_code(items):
            for x in items:
                if x.rule in _BLOCK_RULES and x.sig.n_words > 0:
                    # a sentence after the items is the article going on, not an item
                    x.rule, x.kind = None, "body" if x.score > 0 and x.sig.ends_sentence else "list_item"


def _keep_continued_tables(records: list[LineRecord], source: str, options: CleanOptions) -> None:
    """A table right after an article line (a scoreboard, a schedule, a spec sheet)
    continues the article: its rows (cells end with a tab) are kept as ``table_row``, with
    the few lines among them (a caption, a sub-header, a row that lost its tabs):
    up to ``table_lead_lines`` lines before the first row, at most ``table_gap`` lines
    between two rows; two rows or more, and at least half of the region rows.  Only lines
    the block selection left out are taken: a rule of their own ends the table."""
    n, k = len(records), 0
    lead, gap = options.table_lead_lines, options.table_gap
    while k < n - 1:
        r = records[k]
        if r.rule is not None or r.kind not in _ARTICLE or r.pinned:
            k += 1
            continue
        j, last, rows = k + 1, -1, 0
        while j < n and records[j].rule in _BLOCK_RULES and (j - k <= lead if last < 0 else j - last <= gap):
            if _is_table_row(records[j].text, source):
                last, rows = j, rows + 1
            j += 1
        if rows < 2 or 2 * rows < last - k:
            k += 1
            continue
        for x in records[k + 1 : last + 1]:
            if x.sig.n_words > 0:
                x.rule, x.kind = None, "table_row"
        k = last + 1


#: a label is short: "Read more from this column:", "Submit your feedback here:"
_LABEL_MAX_WORDS = 10


def _cut_closing_label(records: list[LineRecord], kept: list[LineRecord]) -> None:
    """The article's last paragraph, when it is a short line ending with a colon and the
    lines it announces were all removed (a link box, a share bar, a form), is that box's
    label, not the article's: "Weitere Beiträge aus der Kolumne:", "Related to this story:".
    Only when lines follow it on the page (cleaning the article again keeps its last line)."""
    kept = [r for r in kept if r.kind is not None and r.rule is None]
    if not kept:
        return
    last = kept[-1]
    if last.sig.n_words > _LABEL_MAX_WORDS or not last.paragraph_text.endswith(":") or last is records[-1]:
        return
    if any(r.kind is not None and r.rule is None for r in records[records.index(last) + 1 :]):
        return  # a list it announces (or a pinned box) follows
    last.kind, last.rule = None, "closing_label"


def segment_paragraphs(records: list[LineRecord], options: CleanOptions, *, source: str = "text") -> str | None:
    """Decide, in place, the kind of every kept line and the rule of every other line.

    ``records`` are the page's non-blank lines in order; lines with ``rule`` set are
    already removed.  Returns the title if one is recognised (its line gets rule "title").
    """
    html = source == "html"
    inline_junk, junk, adjacent = options.inline_junk_weight, options.junk_weight, options.adjacent_penalty
    weights = []  # runs on every line, twice per page: inlined
    for r in records:
        if r.rule is not None:
            weights.append(inline_junk if r.rule in INLINE_RULES else junk)
        elif r.pinned or (r.text.startswith("|") and r.text.endswith("|") if html else "\t" in r.text):
            weights.append(0.0)
        elif html:
            weights.append(r.score)
        else:
            weights.append(r.score - adjacent * ((not r.blank_before) + (not r.blank_after)))
    margin = options.html_block_margin if html else options.block_margin
    blocks = article_blocks([w - margin for w in weights], records, options)
    if not blocks:
        for r in records:
            if r.rule is None and not r.pinned:
                r.rule = "no_article_text"
        return None

    # A standfirst often sits above the byline/date/picture that precede the body: take
    # the closest prose line above the first block if only removed lines separate them.
    start = blocks[0][0]
    i, seen = start - 1, 0
    while i >= 0 and seen < options.lead_lookback:
        r = records[i]
        if r.rule is not None or r.pinned or _is_table_row(r.text, source):
            i -= 1
            seen += 1
            continue
        if weights[i] >= 1.5 and r.sig.ends_sentence and r.sig.n_words >= 8:
            blocks[0] = (i, blocks[0][1])
        break
    # A later block often opens with its subheading, which scores below the margin.
    for k in range(1, len(blocks)):
        b0 = blocks[k][0]
        j = b0 - 1
        while j > blocks[k - 1][1] and records[j].rule in INLINE_RULES:
            j -= 1
        if j > blocks[k - 1][1] and records[j].rule is None and is_heading_like(records[j].sig):
            blocks[k] = (j, blocks[k][1])

    in_block = [False] * len(records)
    for b0, b1 in blocks:
        in_block[b0 : b1 + 1] = [True] * (b1 + 1 - b0)
    if options.enabled("comment"):
        _cut_comments(records, blocks, weights, in_block, options.comments_after)

    # Inside the block: prose stays; short non-prose lines are subheadings when a prose
    # line follows them, otherwise fragments (labels, bylines, leftovers of widgets).
    inside = []
    for idx, r in enumerate(records):
        if r.rule is None and not r.pinned:
            if in_block[idx]:
                inside.append(idx)
            else:
                r.rule = "outside_article_block"
    n_inside = len(inside)
    for pos, i in enumerate(inside):
        r = records[i]
        sig = r.sig
        # whether the next line inside is prose: asked only by the heading tests below,
        # so computed only when one of them gets that far
        nxt = inside[pos + 1] if pos + 1 < n_inside else None
        if weights[i] > 0:
            if (
                sig.n_words <= 12  # cheap first: most prose lines are longer than a question heading
                and is_question_heading(r)
                and not sig.has_quote
                and nxt is not None
                and weights[nxt] > 0
                and not is_heading_like(records[nxt].sig)
            ):
                r.kind = "heading"
            else:
                r.kind = "body"
        elif (
            is_heading_like(sig, strict=not html, text=r.text)
            and (nxt is not None and (html or (weights[nxt] > 0 and not is_heading_like(records[nxt].sig))))
            and not _is_table_row(r.text, source)  # a table's last row before prose
        ):
            r.kind = "heading"
        elif (
            sig.n_words >= 20
            or (sig.ends_sentence and sig.n_words >= 2 and sig.starts_upper)
            or (html and sig.n_words >= 4)  # the extractor already judged it part of the article
            or (_is_table_row(r.text, source) and sig.n_words > 0)
        ):
            r.kind = "body"  # a short sentence inside the article: "It did not." / “No,” she said.
        else:
            r.rule = "short_fragment"
            continue
        # An extractor's bulleted list items stay, as their own kind (not running text);
        # so do a table's rows.
        if r.text[:2] in LIST_MARKERS:
            r.kind = "list_item"
        elif r.kind == "body" and _is_table_row(r.text, source):
            r.kind = "table_row"

    if options.enabled("announced_list"):
        _keep_announced_lists(records, options)
    if options.enabled("continued_table"):
        _keep_continued_tables(records, source, options)

    # An author's bio closes many articles: "Jane Doe is a politics reporter for X."
    # (Only lines inside the block have a kind that is not pinned.)
    kept = [r for r in map(records.__getitem__, inside) if r.kind is not None]
    bio_tail = options.bio_tail if options.enabled("author_bio") else 0
    for r in kept[-bio_tail:] if len(kept) > bio_tail > 0 else ():
        if r.sig.n_words <= 45 and not r.sig.has_quote and AUTHOR_BIO.match(r.paragraph_text):
            r.kind, r.rule = None, "author_bio"

    if options.enabled("closing_label"):
        _cut_closing_label(records, kept)

    # Lead: the first kept article paragraph, unless a dateline shows the body starts there.
    first = next((r for r in records if r.kind in ("body", "heading")), None)
    if first is not None and first.kind == "body" and not first.body_start:
        first.kind = "lead"

    # Title: of the headline-like removed lines above the article (not rule hits with a
    # specific meaning such as a caption), the one naming its subject (``_headline_of``).
    # Not for an extractor's output: it has no headline line (the page title comes from
    # the metadata), its first lines are text.
    title = None
    if html:
        return None
    first_idx = next((i for i, r in enumerate(records) if r.kind is not None and not r.pinned), None)
    if first_idx is not None:
        candidates = [
            j
            for j in range(first_idx - 1, max(-1, first_idx - 1 - _TITLE_LOOKBACK), -1)
            if records[j].rule in _TITLE_CANDIDATE and _title_like(records[j])
        ]
        if candidates:
            best = _headline_of(records, candidates, first_idx)
            title = records[best].text
            records[best].rule = "title"
    return title


_TITLE_CANDIDATE = frozenset({"outside_article_block", "short_fragment", "repeated_line"})
_TITLE_LOOKBACK = 25
#: the article's paragraphs whose vocabulary the headline shares
_TITLE_BODY_PARAGRAPHS = 3


def _headline_of(records: list[LineRecord], candidates: list[int], first_idx: int) -> int:
    """Which headline-like line above the article (``candidates``, closest first) is its
    headline: the one that shares the most words with the article's first paragraphs (a
    headline names what the article is about; a byline, a share button, a section label or
    another story's headline does not); the closest when none shares a word."""
    body: set[str] = set()
    seen = 0
    for r in records[first_idx:]:
        if r.kind is not None and r.rule is None:
            body.update(_line_content_words(r.paragraph_text))
            seen += 1
            if seen == _TITLE_BODY_PARAGRAPHS:
                break
    best, best_shared = candidates[0], 0
    for j in candidates:
        shared = len(_line_content_words(records[j].text) & body)
        if shared > best_shared:
            best, best_shared = j, shared
    return best
