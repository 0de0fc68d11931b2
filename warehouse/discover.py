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
    fs_path: str | None = None  # the path to open, when the name is not UTF-8 (``uri`` shows it escaped)


def discover(inputs: list[str], exclude_dirs: tuple[str, ...] = ()) -> Iterator[InputFile | Rejected]:
    """Every file under ``inputs``; problems (missing path, link loop) as ``Rejected``.

    A path that exists is taken literally, even with ``[``, ``*`` or ``?`` in its name
    (the shell has already expanded the user's globs); only a path that does not
    exist is tried as a glob.  Directories in ``exclude_dirs`` (the data directory
    itself, when it lies inside an input directory) are not entered."""
    excluded = {identity for identity in map(_identity, exclude_dirs) if identity}
    for given in inputs:
        if given.startswith("s3://"):
            yield from _discover_s3(given)
        elif is_remote(given):
            yield Rejected(given, "discover", f"unsupported URI scheme in input {given!r}")
        elif glob.has_magic(given) and not os.path.lexists(given):
            matches = sorted(glob.iglob(given, recursive=True))
            if not matches:
                yield Rejected(given, "discover", "glob matched no files")
            for match in matches:
                yield from _discover_path(match, excluded)
        else:
            yield from _discover_path(given, excluded)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def printable_path(path: str) -> str:
    """``path`` as valid UTF-8 text: bytes of a file name that is not UTF-8 (Python holds
    them as surrogate escapes, which Parquet cannot store) are shown as ``\\xe9``."""
    if path.isascii():
        return path
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


def _input_file(absolute: str, given: str, st: os.stat_result) -> InputFile:
    shown = printable_path(absolute)
    if shown is absolute:
        return InputFile(absolute, given, st.st_size, st.st_mtime_ns)
    return InputFile(shown, printable_path(given), st.st_size, st.st_mtime_ns, fs_path=absolute)


def missing_inputs(inputs: list[str]) -> list[tuple[str, str]]:
    """Local inputs that name nothing, with why: a command-line mistake (a typo in a
    cron line would give empty runs forever), told before the run starts.  A path
    that exists counts as given even if it looks like a glob (``page[1].txt``);
    object-store prefixes are checked by the run itself."""
    problems = []
    for given in inputs:
        if is_remote(given) or os.path.lexists(given):
            continue
        if glob.has_magic(given):
            if next(glob.iglob(given, recursive=True), None) is None:
                problems.append((given, "no file matches this pattern"))
        else:
            problems.append((given, "no such file or directory"))
    return problems


def _discover_path(given: str, excluded: set[tuple[int, int]]) -> Iterator[InputFile | Rejected]:
    name = os.path.normpath(given)
    try:
        st = os.stat(name)
    except FileNotFoundError:
        reason = "broken symbolic link" if os.path.islink(name) else "input path does not exist"
        yield Rejected(printable_path(name), "discover", reason)
        return
    except OSError as err:
        yield Rejected(printable_path(name), "discover", f"cannot stat input: {err.strerror}", repr(err))
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk(name, excluded)
    elif stat.S_ISREG(st.st_mode):
        yield _input_file(os.path.abspath(name), name, st)
    else:
        yield Rejected(printable_path(name), "discover", "not a regular file (device, socket or pipe)")


def _walk(root: str, excluded: set[tuple[int, int]]) -> Iterator[InputFile | Rejected]:
    """Depth first, with a stack of directories still to list instead of recursion (a
    tree thousands of levels deep is walked too).  Files stream out as each directory
    is listed, unsorted: a directory of a million files stays a stream (the plan orders
    files by URI later, in DuckDB).  A directory reached twice (a link loop, or two links
    to one directory) is listed once."""
    seen_dirs: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        directory = pending.pop()
        subdirectories: list[str] = []
        yield from _list_directory(directory, seen_dirs, excluded, subdirectories)
        pending.extend(reversed(subdirectories))


def _list_directory(
    directory: str, seen_dirs: set, excluded: set, subdirectories: list[str]
) -> Iterator[InputFile | Rejected]:
    try:
        st = os.stat(directory)
        identity = (st.st_dev, st.st_ino)
        if identity in excluded:
            return
        if identity in seen_dirs:
            yield Rejected(printable_path(directory), "discover", "symbolic link loop: directory already visited")
            return
        seen_dirs.add(identity)
        entries = os.scandir(directory)
    except OSError as err:
        yield Rejected(printable_path(directory), "discover", f"directory not readable: {err.strerror}", repr(err))
        return
    absolute = os.path.join(os.path.abspath(directory), "")  # once per directory, not per file
    with entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = entry.path  # os.path.join(directory, entry.name), built in C
            try:
                if entry.is_dir(follow_symlinks=True):
                    subdirectories.append(path)
                    continue
                entry_stat = entry.stat(follow_symlinks=True)
            except FileNotFoundError:
                reason = "broken symbolic link" if entry.is_symlink() else "file vanished during discovery"
                yield Rejected(printable_path(path), "discover", reason)
                continue
            except OSError as err:
                reason = "symbolic link loop" if err.errno == 40 else f"cannot stat: {err.strerror}"
                yield Rejected(printable_path(path), "discover", reason, repr(err))
                continue
            if stat.S_ISREG(entry_stat.st_mode):
                yield _input_file(absolute + entry.name, path, entry_stat)
            else:
                yield Rejected(printable_path(path), "discover", "not a regular file (device, socket or pipe)")


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
