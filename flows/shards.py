"""One shard: read its input files, transform every record, write Parquet.

A plain function (no Prefect inside) so that the same code runs inline, in a
local process pool, or as a task on a Dask worker.  It takes a path to the
shard's spec and returns a small ``ShardReport``; documents never cross a
process boundary.

Idempotent: the output file names are derived from the run and shard, and a
rerun of the same shard overwrites its own staged files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import traceback
from dataclasses import dataclass

from schemas.models import InputFileRow, InputRecord
from schemas.settings import RunSettings
from transforms.batch import RecordBatch
from transforms.document import TransformedDocument, TransformError, template_scope
from transforms.fingerprint import signature_bytes
from warehouse.failpoints import failpoint
from warehouse.parquet_writer import ShardWriter
from warehouse.readers import (
    FileDigest,
    Rejected,
    Skipped,
    capped_payload,
    content_hash,
    input_kind,
    known_suffixes,
    read_file,
)
from warehouse.shard_spec import Counts, ShardFile, ShardReport, read_shard_spec
from warehouse.storage import with_readahead
from warehouse.templates import TemplateTally, read_known_templates


def process_shard(spec_path: str, out_dir: str, run_id: str, ingest_date: str, settings: RunSettings) -> ShardReport:
    """Process the files listed at ``spec_path`` into ``out_dir``; returns the counts."""
    shard_name = f"{run_id}-{os.path.splitext(os.path.basename(spec_path))[0]}"
    shard = _Shard(
        writer=ShardWriter(out_dir, shard_name, ingest_date),
        keys={"run_id": run_id, "ingest_date": dt.date.fromisoformat(ingest_date)},
        settings=settings,
        report=ShardReport(shard=shard_name),
        # the spec lives in <staging>/shards/, next to what the run learned before it started
        known_templates=read_known_templates(os.path.dirname(os.path.dirname(spec_path))),
        template_tally=TemplateTally(),
    )
    try:
        for shard_file in with_readahead(read_shard_spec(spec_path)):
            shard.report.files += 1
            _process_file_within_bounds(shard, shard_file)
            if shard.report.processed >= 100:
                failpoint("shard:after-100-docs")
        scopes, lines = shard.template_tally.rows(shard.keys, shard_name)
        for scope_row in scopes:
            shard.writer.add("template_scopes", scope_row)
        for line_row in lines:
            shard.writer.add("template_lines", line_row)
        failpoint("shard:before-close")
        shard.writer.close()
        failpoint("shard:closed")
    except BaseException:
        shard.writer.abort()
        raise
    return shard.report


@dataclass
class _Shard:
    """What each step of one shard works with: where its rows go and with which keys,
    the run's settings, the counts so far, and the templates."""

    writer: ShardWriter
    keys: dict  # run_id and ingest_date, on every row
    settings: RunSettings
    report: ShardReport
    known_templates: dict[str, frozenset[str]]  # scope -> template keys learned in earlier runs
    template_tally: TemplateTally  # what this shard's documents repeat, for the next runs

    def quarantine(self, source_uri: str, item: Rejected) -> None:
        self.writer.add("quarantine", item.quarantine_row(self.keys, source_uri))
        self.report.add(Counts(seen=1, quarantined=1))

    def write_document(self, doc: TransformedDocument) -> None:
        doc_keys = {**self.keys, "doc_id": doc.doc_id}
        writer = self.writer
        # near_duplicate_of is the warehouse's to set, against every earlier document, at publishing
        writer.add_models("documents", {**doc_keys, "near_duplicate_of": None}, [doc.info])
        writer.add_models("paragraphs", doc_keys, doc.paragraphs)
        writer.add_models("quotes", doc_keys, doc.quotes)
        writer.add_models("removed_lines", doc_keys, doc.removed)
        if doc.fingerprint.minhash:
            writer.add_columns(
                "document_signatures",
                doc_keys,
                {"n_shingles": [doc.fingerprint.n_shingles], "minhash": [signature_bytes(doc.fingerprint.minhash)]},
            )
            writer.add_columns(
                "document_bands",
                doc_keys,
                {"band": list(range(len(doc.fingerprint.bands))), "band_hash": list(doc.fingerprint.bands)},
            )
        report = self.report
        report.seen += 1
        report.processed += 1
        report.paragraphs += len(doc.paragraphs)
        report.quotes += len(doc.quotes)
        report.removed_lines += len(doc.removed)

    def record_manifest(self, shard_file: ShardFile, content_hash: str, n_records: int, n_quarantined: int) -> None:
        self.writer.add(
            "inputs",
            InputFileRow(
                **self.keys,
                uri=shard_file.uri,
                size=shard_file.size,
                mtime_ns=shard_file.mtime_ns,
                content_hash=content_hash,
                n_records=n_records,
                n_quarantined=n_quarantined,
            ),
        )


def _process_file_within_bounds(shard: _Shard, shard_file: ShardFile) -> None:
    """``_process_file``, where an exception stops at the file's boundary: whatever one
    input holds must not stop the shard, the run, and every scheduled run after it.
    The file is quarantined with the traceback and kept out of the manifest, so it is
    retried on the next run (records already written from it stay, and are replaced
    then); an interrupt (``KeyboardInterrupt``, ``SystemExit``) still stops the run."""
    try:
        _process_file(shard, shard_file)
    except Exception as err:  # noqa: BLE001 — the boundary of one input
        shard.quarantine(
            shard_file.uri,
            Rejected(
                shard_file.name,
                "internal",
                f"internal error: {type(err).__name__}: {err}",
                traceback.format_exc(limit=5),
            ),
        )


def _process_file(shard: _Shard, shard_file: ShardFile) -> None:
    kind = input_kind(shard_file.name)
    if kind is None:
        extension = os.path.splitext(shard_file.name)[1] or "(none)"
        shard.quarantine(
            shard_file.uri,
            Rejected(shard_file.name, "read", f"unknown file type {extension!r}: expected one of {known_suffixes()}"),
        )
        shard.record_manifest(shard_file, content_hash="", n_records=0, n_quarantined=1)
        return
    if shard_file.previous_hash and content_hash(shard_file.open_path) == shard_file.previous_hash:
        # Touched but not changed: the rows already in the warehouse stand.
        shard.report.seen += shard_file.previous_records
        shard.report.skipped += shard_file.previous_records
        return
    digest = FileDigest()
    tally = _FileTally()
    batch = RecordBatch()
    for item in read_file(shard_file.uri, shard_file.name, kind, shard.settings, digest, open_path=shard_file.fs_path):
        if isinstance(item, Skipped):
            not_documents = shard.report.not_documents
            not_documents[item.reason] = not_documents.get(item.reason, 0) + 1
            continue
        tally.records += 1
        if isinstance(item, Rejected):
            shard.quarantine(shard_file.uri, tally.within_payload_budget(item, shard.settings))
            tally.quarantined += 1
            continue
        if batch.add(item):
            _transform_batch(shard, batch, kind, tally)
    _transform_batch(shard, batch, kind, tally)
    # Only a file read to its end enters the manifest: an I/O failure, or a record
    # that hit a bug in a transform, is retried on the next run.
    if digest.content_hash and not tally.retry:
        shard.record_manifest(shard_file, digest.content_hash, tally.records, tally.quarantined)


@dataclass
class _FileTally:
    records: int = 0  # records in the file, processed or quarantined
    quarantined: int = 0
    retry: bool = False  # a transform failed unexpectedly: keep the file out of the manifest
    payload_bytes: int = 0  # bytes of this file kept in quarantine payloads so far

    def within_payload_budget(self, item: Rejected, settings: RunSettings) -> Rejected:
        """``item``, without its payload once the file's quarantine payloads reach
        ``max_quarantine_payload_per_file``: a file of a million bad lines must not
        copy itself into the warehouse (its ``source`` still says where each line is)."""
        size = len(item.payload or b"")
        if size and self.payload_bytes + size > settings.max_quarantine_payload_per_file:
            return dataclasses.replace(item, payload=None, payload_truncated=True)
        self.payload_bytes += size
        return item


def _transform_batch(shard: _Shard, batch: RecordBatch, kind: str, tally: _FileTally) -> None:
    """Transform a batch of records and write their rows (or quarantine them); empties the batch."""
    if not batch.records:
        return
    templates = batch.templates(shard.known_templates, shard.settings.template_min_docs)
    for record in batch.records:
        scope = template_scope(record)
        try:
            doc = templates.transform(record, scope, input_kind=kind)
        except Exception as err:  # noqa: BLE001 — one bad record must not stop the run
            # TransformError is a known refusal; anything else is a bug, kept with
            # its traceback in quarantine so the record can be replayed once fixed.
            tally.quarantined += 1
            tally.retry = tally.retry or not isinstance(err, TransformError)
            reason = str(err) if isinstance(err, TransformError) else f"internal error: {type(err).__name__}: {err}"
            shard.quarantine(
                record.source_uri,
                Rejected(
                    _record_source(record),
                    "transform",
                    reason,
                    traceback.format_exc(limit=3),
                    source_id=record.source_id,
                    **capped_payload((record.html or record.text or "").encode("utf-8", "replace"), shard.settings),
                ),
            )
            continue
        shard.write_document(doc)
        shard.template_tally.add(scope, [p.text for p in doc.paragraphs] + [r.text for r in doc.removed])
    batch.clear()


def _record_source(record: InputRecord) -> str:
    return record.source_id if record.line_no is None else f"{record.source_id} ({record.source_uri}:{record.line_no})"
