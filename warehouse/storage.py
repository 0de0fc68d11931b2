"""Where bytes live: local paths or ``s3://bucket/key`` URIs.

Inputs are addressed by URI everywhere (an absolute path locally).  S3 goes
through ``pyarrow.fs.S3FileSystem``; endpoint and credentials come from the
usual AWS variables (``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID`` …), read by
pyarrow and the AWS SDK themselves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import BinaryIO, Protocol, TypeVar

import pyarrow.fs as pafs


def duckdb_memory_limit() -> str:
    """The memory limit of the run's own DuckDB connections (the load, near-duplicate
    matching): a quarter of the machine's memory, at least 512 MiB and at most 4 GiB.
    DuckDB's default (80% of RAM) would let a bulk load take the machine; a fixed 512 MiB
    ran out at 10^5 pages in operators that cannot spill.  Past the limit they spill to disk."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        total = 0
    mib = min(4096, max(512, total // 4 // (1 << 20)))
    return f"{mib}MiB"


def fsync_path(path: str) -> None:
    """Flush a file, or a directory's entries (after a rename or a new file in it), to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: str) -> None:
    """Flush every file under ``root`` and every directory's entries."""
    for directory, _, files in os.walk(root):
        for name in files:
            fsync_path(os.path.join(directory, name))
        fsync_path(directory)


def is_remote(uri: str) -> bool:
    return "://" in uri


@cache
def s3_filesystem() -> pafs.S3FileSystem:
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    kwargs = {}
    if endpoint:
        kwargs["endpoint_override"] = endpoint
        if endpoint.startswith("http://"):
            kwargs["scheme"] = "http"
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if region:
        kwargs["region"] = region
    return pafs.S3FileSystem(**kwargs)


def filesystem_and_path(uri: str) -> tuple[pafs.FileSystem, str]:
    """The pyarrow filesystem for ``uri`` and the path inside it."""
    if uri.startswith("s3://"):
        return s3_filesystem(), uri[len("s3://") :]
    if is_remote(uri):
        raise ValueError(f"unsupported URI scheme: {uri!r} (use a local path or s3://)")
    return pafs.LocalFileSystem(), uri


@contextmanager
def open_input(uri: str) -> Iterator[BinaryIO]:
    """A binary stream of ``uri``; local files use the plain ``open`` (fastest)."""
    if not is_remote(uri):
        with open(uri, "rb") as handle:
            yield handle
        return
    fs, path = filesystem_and_path(uri)
    try:
        stream = fs.open_input_stream(path)
    except OSError as err:
        if "does not exist" in str(err) or "NoSuchKey" in str(err):
            raise FileNotFoundError(uri) from err
        raise
    with stream:
        yield stream


class _Located(Protocol):
    @property
    def uri(self) -> str: ...
    @property
    def size(self) -> int: ...


F = TypeVar("F", bound=_Located)

#: How many files ahead of the one being read ``with_readahead`` asks the kernel for.
READAHEAD_FILES = 16
#: At most this much of one file is asked for ahead (a large JSONL file streams anyway).
READAHEAD_BYTES = 1 << 20


def with_readahead(files: Sequence[F], ahead: int = READAHEAD_FILES) -> Iterator[F]:
    """``files`` in order; each local one is asked for (``POSIX_FADV_WILLNEED``) ``ahead``
    files before it is yielded.  Where the page cache does not hold the corpus (a disk, or
    this benchmark VM, whose cache keeps ~1 GB), a cold 10 KB read blocked ~100 µs of a
    ~2 ms page; asked for early, the kernel reads it while the pages before it are
    transformed."""
    for f in files[:ahead]:
        _will_need(f)
    for i, f in enumerate(files):
        if i + ahead < len(files):
            _will_need(files[i + ahead])
        yield f


def _will_need(f: _Located) -> None:
    if is_remote(f.uri) or not hasattr(os, "posix_fadvise"):
        return
    try:
        fd = os.open(f.uri, os.O_RDONLY)
    except OSError:
        return  # the read itself reports what is wrong with the file
    try:
        os.posix_fadvise(fd, 0, min(f.size, READAHEAD_BYTES), os.POSIX_FADV_WILLNEED)
    except OSError:
        pass
    finally:
        os.close(fd)
