"""Boilerplate cleaner for scraped article text: lines in, paragraphs and removals out.

``clean_text`` is the one entry point.  It works on lines (a visible-text dump has one
block per line and article paragraphs set off by blank lines), in four steps, one module
each:

1. ``line_rules`` — one table of named rules that recognise furniture by a line's own
   text (video-playlist markers and durations, image file names, credits and captions,
   "Also read:" links, share / newsletter / cookie prompts, footers, bylines, timestamps),
   run by ``engine``; plus the publisher's template lines (``templates``);
2. ``context`` — rules that extend those hits to what sits between them (the titles
   inside a video playlist, the caption next to a credit, the blurb inside a newsletter
   box, menus, lines repeated within the page); ``structure`` marks editor's notes,
   highlights boxes and datelines;
3. ``article`` — picks the article block by prose shape and assigns paragraph kinds;
   everything outside it is removed as ``outside_article_block``.

Every removed line is reported with its rule (see ``RULES``); kept paragraph text is the
input line, stripped (a leading dateline such as "WASHINGTON (AP) —" is the only thing
cut off).  Cleaning is idempotent: ``_settle`` re-runs the decisions on the kept lines
alone until nothing changes, as ``clean_text`` on its own output would.  Tunables and
switched-off rules come in a ``CleanOptions``.

Pure: no I/O, no configuration reads.  Per-line facts are memoised (``engine``), which
only saves time.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from schemas.models import Paragraph, RemovedLine
from transforms.clean.article import segment_paragraphs
from transforms.clean.context import (
    MEDIA_RULES,
    PROMO_RULES,
    mark_captions,
    mark_menus,
    mark_playlists,
    mark_promo_boxes,
    mark_repeats,
)
from transforms.clean.engine import LineRuleSet, clear_caches, rule_set
from transforms.clean.language import detect_language
from transforms.clean.options import DEFAULT_OPTIONS, CleanOptions
from transforms.clean.records import LineRecord
from transforms.clean.rules import RULES
from transforms.clean.structure import mark_structure
from transforms.clean.templates import find_template_lines, template_key

__all__ = ["CleanedText", "CleanOptions", "clean_text", "clear_caches", "find_template_lines", "template_key", "RULES"]


class CleanedText(BaseModel):
    """The cleaned article: paragraphs (offsets index their "\\n\\n" join) and removals."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    paragraphs: list[Paragraph]
    removed: list[RemovedLine]
    title: str | None
    #: jusText's name of the language the prose was scored in ("German"), None when unclear
    language: str | None = None


def clean_text(
    text: str,
    *,
    template_lines: frozenset[str] = frozenset(),
    learned_template_lines: frozenset[str] = frozenset(),
    source: Literal["text", "html"] = "text",
    options: CleanOptions = DEFAULT_OPTIONS,
    language: str | None = None,
) -> CleanedText:
    """Split ``text`` into article paragraphs and removed boilerplate lines.

    ``template_lines`` are ``template_key`` values (see :func:`find_template_lines`) to
    drop as the publisher's template.  ``source="html"`` says the text is an extractor's
    output (already without most page furniture), which relaxes the block heuristics.
    ``language`` (jusText's name, e.g. "German") is detected from the page when not
    given; prose is scored with that language's function words.
    Deterministic and idempotent: cleaning the joined paragraphs again keeps them.
    ``learned_template_lines`` are keys the caller kept from earlier runs (the warehouse's
    ``templates``): removed alike, under the rule ``template``.
    """
    if language is None and options.detect_language:
        language = detect_language(text)
    rules = rule_set(options.disabled_rules, language)
    if not options.enabled("template_line"):
        template_lines = frozenset()
    learned = learned_template_lines if options.enabled("template") else frozenset()
    if learned:
        template_lines = template_lines | learned
    records, hits = _records(text, template_lines, rules, options)
    title = _decide(records, hits, source, options, rules)
    title = _settle(records, template_lines, source, title, rules, options)

    # plain dicts validated in one pydantic call: half the cost of building each model
    paragraphs: list[dict] = []
    removed: list[dict] = []
    pos = 0
    for r in records:
        if r.kind is not None and r.rule is None:
            body = r.paragraph_text
            if paragraphs:
                pos += 2
            paragraphs.append(
                {
                    "ordinal": len(paragraphs),
                    "kind": r.kind,
                    "text": body,
                    "char_start": pos,
                    "char_end": pos + len(body),
                    "line_no": r.line_no,
                }
            )
            pos += len(body)
        else:
            rule = r.rule or "short_fragment"
            if rule == "template_line" and learned and r.key in learned:
                rule = "template"
            removed.append({"line_no": r.line_no, "text": r.text, "rule": rule})
    return CleanedText.model_validate(
        {"paragraphs": paragraphs, "removed": removed, "title": title, "language": language}
    )


def _split_lines(text: str) -> list[str]:
    """``text`` split at \\r\\n, \\r or \\n, with C string methods."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


#: A long line that holds a sentence glued to the next ("…several years.A series of …")
#: is several paragraphs whose breaks the scraper lost (block elements joined without a
#: separator); shorter lines (``options.glued_min_chars``) are left alone: "St.Louis"
#: is one paragraph.
_GLUED = re.compile(r"(?<=[a-z0-9][.!?])(?=[A-Z][a-z])|(?<=[a-z0-9][.!?][\"\u201d\u2019])(?=[A-Z][a-z])")


def _unglued(line: str, min_chars: int) -> list[str]:
    """``line``, or its paragraphs when it is several run together."""
    if len(line) < min_chars or _GLUED.search(line) is None:
        return [line]
    return [part.strip() for part in _GLUED.split(line) if part.strip()]


def _records(
    text: str, template_lines: frozenset[str], rules: LineRuleSet, options: CleanOptions
) -> tuple[list[LineRecord], list[int]]:
    """The page's non-blank lines, with the context-free line rules applied; and the
    indices of the lines those rules removed."""
    out: list[LineRecord] = []
    hits: list[int] = []
    prev_blank = True
    glued_min = options.glued_min_chars
    # runs on every line of every page: ``_line_record`` and ``_unglued`` inlined
    facts_of, line_facts, glued = rules.facts.get, rules.line_facts, _GLUED.search
    for no, line in enumerate(map(str.strip, _split_lines(text)), start=1):
        if not line:
            if not prev_blank:
                out[-1].blank_after = True
            prev_blank = True
            continue
        parts = (line,) if len(line) < glued_min or glued(line) is None else _unglued(line, glued_min)
        for part, s in enumerate(parts):
            if part:  # a paragraph break the scraper lost
                out[-1].blank_after = prev_blank = True
            sig, key, rule, score, struct = facts_of(s) or line_facts(s)
            if template_lines and key in template_lines:
                rule = "template_line"
            if rule is not None:
                hits.append(len(out))
            out.append(LineRecord(no, s, prev_blank, False, rule, None, False, False, None, sig, key, score, struct))
            prev_blank = False
    if not prev_blank:
        out[-1].blank_after = True
    return out, hits


def _line_record(
    line_no: int, text: str, blank_before: bool, blank_after: bool, template_lines: frozenset[str], rules: LineRuleSet
) -> LineRecord:
    """A line with its memoised facts and its context-free rule (``rule``), if any."""
    sig, key, rule, score, struct = rules.facts.get(text) or rules.line_facts(text)
    if template_lines and key in template_lines:
        rule = "template_line"
    return LineRecord(line_no, text, blank_before, blank_after, rule, None, False, False, None, sig, key, score, struct)


def _decide(
    records: list[LineRecord],
    hits: list[int],
    source: str,
    options: CleanOptions,
    rules: LineRuleSet,
    *,
    isolated: bool = False,
) -> str | None:
    """The context rules and the block selection, on records whose line rules are applied
    (``hits``: the lines they removed).  ``isolated``: every line has a blank line on both
    sides (the joined paragraphs)."""
    enabled = options.enabled
    if hits:
        if enabled("video_playlist"):
            mark_playlists(records, [i for i in hits if records[i].rule == "video_playlist"], options)
        if enabled("caption_next_to_credit"):
            mark_captions(records, [i for i in hits if records[i].rule in MEDIA_RULES])
        if enabled("newsletter_prompt"):
            mark_promo_boxes(records, [i for i in hits if records[i].rule in PROMO_RULES])
    mark_structure(records, options, rules.signals)
    if enabled("repeated_line"):
        mark_repeats(records)
    if not isolated and enabled("menu"):  # a menu is a run of adjacent lines: there is none among isolated lines
        mark_menus(records, options)
    return segment_paragraphs(records, options, source=source)


_MAX_SETTLE_ROUNDS = 3


def _settle(
    records: list[LineRecord],
    template_lines: frozenset[str],
    source: str,
    title: str | None,
    rules: LineRuleSet,
    options: CleanOptions,
) -> str | None:
    """Re-run the decisions on the kept paragraphs alone (as ``clean_text`` would see its
    own output) until nothing more is removed, so that cleaning is idempotent."""
    for _ in range(_MAX_SETTLE_ROUNDS):
        kept = [r for r in records if r.kind is not None and r.rule is None]
        if not kept:
            return title
        # the line rules are context-free: only a line whose text changed (dateline cut)
        # needs them again; the context rules and the block selection all run again
        again: list[LineRecord] = []
        hits: list[int] = []
        for r in kept:
            if r.content is None:
                again.append(
                    LineRecord(
                        r.line_no, r.text, True, True, None, None, False, False, None, r.sig, r.key, r.score, r.struct
                    )
                )
            else:
                record = _line_record(r.line_no, r.content, True, True, template_lines, rules)
                if record.rule is not None:
                    hits.append(len(again))
                again.append(record)
        t2 = _decide(again, hits, source, options, rules, isolated=True)
        changed = False
        for r, a in zip(kept, again):
            if a.rule is not None and not r.pinned:
                r.rule, r.kind = a.rule, None
                changed = True
            elif a.kind is not None and a.kind != r.kind and not r.pinned:
                r.kind = a.kind
        if title is None and t2 is not None:
            title = t2
        if not changed:
            return title
    return title
