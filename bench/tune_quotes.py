"""Dev harness for transforms.quotes on the PolNeAR-derived quotes benchmark.

Reads ``../shared/benchmarks/quotes/dev.jsonl.gz`` (relative to the repo) at run
time, splits each record's text into paragraphs on blank lines, runs
``extract_quotes``, writes ``bench/out/quotes_preds.jsonl`` (speaker =
speaker_name or speaker; quotes of kind "scare" are not claimed as speech and
left out) and runs the benchmark's scorer.  Also measures documents/second.

    .venv/bin/python bench/tune_quotes.py [--errors N] [--bench PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schemas.models import Paragraph  # noqa: E402
from transforms.quotes import extract_quotes  # noqa: E402

DEFAULT_BENCH = ROOT.parent / "shared" / "benchmarks" / "quotes" / "dev.jsonl.gz"
_PARA = re.compile(r"\n[ \t]*\n")


def to_paragraphs(text: str) -> list[Paragraph]:
    paras = []
    pos = 0
    for chunk in _PARA.split(text):
        start = text.index(chunk, pos) if chunk else pos
        pos = start + len(chunk)
        if not chunk.strip():
            continue
        paras.append(
            Paragraph(ordinal=len(paras), kind="body", text=chunk, char_start=start, char_end=start + len(chunk))
        )
    return paras


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "quotes_preds.jsonl")
    ap.add_argument("--include-scare", action="store_true", help="also submit kind=scare quotes")
    args = ap.parse_args(argv)
    if not args.bench.exists():
        print(f"benchmark not found at {args.bench}; nothing to tune (skipping)")
        return 0
    with gzip.open(args.bench, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    docs = [(r["id"], to_paragraphs(r["text"])) for r in records]

    t0 = time.perf_counter()
    results = [(rid, extract_quotes(paras)) for rid, paras in docs]
    elapsed = time.perf_counter() - t0

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for rid, quotes in results:
            qs = [
                {"text": q.text, "speaker": q.speaker_name or q.speaker, "cue": q.cue, "kind": q.kind}
                for q in quotes
                if args.include_scare or q.kind != "scare"
            ]
            fh.write(json.dumps({"id": rid, "quotes": qs}, ensure_ascii=False) + "\n")
    scorer = args.bench.parent.parent / "score_quotes.py"
    subprocess.run([sys.executable, str(scorer), str(args.bench), str(args.out)], check=False)
    # speed: repeat to get a stable figure
    reps = max(1, int(3.0 / max(elapsed, 1e-3)))
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(reps):
        for _rid, paras in docs:
            extract_quotes(paras)
    el, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = len(docs) * reps
    chars = sum(len(p.text) for _rid, paras in docs for p in paras) / len(docs)
    print(
        f"speed: {n / el:,.0f} documents/s wall, {n / cpu:,.0f} documents/s of CPU time "
        f"({n} docs of {chars:,.0f} chars on average, one core; the wall figure suffers from other load)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
