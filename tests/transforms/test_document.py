"""transform_record: one record to one document, on text and on HTML."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.models import InputRecord
from transforms.document import (
    TITLE_ORDINAL,
    TransformError,
    document_id,
    publisher_of,
    transform_record,
)

ARTICLE = "\n\n".join(
    [
        "Now playing",
        "01:51",
        "The city council approved the new budget on Tuesday after a long debate about schools.",
        "“We have made hard choices, but the right ones,” Mayor Ana Ruiz said after the vote.",
        "The plan raises spending on libraries and parks while freezing most other departments.",
    ]
)


def _record(**fields) -> InputRecord:
    return InputRecord(**{"source_id": "s1", "source_uri": "/in/s1.txt", **fields})


def test_text_record_is_cleaned_segmented_and_quoted():
    doc = transform_record(_record(text=ARTICLE), input_kind="txt")
    texts = [p.text for p in doc.paragraphs]
    assert "Now playing" not in texts and "01:51" not in texts
    assert texts[0].startswith("The city council")
    assert [q.speaker_name for q in doc.quotes] == ["Ana Ruiz"]
    assert {r.text for r in doc.removed} >= {"Now playing", "01:51"}
    assert doc.info.language == "en" and doc.info.n_chars == sum(len(t) for t in texts)


def test_html_record_takes_title_from_the_page():
    html = (
        "<html><head><title>Council passes budget</title></head><body><nav>Home | World | Sport</nav><article>"
        + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[2:])
        + "</article></body></html>"
    )
    doc = transform_record(_record(html=html, source_uri="/in/s1.html"), input_kind="html")
    assert doc.info.title == "Council passes budget"
    assert any(p.text.startswith("The city council") for p in doc.paragraphs)
    assert not any("Home | World" in p.text for p in doc.paragraphs)


def test_record_title_and_publisher_win():
    doc = transform_record(
        _record(text=ARTICLE, title="Given title", url="https://www.example.org/x"), input_kind="jsonl"
    )
    assert doc.info.title == "Given title" and doc.info.publisher == "example.org"


def test_headline_quotes_get_ordinal_minus_one_and_the_full_name():
    body = (
        "State Department spokesperson John Kirby spoke on Monday about the talks with Moscow.\n\n"
        "“This is not a decision that was taken lightly,” Kirby said in a statement on Monday."
    )
    doc = transform_record(_record(text=body, title="Kirby: “Not a decision taken lightly”"), input_kind="txt")
    (headline,) = [q for q in doc.quotes if q.paragraph_ordinal == TITLE_ORDINAL]
    assert doc.info.title[headline.char_start : headline.char_end] == headline.text == "Not a decision taken lightly"
    assert headline.speaker_name == "John Kirby"
    assert headline.quote_group not in {q.quote_group for q in doc.quotes if q is not headline}


def test_a_title_without_quote_marks_adds_no_quotes():
    doc = transform_record(_record(text=ARTICLE, title="Council passes budget"), input_kind="txt")
    assert all(q.paragraph_ordinal >= 0 for q in doc.quotes)


def test_document_id_changes_with_content_and_source():
    base = _record(text="a")
    assert document_id(base) == document_id(_record(text="a"))
    assert document_id(base) != document_id(_record(text="b"))
    assert document_id(base) != document_id(_record(text="a", source_id="s2"))


def test_publisher_of():
    assert publisher_of(_record(text="x", publisher="Reuters", url="https://a.com")) == "Reuters"
    assert publisher_of(_record(text="x", url="https://www.bbc.co.uk/news/1")) == "bbc.co.uk"
    assert publisher_of(_record(text="x")) is None


def test_language_is_the_one_the_prose_was_cleaned_in():
    german = (
        "Die Regierung hat am Montag angekündigt, dass die neuen Regeln ab dem kommenden Jahr gelten sollen.\n\n"
        "Nach Angaben des Ministeriums sind davon vor allem kleine Betriebe betroffen, die sich nun umstellen müssen."
    )
    assert transform_record(_record(text=german), input_kind="txt").info.language == "de"
    # a page declaring English in its markup but written in German is German
    html = f"<html lang='en'><body><article><p>{german.replace(chr(10) * 2, '</p><p>')}</p></article></body></html>"
    assert transform_record(_record(html=html), input_kind="html").info.language == "de"
    # too little prose to tell: the declaration stands, else null
    assert (
        transform_record(
            _record(html="<html lang='fr'><body><p>Accueil</p></body></html>"), input_kind="html"
        ).info.language
        == "fr"
    )
    assert transform_record(_record(text="Home\nNews\nSport"), input_kind="txt").info.language is None


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_transforms_and_keeps_only_input_text(text):
    if not text.strip():
        return
    doc = transform_record(_record(text=text), input_kind="txt")
    for paragraph in doc.paragraphs:
        assert paragraph.text in text
    for quote in doc.quotes:
        source = (
            doc.info.title if quote.paragraph_ordinal == TITLE_ORDINAL else doc.paragraphs[quote.paragraph_ordinal].text
        )
        assert source[quote.char_start : quote.char_end] == quote.text


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=2000))
def test_any_html_transforms_or_fails_with_a_reason(body):
    try:
        transform_record(_record(html=f"<html><body><p>{body}</p></body></html>"), input_kind="html")
    except TransformError as err:
        assert str(err)


def _page(head: str) -> str:
    return (
        f"<html><head>{head}</head><body><article>"
        + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[2:])
        + "</article></body></html>"
    )


def test_publisher_from_the_record_then_the_page_then_the_url():
    site = '<meta property="og:site_name" content="The Daily Example">'
    canonical = '<link rel="canonical" href="https://news.example.co.uk/2024/budget">'

    def html_publisher(head: str, **fields) -> str | None:
        return transform_record(_record(html=_page(head), **fields), input_kind="html").info.publisher

    assert html_publisher(site + canonical, publisher="Example Media") == "Example Media"
    assert html_publisher(site + canonical) == "The Daily Example"
    assert html_publisher(canonical) == "example.co.uk"  # registrable domain, not news.example.co.uk
    assert html_publisher("", url="https://edition.example.com/a") == "example.com"
    assert html_publisher('<meta name="application-name" content="Example Radio">') == "Example Radio"
    assert html_publisher("") is None
    text = transform_record(_record(text=ARTICLE, url="https://edition.example.com/a"), input_kind="txt").info
    assert text.publisher == "example.com"
    assert transform_record(_record(text=ARTICLE), input_kind="txt").info.publisher is None


def test_registrable_domain_by_the_public_suffix_list():
    from transforms.document import registrable_domain

    assert registrable_domain("https://www.news.example.co.uk/x") == "example.co.uk"
    assert registrable_domain("HTTPS://WWW.EXAMPLE.COM./x") == "example.com"
    assert registrable_domain("https://someblog.blogspot.com/x") == "someblog.blogspot.com"  # a private suffix
    # hosts under no listed suffix are kept (without www.)
    assert registrable_domain("http://192.168.0.10:8080/x") == "192.168.0.10"
    assert registrable_domain("http://localhost/x") == "localhost"
    assert registrable_domain("https://www.harbour.example/x") == "harbour.example"
    for nothing in ("not a url", "http://[::1/x", "", None):
        assert registrable_domain(nothing) is None
