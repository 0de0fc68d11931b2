"""The rule engine: runs the table of ``line_rules`` on each line, once per distinct line.

``LineRuleSet`` compiles the enabled rules into, for every word count, the short list of
rules that look at lines of that length; runs of bare patterns become one regex
alternation.  ``line_facts`` returns everything context-free about a line (signals,
key, the rule that fires, sentence score, whether the structure rules need to look at
it), memoised per rule set: pages of one publisher repeat their menus and footers.
"""

from __future__ import annotations

import re

from transforms.clean.language import stop_token_set
from transforms.clean.line_rules import LINE_RULES, LineRule, LineTest, on_lower
from transforms.clean.records import LIST_MARKERS
from transforms.clean.structure import maybe_structure
from transforms.text_signals import (
    LineSignals,
    line_signals,
    normalise_line,
    sentence_score,
    untracked,
    with_stop_share,
)

#: what ``line_facts`` returns: signals, key, context-free rule, sentence score, and
#: whether the line may be an editor's note, highlights header or dateline
LineFacts = tuple[LineSignals, str, "str | None", float, bool]

#: one step of a compiled rule list: (pre-filter or None, test, rule reported)
_Step = tuple["LineTest | None", LineTest, str]


def _union_step(rules: list[LineRule]) -> _Step:
    """Consecutive bare-pattern rules as one alternation on the lower-cased line."""
    union = re.compile("|".join(f"(?P<g{k}>{on_lower(r.pattern).pattern})" for k, r in enumerate(rules)))  # type: ignore[union-attr]
    labels = {f"g{k}": r.label for k, r in enumerate(rules)}
    match = union.match

    def test(text: str, low: str, sig: LineSignals) -> str | None:
        m = match(low)
        return None if m is None else labels[m.lastgroup or ""]

    return (None, test, "")


def _single_step(rule: LineRule) -> _Step:
    if rule.test is not None:
        return (rule.hint, rule.test, rule.label)
    if rule.pattern is not None:
        match = on_lower(rule.pattern).match
        return (rule.hint, lambda text, low, sig: match(low), rule.label)
    assert rule.hint is not None, f"line rule {rule.name} has neither a test nor a pre-filter"
    return (None, rule.hint, rule.label)


class LineRuleSet:
    """The enabled line rules, compiled per word count, and the memo of line facts."""

    #: only lines shorter than this are memoised: menus, footers, credits and captions
    #: repeat; prose does not (generated pages: 60% of short lines seen again, 1% of
    #: long ones), and memoising it only filled the memo and the CPU caches
    MEMO_MAX_CHARS = 200
    MEMO_MAX_ENTRIES = 65_536

    def __init__(self, rules: tuple[LineRule, ...], language: str | None = None) -> None:
        self.rules = rules
        self.language = language
        tokens = stop_token_set(language) if language else None
        #: the page language's stop tokens (None: the compiled English list)
        self.stop_contains = tokens.__contains__ if tokens else None
        bounds = sorted({r.words[0] for r in rules} | {r.words[1] + 1 for r in rules if r.words[1] < (1 << 29)})
        #: the steps for lines of n words: ``_by_words[min(n, len - 1)]``
        self._by_words: list[tuple[_Step, ...]] = [self._steps(n) for n in range((bounds[-1] if bounds else 0) + 1)]
        self.facts: dict[str, LineFacts] = {}

    def _steps(self, n: int) -> tuple[_Step, ...]:
        steps: list[_Step] = []
        run: list[LineRule] = []
        for rule in self.rules:
            if not rule.words[0] <= n <= rule.words[1]:
                continue
            if rule.pattern_only:
                run.append(rule)
                continue
            if run:
                steps.append(_union_step(run) if len(run) > 1 else _single_step(run[0]))
                run = []
            steps.append(_single_step(rule))
        if run:
            steps.append(_union_step(run) if len(run) > 1 else _single_step(run[0]))
        return tuple(steps)

    def rule_of(self, text: str, sig: LineSignals, low: str | None = None) -> str | None:
        """The first rule of the table that fires on the line (``low``: lower-cased)."""
        if text[:2] in LIST_MARKERS:  # an extractor's list item: judge the item itself
            text = text[2:].lstrip()
            low = text.lower()
        elif low is None:
            low = text.lower()
        steps = self._by_words
        for hint, test, label in steps[min(sig.n_words, len(steps) - 1)]:
            if hint is None or hint(text, low, sig):
                hit = test(text, low, sig)
                if hit:
                    return hit if isinstance(hit, str) else label
        return None

    def signals(self, text: str, low: str) -> LineSignals:
        """The line's signals, its stop share in the page's language."""
        sig = line_signals(text, low)
        return sig if self.stop_contains is None else with_stop_share(sig, low, self.stop_contains)

    def line_facts(self, text: str) -> LineFacts:
        """Everything context-free about a line, from one lower-casing of it."""
        facts = self.facts.get(text)
        if facts is None:
            low = text.lower()
            sig = line_signals(text, low)
            if self.stop_contains is not None:
                sig = with_stop_share(sig, low, self.stop_contains)
            facts = untracked(
                (
                    sig,
                    normalise_line(text, low),
                    self.rule_of(text, sig, low),
                    sentence_score(sig),
                    maybe_structure(text, low, sig.n_words),
                )
            )
            if len(text) < self.MEMO_MAX_CHARS:
                if len(self.facts) >= self.MEMO_MAX_ENTRIES:
                    self.facts.clear()
                self.facts[text] = facts
        return facts


_RULE_SETS: dict[tuple[frozenset[str], str | None], LineRuleSet] = {}


def rule_set(disabled: frozenset[str] = frozenset(), language: str | None = None) -> LineRuleSet:
    """The compiled table without the ``disabled`` rules (by rule name or removal rule),
    scoring prose in ``language`` (jusText's name; None or English: the English list)."""
    if language is not None and stop_token_set(language) is None:
        language = None
    found = _RULE_SETS.get((disabled, language))
    if found is None:
        rules = tuple(r for r in LINE_RULES if r.name not in disabled and r.label not in disabled)
        found = _RULE_SETS[(disabled, language)] = LineRuleSet(rules, language)
    return found


def clear_caches() -> None:
    """Forget the memoised line facts (for cold-cache benchmarks)."""
    for rules in _RULE_SETS.values():
        rules.facts.clear()
