"""The article-block decisions of transforms/clean/article.py, each with the page shape it
must fire on and the look-alike it must keep apart (these were the cleaner's mutations that
no test caught: bench/mutation_trial.py)."""

from __future__ import annotations

from transforms.clean import clean_text

TITLE = "Council approves harbour budget"
HARBOUR = [
    "The vote followed a four-hour debate in which members argued over how the harbour money should be raised and spent across the district.",
    "Supporters said the harbour defences were overdue after two winters of storms had flooded the lower town and closed the ferry terminal for weeks.",
    "Opponents warned that the harbour plan would push up local taxes and said the council had not consulted residents who live along the river.",
    "Engineers from the harbour board told members that the existing sea wall had been patched many times since it was built in the 1950s.",
    "The budget now goes to the regional authority, which must sign it off before the end of the financial year in April.",
    "Engineers expect the first section of the new sea wall to be finished by the autumn, with the rest following over two years.",
    "Residents along the harbour will be invited to a public meeting next month to see the sea wall designs and question the engineers.",
    "The harbour master said the sea wall work would be timed so that the ferry timetable and the fishing fleet would be disrupted as little as possible.",
]
#: a share bar long enough to split the page into two runs of prose
SHARE_BAR = [
    "Share on Facebook",
    "Share on Twitter",
    "Share by email",
    "Sign up for our newsletter",
    "Follow us on Instagram",
    "Subscribe now",
    "Print this page",
    "Advertisement",
    "Share on WhatsApp",
    "Copy link",
]
OTHER_TOPIC = [
    "A celebrity chef opened a pop-up bakery in the capital, selling sourdough loaves to queues of tourists every morning.",
    "Fashion buyers flocked to the autumn shows in Milan, where designers sent bright knitwear and tall boots down the catwalk.",
]


def _page(*lines: str):
    cleaned = clean_text("\n\n".join(lines))
    return [(p.kind, p.text) for p in cleaned.paragraphs], {r.text: r.rule for r in cleaned.removed}


def test_standfirst_above_byline_and_date_joins_the_article() -> None:
    standfirst = (
        "The council voted late on Tuesday to approve a harbour budget that doubles spending on flood defences."
    )
    kept, removed = _page(TITLE, standfirst, "By Anna Berg", "12 March 2024, 10:31", *HARBOUR[:4])
    assert kept[0] == ("lead", standfirst)
    assert removed["By Anna Berg"] == "byline" and removed["12 March 2024, 10:31"] == "timestamp"


def test_a_later_block_keeps_the_subheading_that_opens_it() -> None:
    kept, removed = _page(TITLE, *HARBOUR[:4], *SHARE_BAR, "What happens next", *HARBOUR[4:])
    assert ("heading", "What happens next") in kept
    assert [text for kind, text in kept if kind != "heading"] == HARBOUR
    assert all(line in removed for line in SHARE_BAR)


def test_a_short_run_after_the_share_bar_stays_when_it_shares_the_articles_vocabulary() -> None:
    kept, _ = _page(TITLE, *HARBOUR[:6], *SHARE_BAR, *HARBOUR[6:])
    assert [text for _, text in kept] == HARBOUR


def test_a_short_run_on_another_topic_after_the_share_bar_is_cut() -> None:
    kept, removed = _page(TITLE, *HARBOUR[:6], *SHARE_BAR, *OTHER_TOPIC)
    assert [text for _, text in kept] == HARBOUR[:6]
    assert [removed[line] for line in OTHER_TOPIC] == ["outside_article_block"] * 2


#: a list announced by the article ("…these measures:") between two article paragraphs
#: (a last item that read as a subheading, short and without a full stop before prose,
#: would be kept as a heading: cleaning its own output again could not tell them apart)
MEASURES = [
    "a sea wall two metres higher along the ferry quay",
    "new pumps for the lower town (two of them)",
    "a flood warden for every street;",
    "the old slipway closed in winter",
]


def _announced(items: list[str], *, joined: bool = True) -> list[str]:
    intro = "The budget pays for these measures, the council said on Tuesday:"
    body = "\n".join(items) if joined else "\n\n".join(items)
    return [TITLE, *HARBOUR[:4], intro, body, *HARBOUR[4:]]


def test_a_list_the_article_announces_is_kept_as_list_items() -> None:
    for joined in (True, False):  # <li> lines touch each other; <p> items are set off by blank lines
        kept, _ = _page(*_announced(MEASURES, joined=joined))
        assert [text for kind, text in kept if kind == "list_item"] == MEASURES
        assert [text for kind, text in kept if kind != "list_item"][-4:] == HARBOUR[4:]


def test_the_same_lines_without_the_announcing_colon_are_not_a_list() -> None:
    page = _announced(MEASURES)
    page[5] = page[5].rstrip(":") + "."
    kept, _ = _page(*page)
    assert not [text for kind, text in kept if kind == "list_item"]


def test_table_cells_that_lost_their_rows_and_code_are_not_list_items() -> None:
    cells = ["Quay", "120 m", "2.4 m (+40%)", "Slipway", "35 m", "1.1 m (-12%)"]
    code = ["for gate in gates:", "    gate.close()", "pump.start(level=3)", "}"]
    for lines in (cells, code):
        kept, _ = _page(*_announced(lines))
        assert not [text for kind, text in kept if kind == "list_item"]


def test_an_announced_list_can_be_switched_off() -> None:
    from transforms.clean import CleanOptions

    cleaned = clean_text("\n\n".join(_announced(MEASURES)), options=CleanOptions(disabled_rules={"announced_list"}))
    assert not [p for p in cleaned.paragraphs if p.kind == "list_item"]


def test_cleaning_a_page_with_an_announced_list_again_keeps_it() -> None:
    once = clean_text("\n\n".join(_announced(MEASURES)))
    twice = clean_text("\n\n".join(p.text for p in once.paragraphs))
    assert [(p.kind, p.text) for p in twice.paragraphs] == [(p.kind, p.text) for p in once.paragraphs]


def _closing(items: str, after: list[str]) -> list[str]:
    return [TITLE, *HARBOUR[:5], "The council has invited these firms to bid for the sea wall:", items, *after]


FIRMS = ["Berg & Sons (Harbourside)", "North Quay Builders (Ferrytown)", "Delta Marine Works (Port Ellen)"]
FOOTER = ["© 2024 Harbour Gazette. All rights reserved."]


def test_a_list_closing_the_article_is_kept_up_to_the_page_furniture() -> None:
    for items in ("\n".join(FIRMS), "\n\n".join(FIRMS)):
        kept, removed = _page(*_closing(items, FOOTER))
        assert [text for kind, text in kept if kind == "list_item"] == FIRMS
        assert removed[FOOTER[0]] == "footer"


def test_a_closing_list_of_touching_lines_ends_with_its_run() -> None:
    other_run = "Weather\nTraffic\nObituaries"
    kept, removed = _page(*_closing("\n".join(FIRMS), [other_run]))
    assert [text for kind, text in kept if kind == "list_item"] == FIRMS
    assert "Weather" in removed


def test_one_line_after_a_closing_colon_is_not_a_list() -> None:
    kept, _ = _page(*_closing(FIRMS[0], FOOTER))
    assert not [text for kind, text in kept if kind == "list_item"]


#: a results table set right after the article (visible text ends each cell with a tab)
TABLE = ["RESULTS", "Quay ward:", "Berg\t1,204\t41%", "Lund\t998\t34%", "Postal votes 212", "Moss\t735\t25%"]


def test_a_table_right_after_the_article_is_kept_as_table_rows() -> None:
    kept, removed = _page(TITLE, *HARBOUR, *TABLE, *FOOTER)
    assert [text for kind, text in kept if kind == "table_row"] == TABLE
    assert removed[FOOTER[0]] == "footer"


def test_layout_cells_far_from_the_article_or_a_lone_row_are_not_a_table() -> None:
    far = ["Weather", "Traffic", "Obituaries", "Jobs", "Motors", "Berg\t1,204", "Lund\t998"]
    for tail in (far, ["Berg\t1,204\t41%", "Back to top"]):
        kept, _ = _page(TITLE, *HARBOUR, *tail)
        assert not [text for kind, text in kept if kind == "table_row"]


def test_a_table_inside_the_article_keeps_its_rows_as_table_rows() -> None:
    kept, _ = _page(TITLE, *HARBOUR[:4], "Berg\t1,204\t41%\nLund\t998\t34%", *HARBOUR[4:])
    assert [text for kind, text in kept if kind == "table_row"] == ["Berg\t1,204\t41%", "Lund\t998\t34%"]


#: the label of a link box after the article, whose links another rule removed
LINK_BOX = ["The whole harbour series so far:", "Share on Facebook", "Share on Twitter", "Share by email"]


def test_a_short_label_ending_with_a_colon_after_the_article_goes_with_its_box() -> None:
    kept, removed = _page(TITLE, *HARBOUR, *LINK_BOX)
    assert [text for _, text in kept] == HARBOUR
    assert removed[LINK_BOX[0]] == "closing_label"


def test_a_closing_label_is_kept_when_the_list_it_announces_is_kept_or_it_is_a_sentence() -> None:
    kept, _ = _page(*_closing("\n".join(FIRMS), FOOTER))  # the list it announces stays
    assert "The council has invited these firms to bid for the sea wall:" in [text for _, text in kept]
    sentence = "Residents who want to object to the plans before the deadline in April can write to the council here:"
    kept, _ = _page(TITLE, *HARBOUR, sentence, *LINK_BOX[1:])  # too long for a label
    assert kept[-1] == ("body", sentence)


def test_cleaning_an_article_that_ends_with_a_colon_again_keeps_its_last_line() -> None:
    once = clean_text("\n\n".join([TITLE, *HARBOUR, *LINK_BOX]))
    twice = clean_text("\n\n".join(p.text for p in once.paragraphs))
    assert [(p.kind, p.text) for p in twice.paragraphs] == [(p.kind, p.text) for p in once.paragraphs]
    ends = clean_text("\n\n".join([TITLE, *HARBOUR, LINK_BOX[0]]))  # nothing after it: not a box's label
    assert ends.paragraphs[-1].text == LINK_BOX[0]


def test_ascii_content_words_match_the_unicode_pattern():
    """The a-z fast path finds the same content words as the Unicode pattern on every
    lower-cased ASCII text (each character alone and in a run, and a mixed line)."""
    from transforms.clean.article import _ASCII_CONTENT_WORD, _CONTENT_WORD

    texts = [(chr(c) * 5).lower() for c in range(128)]
    texts.append("the mayor's 2024 plan_b: re-zoning, 'parks' & x4you -- done!".lower())
    texts.append("".join(map(chr, range(128))).lower() * 2)
    for text in texts:
        assert _ASCII_CONTENT_WORD.findall(text) == _CONTENT_WORD.findall(text), text


def test_the_title_is_the_headline_like_line_that_shares_the_articles_words() -> None:
    # a byline the line rules do not know, a share button and a section label sit between
    # the headline and the article; each looks like a headline, none names its subject
    head = [TITLE, "Staff and agencies in Ferrytown", "Save this story for later", "Around the Region Today"]
    cleaned = clean_text("\n\n".join([*head, *HARBOUR]))
    assert cleaned.title == TITLE
    assert {r.text: r.rule for r in cleaned.removed}[TITLE] == "title"
    assert [p.text for p in cleaned.paragraphs] == HARBOUR


def test_without_a_shared_word_the_title_is_the_closest_headline_like_line() -> None:
    cleaned = clean_text("\n\n".join(["Weather and Traffic Today", "A Quiet Night on the Water", *HARBOUR]))
    assert cleaned.title == "A Quiet Night on the Water"
