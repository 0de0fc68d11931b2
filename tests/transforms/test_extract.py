"""transforms.extract: trafilatura on small pages, metadata, hostile HTML, no network."""

from __future__ import annotations

import socket

import pytest

from transforms.clean import clean_text
from transforms.extract import ExtractedPage, extract_html

PARAS = [
    "The council approved the budget on Tuesday after a long debate about the cost of the new bridge over the river.",
    "Opponents said the plan would raise taxes for residents who already pay more than their neighbours in the county.",
    "The mayor, who has backed the project since her election, said the vote was a turning point for the whole city.",
    "Construction is expected to start next spring and to last at least three years, officials said on Wednesday.",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en-GB"><head>
<title>Council approves bridge budget | Example News</title>
<meta property="og:title" content="Council approves bridge budget">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://news.example.com/bridge">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Council approves bridge budget</h1>
<p>{PARAS[0]}</p>
<figure><img src="bridge.jpg"><figcaption>The bridge site. Photo: Jane Doe / Example</figcaption></figure>
<p>{PARAS[1]}</p>
<h2>What happens next</h2>
<p>{PARAS[2]}</p>
<p>{PARAS[3]}</p>
</article>
<footer><p>© 2024 Example News. All rights reserved.</p><a href="/privacy">Privacy Policy</a></footer>
</body></html>"""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_extracts_article_and_metadata(no_network: None) -> None:
    page = extract_html(PAGE, url="https://news.example.com/bridge")
    assert isinstance(page, ExtractedPage)
    for p in PARAS:
        assert p in page.text
    assert "Home" not in page.text.split("\n\n")
    assert "All rights reserved" not in page.text
    assert page.title == "Council approves bridge budget"
    assert page.published_at == "2024-03-05T10:00:00Z"  # as written; documents.published_at parses it
    assert page.language == "en"
    assert page.url == "https://news.example.com/bridge"
    assert "\n\n" in page.text  # blocks separated by blank lines


def test_feeds_clean_text(no_network: None) -> None:
    page = extract_html(PAGE)
    c = clean_text(page.text, source="html")
    got = [p.text for p in c.paragraphs if p.kind in ("lead", "body", "heading")]
    assert [t for t in got if t in PARAS] == PARAS
    assert not any("Photo:" in t for t in got)


def test_page_without_article_gives_empty_text() -> None:
    page = extract_html("<html><head><title>Nothing</title></head><body><div></div></body></html>")
    assert page.text == ""
    nav_only = extract_html("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert clean_text(nav_only.text, source="html").paragraphs == []


@pytest.mark.parametrize("bad", ["", "   ", "just some text without any markup"])
def test_not_html_raises_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        extract_html(bad)


def test_deep_nesting_does_not_crash() -> None:
    html = "<html><body>" + "<div>" * 100_000 + "<p>Deep text.</p>" + "</div>" * 100_000 + "</body></html>"
    page = extract_html(html)  # libxml2 caps the depth; either no article or some text
    assert isinstance(page.text, str)


def test_huge_attribute_is_fast_enough() -> None:
    import time

    html = f"<html><body><div data-x='{'a' * 5_000_000}'></div><article><p>{PARAS[0]}</p><p>{PARAS[1]}</p></article></body></html>"
    t0 = time.perf_counter()
    page = extract_html(html)
    assert time.perf_counter() - t0 < 5
    assert PARAS[0] in page.text


def test_comment_and_cdata_tricks() -> None:
    html = (
        "<html><body><!-- <p>hidden comment paragraph</p> --><article>"
        f"<p>{PARAS[0]}</p><![CDATA[ <p>cdata junk</p> ]]><p>{PARAS[1]}</p>"
        "<!-- unterminated comment <p>never closed"
    )
    page = extract_html(html)
    assert "hidden comment paragraph" not in page.text
    assert "cdata" not in page.text and "]]>" not in page.text
    assert PARAS[0] in page.text and PARAS[1] in page.text


def test_quotes_in_an_inline_script_are_not_taken_for_a_huge_attribute() -> None:
    # ``= '`` in a script, then no apostrophe for thousands of characters: the article after
    # it must survive the long-attribute guard, and a CDATA section left open must not eat it
    script = "<script>function go(f) { location.href = 'http://example.com/?q=' + f; }" + " go(1);" * 4000 + "</script>"
    html = (
        f"<html><head>{script}</head><body><article><p>{PARAS[0]}</p><p>{PARAS[1]}</p>"
        "<p>It's the council's third vote on the bridge.</p></article>"
        "<script>//<![CDATA[ var never_closed = 1;</script></body></html>"
    )
    page = extract_html(html)
    assert PARAS[0] in page.text and PARAS[1] in page.text


def test_url_is_never_fetched(no_network: None) -> None:
    page = extract_html(PAGE, url="http://127.0.0.1:9/should-not-be-fetched")
    assert PARAS[0] in page.text


def test_non_string_rejected() -> None:
    with pytest.raises(ValueError):
        extract_html(b"<html></html>")  # type: ignore[arg-type]


def _layout_page(cells: str) -> str:
    return f"<html><body><table width='760'><tr><td><a href='/'>Home</a><br><a href='/world'>World</a></td>{cells}</tr></table></body></html>"


def test_layout_table_article_comes_out_as_paragraphs() -> None:
    # the 2000s layout: the whole article in one cell of a page-wide table
    cell = "<td><font face='arial'>" + "".join(f"{p}<br><br>" for p in PARAS) + "</font></td>"
    page = extract_html(_layout_page(cell))
    assert not any(line.startswith("|") for line in page.text.split("\n\n"))
    for p in PARAS:
        assert p in page.text.split("\n\n")


def test_data_table_keeps_its_rows() -> None:
    table = (
        "<table><tr><th>Team</th><th>Won</th><th>Lost</th></tr>"
        "<tr><td>Rovers</td><td>12</td><td>3</td></tr><tr><td>United</td><td>9</td><td>6</td></tr></table>"
    )
    html = f"<html><body><article><p>{PARAS[0]}</p>{table}<p>{PARAS[1]}</p><p>{PARAS[2]}</p></article></body></html>"
    from lxml import html as lxml_html

    from transforms.extract import unwrap_layout_tables

    assert unwrap_layout_tables(lxml_html.fromstring(html)) == 0
    assert unwrap_layout_tables(lxml_html.fromstring(_layout_page("<td>" + " ".join(PARAS) + "</td>"))) == 1
    text = extract_html(html).text
    assert "Rovers" in text and "United" in text and PARAS[1] in text


MORE_PARAS = [
    "Engineers spent two winters testing the coating on a frozen lake before anyone asked who would pay for it.",
    "The results were mixed: the treated ice lasted a week longer, but the effect faded once the snow came back.",
    "Critics of the project say that the money would do more good if it were spent on cutting emissions instead.",
    "Supporters reply that nothing else on offer could slow the melting of the sea ice within the next decade.",
]


def _sectioned_page(wrapper: str) -> str:
    """An article body cut into sections, each in its own grid cell beside an ad rail."""
    sections = [PARAS, MORE_PARAS[:1], MORE_PARAS[1:3]]
    cells = "".join(
        f"<div class='{wrapper.format(n=n)}'><div class='body article__body'>"
        + "".join(f"<p>{p}</p>" for p in section)
        + "</div><aside class='ad-rail'>Advertisement</aside></div>"
        for n, section in enumerate(sections)
    )
    return f"<html><body><nav><a href='/'>Home</a></nav><main>{cells}</main></body></html>"


def test_article_body_split_into_sections_comes_out_whole() -> None:
    from lxml import html as lxml_html

    from transforms.extract import join_split_article_body, may_split_article_body

    page = _sectioned_page("grid grid-layout")
    assert may_split_article_body(page) and not may_split_article_body(PAGE)
    assert join_split_article_body(lxml_html.fromstring(page)) == 2
    # (the first section holds most of the text: fast mode's output alone would look complete)
    assert [line for line in extract_html(page).text.split("\n\n") if line != "Advertisement"] == PARAS + MORE_PARAS[:3]


def test_posts_of_a_blog_index_are_not_joined() -> None:
    from lxml import html as lxml_html

    from transforms.extract import join_split_article_body

    # the look-alike: each body sits in a wrapper that names its own post
    assert join_split_article_body(lxml_html.fromstring(_sectioned_page("post post-{n}"))) == 0


def test_html_path_keeps_the_extractors_lines_but_removes_furniture() -> None:
    from transforms.extract import HTML_REMOVAL_RULES, keep_extractor_lines

    lines = [PARAS[0], "- a first item of the list", "- a second item", "Share", "Anna Berg, 34, teacher", PARAS[1]]
    cleaned = keep_extractor_lines(clean_text("\n\n".join(lines), source="html"))
    kept = [p.text for p in cleaned.paragraphs]
    assert kept == [line for line in lines if line != "Share"]
    assert [r.rule for r in cleaned.removed] == ["share_prompt"]
    assert "share_prompt" in HTML_REMOVAL_RULES and "outside_article_block" not in HTML_REMOVAL_RULES
    assert [p.kind for p in cleaned.paragraphs][:3] == ["lead", "list_item", "list_item"]
    assert all(p.ordinal == i for i, p in enumerate(cleaned.paragraphs))
    joined = "\n\n".join(kept)
    assert all(joined[p.char_start : p.char_end] == p.text for p in cleaned.paragraphs)


def test_html_path_removes_the_publishers_learned_template_lines() -> None:
    from transforms.clean.templates import template_key
    from transforms.extract import keep_extractor_lines

    appeal = "Readers like you keep this newsroom open, and every small gift helps us report."
    text = "\n\n".join([PARAS[0], appeal, PARAS[1]])
    cleaned = keep_extractor_lines(
        clean_text(text, source="html", learned_template_lines=frozenset({template_key(appeal)}))
    )
    assert [p.text for p in cleaned.paragraphs] == [PARAS[0], PARAS[1]]
    assert [(r.text, r.rule) for r in cleaned.removed] == [(appeal, "template")]


@pytest.mark.parametrize(
    ("fast_lines", "runs_full"),
    [
        (PARAS * 8, False),  # the fast extraction covers the page's <p> text: kept
        (PARAS, True),  # under 1,000 characters: the full cascade decides
        (PARAS * 3, True),  # under half of the page's <p> text
        ([" ".join(PARAS * 6)], True),  # paragraph structure lost: one block of ~2,700 chars
        ([], True),  # nothing found
    ],
)
def test_full_cascade_only_when_fast_extraction_looks_wrong(monkeypatch, fast_lines, runs_full) -> None:
    import transforms.extract as extract

    calls = []

    class FakeExtraction:
        def __init__(self, tree) -> None:
            pass

        def fast_text(self) -> str:
            calls.append("fast")
            return "\n".join(fast_lines)

        def cascade_text(self) -> str:
            calls.append("cascade")
            return "\n".join(PARAS)

    monkeypatch.setattr(extract, "TwoStepExtraction", FakeExtraction)
    page = extract_html(
        "<html><body><article>" + "".join(f"<p>{p}</p>" for p in PARAS * 8) + "</article></body></html>"
    )
    assert calls == (["fast", "cascade"] if runs_full else ["fast"])
    assert page.text.split("\n\n") == (PARAS if runs_full else fast_lines)


def _extractor_rule_cases(attr: str) -> list:
    from transforms.extract import EXTRACTOR_RULES

    return [(rule, case) for rule in EXTRACTOR_RULES for case in getattr(rule, attr)]


@pytest.mark.parametrize("case", _extractor_rule_cases("removes"), ids=lambda c: f"{c[0].name}")
def test_extractor_rule_removes_its_examples(case) -> None:
    from transforms.clean import RULES, CleanOptions
    from transforms.extract import keep_extractor_lines

    rule, (article, cut) = case
    assert rule.name in RULES
    cleaned = keep_extractor_lines(clean_text("\n\n".join(article), source="html"))
    assert [r.text for r in cleaned.removed if r.rule == rule.name] == list(cut)
    assert [p.text for p in cleaned.paragraphs] == [line for line in article if line not in cut]
    assert cleaned.paragraphs[0].kind == "lead" and all(p.ordinal == i for i, p in enumerate(cleaned.paragraphs))
    off = keep_extractor_lines(
        clean_text("\n\n".join(article), source="html"), options=CleanOptions(disabled_rules={rule.name})
    )
    assert not any(r.rule == rule.name for r in off.removed)  # switched off by name, as in the ablation


@pytest.mark.parametrize("case", _extractor_rule_cases("keeps"), ids=lambda c: f"{c[0].name}")
def test_extractor_rule_keeps_look_alikes(case) -> None:
    from transforms.extract import keep_extractor_lines

    rule, article = case
    cleaned = keep_extractor_lines(clean_text("\n\n".join(article), source="html"))
    assert not any(r.rule == rule.name for r in cleaned.removed)
    assert [p.text for p in cleaned.paragraphs] == list(article)


# --- the two-step extraction against trafilatura's own bare_extraction -------------------------

_NAV = "".join(f'<li><a href="/s{i}">Section number {i} of the site</a></li>' for i in range(30))
_SIDEBAR = "".join(
    f"<div class='side'>Reader offer {i}: subscribe today and save on the weekend edition, delivered to your door.</div>"
    for i in range(40)
)
#: pages built to reach each of trafilatura's stages: a plain article; an article in <div>s
#: and <br>s (no <p>); a short note (baseline rescue, recall escalation); an article beside a
#: long sidebar; teaser-class blocks (the fallback); a page whose <article> holds one
#: paragraph and the rest of the story outside it (readability and jusText compared)
_BR_STORY = "<br>".join(PARAS * 2)
_P = "".join(f"<p>{p}</p>" for p in PARAS[1:])
_TEASERS = "".join(f"<div class='Teaser-box'><p>{p}</p></div>" for p in PARAS[1:])
TWO_STEP_PAGES = {
    "article": PAGE,
    "div_soup": f"<html><body><ul>{_NAV}</ul><div id='story'>{_BR_STORY}</div><div>Copyright Example</div></body></html>",
    "short_note": f"<html><body><ul>{_NAV}</ul><div><p>{PARAS[0][:140]}</p></div>{_SIDEBAR}</body></html>",
    "sidebar": f"<html><body><main><p>{PARAS[0]}</p><p>{PARAS[1]}</p></main><aside>{_SIDEBAR}</aside></body></html>",
    "teasers": f"<html><body><article><p>{PARAS[0]}</p></article>{_TEASERS}</body></html>",
    "article_and_outside": f"<html><body><div class='content'><article><p>{PARAS[0]}</p></article>{_P * 3}</div>"
    f"<ul>{_NAV}</ul></body></html>",
}


def _two_step_pages() -> dict[str, str]:
    from pathlib import Path

    golden = Path(__file__).resolve().parents[1] / "golden"
    pages = dict(TWO_STEP_PAGES)
    pages.update({path.stem: path.read_text(encoding="utf-8") for path in sorted(golden.glob("*.html"))})
    return pages


def _bare_extraction_text(tree, *, fast: bool) -> str:
    import trafilatura

    from transforms.extract import _extractor_options

    doc = trafilatura.bare_extraction(tree, options=_extractor_options(fast))
    return (doc.text if doc is not None else "") or ""


def test_two_step_extraction_is_bare_extraction() -> None:
    """``TwoStepExtraction`` mirrors trafilatura 2.3.1's internals: on every page its fast
    and cascade texts (the cascade on its own or after the fast pass) are
    ``bare_extraction(fast=True)``'s and ``bare_extraction(fast=False)``'s.  This fails when
    a trafilatura upgrade changes what the mirror relies on."""
    from copy import copy

    import trafilatura

    import transforms.extract as extract

    full = extract._extractor_options(False)
    # the options the mirror assumes (the stages it leaves out are off)
    assert (full.comments, full.with_metadata, full.lang, full.dedup, full.max_tree_size, full.focus, full.format) == (
        False, False, None, False, None, "balanced", "python",
    )  # fmt: skip
    differ = teasers = 0
    for name, html in _two_step_pages().items():
        tree = trafilatura.load_html(html)
        extract._prepare_tree(tree, html)
        fast, cascade = _bare_extraction_text(tree, fast=True), _bare_extraction_text(tree, fast=False)
        two_step = extract.TwoStepExtraction(copy(tree))
        assert two_step.fast_text() == fast, name
        assert two_step.cascade_text() == cascade, name
        assert extract.TwoStepExtraction(copy(tree)).cascade_text() == cascade, name
        differ += fast != cascade
        teasers += extract._has_teaser_blocks(tree)
    assert differ and teasers  # the pages reach the comparison and the teaser-class case


def test_another_trafilatura_release_runs_bare_extraction_itself(monkeypatch) -> None:
    """With a trafilatura other than the one ``TwoStepExtraction`` mirrors, ``extract_html``
    runs ``bare_extraction`` (``PlainExtraction``): the same texts, no private names used."""
    import transforms.extract as extract

    pages = _two_step_pages()
    mirrored = {name: extract.extract_html(html).text for name, html in pages.items()}
    monkeypatch.setattr(extract, "MIRRORED_TRAFILATURA", "0.0")
    monkeypatch.setattr(extract, "TwoStepExtraction", None)  # never reached
    assert {name: extract.extract_html(html).text for name, html in pages.items()} == mirrored
