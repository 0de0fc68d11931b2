"""Structure of the page that is no boilerplate: editor's notes, highlights boxes and
datelines (a dateline alone on its line is removed; one opening a paragraph is cut off
and marks where the body starts)."""

from __future__ import annotations

import re

from transforms.clean.line_rules import on_lower
from transforms.clean.options import CleanOptions
from transforms.clean.records import LineRecord
from transforms.text_signals import line_signals, sentence_score

_I = re.IGNORECASE
_EDITOR_NOTE = re.compile(r"^editor['’]?s['’]?\s+note\b", _I)
_HIGHLIGHTS_HEADER = re.compile(
    r"^(?:story highlights|highlights|key points|key takeaways|takeaways|at a glance|in brief|the big picture"
    r"|what you need to know|quick read|tl;?dr|summary|in summary|the story so far)\s*:?$",
    _I,
)
#: "(CNN) —", "WASHINGTON (AP) —", "LA CROSSE, Wis. (AP) —", "LONDON (Reuters) -", "WASHINGTON —"
_DATELINE = re.compile(
    r"^(?:(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3},?\s*(?:[A-Z][a-z]{1,4}\.?\s*)?)?"
    r"\((?:[A-Z][\w.&]*(?:\s+[A-Z][\w.&]*){0,2})\)"
    r"|[A-Z][A-Z.'’-]{2,}(?:\s+[A-Z][A-Z.'’-]+){0,3}(?:,\s*[A-Z][\w.]{1,12}(?:\s+[A-Z][\w.]+)?)?)"
    r"\s*[—–]+|"
    r"^\((?:[A-Z][\w.&]*(?:\s+[A-Z][\w.&]*){0,2})\)\s*-+"
)

_HIGHLIGHTS_HEADER_L = on_lower(_HIGHLIGHTS_HEADER)


def _maybe_dateline(text: str) -> bool:
    head = text[:80]
    return "—" in head or "–" in head or " -" in head


def maybe_structure(text: str, low: str, n_words: int) -> bool:
    """Whether ``mark_structure`` needs to look at the line (a cheap superset of its tests)."""
    return (
        low.startswith("editor")
        or (n_words <= 5 and _HIGHLIGHTS_HEADER_L.match(low) is not None)
        or _maybe_dateline(text)
    )


def mark_structure(records: list[LineRecord], options: CleanOptions, signals=line_signals) -> None:
    """Editor's notes, highlights boxes and datelines (``signals(text, low)``: the page's
    line signals)."""
    highlights = options.enabled("highlights_header")
    datelines = options.enabled("dateline")
    done = 0  # lines before this one were taken into a highlights box
    for i in [k for k, r in enumerate(records) if r.struct]:
        if i < done:
            continue
        r = records[i]
        if r.rule is not None:
            continue
        if r.text[:6].lower() == "editor" and _EDITOR_NOTE.match(r.text):
            r.kind, r.pinned = "editor_note", True
        elif r.sig.n_words <= 5 and _HIGHLIGHTS_HEADER.match(r.text):
            if not highlights:
                continue
            r.rule = "highlights_header"
            j, taken = i + 1, 0
            while j < len(records) and taken < options.highlight_max_items:
                b = records[j]
                if (
                    b.rule is not None
                    or b.sig.n_words > options.highlight_max_words
                    or b.sig.n_words < 4
                    or _EDITOR_NOTE.match(b.text)
                    or _DATELINE.match(b.text)
                    or _HIGHLIGHTS_HEADER.match(b.text)
                ):
                    break
                b.kind, b.pinned = "highlight", True
                taken += 1
                j += 1
            done = j
        elif datelines:
            m = _DATELINE.match(r.text) if _maybe_dateline(r.text) else None
            if m:
                rest = r.text[m.end() :].strip()
                while (m2 := _DATELINE.match(rest)) is not None and m2.end() > 0:
                    rest = rest[m2.end() :].strip()  # "(A) — (B) —": cut them all, or a re-run would
                if not rest:
                    r.rule = "dateline"
                    nxt = next((x for x in records[i + 1 :] if x.rule is None), None)
                    if nxt is not None:
                        nxt.body_start = True
                elif len(rest.split()) >= 3:
                    r.content = rest
                    r.sig = signals(rest, rest.lower())
                    r.score = sentence_score(r.sig)
                    r.body_start = True
