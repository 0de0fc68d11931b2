"""trafilatura's own output on the benchmark pages, beside ours in `make bench-quality`.

Three rows per set, with the options of trafilatura's own benchmark (comments off,
tables on, no formatting; ``tests/eval_common.py``): ``fast`` (its own extractor only),
``standard`` (with the readability/jusText fallbacks) and ``precision``
(``favor_precision``).  The output's lines are the paragraphs.  Results are cached under
``bench/out/quality/trafilatura/`` per set, mode and trafilatura version: they change only
when trafilatura or the set does.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from quality_sets import BenchSet, page_text, records

OPTIONS = {"include_comments": False, "include_tables": True, "include_formatting": False}
MODES = {
    "fast": {"fast": True},
    "standard": {"fast": False},
    "precision": {"fast": False, "favor_precision": True},
}


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def trafilatura_predictions(bench_set: BenchSet, mode: str, cache_dir: Path) -> tuple[dict[str, list[str]], float]:
    """id -> trafilatura's paragraphs on the set in ``mode``, and the docs/s of the run that
    made them (single process; from the cache when it holds this version's output)."""
    import trafilatura

    stat = bench_set.path.stat()
    key = {"trafilatura": trafilatura.__version__, "size": stat.st_size, "mtime": stat.st_mtime, "options": OPTIONS}
    cached = cache_dir / f"{bench_set.name}_{mode}.json"
    if cached.exists():
        data = json.loads(cached.read_text(encoding="utf-8"))
        if data.get("key") == key:
            return data["predictions"], data["docs_per_s"]
    preds: dict[str, list[str]] = {}
    started = time.perf_counter()
    for rec in records(bench_set):
        try:
            preds[rec["id"]] = _lines(trafilatura.extract(page_text(rec), **OPTIONS, **MODES[mode]))
        except Exception:  # noqa: BLE001 - a crash is a failed extraction, as in its own benchmark
            preds[rec["id"]] = []
    rate = len(preds) / (time.perf_counter() - started)
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached.write_text(
        json.dumps({"key": key, "docs_per_s": rate, "predictions": preds}, ensure_ascii=False), encoding="utf-8"
    )
    return preds, rate
