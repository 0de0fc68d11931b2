"""decode_bytes: every text encoding we meet, and refusal of what is not text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.decode import DecodeError, decode_bytes

TEXT = "Café crème — “naïve” résumé of the day’s news, with enough words to judge."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_encodings_with_and_without_bom(encoding):
    assert decode_bytes(TEXT.encode(encoding)) == TEXT


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_legacy_encodings(encoding):
    text = "Le café de la crème: naïve résumé, déjà vu à Zürich et à Málaga pour la deuxième fois."
    assert decode_bytes(text.encode(encoding)) == text


def test_cyrillic_legacy_encoding_is_not_read_as_western():
    text = "Президент заявил, что переговоры продолжатся на следующей неделе в Москве."
    assert decode_bytes(text.encode("cp1251")) == text


def test_mostly_utf8_with_a_stray_byte_keeps_the_utf8():
    data = ("Zürich “quoted” — " * 20).encode() + b"\xff"
    assert decode_bytes(data).startswith("Zürich “quoted” — ")


def test_html_declared_charset_is_honoured():
    data = '<html><head><meta charset="iso-8859-15"></head><p>Prix: 5 €</p></html>'.encode("iso-8859-15")
    assert "5 €" in decode_bytes(data, html=True)


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b" \n\t\r\n", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "PNG"),
        (b"\xff\xd8\xff\xe0" + b"\x10" * 50, "JPEG"),
        (b"%PDF-1.7\n", "PDF"),
        (b"PK\x03\x04rest", "ZIP"),
        (b"text " * 40 + b"\x00\x00\x00" + b"text " * 40, "NUL"),
        (bytes(range(256)) * 8, "binary"),
    ],
)
def test_non_text_is_refused_with_a_reason(data, reason):
    with pytest.raises(DecodeError, match=reason):
        decode_bytes(data)


@given(st.text(min_size=1).filter(lambda t: t.strip() and not any(ord(c) < 32 and c not in "\t\n\r\f\x1b" for c in t)))
def test_any_utf8_text_round_trips(text):
    assert decode_bytes(text.encode("utf-8")) == text


@given(st.binary(max_size=2000))
def test_arbitrary_bytes_decode_or_raise_decode_error(data):
    try:
        assert isinstance(decode_bytes(data), str)
    except DecodeError as err:
        assert str(err)
