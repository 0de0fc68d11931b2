"""The quote stage's tunables, in one object passed in (never read from the environment)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class QuoteOptions:
    """How the quote stage reads a document.

    ``disabled_rules``: attribution rules (names from :data:`transforms.quotes.rules.RULES`)
    to switch off, for ablation: a quote they would attribute falls to the next rule.
    """

    disabled_rules: frozenset[str] = field(default_factory=frozenset)
    #: units (paragraphs or lines) before a quote where its speaker may be named
    #: (pronouns and quotes without attribution look back this far)
    context_units: int = 3
    #: a quote of at most this many words without a cue is a scare quote unless
    #: it is a partial quote whose sentence opens with a person
    short_quote_words: int = 3
    #: a quote whose every significant word is capitalised, of at most this many
    #: words, is a title or a name ("Harbour Tonight"), not speech
    title_max_words: int = 8

    def __post_init__(self) -> None:
        from transforms.quotes.rules import RULE_NAMES

        unknown = set(self.disabled_rules) - RULE_NAMES
        if unknown:
            raise ValueError(
                f"unknown attribution rules: {', '.join(sorted(unknown))} (known: {', '.join(sorted(RULE_NAMES))})"
            )
        object.__setattr__(self, "disabled_rules", frozenset(self.disabled_rules))

    def on(self, rule: str) -> bool:
        return rule not in self.disabled_rules


DEFAULT_OPTIONS = QuoteOptions()
