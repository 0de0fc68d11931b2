"""Where bytes live: local paths or ``s3://bucket/key`` URIs.

Inputs are addressed by URI everywhere (an absolute path locally).  S3 goes
through ``pyarrow.fs.S3FileSystem``; endpoint and credentials come from the
usual AWS variables (``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID`` …), read by
pyarrow and the AWS SDK themselves.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import cache
from typing import BinaryIO, Iterator

import pyarrow.fs as pafs


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
        return s3_filesystem(), uri[len("s3://"):]
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
        yield stream  # type: ignore[misc]
