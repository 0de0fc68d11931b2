"""Readers: input files to ``InputRecord``s, or to ``Rejected`` with a reason.

Plain generators, one per input kind, listed in ``INPUT_FORMATS`` (kind → file
suffixes, reader, cost): a new format is one entry there.  A reader never raises
for bad input: whatever cannot be read becomes a ``Rejected`` item that the shard
writes to ``quarantine`` with (a capped copy of) the bytes, so nothing is lost.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import json
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, cast

from fastwarc.warc import ArchiveIterator

from schemas.models import InputRecord, QuarantineRow
from schemas.settings import RunSettings
from transforms.decode import DecodeError, decode_bytes, without_lone_surrogates
from warehouse.storage import open_input

OPTIONAL_FIELDS = ("url", "title", "publisher", "published_at")


@dataclass(frozen=True)
class Rejected:
    """An input (file or JSONL line) that cannot be processed, and why."""

    source: str
    stage: str
    reason: str
    error: str | None = None
    payload: bytes | None = None
    source_id: str | None = None
    payload_truncated: bool = False

    def quarantine_row(self, keys: dict, source_uri: str) -> QuarantineRow:
        """This rejection as a ``quarantine`` row (``keys``: run_id, ingest_date)."""
        return QuarantineRow(
            **keys,
            source=self.source,
            source_uri=source_uri,
            source_id=self.source_id,
            stage=self.stage,
            reason=self.reason,
            error=self.error,
            payload=self.payload,
            payload_truncated=self.payload_truncated,
        )


def capped_payload(data: bytes, settings: RunSettings) -> dict:
    """The ``payload`` fields of a ``Rejected``: the bytes, cut at the configured cap."""
    cap = settings.max_quarantine_payload
    return {"payload": data[:cap], "payload_truncated": len(data) > cap}


@dataclass(frozen=True)
class Skipped:
    """A record that is not a document (a WARC request, an image, a redirect): counted
    by ``reason``, neither processed nor quarantined."""

    source: str
    reason: str


@dataclass
class FileDigest:
    """Filled in when a file has been read to its end: its content hash."""

    content_hash: str = ""


class _HashingReader(io.RawIOBase):
    """Wraps a binary stream, hashing what passes through."""

    def __init__(self, raw: BinaryIO):
        super().__init__()
        self._raw = raw
        self._hash = hashlib.blake2b(digest_size=16)

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._hash.update(data)
        return data

    def readinto(self, buffer) -> int:  # used by gzip
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readable(self) -> bool:
        return True

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def content_hash(uri: str) -> str:
    """The hash ``read_file`` records for a file (at ``uri``, a path), without parsing it."""
    with open_input(uri) as raw:
        hashing = _HashingReader(raw)
        while hashing.read(1 << 20):
            pass
    return hashing.hexdigest()


def read_file(
    uri: str, name: str, kind: str, settings: RunSettings, digest: FileDigest, open_path: str | None = None
) -> Iterator[InputRecord | Rejected | Skipped]:
    """All records of one input file.  ``name`` is the path as the user gave it;
    ``open_path`` the path to open when it differs from ``uri`` (a file name that is
    not UTF-8, see ``discover``)."""
    try:
        if kind == "jsonl" and uri.lower().endswith(".gz"):
            damaged = _gzip_trailer_problem(open_path or uri, settings)
            if damaged:
                with open_input(open_path or uri) as raw:
                    yield Rejected(
                        name, "read", damaged, **capped_payload(raw.read(settings.max_quarantine_payload + 1), settings)
                    )
                digest.content_hash = content_hash(open_path or uri)
                return
        with open_input(open_path or uri) as raw:
            hashing = _HashingReader(raw)
            yield from INPUT_FORMATS[kind].read(hashing, uri, name, settings)
            digest.content_hash = hashing.hexdigest()
    except FileNotFoundError as err:
        yield Rejected(name, "read", "file vanished between discovery and reading", repr(err))
    except PermissionError as err:
        yield Rejected(name, "read", "file is not readable (permission denied)", repr(err))
    except IsADirectoryError as err:
        yield Rejected(name, "read", "path is a directory, not a file", repr(err))
    except OSError as err:
        yield Rejected(name, "read", f"could not read file: {err.strerror or err}", repr(err))


_READ_CHUNK = 1 << 16


def _read_at_most(raw: _HashingReader, limit: int) -> bytes:
    """Up to ``limit`` bytes.  In chunks: ``read(limit)`` would allocate the whole limit
    (64 MB) for every 10 KB page, which cost more than reading it."""
    chunks = []
    total = 0
    while total < limit:
        chunk = raw.read(min(_READ_CHUNK, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _read_text(raw: _HashingReader, uri: str, name: str, settings: RunSettings) -> Iterator[InputRecord | Rejected]:
    return _read_single(raw, uri, name, "txt", settings)


def _read_html(raw: _HashingReader, uri: str, name: str, settings: RunSettings) -> Iterator[InputRecord | Rejected]:
    return _read_single(raw, uri, name, "html", settings)


def _read_single(
    raw: _HashingReader, uri: str, name: str, kind: str, settings: RunSettings
) -> Iterator[InputRecord | Rejected]:
    data = _read_at_most(raw, settings.max_file_bytes + 1)
    if len(data) > settings.max_file_bytes:
        while raw.read(1 << 20):  # finish the hash without holding the bytes
            pass
        yield Rejected(
            name,
            "read",
            f"file larger than max_file_bytes ({settings.max_file_bytes:,} bytes)",
            **capped_payload(data, settings),
        )
        return
    try:
        text = decode_bytes(data, html=kind == "html")
    except DecodeError as err:
        yield Rejected(name, "decode", str(err), **capped_payload(data, settings))
        return
    field = "html" if kind == "html" else "text"
    yield InputRecord(source_id=name, source_uri=uri, **{field: text})


class _DecompressionCapExceeded(Exception):
    pass


class _CappedLines:
    """Lines of a (decompressed) stream, refusing to expand past ``cap`` bytes in all."""

    def __init__(self, stream: BinaryIO, cap: int):
        self._stream = stream
        self._cap = cap
        self.total = 0

    def readline(self, size: int) -> bytes:
        line = self._stream.readline(size)
        self.total += len(line)
        if self.total > self._cap:
            raise _DecompressionCapExceeded
        return line


def _read_jsonl(raw: _HashingReader, uri: str, name: str, settings: RunSettings) -> Iterator[InputRecord | Rejected]:
    if uri.lower().endswith(".gz"):
        stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
        cap = settings.max_decompressed_bytes
    else:  # a plain file cannot expand: its size on disk is what it holds
        stream = io.BufferedReader(raw, buffer_size=1 << 20)
        cap = sys.maxsize
    wide = _wide_encoding(stream)
    if wide:  # split lines after decoding: in UTF-16 a b"\n" byte is half a character
        stream = _Recoded(stream, wide)  # type: ignore[assignment]
    lines = _CappedLines(stream, cap)
    first_line_of: dict[str, int] = {}
    line_no = 0
    try:
        while True:
            line, too_long = _read_line(lines, settings.max_record_bytes)
            if not line and not too_long:
                break
            line_no += 1
            if too_long:
                yield Rejected(
                    f"{name}:{line_no}",
                    "read",
                    f"line longer than max_record_bytes ({settings.max_record_bytes:,} bytes)",
                    payload=line[: settings.max_quarantine_payload],
                    payload_truncated=True,
                )
                continue
            if not line.strip():
                continue
            yield _parse_record(line, line_no, uri, name, first_line_of, settings)
    except _DecompressionCapExceeded:
        yield Rejected(
            f"{name}:{line_no + 1}",
            "read",
            f"input expands past max_decompressed_bytes ({settings.max_decompressed_bytes:,}); "
            f"rest of file not read (a gzip bomb?)",
        )
        _drain(raw)
    except (EOFError, gzip.BadGzipFile, zlib.error) as err:
        yield Rejected(
            f"{name}:{line_no + 1}",
            "read",
            f"compressed stream is truncated or corrupt after line {line_no}",
            repr(err),
        )
        _drain(raw)


_WIDE_BOMS = (  # UTF-32 first: its little-endian BOM begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _wide_encoding(stream) -> str | None:
    """ "utf-16" or "utf-32" when the stream starts with that BOM (PowerShell's
    ``Out-File`` writes UTF-16), else None: JSONL is UTF-8 (with or without a BOM)."""
    head = stream.peek(4)[:4]
    return next((encoding for bom, encoding in _WIDE_BOMS if head.startswith(bom)), None)


class _Recoded:
    """Lines of a UTF-16/32 stream, re-encoded as UTF-8 (bad code units become U+FFFD)."""

    def __init__(self, stream: BinaryIO, encoding: str):
        self._text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="\n")

    def readline(self, size: int) -> bytes:
        return self._text.readline(size).encode("utf-8")


def _gzip_trailer_problem(path: str, settings: RunSettings) -> str | None:
    """Why a .gz must be refused whole, or None.  Its CRC and length are only checked at
    the end of the stream, after every record was read: a mismatch means some bytes are
    wrong and nobody knows which, so the file is checked before any record is used.
    (Decompressing is ~100x faster than processing the records.)  Truncation and
    expansion past the cap are not refused here: the records before them are good."""
    try:
        with open_input(path) as raw, gzip.GzipFile(fileobj=raw, mode="rb") as stream:
            total = 0
            while chunk := stream.read(1 << 20):
                total += len(chunk)
                if total > settings.max_decompressed_bytes:
                    return None
    except EOFError:
        return None
    except (gzip.BadGzipFile, zlib.error) as err:
        if "CRC check failed" in str(err) or "Incorrect length" in str(err):
            return (
                f"gzip integrity check failed ({err}): some decompressed bytes are wrong and "
                "which is unknown, so no record of this file is loaded"
            )
        return None
    return None


def _read_line(stream: _CappedLines, cap: int) -> tuple[bytes, bool]:
    """One line of at most ``cap`` bytes; a longer line is skipped to its end."""
    line = stream.readline(cap + 1)
    if len(line) <= cap or line.endswith(b"\n"):
        return line, False
    head = line
    while line and not line.endswith(b"\n"):
        line = stream.readline(1 << 20)
    return head, True


def _drain(raw: _HashingReader) -> None:
    while raw.read(1 << 20):
        pass


def _parse_record(
    line: bytes, line_no: int, uri: str, name: str, first_line_of: dict[str, int], settings: RunSettings
) -> InputRecord | Rejected:
    source = f"{name}:{line_no}"
    kept = capped_payload(line, settings)
    try:
        obj = json.loads(line)
    except UnicodeDecodeError as err:
        return Rejected(source, "decode", f"line is not valid UTF-8: {err.reason}", repr(err), **kept)
    except json.JSONDecodeError as err:
        return Rejected(source, "parse", f"invalid JSON: {err.msg} at column {err.colno}", repr(err), **kept)
    except ValueError as err:  # an integer of more than 4,300 digits
        return Rejected(source, "parse", f"invalid JSON: {err}", repr(err), **kept)
    except RecursionError as err:
        return Rejected(source, "parse", "invalid JSON: nested too deeply to parse", repr(err), **kept)
    if not isinstance(obj, dict):
        return Rejected(source, "parse", f"record is a JSON {type(obj).__name__}, not an object", **kept)
    record_id = obj.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, (str, int)) or str(record_id).strip() == "":
        return Rejected(source, "parse", "record has no usable `id` (a non-empty string or integer)", **kept)
    record_id = without_lone_surrogates(str(record_id))
    problem = _field_problem(obj)
    if problem:
        return Rejected(source, "parse", problem, source_id=record_id, **kept)
    if record_id in first_line_of:
        return Rejected(
            source,
            "parse",
            f"duplicate id {record_id!r} (first seen at line {first_line_of[record_id]})",
            source_id=record_id,
            **kept,
        )
    first_line_of[record_id] = line_no
    return InputRecord(
        source_id=record_id,
        source_uri=uri,
        line_no=line_no,
        **{key: _text_field(obj.get(key)) for key in ("text", "html", *OPTIONAL_FIELDS)},
    )


def _text_field(value: str | None) -> str | None:
    return None if value is None else without_lone_surrogates(value)


def _field_problem(obj: dict) -> str | None:
    for key in ("text", "html", *OPTIONAL_FIELDS):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            return f"field `{key}` must be a string, got {type(value).__name__}"
    has_text = bool((obj.get("text") or "").strip())
    has_html = bool((obj.get("html") or "").strip())
    if has_text and has_html:
        return "record has both `text` and `html`; give one (which to trust is ambiguous)"
    if not (has_text or has_html):
        return "record has neither `text` nor `html` (or they are empty)"
    return None


# --------------------------------------------------------------------------
# WARC (crawls: Common Crawl, Heritrix, wget --warc-file)
# --------------------------------------------------------------------------

#: HTTP payload types that are documents; any other response is skipped, not quarantined.
_WARC_DOCUMENT_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
_GZIP_MAGIC = b"\x1f\x8b\x08"
#: Bytes of a corrupt gzip member (compressed) kept as its quarantine payload at most.
_CORRUPT_KEEP = 1 << 16


def _read_warc(
    raw: _HashingReader, uri: str, name: str, settings: RunSettings
) -> Iterator[InputRecord | Rejected | Skipped]:
    """Every record of a WARC file, streamed: memory holds one record, not the file.

    A ``.warc.gz`` is cut into its gzip members here (one record each, as crawlers write
    them), so that a corrupt member is quarantined with its offset and reading goes on at
    the next member, and no member may expand past ``max_file_bytes``.  FastWARC parses
    each record (WARC and HTTP headers).  An uncompressed ``.warc`` is handed to FastWARC
    as a stream; after a malformed record reading resumes at the next line that opens a
    record (``WARC/1.0`` or ``WARC/1.1``), see ``_plain_warc_records``.
    """
    if uri.lower().endswith(".gz"):
        for offset, member, problem in _gzip_members(cast(BinaryIO, raw), settings.max_file_bytes + (1 << 16)):
            if problem:
                yield Rejected(f"{name}:{offset}", "read", problem, **capped_payload(member, settings))
                continue
            found = False
            for item in _warc_records(io.BytesIO(member), uri, name, settings, base_offset=offset):
                found = True
                yield item
            if not found:
                yield Rejected(
                    f"{name}:{offset}",
                    "parse",
                    f"gzip member at byte {offset:,} holds no WARC record",
                    **capped_payload(member, settings),
                )
    else:
        yield from _plain_warc_records(raw, uri, name, settings)
    _drain(raw)


#: Bytes of a plain WARC kept behind FastWARC's reading, to resume after a malformed record.
_RESYNC_KEEP = 1 << 20
#: The version line that opens a WARC record.
_WARC_RECORD_START = re.compile(rb"WARC/1\.[01]\r?\n")


class _ForwardOnly(io.RawIOBase):
    """A stream FastWARC may ``tell`` and ``seek`` forwards on (it skips record bodies it
    was not asked for); every byte still passes through the hashing reader.  It starts
    with ``prefix`` (bytes already read from ``raw``), and keeps the bytes read since the
    last ``mark`` (up to ``_RESYNC_KEEP``), where reading can resume after a malformed record."""

    def __init__(self, raw: _HashingReader, prefix: bytes = b""):
        super().__init__()
        self._raw, self._prefix, self._pos = raw, prefix, 0
        self.kept, self.kept_from = bytearray(), 0  # bytes from stream position kept_from on

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        wanted = size if size is not None and size >= 0 else 1 << 20
        if self._prefix:
            data, self._prefix = self._prefix[:wanted], self._prefix[wanted:]
        else:
            data = self._raw.read(wanted)
        self._pos += len(data)
        self.kept += data
        if len(self.kept) > _RESYNC_KEEP:
            self._forget(len(self.kept) - _RESYNC_KEEP)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        target = offset if whence == io.SEEK_SET else self._pos + offset if whence == io.SEEK_CUR else None
        if target is None or target < self._pos:
            raise io.UnsupportedOperation("a WARC input is read forwards only")
        while self._pos < target and self.read(min(_READ_CHUNK, target - self._pos)):
            pass
        return self._pos

    def mark(self, position: int) -> None:
        """A well-formed record starts at ``position``: the bytes before it are not needed."""
        self._forget(min(position - self.kept_from, len(self.kept)))

    def _forget(self, count: int) -> None:
        if count > 0:
            del self.kept[:count]
            self.kept_from += count


def _plain_warc_records(raw: _HashingReader, uri: str, name: str, settings: RunSettings):
    """The records of an uncompressed WARC.  A malformed record (bytes that are not a WARC
    header where one must begin) is quarantined with its offset, and reading resumes at
    the next line that opens a record: the rest of the file is read."""
    base, prefix = 0, b""  # the file offset of the stream FastWARC reads, and its first bytes
    while True:
        stream = _ForwardOnly(raw, prefix)
        last: tuple[int, int] | None = None  # (start, content length) of the last good record
        try:
            for record in ArchiveIterator(stream, parse_http=True, auto_decode="all"):
                stream.mark(record.stream_pos)
                last = (record.stream_pos, _block_length(record))
                yield _warc_item(record, uri, name, base + record.stream_pos, settings)
            return
        except OSError as err:
            error = err
        bad = _record_end(stream, last)
        skipped, resume = _next_record_start(stream, bad)
        where = f"byte {base + bad:,}"
        rest = "rest of file not read" if resume is None else f"reading resumed at byte {base + resume:,}"
        yield Rejected(
            f"{name}:{base + bad}",
            "read",
            f"malformed WARC record at {where}: {error}; {rest}",
            repr(error),
            **capped_payload(skipped, settings),
        )
        if resume is None:
            return
        prefix = bytes(stream.kept[resume - stream.kept_from :])
        base += resume


def _block_length(record) -> int:
    """The record's WARC ``Content-Length`` (its block; FastWARC's ``content_length`` is the
    HTTP payload's once the HTTP headers are parsed), 0 if unreadable."""
    try:
        return max(int(record.headers.get("Content-Length") or 0), 0)
    except ValueError:
        return 0


def _record_end(stream: _ForwardOnly, last: tuple[int, int] | None) -> int:
    """Where the bytes after the last well-formed record begin (its header, its block of
    ``Content-Length`` bytes and the blank line after it), as far as the kept bytes tell."""
    if last is None:
        return stream.kept_from
    start, length = last
    kept = stream.kept
    header_end = kept.find(b"\r\n\r\n", start - stream.kept_from) if start >= stream.kept_from else -1
    if header_end < 0:
        return stream.kept_from
    end = header_end + 4 + length
    while kept[end : end + 2] == b"\r\n":
        end += 2
    return stream.kept_from + min(end, len(kept))


def _next_record_start(stream: _ForwardOnly, bad: int) -> tuple[bytes, int | None]:
    """The malformed bytes from ``bad`` (capped) and the stream position of the next record
    start after it (None: the file ends first); reads on as needed (the stream keeps a
    bounded tail: memory does not grow with a long run of garbage)."""
    head = b""
    search_from = bad + 1  # not the malformed record's own start
    while True:
        if len(head) < _CORRUPT_KEEP and bad + len(head) >= stream.kept_from:
            head += stream.kept[bad + len(head) - stream.kept_from :][: _CORRUPT_KEEP - len(head)]
        found = _WARC_RECORD_START.search(stream.kept, max(search_from - stream.kept_from, 0))
        if found:
            resume = stream.kept_from + found.start()
            return head[: resume - bad], resume
        search_from = stream.kept_from + len(stream.kept) - len(b"WARC/1.0\r\n") + 1
        if not stream.read(_READ_CHUNK):
            return head, None


def _warc_records(stream: BinaryIO, uri: str, name: str, settings: RunSettings, base_offset: int | None = None):
    """The records FastWARC finds in ``stream``; offsets are ``base_offset`` (the gzip
    member's) when given, else the record's position in the stream."""
    position = base_offset or 0
    try:
        for record in ArchiveIterator(stream, parse_http=True, auto_decode="all"):
            position = base_offset if base_offset is not None else record.stream_pos
            yield _warc_item(record, uri, name, position, settings)
    except OSError as err:
        yield Rejected(
            f"{name}:{position}",
            "read",
            f"malformed WARC record after byte {position:,}: {err}; rest of file not read",
            repr(err),
        )


def _warc_item(record, uri: str, name: str, offset: int, settings: RunSettings) -> InputRecord | Rejected | Skipped:
    source = f"{name}:{offset}"
    warc_type = str(record.record_type)
    if warc_type != "response":
        return Skipped(source, f"WARC {warc_type} record")
    if not record.is_http:
        return Skipped(source, "response without an HTTP payload")
    status = record.http_headers.status_code
    if not 200 <= (status or 0) < 300:
        return Skipped(source, "redirect" if 300 <= (status or 0) < 400 else f"HTTP status {status}")
    content_type = (record.http_content_type or "").lower()
    field = _WARC_DOCUMENT_TYPES.get(content_type)
    if field is None:
        return Skipped(source, f"not HTML or text ({content_type or 'no Content-Type'})")
    record_id = record.record_id or source
    declared = record.content_length
    if declared > settings.max_file_bytes:
        return Rejected(
            source,
            "read",
            f"record payload larger than max_file_bytes ({settings.max_file_bytes:,} bytes)",
            source_id=record_id,
            **capped_payload(record.reader.read(settings.max_quarantine_payload), settings),
        )
    data = record.reader.read()
    if len(data) < declared:
        return Rejected(
            source,
            "read",
            f"truncated record: {len(data):,} of {declared:,} payload bytes",
            source_id=record_id,
            **capped_payload(data, settings),
        )
    try:
        text = decode_bytes(data, html=field == "html", declared_charset=record.http_charset)
    except DecodeError as err:
        return Rejected(source, "decode", str(err), source_id=record_id, **capped_payload(data, settings))
    date = record.record_date
    return InputRecord(
        source_id=record_id,
        source_uri=uri,
        offset=offset,
        url=record.headers.get("WARC-Target-URI"),
        fetched_at=date.isoformat() if date else None,
        **{field: text},
    )


def _gzip_members(raw: BinaryIO, cap: int) -> Iterator[tuple[int, bytes, str | None]]:
    """``(offset, member, None)`` for each gzip member of the stream, decompressed; for a
    corrupt, truncated or over-size member, or bytes between members, ``(offset, bytes,
    problem)``, after which reading resumes at the next gzip header."""
    buf, start = b"", 0  # compressed bytes not yet used, and the file offset of buf[0]
    after_failure = False  # the bytes up to the next header belong to the member reported
    while True:
        if len(buf) < len(_GZIP_MAGIC):
            more = raw.read(_READ_CHUNK)
            if not more:
                if buf.strip(b"\x00\r\n") and not after_failure:
                    yield start, buf, "stray bytes at the end of the file"
                return
            buf += more
            continue
        if not buf.startswith(_GZIP_MAGIC):
            junk_at, junk, buf, start = start, *_skip_to_gzip_header(raw, buf, start)
            if not after_failure:
                yield junk_at, junk, "bytes that are not a gzip member (skipped to the next member)"
            after_failure = False
            continue
        after_failure = False
        inflater = zlib.decompressobj(31)
        fed, parts, size, problem = [buf], [], 0, None
        chunk = buf
        while True:
            try:
                out = inflater.decompress(chunk)
            except zlib.error as err:
                problem = f"corrupt gzip member at byte {start:,}: {err}"
                break
            parts.append(out)
            size += len(out)
            if size > cap:
                problem = (
                    f"gzip member at byte {start:,} expands past {cap:,} bytes (one record per member is expected)"
                )
                break
            if inflater.eof:
                break
            chunk = raw.read(_READ_CHUNK)
            if not chunk:
                problem = f"truncated gzip member at byte {start:,} (the file ends inside it)"
                break
            fed.append(chunk)
        compressed = b"".join(fed)
        if problem is None:
            length = len(compressed) - len(inflater.unused_data)
            yield start, b"".join(parts), None
            buf, start = inflater.unused_data, start + length
        else:
            yield start, compressed[:_CORRUPT_KEEP], problem
            buf, start, after_failure = compressed[1:], start + 1, True


def _skip_to_gzip_header(raw: BinaryIO, buf: bytes, start: int) -> tuple[bytes, bytes, int]:
    """Read on to the next gzip header: (the skipped bytes, capped; the rest from the header; its offset)."""
    skipped = bytearray()
    while True:
        found = buf.find(_GZIP_MAGIC)
        if found >= 0:
            skipped += buf[: max(0, min(found, _CORRUPT_KEEP - len(skipped)))]
            return bytes(skipped), buf[found:], start + found
        keep = len(_GZIP_MAGIC) - 1  # a header may straddle two reads
        skipped += buf[: max(0, min(len(buf) - keep, _CORRUPT_KEEP - len(skipped)))]
        start += len(buf) - keep
        more = raw.read(_READ_CHUNK)
        if not more:
            return bytes(skipped), b"", start + keep
        buf = buf[-keep:] + more


# --------------------------------------------------------------------------
# The registry: every input format, in one place
# --------------------------------------------------------------------------

#: Rough bytes per JSONL record, to size shards before reading (gzip: ×4 ratio).
JSONL_BYTES_PER_RECORD = 8_000
#: An HTML page costs about one scraped-text document of work per this many bytes
#: (parsing and trafilatura): a 100 KB page weighs 3.
HTML_BYTES_PER_DOC = 40_000
#: Compressed inputs are sized as if they expanded this much.
GZIP_RATIO = 4


def _one_document(name: str, size: int) -> int:
    return 1


def _html_cost(name: str, size: int) -> int:
    return 1 + size // HTML_BYTES_PER_DOC


def _jsonl_cost(name: str, size: int) -> int:
    expanded = size * GZIP_RATIO if name.lower().endswith(".gz") else size
    return max(1, expanded // JSONL_BYTES_PER_RECORD)


#: A crawl's response records average this many bytes (HTML with headers, plus the
#: request and metadata records around it); each costs about an HTML page of work.
WARC_BYTES_PER_RESPONSE = 100_000


def _warc_cost(name: str, size: int) -> int:
    expanded = size * GZIP_RATIO if name.lower().endswith(".gz") else size
    return max(1, expanded // WARC_BYTES_PER_RESPONSE * (1 + WARC_BYTES_PER_RESPONSE // HTML_BYTES_PER_DOC))


@dataclass(frozen=True)
class InputFormat:
    """One kind of input file: how it is recognised, read and weighed."""

    kind: str
    suffixes: tuple[str, ...]  # lower-case file name endings
    read: Callable[[_HashingReader, str, str, RunSettings], Iterator[InputRecord | Rejected | Skipped]]
    cost: Callable[[str, int], int]  # (name, size) -> work, in scraped-text documents


INPUT_FORMATS: dict[str, InputFormat] = {
    f.kind: f
    for f in (
        InputFormat("txt", (".txt", ".text"), _read_text, _one_document),
        InputFormat("html", (".html", ".htm", ".xhtml"), _read_html, _html_cost),
        InputFormat("jsonl", (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"), _read_jsonl, _jsonl_cost),
        InputFormat("warc", (".warc", ".warc.gz"), _read_warc, _warc_cost),
    )
}

_KIND_OF_SUFFIX = sorted(
    ((suffix, f.kind) for f in INPUT_FORMATS.values() for suffix in f.suffixes), key=lambda sk: -len(sk[0])
)


def input_kind(path: str) -> str | None:
    """The input format's kind by file name (longest suffix first); None for a type we do not read."""
    lower = path.lower()
    return next((kind for suffix, kind in _KIND_OF_SUFFIX if lower.endswith(suffix)), None)


def estimated_cost(name: str, size: int) -> int:
    """Work in a file, in scraped-text documents (to size shards before reading)."""
    kind = input_kind(name)
    return INPUT_FORMATS[kind].cost(name, size) if kind else 1


def known_suffixes() -> str:
    """The suffixes we read, for a message: ".txt, .text, .html, …"."""
    return ", ".join(s for f in INPUT_FORMATS.values() for s in f.suffixes)
