"""Unit tests for the boilerplate rules of transforms.clean (fixtures are literals)."""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms.clean import RULES, CleanedText, clean_text, find_template_lines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "clean"

PROSE = [
    "The council approved the budget on Tuesday after a long debate about the cost of the new bridge.",
    "Opponents said the plan would raise taxes for residents who already pay more than their neighbours.",
    "The mayor, who has backed the project since her election, said the vote was a turning point for the city.",
    "Construction is expected to start next spring and to last at least three years, officials said.",
]


def article(*middle: str, before: tuple[str, ...] = (), after: tuple[str, ...] = ()) -> str:
    """Prose paragraphs (blank-line separated) with extra lines in between/around."""
    parts = list(before) + [PROSE[0], PROSE[1], *middle, PROSE[2], PROSE[3]] + list(after)
    return "\n\n".join(parts)


def texts(c: CleanedText) -> list[str]:
    return [p.text for p in c.paragraphs]


def rule_of(c: CleanedText, text: str) -> str | None:
    for r in c.removed:
        if r.text == text:
            return r.rule
    return None


def test_prose_passes_through() -> None:
    c = clean_text(article())
    assert texts(c) == PROSE
    assert c.removed == []
    assert c.paragraphs[0].kind == "lead"
    assert {p.kind for p in c.paragraphs[1:]} == {"body"}


def test_offsets_index_joined_text() -> None:
    c = clean_text(article("(Photo by Jane Doe/Getty Images)"))
    joined = "\n\n".join(texts(c))
    for p in c.paragraphs:
        assert joined[p.char_start : p.char_end] == p.text


def test_every_rule_name_is_documented() -> None:
    page = (FIXTURES / "boilerplate_page.txt").read_text(encoding="utf-8")
    c = clean_text(page)
    assert {r.rule for r in c.removed} <= set(RULES)


@pytest.mark.parametrize(
    ("block", "rule"),
    [
        (
            "Now playing\n01:51\nUS suspends talks with Russia over Syria\nNow playing\n02:36\nAnother clip title here",
            "video_playlist",
        ),
        ("JUST WATCHED\nStorm hits the coast\nReplay\nMUST WATCH\nStorm hits the coast 02:11", "video_playlist"),
        ("storm_coast_0012.jpg", "image_file"),
        ("Paul Morigi/Getty Images", "credit"),
        ("Photo: John Smith / Reuters", "credit"),
        ('Also read: "Making sense of the new ceasefire"', "related_link"),
        ('Recommended: "What is at stake in the talks"', "related_link"),
        ("Read more", "related_link"),
        ("READ MORE: Why the council changed its mind", "related_link"),
        ("Share this article", "share_prompt"),
        ("Sign up for our morning newsletter", "newsletter_prompt"),
        (
            "We use cookies to personalise content and ads. By clicking Accept you consent to our use of cookies.",
            "cookie_prompt",
        ),
        ("© 2024 Example News. All rights reserved.", "footer"),
        ("Advertisement", "advertisement"),
        ("By Jane Doe and John Smith", "byline"),
        ("Nov. 20, 2019 5:52 AM EST", "timestamp"),
        ("Associated Press writers Jane Doe and John Roe contributed to this report.", "contributor_line"),
        ("With reporting by Jane Doe", "contributor_line"),
        (
            "We independently select everything we recommend. Buying through us may earn us a commission.",
            "affiliate_disclaimer",
        ),
        ("— Jane Doe (@janedoe) May 6, 2025", "embedded_post"),
        ("COUNCIL BOSS QUITS AFTER ROW OVER BRIDGE COSTS AND DELAYS", "caps_teaser"),
        ("Click here to download our app and never miss a story you care about", "call_to_action"),
        (
            "This website uses cookies to improve your experience while you navigate through the website.",
            "cookie_prompt",
        ),
        ("Most read in Football", "related_link"),
        ("View all (23)", "related_link"),
        ("2 NY RESIDENTS ALLEGEDLY RAN SECRET POLICE STATION: 'SIGNIFICANT MATTER'", "caps_teaser"),
        ("2:05 Russia launches largest sustained attack of the war", "video_playlist"),
        ("We apologize, but this video has failed to load.", "video_playlist"),
    ],
)
def test_rule_fires(block: str, rule: str) -> None:
    c = clean_text(article(block))
    assert texts(c) == PROSE
    lines = [ln for ln in block.split("\n") if ln.strip()]
    assert [rule_of(c, ln) for ln in lines] == [rule] * len(lines)


def test_caption_with_credit_tail_and_repeat() -> None:
    cap = "A rescue worker carries a child after the strike in Aleppo. Photo: Civil Defense / AP"
    c = clean_text(article(cap, cap))
    assert texts(c) == PROSE
    assert rule_of(c, cap) == "caption"


def test_caption_next_to_credit() -> None:
    cap = "Former minister Jane Doe and her deputy were criticised for not consulting the office"
    c = clean_text(article("EPA\n" + cap))
    assert texts(c) == PROSE
    assert rule_of(c, "EPA") == "credit"
    assert rule_of(c, cap) == "caption_next_to_credit"


def test_menu_run_removed() -> None:
    c = clean_text(article(before=("Home\nNews\nSport\nBusiness\nCulture",)))
    assert texts(c) == PROSE
    assert rule_of(c, "Sport") == "menu"


def test_template_lines() -> None:
    promo = "Get the best of our journalism every weekday, free of charge, straight to you."
    docs = ["\n\n".join([f"In story {i}, " + p[0].lower() + p[1:] for p in PROSE] + [promo]) for i in range(4)]
    tpl = find_template_lines(docs)
    assert tpl == {"get the best of our journalism every weekday, free of charge, straight to you."}
    c = clean_text(docs[0], template_lines=tpl)
    assert len(c.paragraphs) == len(PROSE)
    assert rule_of(c, promo) == "template_line"


def test_template_lines_need_enough_docs() -> None:
    docs = [f"Story {i}.\n\nSome shared promo line that repeats." for i in range(2)]
    assert find_template_lines(docs) == frozenset()
    # a line in only a minority of a big group is not template
    many = [f"Story {i}." for i in range(10)] + [f"Story {i}.\n\nRare line" for i in range(10, 13)]
    assert "rare line" not in find_template_lines(many)


# --- rules that must NOT fire --------------------------------------------------------


def test_short_real_paragraph_kept() -> None:
    short = "It did not."
    c = clean_text(article(short))
    assert short in texts(c)


def test_short_quote_paragraphs_kept() -> None:
    quotes = ["“We will win,” he said.", "“No,” she replied.", "“It is over,” Smith told reporters."]
    c = clean_text(article(*quotes))
    assert texts(c) == PROSE[:2] + quotes + PROSE[2:]


def test_quote_that_looks_like_a_caption_kept() -> None:
    q = "“I took the photo from the roof,” said Jane Doe, a photographer for Reuters."
    c = clean_text(article(q))
    assert q in texts(c)


def test_body_paragraph_starting_with_read_more_kept() -> None:
    para = "Read more about the plan in the council report, which runs to 300 pages and was published on Monday."
    c = clean_text(article(para))
    assert para in texts(c)


def test_paragraph_mentioning_newsletter_kept() -> None:
    para = "The company said in its newsletter that it would subscribe to the new rules by the end of the year."
    c = clean_text(article(para))
    assert para in texts(c)


def test_repeated_short_sentence_kept() -> None:
    c = clean_text(article("“Yes,” he said.", "“Yes,” he said."))
    assert texts(c).count("“Yes,” he said.") == 2


# --- structure: datelines, editor's notes, highlights, title -------------------------


def test_dateline_alone_and_inline() -> None:
    c = clean_text("(CNN) —\n\n" + "\n\n".join(PROSE))
    assert rule_of(c, "(CNN) —") == "dateline"
    assert texts(c) == PROSE
    c2 = clean_text("\n\n".join(["WASHINGTON (AP) — " + PROSE[0], *PROSE[1:]]))
    assert texts(c2) == PROSE
    assert c2.paragraphs[0].line_no == 1


def test_editor_note_and_highlights() -> None:
    text = "\n\n".join(
        [
            "Story highlights",
            "The council approved the budget after a long debate",
            "Opponents fear higher taxes",
            "Editor’s Note: Jane Doe is a columnist. The opinions are her own.",
            *PROSE,
        ]
    )
    c = clean_text(text)
    kinds = [(p.kind, p.text[:20]) for p in c.paragraphs]
    assert kinds[0][0] == kinds[1][0] == "highlight"
    assert kinds[2][0] == "editor_note"
    assert rule_of(c, "Story highlights") == "highlights_header"
    assert texts(c)[3:] == PROSE


def test_title_recognised() -> None:
    text = "Home\nNews\nSport\n\nCouncil approves budget for new bridge\n\nBy Jane Doe\n\n" + "\n\n".join(PROSE)
    c = clean_text(text)
    assert c.title == "Council approves budget for new bridge"
    assert rule_of(c, "Council approves budget for new bridge") == "title"
    assert texts(c) == PROSE


def test_empty_and_blank_input() -> None:
    assert clean_text("").paragraphs == []
    c = clean_text("\n\n  \n")
    assert c.paragraphs == [] and c.removed == []


def test_html_source_keeps_extractor_paragraphs() -> None:
    c = clean_text("\n\n".join(PROSE + ["Share this article"]), source="html")
    assert texts(c) == PROSE


def test_caps_heading_is_not_a_teaser() -> None:
    c = clean_text(article("WHAT HAPPENS NEXT"))
    assert "WHAT HAPPENS NEXT" in texts(c)


def test_article_quote_with_you_is_not_a_call_to_action() -> None:
    q = "“If you subscribe to that theory, you will be disappointed,” the minister told reporters."
    c = clean_text(article(q))
    assert q in texts(c)


def test_table_rows_kept_inside_article() -> None:
    table = "Ticker\tSecurity\tLast\t\nHD\tHOME DEPOT\t225.86\t"
    c = clean_text(article(table))
    assert "HD\tHOME DEPOT\t225.86" in texts(c)


def test_article_interrupted_by_widget_is_kept_whole() -> None:
    widget = "\n".join(
        [
            "Most Popular",
            "Storm closes coastal roads",
            "Schools to reopen on Monday",
            "Local team wins the cup",
            "Weather warning for the weekend",
            "Prices at the pump rise again",
            "New mayor sworn in",
            "Bridge plan explained",
            "Market report",
            "Traffic update",
        ]
    )
    more = [
        "The bridge will be built by a consortium of three firms, the council confirmed in a statement on Friday.",
        "Residents will be able to comment on the final design at two public meetings planned for the spring.",
        "The council expects the bridge to carry about twenty thousand vehicles a day once it opens in 2028.",
        "Traffic on the old crossing has doubled in the past decade, according to figures published last year.",
        "Engineers have warned that the old crossing will need major repairs within the next five years.",
    ]
    intro = PROSE + [
        "Critics of the bridge have until the end of the month to lodge a formal objection with the council."
    ]
    text = "\n\n".join(intro + [widget] + more)
    c = clean_text(text)
    assert texts(c) == intro + more


def test_extractor_list_items_have_their_own_kind() -> None:
    c = clean_text(
        "\n\n".join([PROSE[0], "- First point of the plan", "- Second point of the plan", PROSE[1]]), source="html"
    )
    kinds = {p.text: p.kind for p in c.paragraphs}
    assert kinds["- First point of the plan"] == "list_item"
    assert kinds[PROSE[1]] == "body"


def test_comments_section_cut_after_article() -> None:
    comments = [
        "Comments",
        "Richard Bryant says:",
        "I think the council has got this completely wrong and the bridge will never be finished on time.",
        "Jane Roe says:",
        "Very well said! The money would be better spent on schools and on the hospital in the town centre.",
    ]
    c = clean_text(article(after=tuple(comments)))
    assert texts(c) == PROSE
    assert rule_of(c, "Richard Bryant says:") == "comment"
    assert rule_of(c, comments[2]) == "comment"


def test_comments_link_before_article_does_not_cut() -> None:
    c = clean_text(article(before=("Comments",)))
    assert texts(c) == PROSE


def test_site_prompt_speaking_as_itself() -> None:
    prompt = "Just R20 for the first month. Support independent journalism by subscribing to our digital package."
    c = clean_text(article(prompt))
    assert rule_of(c, prompt) == "call_to_action"


def test_promo_box_blurb_between_prompts() -> None:
    box = "Sign up to This is Europe\nThe most pressing stories and debates for Europeans\nEnter your email address"
    c = clean_text(article(box))
    assert texts(c) == PROSE
    assert rule_of(c, "The most pressing stories and debates for Europeans") == "newsletter_prompt"


def test_author_bio_at_the_end_only() -> None:
    bio = "Jane Doe is a senior politics reporter for Example News."
    c = clean_text(article(after=(bio,)))
    assert rule_of(c, bio) == "author_bio"
    # the same kind of sentence inside the story, about someone in it, stays
    mid = "John Roe is a reporter for the Daily Planet who covered the council for a decade."
    c = clean_text("\n\n".join([PROSE[0], mid, PROSE[1], PROSE[2], PROSE[3]]))
    assert mid in texts(c)


def test_paragraphs_run_together_are_split() -> None:
    # a scraper joined block elements without a separator: "…bridge.Opponents said …"
    paragraphs = [f"{p[:-1]}, the {n} report says." for n in ("first", "second", "third") for p in PROSE]
    glued = "".join(paragraphs)
    assert len(glued) >= 800
    c = clean_text("Council approves bridge\n\n" + glued)
    assert texts(c)[-12:] == paragraphs
    assert {p.line_no for p in c.paragraphs[-12:]} == {3}  # all from the one input line
    assert texts(clean_text("\n\n".join(texts(c)))) == texts(c)


@pytest.mark.parametrize(
    ("paragraph", "rule"),
    [
        # must not fire: abbreviations, decimals and a short glued line (kept, or
        # removed whole by its own rule, never cut into pieces)
        (" ".join(["The U.S. envoy, who holds a Ph.D. in economics, said growth of 3.5% was likely."] * 10), None),
        ("Read more.Click here for the full story of the bridge vote and what it means for you.", "call_to_action"),
    ],
)
def test_ordinary_lines_are_not_split(paragraph: str, rule: str | None) -> None:
    c = clean_text(article(paragraph))
    if rule is None:
        assert paragraph in texts(c)
    else:
        assert rule_of(c, paragraph) == rule
    assert texts(c) == (PROSE[:2] + [paragraph] + PROSE[2:] if rule is None else PROSE)


def test_clear_caches_forgets_line_facts() -> None:
    from transforms.clean import clear_caches
    from transforms.clean.engine import rule_set

    clean_text(article())
    assert rule_set().facts
    clear_caches()
    assert not rule_set().facts


def test_learned_template_lines_are_removed_as_template_on_both_paths():
    from transforms.clean import template_key

    appeal = (
        "Our reporters spend weeks on stories like this one, and readers like you make that work possible every day."
    )
    story = [
        "The harbour board approved the dredging contract on Tuesday after a meeting that ran for four hours.",
        "Members said they expected the work to start in the spring, once the fishing season is over.",
        "Residents asked for more detail on the costs, which the board promised to publish next month.",
    ]
    text = "\n\n".join([story[0], appeal, *story[1:]])
    learned = frozenset({template_key(appeal)})
    for source in ("text", "html"):
        plain = clean_text(text, source=source)
        assert appeal in [p.text for p in plain.paragraphs]
        cleaned = clean_text(text, source=source, learned_template_lines=learned)
        assert [r.rule for r in cleaned.removed if r.text == appeal] == ["template"]
        assert [p.text for p in cleaned.paragraphs] == [p.text for p in plain.paragraphs if p.text != appeal]
