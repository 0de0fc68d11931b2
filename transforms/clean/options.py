"""The cleaner's tunables, in one object passed to ``clean_text``.

Defaults are the shipped behaviour.  Benchmarks and ablations pass their own
``CleanOptions`` instead of rewriting module constants; ``disabled_rules`` switches
named rules off (a line-rule name from ``line_rules.LINE_RULES`` or a removal rule
name from ``rules.RULES``: the context and block rules of that name; or a rule of
``rules.KEEP_RULES``, which keep lines the block selection would remove).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True, slots=True)
class CleanOptions:
    #: rule names switched off (for ablations): see the module docstring
    disabled_rules: frozenset[str] = field(default_factory=frozenset)

    #: detect the page's language and score prose with its function words (else English)
    detect_language: bool = True

    # --- article block (article.py) -----------------------------------------------
    #: weight of a line a rule removed that sits inside articles (pictures, ads, link
    #: boxes: they must not split an article) ...
    inline_junk_weight: float = -0.35
    #: ... and of page furniture (menus, footers, prompts)
    junk_weight: float = -1.0
    #: penalty per side on which a line touches another non-blank line: article
    #: paragraphs are set off by blank lines, menus and widgets are runs of lines
    adjacent_penalty: float = 0.4
    #: subtracted from every line's weight before the block search (text path): the
    #: block must be dense in prose
    block_margin: float = 0.5
    #: the same for an extractor's output, which is already the article region
    html_block_margin: float = 0.0
    #: how far above the article block a standfirst may sit (non-blank lines)
    lead_lookback: int = 12
    #: a further block is taken when this dense on its own (absolute, share of the main)
    min_extra_block: float = 12.0
    min_extra_share: float = 0.1
    #: or, at least this dense, when it shares this much vocabulary with the main block
    min_cohesive_block: float = 5.0
    min_cohesion: float = 0.25
    #: an author bio is looked for among this many last paragraphs
    bio_tail: int = 3
    #: at most this many lines between an article line ending with a colon and the next
    #: article line are kept as the list it announces
    list_max_items: int = 80
    #: a table continuing the article: lines before its first row, lines between rows
    table_lead_lines: int = 3
    table_gap: int = 5
    #: a comments header cuts the article only after this many prose paragraphs
    comments_after: int = 3

    # --- context rules (context.py, structure.py) -----------------------------------
    playlist_gap: int = 4
    menu_max_words: int = 4
    menu_min_run: int = 3
    highlight_max_words: int = 40
    highlight_max_items: int = 8
    #: a line this long holding sentences glued together is split at the lost breaks
    glued_min_chars: int = 800

    def __post_init__(self) -> None:
        from transforms.clean.line_rules import LINE_RULE_NAMES
        from transforms.clean.rules import KEEP_RULES, RULES

        object.__setattr__(self, "disabled_rules", frozenset(self.disabled_rules))
        unknown = self.disabled_rules - LINE_RULE_NAMES - RULES.keys() - KEEP_RULES.keys()
        if unknown:
            raise ValueError(f"unknown rule names in disabled_rules: {', '.join(sorted(unknown))}")

    def enabled(self, name: str) -> bool:
        return name not in self.disabled_rules

    @classmethod
    def tunable_names(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.name != "disabled_rules"]


DEFAULT_OPTIONS = CleanOptions()
