"""The page's language, detected before cleaning, and its function words.

The cleaner's prose signal is the share of a line's words that are function words.
With English words only, German or Spanish prose scores like a menu and whole articles
were lost.  jusText (a dependency of trafilatura) ships stop lists for about 100
languages, built the same way from Wikipedia; their share on English prose matches our
English list's (0.45 against 0.47 on the seeds' sentences), so a page in another
language is scored with its own list and no rescaling.  English pages keep the compiled
English list (``text_signals.STOPWORDS``).
"""

from __future__ import annotations

from collections import Counter
from itertools import repeat

from transforms.text_signals import stop_tokens

#: jusText's names for English
_ENGLISH = frozenset({"English", "Simple_English"})
#: stripped from the ends of whitespace tokens before looking them up
_TOKEN_EDGES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a()[]{}.,;:!?\u2026-\u2013\u2014/\\*#@&%$|<>=+~^`"
#: tokens of the page's longer lines that decide (enough for a clear winner, cheap)
_SAMPLE_TOKENS = 200
_MIN_TOKENS = 20
_SAMPLE_CHARS = 40_000
#: English prose is ~45% English function words, other languages' prose under 15%: a
#: sample this English is English without scoring 100 languages (most pages, cheaply)
_CLEARLY_ENGLISH = 0.25


#: word -> the languages whose stop list has it; static data (not a memo of inputs, so
#: benchmarks' cold rounds keep it), built on first use (~0.5 s per process)
_INDEX: dict[str, tuple[str, ...]] = {}
_STOP_SETS: dict[str, frozenset[str] | None] = {}


def _index() -> dict[str, tuple[str, ...]]:
    if not _INDEX:
        import justext

        index: dict[str, list[str]] = {}
        for name in sorted(justext.get_stoplists()):
            for word in justext.get_stoplist(name):
                index.setdefault(word, []).append(name)
        _INDEX.update((w, tuple(names)) for w, names in index.items())
    return _INDEX


def detect_language(text: str) -> str | None:
    """jusText's name of the language whose stop words are most common in the page's
    longer lines (menus and labels are too short to say anything), or None."""
    tokens: list[str] = []
    for line in text[:_SAMPLE_CHARS].split("\n"):
        words = line.split()
        if len(words) >= 8:
            tokens.extend(words)
            if len(tokens) >= _SAMPLE_TOKENS:
                break
    if len(tokens) < _MIN_TOKENS:
        return None
    # whitespace tokens hold no whitespace: lower-casing their join lower-cases each
    counts = Counter(map(str.strip, " ".join(tokens).lower().split(" "), repeat(_TOKEN_EDGES)))
    english = stop_words("English")
    if sum(map(counts.__getitem__, english.intersection(counts))) >= _CLEARLY_ENGLISH * len(tokens):
        return "English"
    index = _index()
    scores: Counter[str] = Counter()
    for token, count in counts.items():
        for name in index.get(token, ()):
            scores[name] += count
    if not scores:
        return None
    best, _ = scores.most_common(1)[0]
    return "English" if best in _ENGLISH else best


#: jusText's names that are not CLDR's English name of a language (Babel), with their
#: ISO 639 codes (two letters where the language has them)
_CODES_BEYOND_CLDR = {
    "Belarusian_Taraskievica": "be", "Bengali": "bn", "Bishnupriya_Manipuri": "bpy", "Haitian": "ht",
    "Low_Saxon": "nds", "Newar": "new", "Norwegian_Bokmal": "nb", "Serbo_Croatian": "sh",
    "Simple_English": "en", "Volapuk": "vo", "Waray_Waray": "war", "West_Frisian": "fy",
}  # fmt: skip
_CODES: dict[str, str] = {}


def language_code(name: str | None) -> str | None:
    """The ISO 639 code ("de") of a jusText language name ("German"), or None."""
    if name is None:
        return None
    if not _CODES:
        from babel import Locale  # CLDR's language names; trafilatura's date parsing installs Babel

        by_name = {english.lower(): code for code, english in Locale("en").languages.items() if "_" not in code}
        import justext

        for jt_name in justext.get_stoplists():
            code = _CODES_BEYOND_CLDR.get(jt_name) or by_name.get(jt_name.replace("_", " ").lower())
            if code:
                _CODES[jt_name] = code
    return _CODES.get(name)


_WORDS: dict[str, frozenset[str]] = {}


def stop_words(language: str) -> frozenset[str]:
    """jusText's stop list for ``language`` (empty if it has none)."""
    if language not in _WORDS:
        import justext

        try:
            _WORDS[language] = justext.get_stoplist(language)
        except (ValueError, OSError):
            _WORDS[language] = frozenset()
    return _WORDS[language]


def stop_token_set(language: str) -> frozenset[str] | None:
    """The language's stop words as whitespace tokens (see ``text_signals.stop_tokens``);
    None for English and for a language jusText has no list for (the compiled English
    list is used)."""
    if language in _ENGLISH:
        return None
    if language not in _STOP_SETS:
        words = stop_words(language)
        _STOP_SETS[language] = stop_tokens(words) if words else None
    return _STOP_SETS[language]
