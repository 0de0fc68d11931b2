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
   (:class:`transforms.quotes.names.EntityTable`): surnames and titles; pronouns to
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
from collections.abc import Sequence

from schemas.models import Paragraph, Quote
from transforms.quotes.context import _Events, _inherit, _Units
from transforms.quotes.lexicon import CUE_LEMMAS
from transforms.quotes.marks import (
    _has_marks,
    _is_link_intro,
    _is_partial,
    _is_titleish,
    _lines,
    _mask_quotes,
    _only_attribution_between,
    _Piece,
    _word_count,
)
from transforms.quotes.names import PERSON_PRONOUNS
from transforms.quotes.options import DEFAULT_OPTIONS, QuoteOptions
from transforms.quotes.phrases import _SUBJ_START, _sentence_subject
from transforms.quotes.resolution import _mention_name, _resolve, _Table, speaker_type
from transforms.quotes.rules import (
    RULES,
    Rule,
    _according_to_after,
    _according_to_before,
    _Attr,
    _attr_after_adjacent,
    _attr_in_span,
    _ends_with_passive_cue,
    _signature_line,
    _subject_attr,
    _transcript_label,
)

__all__ = ["extract_quotes", "CUE_LEMMAS", "QuoteOptions", "RULES", "Rule"]


def extract_quotes(
    paragraphs: Sequence[Paragraph], *, title: str | None = None, options: QuoteOptions | None = None
) -> list[Quote]:
    """Quotations of ``paragraphs`` (one document, in order) with their speakers.

    ``title`` (the article's headline, if it is not a paragraph) only feeds the
    table of names.  Offsets index each paragraph's own ``text`` and exclude
    the quote marks.  A line break inside a paragraph is treated like a
    paragraph break (a quote left open there runs to the line's end).
    ``options``: the tunables (:class:`QuoteOptions`), by default the shipped ones.
    """
    options = options or DEFAULT_OPTIONS
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
    # the line after the last quotation may sign it (signature_line)
    after_last = units[last_mark + 1][2] if last_mark + 1 < len(units) else None
    units = units[: last_mark + 1]
    texts = [u[2] for u in units]
    masked_all = texts[:]
    pieces_all: list[list[_Piece]] = [[] for _ in units]
    for ui, text in enumerate(texts):
        if marked[ui]:
            masked_all[ui], pieces_all[ui] = _mask_quotes(text, marks)

    last_with_quotes = max((i for i, ps in enumerate(pieces_all) if ps), default=-1)
    # mentions matter only within a few units of a quotation (no rule looks farther back)
    next_q = [0] * len(units)
    nq = 1 << 30
    for i in range(len(units) - 1, -1, -1):
        if pieces_all[i]:
            nq = i
        next_q[i] = nq
    reach = options.context_units
    live = [i <= last_with_quotes and next_q[i] - i <= reach for i in range(len(units))]
    doc = _Units(texts, masked_all, table, live)
    table._collect_roles = doc.collect_roles
    reader = _Reader(doc, table, _Events(doc.sentence_mentions, reach), options)
    reader.after_last = after_last

    out: list[Quote] = []
    for ui, (para, off, text) in enumerate(units):
        if ui > last_with_quotes:
            break  # what follows the last quotation cannot change any speaker
        if not live[ui]:
            reader.prev_open_piece = reader.intro = None
            continue
        pieces = pieces_all[ui]
        if not pieces:
            reader.read_intro(ui)
            continue
        reader.start_unit(ui)
        for idx, p in enumerate(pieces):
            reader.attribute(p, idx, pieces)
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
                    attribution=p.rule if p.speaker is not None else None,
                    speaker_type=None if p.speaker is None else speaker_type(p.speaker),
                )
            )
        last = pieces[-1]
        reader.prev_open_piece = last if last.close is None and last.kind != "scare" else None
        reader.intro = None
    return _renumber(out)


class _Reader:
    """Reads one document's quotes in order, unit by unit, and tries the rules
    of :data:`RULES` on each (the state they share: the piece left open at the
    previous unit's end, the source a colon introduced, the last speaker)."""

    def __init__(self, doc: _Units, table: _Table, events: _Events, options: QuoteOptions) -> None:
        self.doc = doc
        self.table = table
        self.events = events
        self.on = options.on
        self.options = options
        self.group_counter = 0
        self.prev_open_piece: _Piece | None = None  # piece left open at the previous unit's end
        self.last_speaker: tuple[str | None, str | None] | None = None
        self.intro = None  # ((speaker, name, cue), attr) of a unit that ends with a colon
        self.after_last: str | None = None  # the unit after the last quotation's

    def resolve(self, attr: _Attr) -> tuple[str, str | None, str | None]:
        return _resolve(attr, self.table, self.events, self.ui)

    def read_intro(self, ui: int) -> None:
        """A unit without quotes: its source, when it ends with a colon (``paragraph_intro``)."""
        self.prev_open_piece = self.intro = None
        ms = self.doc.masked[ui]
        tail = ms.rstrip()
        if not tail.endswith(":") or not self.on("paragraph_intro"):
            return
        text = self.doc.texts[ui]
        s0, _s1 = self.doc.sents(ui)[-1]
        intro = _attr_in_span(text, ms, s0, len(tail), prefer_last=True, sent_lo=s0) or _subject_attr(
            text, ms, s0, len(tail), functools.partial(self.doc.subjects, ui)
        )
        if intro is not None:
            self.ui = ui
            self.intro = (self.resolve(intro), intro)

    def start_unit(self, ui: int) -> None:
        self.ui = ui
        self.text = self.doc.texts[ui]
        self.ms = self.doc.masked[ui]
        self.sents = self.doc.sents(ui)
        self.subjects = functools.partial(self.doc.subjects, ui)

    def sent_of(self, pos: int) -> tuple[int, int]:
        for sb in self.sents:
            if sb[0] <= pos < sb[1]:
                return sb
        return self.sents[-1]

    def attribute(self, p: _Piece, idx: int, pieces: list[_Piece]) -> None:
        """The quote's kind, speaker, cue, group and winning rule (``p.rule``)."""
        text, ms, on = self.text, self.ms, self.on
        p.kind = "partial" if _is_partial(text, p) else "direct"
        s0, s1 = self.sent_of(p.open)
        if idx == 0 and self.prev_open_piece is not None and not text[: p.open].strip() and on("continues_open_quote"):
            p.cont, p.rule = self.prev_open_piece, "continues_open_quote"
        attr, rule, after_end = self.find_attribution(p, idx, pieces, s0, s1)
        p.attr = attr
        p.after_end = after_end if attr is not None and attr.how in ("after", "dash") else None

        # a new paragraph with its own "…," X said is a new quotation
        if (
            p.cont is not None
            and attr is not None
            and attr.how in ("after", "dash", "label")
            and self.resolve(attr)[1] != p.cont.name
        ):
            p.cont = None
        if p.cont is not None:
            p.group = p.cont.group
            p.speaker, p.name, p.cue = p.cont.speaker, p.cont.name, p.cont.cue
            if attr is not None and p.speaker is None:
                p.speaker, p.name, p.cue = self.resolve(attr)
                p.rule = rule
        elif attr is not None:
            p.speaker, p.name, p.cue = self.resolve(attr)
            p.rule = rule
        elif idx == 0 and not ms[: p.open].strip() and self.intro is not None and not p.scare:
            # "The Harbour Gazette reported:" then the quotation as its own paragraph
            p.speaker, p.name, p.cue = self.intro[0]
            p.rule = "paragraph_intro"
        elif not p.scare and idx == len(pieces) - 1 and (sig := self.signature_after(p)) is not None:
            # "“…”" then, as its own line, "— Maria Lopez, farmer"
            p.speaker, p.name, p.cue = self.resolve(sig)
            p.rule = "signature_line"
        elif not p.scare:
            self.without_attribution(p, idx, pieces, s0)
        if p.kind == "partial" and p.cont is None and _is_titleish(text[p.start : p.end]):
            # a title or name inside a sentence ("told “Harbour Tonight.”")
            p.scare = True
        if p.scare:
            p.kind = "scare"
            p.speaker = p.name = p.cue = None
        if p.group < 0:
            p.group = self.group_counter
            self.group_counter += 1
        if p.name and p.kind != "scare":
            self.events.add(self.ui, p.open, p.name, 2)
            self.last_speaker = (p.speaker, p.name)

    def find_attribution(self, p: _Piece, idx: int, pieces: list[_Piece], s0: int, s1: int):
        """(attribution, rule, where it ends) from the words around the quote,
        or (None, None, None); may mark the piece a continuation or a link."""
        text, ms, on = self.text, self.ms, self.on
        nxt_open = pieces[idx + 1].open if idx + 1 < len(pieces) else len(text)
        if on("transcript_label"):
            label = _transcript_label(text, p.start, p.end)
            if label is not None:
                return label, "transcript_label", None
        # right after the close mark
        if p.close is not None:
            # the sentence may end right at the close mark ("…." Reyes said.)
            se = s1
            if not ms[p.close + 1 : se].strip(' \t\u00a0"\u201d'):
                se = self.sent_of(se)[1] if se < len(ms) else len(ms)
            hi = min(nxt_open, len(ms), se)
            res = _attr_after_adjacent(
                text, ms, p.close + 1, hi, closed_sentence=text[p.end - 1 : p.end] in (".", "!", "?")
            )
            if res is not None:
                attr, after_end = res
                rule = _adjacent_rule(attr)
                if rule == "after_close_mark" and on("according_to"):
                    # a nested report, "“…,” X said, according to Y": the quote reaches the
                    # article through Y, the source it names
                    outer = _according_to_after(text, ms, after_end, hi)
                    if outer is not None:
                        return outer, "according_to", outer.m_end
                if on(rule):
                    return attr, rule, after_end
        if p.cont is not None:
            return None, None, None
        # before the open mark, within its sentence
        before = ms[s0 : p.open]
        prev = pieces[idx - 1] if idx > 0 else None
        if before.rstrip().endswith(":") and _is_link_intro(before):
            p.scare = True
            return None, None, None
        if (
            prev is not None
            and prev.after_end is not None
            and _only_attribution_between(ms, prev.after_end, p.open)
            and on("continues_split_quote")
        ):
            p.cont, p.rule = prev, "continues_split_quote"
            return None, None, None
        colon_or_comma = before.rstrip().endswith((":", ","))
        # "When Cole suggested …, Park fired back: “…”": the main clause first, then the whole sentence
        im = _SUBJ_START.match(ms, s0, p.open)
        main_lo = im.end() if im else s0
        starts = (main_lo, s0) if main_lo > s0 and ms[main_lo : p.open].strip() else (s0,)
        for lo in starts:
            attr = _attr_in_span(text, ms, lo, p.open, prefer_last=True, sent_lo=lo, agent_hi=s1)
            if attr is not None:
                if attr.how != "according" and on("according_to"):
                    # "According to the Gazette, Reyes said “…”": a nested report, through its outer source
                    outer = _according_to_before(text, ms, s0, attr.m_start)
                    if outer is not None:
                        return outer, "according_to", None
                rule = "according_to" if attr.how == "according" else "cue_before"
                if on(rule):
                    return attr, rule, None
            if colon_or_comma and on("colon_intro") and not _ends_with_passive_cue(ms, lo, p.open):
                # "Park fired back: “…”", "Reyes issued a statement, “…”"
                attr = _subject_attr(text, ms, lo, p.open, self.subjects)
                if attr is not None:
                    return attr, "colon_intro", None
        # a cue later in the sentence: "“…” in its policy, argues Lopez."
        if p.close is not None and on("cue_after_in_sentence"):
            hi = min(s1 if s1 > p.close + 1 else len(ms), nxt_open)
            attr = _attr_in_span(text, ms, p.close + 1, hi, prefer_last=False, sent_lo=s0)
            if attr is not None:
                return attr, "cue_after_in_sentence", None
        return None, None, None

    def signature_after(self, p: _Piece) -> _Attr | None:
        """The signature on the line after this unit, when the quote ends the unit."""
        if p.close is None or self.ms[p.close + 1 :].strip() or not self.on("signature_line"):
            return None
        ui = self.ui + 1
        line = (
            self.doc.texts[ui] if ui < len(self.doc.texts) else self.after_last if ui == len(self.doc.texts) else None
        )
        return None if line is None else _signature_line(line)

    def without_attribution(self, p: _Piece, idx: int, pieces: list[_Piece], s0: int) -> None:
        """No words around the quote name its speaker: a title, a scare quote,
        the subject of a partial quote's sentence, or the speaker of the context."""
        text, options = self.text, self.options
        qtext = text[p.start : p.end]
        nwords = _word_count(qtext)
        if _is_titleish(qtext) and nwords <= options.title_max_words:
            p.scare = True
            return
        # "Reyes called the deal “a disaster”": the sentence's subject
        sub = self.person_subject(s0, p) if p.kind == "partial" and self.on("partial_subject") else None
        if sub is not None:
            p.speaker, p.name, p.cue = self.resolve(_Attr(text[sub[0] : sub[1]], sub[0], sub[1], None, "subject"))
            p.rule = "partial_subject"
        elif nwords <= options.short_quote_words:
            p.scare = True
        elif p.kind == "partial" and self.on("partial_subject") and (sub := self.any_subject(s0, p)) is not None:
            # "The report accuses the mayor of “a pattern of neglect”": a long partial quote
            # belongs to its sentence's subject, an organisation or a document as well as a person
            p.speaker, p.name, p.cue = self.resolve(_Attr(text[sub[0] : sub[1]], sub[0], sub[1], None, "subject"))
            p.rule = "partial_subject"
        elif self.on("inherit_context"):
            _inherit(p, pieces[:idx], self.subjects, self.events, self.ui, self.last_speaker)
            p.rule = "inherit_context"

    def _subject(self, s0: int, p: _Piece) -> tuple[tuple[int, int], str, str, str | None] | None:
        """The sentence's subject before the quote: (span, mention, kind, name), or None."""
        sub = _sentence_subject(self.ms, s0, p.open)
        if sub is None:
            return None
        mention = self.text[sub[0] : sub[1]]
        return (sub, mention, *_mention_name(mention))

    def any_subject(self, s0: int, p: _Piece) -> tuple[int, int] | None:
        """The sentence's subject before the quote, unless it is a pronoun that names no one ("it")."""
        found = self._subject(s0, p)
        if found is None:
            return None
        sub, mention, kind, _name = found
        if kind == "pronoun" and mention.lower() not in PERSON_PRONOUNS:
            return None
        first = mention.split()[0].lower()
        if first.endswith(("ing", "ed")) or first in _NUMBER_WORDS:
            return None  # "Preceded by …", "Fifteen minutes after …": the sentence opens with no subject
        return sub

    def person_subject(self, s0: int, p: _Piece) -> tuple[int, int] | None:
        """The sentence's subject before the quote when it is a person (a name or he/she)."""
        found = self._subject(s0, p)
        if found is None:
            return None
        sub, mention, kind, name = found
        if kind == "pronoun" and mention.lower() in PERSON_PRONOUNS or kind == "person" and self.table.is_person(name):
            return sub
        return None


def _adjacent_rule(attr: _Attr) -> str:
    if attr.how == "dash":
        return "dash_signature"
    return "according_to" if attr.cue is not None and attr.cue.lower() == "according to" else "after_close_mark"


#: number words that open a time or quantity phrase, not a subject ("Fifteen minutes later")
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty hundred".split()
)

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


def _renumber(quotes: list[Quote]) -> list[Quote]:
    """Groups numbered 0, 1, 2 … in order of first appearance."""
    seen: dict[int, int] = {}
    res = []
    for q in quotes:
        g = seen.setdefault(q.quote_group, len(seen))
        res.append(q if g == q.quote_group else q.model_copy(update={"quote_group": g}))
    return res
