"""The table of line rules (transforms/clean/line_rules.py), checked example by example.

Every rule carries lines it must remove and look-alikes that must be kept.  Each example
must pass the rule's own pre-filter and test (so a regex cannot silently never fire behind
a hint), and the whole table, in its order, must report the rule's removal name for it.
"""

from __future__ import annotations

import pytest

from transforms.clean import RULES, CleanOptions, clean_text
from transforms.clean.engine import rule_set
from transforms.clean.line_rules import LINE_RULES, LineRule
from transforms.text_signals import line_signals

REMOVES = [(rule, line) for rule in LINE_RULES for line in rule.removes]
KEEPS = [(rule, line) for rule in LINE_RULES for line in rule.keeps]


def _id(case: tuple[LineRule, str]) -> str:
    return f"{case[0].name}:{case[1][:30]}"


@pytest.mark.parametrize("case", REMOVES, ids=list(map(_id, REMOVES)))
def test_rule_removes_its_examples(case: tuple[LineRule, str]) -> None:
    rule, line = case
    low = line.lower()
    sig = line_signals(line, low)
    assert rule.words[0] <= sig.n_words <= rule.words[1], "example outside the rule's word range"
    assert rule.hint is None or rule.hint(line, low, sig), "example does not pass the rule's pre-filter"
    assert rule.fires(line, low, sig)
    assert rule_set().rule_of(line, sig) == rule.label, "an earlier rule of the table takes the example"


@pytest.mark.parametrize("case", KEEPS, ids=list(map(_id, KEEPS)))
def test_table_keeps_look_alikes(case: tuple[LineRule, str]) -> None:
    _, line = case
    assert rule_set().rule_of(line, line_signals(line)) is None


def test_every_rule_has_examples_and_a_documented_name() -> None:
    for rule in LINE_RULES:
        assert rule.removes, rule.name
        assert rule.label in RULES, rule.name


def test_disabled_rule_no_longer_fires() -> None:
    line = "Share this article"
    assert rule_set().rule_of(line, line_signals(line)) == "share_prompt"
    assert rule_set(frozenset({"share_prompt"})).rule_of(line, line_signals(line)) is None
    text = "\n".join(["Home", line, "News"])
    off = clean_text(text, options=CleanOptions(disabled_rules=frozenset({"share_prompt"})))
    assert {r.rule for r in clean_text(text).removed if r.text == line} == {"share_prompt"}
    assert "share_prompt" not in {r.rule for r in off.removed}


def test_unknown_rule_name_is_refused() -> None:
    with pytest.raises(ValueError, match="no_such_rule"):
        CleanOptions(disabled_rules=frozenset({"no_such_rule"}))
