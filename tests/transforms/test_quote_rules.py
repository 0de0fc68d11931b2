"""The attribution rules as data: each rule attributes its own examples, by itself."""

import pytest

from schemas.models import Paragraph
from transforms.quotes import RULES, QuoteOptions, extract_quotes


def paras(text: str) -> list[Paragraph]:
    out, pos = [], 0
    for chunk in text.split("\n\n"):
        out.append(Paragraph(ordinal=len(out), kind="body", text=chunk, char_start=pos, char_end=pos + len(chunk)))
        pos += len(chunk) + 2
    return out


def quote_of(text: str, words: str, options: QuoteOptions | None = None):
    (q,) = [q for q in extract_quotes(paras(text), options=options) if q.text == words]
    return q


@pytest.mark.parametrize(
    "rule, example",
    [(rule, example) for rule in RULES for example in rule.examples],
    ids=lambda v: v.name if hasattr(v, "name") else v[1][:30],
)
def test_rule_attributes_its_examples(rule, example):
    text, words, speaker = example
    q = quote_of(text, words)
    # the resolved name of a person, the mention as written of an organisation or a document
    assert (q.speaker_name or q.speaker, q.attribution) == (speaker, rule.name)
    # by that rule: with it off, the example loses this speaker or goes to another rule
    off = quote_of(text, words, QuoteOptions(disabled_rules=frozenset({rule.name})))
    assert off.attribution != rule.name


@pytest.mark.parametrize(
    "rule, lookalike",
    [(rule, keep) for rule in RULES for keep in rule.keeps],
    ids=lambda v: v.name if hasattr(v, "name") else v[1][:30],
)
def test_rule_keeps_its_lookalikes(rule, lookalike):
    text, words = lookalike
    assert quote_of(text, words).attribution != rule.name


def test_rule_names_are_unique_and_documented():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert all(rule.reads and rule.examples for rule in RULES)


def test_unknown_rule_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown attribution rules: no_such_rule"):
        QuoteOptions(disabled_rules=frozenset({"no_such_rule"}))


@pytest.mark.parametrize(
    "text, words, kind",
    [
        ("\u201cWe will win,\u201d said Tom Reyes.", "We will win,", "person"),
        ("\u201cWe will win,\u201d he said.", "We will win,", "person"),
        ("\u201cThe plan is sound,\u201d the senator said.", "The plan is sound,", "person"),
        ("\u201cTaxes will rise,\u201d the report said.", "Taxes will rise,", "document"),
        ("\u201cWe regret the error,\u201d the statement read.", "We regret the error,", "document"),
        ("\u201cThe talks failed,\u201d according to CNN.", "The talks failed,", "organisation"),
        ("\u201cNo comment at this time,\u201d the White House said.", "No comment at this time,", "organisation"),
        ("\u201cWe will not sign it,\u201d they said.", "We will not sign it,", "unknown"),
        # a state, a document named by its head noun, an office whose name holds a title
        ("\u201cThe talks are over,\u201d Norway said.", "The talks are over,", "organisation"),
        (
            "\u201cThe talks are over,\u201d the official statement of the ministry said.",
            "The talks are over,",
            "document",
        ),
        ("\u201cThe case is closed,\u201d the Department of Justice said.", "The case is closed,", "organisation"),
        ("\u201cThe case is closed,\u201d the head of the agency said.", "The case is closed,", "person"),
    ],
)
def test_speaker_type(text, words, kind):
    assert quote_of(text, words).speaker_type == kind


def test_no_speaker_no_attribution():
    (q,) = extract_quotes(paras("The film \u201cBlue Harbour Nights\u201d opened on Friday."))
    assert (q.kind, q.speaker, q.attribution, q.speaker_type) == ("scare", None, None, None)


# --- the reporting-verb lexicon ---------------------------------------------------


@pytest.mark.parametrize(
    "verb, forms",
    [
        ("argue", ("argues", "argued", "arguing")),
        ("reply", ("replies", "replied", "replying")),
        ("snap", ("snaps", "snapped", "snapping")),
        ("admit", ("admits", "admitted", "admitting")),
        ("stress", ("stresses", "stressed", "stressing")),
        ("agree", ("agrees", "agreed", "agreeing")),
        ("plead", ("pleads", "pleaded", "pleading")),
        ("counter", ("counters", "countered", "countering")),
        # the "u" of "qu" is part of the consonant, so one vowel precedes the "p"
        ("quip", ("quips", "quipped", "quipping")),
        ("shout", ("shouts", "shouted", "shouting")),
    ],
)
def test_regular_morphology(verb, forms):
    from transforms.quotes.lexicon import inflect

    assert inflect(verb) == forms


@pytest.mark.parametrize(
    "text, words, speaker, cue_lemma",
    [
        # verbs no list of articles needs to have shown: the lexicon is a general one
        ("\u201cAnd what about the rest?\u201d Lena Park pressed.", "And what about the rest?", "Lena Park", "press"),
        (
            "\u201cWe never agreed to that,\u201d Tom Reyes shot back.",
            "We never agreed to that,",
            "Tom Reyes",
            "shoot back",
        ),
        ("\u201cIt was a cold winter,\u201d Ann Cole remembered.", "It was a cold winter,", "Ann Cole", "remember"),
        ("\u201cThe vote was fair,\u201d Tom Reyes will say.", "The vote was fair,", "Tom Reyes", "say"),
        # a form that is also a noun is a cue where only a verb can stand
        ("\u201cSales are up,\u201d Lena Park notes.", "Sales are up,", "Lena Park", "note"),
    ],
)
def test_reporting_verbs(text, words, speaker, cue_lemma):
    q = quote_of(text, words)
    assert (q.speaker_name, q.cue_lemma) == (speaker, cue_lemma)


def test_noun_forms_are_not_cues_inside_a_sentence():
    q = quote_of(
        "Tom Reyes read the reports to the board, and Lena Park called the figures \u201cvery "
        "encouraging for the whole region\u201d on Monday.",
        "very encouraging for the whole region",
    )
    assert q.cue is None
