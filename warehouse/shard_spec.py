"""Shard specs (which files a shard reads) and shard reports (what it did).

A spec is a small JSON file in the run's staging directory; tasks pass its
path, never the list itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class ShardFile:
    uri: str
    name: str
    size: int
    mtime_ns: int
    previous_hash: str | None = None  # content hash in the manifest, if the file was seen before
    previous_records: int = 0  # and how many records it held then
    fs_path: str | None = None  # the path to open when the name is not UTF-8 (``uri`` shows it escaped)

    @property
    def open_path(self) -> str:
        return self.fs_path or self.uri


@dataclass(kw_only=True)
class Counts:
    """Documents by fate (seen = processed + skipped + quarantined) and rows written."""

    seen: int = 0
    processed: int = 0
    skipped: int = 0
    quarantined: int = 0
    paragraphs: int = 0
    quotes: int = 0
    removed_lines: int = 0
    #: records that are not documents (WARC requests, images, redirects), by reason:
    #: outside ``seen``, neither processed nor quarantined
    not_documents: dict[str, int] = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        for key in fields(Counts):
            if key.name == "not_documents":
                for reason, n in other.not_documents.items():
                    self.not_documents[reason] = self.not_documents.get(reason, 0) + n
            else:
                setattr(self, key.name, getattr(self, key.name) + getattr(other, key.name))


@dataclass(kw_only=True)
class ShardReport(Counts):
    shard: str
    files: int = 0


def write_shard_spec(path: str, files: list[ShardFile]) -> None:
    # vars() and one json.dumps (the C encoder): asdict() deep-copies every field and
    # json.dump() encodes in Python; together they were most of planning 10^5 files
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps([vars(f) for f in files]))


def read_shard_spec(path: str) -> list[ShardFile]:
    with open(path, encoding="utf-8") as handle:
        return [ShardFile(**item) for item in json.load(handle)]
