"""The quotes part of `make bench-quality`: two folds and a per-rule ablation.

The dev half of the quotes benchmark is split into two folds by a hash of the
article id (:func:`fold_of`), so that a rule change can be kept only when it
helps both: a change tuned on examples from one fold and confirmed on the
other generalises; one that helps a single fold is fitted to its articles.

* :func:`report_folds` scores predictions (from the real pipeline's DuckDB
  file, see bench_quality.py) on each fold with the benchmark's own scorer;
* :func:`ablation` runs the quote stage in-process on the cleaner's paragraphs
  of every record, once with all attribution rules and once with each rule
  switched off (``QuoteOptions.disabled_rules``), and prints the joint F1 per
  fold: what each rule is worth, and whether it pays on both folds;
* :func:`speed` measures the quote stage's docs/s A/B in one process.

    .venv/bin/python bench/bench_quotes.py [--no-ablation] [--speed]

The benchmark is read at run time from ../shared/benchmarks and never copied
into the repository.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import hashlib
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: NEWSETL_BENCHMARKS, else ../shared/benchmarks beside the checkout (or beside a worktree's parent)
BENCH = Path(
    os.environ.get("NEWSETL_BENCHMARKS")
    or next(
        (p for p in (ROOT.parent / "shared" / "benchmarks", ROOT.parents[1] / "shared" / "benchmarks") if p.exists()),
        ROOT.parent / "shared" / "benchmarks",
    )
)
GOLD = BENCH / "quotes" / "dev.jsonl.gz"
FOLDS = ("A", "B")
#: the salt keeps the folds independent of the benchmark's own dev/held-out hash
FOLD_SALT = "newsetl-quotes-fold:"


def fold_of(record_id: str) -> str:
    """ "A" or "B": the first byte of sha256(salt + id), even or odd."""
    return FOLDS[hashlib.sha256((FOLD_SALT + record_id).encode()).digest()[0] % 2]


def load_records(path: Path = GOLD) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_quotes", BENCH / "score_quotes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fold_scores(records: list[dict], preds_by_id: dict[str, list[dict]], scorer=None) -> dict[str, dict]:
    """Fold -> {direct_joint, all_joint, speaker_acc, direct_overlap} in percent."""
    scorer = scorer or load_scorer()
    out = {}
    for fold in FOLDS:
        subset = [r for r in records if fold_of(r["id"]) == fold]
        res = scorer.evaluate(subset, preds_by_id)
        out[fold] = {
            "docs": len(subset),
            "direct_joint": 100 * res["direct"]["joint"]["F1"],
            "all_joint": 100 * res["all"]["joint"]["F1"],
            "speaker_acc": 100 * (res["direct"]["speaker_acc"] or 0.0),
            "direct_overlap": 100 * res["direct"]["overlap"]["F1"],
        }
    return out


def print_folds(scores: dict[str, dict], label: str = "") -> None:
    print(f"\nquotes by fold{label} (targets per fold: direct joint >= 95.0, all joint >= 89.0, speaker acc >= 96.0):")
    print(f"  {'fold':4} {'docs':>5} {'direct joint':>13} {'all joint':>10} {'speaker acc':>12} {'direct overlap':>15}")
    for fold, s in scores.items():
        print(
            f"  {fold:4} {s['docs']:5d} {s['direct_joint']:13.2f} {s['all_joint']:10.2f} "
            f"{s['speaker_acc']:12.2f} {s['direct_overlap']:15.2f}"
        )


def report_folds(records: list[dict], preds_path: Path) -> dict[str, dict]:
    """Score a predictions file (one {"id", "quotes"} line per record) per fold."""
    preds: dict[str, list[dict]] = {}
    with open(preds_path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            preds.setdefault(row["id"], []).extend(row.get("quotes") or [])
    scores = fold_scores(records, preds)
    print_folds(scores, " (the pipeline's output)")
    return scores


# --------------------------------------------------------------------------
# In-process: the quote stage on the cleaner's paragraphs
# --------------------------------------------------------------------------


def cleaned_documents(records: list[dict]) -> list[tuple[str, list, str | None]]:
    """(id, paragraphs, title) of each record as the pipeline cleans it."""
    from transforms.clean import clean_text

    docs = []
    for r in records:
        cleaned = clean_text(r["text"], source="text")
        docs.append((r["id"], cleaned.paragraphs, cleaned.title))
    return docs


def quote_stage(paragraphs, title, options=None):
    """The pipeline's quote stage (body and headline) for one document."""
    from transforms.document import headline_quotes
    from transforms.quotes import extract_quotes

    quotes = extract_quotes(paragraphs, title=title, options=options)
    return quotes + headline_quotes(title, paragraphs, quotes, options=options)


def benchmark_speaker(speaker: str | None, speaker_name: str | None, scorer=None) -> str | None:
    """The speaker as the benchmark annotates it: the source's mention as written
    ("the senator", "a White House aide"), and the resolved name only in place of a
    pronoun ("he" said, the name found for it).  The gold ``speaker`` is the source
    span of the attribution, not a resolved person, so comparing our resolved name
    (Ann Cole for "the senator") with it counts right answers as errors."""
    scorer = scorer or _scorer()
    if speaker and not scorer.is_pronoun(speaker):
        return speaker
    return speaker_name or speaker


@functools.cache
def _scorer():
    return load_scorer()


def predictions(docs, options=None) -> dict[str, list[dict]]:
    """Predictions as bench_quality makes them: direct and partial quotes, speaker
    by :func:`benchmark_speaker`."""
    out = {}
    for rid, paragraphs, title in docs:
        out[rid] = [
            {"text": q.text, "speaker": benchmark_speaker(q.speaker, q.speaker_name), "cue": q.cue}
            for q in quote_stage(paragraphs, title, options)
            if q.kind in ("direct", "partial")
        ]
    return out


def ablation(records: list[dict], docs=None) -> dict[str, dict]:
    """Joint F1 per fold with every rule on, then with each rule off."""
    from transforms.quotes import RULES, QuoteOptions

    scorer = load_scorer()
    docs = docs if docs is not None else cleaned_documents(records)
    base = fold_scores(records, predictions(docs), scorer)
    print_folds(base, " (quote stage in-process, all rules)")
    print(
        "\nablation: joint F1 per fold with one rule off (delta from all rules; a rule earns its place on both folds)"
    )
    print(f"  {'rule':24} {'direct A':>9} {'direct B':>9} {'all A':>8} {'all B':>8} {'fires':>6}")
    fired = rule_counts(docs)
    table = {}
    for rule in RULES:
        scores = fold_scores(records, predictions(docs, QuoteOptions(disabled_rules=frozenset({rule.name}))), scorer)
        table[rule.name] = scores
        d = {
            f: (scores[f]["direct_joint"] - base[f]["direct_joint"], scores[f]["all_joint"] - base[f]["all_joint"])
            for f in FOLDS
        }
        print(
            f"  {rule.name:24} {d['A'][0]:+9.2f} {d['B'][0]:+9.2f} {d['A'][1]:+8.2f} {d['B'][1]:+8.2f} "
            f"{fired.get(rule.name, 0):6d}"
        )
    return table


def rule_counts(docs) -> dict[str, int]:
    """How many direct/partial quotes each rule attributed."""
    counts: dict[str, int] = {}
    for _rid, paragraphs, title in docs:
        for q in quote_stage(paragraphs, title):
            if q.kind != "scare" and q.attribution:
                counts[q.attribution] = counts.get(q.attribution, 0) + 1
    return counts


def speed(docs, rounds: int = 5, other=None) -> float:
    """Docs/s of the quote stage, best of ``rounds`` (CPU time, caches cleared
    each round).  With ``other`` (a second quote-stage function), the two are
    interleaved round by round and both rates are printed: an A/B in one process."""
    from caches import clear_caches

    runs = {"quote stage": lambda p, t: quote_stage(p, t)}
    if other is not None:
        runs["other"] = other
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, fn in runs.items():
            clear_caches()
            started = time.process_time()
            for _rid, paragraphs, title in docs:
                fn(paragraphs, title)
            best[name] = min(best[name], time.process_time() - started)
    for name, seconds in best.items():
        print(f"  {name:12} {len(docs) / seconds:8.0f} docs/s of CPU time (best of {rounds}, cold caches, one process)")
    return len(docs) / best["quote stage"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-ablation", action="store_true")
    parser.add_argument("--speed", action="store_true", help="also measure the quote stage's docs/s")
    parser.add_argument("--preds", type=Path, help="also score this predictions file per fold")
    args = parser.parse_args(argv)
    if not GOLD.exists():
        print(f"quotes benchmark not found at {GOLD}: nothing to score")
        return 0
    records = load_records()
    if args.preds:
        report_folds(records, args.preds)
    docs = cleaned_documents(records)
    if args.no_ablation:
        print_folds(fold_scores(records, predictions(docs)), " (quote stage in-process)")
    else:
        ablation(records, docs)
    if args.speed:
        print("\nquote stage speed:")
        speed(docs)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    sys.exit(main())
