#!/usr/bin/env python3
"""Dev harness for the cleaner: run both paths on the extraction dev split and score them.

usage: .venv/bin/python bench/tune_extraction.py [--path text|html|both] [--no-template]
                                                 [--dump ID_SUBSTRING] [--per-page]
                                                 [--speed [--rounds N]] [--no-speed]

* text path: ``clean_text(scraped_text, source="text")``; html path:
  ``extract_html(html)`` then ``clean_text(text, source="html")``.  Predicted
  paragraphs are the kinds lead/heading/body.
* Template lines are found per ``publisher_key`` over the dev docs (emulating one
  batch of one publisher) with ``find_template_lines``.
* Predictions go to ``bench/out/{text,html}.jsonl``; the benchmark's own scorer is run
  on them.  Speed: docs/s of ``clean_text`` on the scraped pages with a cold cache
  (every memo cleared first) and warm, and the HTML path against ``trafilatura.extract``
  alone.  ``--speed`` measures only that (CPU time, best of ``--rounds``).
* ``--dump`` prints one page line by line: decision (kind or rule) and whether the line
  is a gold paragraph (``+``), for error analysis.

Reads ``../shared/benchmarks`` at run time (never copied into the repo); if it is not
there, says so and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT.parent / "shared" / "benchmarks"
DEV = BENCH_DIR / "extraction" / "dev.jsonl.gz"
SCORER = BENCH_DIR / "score_extraction.py"
OUT = ROOT / "bench" / "out"
SCORED_KINDS = ("lead", "heading", "body")

sys.path.insert(0, str(ROOT))


def load() -> list[dict]:
    with gzip.open(DEV, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def templates_by_publisher(recs: list[dict], use: bool) -> dict[str, frozenset[str]]:
    from transforms.clean import find_template_lines

    groups: dict[str, list[str]] = defaultdict(list)
    for r in recs:
        groups[r.get("publisher_key") or "?"].append(r["scraped_text"])
    return {k: (find_template_lines(v) if use else frozenset()) for k, v in groups.items()}


def run_text(recs, templates):
    from transforms.clean import clean_text

    preds = []
    for r in recs:
        c = clean_text(r["scraped_text"], template_lines=templates[r.get("publisher_key") or "?"], source="text")
        preds.append({"id": r["id"], "paragraphs": [p.text for p in c.paragraphs if p.kind in SCORED_KINDS]})
    return preds


def run_html(recs):
    from transforms.clean import clean_text
    from transforms.extract import extract_html

    preds, spent = [], 0.0
    for r in recs:
        t0 = time.perf_counter()
        try:
            page = extract_html(r["html"], url=r.get("url"))
            c = clean_text(page.text, source="html")
            paras = [p.text for p in c.paragraphs if p.kind in SCORED_KINDS]
        except ValueError as e:
            print(f"html path failed on {r['id']}: {e}", file=sys.stderr)
            paras = []
        spent += time.perf_counter() - t0
        preds.append({"id": r["id"], "paragraphs": paras})
    return preds, spent


def score(name: str, preds: list[dict], per_page: bool) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for p in preds:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    cmd = [sys.executable, str(SCORER), str(DEV), str(path), "--json", str(OUT / f"{name}_scores.json")]
    if per_page:
        cmd.append("--per-page")
    print(f"== {name} path ({path.relative_to(ROOT)})")
    subprocess.run(cmd, check=False)


def speed_text(recs, templates, rounds: int = 3) -> tuple[float, float]:
    """Docs/s of ``clean_text`` on the scraped pages: (cold, warm), each the best of
    ``rounds``.  CPU time of this process (the box is shared; wall time would count other
    jobs).  Cold: all caches cleared before the round (lines repeated across the pages of
    one publisher still hit within it, as in a real batch); warm: the same pages again."""
    from caches import clear_caches

    from transforms.clean import clean_text

    def one_round() -> float:
        t0 = time.process_time()
        for r in recs:
            clean_text(r["scraped_text"], template_lines=templates[r.get("publisher_key") or "?"])
        return time.process_time() - t0

    cold = warm = float("inf")
    for _ in range(rounds):
        clear_caches()
        cold = min(cold, one_round())
        warm = min(warm, one_round())
    return len(recs) / cold, len(recs) / warm


def speed_html(recs, rounds: int = 5) -> tuple[float, float]:
    """Best-of-``rounds`` seconds for trafilatura.extract alone and for our HTML path, interleaved
    so both see the same machine load and warm caches."""
    import trafilatura

    from transforms.clean import clean_text
    from transforms.extract import extract_html

    base = ours = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for r in recs:
            trafilatura.extract(r["html"])
        base = min(base, time.process_time() - t0)
        t0 = time.process_time()
        for r in recs:
            try:
                clean_text(extract_html(r["html"], url=r.get("url")).text, source="html")
            except ValueError:
                pass
        ours = min(ours, time.process_time() - t0)
    return base, ours


def dump(recs, templates, needle: str) -> None:
    from score_extraction import norm  # type: ignore[import-not-found]

    from transforms.clean import clean_text

    for r in recs:
        if needle not in r["id"]:
            continue
        gold = {norm(g) for g in r["gold_paragraphs"]}
        c = clean_text(r["scraped_text"], template_lines=templates[r.get("publisher_key") or "?"])
        dec = {p.line_no: p.kind for p in c.paragraphs}
        dec.update({x.line_no: "-" + x.rule for x in c.removed})
        print(f"## {r['id']}  title={c.title!r}  gold_title={r.get('gold_title')!r}")
        for no, line in enumerate(r["scraped_text"].split("\n"), start=1):
            if not line.strip():
                continue
            g = "+" if norm(line) in gold or any(norm(line).endswith(x) for x in gold if len(x) > 40) else " "
            d = dec.get(no, "?")
            flag = "!" if (g == "+") != (not d.startswith("-") and d not in ("highlight", "editor_note")) else " "
            print(f"{flag}{g}{no:4d} {d:<22} {line[:110]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--path", choices=["text", "html", "both"], default="both")
    ap.add_argument("--no-template", action="store_true", help="do not use find_template_lines")
    ap.add_argument("--dump", default=None, help="print decisions for pages whose id contains this")
    ap.add_argument("--per-page", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument(
        "--speed",
        action="store_true",
        help="only measure speed (no scoring): clean_text cold/warm docs/s on the text path, "
        "and the HTML path against trafilatura.extract alone",
    )
    ap.add_argument("--rounds", type=int, default=3, help="speed rounds (best of N)")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="MODULE.NAME=VALUE",
        help="override a tuning constant, e.g. --set segment.BLOCK_MARGIN=0.7",
    )
    args = ap.parse_args()
    import importlib

    for item in args.set:
        name, value = item.split("=", 1)
        mod_name, attr = name.rsplit(".", 1)
        mod = importlib.import_module(f"transforms.{mod_name}")
        setattr(mod, attr, type(getattr(mod, attr))(value))

    if not DEV.exists() or not SCORER.exists():
        print(f"extraction benchmark not found at {DEV.parent} (needs dev.jsonl.gz and {SCORER.name}); nothing to do.")
        return 0
    sys.path.insert(0, str(BENCH_DIR))
    recs = load()
    templates = templates_by_publisher(recs, not args.no_template)
    if args.dump:
        dump(recs, templates, args.dump)
        return 0
    if args.speed:
        if args.path in ("text", "both"):
            cold, warm = speed_text(recs, templates, rounds=args.rounds)
            from transforms.text_signals import COMPILED

            print(
                f"clean_text (scraped_text, CPU time, best of {args.rounds}, C kernel {'on' if COMPILED else 'off'}): cold {cold:,.0f} docs/s "
                f"({1000 / cold:.2f} ms/page), warm {warm:,.0f} docs/s ({1000 / warm:.2f} ms/page)"
            )
        if args.path in ("html", "both"):
            base, ours = speed_html(recs, rounds=args.rounds)
            print(
                f"html path (CPU time, best of {args.rounds}): {len(recs) / ours:.1f} docs/s (extract_html + "
                f"clean_text); trafilatura.extract alone: {len(recs) / base:.1f} docs/s; ratio {ours / base:.3f}"
            )
        return 0
    if args.path in ("text", "both"):
        score("text", run_text(recs, templates), args.per_page)
        if not args.no_speed:
            cold, warm = speed_text(recs, templates, rounds=args.rounds)
            print(
                f"clean_text speed (scraped_text, CPU time, best of {args.rounds}): "
                f"cold {cold:,.0f} docs/s, warm {warm:,.0f} docs/s"
            )
    if args.path in ("html", "both"):
        preds, _ = run_html(recs)
        score("html", preds, args.per_page)
        if not args.no_speed:
            base, ours = speed_html(recs, rounds=max(args.rounds, 5))
            print(
                f"html path (CPU time, best of {max(args.rounds, 5)}): {len(recs) / ours:.1f} docs/s (extract_html + clean_text); "
                f"trafilatura.extract alone: {len(recs) / base:.1f} docs/s; overhead {ours / base - 1:+.1%}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
