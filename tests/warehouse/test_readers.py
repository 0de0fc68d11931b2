"""Readers: records and rejections straight from files."""

from __future__ import annotations

import gzip
import json
import zlib
from typing import get_args

from schemas.models import InputKind, InputRecord
from schemas.settings import RunSettings
from warehouse.readers import INPUT_FORMATS, FileDigest, Rejected, content_hash, input_kind, read_file


def _read(path, kind, **settings):
    digest = FileDigest()
    items = list(read_file(str(path), path.name, kind, RunSettings(**settings), digest))
    return items, digest


def test_every_input_format_is_a_document_input_kind():
    # the registry is the one list; the schema's Literal must name the same kinds
    assert set(INPUT_FORMATS) == set(get_args(InputKind))


def test_input_kinds():
    assert [input_kind(n) for n in ("a.txt", "b.HTML", "c.htm", "d.jsonl", "e.jsonl.gz", "f.csv")] == [
        "txt",
        "html",
        "html",
        "jsonl",
        "jsonl",
        None,
    ]


def test_jsonl_records_keep_their_fields_and_line_numbers(tmp_path):
    path = tmp_path / "in.jsonl.gz"
    lines = [
        {
            "id": "a",
            "text": "Hello there.",
            "url": "https://x.example/a",
            "publisher": "X",
            "title": "T",
            "published_at": "2026-01-02",
        },
        {"id": 7, "html": "<p>Hi</p>"},
    ]
    path.write_bytes(gzip.compress("\n\n".join(json.dumps(line) for line in lines).encode()))
    items, digest = _read(path, "jsonl")
    assert [type(i) for i in items] == [InputRecord, InputRecord]
    first, second = items
    assert (first.source_id, first.line_no, first.url, first.publisher, first.title, first.published_at) == (
        "a",
        1,
        "https://x.example/a",
        "X",
        "T",
        "2026-01-02",
    )
    assert (second.source_id, second.line_no, second.html) == ("7", 3, "<p>Hi</p>")
    assert digest.content_hash == content_hash(str(path))


def test_a_long_line_is_rejected_and_reading_goes_on(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "big", "text": "x" * 5000}) + "\n" + json.dumps({"id": "ok", "text": "fine"}) + "\n"
    )
    items, _ = _read(path, "jsonl", max_record_bytes=1000)
    assert isinstance(items[0], Rejected) and "max_record_bytes" in items[0].reason and items[0].payload_truncated
    assert isinstance(items[1], InputRecord) and items[1].source_id == "ok" and items[1].line_no == 2


def test_quarantine_payload_is_capped(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x01" * 5000)
    (item,), _ = _read(path, "txt", max_quarantine_payload=100)
    assert isinstance(item, Rejected) and len(item.payload) == 100 and item.payload_truncated


def test_missing_file_is_a_read_rejection_without_a_digest(tmp_path):
    items, digest = _read(tmp_path / "gone.txt", "txt")
    assert isinstance(items[0], Rejected) and "vanished" in items[0].reason
    assert digest.content_hash == ""  # no manifest row: it is retried next run


def test_a_file_of_many_read_chunks_is_read_whole_and_a_file_over_the_cap_is_rejected(tmp_path):
    text = "".join(f"Paragraph {i} of a long page, with text that goes on.\n\n" for i in range(4000))  # ~220 KB
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    (item,), digest = _read(path, "txt")
    assert isinstance(item, InputRecord) and item.text == text
    assert digest.content_hash == content_hash(str(path))  # hashed to the end

    (item,), digest = _read(path, "txt", max_file_bytes=len(text) - 1)
    assert isinstance(item, Rejected) and "max_file_bytes" in item.reason
    assert digest.content_hash == content_hash(str(path))  # hashed to the end all the same
    (item,), _ = _read(path, "txt", max_file_bytes=len(text))  # exactly at the cap: read
    assert isinstance(item, InputRecord)


# ---------------------------------------------------------------- WARC

from tests.warc_fixtures import crawl, gzip_member, page  # noqa: E402
from warehouse.readers import Skipped  # noqa: E402

_PARAS = [
    "The council met on Tuesday evening to vote on the budget for next year.",
    "Residents spoke for two hours about the plan to close the library branch.",
]


def _crawl_pages():
    return [
        ("https://www.news.example/a", page("Budget vote", _PARAS).encode(), "text/html; charset=utf-8"),
        # no charset in the page: the HTTP header's Latin-1 decides
        ("https://www.news.example/b", page("Café reopens", _PARAS).encode("latin-1"), "text/html; charset=ISO-8859-1"),
        ("https://www.news.example/c.txt", "\n\n".join(_PARAS).encode(), "text/plain"),
    ]


def _by_type(items):
    docs = [i for i in items if isinstance(i, InputRecord)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    skipped = sorted(i.reason for i in items if isinstance(i, Skipped))
    return docs, rejected, skipped


SKIP_REASONS = [
    "WARC metadata record",
    "WARC request record",
    "WARC request record",
    "WARC request record",
    "WARC revisit record",
    "WARC warcinfo record",
    "not HTML or text (image/jpeg)",
    "redirect",
]


def test_warc_gz_responses_are_documents_and_the_rest_is_skipped_by_reason(tmp_path):
    members = [gzip_member(r) for r in crawl(_crawl_pages())]
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"".join(members))
    items, digest = _read(path, "warc")
    docs, rejected, skipped = _by_type(items)
    assert rejected == [] and skipped == SKIP_REASONS
    assert [d.url for d in docs] == [
        "https://www.news.example/a",
        "https://www.news.example/b",
        "https://www.news.example/c.txt",
    ]
    assert docs[0].source_id == "<urn:uuid:00000000-0000-0000-0000-000000000002>"
    assert docs[0].fetched_at == "2026-11-02T08:30:00+00:00"
    assert "Café reopens" in docs[1].html
    assert docs[2].text.startswith("The council met") and docs[2].html is None
    # the offset is the record's gzip member's: reading from there gives the record
    data = path.read_bytes()
    assert docs[1].offset == sum(len(m) for m in members[:4])
    assert zlib.decompressobj(31).decompress(data[docs[1].offset :]).startswith(b"WARC/1.0\r\nWARC-Type: response")
    assert digest.content_hash == content_hash(str(path))


def test_plain_warc_reads_alike_with_stream_offsets(tmp_path):
    records = crawl(_crawl_pages())
    path = tmp_path / "crawl.warc"
    path.write_bytes(b"".join(records))
    docs, rejected, skipped = _by_type(_read(path, "warc")[0])
    assert rejected == [] and skipped == SKIP_REASONS and len(docs) == 3
    assert docs[0].offset == sum(len(r) for r in records[:2])


def test_corrupt_and_truncated_warc_members_are_quarantined_with_their_offset_and_the_rest_is_read(tmp_path):
    members = [gzip_member(r) for r in crawl(_crawl_pages())]
    broken = bytearray(members[2])  # the first response
    broken[20:40] = bytes(20)
    data = b"".join(members[:2]) + bytes(broken) + b"junk between members" + b"".join(members[3:])
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(data + members[4][: len(members[4]) // 2])  # and a truncated last member
    docs, rejected, _ = _by_type(_read(path, "warc")[0])
    assert [d.url for d in docs] == ["https://www.news.example/b", "https://www.news.example/c.txt"]
    offset = len(members[0]) + len(members[1])
    assert [r.source for r in rejected] == [f"bad.warc.gz:{offset}", f"bad.warc.gz:{len(data)}"]
    assert "corrupt gzip member" in rejected[0].reason and rejected[0].payload
    assert "truncated gzip member" in rejected[1].reason


def test_a_malformed_record_in_a_plain_warc_is_quarantined_with_its_offset_and_the_rest_is_read(tmp_path):
    # an uncompressed WARC has no frame per record: reading resumes at the next line
    # that opens a record
    records = crawl(_crawl_pages())
    broken = b"WARC/1.0 and not a version line\r\n" + records[2][len(b"WARC/1.0\r\n") :]  # the first response
    garbage = b"\x00\x01 stray bytes between records \xff" * 40
    data = b"".join(records[:2]) + broken + b"".join(records[3:5]) + garbage + b"".join(records[5:])
    path = tmp_path / "bad.warc"
    path.write_bytes(data)
    docs, rejected, skipped = _by_type(_read(path, "warc")[0])
    assert [d.url for d in docs] == ["https://www.news.example/b", "https://www.news.example/c.txt"]
    bad_record = sum(map(len, records[:2]))
    bad_bytes = bad_record + len(broken) + len(records[3]) + len(records[4])
    assert [r.source for r in rejected] == [f"bad.warc:{bad_record}", f"bad.warc:{bad_bytes}"]
    assert all("malformed WARC record" in r.reason and "reading resumed at byte" in r.reason for r in rejected)
    assert rejected[0].payload == broken
    assert rejected[1].payload == garbage
    # the records after each malformed part are read, with their own offsets
    assert docs[0].offset == bad_record + len(broken) + len(records[3])
    assert skipped == SKIP_REASONS  # every request, metadata … record still counted
    # garbage at the very end: quarantined, nothing after it to resume at
    path.write_bytes(b"".join(records) + garbage)
    docs, rejected, _ = _by_type(_read(path, "warc")[0])
    assert len(docs) == 3 and [r.source for r in rejected] == [f"bad.warc:{len(b''.join(records))}"]
    assert "rest of file not read" in rejected[0].reason


def test_plain_warc_resynchronisation_keeps_memory_bounded_over_long_garbage(tmp_path):
    records = crawl(_crawl_pages()[:1])
    garbage = bytes(range(256)).replace(b"\n", b"") * 20_000  # 5 MB without a line break
    path = tmp_path / "long.warc"
    path.write_bytes(records[0] + garbage + b"".join(records[1:]))
    docs, rejected, _ = _by_type(_read(path, "warc")[0])
    assert len(docs) == 1 and len(rejected) == 1
    assert rejected[0].source == f"long.warc:{len(records[0])}" and len(rejected[0].payload) <= 1 << 16


def test_a_warc_member_that_expands_past_the_cap_is_quarantined(tmp_path):
    bomb = gzip_member(b"WARC/1.0\r\n" + b"\x00" * 3_000_000)
    ok = [gzip_member(r) for r in crawl(_crawl_pages()[:1])]
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(bomb + b"".join(ok))
    docs, rejected, _ = _by_type(_read(path, "warc", max_file_bytes=1_000_000)[0])
    assert len(docs) == 1 and len(rejected) == 1 and "expands past" in rejected[0].reason
