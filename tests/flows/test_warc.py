"""A crawl's WARC file through the real flow: responses become documents, the rest is
counted by reason, a corrupt record is quarantined with its offset."""

from __future__ import annotations

from tests.conftest import parquet_rows, query
from tests.warc_fixtures import crawl, gzip_member, page

STORY = [
    "The city council voted on Tuesday to keep the river ferry running through the winter.",
    "“We heard the riders loud and clear,” said Mayor Ana Ruiz after the vote.",
    "The ferry carries about 2,000 commuters a day between the two banks of the river.",
]


def crawl_of_three_pages() -> list[bytes]:
    """The WARC records of a crawl of three article pages (with its requests, metadata,
    a revisit, a redirect and an image)."""
    pages = [
        (f"https://www.riverpost.example/news/{i}", page(f"Ferry story {i}", STORY).encode(), "text/html")
        for i in range(3)
    ]
    return crawl(pages)


def input_dir_with(tmp_path, name: str, data: bytes):
    """``tmp_path/in`` holding one input file ``name``."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / name).write_bytes(data)
    return inputs


def test_warc_input_end_to_end(run_flow, tmp_path):
    members = [gzip_member(r) for r in crawl_of_three_pages()]
    corrupt = bytearray(members[4])  # the second response
    corrupt[30:60] = bytes(30)
    members[4] = bytes(corrupt)
    inputs = input_dir_with(tmp_path, "crawl.warc.gz", b"".join(members))
    data_dir = tmp_path / "data"

    summary = run_flow([inputs], data_dir)

    assert (summary.seen, summary.processed, summary.quarantined) == (3, 2, 1)
    not_documents = {
        "WARC warcinfo record": 1,
        "WARC request record": 3,
        "WARC metadata record": 1,
        "WARC revisit record": 1,
        "redirect": 1,
        "not HTML or text (image/jpeg)": 1,
    }
    assert summary.not_documents == not_documents
    # the runs table keeps them too, by reason, outside seen = processed + skipped + quarantined
    (run,) = query(
        data_dir,
        "SELECT n_seen, n_processed, n_skipped, n_quarantined, n_not_documents, not_documents, "
        "not_documents['WARC request record'] FROM runs",
    )
    assert run == (3, 2, 0, 1, 8, not_documents, 3)
    docs = query(
        data_dir,
        "SELECT input_kind, url, fetched_at, source_offset, publisher, n_paragraphs FROM documents ORDER BY url",
    )
    assert [d[1] for d in docs] == ["https://www.riverpost.example/news/0", "https://www.riverpost.example/news/2"]
    assert all(
        d[0] == "warc" and d[2].startswith("2026-11-02T08:30:00") and d[4] == "riverpost.example" and d[5] >= 3
        for d in docs
    )
    assert docs[0][3] == sum(map(len, members[:2]))
    offset = sum(map(len, members[:4]))
    assert query(data_dir, "SELECT source, stage FROM quarantine") == [(f"{inputs / 'crawl.warc.gz'}:{offset}", "read")]
    quotes = query(data_dir, "SELECT speaker_name FROM quotes WHERE kind = 'direct'")
    assert quotes == [("Ana Ruiz",), ("Ana Ruiz",)]

    again = run_flow([inputs], data_dir)  # unchanged: nothing re-read
    assert (again.seen, again.skipped, again.processed) == (3, 3, 0)
    sql = "SELECT n_seen, n_skipped, n_not_documents, not_documents FROM runs ORDER BY run_id"
    runs = query(data_dir, sql)
    assert runs == [(3, 0, 8, not_documents), (3, 3, 0, {})]
    assert parquet_rows(data_dir, "runs", sql.replace("FROM runs", "FROM t")) == runs


def test_a_plain_warc_goes_on_after_a_malformed_record(run_flow, tmp_path):
    records = crawl_of_three_pages()
    # the second response's version line is broken: FastWARC stops there, the reader
    # quarantines the record and resumes at the next one
    records[4] = b"WARC/1.0 broken\r\n" + records[4][len(b"WARC/1.0\r\n") :]
    inputs = input_dir_with(tmp_path, "crawl.warc", b"".join(records))
    data_dir = tmp_path / "data"

    summary = run_flow([inputs], data_dir)

    assert (summary.seen, summary.processed, summary.quarantined) == (3, 2, 1)
    urls = query(data_dir, "SELECT url, source_offset FROM documents ORDER BY url")
    assert urls == [
        ("https://www.riverpost.example/news/0", sum(map(len, records[:2]))),
        ("https://www.riverpost.example/news/2", sum(map(len, records[:6]))),
    ]
    offset = sum(map(len, records[:4]))
    ((source, stage, reason),) = query(data_dir, "SELECT source, stage, reason FROM quarantine")
    assert (source, stage) == (f"{inputs / 'crawl.warc'}:{offset}", "read")
    assert f"malformed WARC record at byte {offset:,}" in reason and "reading resumed" in reason
