"""Small WARC files written by hand for tests (the format, not a library's writer)."""

from __future__ import annotations

import zlib


def warc_record(
    warc_type: str,
    uri: str,
    block: bytes,
    *,
    record_id: str,
    date: str = "2026-11-02T08:30:00Z",
    content_type: str = "application/http; msgtype=response",
) -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:{record_id}>\r\n"
        f"WARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def http(status: str, content_type: str, body: bytes) -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body


def gzip_member(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


def page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"


def crawl(pages: list[tuple[str, bytes, str]]) -> list[bytes]:
    """A crawl's records: for each (url, body, content type) a request and a response,
    then a metadata record, a revisit, a redirect and an image among them."""
    out = [
        warc_record(
            "warcinfo",
            "",
            b"software: test\r\n",
            record_id="00000000-0000-0000-0000-000000000000",
            content_type="application/warc-fields",
        )
    ]
    for i, (url, body, ctype) in enumerate(pages):
        out.append(
            warc_record(
                "request",
                url,
                b"GET / HTTP/1.1\r\n\r\n",
                record_id=f"{i:08d}-0000-0000-0000-000000000001",
                content_type="application/http; msgtype=request",
            )
        )
        out.append(
            warc_record("response", url, http("200 OK", ctype, body), record_id=f"{i:08d}-0000-0000-0000-000000000002")
        )
    out.append(
        warc_record(
            "metadata",
            "https://a.example/",
            b"outlinks: 3\r\n",
            record_id="10000000-0000-0000-0000-000000000000",
            content_type="application/warc-fields",
        )
    )
    out.append(
        warc_record(
            "revisit",
            "https://a.example/",
            b"HTTP/1.1 304 Not Modified\r\n\r\n",
            record_id="20000000-0000-0000-0000-000000000000",
        )
    )
    out.append(
        warc_record(
            "response",
            "https://a.example/old",
            http("301 Moved Permanently", "text/html", b"moved"),
            record_id="30000000-0000-0000-0000-000000000000",
        )
    )
    out.append(
        warc_record(
            "response",
            "https://a.example/i.jpg",
            http("200 OK", "image/jpeg", b"\xff\xd8\xff" + bytes(500)),
            record_id="40000000-0000-0000-0000-000000000000",
        )
    )
    return out
