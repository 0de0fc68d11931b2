"""WARC readers compared on one file: FastWARC and warcio alone, and newsetl's reader.

Each reader runs in its own process (peak RSS is that process's ``ru_maxrss``), in
interleaved rounds (the machine is shared: compare within a round).  Every reader reads
the payload of each HTML response record, which is what the pipeline needs.

    python bench/generate_warc.py --out /tmp/crawl.warc.gz --size-mb 1000
    python bench/bench_warc.py /tmp/crawl.warc.gz --rounds 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time


def _fastwarc(path: str) -> dict:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    n = payload = 0
    with open(path, "rb") as fh:
        try:
            for record in ArchiveIterator(fh, record_types=WarcRecordType.response, parse_http=True):
                if (record.http_content_type or "") == "text/html":
                    payload += len(record.reader.read())
                    n += 1
        except OSError as err:  # FastWARC stops at the first corrupt gzip member
            return {"html_records": n, "payload_bytes": payload, "stopped": str(err)}
    return {"html_records": n, "payload_bytes": payload}


def _warcio(path: str) -> dict:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = payload = 0
    with open(path, "rb") as fh:
        try:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                if (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip() == "text/html":
                    payload += len(record.content_stream().read())
                    n += 1
        except ArchiveLoadFailed as err:  # warcio too stops at the first corrupt member
            return {"html_records": n, "payload_bytes": payload, "stopped": str(err)[:120]}
    return {"html_records": n, "payload_bytes": payload}


def _newsetl(path: str) -> dict:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from schemas.models import InputRecord
    from schemas.settings import RunSettings
    from warehouse.readers import FileDigest, Rejected, read_file

    n = payload = rejected = other = 0
    for item in read_file(path, path, "warc", RunSettings(), FileDigest()):
        if isinstance(item, InputRecord):
            n += 1
            payload += len(item.html or item.text or "")
        elif isinstance(item, Rejected):
            rejected += 1
        else:
            other += 1
    return {"documents": n, "payload_chars": payload, "quarantined": rejected, "not_documents": other}


READERS = {"fastwarc": _fastwarc, "warcio": _warcio, "newsetl": _newsetl}


def _child(name: str, path: str) -> None:
    t0, c0 = time.perf_counter(), time.process_time()
    result = READERS[name](path)
    result.update(
        reader=name,
        wall_s=round(time.perf_counter() - t0, 2),
        cpu_s=round(time.process_time() - c0, 2),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )
    print(json.dumps(result))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--readers", default="fastwarc,warcio,newsetl")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(args.child, args.path)
        return 0
    size_mb = os.path.getsize(args.path) / 1e6
    for round_no in range(args.rounds):
        for name in args.readers.split(","):
            out = subprocess.run(
                [sys.executable, __file__, args.path, "--child", name], capture_output=True, text=True, check=True
            ).stdout
            result = json.loads(out)
            result.update(
                round=round_no, file_mb=round(size_mb), mb_per_cpu_s=round(size_mb / max(result["cpu_s"], 1e-9), 1)
            )
            print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
