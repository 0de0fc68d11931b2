"""Broken and hostile inputs: each is quarantined with a clear reason, the run goes
on, nothing is lost, and seen = processed + skipped + quarantined."""

from __future__ import annotations

import gzip
import json
import os
import random
import socket
from pathlib import Path

import pytest

from tests.conftest import SEEDS, query

GOOD_TEXT = (SEEDS / "001_2d56a537528789b0.txt").read_text(encoding="utf-8")
ARTICLE = "\n\n".join(
    [
        "The city council approved the new budget on Tuesday after a long debate about schools.",
        "“We have made hard choices, but the right ones,” Mayor Ana Ruiz said after the vote.",
        "The plan raises spending on libraries and parks while freezing most other departments.",
    ]
)
CAPS = {"max_file_bytes": 2_000_000, "max_record_bytes": 1_000_000, "max_decompressed_bytes": 5_000_000}


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


@pytest.fixture
def hostile_dir(tmp_path) -> Path:
    root = tmp_path / "inputs"
    rng = random.Random(7)
    # fine inputs, in several encodings
    _write(root / "good.txt", GOOD_TEXT)
    _write(root / "utf16_bom.txt", ARTICLE.encode("utf-16"))
    _write(root / "utf16_nobom.txt", ARTICLE.encode("utf-16-le"))
    _write(root / "latin1.txt", ARTICLE.replace("“", '"').replace("”", '"').replace("Ruiz", "Muñoz").encode("latin-1"))
    _write(root / "cp1252.txt", ARTICLE.replace("Ruiz", "Muñoz").encode("cp1252"))
    _write(
        root / "invalid_utf8.txt",
        ARTICLE.encode("utf-8").replace(b"\xe2\x80\x9c", b"\xc0\xaf\xe2\x80")
        + b"\n\nTruncated sequences \xe2\x82 and overlong \xc0\x80 bytes sit in this paragraph.\n",
    )
    _write(
        root / "mixed.txt",
        ARTICLE.encode("utf-8") + b"\n\nA stray byte \xff in an otherwise fine article paragraph here.\n",
    )
    _write(
        root / "page.html",
        "<html><head><title>Budget vote</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n"))
        + "<p><a href='http://example.com/x'>http://example.com/more</a></p></article></body></html>",
    )
    # broken single files
    _write(root / "empty.txt", b"")
    _write(root / "blank.txt", b"  \n\t \n")
    _write(root / "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000)))
    _write(root / "random.txt", bytes(rng.randrange(256) for _ in range(5000)))
    _write(root / "nul.txt", ("Some text " * 50).encode() + b"\x00\x00\x00" + ("more text " * 50).encode())
    _write(root / "too_big.txt", ("A long line of article text. " * 100 + "\n\n") * 800)  # > max_file_bytes
    _write(root / "notes.pdf", b"%PDF-1.4 not for us")
    # hostile HTML
    _write(root / "deep.html", "<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>")
    _write(
        root / "huge_attr.html",
        "<html><body><p title='" + "x" * 1_500_000 + "'>" + ARTICLE.split("\n\n")[0] + "</p></body></html>",
    )
    _write(
        root / "tricks.html",
        "<html><body><!-- <p>hidden</p> --><![CDATA[ <p>cdata</p> ]]>"
        "<p>Real text about the council and its long budget debate, written out in full.</p>"
        "<!-- unclosed comment <p>gone</p></body></html>",
    )
    # JSONL: good and bad records side by side
    records = [
        json.dumps({"id": "ok-1", "text": ARTICLE, "url": "https://news.example.org/a"}),
        "{not json",
        json.dumps({"id": "types", "text": 42}),
        json.dumps({"id": "ok-1", "text": ARTICLE + "\n\nDuplicate id."}),
        json.dumps({"id": "both", "text": ARTICLE, "html": "<p>x</p>"}),
        json.dumps({"id": "neither", "title": "nothing here"}),
        json.dumps(["an", "array"]),
        json.dumps({"text": ARTICLE}),
        json.dumps({"id": "ok-2", "html": "<html><body><p>" + ARTICLE.split("\n\n")[0] + "</p></body></html>"}),
        "",
    ]
    _write(root / "records.jsonl", "\n".join(records))
    words = ["council", "budget", "school", "library", "park", "vote", "mayor", "debate", "city", "plan"]
    varied = [ARTICLE + "\n\n" + " ".join(rng.choice(words) for _ in range(300)) + "." for _ in range(20)]
    good_gz = gzip.compress(
        ("\n".join(json.dumps({"id": f"gz-{i}", "text": t}) for i, t in enumerate(varied)) + "\n").encode()
    )
    _write(root / "truncated.jsonl.gz", good_gz[: len(good_gz) * 2 // 3])
    _write(root / "bomb.jsonl.gz", gzip.compress(b"0" * 50_000_000))
    _write(
        root / "long_line.jsonl",
        b'{"id": "long", "text": "'
        + b"x" * 100_000_000
        + b'"}\n'
        + json.dumps({"id": "after-long", "text": ARTICLE}).encode()
        + b"\n",
    )
    # directory trouble
    (root / "loop").mkdir()
    os.symlink("..", root / "loop" / "back")
    os.symlink(root / "does-not-exist.txt", root / "broken_link.txt")
    _write(root / "vanishing.txt", ARTICLE)
    _write(root / "locked.txt", ARTICLE)
    return root


def test_hostile_inputs_are_quarantined_and_counted(run_flow, hostile_dir, tmp_path, monkeypatch):
    import warehouse.plan
    import warehouse.readers

    real_discover = warehouse.plan.discover

    def discover_then_delete(inputs, **kwargs):
        for item in real_discover(inputs, **kwargs):
            yield item
            if getattr(item, "name", "").endswith("vanishing.txt"):
                os.remove(item.uri)  # deleted between discovery and reading

    real_open = warehouse.readers.open_input

    def open_unless_locked(uri):
        if uri.endswith("locked.txt"):  # tests run as root, where chmod 000 cannot stop a read
            raise PermissionError(13, "Permission denied", uri)
        return real_open(uri)

    real_connect = socket.socket.connect

    def loopback_only(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and not host.startswith("/"):
            raise AssertionError(f"the pipeline opened a network connection to {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(warehouse.plan, "discover", discover_then_delete)
    monkeypatch.setattr(warehouse.readers, "open_input", open_unless_locked)
    monkeypatch.setattr(socket.socket, "connect", loopback_only)

    data_dir = tmp_path / "data"
    summary = run_flow([hostile_dir], data_dir, workers=1, **CAPS)

    assert summary.seen == summary.processed + summary.skipped + summary.quarantined
    reasons = {
        source.rsplit("/", 1)[-1]: (stage, reason)
        for source, stage, reason in query(data_dir, "SELECT source, stage, reason FROM quarantine")
    }

    def reason_of(name: str) -> str:
        hits = [r for s, r in reasons.items() if s.startswith(name)]
        assert hits, f"{name} not quarantined; quarantine holds {sorted(reasons)}"
        return hits[0][1]

    assert "empty" in reason_of("empty.txt")
    assert "empty" in reason_of("blank.txt")
    assert "PNG" in reason_of("image.txt")
    assert "binary" in reason_of("random.txt")
    assert "NUL" in reason_of("nul.txt")
    assert "max_file_bytes" in reason_of("too_big.txt")
    assert "unknown file type '.pdf'" in reason_of("notes.pdf")
    assert "invalid JSON" in reason_of("records.jsonl:2")
    assert "must be a string" in reason_of("records.jsonl:3")
    assert "duplicate id 'ok-1'" in reason_of("records.jsonl:4")
    assert "both `text` and `html`" in reason_of("records.jsonl:5")
    assert "neither `text` nor `html`" in reason_of("records.jsonl:6")
    assert "not an object" in reason_of("records.jsonl:7")
    assert "no usable `id`" in reason_of("records.jsonl:8")
    assert "truncated" in reason_of("truncated.jsonl.gz")
    assert "max_decompressed_bytes" in reason_of("bomb.jsonl.gz")
    assert "max_record_bytes" in reason_of("long_line.jsonl:1")
    assert "link loop" in reason_of("back")
    assert "broken symbolic link" in reason_of("broken_link.txt")
    assert "vanished" in reason_of("vanishing.txt")
    assert "permission denied" in reason_of("locked.txt")

    processed = {row[0].rsplit("/", 1)[-1] for row in query(data_dir, "SELECT source_id FROM documents")}
    for name in (
        "good.txt",
        "utf16_bom.txt",
        "utf16_nobom.txt",
        "latin1.txt",
        "cp1252.txt",
        "mixed.txt",
        "invalid_utf8.txt",
        "page.html",
        "huge_attr.html",
        "tricks.html",
        "ok-1",
        "ok-2",
        "after-long",
    ):
        assert name in processed, f"{name} was not processed: {reasons.get(name)}"
    # the complete records before the truncation point of a .gz are kept
    assert sum(1 for p in processed if p.startswith("gz-")) >= 1
    # deep.html: processed (maybe with no paragraphs) or quarantined with a reason, never a crash
    assert "deep.html" in processed or reason_of("deep.html")
    # decoded text is right, not mojibake
    texts = {
        row[0].rsplit("/", 1)[-1]: row[1]
        for row in query(
            data_dir,
            """
        SELECT d.source_id, string_agg(p.text, ' ') FROM documents d JOIN paragraphs p USING (doc_id) GROUP BY 1""",
        )
    }
    assert "Muñoz" in texts["latin1.txt"] and "Muñoz" in texts["cp1252.txt"]
    assert "Mayor Ana Ruiz" in texts["utf16_bom.txt"] and "Mayor Ana Ruiz" in texts["utf16_nobom.txt"]
    assert "hidden" not in texts.get("tricks.html", "") and "cdata" not in texts.get("tricks.html", "")

    # the input itself is kept for every quarantined record that had bytes
    kept = dict(query(data_dir, "SELECT source, payload FROM quarantine WHERE source LIKE '%records.jsonl:2'"))
    assert list(kept.values()) == [b"{not json\n"]  # the line exactly as read
    (runs,) = query(data_dir, "SELECT n_seen, n_processed, n_skipped, n_quarantined FROM runs")
    assert runs == (summary.seen, summary.processed, summary.skipped, summary.quarantined)


def test_rerun_over_hostile_inputs_adds_nothing(run_flow, hostile_dir, tmp_path):
    """Quarantined files are remembered too: an unchanged bad file is skipped, not re-added."""
    data_dir = tmp_path / "data"
    first = run_flow([hostile_dir], data_dir, workers=1, **CAPS)
    counts = query(data_dir, "SELECT (SELECT count(*) FROM quarantine), (SELECT count(*) FROM documents)")
    second = run_flow([hostile_dir], data_dir, workers=1, **CAPS)
    assert second.processed == 0
    assert second.seen == second.skipped + second.quarantined
    assert query(data_dir, "SELECT (SELECT count(*) FROM quarantine), (SELECT count(*) FROM documents)") == counts
    assert first.seen == first.processed + first.skipped + first.quarantined


def test_a_transform_bug_quarantines_the_record_and_the_file_is_retried(run_flow, seeds_copy, tmp_path, monkeypatch):
    import transforms.batch

    real_transform = transforms.batch.transform_record

    def buggy(record, **kwargs):
        if record.source_id.endswith("000_baf19a50518b6e72.txt"):
            raise IndexError("list index out of range")
        return real_transform(record, **kwargs)

    data_dir = tmp_path / "data"
    monkeypatch.setattr(transforms.batch, "transform_record", buggy)
    first = run_flow([seeds_copy], data_dir, workers=1)
    assert (first.processed, first.quarantined) == (1, 1)
    ((stage, reason, error),) = query(data_dir, "SELECT stage, reason, error FROM quarantine")
    assert stage == "transform" and reason.startswith("internal error: IndexError") and "Traceback" in error

    monkeypatch.setattr(transforms.batch, "transform_record", real_transform)  # the bug is fixed
    second = run_flow([seeds_copy], data_dir, workers=1)
    assert (second.processed, second.skipped, second.quarantined) == (1, 1, 0)
    assert query(data_dir, "SELECT count(*) FROM quarantine")[0][0] == 0
    assert query(data_dir, "SELECT count(*) FROM documents")[0][0] == 2
