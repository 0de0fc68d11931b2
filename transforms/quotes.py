"""Quotations and their speakers, from the paragraphs of one article.

Pure and rule based (no NLP library).  The steps, per document:

1. Pair the double quote marks of each paragraph (straight and curly); a mark
   left open at a paragraph's end runs to the end and, when the next paragraph
   opens with a mark, continues there (multi-paragraph quotation).
2. Mask the quoted words so that the sentence splitter and the attribution
   patterns only see the reporting text around them.
3. For each quote look, in order, for: an attribution right after it
   (``"…," X said`` / ``"…," said X``), one right before it (``X said: "…"``,
   ``according to X, "…"``), a cue verb anywhere in its sentence, the piece it
   continues (``"A," he said. "B."``), and finally the speaker of the context.
4. Resolve the mention to the fullest name in the document
   (:class:`transforms.names.EntityTable`): surnames and titles; pronouns to
   the nearest person whose gender the text does not contradict (Mr./Mrs./Ms.,
   gendered role words, a small list of common first names); definite
   descriptions ("the senator", "the Florida senator") only when the article
   introduced exactly one person with that role (or just one of them is named
   earlier in the same paragraph); otherwise the description stays as written.
   Documents ("according to the report", "The statement read, …") and
   organisations are kept as written.

Speed: the text after the last quote mark is never looked at.  The table of
names comes from one regex pass over all other units (:data:`_RUN_SCAN`, which
only tries capital letters and hands only runs of several words to Python).
Everything else is worked out per unit and only when a rule asks for it
(:class:`_Units`, :class:`_Events`): the sentences of the units that hold
quotes; the sentence subjects and indirect-speech speakers of a unit only when
a pronoun, a description or a quote without attribution looks back at it (and
never more than three units before the next quotation, as no rule looks that
far back); the roles and genders next to names only for a pronoun or a
description (:class:`_Table`).

Quotation marks that do not report speech (scare quotes, titles of works and
linked articles, nicknames) are kept with ``kind="scare"`` and no speaker.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from itertools import chain
from collections.abc import Sequence

from schemas.models import Paragraph, Quote
from transforms.names import (
    CAP_JOIN,
    CAP_MORE,
    CAP_PARTICLE,
    CAP_PREFIX,
    CAP_RUN,
    CAP_RUN_LOOKBEHIND,
    CAP_TOKEN,
    FUNCTION_CAPS,
    PERSON_PRONOUNS,
    PERSON_ROLES,
    GENDERED,
    PRONOUNS,
    ROLE_CANON,
    TITLES,
    EntityTable,
    clean_name,
)

__all__ = ["extract_quotes", "CUE_LEMMAS"]

SHORT_PARTIAL_SUBJECT = True

# --------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------

_REGULAR_CUES = """
add argue explain continue tweet respond conclude declare report shout state
recall urge charge insist claim warn acknowledge admit announce observe remark
suggest joke quip predict complain exclaim contend maintain emphasize emphasise
stress boast promise vow concede counter retort muse recount agree confirm
demand yell scream chant post testify lament proclaim assert allege comment
mention reiterate repeat answer wonder whisper caution advise explain add
note reason scoff snap fume gush blast slam mock sniff offer describe
predict plead concur interject tout quote assure reassure implore beam riff gripe
grumble marvel sigh mutter murmur pledge opine chide scold rebut
""".split()

_IRREGULAR = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "writing"),
    "ask": ("ask", "asks", "asked", "asking"),
    "reply": ("reply", "replies", "replied", "replying"),
    "cry": ("cries", "cried"),
    "read": ("reads", "read"),
    "put": ("put",),
    "go on": ("went on", "goes on"),
    "point out": ("pointed out", "points out", "pointing out"),
    "sum up": ("summed up",),
    "according to": ("according to",),
    "sing": ("sings", "sang", "singing"),
}


def _inflect(verb: str) -> tuple[str, ...]:
    if verb.endswith("e"):
        return (verb, verb + "s", verb + "d", verb[:-1] + "ing")
    if verb.endswith(("sh", "ch", "ss", "x")):
        return (verb, verb + "es", verb + "ed", verb + "ing")
    if verb in {"snap", "quip", "plan", "admit", "slam", "jab", "chat", "nod", "stab", "beg"}:
        return (verb, verb + "s", verb + verb[-1] + "ed", verb + verb[-1] + "ing")
    return (verb, verb + "s", verb + "ed", verb + "ing")


#: cue as written (lower case) -> lemma
CUE_LEMMAS: dict[str, str] = {}
for _v in _REGULAR_CUES:
    for _f in _inflect(_v):
        CUE_LEMMAS[_f] = _v
for _lemma, _forms in _IRREGULAR.items():
    for _f in _forms:
        CUE_LEMMAS[_f] = _lemma
CUE_LEMMAS["put"] = "put"
# bare base forms read too often as nouns or imperatives ("a report", "read")
for _f in ("report", "state", "post", "note", "quote", "counter", "answer", "offer", "comment", "read",
           "reports", "states", "posts", "notes", "quotes", "counters", "answers", "offers", "comments",
           "put", "joke", "vow", "promise", "claim", "claims", "charge", "charges", "tweet", "tweets",
           "demand", "demands", "stress", "mock", "blast", "slam", "repeat", "add", "say", "tell", "write",
           "ask", "reply", "cry", "warn", "urge", "argue", "explain", "continue", "respond", "conclude",
           "declare", "shout", "recall", "insist", "acknowledge", "admit", "announce", "observe",
           "remark", "suggest", "predict", "complain", "exclaim", "contend", "maintain", "emphasize",
           "emphasise", "boast", "concede", "retort", "muse", "recount", "agree", "confirm", "yell",
           "scream", "chant", "testify", "lament", "proclaim", "assert", "allege", "mention",
           "reiterate", "wonder", "whisper", "caution", "advise", "reason", "scoff", "snap", "fume",
           "gush", "sniff", "describe", "plead", "concur", "interject", "tout", "quip", "describes",
           "described", "describing", "offered", "offering", "quoted", "quoting", "assure", "reassure",
           "implore", "beam", "beams", "riff", "riffs", "gripe", "gripes", "grumble", "marvel", "marvels",
           "sigh", "sighs", "mutter", "murmur", "pledge", "pledges", "opine", "chide", "scold", "rebut"):
    CUE_LEMMAS.pop(_f, None)



def _trie_regex(words: list[str]) -> str:
    """An alternation as a prefix tree: much faster than a flat one in ``re``."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = []
        end = "" in node
        for ch in sorted(k for k in node if k):
            alts.append(re.escape(ch) + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if end else body

    return build(trie)


#: the only cues written with a capital (all of CUE_LEMMAS is lower case)
_CAPITAL_CUES = ("Said", "Says", "Added", "Asked", "According to")
assert not any(w[:1].isupper() for w in CUE_LEMMAS)
_CUE = re.compile(
    r"(?<![\w\-'\u2019])(?:"
    + _trie_regex(sorted(CUE_LEMMAS) + list(_CAPITAL_CUES))
    + r")(?![\w\-])"
)

#: right after a close mark ("…," Conway notes.) even ambiguous forms are cues
_ADJ_EXTRA = {
    "notes": "note", "states": "state", "reads": "read", "read": "read", "claims": "claim",
    "tweets": "tweet", "reports": "report", "posts": "post", "counters": "counter", "quips": "quip",
    "jokes": "joke", "vows": "vow", "promises": "promise", "warns": "warn", "urges": "urge",
    "charges": "charge", "demands": "demand", "answers": "answer", "offers": "offer",
    "offered": "offer", "comments": "comment", "quipped": "quip", "snapped": "snap",
    "chimed in": "chime in", "chimes in": "chime in", "put it": "put",
}
CUE_LEMMAS.update({k: v for k, v in _ADJ_EXTRA.items() if k not in CUE_LEMMAS and " " in k})
_CUE_ADJ = re.compile(
    r"(?<![\w\-'\u2019])(?:"
    + _trie_regex(
        sorted(set(CUE_LEMMAS) | set(_ADJ_EXTRA))
        + ["Said", "Says", "Added", "Asked", "According to", "Tweeted", "Wrote", "Told"]
    )
    + r")(?![\w\-])"
)

#: cue words and capitalised runs in one pass (a cue first: "According to", "Said")
_SCAN = re.compile("(?P<cue>" + _CUE.pattern + ")|(?P<cap>" + CAP_RUN.pattern + ")")
# The same scan past a unit's first character: both alternatives start with a
# lookbehind ("no word character before"), which makes ``re`` try every position.
# Consuming that character instead gives the pattern a leading character class,
# so the engine skips the insides of words at C speed.  No match can start right
# at the end of a previous one (its last character is a word character), hence
# the same matches: group 1 or 2 starts where _SCAN's match would.
_CUE_LB = r"(?<![\w\-'\u2019])"
assert _CUE.pattern.startswith(_CUE_LB) and CAP_RUN.pattern.startswith(CAP_RUN_LOOKBEHIND)
_CUE_NEXT = re.compile(r"[^\w\-'\u2019](" + _CUE.pattern[len(_CUE_LB):] + ")")
_CUE_ADJ_NEXT = re.compile(r"[^\w\-'\u2019](" + _CUE_ADJ.pattern[len(_CUE_LB):] + ")")
assert _CUE_ADJ.pattern.startswith(_CUE_LB)


def _cues(ms: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """(start, end, cue) of ``_CUE.finditer(ms, lo, hi)``, found the fast way."""
    out = []
    m = _CUE.match(ms, lo, hi)
    if m is not None:
        out.append((lo, m.end(), m.group()))
        lo = m.end()
    for m in _CUE_NEXT.finditer(ms, lo, hi):
        out.append((m.start(1), m.end(), m.group(1)))
    return out


def _first_adj_cue(ms: str, lo: int, hi: int) -> tuple[int, int, str] | None:
    """(start, end, cue) of ``_CUE_ADJ.search(ms, lo, hi)``, found the fast way."""
    m = _CUE_ADJ.match(ms, lo, hi)
    if m is not None:
        return lo, m.end(), m.group()
    m = _CUE_ADJ_NEXT.search(ms, lo, hi)
    return None if m is None else (m.start(1), m.end(), m.group(1))


_SCAN_NEXT = re.compile(
    r"[^\w\-'\u2019](?:(?P<cue>" + _CUE.pattern[len(_CUE_LB):] + r")|(?<!\.)(?P<cap>"
    + CAP_RUN.pattern[len(CAP_RUN_LOOKBEHIND):] + "))"
)

# The capitalised runs of that scan, found from their capital letters.  A
# pattern that opens with a character class lets ``re`` skip to the next
# candidate at C speed; here the class is [A-Z], so only capitals are tried,
# not every space as in _SCAN_NEXT (three times fewer candidates, and no cue
# trie to try at each).  The run's lookbehind moves after its first letter;
# the capitalised cues come first as in _SCAN ("Said Ahmed" is the cue "Said"
# then the run "Ahmed"), and a lookahead lets a run end without trying every
# way to join the next word.  Two things the capital cannot show: lower-case
# cues (never inside a run; they are found per sentence where needed) and runs
# that open with a particle ("al-Assad"), whose capital follows a lower-case
# letter or a hyphen: the scan reports such a capital (group "odd", no run),
# and a page with one and a possible particle run (_PARTICLE_RUN) takes the
# exact scan instead.  Group "more" tells a run of several words (the only
# kind that can hold a full name), so that the many other runs cost no Python;
# in _ROLE_SCAN, group "note" also tells a run that may carry a role
# (_note_roles: a possessive or a period dropped from its end, or an
# appositive after it).  _RUN_SCAN leaves that test out: it costs the scan
# 15%, and only documents that resolve pronouns or descriptions need roles.
assert CAP_RUN.pattern == CAP_RUN_LOOKBEHIND + CAP_TOKEN + "(?:" + CAP_JOIN + CAP_MORE + ")*"
assert CAP_RUN_LOOKBEHIND == r"(?<![\w'\u2019.\-])" and CAP_TOKEN.startswith(r"(?:[A-Z][\w'\u2019.\-]*|")


def _after_capital(words: Sequence[str]) -> str:
    """An alternation of ``words`` to match after their (consumed) first letter."""
    alts = []
    for first in sorted({w[0] for w in words}):
        rests = "|".join(re.escape(w[1:]) for w in words if w[0] == first)
        alts.append(f"(?<={first})(?:{rests})")
    return "(?:" + "|".join(alts) + ")"


def _run_scan(note: str = "") -> re.Pattern:
    """The run scan described above; ``note``: a test to append to a run."""
    return re.compile(
        r"[A-Z](?:(?<![\w'\u2019.\-].)(?:"
        + _after_capital(_CAPITAL_CUES) + r"(?![\w\-])"
        + r"|[\w'\u2019.\-]*"
        # the next token must be capitalised or a particle, else stop here at once
        + r"(?:(?=\s++(?:[A-Z]|(?:" + CAP_PREFIX + "|" + CAP_PARTICLE + r")[\s\-A-Z]))"
        + CAP_JOIN + CAP_MORE + "(?P<more>))*"
        + note + ")"
        + r"|(?<=[a-z\-].)(?P<odd>))"
    )


_RUN_SCAN = _run_scan()
_ROLE_SCAN = _run_scan(r"(?:(?:(?<=['\u2019.])|(?<=['\u2019]s)|(?=, ))(?P<note>))?")
_MORE = _RUN_SCAN.groupindex["more"]
_ODD = _RUN_SCAN.groupindex["odd"]
_ROLE_ODD = _ROLE_SCAN.groupindex["odd"]
_CAPITAL_CUE_SET = frozenset(_CAPITAL_CUES)  # a run never reads exactly as one of them
_PARTICLE_RUN = re.compile(CAP_RUN_LOOKBEHIND + CAP_PREFIX + r"-?[A-Z]")


def _needs_exact_scan(text: str) -> bool:
    """Whether ``text`` may hold a run that opens with a particle ("al-Assad"):
    the decision :func:`_add_names` takes on the way."""
    return any(m.lastindex == _ODD for m in _RUN_SCAN.finditer(text)) and _PARTICLE_RUN.search(text) is not None


def _cap_runs(ms: str, exact: bool) -> list[tuple[int, int, str]]:
    """(start, end, run): the capitalised runs of ``ms`` as _SCAN reads them
    (``exact``: the slow way, for a text where _RUN_SCAN may miss one)."""
    if exact:
        m0 = _SCAN.match(ms)
        scan = _SCAN_NEXT.finditer(ms, 0 if m0 is None else m0.end())
        return [
            (m.start(2), m.end(), m.group(2))
            for m in (scan if m0 is None else chain((m0,), scan))
            if m.lastindex == 2
        ]
    return [
        (m.start(), m.end(), r)
        for m in _RUN_SCAN.finditer(ms)
        if m.lastindex != _ODD and (r := m.group()) not in _CAPITAL_CUE_SET
    ]


def _cue_starts(ms: str, runs: list[tuple[int, int, str, str | None]]) -> list[int]:
    """Where the cues of ``ms`` start, as _SCAN finds them: not inside a run
    (the run "U.S.said" hides its "said")."""
    starts = [c for c, _e, _w in _cues(ms, 0, len(ms))]
    if starts and runs:
        ri = 0
        kept = []
        for c in starts:
            while ri < len(runs) and runs[ri][1] <= c:
                ri += 1
            if ri == len(runs) or c < runs[ri][0]:
                kept.append(c)
        starts = kept
    return starts

#: words that may stand between a subject and its cue: "Trump also said"
_AUX = frozenset(
    """also then later has had have would will once again previously recently
    simply further even just still had already later earlier again flatly
    bluntly reportedly repeatedly often frequently publicly privately quickly
    angrily later, never""".split()
)
_DETERMINERS = frozenset(
    "the a an his her their its our my your this that another one some two three both each every several many".split()
)
_CLAUSE_WORDS = frozenset(
    """that which who whom whose when while because if as but so after before since
    though although where whether than then what how why until unless once and or
    nor yet""".split()
)
_TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december today
    yesterday tonight""".split()
)
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
_LEAD_CONNECTOR = re.compile(r"(?:of|for|at|from|to|in|and|&)\s+")
_CORE_CUT = re.compile(r"[,(\u2014\u2013]")
_MENTION_CUT = re.compile(r"[,(\u2014\u2013]|\s-\s")
_LEAD_SPACE_COMMA = re.compile(r"[\s,]*")
_WORDS = re.compile(r"\w+")
_TITLE_WORDS = re.compile(r"[A-Za-z][\w'\u2019]*")
_PRONOUN_SUBJ = re.compile(r"\s*(?:(?:But|And|So|Then|Later|Still|Yet|Now|Instead),?\s+)?(he|she|they|we|I|He|She|They|We)\b")

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


# --------------------------------------------------------------------------
# Noun phrases
# --------------------------------------------------------------------------

_TOKEN = re.compile(r"\S+")


def _subject_before(ms: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase that ends just before ``hi`` (a cue), within ms[lo:hi]."""
    # the subject sits within a few words of the cue: look at the last 40 tokens only
    lo = max(lo, hi - 400)
    toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(ms, lo, hi)]
    if not toks:
        return None
    i = len(toks) - 1
    while i >= 0 and (
        toks[i][2].lower().strip(",") in _AUX
        or (toks[i][2].islower() and toks[i][2].rstrip(",").endswith("ly") and len(toks[i][2]) > 4)
    ):
        i -= 1
    if i < 0:
        return None
    # ", a Republican candidate," between subject and cue: an appositive
    if toks[i][2].endswith(",") and i > 0:
        j = i - 1
        while j >= 0 and not toks[j][2].endswith((",", ";", ":")) and i - j < 16:
            j -= 1
        if j >= 0 and toks[j][2].endswith(","):
            # "One of the authors, Ari Fleischer, said": the name is the appositive
            head = toks[j + 1][2]
            if not (
                head[:1].isupper()
                and head.lower().strip(".,") not in FUNCTION_CAPS
                and not toks[j][2][:1].isupper()
                and clean_name(" ".join(t[2] for t in toks[j + 1 : i + 1]).rstrip(",")) is not None
            ):
                i = j
    end = toks[i][1]
    last = toks[i][2].rstrip(",")
    if last != toks[i][2]:
        end -= len(toks[i][2]) - len(last)
    if not last or last[-1] in ";:" or _MASK in last:
        return None
    # a parenthesis "(R-Tex.)" belongs to the name before it
    k = i
    if last.endswith(")"):
        while k >= 0 and "(" not in toks[k][2]:
            k -= 1
        if k <= 0:
            return None
        k -= 1
    start = None
    n = 0
    while k >= 0 and n < 12:
        tok = toks[k][2]
        if k != i and tok.endswith((",", ";", ":", "\u201d", '"')):
            break
        if _MASK in tok:
            break
        bare = tok.lower().strip(",.()\"'\u2019")
        if bare in PRONOUNS and bare != "one" and (tok.islower() or tok[1:].islower() or bare == "i"):
            if start is None:
                start = toks[k][0]
            break
        if tok[:1].isupper() or tok[:1] == "(":
            if bare in FUNCTION_CAPS and bare not in _DETERMINERS and bare not in {"mr", "mrs", "ms", "dr"}:
                break
            start = toks[k][0]
        elif bare in _DETERMINERS:
            start = toks[k][0]
            break
        elif bare in _CONNECTORS:
            if start is None:
                break
        elif bare in _CLAUSE_WORDS:
            break
        elif bare in PERSON_ROLES or bare in TITLES or bare in _NP_LOWER or bare.endswith(("\u2019s", "'s")):
            start = toks[k][0]
        else:
            # "his wife", "the ad’s narrator": a plain noun needs a determiner close before it
            found = None
            for j in range(k - 1, max(k - 5, -1), -1):
                bj = toks[j][2].lower().strip(",.()\"'\u2019")
                if toks[j][2].endswith((",", ";", ":")) or bj in _CLAUSE_WORDS or bj in _CONNECTORS:
                    break
                if bj in _DETERMINERS:
                    found = j
                    break
            if found is None:
                break
            start = toks[found][0]
            break
        k -= 1
        n += 1
    if start is None:
        return None
    # never start on a connector: "to Trump" is not a subject
    while True:
        m = _LEAD_CONNECTOR.match(ms[start:end])
        if not m:
            break
        start += m.end()
    np = ms[start:end]
    if not np or np.lower() in _DETERMINERS or np.split()[-1].lower() in _CONNECTORS:
        return None
    return start, end


_CONNECTORS = frozenset({"of", "for", "at", "from", "to", "in", "and", "&", "with", "on"})
_SUBJ_START = re.compile(
    r"(?:(?:But|And|So|Yet|Still|Then|Later|Meanwhile|However|Now|Also|Instead|Earlier|Afterward|Indeed|Finally|Again)\b,?\s+"
    r"(?:(?:then|now|later|also|so|yet|still)\b,?\s+)?)?"
    # introductory phrases and clauses: "In early October,", "When Trump suggested that …,"
    r"(?:(?:On|In|At|During|After|Before|Last|This|Earlier|Later|When|While|As|Asked|Speaking|Writing|Appearing|"
    r"Here|There|Back|Since|Until|Following|Despite|Throughout|Over|Under|Within|From|For|With|Without|Unlike|"
    r"Amid|Among|Once|If|Although|Though|Because|Hours|Days|Weeks|Months|Years|Moments|Minutes|Shortly|"
    r"[A-Z][a-z]+ly|[A-Z][a-z]{2,}ing)\b[^,;\x01]{0,100},\s+){0,2}"
)


_DESC_SUBJ = re.compile(
    r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+[a-z][\w\-\u2019']*(?:\s+[a-z][\w\-\u2019']*){0,3}?"
    r"(?=\s*,|\s+[a-z]+(?:ed|s)\b|\s+(?:read|began|went|ran)\b)"
)


_PRON_AT = re.compile(r"(?:he|she|they|we|I|He|She|They|We)\b")
_PAREN_AT = re.compile(r"\s*\([^)\x01]{1,30}\)")


def _sentence_subject(ms: str, s0: int, hi: int) -> tuple[int, int] | None:
    """The subject at the start of the sentence ms[s0:hi] (a name, pronoun or description)."""
    m = _SUBJ_START.match(ms, s0, hi)
    p = m.end() if m else s0
    while p < hi and ms[p] in " \t\u00a0":
        p += 1
    pm = _PRON_AT.match(ms, p, hi)
    if pm:
        return pm.span()
    cm = CAP_RUN.match(ms, p, hi)
    if cm and cm.group().lower() in _DETERMINERS:
        cm = None  # "The statement read": a description, below
    if cm:
        run = cm.group()
        first = run.split()[0].lower().strip(".,")
        if first in FUNCTION_CAPS and first not in {"the", "mr", "mrs", "ms", "dr"}:
            return None
        e = cm.end()
        # "Sen. Ted Cruz (R-Tex.)"
        pm2 = _PAREN_AT.match(ms, e, hi)
        if pm2:
            e = pm2.end()
        return cm.start(), e
    dm = _DESC_SUBJ.match(ms, p, hi)
    if dm:
        return dm.span()
    return None


_NP_LOWER = frozenset(
    """of for at from to in and campaign press longtime senior top chief deputy state
    national political communications policy foreign former house white then-
    u.s. republican democratic presidential gop party media digital research
    legal vice general news executive co-founder cofounder fellow member
    """.split()
)

#: things that are quoted as if they spoke: "the statement read", "according to the report"
DOCUMENT_NOUNS = frozenset(
    """statement report email e-mail letter memo release post tweet ad advertisement article
    editorial website book document transcript filing complaint lawsuit indictment message
    note sign video poll survey study story passage speech newspaper outlet
    """.split()
)

def _is_document(mention: str) -> bool:
    """"the statement", "The email", "a campaign memo": a document as the source."""
    words = mention.lower().split()
    return len(words) >= 2 and words[0] in _DETERMINERS and words[-1].rstrip("s") in DOCUMENT_NOUNS


_NP_AFTER = re.compile(
    # a modifier word is the whole token up to the next space, however its
    # alternatives split it: the atomic group stops ``re`` from retrying every
    # split of every word when no name follows (exponential in the word count)
    r"(?P<np>(?:(?>(?:the|a|an|his|her|their|its|former|then-\w+|longtime|senior|top|chief|deputy|"
    r"campaign|press|state|national|political|communications|spokesman|spokeswoman|spokesperson|"
    r"aide|adviser|advisor|strategist|manager|chairman|chairwoman|director|secretary|"
    r"[a-z]+-?[a-z]*)(?=\s))\s+){0,4}?"
    r"(?:(?:[A-Z][\w'\u2019.\-]*|\([^)]{1,30}\))(?:\s+(?:(?:de|da|van|von|bin|al|la|le|del|di|du|der)\s+)?"
    r"(?:[A-Z][\w'\u2019.\-]*|\([^)]{1,30}\)))*)"
    r"|(?:the|a|an)\s+(?:[a-z][\w\-]*\s+){0,3}(?:" + "|".join(sorted(PERSON_ROLES)) + r")s?\b"
    # documents speak too: "according to the report", "according to a White House pool report"
    r"|(?:the|a|an|his|her|their|its)\s+(?:[\w\-]+\s+){0,3}?(?:" + "|".join(sorted(DOCUMENT_NOUNS)) + r")s?\b"
    r"|(?:he|she|they|we|I|another|one|others)\b)"
)


_DESC_AFTER = re.compile(
    r"(?:the|a|an|one|another|two|three|some|several|many|his|her|their|its)\s+[^,.;:!?\x01()\"\u201c\u201d]{1,60}"
)


def _np_after(ms: str, pos: int, hi: int, loose: bool = False) -> tuple[int, int] | None:
    m = _NP_AFTER.match(ms, pos, hi)
    if loose and (not m or ms[m.start("np")].islower() and not ms[m.start("np") : m.end("np")].lower() in PRONOUNS):
        m2 = _DESC_AFTER.match(ms, pos, hi)
        if m2 and (not m or m2.end() > m.end()):
            e = m2.end()
            while e > pos and ms[e - 1] == " ":
                e -= 1
            return pos, e
    if not m:
        return None
    s, e = m.span("np")
    np = ms[s:e]
    first = np.split()[0].lower().strip(".,")
    if first in _TIME_WORDS or first in {"in", "on", "at", "of", "to", "that", "it", "this", "to", "with", "about"}:
        return None
    if np.split()[-1].lower().strip(".,;:") in _TIME_WORDS or first in ("among", "by", "after", "before", "during"):
        return None
    # the name must not run into the next clause: strip trailing "." of a sentence end
    while e > s and ms[e - 1] in ".,":
        if ms[e - 1] == "." and ms[s:e].split()[-1].lower() in _ABBREV:
            break
        e -= 1
    return s, e


def _np_between(ms: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The whole of ms[lo:hi] as a speaker mention, if it reads as one."""
    a, b = lo, hi
    while a < b and ms[a] in " ,\u2014\u2013\u2015-\t\u00a0":
        a += 1
    while b > a and ms[b - 1] in " ,\t":
        b -= 1
    if a >= b:
        return None
    np = ms[a:b]
    if _MASK in np or ";" in np:
        return None
    if "," in np:
        # "… by the United States, NATO and others, Clinton said", "…, he said":
        # the last comma-chunk is the subject when it is a pronoun or a name and
        # what precedes it is not a name
        head, _, last = np.rpartition(",")
        last_s = last.strip()
        first = head.split(",", 1)[0].strip()
        if last_s and len(last_s.split()) <= 5:
            lw = last_s.lower()
            is_pron = lw in ("he", "she", "they", "we", "i")
            first_is_name = (
                first[:1].isupper()
                and first.split()[0].lower() not in FUNCTION_CAPS
                and clean_name(first) is not None
            )
            if is_pron or (
                not first_is_name
                and last_s[:1].isupper()
                and last_s.split()[0].lower() not in FUNCTION_CAPS
                and clean_name(last_s) is not None
            ):
                a = b - len(last_s)
                np = last_s
    words = np.split()
    core = _CORE_CUT.split(np, maxsplit=1)[0].split()
    if not core or len(core) > 9 or len(words) > 30:
        return None
    w0 = core[0].lower()
    if w0 in PRONOUNS and (core[0][1:].islower() or core[0] == "I" or len(core[0]) == 1):
        return (a, b) if len(core) == 1 else None
    if w0 in {"another", "one", "others", "some", "many"} and len(core) == 1:
        return a, b
    if w0 in _TIME_WORDS or w0 in {"in", "on", "at", "of", "to", "that", "it", "this", "with", "about", "but", "and", "so", "as", "if", "when", "for", "from", "by", "than", "into", "over"}:
        return None
    if w0 not in _DETERMINERS:
        for w in core:
            if w[:1].isupper():
                break
        else:
            return None  # no capitalised word
    for w in core[1:]:
        lw = w.lower().strip(",.")
        if lw in _CLAUSE_WORDS and lw != "and" or lw in PRONOUNS and lw not in {"one"}:
            return None
    return a, b


# --------------------------------------------------------------------------
# Mentions -> names
# --------------------------------------------------------------------------


def _mention_core(mention: str) -> str:
    core = _MENTION_CUT.split(mention, maxsplit=1)[0].strip()
    return core or mention


#: nouns for people that are not roles: heads of descriptions never resolved by role
_PERSON_NOUNS = frozenset(
    """supporter voter protester resident student delegate source friend member worker
    user staffer insider operative donor critic reporter journalist editor doctor agent
    soldier owner fan participant attendee neighbor neighbour relative nephew niece wife
    husband son daughter mother father brother sister widow person people voters
    supporters protesters residents students delegates sources officials aides
    """.split()
)
_DESC_TAIL = frozenset("from of for to at in with who on".split())


@functools.lru_cache(maxsize=16384)
def _mention_name(mention: str) -> tuple[str, str | None]:
    """(kind, name) where kind is pronoun, person, org or desc."""
    low = mention.lower()
    if low in PRONOUNS and (mention[1:].islower() or mention == "I"):
        return "pronoun", None
    core = _mention_core(mention)
    # "Carnegie Moscow Center’s Dmitri Trenin": the name after the possessive
    for sep in ("\u2019s ", "'s "):
        if sep in core:
            right = core.rsplit(sep, 1)[1]
            if any(w[:1].isupper() for w in right.split()):
                core = right
            break
    words = core.split()
    if len(words) > 1 and words[0].lower() in ("the", "a", "an"):
        # "the Florida senator", "The senator from Vermont", "a longtime adviser to
        # Trump": a description whose capitalised words are modifiers or objects
        for i in range(1, len(words)):
            w = words[i]
            lw = w.lower().rstrip(",.")
            if w[:1].islower() and (lw in PERSON_ROLES or lw in _PERSON_NOUNS):
                nxt = words[i + 1].lower() if i + 1 < len(words) else None
                if nxt is None or nxt in _DESC_TAIL:
                    return ("desc" if words[0].lower() == "the" else "indef"), None
                break
    runs = [m.group() for m in CAP_RUN.finditer(core)]
    if not runs:
        words = core.lower().split()
        if words and words[0] == "the" and words[-1] in PERSON_ROLES:
            return "desc", None
        return "org", None
    run = runs[-1]
    name = clean_name(run)
    if name is None:
        toks = run.split()
        if all(t.lower().strip(".") in TITLES or t.lower() in FUNCTION_CAPS for t in toks):
            last = core.lower().split()[-1]
            return ("desc" if core.lower().startswith("the ") and last in PERSON_ROLES else "org"), None
        return "org", None
    return "person", name


class _Events:
    """Person mentions per unit, for pronouns and descriptions.

    A unit's mentions are those of its sentences (subjects, weight 1; speakers
    of indirect speech, weight 2), then the speakers of its quotes (weight 2)
    in the order they are resolved.  The sentence mentions are worked out on
    first use by ``sentence_mentions(unit)``: most units are never asked about.
    """

    __slots__ = ("sentence_mentions", "_sentences", "_speakers")

    def __init__(self, sentence_mentions) -> None:
        self.sentence_mentions = sentence_mentions
        # unit -> [(offset, name, weight)]
        self._sentences: dict[int, list[tuple[int, str, int]]] = {}
        self._speakers: dict[int, list[tuple[int, str, int]]] = {}

    def add(self, para: int, off: int, name: str, weight: int) -> None:
        """A quote's speaker."""
        self._speakers.setdefault(para, []).append((off, name, weight))

    def in_unit(self, para: int) -> list[tuple[int, str, int]]:
        """(offset, name, weight) of unit ``para``, in the order they were found."""
        sent = self._sentences.get(para)
        if sent is None:
            sent = self._sentences[para] = self.sentence_mentions(para)
        spk = self._speakers.get(para)
        return sent + spk if spk else sent

    def last(self, para: int, off: int, min_weight: int = 1, max_back: int = 3, accept=None) -> str | None:
        """The nearest name before (para, off) with at least ``min_weight`` (and
        ``accept``-ed), at most ``max_back`` units back; of two at one offset the
        one found later."""
        for p in range(para, max(para - max_back, 0) - 1, -1):
            best = None
            best_o = -1
            for o, name, w in reversed(self.in_unit(p)):
                if w < min_weight or o <= best_o or (p == para and o >= off):
                    continue
                if accept is not None and not accept(name):
                    continue
                best, best_o = name, o
            if best is not None:
                return best  # any earlier unit is farther away
        return None


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
        if sub is None and sent_lo is not None and (j < lo or ms[j] != "," or True):
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


class _Piece:
    __slots__ = ("open", "close", "start", "end", "kind", "group", "attr", "scare", "cont", "speaker", "name", "cue", "after_end")

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


def _is_partial(text: str, p: _Piece) -> bool:
    # opening mark directly after a word: "… it held “the Russian government …"
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


_TITLE_SMALL = frozenset({"a", "an", "the", "of", "in", "on", "to", "for", "and", "or", "with", "at", "by", "from", "is", "vs"})


def _is_titleish(s: str) -> bool:
    """"Meet the Press," "Duck Dynasty": every significant word capitalised."""
    s = s.rstrip(" ,.")
    words = _TITLE_WORDS.findall(s)
    if not words or s[-1:] in "!?":
        return False
    if not words[0][0].isupper():
        return False
    big = [w for w in words if w.lower() not in _TITLE_SMALL]
    # every significant word capitalised; "The View," counts ("The" is small)
    return bool(big) and all(w[0].isupper() for w in big) and len(words) <= 12


# --------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------


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


class _Table(EntityTable):
    """The document's names.  The roles and genders written next to them
    (:func:`_note_roles`) only serve descriptions and pronouns, so they are
    collected on the first question about them: many documents never ask."""

    __slots__ = ("_collect_roles",)

    def __init__(self) -> None:
        super().__init__()
        self._collect_roles = None

    def _settle(self) -> None:
        collect, self._collect_roles = self._collect_roles, None
        if collect is not None:
            collect()

    def gender_of(self, name: str) -> str | None:
        self._settle()
        return super().gender_of(name)

    def with_role(self, head: str) -> dict[str, int]:
        self._settle()
        return super().with_role(head)


class _Units:
    """The line units of one document (up to its last quote mark), masked,
    and what the attribution rules ask about them, each worked out once and
    only when asked: sentences, capitalised runs, sentence subjects, mentions."""

    __slots__ = ("texts", "masked", "joined", "table", "exact", "live", "_sents", "_runs", "_subjects")

    def __init__(self, texts: list[str], masked: list[str], table: _Table, live: list[bool]) -> None:
        self.texts = texts
        self.masked = masked
        # all units in one text, for the scans over all of them: the separator
        # joins no run and ends no sentence (a unit's start reads as a text's start)
        self.joined = "\0".join(masked)
        self.table = table
        self.live = live  # units close enough before a quotation to matter
        # names first: the rules below resolve against the whole table
        self.exact = _add_names(table, self.joined)  # whether _RUN_SCAN may miss a run here
        n = len(texts)
        self._sents: list[list[tuple[int, int]] | None] = [None] * n
        self._runs: list[list[tuple[int, int, str, str | None]] | None] = [None] * n
        self._subjects: list[list[tuple[int, int, str]] | None] = [None] * n

    def sents(self, ui: int) -> list[tuple[int, int]]:
        sents = self._sents[ui]
        if sents is None:
            sents = self._sents[ui] = _sentence_bounds(self.masked[ui])
        return sents

    def runs(self, ui: int) -> list[tuple[int, int, str, str | None]]:
        """(start, end, run, person name in it or None) of the unit's capitalised runs."""
        runs = self._runs[ui]
        if runs is None:
            runs = [(a, b, r, clean_name(r)) for a, b, r in _cap_runs(self.masked[ui], self.exact)]
            self._runs[ui] = runs
        return runs

    def subjects(self, ui: int) -> list[tuple[int, int, str]]:
        """(sentence start, offset, full name): the person each sentence opens
        with, its subject (the first person mention of the sentence)."""
        subjects = self._subjects[ui]
        if subjects is not None:
            return subjects
        subjects = self._subjects[ui] = []
        table = self.table
        runs = self.runs(ui)
        run_starts = [r[0] for r in runs]
        for s0, s1 in self.sents(ui):
            ri = bisect_left(run_starts, s0)
            while ri < len(runs) and runs[ri][0] < s1:
                r0, _r1, run, name = runs[ri]
                ri += 1
                if name is None:
                    if run.split()[0].lower() not in FUNCTION_CAPS:
                        break
                    continue
                if " " in name or table.is_person(name) or _HONORIFIC.search(run):
                    subjects.append((s0, r0, table.resolve(name)))
                break
        return subjects

    def sentence_mentions(self, ui: int) -> list[tuple[int, str, int]]:
        """(offset, name, weight) of the people the unit's sentences mention, in
        order: each sentence's subject (weight 1), then the speaker of indirect
        speech in it ("…, adds Kuznetsov.", weight 2)."""
        if not self.live[ui]:
            return []
        ms = self.masked[ui]
        text = self.texts[ui]
        table = self.table
        subject_of = {s0: (r0, name) for s0, r0, name in self.subjects(ui)}
        cue_pos = None
        out = []
        for s0, s1 in self.sents(ui):
            sub = subject_of.get(s0)
            if sub is not None:
                out.append((sub[0], sub[1], 1))
            if _MASK in ms[s0:s1]:
                continue
            if cue_pos is None:
                cue_pos = _cue_starts(ms, self.runs(ui))
            ci = bisect_left(cue_pos, s0)
            if ci < len(cue_pos) and cue_pos[ci] < s1:
                at = _attr_in_span(text, ms, s0, s1, prefer_last=False, sent_lo=s0)
                if at is not None:
                    kind, name = _mention_name(at.mention)
                    if kind == "person":
                        out.append((at.m_start, table.resolve(name), 2))
        return out

    def collect_roles(self) -> None:
        """Titles and roles next to the names of every unit (``_note_roles``)."""
        table = self.table
        joined = self.joined
        ui = 0
        lo = 0
        hi = len(self.masked[0]) if self.masked else 0
        if self.exact:
            runs = _cap_runs(joined, True)
        else:  # only the runs that may carry a role
            runs = [
                (m.start(), m.end(), m.group())
                for m in _ROLE_SCAN.finditer(joined)
                if (g := m.lastindex) is not None and g != _ROLE_ODD
            ]
        for r0, r1, run in runs:
            while r0 > hi:  # the run is in a later unit
                ui += 1
                lo = hi + 1
                hi = lo + len(self.masked[ui])
            name = clean_name(run)
            if name is not None and (" " in name or len(run) != len(name) or joined.startswith(", ", r1, hi)):
                # "Sen. Ted Cruz", "Cruz, the senator,", "Mr. Kirby"
                _note_roles(table, joined, lo, hi, r0, r1, run, name, ui)


def _add_names(table: EntityTable, joined: str) -> bool:
    """Put the full names of ``joined`` (the units) in ``table``, in text order;
    whether the text needs the exact run scan (_cap_runs)."""
    names = []
    odd_seen = False
    for m in _RUN_SCAN.finditer(joined):
        g = m.lastindex
        if g == _MORE:  # (a run of one word, or a capitalised cue, holds no full name)
            name = clean_name(m.group())
            if name is not None and " " in name:
                names.append(name)
        elif g == _ODD and not odd_seen:
            odd_seen = True
            if _PARTICLE_RUN.search(joined) is not None:
                break  # a run may open with a particle: the exact scan below
    else:
        for name in names:
            table.add_name(name)
        return False
    for _a, _b, run in _cap_runs(joined, True):
        name = clean_name(run)
        if name is not None and " " in name:
            table.add_name(name)
    return True


def extract_quotes(paragraphs: Sequence[Paragraph], *, title: str | None = None) -> list[Quote]:
    """Quotations of ``paragraphs`` (one document, in order) with their speakers.

    ``title`` (the article's headline, if it is not a paragraph) only feeds the
    table of names.  Offsets index each paragraph's own ``text`` and exclude
    the quote marks.  A line break inside a paragraph is treated like a
    paragraph break (a quote left open there runs to the line's end).
    """
    units = _lines(paragraphs)
    marked, marks = _has_marks([u[2] for u in units])
    if not marks:
        return []
    table = _Table()
    if title:
        table.add_text(title)

    # pass 1: masks, pieces and (in _Units) names, of the text up to the last
    # quotation: a name written only after it cannot be the speaker of any quote
    last_mark = len(marked) - 1
    while last_mark >= 0 and not marked[last_mark]:
        last_mark -= 1
    units = units[: last_mark + 1]
    texts = [u[2] for u in units]
    masked_all = texts[:]
    pieces_all: list[list[_Piece]] = [[] for _ in units]
    for ui, text in enumerate(texts):
        if marked[ui]:
            masked_all[ui], pieces_all[ui] = _mask_quotes(text, marks)

    last_with_quotes = max((i for i, ps in enumerate(pieces_all) if ps), default=-1)
    # mentions matter only within a few units of a quotation (pronouns look 3 back)
    next_q = [0] * len(units)
    nq = 1 << 30
    for i in range(len(units) - 1, -1, -1):
        if pieces_all[i]:
            nq = i
        next_q[i] = nq
    live = [i <= last_with_quotes and next_q[i] - i <= 3 for i in range(len(units))]
    doc = _Units(texts, masked_all, table, live)
    table._collect_roles = doc.collect_roles
    events = _Events(doc.sentence_mentions)

    out: list[Quote] = []
    group_counter = 0
    prev_open_piece: _Piece | None = None  # piece left open at the previous unit's end
    last_speaker: tuple[str | None, str | None] | None = None
    intro = None  # attribution of a unit that ends with a colon
    for ui, (para, off, text) in enumerate(units):
        if ui > last_with_quotes:
            break  # what follows the last quotation cannot change any speaker
        pieces = pieces_all[ui]
        if not live[ui]:
            prev_open_piece = None
            intro = None
            continue
        ms = masked_all[ui]
        if not pieces:
            prev_open_piece = None
            intro = None
            tail = ms.rstrip()
            if tail.endswith(":"):
                s0, s1 = doc.sents(ui)[-1]
                intro = _attr_in_span(text, ms, s0, len(tail), prefer_last=True, sent_lo=s0) or _subject_attr(
                    text, ms, s0, len(tail), functools.partial(doc.subjects, ui)
                )
                if intro is not None:
                    intro = (_resolve(intro, table, events, ui), intro)
            continue
        sents = doc.sents(ui)
        subjects = functools.partial(doc.subjects, ui)

        def sent_of(pos: int) -> tuple[int, int]:
            for sb in sents:
                if sb[0] <= pos < sb[1]:
                    return sb
            return sents[-1]

        for idx, p in enumerate(pieces):
            p.kind = "partial" if _is_partial(text, p) else "direct"
            s0, s1 = sent_of(p.open)
            nxt_open = pieces[idx + 1].open if idx + 1 < len(pieces) else len(text)
            attr = None
            # continuation of a quotation left open in the previous unit
            if idx == 0 and prev_open_piece is not None and not text[: p.open].strip():
                p.cont = prev_open_piece
            at_start = idx == 0 and not ms[: p.open].strip()
            # 1. right after the close mark
            after_end = None
            if p.close is not None:
                hi = min(nxt_open, len(ms))
                # the sentence may end right at the close mark ("…." Trump said.)
                se = s1
                if not ms[p.close + 1 : se].strip(" \t\u00a0\"\u201d"):
                    se = sent_of(se)[1] if se < len(ms) else len(ms)
                hi = min(hi, se)
                res = _attr_after_adjacent(
                    text, ms, p.close + 1, hi, closed_sentence=text[p.end - 1 : p.end] in (".", "!", "?")
                )
                if res is not None:
                    attr, after_end = res
            # 2./3. before the open mark, within its sentence
            if attr is None and p.cont is None:
                lo = s0
                before = ms[lo : p.open]
                prev = pieces[idx - 1] if idx > 0 else None
                if before.rstrip().endswith(":") and _is_link_intro(before):
                    p.scare = True
                elif (
                    prev is not None
                    and prev.after_end is not None
                    and _only_attribution_between(ms, prev.after_end, p.open)
                ):
                    p.cont = prev
                else:
                    # "When Smith suggested …, Jones fired back: “…”": the main
                    # clause first, then the whole sentence
                    im = _SUBJ_START.match(ms, lo, p.open)
                    main_lo = im.end() if im else lo
                    if main_lo > lo and ms[main_lo : p.open].strip():
                        attr = _attr_in_span(text, ms, main_lo, p.open, prefer_last=True, sent_lo=main_lo)
                        if attr is None and before.rstrip().endswith((":", ",")):
                            attr = _subject_attr(text, ms, main_lo, p.open, subjects)
                    if attr is None:
                        attr = _attr_in_span(text, ms, lo, p.open, prefer_last=True, sent_lo=lo)
                    if attr is None and before.rstrip().endswith((":", ",")):
                        # "Rubio fired back: “…”", "Trump issued a statement, “…”"
                        attr = _subject_attr(text, ms, lo, p.open, subjects)
            # 4. a cue later in the sentence: "“…” in its policy, argues Sotnikov."
            if attr is None and p.cont is None and not p.scare and p.close is not None:
                attr = _attr_in_span(
                    text,
                    ms,
                    p.close + 1,
                    min(s1 if s1 > p.close + 1 else len(ms), nxt_open),
                    prefer_last=False,
                    sent_lo=s0,
                )
            p.attr = attr
            p.after_end = after_end if attr is not None and attr.how in ("after", "dash") else None

            # speaker
            if p.cont is not None and attr is not None and attr.how in ("after", "dash"):
                # a new paragraph with its own "…," X said is a new quotation
                spk = _resolve(attr, table, events, ui)
                if spk[1] != p.cont.name:
                    p.cont = None
            if p.cont is not None:
                p.group = p.cont.group
                p.speaker, p.name, p.cue = p.cont.speaker, p.cont.name, p.cont.cue
                if attr is not None and p.speaker is None:
                    p.speaker, p.name, p.cue = _resolve(attr, table, events, ui)
            elif attr is not None:
                p.speaker, p.name, p.cue = _resolve(attr, table, events, ui)
            elif at_start and intro is not None and not p.scare:
                # "The New York Times reported:" then the quotation as its own paragraph
                p.speaker, p.name, p.cue = intro[0]
            elif not p.scare:
                qtext = text[p.start : p.end]
                nwords = _word_count(qtext)
                if _is_titleish(qtext) and nwords <= 8:
                    p.scare = True
                elif nwords <= 3:
                    # "Trump called the deal “a disaster”": the sentence's subject
                    sub = _sentence_subject(ms, s0, p.open) if p.kind == "partial" else None
                    if sub is not None:
                        kind_, name_ = _mention_name(text[sub[0] : sub[1]])
                        if not (
                            kind_ == "pronoun" and text[sub[0] : sub[1]].lower() in PERSON_PRONOUNS
                            or kind_ == "person" and table.is_person(name_)
                        ):
                            sub = None
                    if sub is not None and SHORT_PARTIAL_SUBJECT:
                        p.speaker, p.name, p.cue = _resolve(_Attr(text[sub[0]:sub[1]], sub[0], sub[1], None, "subject"), table, events, ui)
                    else:
                        p.scare = True
                else:
                    sub = _sentence_subject(ms, s0, p.open) if p.kind == "partial" else None
                    if sub is not None:
                        # "Trump is questioning whether … “if it were held in a mosque.”":
                        # a partial quote without a cue belongs to its sentence's subject
                        kind_, name_ = _mention_name(text[sub[0] : sub[1]])
                        if (
                            kind_ == "pronoun" and text[sub[0] : sub[1]].lower() in PERSON_PRONOUNS
                            or kind_ == "person" and table.is_person(name_)
                        ):
                            p.speaker, p.name, p.cue = _resolve(
                                _Attr(text[sub[0] : sub[1]], sub[0], sub[1], None, "subject"), table, events, ui
                            )
                    if p.speaker is None:
                        _inherit(p, pieces[:idx], subjects, events, ui, last_speaker)
            if p.kind == "partial" and p.cont is None and _is_titleish(text[p.start : p.end]):
                # a title or name inside a sentence ("told “Meet the Press.”")
                p.scare = True
            if p.scare:
                p.kind = "scare"
                p.speaker = p.name = p.cue = None
            if p.group < 0:
                p.group = group_counter
                group_counter += 1
            if p.name and p.kind != "scare":
                events.add(ui, p.open, p.name, 2)
                last_speaker = (p.speaker, p.name)
            cue = p.cue
            out.append(
                # built from checked values only: construct without re-validating (hot path)
                _make_quote(
                    paragraph_ordinal=para.ordinal,
                    quote_group=p.group,
                    text=text[p.start : p.end],
                    char_start=off + p.start,
                    char_end=off + p.end,
                    kind=p.kind,
                    speaker=p.speaker,
                    speaker_name=p.name,
                    cue=cue,
                    cue_lemma=None if cue is None else CUE_LEMMAS.get(cue.lower(), cue.lower()),
                )
            )
        last = pieces[-1]
        prev_open_piece = last if last.close is None and last.kind != "scare" else None
        intro = None
    return _renumber(out)


_setattr = object.__setattr__
_QUOTE_FIELDS = tuple(Quote.model_fields)


def _make_quote(**values) -> Quote:
    """``Quote.model_construct`` without its per-field alias and default handling:
    every field is given and already checked (the hot path)."""
    if Quote.__pydantic_post_init__ is not None or len(values) != len(_QUOTE_FIELDS):
        return Quote.model_construct(**values)
    q = Quote.__new__(Quote)
    _setattr(q, "__dict__", values)
    _setattr(q, "__pydantic_fields_set__", set(values))
    _setattr(q, "__pydantic_extra__", None)
    _setattr(q, "__pydantic_private__", None)
    return q


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


def _inherit(p: _Piece, earlier: list[_Piece], subjects_of, events: _Events, ui: int, last_speaker) -> None:
    """A quote without attribution: the speaker of the context."""
    for prev in reversed(earlier):
        if prev.kind != "scare" and prev.speaker is not None and (
            prev.kind == "direct"
            or p.kind == "partial"
            # "X “drew well” in 2008, said Paul Beck. “That was …”": the
            # attribution between the two quotes covers the second as well
            or prev.attr is not None and prev.close is not None and prev.attr.m_start > prev.close
        ):
            p.speaker, p.name = prev.speaker, prev.name
            return
    # a person named earlier in the same unit
    for _s0, r0, name in reversed(subjects_of()):
        if r0 < p.open:
            p.speaker = p.name = name
            return
    name = events.last(ui, p.open, min_weight=2, max_back=1) or events.last(ui, p.open, 1, 1)
    if name is not None:
        p.speaker = p.name = name
    elif last_speaker is not None:
        p.speaker, p.name = last_speaker


def _renumber(quotes: list[Quote]) -> list[Quote]:
    """Groups numbered 0, 1, 2 … in order of first appearance."""
    seen: dict[int, int] = {}
    res = []
    for q in quotes:
        g = seen.setdefault(q.quote_group, len(seen))
        res.append(q if g == q.quote_group else q.model_copy(update={"quote_group": g}))
    return res


_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr)\.?\s")
_ROLE_KEYS = frozenset(ROLE_CANON) | frozenset(GENDERED)
_APPOS_START = frozenset(("a", "an", "the", "its", "his", "her", "their"))
_APPOS_END = re.compile("[,.;(\x01]")


def _note_roles(table: EntityTable, ms: str, lo: int, hi: int, r0: int, r1: int, run: str, name: str, ui: int) -> None:
    """Titles and roles written next to a name: "Sen. Ted Cruz", "presidential
    candidate Donald Trump", "Vasily Kuznetsov, a professor at …", "Mr. Kirby".

    ``ms[lo:hi]`` is the unit (of index ``ui``) with the run ``ms[r0:r1]``."""
    if len(run) != len(name):
        first = name.split(" ", 1)[0]
        for t in run.split():
            if t == first:
                break
            if t.lower() in _ROLE_KEYS:
                table.add_role(name, t, ui)
    # up to three lower-case words right before the name: "presidential candidate Donald Trump"
    end = r0 - 1
    for _ in range(3):
        if end <= lo or ms[end] != " " or not ms[end - 1].islower():
            break
        st = max(ms.rfind(" ", lo, end) + 1, lo)
        w = ms[st:end]
        if not w.isalpha():
            break
        if w in _ROLE_KEYS:
            table.add_role(name, w, ui)
        end = st - 1
    # an appositive: "Kuznetsov, a professor at …,"
    if ms.startswith(", ", r1, hi):
        seg = ms[r1 + 2 : min(r1 + 90, hi)]
        w0 = seg.split(" ", 1)[0].lower()
        if w0 in _APPOS_START or w0 in _ROLE_KEYS:
            m = _APPOS_END.search(seg)
            for w in (seg[: m.start()] if m else seg).split():
                if w.lower() in _ROLE_KEYS:
                    table.add_role(name, w, ui)


def _resolve_description(mention: str, table: EntityTable, events: _Events, pi: int, off: int) -> str | None:
    """"the senator" -> the one senator the article introduced; None when unclear."""
    head = _mention_core(mention).lower().split()[-1]
    cands = table.with_role(head)
    if not cands:
        return None
    if len(cands) == 1:
        # the one person with that role, introduced no later than the description
        ((name, at),) = cands.items()
        if at < pi or any(n == name and o < off for o, n, _w in events.in_unit(pi)):
            return name
        return None
    # several: clear only when just one of them is named earlier in the same paragraph
    near = {n for o, n, _w in events.in_unit(pi) if o < off and n in cands}
    return near.pop() if len(near) == 1 else None


def _resolve(attr: _Attr, table: EntityTable, events: _Events, pi: int) -> tuple[str, str | None, str | None]:
    mention = attr.mention.strip()
    kind, name = _mention_name(mention)
    resolved: str | None
    if kind == "person":
        resolved = table.resolve(name)
    elif kind == "pronoun":
        low = mention.lower()
        if low in PERSON_PRONOUNS:
            # he/him: not a person the text shows to be a woman; she/her: not a man
            other = "f" if low in ("he", "him") else "m"
            resolved = events.last(pi, attr.m_start, accept=lambda n: table.gender_of(n) != other)
        else:
            resolved = None
    elif kind == "desc":
        resolved = _resolve_description(mention, table, events, pi, attr.m_start) or _mention_core(mention)
    else:
        resolved = _mention_core(mention)
    return mention, resolved, attr.cue
