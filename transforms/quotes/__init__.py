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
    _Piece,
    _has_marks,
    _is_link_intro,
    _is_partial,
    _is_titleish,
    _lines,
    _mask_quotes,
    _only_attribution_between,
    _word_count,
)
from transforms.quotes.names import PERSON_PRONOUNS
from transforms.quotes.phrases import _SUBJ_START, _sentence_subject
from transforms.quotes.resolution import _mention_name, _resolve, _Table
from transforms.quotes.rules import _Attr, _attr_after_adjacent, _attr_in_span, _subject_attr

__all__ = ["extract_quotes", "CUE_LEMMAS"]


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
                    if sub is not None:
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


def _renumber(quotes: list[Quote]) -> list[Quote]:
    """Groups numbered 0, 1, 2 … in order of first appearance."""
    seen: dict[int, int] = {}
    res = []
    for q in quotes:
        g = seen.setdefault(q.quote_group, len(seen))
        res.append(q if g == q.quote_group else q.model_copy(update={"quote_group": g}))
    return res
