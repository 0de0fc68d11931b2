"""Speeds of `make bench-quality`, one process, on the benchmark pages.

* the text cleaner (``clean_text`` on ``scraped_text``), cold: docs/s per core;
* the HTML path (``extract_html`` + ``clean_text``) against ``trafilatura.extract(fast=True)``
  alone, with the same options, on the same pages.

Rounds are interleaved and the best of each kept: both see the same machine (a shared VM
drifts by 10-20% within a minute), so the ratio is the figure to trust, not the rates.

Under load, the text cleaner's cost is reproducible as an instruction count instead:
``.venv/bin/python bench/quality_speed.py --instructions [--set dev] [--rounds 2]`` runs
one cold round under valgrind's callgrind (counting only the rounds: a full warm-up round
first loads every static table and rule set) and prints the instructions per cold round,
which do not depend on what else the machine runs.  With ``--html`` it counts the HTML path
(``extract_html`` + ``clean_text``) and ``trafilatura.extract(fast=True)`` alone on the set's
pages the same way, and prints their ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from caches import clear_caches
from quality_baselines import OPTIONS
from quality_sets import SETS, records

#: every n-th page of the two large sets joins the HTML speed sample (all of ``dev``)
HTML_SAMPLE_EVERY = 4


def section_speed(sets: list[str], summary: dict, repeat: int = 3) -> None:
    import trafilatura

    from transforms.clean import clean_text
    from transforms.extract import extract_html

    texts = [rec["scraped_text"] for name in sets for rec in records(SETS[name])]
    pages = [
        rec["html"]
        for name in sets
        for i, rec in enumerate(records(SETS[name]))
        if name == "dev" or i % HTML_SAMPLE_EVERY == 0
    ]
    runs = {
        "clean": (clean_text, texts),
        "ours": (lambda html: clean_text(extract_html(html).text, source="html"), pages),
        "alone": (lambda html: trafilatura.extract(html, fast=True, **OPTIONS), pages),
    }
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, (fn, items) in runs.items():
            clear_caches()
            started = time.perf_counter()
            for item in items:
                fn(item)
            best[name] = min(best[name], time.perf_counter() - started)
    clean_rate, ours, alone = (len(runs[name][1]) / best[name] for name in runs)
    from transforms.text_signals import COMPILED

    kernel = "compiled C kernel" if COMPILED else "pure Python (C kernel not compiled)"
    print(
        f"\n== speed, one process, caches cleared, best of {repeat} interleaved rounds ({os.cpu_count()} cores, shared; {kernel}) =="
    )
    print(f"  text cleaner (clean_text), {len(texts)} pages      {clean_rate:8.0f} docs/s per core")
    print(f"  HTML path (extract_html + clean), {len(pages)} pages  {ours:8.1f} docs/s")
    print(
        f"  trafilatura.extract(fast=True) alone            {alone:8.1f} docs/s   (HTML path = {ours / alone:.2f}x trafilatura fast)"
    )
    summary["speed"] = {
        "clean_docs_per_s": round(clean_rate),
        "html_docs_per_s": round(ours, 1),
        "trafilatura_fast_docs_per_s": round(alone, 1),
        "html_vs_trafilatura_fast": round(ours / alone, 3),
    }


def _work(set_name: str, what: str) -> tuple[callable, list[str]]:
    """What one cold round runs: the function and the items it is given."""
    if what == "clean":
        from transforms.clean import clean_text

        return clean_text, [rec["scraped_text"] for rec in records(SETS[set_name])]
    pages = [rec["html"] for rec in records(SETS[set_name])]
    if what == "html":
        from transforms.clean import clean_text
        from transforms.extract import extract_html

        return (lambda html: clean_text(extract_html(html).text, source="html")), pages
    import trafilatura

    return (lambda html: trafilatura.extract(html, fast=True, **OPTIONS)), pages


def _cold_rounds(set_name: str, rounds: int, what: str = "clean") -> None:
    """The child under callgrind: a warm-up round, then ``rounds`` cold rounds inside
    ``functools.reduce``, the one C function callgrind toggles its counting on."""
    import functools

    fn, items = _work(set_name, what)

    def cold_round(_acc: object, _n: int) -> None:
        clear_caches()
        for item in items:
            fn(item)

    cold_round(None, 0)
    functools.reduce(cold_round, range(rounds), None)


def count_instructions(set_name: str = "dev", rounds: int = 1, what: str = "clean") -> int:
    """Instructions per cold round of ``what`` on the set: ``clean`` (``clean_text`` on its
    ``scraped_text``), ``html`` (the HTML path on its pages) or ``alone`` (trafilatura fast)."""
    if shutil.which("valgrind") is None:
        raise SystemExit("quality_speed: --instructions needs valgrind (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        cmd = [
            "valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=functools_reduce",
            f"--callgrind-out-file={out}", sys.executable, __file__, "--child", set_name, str(rounds), what,
        ]  # fmt: skip
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("summary:"):
                return int(line.split()[1]) // rounds
    raise SystemExit("quality_speed: callgrind wrote no summary")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--instructions", action="store_true", help="count the text cleaner's instructions per cold round"
    )
    parser.add_argument(
        "--html", action="store_true", help="with --instructions: the HTML path and trafilatura fast alone instead"
    )
    parser.add_argument("--set", default="dev", choices=sorted(SETS), help="the set whose pages are used")
    parser.add_argument("--rounds", type=int, default=1, help="cold rounds counted (the figure is per round)")
    parser.add_argument("--child", nargs=3, metavar=("SET", "ROUNDS", "WHAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _cold_rounds(args.child[0], int(args.child[1]), args.child[2])
    elif args.instructions and args.html:
        pages = len(records(SETS[args.set]))
        ours, alone = (count_instructions(args.set, args.rounds, what) for what in ("html", "alone"))
        print(
            f"{args.set}, {pages} pages, M instructions per cold round: HTML path (extract_html + clean_text)"
            f" {ours / 1e6:,.0f}, trafilatura.extract(fast=True) alone {alone / 1e6:,.0f}"
            f" (HTML path = {alone / ours:.3f}x trafilatura fast)"
        )
    elif args.instructions:
        n = count_instructions(args.set, args.rounds)
        pages = len(records(SETS[args.set]))
        print(f"text cleaner (clean_text), {args.set}, {pages} pages: {n / 1e6:,.0f} M instructions per cold round")
    else:
        parser.error("nothing to do: give --instructions (the speed section runs from bench_quality.py)")


if __name__ == "__main__":
    main()
