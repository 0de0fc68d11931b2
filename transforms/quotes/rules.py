"""The attribution rules: how a quote's speaker is found in the text around it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.quotes.lexicon import CUE_LEMMAS
from transforms.quotes.names import CAP_RUN, FUNCTION_CAPS, clean_name
from transforms.quotes.phrases import (
    _AUX,
    _LEAD_SPACE_COMMA,
    _PRONOUN_SUBJ,
    _TIME_WORDS,
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

    def _with_cue(self, cue: str) -> _Attr:
        return _Attr(self.mention, self.m_start, self.m_end, cue, self.how)


#: a noun phrase after "X said" opens its object: the sentence reports something else
_OBJECT_START = frozenset("a an the".split())
_COMPLEMENT_START = frozenset("that he she it they we i there his her its their this these those if whether".split())


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
                return _Attr(text[np[0] : np[1]], np[0], np[1], cue, "after"), np[1]
            return None
        if cs == p:
            np = _np_after(ms, ce + 1, hi, loose=True) if ce < hi else None
            if np:
                return _Attr(text[np[0] : np[1]], np[0], np[1], cue, "after"), np[1]
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
            # "“… the plan.” Reyes said he would have rejected it": a new sentence
            # reporting other speech, not the attribution of the quote before it
            # ("Reyes recalled an incident", "Reyes said the plan …"), or a colon that
            # introduces the next quotation ("Reyes repeated: “…”")
            rest = ms[ce : ce + 24]
            nxt = rest.split()[:1]
            if rest.lstrip(" \t\u00a0").startswith(":") or nxt and nxt[0].lower() in _COMPLEMENT_START | _OBJECT_START:
                return None
            # "He also said Park's plan …": a name right after the cue is the reported clause's subject
            if nxt and nxt[0][:1].isupper() and nxt[0].lower().strip(".,;:") not in _TIME_WORDS:
                return None
            # "South Carolina, he said, was …": a parenthetical cue inside a new sentence
            if rest.lstrip().startswith(",") and _opens_clause(ms, ce + rest.index(",") + 1, hi):
                return None
        return _Attr(text[np[0] : np[1]], np[0], np[1], cue, "after"), ce
    if dash:
        # tweet / epigraph signature: "…" — Carl Jensen (@carljensen)
        np = _np_after(ms, p, hi)
        if np and ms[np[0]].isupper():
            return _Attr(text[np[0] : np[1]], np[0], np[1], None, "dash"), np[1]
    return None


def _attr_in_span(
    text: str,
    ms: str,
    lo: int,
    hi: int,
    prefer_last: bool,
    sent_lo: int | None = None,
    agent_hi: int | None = None,
) -> _Attr | None:
    """A cue anywhere in ms[lo:hi] with its subject before it or its speaker after it.
    A passive cue ("was declared … by Y") names its speaker only by its agent, looked for
    up to ``agent_hi`` (the sentence's end past the quote, if given)."""
    cues = _cues(ms, lo, hi)
    if prefer_last:
        cues.reverse()
    for cs, ce, cue in cues:
        if not cue.endswith("ing") and _is_passive(ms, lo, cs):
            agent = _passive_agent(text, ms, ce, max(hi, agent_hi or hi))
            if agent is not None:
                return agent._with_cue(cue)
            continue  # "Reyes was asked, “…”": the subject is not who spoke
        if cue.lower() == "according to":
            np = _np_after(ms, ce + 1, hi)
            if np:
                return _Attr(text[np[0] : np[1]], np[0], np[1], cue, "according")
            continue
        # ", argues Lopez": a cue after a comma with a name after it
        j = cs - 1
        while j >= lo and ms[j] == " ":
            j -= 1
        # "telling the Gazette", "told reporters": the words after "tell" name the hearer
        hearer_next = CUE_LEMMAS.get(cue.lower()) == "tell"
        if j >= lo and ms[j] == "," and ce < hi and not hearer_next:
            np = _np_after(ms, ce + 1, hi)
            if np and not _opens_clause(ms, np[1], hi):
                return _Attr(text[np[0] : np[1]], np[0], np[1], cue, "inverted")
        if cue.endswith("ing") and j >= lo and ms[j] == "," and sent_lo is not None:
            # "Hill poked fun at Cole, tweeting, “…”": the participle's subject is the sentence's
            sub = _sentence_subject(ms, sent_lo, cs)
            if sub:
                return _Attr(text[sub[0] : sub[1]], sub[0], sub[1], cue, "subject")
        if cue.endswith("ing") and sent_lo is not None:
            # a participle attached to its clause ("… by saying", "issued a statement saying"):
            # its subject is the clause's; "with Cole saying", "Cole, saying" keep theirs
            sub = _participle_clause_subject(text, ms, lo, cs, sent_lo)
            if sub is not None:
                return sub._with_cue(cue)
        sub = _subject_before(ms, lo, cs)
        if sub is None:
            # "a city official who spoke anonymously said": skip the relative clause
            seg = ms[lo:cs]
            w = max(seg.rfind(" who "), seg.rfind(" which "))
            if w > 0 and "," not in seg[w:]:
                sub = _subject_before(ms, lo, lo + w)
        if sub is None and sent_lo is not None:
            # "Reyes called on her to resign and said, “…”": the sentence's subject
            prev_word = ms[lo:cs].split()[-1:] if ms[lo:cs].strip() else []
            if (
                prev_word
                and prev_word[0].lower().strip(",") in ("and", "but", "then")
                or prev_word
                and prev_word[0].endswith(",")
            ):
                sub = _sentence_subject(ms, sent_lo, cs)
        if sub:
            return _Attr(text[sub[0] : sub[1]], sub[0], sub[1], cue, "subject")
        if cue.endswith("ing") and sent_lo is not None:
            sub = _sentence_subject(ms, sent_lo, cs)
            if sub:
                return _Attr(text[sub[0] : sub[1]], sub[0], sub[1], cue, "subject")
        if ce < hi and not hearer_next:
            np = _np_after(ms, ce + 1, hi)
            if np and not _opens_clause(ms, np[1], hi):
                return _Attr(text[np[0] : np[1]], np[0], np[1], cue, "inverted")
    return None


#: forms of "be" before a past participle make a passive: "was declared", "were told", "been asked"
_BE_FORMS = frozenset("is was are were be been being".split())
_BY_AGENT = re.compile(r"[\s\x01\"\u201c\u201d\u00ab\u00bb\u201e]*(?:[\w'\u2019-]+\s+){0,4}?by\s+")


def _is_passive(ms: str, lo: int, cs: int) -> bool:
    """Whether the cue at ``cs`` is a past participle after a form of "be" (an adverb between
    allowed: "was later asked")."""
    words = ms[max(lo, cs - 40) : cs].split()
    if words and words[-1].lower().endswith("ly"):
        words.pop()
    return bool(words) and words[-1].lower() in _BE_FORMS


def _ends_with_passive_cue(ms: str, lo: int, hi: int) -> bool:
    """ "Reyes was asked: “…”": the words before the quote end with a passive cue, so the
    sentence's subject heard the quoted words rather than said them."""
    cues = _cues(ms, lo, hi)
    if not cues:
        return False
    cs, ce, cue = cues[-1]
    return not cue.endswith("ing") and not ms[ce:hi].strip(" ,:\t") and _is_passive(ms, lo, cs)


def _passive_agent(text: str, ms: str, ce: int, hi: int) -> _Attr | None:
    """The agent of a passive cue: "by Y" within a few words after it, or right after the
    quote that follows it."""
    pos = ce
    while pos < hi:
        m = _BY_AGENT.match(ms, pos, hi)
        if m is None:
            return None
        np = _np_after(ms, m.end(), hi)
        if np is not None:
            return _Attr(text[np[0] : np[1]], np[0], np[1], None, "agent")
        pos = m.end()
    return None


#: finite auxiliaries and copulas: after "said X", one makes X the subject of the reported clause
_FINITE_AUX = frozenset("is was are were has had have will would can could should may might must did does do".split())


def _opens_clause(ms: str, np_end: int, hi: int) -> bool:
    """Whether the noun phrase ending at ``np_end`` is followed by a finite verb: in
    "Cole said Mr. Hill was …" Mr. Hill is what was said, not who said it."""
    nxt = ms[np_end : min(hi, np_end + 16)].split()[:1]
    return bool(nxt) and nxt[0].lower() in _FINITE_AUX


#: words after which a participle modifies the clause, not the noun before it
_ADVERBIAL_BEFORE_PARTICIPLE = frozenset("by while when after before without in on from".split())


def _participle_clause_subject(text: str, ms: str, lo: int, cs: int, sent_lo: int) -> _Attr | None:
    """The sentence's subject when the participle at ``cs`` hangs on the clause: right after
    "by"/"while"/…, or after a document its subject issued ("Cole released a statement
    saying")."""
    words = ms[lo:cs].split()
    if not words:
        return None
    attach_to_clause = words[-1].lower() in _ADVERBIAL_BEFORE_PARTICIPLE
    if not attach_to_clause:
        near = _subject_before(ms, lo, cs)
        if near is None:
            return None
        before = ms[sent_lo : near[0]].split()
        attach_to_clause = bool(before) and before[-1].lower() != "with" and _is_document(ms[near[0] : near[1]])
    if not attach_to_clause:
        return None
    sub = _sentence_subject(ms, sent_lo, cs)
    if sub is None:
        return None
    return _Attr(text[sub[0] : sub[1]], sub[0], sub[1], None, "subject")


#: the outer source of a nested report after the attribution: ", according to Y", ", reports Y"
_ACCORDING_TAIL = re.compile(r"(?:,\s*|\s+)according to\s|,\s*(?:reports|reported)\s")
#: a sentence that opens with its outer source: "According to Y, X said …"
_ACCORDING_OPEN = re.compile(r"[\s\x01\"\u201c(]*according to\s", re.IGNORECASE)


def _according_to_before(text: str, ms: str, lo: int, hi: int) -> _Attr | None:
    """ "According to Y," opening the sentence ms[lo:hi] of a nested report ("According to
    the Gazette, Reyes said …"): Y, through whom the quote reaches the article."""
    m = _ACCORDING_OPEN.match(ms, lo, hi)
    if m is None:
        return None
    np = _np_after(ms, m.end(), hi)
    if np is None or "," not in ms[np[1] : np[1] + 2]:
        return None
    return _Attr(text[np[0] : np[1]], np[0], np[1], "according to", "according")


def _according_to_after(text: str, ms: str, lo: int, hi: int) -> _Attr | None:
    """ ", according to Y" in the rest of an attribution's sentence (ms[lo:hi])."""
    m = _ACCORDING_TAIL.search(ms, lo, hi)
    if m is None:
        return None
    np = _np_after(ms, m.end(), hi)
    if np is None:
        return None
    return _Attr(text[np[0] : np[1]], np[0], np[1], "according to", "after")


#: a signature under a quotation, as its own line: "— Maria Lopez, farmer", "Dan Hill, Harbour Institute."
_SIGNATURE = re.compile(
    r"\s*(?P<dash>[\u2014\u2013\u2015-]+\s*)?(?P<name>[A-Z][\w'\u2019.\-]*(?:\s+[A-Z][\w'\u2019.\-]*){0,3})"
    r"(?P<desc>,\s*[^.!?\"\u201c\u201d:;]{1,80})?\.?\s*"
)
#: the most words a signature line holds
SIGNATURE_MAX_WORDS = 12


def _signature_line(line: str) -> _Attr | None:
    """The person a line signs for, when the whole line is a signature: a dash and a name
    ("— Maria Lopez, farmer"), or a full name and a description ("Dan Hill, Harbour
    Institute.").  Offsets index ``line``."""
    if len(line.split()) > SIGNATURE_MAX_WORDS:
        return None
    m = _SIGNATURE.fullmatch(line)
    if m is None:
        return None
    name = m.group("name")
    if not m.group("dash") and (m.group("desc") is None or len(name.split()) < 2):
        return None  # "Washington." or "Harbour City, Ore.": a place line, not a signature
    if name.split()[0].lower().strip(".") in FUNCTION_CAPS or clean_name(name) is None:
        return None
    if any(w.endswith(("\u2019", "'", "\u2019s", "'s")) for w in name.split()):
        return None  # "Republicans’ Long, Uneasy History": a headline, not a person
    kind, _ = _mention_name(name)
    if kind != "person":
        return None
    return _Attr(name, m.start("name"), m.end("name"), None, "signature")


#: a speaker's label opening a quoted transcript: "SMITH: …", "Mr. O'Brien: …", "Chris Jones: …"
_LABEL = re.compile(r"((?:[A-Z][\w'\u2019.\-]*)(?: [A-Z][\w'\u2019.\-]*){0,3}):\s+(?=\S)")
#: labels that head a note, not a speaker's words
_NOT_SPEAKER_LABELS = frozenset(
    "update correction note editor's editor’s breaking watch read related photo video "
    "source sources warning caption".split()
)


#: the fewest words a labelled turn says (a placard or a subtitle says fewer)
LABEL_MIN_WORDS = 10


def _transcript_label(text: str, lo: int, hi: int) -> _Attr | None:
    """The label a quote opens with, when it names a person: "CHRIS JONES: …" -> "CHRIS JONES"."""
    m = _LABEL.match(text, lo, hi)
    if m is None:
        return None
    label = m.group(1)
    words = label.lower().split()
    if words[0].rstrip(".") in FUNCTION_CAPS or words[0] in _NOT_SPEAKER_LABELS:
        return None
    # an all-capitals label ("MR. O'BRIEN") is a typographic convention: read it as the name is written
    name = _title_case(label) if label.isupper() else label
    person = clean_name(name)
    if person is None or not (label.isupper() or " " in person):
        return None  # "Missouri: …" is a place heading what follows
    if len(text[m.end() : hi].split()) < LABEL_MIN_WORDS:
        return None  # a sign or a subtitle ("Smith: Bad for us"), not a speaker's turn
    return _Attr(name, m.start(1), m.end(1), None, "label")


def _title_case(label: str) -> str:
    """ "MR. O'BRIEN" -> "Mr. O'Brien" (str.title would write "O'brien" only after an apostrophe's s)."""
    return re.sub(r"[A-Z]+", lambda m: m.group()[0] + m.group()[1:].lower(), label)


_COLON_INTRO = re.compile(r"(?P<np>(?:[A-Z][\w'\u2019.\-]*)(?:\s+(?:[A-Z][\w'\u2019.\-]*|\([^)]{1,30}\)))*)\s*:\s*$")


def _subject_attr(text: str, ms: str, lo: int, hi: int, subjects_of) -> _Attr | None:
    """The subject of the sentence introducing a quote without a cue verb
    (``subjects_of()``: the unit's sentence subjects, worked out if needed)."""
    seg = ms[lo:hi]
    cm = _COLON_INTRO.search(seg)
    if (
        cm
        and clean_name(cm.group("np")) is not None
        and (
            cm.start() == len(seg) - len(seg.lstrip())
            # "TURNOUT WAS HIGH IN THE NORTH - Dan P. Hill: “…”": a byline after a dash
            or seg[: cm.start()].rstrip().endswith(("-", "\u2014", "\u2013"))
            and seg[: cm.start()].endswith(" ")
        )
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


# --------------------------------------------------------------------------
# The table of rules
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """An attribution rule: its name (stored in ``quotes.attribution``), what it
    reads, examples it must attribute by itself, each (text with paragraphs
    separated by blank lines, the quote's words, its speaker's name), and
    look-alikes it must not attribute."""

    name: str
    reads: str
    examples: tuple[tuple[str, str, str], ...]
    #: look-alikes the rule must leave alone: (text, the quote's words)
    keeps: tuple[tuple[str, str], ...] = ()


#: in the order they are tried: the first that finds a speaker wins
RULES: tuple[Rule, ...] = (
    Rule(
        "continues_open_quote",
        "a paragraph opening with a quote mark continues the quotation left open at the end of the previous one",
        (
            (
                "Ann Cole, the mayor, said the plan was ready: \u201cWe will build the bridge this year.\n\n"
                "\u201cThe state will pay for all of it.\u201d",
                "The state will pay for all of it.",
                "Ann Cole",
            ),
        ),
    ),
    Rule(
        "transcript_label",
        "a quote opening with a speaker's label, as in a transcript: \u201cSMITH: \u2026\u201d",
        (
            (
                "\u201cTOM REYES: We are going to keep the plant open, and we will hire more people next year.\u201d",
                "TOM REYES: We are going to keep the plant open, and we will hire more people next year.",
                "Tom Reyes",
            ),
        ),
        (
            (
                "Protesters held signs reading \u201cTom Reyes: Bad for the town, bad for you.\u201d",
                "Tom Reyes: Bad for the town, bad for you.",
            ),
            (
                "\u201cHarbour: A guide to the old port and its people, from the fishing fleets to the ferries today,\u201d"
                " Lena Park wrote.",
                "Harbour: A guide to the old port and its people, from the fishing fleets to the ferries today,",
            ),
        ),
    ),
    Rule(
        "after_close_mark",
        "a cue and its subject right after the close mark: \u201c\u2026,\u201d X said / \u201c\u2026,\u201d said X",
        (
            ("\u201cThe figures are wrong,\u201d Tom Reyes said.", "The figures are wrong,", "Tom Reyes"),
            ("\u201cWe are ready,\u201d said Lena Park, the coach.", "We are ready,", "Lena Park"),
            # a lone capitalised word before the cue is a surname, even one that is also a modal
            ("\u201cThe harbour will reopen,\u201d Will said.", "The harbour will reopen,", "Will"),
            # a party and state tag after the name is not the speaker
            ("\u201cThe bill is dead,\u201d Sen. Ann Cole, D-Ore., said Tuesday.", "The bill is dead,", "Ann Cole"),
        ),
        # a new sentence reporting other speech is not the quote's attribution
        (
            ("\u201cThe plant will close.\u201d Tom Reyes said he would fight the decision.", "The plant will close."),
            ("\u201cThe plant will close.\u201d Tom Reyes recalled a strike of 1990.", "The plant will close."),
            ("\u201cThe plant will close.\u201d He also said Lena Park would stay on.", "The plant will close."),
            # a cue set off by commas inside a new sentence
            ("\u201cWe lost.\u201d The harbour, she said, was \u201cempty all winter.\u201d", "We lost."),
            # a colon after the cue introduces the next quotation
            (
                "\u201cThe plant will close.\u201d Tom Reyes repeated: \u201cNot this year.\u201d",
                "The plant will close.",
            ),
        ),
    ),
    Rule(
        "according_to",
        "\u201caccording to X\u201d right after the quote or in the sentence before it",
        (
            ("\u201cThe vote is lost,\u201d according to Maria Lopez.", "The vote is lost,", "Maria Lopez"),
            ("According to Dan Hill, \u201cnobody saw it coming.\u201d", "nobody saw it coming.", "Dan Hill"),
            # a nested report: the quote reaches the article through the source it names
            (
                "\u201cPrices will fall,\u201d Tom Reyes said, according to the Harbour Gazette.",
                "Prices will fall,",
                "the Harbour Gazette",
            ),
            (
                "\u201cPrices will fall,\u201d said Tom Reyes, the port's director, reports Harbour Today.",
                "Prices will fall,",
                "Harbour Today",
            ),
            (
                "According to the Harbour Gazette, Tom Reyes said the port \u201cwill close in the spring.\u201d",
                "will close in the spring.",
                "the Harbour Gazette",
            ),
        ),
    ),
    Rule(
        "dash_signature",
        "a name after a dash right after the close mark, as under a tweet or an epigraph",
        (("\u201cNever give up on the team.\u201d \u2014 Carl Jensen", "Never give up on the team.", "Carl Jensen"),),
    ),
    Rule(
        "signature_line",
        "a quote that ends its paragraph, signed by the next line: \u2014 Name, or Name, Institution.",
        (
            (
                "\u201cThe river has never been this low in my lifetime.\u201d\n\n\u2014 Maria Lopez, farmer",
                "The river has never been this low in my lifetime.",
                "Maria Lopez",
            ),
            (
                "\u201cWe checked the figures twice and they hold up.\u201d\n\nDan Hill, Harbour Institute.",
                "We checked the figures twice and they hold up.",
                "Dan Hill",
            ),
        ),
        (
            (
                "\u201cThe river has never been this low in my lifetime.\u201d\n\nThe council meets on Monday.",
                "The river has never been this low in my lifetime.",
            ),
            (
                "\u201cThe river has never been this low in my lifetime.\u201d\n\nHarbour City, Ore.",
                "The river has never been this low in my lifetime.",
            ),
            (
                "\u201cThe river has never been this low in my lifetime.\u201d\n\nFarmers\u2019 Long, Dry Summer",
                "The river has never been this low in my lifetime.",
            ),
        ),
    ),
    Rule(
        "continues_split_quote",
        "the second piece of a quotation split around its attribution: \u201cA,\u201d he said. \u201cB.\u201d",
        (
            (
                "\u201cWe lost,\u201d Tom Reyes said. \u201cBut we will be back next year.\u201d",
                "But we will be back next year.",
                "Tom Reyes",
            ),
        ),
    ),
    Rule(
        "cue_before",
        "a cue in the sentence before the open mark, with its subject or the name after it: X said: \u201c\u2026\u201d",
        (
            ("Lena Park said: \u201cWe are ready for the final.\u201d", "We are ready for the final.", "Lena Park"),
            (
                "Asked about the delay, Tom Reyes replied, \u201cIt was the weather.\u201d",
                "It was the weather.",
                "Tom Reyes",
            ),
            # a participle after "by" or after a document its subject issued: the clause's subject
            (
                "The mayor ended the meeting by saying \u201cthe budget is final.\u201d",
                "the budget is final.",
                "The mayor",
            ),
            (
                "Lena Park issued a statement saying the club was \u201cdeeply sorry.\u201d",
                "deeply sorry.",
                "Lena Park",
            ),
            # "said X was …": X is what was said, not who said it
            (
                "Lena Park, the club's coach, said Tom Reyes was \u201ca great loss\u201d for the team.",
                "a great loss",
                "Lena Park",
            ),
            # a passive cue names its speaker by its agent
            (
                "The plan was declared \u201cdead on arrival\u201d by Lena Park on Monday.",
                "dead on arrival",
                "Lena Park",
            ),
            # "with X saying": X is the participle's own subject
            (
                "The club declined to comment, with coach Dan Hill saying \u201cwe will wait.\u201d",
                "we will wait.",
                "Dan Hill",
            ),
        ),
    ),
    Rule(
        "colon_intro",
        "no cue: the subject of the sentence that introduces the quote with a colon or a comma",
        (
            (
                "Lena Park was blunt: \u201cWe played badly and we know it.\u201d",
                "We played badly and we know it.",
                "Lena Park",
            ),
        ),
        # the subject of a passive cue heard the words: "X was asked: “…”"
        (("Lena Park was asked: \u201cWill you play in the final?\u201d", "Will you play in the final?"),),
    ),
    Rule(
        "cue_after_in_sentence",
        "a cue later in the quote's sentence, past the words that follow the close mark",
        (("\u201cA tax on bread\u201d would hurt families, argued Maria Lopez.", "A tax on bread", "Maria Lopez"),),
    ),
    Rule(
        "paragraph_intro",
        "a quote opening its paragraph, after a paragraph that ends with a colon: that paragraph's source",
        (
            (
                "Tom Reyes wrote on his blog:\n\n\u201cThe season is over for me.\u201d",
                "The season is over for me.",
                "Tom Reyes",
            ),
        ),
    ),
    Rule(
        "partial_subject",
        "a partial quote without a cue: the person its sentence opens with",
        (
            (
                "Maria Lopez called the plan \u201ca gift to the banks\u201d during the debate.",
                "a gift to the banks",
                "Maria Lopez",
            ),
            ("Tom Reyes called the offer \u201can insult\u201d on Monday.", "an insult", "Tom Reyes"),
            # a longer partial quote: the subject may be an organisation or a document
            (
                "The audit accuses the port authority of \u201ca decade of neglect and broken promises.\u201d",
                "a decade of neglect and broken promises.",
                "The audit",
            ),
        ),
    ),
    Rule(
        "inherit_context",
        "no attribution at all: the speaker of the quotes or the person named just before",
        (
            (
                "\u201cWe will appeal,\u201d Maria Lopez said.\n\nThe court ruled against her on Monday. "
                "\u201cThis is not the end of it.\u201d",
                "This is not the end of it.",
                "Maria Lopez",
            ),
        ),
    ),
)
RULE_NAMES = frozenset(rule.name for rule in RULES)
