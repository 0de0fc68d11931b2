"""Dev harness for transforms.quotes on the PolNeAR-derived quotes benchmark.

Reads ``../shared/benchmarks/quotes/dev.jsonl.gz`` (relative to the repo) at run
time, splits each record's text into paragraphs on blank lines, runs
``extract_quotes``, writes ``bench/out/quotes_preds.jsonl`` (speaker =
the mention as written, the resolved name for a pronoun; quotes of kind "scare" are not claimed as speech and
left out) and runs the benchmark's scorer.  Also measures documents/second.

    .venv/bin/python bench/tune_quotes.py [--errors N] [--bucket NAME] [--bench PATH]
    .venv/bin/python bench/tune_quotes.py --speed [--rounds 3]

``--errors N`` prints error buckets (counts over the direct and all views) and
up to N examples of each, with the gold speaker and the paragraph context, so
that rules are chosen by the size of the bucket they fix.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import importlib.util
import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_quotes import benchmark_speaker  # noqa: E402

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


def _load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_quotes", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _para_of(text: str, pos: int) -> tuple[int, str]:
    chunks = [m for m in re.finditer(r"(?:(?!\n[ \t]*\n).)+", text, re.S)]
    for i, m in enumerate(chunks):
        if m.start() <= pos < m.end():
            return i, m.group()
    return -1, ""


def _bucket(sc, g, p, text) -> str:
    """A coarse class of a speaker error."""
    ps = p.get("speaker")
    gs = g.get("speaker") or ""
    if not ps:
        return "spk:none-predicted"
    gpi, _ = _para_of(text, g.get("speaker_start") or 0)
    qpi, _ = _para_of(text, g["start"])
    dist = qpi - gpi if g.get("speaker_start") is not None else 0
    gcore = sc.speaker_tokens(sc.speaker_core(gs))
    if gs[:1].islower() or (gcore and gcore[0] in ("the", "a", "an")):
        return "spk:gold-description"
    if sc.is_pronoun(ps):
        return "spk:pred-unresolved-pronoun"
    if dist > 0:
        return "spk:gold-in-earlier-para(%s)" % ("1" if dist == 1 else "2+")
    if dist < 0:
        return "spk:gold-in-later-para"
    return "spk:gold-same-para"


def error_analysis(records, results, scorer_path: Path, args) -> None:
    sc = _load_scorer(scorer_path)
    preds_by = {rid: qs for rid, qs in results}
    buckets: dict[str, list[str]] = collections.defaultdict(list)
    for rec in records:
        text = rec["text"]
        golds = [
            dict(g, _norm=sc.norm_text(g["text"]), _tok=sc.tokens(g["text"]))
            for g in rec["gold_quotes"]
            if args.view == "all" or g["type"] == "direct"
        ]
        others = [g for g in rec["gold_quotes"] if args.view == "direct" and g["type"] != "direct"]
        preds = []
        for q in preds_by[rec["id"]]:
            if q.kind == "scare":
                continue
            preds.append(
                {
                    "text": q.text,
                    "speaker": benchmark_speaker(q.speaker, q.speaker_name),
                    "raw": q.speaker,
                    "kind": q.kind,
                    "_tok": sc.tokens(q.text),
                }
            )
        m = sc.match_overlap(preds, golds)
        matched_g = set(m.values())
        other_toks = [sc.tokens(g["text"]) for g in others]
        for i, p in enumerate(preds):
            if i in m:
                g = golds[m[i]]
                gs = g.get("speaker")
                evaluable = bool(gs) and not (g.get("speaker_is_pronoun") or sc.is_pronoun(gs))
                if evaluable:
                    ok = sc.speaker_match(p["speaker"], gs)
                elif gs:
                    ok = bool(p["speaker"])
                else:
                    ok = not p["speaker"]
                if ok:
                    continue
                b = _bucket(sc, g, p, text) if evaluable else ("spk:gold-pronoun-none-pred" if gs else "spk:gold-null")
                _, para = _para_of(text, g["start"])
                sp = g.get("speaker_start")
                ctx = ""
                if sp is not None and not (para and text.find(para) <= sp < text.find(para) + len(para)):
                    ctx = "\n      SPEAKER CTX: ..." + text[max(0, sp - 150) : sp + 80].replace("\n", " ") + "..."
                buckets[b].append(
                    f"[{rec['id']}] gold={gs!r} pred={p['speaker']!r} (raw {p['raw']!r}) cue={g.get('cue')!r}\n"
                    f"      Q: {g['text'][:90]!r}\n      P: {para[:600]!r}{ctx}"
                )
            else:
                if any(sc.overlap(p["_tok"], t) >= 0.5 for t in other_toks):
                    continue
                _, para = "", ""
                buckets[f"fp:{p['kind']}"].append(f"[{rec['id']}] {p['text'][:120]!r} spk={p['speaker']!r}")
        for j, g in enumerate(golds):
            if j not in matched_g:
                _, para = _para_of(text, g["start"])
                buckets[f"fn:{g['type']}"].append(
                    f"[{rec['id']}] {g['text'][:120]!r} gold={g.get('speaker')!r}\n      P: {para[:300]!r}"
                )
    print(f"\nerror buckets ({args.view} view):")
    for b, items in sorted(buckets.items(), key=lambda kv: -len(kv[1])):
        print(f"  {len(items):5d}  {b}")
    rnd = random.Random(0)
    for b, items in sorted(buckets.items(), key=lambda kv: -len(kv[1])):
        if args.bucket and args.bucket not in b:
            continue
        print(f"\n=== {b} ({len(items)})")
        for it in rnd.sample(items, min(args.errors, len(items))):
            print("  " + it)


def speed(docs, rounds: int = 3) -> int:
    """Documents/s of CPU time (time.process_time: the machine may be shared),
    the best of ``rounds`` passes over the dev set, each with cold caches."""
    from caches import clear_caches

    best = float("inf")
    for _ in range(max(1, rounds)):
        clear_caches()
        c0 = time.process_time()
        for _rid, paras in docs:
            extract_quotes(paras)
        best = min(best, time.process_time() - c0)
    chars = sum(len(p.text) for _rid, paras in docs for p in paras) / len(docs)
    print(
        f"speed: {len(docs) / best:,.0f} documents/s of CPU time, cold caches, best of {rounds} "
        f"({len(docs)} docs of {chars:,.0f} chars on average, {best / len(docs) * 1e3:.3f} ms/doc)"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "quotes_preds.jsonl")
    ap.add_argument("--include-scare", action="store_true", help="also submit kind=scare quotes")
    ap.add_argument("--errors", type=int, default=0, help="print error buckets with N examples each")
    ap.add_argument("--bucket", default=None, help="only print examples of buckets containing this")
    ap.add_argument("--view", default="direct", choices=["direct", "all"])
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument(
        "--speed",
        action="store_true",
        help="only measure: documents/s of CPU time, cold caches, best of --rounds (no scoring)",
    )
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    if not args.bench.exists():
        print(f"benchmark not found at {args.bench}; nothing to tune (skipping)")
        return 0
    with gzip.open(args.bench, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    docs = [(r["id"], to_paragraphs(r["text"])) for r in records]
    if args.speed:
        return speed(docs, args.rounds)

    t0 = time.perf_counter()
    results = [(rid, extract_quotes(paras)) for rid, paras in docs]
    elapsed = time.perf_counter() - t0

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for rid, quotes in results:
            qs = [
                {"text": q.text, "speaker": benchmark_speaker(q.speaker, q.speaker_name), "cue": q.cue, "kind": q.kind}
                for q in quotes
                if args.include_scare or q.kind != "scare"
            ]
            fh.write(json.dumps({"id": rid, "quotes": qs}, ensure_ascii=False) + "\n")
    scorer = args.bench.parent.parent / "score_quotes.py"
    subprocess.run([sys.executable, str(scorer), str(args.bench), str(args.out)], check=False)
    if args.errors:
        error_analysis(records, results, scorer, args)
    if args.no_speed:
        return 0
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
