"""What a document says around its quotes: units, sentences, subjects and mentions."""

from __future__ import annotations

from bisect import bisect_left

from transforms.quotes.marks import _MASK, _Piece, _sentence_bounds
from transforms.quotes.names import FUNCTION_CAPS, clean_name
from transforms.quotes.resolution import _HONORIFIC, _mention_name, _note_roles, _Table
from transforms.quotes.rules import _attr_in_span
from transforms.quotes.scanning import _ROLE_ODD, _ROLE_SCAN, _add_names, _cap_runs, _cue_starts


class _Events:
    """Person mentions per unit, for pronouns and descriptions.

    A unit's mentions are those of its sentences (subjects, weight 1; speakers
    of indirect speech, weight 2), then the speakers of its quotes (weight 2)
    in the order they are resolved.  The sentence mentions are worked out on
    first use by ``sentence_mentions(unit)``: most units are never asked about.
    """

    __slots__ = ("sentence_mentions", "max_back", "_sentences", "_speakers")

    def __init__(self, sentence_mentions, max_back: int = 3) -> None:
        self.sentence_mentions = sentence_mentions
        self.max_back = max_back  # units a pronoun looks back
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

    def last(self, para: int, off: int, min_weight: int = 1, max_back: int | None = None, accept=None) -> str | None:
        """The nearest name before (para, off) with at least ``min_weight`` (and
        ``accept``-ed), at most ``max_back`` units back; of two at one offset the
        one found later."""
        if max_back is None:
            max_back = self.max_back
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
        speech in it ("…, adds Lopez.", weight 2)."""
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
                # "Sen. Ann Cole", "Cole, the senator,", "Mr. Reyes"
                _note_roles(table, joined, lo, hi, r0, r1, run, name, ui)


def _inherit(p: _Piece, earlier: list[_Piece], subjects_of, events: _Events, ui: int, last_speaker) -> None:
    """A quote without attribution: the speaker of the context."""
    for prev in reversed(earlier):
        if (
            prev.kind != "scare"
            and prev.speaker is not None
            and (
                prev.kind == "direct"
                or p.kind == "partial"
                # "X “did well” in 2010, said Dan Hill. “That was …”": the
                # attribution between the two quotes covers the second as well
                or prev.attr is not None
                and prev.close is not None
                and prev.attr.m_start > prev.close
            )
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
