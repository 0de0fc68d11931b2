"""Readers: records and rejections straight from files."""

from __future__ import annotations

import gzip
import json
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
        "txt", "html", "html", "jsonl", "jsonl", None]


def test_jsonl_records_keep_their_fields_and_line_numbers(tmp_path):
    path = tmp_path / "in.jsonl.gz"
    lines = [{"id": "a", "text": "Hello there.", "url": "https://x.example/a", "publisher": "X", "title": "T",
              "published_at": "2026-01-02"}, {"id": 7, "html": "<p>Hi</p>"}]
    path.write_bytes(gzip.compress("\n\n".join(json.dumps(line) for line in lines).encode()))
    items, digest = _read(path, "jsonl")
    assert [type(i) for i in items] == [InputRecord, InputRecord]
    first, second = items
    assert (first.source_id, first.line_no, first.url, first.publisher, first.title, first.published_at) == (
        "a", 1, "https://x.example/a", "X", "T", "2026-01-02")
    assert (second.source_id, second.line_no, second.html) == ("7", 3, "<p>Hi</p>")
    assert digest.content_hash == content_hash(str(path))


def test_a_long_line_is_rejected_and_reading_goes_on(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "big", "text": "x" * 5000}) + "\n" + json.dumps({"id": "ok", "text": "fine"}) + "\n")
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
