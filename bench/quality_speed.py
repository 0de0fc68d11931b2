"""Speeds of `make bench-quality`, one process, on the benchmark pages.

* the text cleaner (``clean_text`` on ``scraped_text``), cold: docs/s per core;
* the HTML path (``extract_html`` + ``clean_text``) against ``trafilatura.extract(fast=True)``
  alone, with the same options, on the same pages.

Rounds are interleaved and the best of each kept: both see the same machine (a shared VM
drifts by 10-20% within a minute), so the ratio is the figure to trust, not the rates.
"""

from __future__ import annotations

import os
import time

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
