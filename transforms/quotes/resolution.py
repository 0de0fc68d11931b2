"""Mentions to names: pronouns, surnames, titles and descriptions resolved in the document."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from transforms.quotes.names import (
    CAP_RUN,
    FUNCTION_CAPS,
    GENDERED,
    ORG_WORDS,
    PERSON_PRONOUNS,
    PERSON_ROLES,
    PRONOUNS,
    ROLE_CANON,
    TITLES,
    EntityTable,
    clean_name,
    territories,
)
from transforms.quotes.phrases import _MENTION_CUT, DOCUMENT_NOUNS, _is_document

if TYPE_CHECKING:
    from transforms.quotes.context import _Events
    from transforms.quotes.rules import _Attr


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
    supporters protesters residents students delegates sources officials aides head
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
    # "Harbour Institute’s Lena Park": the name after the possessive
    for sep in ("\u2019s ", "'s "):
        if sep in core:
            right = core.rsplit(sep, 1)[1]
            if any(w[:1].isupper() for w in right.split()):
                core = right
            break
    words = core.split()
    if len(words) > 1 and words[0].lower() in ("the", "a", "an"):
        # "the Oregon senator", "The senator from Ohio", "a longtime adviser to
        # Reyes": a description whose capitalised words are modifiers or objects
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
    if name is not None and name in territories():
        return "org", None
    if name is None:
        toks = run.split()
        if any(t.strip(".,") in ORG_WORDS for t in core.lower().split()):
            return "org", None  # "the Department of Justice": "Justice" is a title elsewhere
        if all(t.lower().strip(".") in TITLES or t.lower() in FUNCTION_CAPS for t in toks):
            last = core.lower().split()[-1]
            return ("desc" if core.lower().startswith("the ") and last in PERSON_ROLES else "org"), None
        return "org", None
    return "person", name


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


_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr)\.?\s")
_ROLE_KEYS = frozenset(ROLE_CANON) | frozenset(GENDERED)
_APPOS_START = frozenset(("a", "an", "the", "its", "his", "her", "their"))
_APPOS_END = re.compile("[,.;(\x01]")


def _note_roles(table: EntityTable, ms: str, lo: int, hi: int, r0: int, r1: int, run: str, name: str, ui: int) -> None:
    """Titles and roles written next to a name: "Sen. Ann Cole", "mayoral
    candidate Tom Reyes", "Lena Park, a professor at …", "Mr. Reyes".

    ``ms[lo:hi]`` is the unit (of index ``ui``) with the run ``ms[r0:r1]``."""
    if len(run) != len(name):
        first = name.split(" ", 1)[0]
        for t in run.split():
            if t == first:
                break
            if t.lower() in _ROLE_KEYS:
                table.add_role(name, t, ui)
    # up to three lower-case words right before the name: "mayoral candidate Tom Reyes"
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
    # an appositive: "Park, a professor at …,"
    if ms.startswith(", ", r1, hi):
        seg = ms[r1 + 2 : min(r1 + 90, hi)]
        w0 = seg.split(" ", 1)[0].lower()
        if w0 in _APPOS_START or w0 in _ROLE_KEYS:
            m = _APPOS_END.search(seg)
            for w in (seg[: m.start()] if m else seg).split():
                if w.lower() in _ROLE_KEYS:
                    table.add_role(name, w, ui)


def _resolve_description(mention: str, table: EntityTable, events: _Events, pi: int, off: int) -> str | None:
    """ "the senator" -> the one senator the article introduced; None when unclear."""
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


#: where a noun phrase's head ends and its complement starts
_OF_PHRASE = re.compile(r"\s+(?:of|from|by|on|about)\s+")


@functools.lru_cache(maxsize=16384)
def speaker_type(mention: str) -> str:
    """What kind of source a speaker mention is: ``person`` (a name, he/she, "the
    senator", "a spokesman"), ``document`` ("the report", "a statement"),
    ``organisation`` ("the White House", "CNN", "his campaign") or ``unknown``
    ("they", "others")."""
    mention = mention.strip()
    kind, _name = _mention_name(mention)
    if kind in ("person", "desc", "indef"):
        return "person"
    low = mention.lower()
    if kind == "pronoun":
        return "person" if low in PERSON_PRONOUNS or low == "i" else "unknown"
    core = _mention_core(mention)
    # "the official statement of the ministry", "a letter from the mayor": the head noun decides
    head_phrase = _OF_PHRASE.split(core, maxsplit=1)[0]
    if _is_document(core) or _is_document(head_phrase):
        return "document"
    words = head_phrase.lower().split()
    head = words[-1].strip(".,'\u2019") if words else ""
    if head in PERSON_ROLES or head in _PERSON_NOUNS or head.rstrip("s") in PERSON_ROLES | _PERSON_NOUNS:
        return "person"
    if head.rstrip("s") in DOCUMENT_NOUNS:
        return "document"
    if any(w[:1].isupper() for w in core.split()) or head in ORG_WORDS:
        return "organisation"
    return "unknown"
