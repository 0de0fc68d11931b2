"""One-pass scans of a unit: cue words and capitalised runs, found the fast way.

Every fast scan here finds exactly what a plain pattern would (tests hold them
equal); they exist because the quote stage runs on every page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain

from transforms.quotes.lexicon import ADJACENT_CAPITAL_CUES, ADJACENT_CUES, ANYWHERE_CUES, CAPITAL_CUES
from transforms.quotes.names import (
    CAP_JOIN,
    CAP_MORE,
    CAP_PARTICLE,
    CAP_PREFIX,
    CAP_RUN,
    CAP_RUN_LOOKBEHIND,
    CAP_TOKEN,
    EntityTable,
    clean_name,
)


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


_CUE = re.compile(r"(?<![\w\-'\u2019])(?:" + _trie_regex(sorted(ANYWHERE_CUES) + list(CAPITAL_CUES)) + r")(?![\w\-])")


_CUE_ADJ = re.compile(
    r"(?<![\w\-'\u2019])(?:" + _trie_regex(sorted(ADJACENT_CUES) + list(ADJACENT_CAPITAL_CUES)) + r")(?![\w\-])"
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
_CUE_NEXT = re.compile(r"[^\w\-'\u2019](" + _CUE.pattern[len(_CUE_LB) :] + ")")
_CUE_ADJ_NEXT = re.compile(r"[^\w\-'\u2019](" + _CUE_ADJ.pattern[len(_CUE_LB) :] + ")")
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
    r"[^\w\-'\u2019](?:(?P<cue>"
    + _CUE.pattern[len(_CUE_LB) :]
    + r")|(?<!\.)(?P<cap>"
    + CAP_RUN.pattern[len(CAP_RUN_LOOKBEHIND) :]
    + "))"
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
        + _after_capital(CAPITAL_CUES)
        + r"(?![\w\-])"
        + r"|[\w'\u2019.\-]*"
        # the next token must be capitalised or a particle, else stop here at once
        + r"(?:(?=\s++(?:[A-Z]|(?:"
        + CAP_PREFIX
        + "|"
        + CAP_PARTICLE
        + r")[\s\-A-Z]))"
        + CAP_JOIN
        + CAP_MORE
        + "(?P<more>))*"
        + note
        + ")"
        + r"|(?<=[a-z\-].)(?P<odd>))"
    )


_RUN_SCAN = _run_scan()
_ROLE_SCAN = _run_scan(r"(?:(?:(?<=['\u2019.])|(?<=['\u2019]s)|(?=, ))(?P<note>))?")
_MORE = _RUN_SCAN.groupindex["more"]
_ODD = _RUN_SCAN.groupindex["odd"]
_ROLE_ODD = _ROLE_SCAN.groupindex["odd"]
_CAPITAL_CUE_SET = frozenset(CAPITAL_CUES)  # a run never reads exactly as one of them
_PARTICLE_RUN = re.compile(CAP_RUN_LOOKBEHIND + CAP_PREFIX + r"-?[A-Z]")


def _cap_runs(ms: str, exact: bool) -> list[tuple[int, int, str]]:
    """(start, end, run): the capitalised runs of ``ms`` as _SCAN reads them
    (``exact``: the slow way, for a text where _RUN_SCAN may miss one)."""
    if exact:
        m0 = _SCAN.match(ms)
        scan = _SCAN_NEXT.finditer(ms, 0 if m0 is None else m0.end())
        return [
            (m.start(2), m.end(), m.group(2)) for m in (scan if m0 is None else chain((m0,), scan)) if m.lastindex == 2
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
