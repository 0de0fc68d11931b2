"""Cheap, context-free signals about one line of text (sentence shape).

Everything here looks at a single line; the cleaner combines these signals with
the line's position on the page.  The signals are language-general except the
stop-word list, which is English (the benchmark and the seeds are English news).
"""

from __future__ import annotations

import re
from operator import itemgetter
from typing import NamedTuple

#: Common English function words; their share separates running prose (~40-50 %)
#: from menus, titles, credits and captions of names (~0-20 %).
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say will would may might must shall us it's i'm he's she's
    that's there's they're we're don't doesn't didn't won't can't isn't aren't wasn't
    weren't i've we've they've you've i'd he'd she'd we'd they'd you'd i'll he'll she'll
    we'll they'll you'll""".split()
)

#: closing quotes/brackets that may follow the sentence mark: `... said.”`, `(... ).`
_TRAILING_CLOSERS = "\"'”’»)]*"
_SENTENCE_END = frozenset(".!?…")


class LineSignals(NamedTuple):
    n_words: int
    stop_share: float  # share of words that are stop words (lower-cased)
    cap_share: float  # share of words that start with a capital letter
    ends_sentence: bool  # last char (before closing quotes/brackets) is . ! ? …
    ends_colon: bool
    starts_upper: bool  # first letter is upper case (or a digit / opening quote)
    has_quote: bool  # contains a quotation mark


#: stop words as whitespace tokens appear in text: bare, or with a quote before and/or a
#: punctuation mark after ("said,", "“we", "it."), so that counting needs no regex
def stop_tokens(words: frozenset[str] | set[str]) -> frozenset[str]:
    """``words`` as whitespace tokens (see ``_STOP_TOKENS``)."""
    return frozenset(
        f"{pre}{w}{post}"
        for w in words
        for pre in ("", '"', "“", "‘", "'", "(", "„", "«")
        for post in ("", ",", ".", ";", ":", "?", "!", '"', "”", "’", ")", ".”", ",”", "“", "»")
    )


def _english_stop_tokens() -> frozenset[str]:
    # the compiled kernel's set, unchanged (outputs on English pages depend on it)
    return frozenset(
        f"{pre}{w}{post}"
        for w in STOPWORDS
        for pre in ("", '"', "“", "‘", "'", "(")
        for post in ("", ",", ".", ";", ":", "?", "!", '"', "”", "’", ")", ".”", ",”")
    )


_STOP_TOKENS = _english_stop_tokens()
_STOP_CONTAINS = _STOP_TOKENS.__contains__


_SAMPLE_TOKENS = 40
_first_char = itemgetter(0)
_new_signals = tuple.__new__
_NOT_ALNUM = re.compile(r"[\W_]")  # exactly the characters for which str.isalnum() is False


def _count_tokens(rest: str) -> int:
    """``len(rest.split())`` for the tail of a line (no leading whitespace), without
    making the tokens.  Every whitespace character but the space is non-printable, so a
    printable tail with single spaces has one token more than spaces."""
    if rest.isprintable() and "  " not in rest and not rest.endswith(" "):
        return rest.count(" ") + 1
    return len(rest.split())


def _line_signals_py(text: str, low: str | None = None) -> LineSignals:
    """Signals of one line (``low``: the line lower-cased, if the caller has it).

    The reference implementation: ``line_signals`` is its C translation in
    ``transforms/_speedups.c`` where that is compiled, this function otherwise."""
    # whitespace tokens and C-level map/filter/sum: this runs on every distinct line of
    # every page.  The shares of a long line are estimated on its first 40 tokens.
    sample = text.split(None, _SAMPLE_TOKENS)
    n_more = 0  # tokens past the sample: counted, not made into strings
    if len(sample) > _SAMPLE_TOKENS:
        n_more = _count_tokens(sample.pop())
    # a word's initial is its first character, or its second if the first is not a letter
    # or digit ("“We"); a token of punctuation only ("—", "|") is not a word.  Counted on
    # the first characters, then corrected for the few tokens that open with punctuation.
    initials = "".join(map(_first_char, sample))
    n_sample = len(initials)
    n_upper = sum(map(str.isupper, initials))
    if not initials.isalnum():
        for m in _NOT_ALNUM.finditer(initials):
            second = sample[m.start()][1:2]
            n_upper += second.isupper() - m.group().isupper()
            if not second:
                n_sample -= 1
    n = n_sample + n_more
    if n_sample:
        if low is None:
            low_tokens = map(str.lower, sample)
        else:
            low_tokens = low.split(None, _SAMPLE_TOKENS)
            if len(low_tokens) > _SAMPLE_TOKENS:
                del low_tokens[_SAMPLE_TOKENS:]
        stop_share = min(1.0, sum(map(_STOP_CONTAINS, low_tokens)) / n_sample)
        cap_share = n_upper / n_sample
    else:
        stop_share = cap_share = 0.0
    core = text.rstrip(_TRAILING_CLOSERS) if text[-1:] in _TRAILING_CLOSERS else text
    last = core[-1:]
    first = text[:1]
    if not first.isalnum():
        first = next((c for c in text if c.isalnum()), "")
    return _new_signals(
        LineSignals,
        (
            n,
            stop_share,
            cap_share,
            last in _SENTENCE_END,
            last == ":",
            first.isupper() or first.isdigit(),
            '"' in text or "“" in text or "”" in text or "«" in text,
        ),
    )


def _untracked_py(t: tuple) -> tuple:
    """``t``.  Compiled, ``untracked`` also takes a tuple of atomic values out of the
    cyclic GC's sight (memo entries: fewer and shorter full collections)."""
    return t


try:
    from transforms import _speedups
except ImportError:  # built without a C compiler: the reference runs, ~4x slower per line
    _speedups = None
    line_signals = _line_signals_py
    untracked = _untracked_py
else:
    _speedups.configure(_STOP_TOKENS, LineSignals)
    line_signals = _speedups.line_signals
    untracked = _speedups.untracked

#: whether the per-line signals run compiled (the benches print it)
COMPILED = _speedups is not None


def with_stop_share(sig: LineSignals, low: str, contains) -> LineSignals:
    """``sig`` with its stop share counted by ``contains`` (another language's stop
    tokens) instead of the English list, on the same sample of at most 40 tokens."""
    if sig.n_words == 0:
        return sig
    sample = low.split(None, _SAMPLE_TOKENS)
    if len(sample) > _SAMPLE_TOKENS:
        sample.pop()
        # the sample's words: its tokens less the punctuation-only ones
        n_sample = _SAMPLE_TOKENS - sum(1 for t in sample if len(t) == 1 and not t.isalnum())
    else:
        n_sample = sig.n_words
    if n_sample <= 0:
        return sig
    return sig._replace(stop_share=min(1.0, sum(map(contains, sample)) / n_sample))


def normalise_line(text: str, low: str | None = None) -> str:
    """Key for comparing lines: case-folded, whitespace collapsed (``low``: the text
    lower-cased, if the caller has it; for ASCII it is the case-folded text)."""
    key = low if low is not None and text.isascii() else text.casefold()
    if "  " in key or "\t" in key or "\u00a0" in key:
        key = " ".join(key.split())
    return key


def sentence_score(sig: LineSignals) -> float:
    """How much a line looks like running article prose (> 0) or like page furniture (< 0).

    Context-free on purpose: the cleaner's block selection relies on a line's score not
    changing when the lines around it are removed (that keeps cleaning idempotent).
    """
    n = sig.n_words
    if n == 0:
        return -1.5
    if sig.ends_sentence:
        s = -0.5 + min(n, 30) / 6.0
    elif sig.ends_colon:
        s = -0.5 + min(n, 30) / 10.0
    elif n >= 15:
        s = -0.8 + min(n, 45) / 30.0
    else:
        s = -1.0
    if n >= 4:
        s += (min(sig.stop_share, 0.5) - 0.22) * 4.0
        if sig.cap_share > 0.6:
            s -= 1.0
    elif n <= 2 and not sig.ends_sentence:
        s -= 0.3
    if not sig.starts_upper:
        s -= 0.3
    return s
