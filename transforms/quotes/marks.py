"""Quote marks, the pieces they enclose, sentences, and quote kinds."""

from __future__ import annotations

import re
from collections.abc import Sequence

from schemas.models import Paragraph
from transforms.quotes.lexicon import CUE_LEMMAS

_LINK_INTRO = re.compile(
    r"(?:also read|read more|read also|recommended|related|see also|more|watch|listen|read|"
    r"related story|related article|more from \w+)\s*:\s*$",
    re.IGNORECASE,
)


def _is_link_intro(before: str) -> bool:
    """``_LINK_INTRO.search(before)`` for a text ending with a colon, searched
    only near its end: every alternative ends with the word before the colon
    and starts at most 20 characters before that word (trying every start of a
    long sentence under IGNORECASE is slow)."""
    t = before.rstrip()[:-1].rstrip()
    w0 = len(t)
    while w0 and (t[w0 - 1].isalnum() or t[w0 - 1] == "_"):
        w0 -= 1
    if w0 == len(t):
        return False  # no word before the colon
    return _LINK_INTRO.search(before, max(0, w0 - 20)) is not None


_ABBREV = frozenset(
    """mr. mrs. ms. dr. sen. rep. gov. gen. lt. col. st. jr. sr. inc. co. corp. jan. feb.
    mar. apr. aug. sept. sep. oct. nov. dec. no. vs. etc. prof. rev. adm. capt. sgt.
    ft. mt. ave. e.g. i.e. a.m. p.m. u.s. u.k. u.n. d.c. ariz. calif. fla. ill. mass.
    mich. minn. tex. va. wash. wis. pa. n.y. n.j. n.h. ky. ga. ala. colo. conn. del.
    ind. kan. md. mo. neb. nev. okla. ore. tenn. vt. w.va. wyo. ark. la. miss. n.c. s.c.
    n.d. s.d. n.m. r.i. pres. sec. atty. supt. dept. gov.-elect""".split()
)

# precompiled helpers (the hot path avoids re's cache lookups)


_INITIALS = re.compile(r"(?:[a-z]\.){2,}")


_WORDS = re.compile(r"\w+")
_TITLE_WORDS = re.compile(r"[A-Za-z][\w'\u2019]*")


# --------------------------------------------------------------------------
# Quote marks
# --------------------------------------------------------------------------

_MARK_CHARS = '"\u201c\u201d\u201e\u201f\u00ab\u00bb'
_OPENERS = "\u201c\u201e\u201f\u00ab"
_CLOSERS = "\u201d\u00bb"
_MASK = "\x01"
_WORD = re.compile(r"\w")
# a run of [.!?] (matched from its first mark: where "[.!?]+" would match, and
# a leading character class lets ``re`` skip to the candidates at C speed)
_SENT_END = re.compile(r"[.!?](?<![.!?].)[.!?]*[\x01\"\u201d\u2019')\]]*\s+(?=[\x01\"\u201c\u201d\u2018'(\[A-Z0-9])")


def _has_marks(texts: list[str]) -> tuple[list[bool], str]:
    """Which texts hold a quote mark, and the kinds of mark the texts use.
    (``in`` and ``find`` run at memchr speed; a regex character class costs
    ``re`` a few ns per character.)"""
    page = "".join(texts)
    present = "".join(c for c in _MARK_CHARS if c in page)
    if len(present) == 1:
        return [present in t for t in texts], present
    if len(present) == 2:  # typically “ and ”
        a, b = present
        return [a in t or b in t for t in texts], present
    return [any(c in t for c in present) for t in texts], present


def _mark_positions(text: str, marks: str) -> list[int]:
    """Where the quote marks of ``text`` stand (``marks``: the kinds it may hold)."""
    found = []
    for c in marks:
        i = text.find(c)
        while i >= 0:
            found.append(i)
            i = text.find(c, i + 1)
    if len(marks) > 1:
        found.sort()
    return found


def _pair_marks(text: str, marks: str = _MARK_CHARS) -> list[tuple[int, int | None]]:
    """(open mark index, close mark index or None when left open)."""
    spans: list[tuple[int, int | None]] = []
    open_at: int | None = None
    n = len(text)
    for i in _mark_positions(text, marks):
        ch = text[i]
        if ch == '"' and (i + 1 < n and text[i + 1] in _OPENERS or i and text[i - 1] in _CLOSERS):
            continue  # a doubled mark, '"“' or '”"' (scraped or retyped text): the curly one counts
        if open_at is None:
            if ch in _CLOSERS:
                # a stray closer reads as an opener only where an opener would stand
                prev = text[i - 1] if i else " "
                nxt = text[i + 1] if i + 1 < n else " "
                if not (prev.isspace() or prev in "([—–-") or nxt.isspace():
                    continue
            open_at = i
        else:
            if ch in _OPENERS and i - open_at > 1:
                # “A “B … : an opener inside an open quote starts a new one only
                # when the first looks abandoned (no closer left in the paragraph)
                rest = text[i + 1 :]
                if not any(c in rest for c in _CLOSERS + '"'):
                    spans.append((open_at, None))
                    open_at = i
                    continue
            spans.append((open_at, i))
            open_at = None
    if open_at is not None:
        spans.append((open_at, None))
    return spans


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _sentence_bounds(masked: str) -> list[tuple[int, int]]:
    bounds = []
    start = 0
    for m in _SENT_END.finditer(masked):
        dot = m.start()
        # the word before the period: abbreviations and initials do not end sentences
        if masked[dot] == ".":
            ws = masked.rfind(" ", 0, dot) + 1
            word = masked[ws : dot + 1].lower().lstrip("(\"'\u201c")
            if word in _ABBREV or (len(word) == 2 and word[0].isalpha()) or _INITIALS.fullmatch(word):
                nxt = masked[m.end() : m.end() + 1]
                if not nxt or nxt.isupper():
                    continue
        bounds.append((start, m.end()))
        start = m.end()
    bounds.append((start, len(masked)))
    return bounds


class _Piece:
    __slots__ = (
        "open",
        "close",
        "start",
        "end",
        "kind",
        "group",
        "attr",
        "scare",
        "cont",
        "speaker",
        "name",
        "cue",
        "after_end",
        "rule",
    )

    def __init__(self, open_, close, start, end):
        self.open = open_
        self.close = close
        self.start = start
        self.end = end
        self.kind = "direct"
        self.group = -1
        self.attr = None
        self.scare = False
        self.cont = None  # piece this one continues (same group)
        self.speaker = None
        self.name = None
        self.cue = None
        self.after_end = None
        self.rule = None  # the attribution rule that found the speaker


def _is_partial(text: str, p: _Piece) -> bool:
    # opening mark directly after a word: "… it held “the city council …"
    i = p.open - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    if i >= 0 and (text[i].isalnum() or text[i] in "%$"):
        # "X said “…" with a full sentence quoted stays direct
        ws = text.rfind(" ", 0, i) + 1
        prev = text[ws : i + 1].lower()
        first = text[p.start : p.start + 1]
        if not (prev in CUE_LEMMAS and first.isupper()):
            return True
    if p.close is not None:
        last = text[p.end - 1 : p.end]
        if last and last not in ".,!?;:\u2014\u2013-\u2026":
            j = p.close + 1
            while j < len(text) and text[j] in " \t\u00a0":
                j += 1
            if j < len(text) and j > p.close + 1 and (text[j].isalnum() or text[j] in "(["):
                return True
            if j < len(text) and j == p.close + 1 and text[j] in ",;" and i >= 0 and text[i].isalnum():
                return True
    return False


def _only_attribution_between(ms: str, a: int, b: int) -> bool:
    """After ``"A," X said`` only the rest of that sentence stands before ``"B."``."""
    seg = ms[a:b]
    if _MASK in seg or len(seg) > 160:
        return False
    body = seg.rstrip(" \t")
    if not body.strip(" ,.;:\u2014\u2013-"):
        return True
    if body[-1:] not in ".,:;\u2014\u2013-":
        return False
    return _SENT_END.search(body[:-1] + " ") is None or _SENT_END.search(body) is None


def _word_count(s: str) -> int:
    return len(_WORDS.findall(s))


_TITLE_SMALL = frozenset(
    {"a", "an", "the", "of", "in", "on", "to", "for", "and", "or", "with", "at", "by", "from", "is", "vs"}
)


def _is_titleish(s: str) -> bool:
    """ "Harbour Tonight," "The Long Road": every significant word capitalised."""
    s = s.rstrip(" ,.")
    words = _TITLE_WORDS.findall(s)
    if not words or s[-1:] in "!?":
        return False
    if not words[0][0].isupper():
        return False
    big = [w for w in words if w.lower() not in _TITLE_SMALL]
    # every significant word capitalised; "The Week," counts ("The" is small)
    return bool(big) and all(w[0].isupper() for w in big) and len(words) <= 12


def _lines(paragraphs: Sequence[Paragraph]) -> list[tuple[Paragraph, int, str]]:
    """(paragraph, offset, line): a line break inside a paragraph ends quotes too."""
    units = []
    for para in paragraphs:
        text = para.text
        if "\n" not in text:
            units.append((para, 0, text))
            continue
        off = 0
        for line in text.split("\n"):
            if line.strip():
                units.append((para, off, line))
            off += len(line) + 1
    return units


def _mask_quotes(text: str, marks: str) -> tuple[str, list[_Piece]]:
    """The unit with its quoted words masked, and its quote pieces (``marks``:
    the kinds of quote mark it may hold)."""
    pieces: list[_Piece] = []
    parts = []
    done = 0
    for o, c in _pair_marks(text, marks):
        a, b = _strip_span(text, o + 1, len(text) if c is None else c)
        # mask the quoted words; keep their final punctuation for sentences
        keep = b
        while keep > a and text[keep - 1] in ".!?,":
            keep -= 1
        if keep > o + 1:
            parts.append(text[done : o + 1])
            parts.append(_MASK * (keep - o - 1))
            done = keep
        if _WORD.search(text, a, b) is None:
            continue
        pieces.append(_Piece(o, c, a, b))
    parts.append(text[done:])
    return "".join(parts), pieces
