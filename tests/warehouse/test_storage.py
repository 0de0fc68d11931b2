"""warehouse.storage: local paths and s3:// URIs, and reading ahead."""

from __future__ import annotations

from dataclasses import dataclass

from warehouse.storage import with_readahead


@dataclass
class _File:
    uri: str
    size: int


def test_readahead_yields_every_file_in_order_whatever_their_state(tmp_path):
    present = tmp_path / "a.txt"
    present.write_text("Story.\n", encoding="utf-8")
    files = [
        _File(str(present), 7),
        _File(str(tmp_path / "vanished.txt"), 10),  # the read reports it, not the readahead
        _File(str(tmp_path), 0),  # a directory
        _File("s3://bucket/key.txt", 5),  # remote: nothing to ask the kernel for
        *(_File(str(present), 7) for _ in range(40)),  # more files than read ahead
    ]
    assert list(with_readahead(files)) == files
    assert list(with_readahead(files, ahead=1)) == files
    assert list(with_readahead([])) == []
