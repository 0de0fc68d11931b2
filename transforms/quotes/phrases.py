"""Speaker phrases: the noun phrase before a cue, after it, or opening a sentence."""

from __future__ import annotations

import re

from transforms.quotes.marks import _ABBREV, _MASK
from transforms.quotes.names import CAP_RUN, FUNCTION_CAPS, PERSON_ROLES, PRONOUNS, TITLES, clean_name

#: words that may stand between a subject and its cue: "Reyes also said"
_AUX = frozenset(
    """also then later has had have would will once again previously recently
    simply further even just still already earlier flatly
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
#: the time words that are adverbs, written in lower case where they follow a name
_ADVERB_TIME_WORDS = frozenset("today yesterday tonight".split())


_LEAD_CONNECTOR = re.compile(r"(?:of|for|at|from|to|in|and|&)\s+")
_CORE_CUT = re.compile(r"[,(\u2014\u2013]")
_MENTION_CUT = re.compile(r"[,(\u2014\u2013]|\s-\s")
_LEAD_SPACE_COMMA = re.compile(r"[\s,]*")


_PRONOUN_SUBJ = re.compile(
    r"\s*(?:(?:But|And|So|Then|Later|Still|Yet|Now|Instead),?\s+)?(he|she|they|we|I|He|She|They|We)\b"
)


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
            # "One of the authors, Dan Hill, said": the name is the appositive
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
    # never start on a connector: "to Reyes" is not a subject
    while True:
        m = _LEAD_CONNECTOR.match(ms[start:end])
        if not m:
            break
        start += m.end()
    np = ms[start:end]
    if not np or np.lower() in _DETERMINERS or np.split()[-1].lower() in _CONNECTORS:
        return None
    return start, end


#: capitalised words before a cue that are never its subject: "That said, …", "But said …"
_NEVER_SURNAMES = (
    _DETERMINERS
    | _TIME_WORDS
    | frozenset("but and so as if when then yet or nor also here there now it this what which who".split())
)

_CONNECTORS = frozenset({"of", "for", "at", "from", "to", "in", "and", "&", "with", "on"})
_SUBJ_START = re.compile(
    r"(?:(?:But|And|So|Yet|Still|Then|Later|Meanwhile|However|Now|Also|Instead|Earlier|Afterward|Indeed|Finally|Again)\b,?\s+"
    r"(?:(?:then|now|later|also|so|yet|still)\b,?\s+)?)?"
    # introductory phrases and clauses: "In early October,", "When Reyes suggested that …,"
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
#: a party and state tag after a politician's name: "R-Ky.", "D-N.Y.", "I-Vt."
_PARTY_TAG = re.compile(r"[RDI]-[A-Z][A-Za-z.]{0,6}")
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
        # "Sen. Ann Cole (D-Ore.)"
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
    """ "the statement", "The email", "a campaign memo": a document as the source."""
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
    if loose and (not m or ms[m.start("np")].islower() and ms[m.start("np") : m.end("np")].lower() not in PRONOUNS):
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
    if first in _TIME_WORDS or first in {"in", "on", "at", "of", "to", "that", "it", "this", "with", "about"}:
        return None
    last = np.split()[-1].strip(".,;:")
    if last.lower() in _TIME_WORDS and not (
        last[:1].isupper() and last.lower() in _ADVERB_TIME_WORDS and len(np.split()) > 1
    ):
        return None  # "said Reyes Monday"; a capitalised "Today" after a name is part of it ("USA Today")
    if first in ("among", "by", "after", "before", "during"):
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
    # "Sen. Ann Cole, D-Ore., said": the party and state tag belongs to the name before it
    head, comma, tag = np.rpartition(",")
    if comma and _PARTY_TAG.fullmatch(tag.strip()):
        np = head.rstrip()
        b = a + len(np)
    if "," in np:
        # "… by the city, the port and others, Cole said", "…, he said":
        # the last comma-chunk is the subject when it is a pronoun or a name and
        # what precedes it is not a name
        head, _, last = np.rpartition(",")
        last_s = last.strip()
        first = head.split(",", 1)[0].strip()
        if last_s and len(last_s.split()) <= 5:
            lw = last_s.lower()
            is_pron = lw in ("he", "she", "they", "we", "i")
            first_is_name = (
                first[:1].isupper() and first.split()[0].lower() not in FUNCTION_CAPS and clean_name(first) is not None
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
    if len(words) == 1 and np[:1].isupper() and np[1:].islower() and np.isalpha() and w0 not in _NEVER_SURNAMES:
        # "“…,” From said", "“…,” Will wrote": a lone capitalised word before the cue is its
        # subject, a surname that is also a preposition or a modal
        return a, b
    if w0 in {"another", "one", "others", "some", "many"} and len(core) == 1:
        return a, b
    if w0 in _TIME_WORDS or w0 in {
        "in",
        "on",
        "at",
        "of",
        "to",
        "that",
        "it",
        "this",
        "with",
        "about",
        "but",
        "and",
        "so",
        "as",
        "if",
        "when",
        "for",
        "from",
        "by",
        "than",
        "into",
        "over",
    }:
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
