"""The attribution rules: how a quote's speaker is found in the text around it."""

from __future__ import annotations

import re

from transforms.quotes.lexicon import CUE_LEMMAS
from transforms.quotes.names import CAP_RUN, clean_name
from transforms.quotes.phrases import (
    _AUX,
    _LEAD_SPACE_COMMA,
    _PRONOUN_SUBJ,
    _is_document,
    _np_after,
    _np_between,
    _sentence_subject,
    _subject_before,
)
from transforms.quotes.resolution import _mention_name
from transforms.quotes.scanning import _cues, _first_adj_cue


# --------------------------------------------------------------------------
# Attribution
# --------------------------------------------------------------------------


class _Attr:
    __slots__ = ("mention", "m_start", "m_end", "cue", "how")

    def __init__(self, mention, m_start, m_end, cue, how):
        self.mention = mention
        self.m_start = m_start
        self.m_end = m_end
        self.cue = cue
        self.how = how


_COMPLEMENT_START = frozenset(
    "that he she it they we i there his her its their this these those if whether".split()
)


def _attr_after_adjacent(
    text: str, ms: str, lo: int, hi: int, closed_sentence: bool = False
) -> tuple[_Attr, int] | None:
    """``"…," X said`` / ``"…," said X`` / ``"…" — X`` right after a close mark.

    Returns the attribution and the offset where it ends.
    """
    p = _LEAD_SPACE_COMMA.match(ms, lo, hi).end()
    dash = False
    if p < hi and ms[p] in "\u2014\u2013\u2015-":
        dash = True
        while p < hi and ms[p] in "\u2014\u2013\u2015- \u00a0":
            p += 1
    first = _first_adj_cue(ms, p, hi)
    if first is not None:  # every branch below returns: only the first cue counts
        cs, ce, cue = first
        if cue.lower() == "according to":
            if cs != p and ms[p:cs].strip(" ,"):
                return None
            np = _np_after(ms, ce + 1, hi)
            if np:
                return _Attr(text[np[0]:np[1]], np[0], np[1], cue, "after"), np[1]
            return None
        if cs == p:
            np = _np_after(ms, ce + 1, hi, loose=True) if ce < hi else None
            if np:
                return _Attr(text[np[0]:np[1]], np[0], np[1], cue, "after"), np[1]
            return None
        np = _np_between(ms, p, cs)
        if np is None:
            # allow adverbs between: "he later said"
            words = ms[p:cs].split()
            while words and (words[-1].lower() in _AUX or words[-1].endswith("ly") and words[-1].islower()):
                words.pop()
            if not words:
                return None
            q = p + ms[p:cs].find(words[-1]) + len(words[-1])
            np = _np_between(ms, p, q)
            if np is None:
                return None
        if closed_sentence and CUE_LEMMAS.get(cue.lower(), "say") not in ("tell", "ask"):
            # "“… campaign.” Kasich said he would have fired him": a new sentence
            # reporting other speech, not the attribution of the quote before it
            nxt = ms[ce : ce + 24].split()[:1]
            if nxt and nxt[0].lower() in _COMPLEMENT_START:
                return None
        return _Attr(text[np[0]:np[1]], np[0], np[1], cue, "after"), ce
    if dash:
        # tweet / epigraph signature: "…" — Donald J. Trump (@realDonaldTrump)
        np = _np_after(ms, p, hi)
        if np and ms[np[0]].isupper():
            return _Attr(text[np[0]:np[1]], np[0], np[1], None, "dash"), np[1]
    return None


def _attr_in_span(
    text: str, ms: str, lo: int, hi: int, prefer_last: bool, sent_lo: int | None = None
) -> _Attr | None:
    """A cue anywhere in ms[lo:hi] with its subject before it or its speaker after it."""
    cues = _cues(ms, lo, hi)
    if prefer_last:
        cues.reverse()
    for cs, ce, cue in cues:
        if cue.lower() == "according to":
            np = _np_after(ms, ce + 1, hi)
            if np:
                return _Attr(text[np[0]:np[1]], np[0], np[1], cue, "according")
            continue
        # ", argues Sotnikov": a cue after a comma with a name after it
        j = cs - 1
        while j >= lo and ms[j] == " ":
            j -= 1
        # "telling Reuters", "told reporters": the words after "tell" name the hearer
        hearer_next = CUE_LEMMAS.get(cue.lower()) == "tell"
        if j >= lo and ms[j] == "," and ce < hi and not hearer_next:
            np = _np_after(ms, ce + 1, hi)
            if np:
                return _Attr(text[np[0]:np[1]], np[0], np[1], cue, "inverted")
        if cue.endswith("ing") and j >= lo and ms[j] == "," and sent_lo is not None:
            # "Dean poked at Trump, tweeting, “…”": the participle's subject is the sentence's
            sub = _sentence_subject(ms, sent_lo, cs)
            if sub:
                return _Attr(text[sub[0]:sub[1]], sub[0], sub[1], cue, "subject")
        sub = _subject_before(ms, lo, cs)
        if sub is None:
            # "a White House official who spoke anonymously said": skip the relative clause
            seg = ms[lo : cs]
            w = max(seg.rfind(" who "), seg.rfind(" which "))
            if w > 0 and "," not in seg[w:]:
                sub = _subject_before(ms, lo, lo + w)
        if sub is None and sent_lo is not None:
            # "Trump called on her to resign and said, “…”": the sentence's subject
            prev_word = ms[lo : cs].split()[-1:] if ms[lo : cs].strip() else []
            if prev_word and prev_word[0].lower().strip(",") in ("and", "but", "then") or prev_word and prev_word[0].endswith(","):
                sub = _sentence_subject(ms, sent_lo, cs)
        if sub:
            return _Attr(text[sub[0]:sub[1]], sub[0], sub[1], cue, "subject")
        if ce < hi and not hearer_next:
            np = _np_after(ms, ce + 1, hi)
            if np:
                return _Attr(text[np[0]:np[1]], np[0], np[1], cue, "inverted")
    return None


_COLON_INTRO = re.compile(
    r"(?P<np>(?:[A-Z][\w'\u2019.\-]*)(?:\s+(?:[A-Z][\w'\u2019.\-]*|\([^)]{1,30}\)))*)\s*:\s*$"
)


def _subject_attr(text: str, ms: str, lo: int, hi: int, subjects_of) -> _Attr | None:
    """The subject of the sentence introducing a quote without a cue verb
    (``subjects_of()``: the unit's sentence subjects, worked out if needed)."""
    seg = ms[lo:hi]
    cm = _COLON_INTRO.search(seg)
    if cm and clean_name(cm.group("np")) is not None and (
        cm.start() == len(seg) - len(seg.lstrip())
        # "TURNOUT WAS HIGH IN IOWA - Michael P. McDonald: “…”": a byline after a dash
        or seg[: cm.start()].rstrip().endswith(("-", "\u2014", "\u2013"))
        and seg[: cm.start()].endswith(" ")
    ):
        a, b = lo + cm.start("np"), lo + cm.end("np")
        return _Attr(text[a:b], a, b, None, "colon")
    sub = _sentence_subject(ms, lo, hi)
    if sub is not None:
        kind_, _n = _mention_name(text[sub[0] : sub[1]])
        if kind_ in ("person", "pronoun") or _is_document(text[sub[0] : sub[1]]):
            return _Attr(text[sub[0] : sub[1]], sub[0], sub[1], None, "subject")
    m = _PRONOUN_SUBJ.match(seg)
    if m:
        a, b = lo + m.start(1), lo + m.end(1)
        return _Attr(text[a:b], a, b, None, "subject")
    for s0, r0, _name in subjects_of():
        if s0 == lo and r0 < hi:
            m2 = CAP_RUN.match(ms, r0)
            if m2:
                a, b = m2.span()
                return _Attr(text[a:b], a, b, None, "subject")
    return None
