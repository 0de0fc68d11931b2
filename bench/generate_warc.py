"""Generate a WARC file of news pages as a crawler writes it (for benchmarks).

Each fetched page is a ``request`` and a ``response`` record (HTTP headers and the
generated HTML of ``generate_corpus``); among them, as in a real crawl, ``metadata``
records, ``revisit`` records, redirects and non-HTML responses (images, PDFs).
``.warc.gz`` files are one gzip member per record, as Common Crawl writes them.

    python bench/generate_warc.py --out /tmp/crawl.warc.gz --size-mb 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate_corpus import Article, Pools, _Rng, _text_target  # noqa: E402

#: distinct HTML pages rendered; past that the pages repeat under new URIs and record
#: ids (rendering costs more than everything else here, and the reader does not care)
DISTINCT_PAGES = 1_500


def warc_record(
    warc_type: str,
    uri: str,
    date: dt.datetime,
    block: bytes,
    content_type: str,
    record_id: str,
    extra: dict[str, str] | None = None,
) -> bytes:
    """One WARC/1.0 record: headers, the block, and the two CRLFs that end it."""
    headers = {
        "WARC-Type": warc_type,
        "WARC-Record-ID": f"<urn:uuid:{record_id}>",
        "WARC-Date": date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "WARC-Target-URI": uri,
        **(extra or {}),
        "Content-Type": content_type,
        "Content-Length": str(len(block)),
    }
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode("utf-8") + block + b"\r\n\r\n"


def http_response(status: str, content_type: str, body: bytes, extra: str = "") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
    return head.encode("latin-1") + body


def gzip_member(data: bytes, level: int = 6) -> bytes:
    packer = zlib.compressobj(level, zlib.DEFLATED, 31)  # wbits 31: a gzip member
    return packer.compress(data) + packer.flush()


def crawl_records(seed: int = 0):
    """An endless crawl: (record bytes, kind) in the order a crawler writes them."""
    rng = random.Random(seed)
    pools = Pools(seed)
    pages: dict[int, tuple[str, bytes]] = {}
    clock = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    yield (
        warc_record(
            "warcinfo",
            "",
            clock,
            b"software: newsetl generate_warc\r\nformat: WARC File Format 1.0\r\n",
            "application/warc-fields",
            str(uuid.UUID(int=rng.getrandbits(128))),
        ),
        "warcinfo",
    )
    n = 0
    while True:
        clock += dt.timedelta(seconds=rng.randint(1, 30))
        rid = lambda: str(uuid.UUID(int=rng.getrandbits(128)))  # noqa: E731
        slot = n % DISTINCT_PAGES
        if slot not in pages:
            art = Article(slot, pools, seed, _text_target(seed, slot))
            html = art.to_html(pools, _Rng(seed * 7_000_003 + slot), rng.randint(50_000, 150_000))
            pages[slot] = (art.url, html.encode("utf-8"))
        url, html = pages[slot]
        url = f"{url}-{n}"
        yield (
            warc_record(
                "request",
                url,
                clock,
                b"GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: bench\r\n\r\n",
                "application/http; msgtype=request",
                rid(),
            ),
            "request",
        )
        roll = n % 40
        if roll == 7:
            body = bytes(rng.getrandbits(8) for _ in range(4_000)) * 5
            block = http_response("200 OK", "image/jpeg", body)
        elif roll == 19:
            block = http_response("200 OK", "application/pdf", b"%PDF-1.4\n" + b"0" * 30_000)
        elif roll == 23:
            block = http_response(
                "301 Moved Permanently", "text/html", b"<a href='/'>moved</a>", f"Location: {url}/\r\n"
            )
        else:
            block = http_response("200 OK", "text/html; charset=utf-8", html)
        yield warc_record("response", url, clock, block, "application/http; msgtype=response", rid()), "response"
        if roll == 11:
            yield (
                warc_record(
                    "metadata", url, clock, b"fetchTimeMs: 120\r\noutlinks: 42\r\n", "application/warc-fields", rid()
                ),
                "metadata",
            )
        if roll == 31:
            yield (
                warc_record(
                    "revisit",
                    url,
                    clock,
                    b"HTTP/1.1 304 Not Modified\r\n\r\n",
                    "application/http; msgtype=response",
                    rid(),
                    {"WARC-Profile": "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"},
                ),
                "revisit",
            )
        n += 1


def generate(out: str, size_bytes: int, seed: int = 0, level: int = 6) -> dict:
    """Write records to ``out`` until it holds ``size_bytes``; returns counts by kind."""
    compressed = out.endswith(".gz")
    counts: dict[str, int] = {}
    written = 0
    with open(out + ".tmp", "wb") as fh:
        for record, kind in crawl_records(seed):
            data = gzip_member(record, level) if compressed else record
            fh.write(data)
            written += len(data)
            counts[kind] = counts.get(kind, 0) + 1
            if written >= size_bytes:
                break
    os.replace(out + ".tmp", out)
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="a .warc or .warc.gz path")
    ap.add_argument("--size-mb", type=float, default=1000, help="size of the file on disk")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--level", type=int, default=6, help="gzip level (.warc.gz)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(args.out, int(args.size_mb * 1e6), args.seed, args.level)
    print(
        f"generate_warc: {os.path.getsize(args.out):,} bytes, records {counts}, "
        f"{time.perf_counter() - t0:.1f} s -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
