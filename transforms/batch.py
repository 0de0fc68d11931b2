"""Records transformed together, so that a publisher's template shows.

A site's furniture (menus, footers, promos) is the lines most of its documents share:
``find_template_lines`` finds them among the records of one publisher in one batch, and
each record is cleaned without them, besides the lines earlier runs learned for its
template scope.  Pure: the shard job reads the records, fills a ``RecordBatch`` and
writes what ``BatchTemplates.transform`` returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from schemas.models import InputRecord
from transforms.clean import find_template_lines
from transforms.document import TransformedDocument, publisher_of, transform_record

#: Records transformed together; template lines are found per batch and publisher.
BATCH_RECORDS = 1000
#: ... or fewer, when their text reaches this many characters (a batch of 1,000
#: records of up to max_record_bytes each would otherwise hold gigabytes).
BATCH_CHARS = 64 * 1024 * 1024


class RecordBatch:
    """The records of one input file gathered until the batch is full."""

    def __init__(self) -> None:
        self.records: list[InputRecord] = []
        self.chars = 0  # characters of text (or HTML) in the batch

    def add(self, record: InputRecord) -> bool:
        """Add ``record``; whether the batch is now full (transform it before adding more)."""
        self.records.append(record)
        self.chars += len(record.text or record.html or "")
        return len(self.records) >= BATCH_RECORDS or self.chars >= BATCH_CHARS

    def templates(self, learned: Mapping[str, frozenset[str]], min_docs: int) -> BatchTemplates:
        """The template lines for this batch's records: those its publishers' documents
        share here (``min_docs`` or more of them), and ``learned`` (scope -> template keys
        from earlier runs)."""
        return BatchTemplates(template_lines_by_publisher(self.records, min_docs), learned)

    def clear(self) -> None:
        self.records.clear()
        self.chars = 0


@dataclass(frozen=True)
class BatchTemplates:
    in_batch: Mapping[str | None, frozenset[str]]  # publisher -> lines its documents in the batch share
    learned: Mapping[str, frozenset[str]]  # template scope -> lines learned in earlier runs

    def transform(self, record: InputRecord, scope: str | None, *, input_kind: str) -> TransformedDocument:
        """``transform_record`` with the template lines of the record's publisher and of
        its ``scope`` (``template_scope(record)``)."""
        return transform_record(
            record,
            input_kind=input_kind,
            template_lines=self.in_batch.get(publisher_of(record), frozenset()),
            learned_template_lines=self.learned.get(scope, frozenset()) if scope else frozenset(),
        )


def template_lines_by_publisher(records: list[InputRecord], min_docs: int) -> dict[str | None, frozenset[str]]:
    """Per publisher with ``min_docs`` or more text records: the lines most of them share."""
    groups: dict[str | None, list[str]] = defaultdict(list)
    for record in records:
        publisher = publisher_of(record)
        if publisher and record.text is not None:
            groups[publisher].append(record.text)
    return {
        publisher: find_template_lines(texts, min_docs=min_docs)
        for publisher, texts in groups.items()
        if len(texts) >= min_docs
    }
