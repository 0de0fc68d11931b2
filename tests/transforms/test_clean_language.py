"""The page language decides which function words mark prose (transforms/clean/language.py)."""

from __future__ import annotations

from transforms.clean import clean_text
from transforms.clean.language import detect_language

GERMAN = [
    "Der Stadtrat hat am Dienstag nach einer langen Debatte über die Kosten der neuen Brücke den Haushalt beschlossen.",
    "Die Gegner sagten, dass der Plan die Steuern für die Bewohner erhöhen werde, die schon jetzt mehr zahlen als ihre Nachbarn.",
    "Die Bürgermeisterin, die das Projekt seit ihrer Wahl unterstützt, nannte die Abstimmung einen Wendepunkt für die Stadt.",
    "Der Bau soll im nächsten Frühjahr beginnen und mindestens drei Jahre dauern, wie die Verwaltung mitteilte.",
]
MENU = ["Startseite", "Politik", "Wirtschaft", "Sport", "Kultur"]
PAGE = "\n".join(MENU) + "\n\n" + "\n\n".join(GERMAN) + "\n\nImpressum\nDatenschutzerklärung\nKontakt"


def test_language_is_detected_from_the_longer_lines() -> None:
    assert detect_language(PAGE) == "German"
    english = "\n\n".join(
        ["The council approved the budget on Tuesday after a long debate about the cost of the bridge."] * 3
    )
    assert detect_language(english) == "English"
    assert detect_language("Home\nNews\nSport") is None


def test_german_article_is_kept_whole() -> None:
    c = clean_text(PAGE)
    assert [p.text for p in c.paragraphs] == GERMAN
    assert {r.rule for r in c.removed if r.text in ("Impressum", "Datenschutzerklärung", "Kontakt")} == {"footer"}


def test_german_prose_scores_as_prose_only_in_german() -> None:
    # the reason for detecting the language: with English function words alone a German
    # sentence scores like a list of names
    from transforms.clean.engine import rule_set

    line = "Sie sagte, dass die Stadt mit dem Bau nicht warten werde."
    english_sig, _, _, english_score, _ = rule_set().line_facts(line)
    german_sig, _, _, german_score, _ = rule_set(language="German").line_facts(line)
    assert english_sig.stop_share < 0.15 < 0.4 < german_sig.stop_share
    assert german_score > english_score + 1.0
    assert [p.text for p in clean_text(PAGE, language="German").paragraphs] == GERMAN
