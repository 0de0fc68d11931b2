"""Discovery: expand the user's inputs (files, directories, globs, s3:// prefixes)
into a stream of input files with their size and modification time.

Streaming matters: a million files must not become a million objects at once.
Directories are walked with ``os.scandir``; symbolic links to directories are
followed once (a link loop is reported, not walked forever); hidden entries
(name starting with a dot) are ignored, as every scraper's output tool does.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow.fs as pafs

from warehouse.readers import Rejected
from warehouse.storage import filesystem_and_path, is_remote


@dataclass(frozen=True)
class InputFile:
    uri: str  # absolute path or s3:// URI: the identity of the input
    name: str  # the path as the user gave it (kept as documents.source_id)
    size: int
    mtime_ns: int


def discover(inputs: list[str]) -> Iterator[InputFile | Rejected]:
    """Every file under ``inputs``; problems (missing path, link loop) as ``Rejected``."""
    for given in inputs:
        if given.startswith("s3://"):
            yield from _discover_s3(given)
        elif is_remote(given):
            yield Rejected(given, "discover", f"unsupported URI scheme in input {given!r}")
        elif glob.has_magic(given):
            matches = sorted(glob.iglob(given, recursive=True))
            if not matches:
                yield Rejected(given, "discover", "glob matched no files")
            for match in matches:
                yield from _discover_path(match)
        else:
            yield from _discover_path(given)


def _discover_path(given: str) -> Iterator[InputFile | Rejected]:
    name = os.path.normpath(given)
    try:
        st = os.stat(name)
    except FileNotFoundError:
        reason = "broken symbolic link" if os.path.islink(name) else "input path does not exist"
        yield Rejected(name, "discover", reason)
        return
    except OSError as err:
        yield Rejected(name, "discover", f"cannot stat input: {err.strerror}", repr(err))
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk(name, seen_dirs=set())
    elif stat.S_ISREG(st.st_mode):
        yield InputFile(os.path.abspath(name), name, st.st_size, st.st_mtime_ns)
    else:
        yield Rejected(name, "discover", "not a regular file (device, socket or pipe)")


def _walk(directory: str, seen_dirs: set[tuple[int, int]]) -> Iterator[InputFile | Rejected]:
    try:
        st = os.stat(directory)
        identity = (st.st_dev, st.st_ino)
        if identity in seen_dirs:
            yield Rejected(directory, "discover", "symbolic link loop: directory already visited")
            return
        seen_dirs.add(identity)
        entries = os.scandir(directory)
    except OSError as err:
        yield Rejected(directory, "discover", f"directory not readable: {err.strerror}", repr(err))
        return
    # Streamed, not sorted: a directory of a million files stays a stream
    # (the plan orders files by URI later, in DuckDB).
    with entries:
        yield from _walk_entries(directory, entries, seen_dirs)


def _walk_entries(directory, entries, seen_dirs) -> Iterator[InputFile | Rejected]:
    absolute = os.path.join(os.path.abspath(directory), "")  # once per directory, not per file
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = entry.path  # os.path.join(directory, entry.name), built in C
        try:
            if entry.is_dir(follow_symlinks=True):
                yield from _walk(path, seen_dirs)
                continue
            entry_stat = entry.stat(follow_symlinks=True)
        except FileNotFoundError:
            yield Rejected(path, "discover", "broken symbolic link" if entry.is_symlink() else "file vanished during discovery")
            continue
        except OSError as err:
            reason = "symbolic link loop" if err.errno == 40 else f"cannot stat: {err.strerror}"
            yield Rejected(path, "discover", reason, repr(err))
            continue
        if stat.S_ISREG(entry_stat.st_mode):
            yield InputFile(absolute + entry.name, path, entry_stat.st_size, entry_stat.st_mtime_ns)
        else:
            yield Rejected(path, "discover", "not a regular file (device, socket or pipe)")


def _discover_s3(given: str) -> Iterator[InputFile | Rejected]:
    fs, path = filesystem_and_path(given)
    try:
        info = fs.get_file_info(path)
        if info.type == pafs.FileType.File:
            infos = [info]
        elif info.type == pafs.FileType.NotFound and not path.endswith("/"):
            infos = []
        else:
            infos = fs.get_file_info(pafs.FileSelector(path.rstrip("/"), recursive=True, allow_not_found=True))
    except OSError as err:
        yield Rejected(given, "discover", f"cannot list object storage: {err}", repr(err))
        return
    files = sorted((i for i in infos if i.type == pafs.FileType.File), key=lambda i: i.path)
    if not files:
        yield Rejected(given, "discover", "no objects under this S3 prefix")
    for info in files:
        if info.base_name.startswith("."):
            continue
        uri = f"s3://{info.path}"
        mtime_ns = int(info.mtime.timestamp() * 1e9) if info.mtime else 0
        yield InputFile(uri, uri, info.size or 0, mtime_ns)
