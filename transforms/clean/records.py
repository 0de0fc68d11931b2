"""One line of the page and what the cleaner decided about it."""

from __future__ import annotations

from transforms.text_signals import LineSignals, line_signals, normalise_line, sentence_score


class LineRecord:
    """One non-blank input line and what the cleaner decided about it.

    A plain slotted class (not a dataclass): the cleaner makes one per line of every page,
    and passes the per-line facts it already has, so nothing is recomputed here.
    """

    __slots__ = (
        "line_no", "text", "blank_before", "blank_after", "rule", "kind", "pinned", "body_start", "content",
        "sig", "key", "score", "struct",
    )  # fmt: skip

    def __init__(
        self,
        line_no: int,  # 1-based line of the input text
        text: str,  # stripped line text
        blank_before: bool,
        blank_after: bool,
        rule: str | None = None,  # set when a rule removes the line
        kind: str | None = None,  # set when the line is kept as a paragraph
        pinned: bool = False,  # kept whatever the block selection says (highlights, notes)
        body_start: bool = False,  # a dateline opened this line or stood just above it
        content: str | None = None,  # paragraph text if it differs from `text` (dateline cut)
        sig: LineSignals | None = None,  # signals of the paragraph text (computed if not given)
        key: str | None = None,  # normalised text, for repeat / template matching
        score: float | None = None,  # sentence_score(sig) (computed if not given)
        struct: bool = True,  # may be an editor's note, highlights header or dateline
    ) -> None:
        self.line_no = line_no
        self.text = text
        self.blank_before = blank_before
        self.blank_after = blank_after
        self.rule = rule
        self.kind = kind
        self.pinned = pinned
        self.body_start = body_start
        self.content = content
        if sig is None:
            sig = line_signals(content if content is not None else text)
        self.sig = sig
        self.key = normalise_line(text) if key is None else key
        self.score = sentence_score(sig) if score is None else score
        self.struct = struct

    def __repr__(self) -> str:
        return f"LineRecord({self.line_no}, {self.text[:40]!r}, rule={self.rule!r}, kind={self.kind!r})"

    @property
    def paragraph_text(self) -> str:
        return self.content if self.content is not None else self.text


#: how an extractor writes a bulleted list item (the cleaner judges the item itself)
LIST_MARKERS = frozenset({"- ", "* ", "• "})
