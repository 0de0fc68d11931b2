"""Paragraph kinds, the seed requirements, and property tests of clean_text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.clean import clean_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SCORED = ("lead", "heading", "body")


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# --- seeds (issue 2) ------------------------------------------------------------------


def test_seed_000_cnn_playlist_page() -> None:
    c = clean_text(seed("000"))
    for p in c.paragraphs:
        assert "Now playing" not in p.text
        assert not re.search(r"\b\d{2}:\d{2}\b", p.text)
        assert "Getty Images" not in p.text
        assert ".jpg" not in p.text
    article = [p for p in c.paragraphs if p.kind in SCORED]
    assert article[0].text == "Not since the Cold War have relations between the US and Russia been so poor."
    assert [p for p in c.paragraphs if p.kind == "body"][0].text == article[0].text
    assert article[-1].text == (
        "In other words, the conflict may have lost a major player, "
        "but any peaceful end for Syria feels as far away as ever."
    )
    highlights = [p.text for p in c.paragraphs if p.kind == "highlight"]
    assert highlights == [
        "What can the US do, other than leave Russia and Syria to find a solution on their own?",
        "Russia, it seems, is using the Syria conflict to throw its weight around",
    ]
    notes = [p for p in c.paragraphs if p.kind == "editor_note"]
    assert len(notes) == 1 and notes[0].text.startswith("Editor’s Note: Nic Robertson")
    rules = {r.line_no: r.rule for r in c.removed}
    assert rules[80] == "dateline"
    assert rules[72] == "highlights_header"
    assert rules[4] == rules[5] == "video_playlist"
    assert rules[1] == "image_file"
    assert rules[2] == "credit"
    # every non-blank input line is accounted for exactly once
    lines = [i for i, ln in enumerate(seed("000").split("\n"), 1) if ln.strip()]
    assert sorted([p.line_no for p in c.paragraphs] + list(rules)) == lines


def test_seed_001_caption_and_links() -> None:
    c = clean_text(seed("001"))
    first = c.paragraphs[0]
    assert first.kind == "lead"
    assert first.text.startswith("The parties of war won in both Moscow and Washington.")
    rules = {r.text: r.rule for r in c.removed}
    caption = next(t for t in rules if t.startswith("A Civil Defense worker"))
    assert caption.endswith("Photo: Syrian Civil Defense White Helmets / AP")
    assert rules[caption] == "caption"
    assert rules['Also read: "Making sense of the new US-Russian ceasefire in Syria"'] == "related_link"
    assert rules['Recommended: "What\'s at stake for Russia in the new Syrian ceasefire deal"'] == "related_link"
    assert all(not p.text.startswith(("Also read", "Recommended", "A Civil Defense")) for p in c.paragraphs)
    assert len(c.paragraphs) == 24


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_seed_recleaning_keeps_article(prefix: str) -> None:
    c = clean_text(seed(prefix))
    again = clean_text("\n\n".join(p.text for p in c.paragraphs))
    # highlight bullets lose their header on a second pass; the article itself must not change
    keep = [p.text for p in c.paragraphs if p.kind != "highlight"]
    assert [p.text for p in again.paragraphs if p.text in keep] == keep


# --- kinds ----------------------------------------------------------------------------

BODY = [
    "The council approved the budget on Tuesday after a long debate about the cost of the new bridge.",
    "Opponents said the plan would raise taxes for residents who already pay more than their neighbours.",
    "The mayor, who has backed the project since her election, said the vote was a turning point.",
]


def test_heading_inside_article() -> None:
    text = "\n\n".join([BODY[0], BODY[1], "What happens next", BODY[2], BODY[0] + " Again."])
    c = clean_text(text)
    kinds = {p.text: p.kind for p in c.paragraphs}
    assert kinds["What happens next"] == "heading"
    assert kinds[BODY[0]] == "lead"
    assert kinds[BODY[2]] == "body"


def test_trailing_short_line_is_not_a_heading() -> None:
    c = clean_text("\n\n".join([*BODY, "Related topics"]))
    assert [p.text for p in c.paragraphs] == BODY


# --- properties -----------------------------------------------------------------------

WORDS = [
    "the",
    "council",
    "said",
    "Home",
    "News",
    "Share",
    "Now playing",
    "01:51",
    "of",
    "a",
    "Getty Images",
    "vote",
    "“We",
    "win,”",
    "he",
    "Read more:",
    "(CNN) —",
    "Photo:",
    "budget",
    ".",
]
line = st.lists(st.sampled_from(WORDS), min_size=0, max_size=25).map(" ".join)
doc = st.lists(st.one_of(line, st.text(max_size=40)), max_size=30).flatmap(
    lambda lines: st.lists(st.sampled_from(["\n", "\n\n"]), min_size=len(lines), max_size=len(lines)).map(
        lambda seps: "".join(a + b for a, b in zip(lines, seps))
    )
)
any_text = st.one_of(st.text(max_size=400), doc)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(any_text)
def test_never_raises_and_offsets_slice(text: str) -> None:
    c = clean_text(text)
    joined = "\n\n".join(p.text for p in c.paragraphs)
    for i, p in enumerate(c.paragraphs):
        assert p.ordinal == i
        assert joined[p.char_start : p.char_end] == p.text
        assert p.text and p.text in text


@SETTINGS
@given(any_text)
def test_every_line_accounted_for(text: str) -> None:
    c = clean_text(text)
    n_lines = sum(1 for ln in re.split(r"\r\n|\r|\n", text) if ln.strip())
    assert len(c.paragraphs) + len(c.removed) == n_lines


@SETTINGS
@given(any_text)
def test_idempotent(text: str) -> None:
    c = clean_text(text)
    again = clean_text("\n\n".join(p.text for p in c.paragraphs))
    keep = [p.text for p in c.paragraphs if p.kind != "highlight"]
    assert [p.text for p in again.paragraphs if p.text in keep] == keep
