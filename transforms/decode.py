"""Bytes to text, robustly: BOMs, UTF-16 without BOM, legacy 8-bit encodings.

Binary data is refused with a reason instead of being decoded into mojibake:
a file that is an image or an archive must be quarantined, not "cleaned".
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes


class DecodeError(ValueError):
    """The bytes are not text we can read; ``str(err)`` is the reason."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF media (WebP/WAV/AVI)"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"\x7fELF", "ELF executable"),
    (b"\x00\x00\x01\x00", "icon image"),
)

# Control characters that never occur in text (tab, newline, VT, FF, CR, ESC are fine):
# one set, matched in decoded text or counted in bytes (where, in UTF-8 and 8-bit
# encodings, each is its own byte) with ``bytes.translate``, ten times faster than a regex.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not _CONTROL_CHARS.match(chr(b)))
_SAMPLE = 65536
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

#: Share of control bytes above which a sample is binary rather than text.
MAX_CONTROL_SHARE = 0.01
#: Share of U+FFFD replacement characters tolerated when UTF-8 is "almost" valid.
MAX_REPLACEMENT_SHARE = 0.01


def decode_bytes(data: bytes, *, html: bool = False, declared_charset: str | None = None) -> str:
    """Decode ``data`` to ``str``; raise ``DecodeError`` with a reason if it is not text.

    Order: BOM, binary signatures, UTF-16 without BOM, strict UTF-8, the charset the
    transport declared (``declared_charset``: HTTP ``Content-Type``), the charset an HTML
    page declares, UTF-8 with a few bad bytes, then charset-normalizer's best guess
    among legacy encodings.  Valid UTF-8 wins over a declaration: a header or a meta
    tag saying Latin-1 over UTF-8 bytes is the common lie, the reverse is rare.
    """
    if not data.strip():
        raise DecodeError("empty or whitespace-only input")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"binary file ({what})")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _strict(data, utf16)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _refuse_control_chars(text, data)
    if _control_share(data) > MAX_CONTROL_SHARE:
        raise DecodeError("binary data (control bytes in the content)")
    if declared_charset:
        try:
            return data.decode(declared_charset)
        except (LookupError, UnicodeDecodeError):
            pass
    if html:
        declared = _HTML_CHARSET.search(data[:4096])
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= MAX_REPLACEMENT_SHARE * len(lenient) and _mostly_multibyte_utf8(data):
        return lenient
    western = _as_western(data)
    if western is not None:
        return western
    guess = from_bytes(data[:_SAMPLE]).best()
    if guess is not None:
        try:
            return data.decode(guess.encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("cp1252", errors="replace")


_WESTERN_NON_ASCII = re.compile("[\u00a0-\u00ff\u2013\u2014\u2018-\u201e\u2020-\u2026\u20ac\u2122]")


def _as_western(data: bytes) -> str | None:
    """cp1252 (a superset of Latin-1 in practice) when it yields Western text.

    charset-normalizer alone often picks a Central European code page for short
    French or Spanish text ("crème" -> "crčme"); most scraped news is Western.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    sample = text[:_SAMPLE]
    non_ascii = [ch for ch in sample if ord(ch) > 127]
    western = sum(1 for ch in non_ascii if _WESTERN_NON_ASCII.match(ch))
    ascii_letters = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    # Western languages write mostly ASCII letters; Cyrillic or Greek bytes read
    # as cp1252 come out as runs of accented letters instead.
    accented = sum(1 for ch in non_ascii if ch.isalpha())
    return text if western >= 0.9 * len(non_ascii) and accented < 0.3 * ascii_letters else None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return _refuse_control_chars(data.decode(encoding))
    except UnicodeDecodeError as err:
        raise DecodeError(f"invalid {encoding}: {err.reason} at byte {err.start}") from None


def _refuse_control_chars(text: str, utf8: bytes | None = None) -> str:
    """``text`` unless it is empty or binary.  ``utf8``: the bytes it was decoded from as
    UTF-8, to count the control characters there (cheaper)."""
    if not text or text.isspace():
        raise DecodeError("empty or whitespace-only input")
    if utf8 is not None:
        sample = utf8[:_SAMPLE]
        controls = _control_bytes(sample)
        has_nul = b"\x00" in sample
    else:
        sample = text[:_SAMPLE]
        controls = len(_CONTROL_CHARS.findall(sample))
        has_nul = "\x00" in sample
    if controls > MAX_CONTROL_SHARE * len(sample) or has_nul:
        raise DecodeError("binary data (NUL or control characters in the text)")
    return text


def _control_bytes(data: bytes) -> int:
    return len(data.translate(None, _NOT_CONTROL_BYTES))


def _control_share(data: bytes) -> float:
    sample = data[:_SAMPLE]
    return _control_bytes(sample) / max(1, len(sample))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM has a NUL in every other byte of ASCII characters."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:  # (the common case: one memchr)
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _mostly_multibyte_utf8(data: bytes) -> bool:
    """Mixed input: UTF-8 with some broken sequences, not a legacy 8-bit encoding.

    Legacy text (Latin-1, cp1252) practically never forms a valid UTF-8
    multi-byte sequence; UTF-8 with a few bad bytes still has its good ones.
    """
    return _UTF8_MULTIBYTE.search(data, 0, _SAMPLE) is not None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (a JSON ``"\\ud800"``, half an emoji pair)
    replaced by U+FFFD, as a UTF-8 decoder does with a bad byte: such a string cannot
    be written as UTF-8 (Parquet, DuckDB), and the rest of it is fine text."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text)
    return text
