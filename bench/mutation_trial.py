"""Mutation trial: does the fast suite notice when a real rule is switched off?

Each entry of :data:`MUTATIONS` is a one-line change to a real rule of the current code
(the cleaner's line, context and structure rules and its article block, the segmenter's
standfirst and paragraph kinds, the quote extractor's attribution rules and name
resolution, the readers' checks, the shard's counting): the file, the exact text it
replaces, the new text, and what that switches off.  For each, the trial copies the
checkout to a temporary directory (without ``.venv`` and ``.git``), applies the one
change there, and runs the fast suite on the copy::

    python -m pytest -q -x tests/transforms tests/schemas tests/warehouse tests/golden

A mutation is *caught* when the suite fails, *missed* when it passes, *timeout* when it
runs past ``--timeout``.  A mutation whose old text is no longer found (or found more
than once) is reported as ``not_found`` / ``ambiguous``, never skipped silently: the code
moved on and the entry needs updating.  The unmutated copy is run first: a trial on a
red suite would count every mutation as caught.

    .venv/bin/python bench/mutation_trial.py                 # all, one at a time
    .venv/bin/python bench/mutation_trial.py --jobs 2        # two copies at once
    .venv/bin/python bench/mutation_trial.py --only reader_duplicate_id,seg_standfirst
    .venv/bin/python bench/mutation_trial.py --check         # only: does every old text apply?

Prints a table and writes JSON to ``bench/out/mutation_trial.json`` (``--out``).
The working tree itself is never modified.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAST_SUITE = ("tests/transforms", "tests/schemas", "tests/warehouse", "tests/flows/test_shards.py", "tests/golden")
#: not copied: the environment (the copy runs with this one) and what only grows
_IGNORED = shutil.ignore_patterns(
    ".venv", ".git", "data", "out", "corpus", ".pytest_cache", ".hypothesis", "__pycache__"
)


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str  # relative to the checkout
    old: str  # exact text, found exactly once in the file
    new: str
    switches_off: str


MUTATIONS: tuple[Mutation, ...] = (
    # --- cleaner: context rules, settle pass, structure, line rules, article block ---------
    Mutation(
        "clean_repeats",
        "transforms/clean/__init__.py",
        "        mark_repeats(records)",
        "        pass",
        "marking lines repeated within the page (repeated_line)",
    ),
    Mutation(
        "clean_settle",
        "transforms/clean/__init__.py",
        "title = _settle(records, template_lines, source, title, rules, options)",
        "title = title",
        "the settle pass that re-runs the decisions on the kept lines (idempotence)",
    ),
    Mutation(
        "clean_captions",
        "transforms/clean/context.py",
        '            c.rule = "caption_next_to_credit"',
        "            pass",
        "the caption next to a credit or image name (context rule)",
    ),
    Mutation(
        "clean_menus",
        "transforms/clean/context.py",
        "max_words, min_run = options.menu_max_words, options.menu_min_run",
        "max_words, min_run = options.menu_max_words, 1 << 30",
        "menus: runs of short adjacent non-sentence lines",
    ),
    Mutation(
        "clean_dateline_cut",
        "transforms/clean/structure.py",
        "                    r.content = rest",
        "                    pass",
        "cutting a dateline ('WASHINGTON (AP) —') off the paragraph it opens",
    ),
    Mutation(
        "clean_credit_slash_names",
        "transforms/clean/line_rules.py",
        'if "/" in text and n_words <= 8 and " / " not in text.strip("/"):',
        "if False:",
        "credit lines of slash-joined names ('NASA/Goddard/University of Arizona')",
    ),
    Mutation(
        "clean_cohesive_block",
        "transforms/clean/article.py",
        "take = bool(words) and len(words & vocab) / len(words) >= options.min_cohesion",
        "take = False",
        "taking a less dense run that shares the main block's vocabulary into the article",
    ),
    # --- segmenter: standfirst, subheadings, kinds -------------------------------------
    Mutation(
        "seg_standfirst",
        "transforms/clean/article.py",
        "            blocks[0] = (i, blocks[0][1])",
        "            pass",
        "recovering a standfirst above the byline/date/picture that precede the body",
    ),
    Mutation(
        "seg_subheading",
        "transforms/clean/article.py",
        "            blocks[k] = (j, blocks[k][1])",
        "            pass",
        "the subheading that opens a later block",
    ),
    Mutation(
        "seg_lead_kind",
        "transforms/clean/article.py",
        '        first.kind = "lead"',
        "        pass",
        "the 'lead' kind of the first article paragraph",
    ),
    # --- quotes: attribution rules and name resolution ---------------------------------
    Mutation(
        "quote_partial_subject",
        "transforms/quotes/__init__.py",
        'sub = self.person_subject(s0, p) if p.kind == "partial" and self.on("partial_subject") else None',
        "sub = None",
        "a partial quote's speaker from the person its sentence opens with (partial_subject)",
    ),
    Mutation(
        "quote_new_sentence_guard",
        "transforms/quotes/rules.py",
        '            if rest.lstrip(" \\t\\u00a0").startswith(":") or nxt and nxt[0].lower() in _COMPLEMENT_START | _OBJECT_START:',
        "            if False:",
        "after_close_mark's guard: 'X said he …' after a closed quote is a new report, not its attribution",
    ),
    Mutation(
        "quote_continuation_new_speaker",
        "transforms/quotes/__init__.py",
        "            p.cont = None",
        "            pass",
        "ending a continued quotation when the new paragraph names its own, other speaker",
    ),
    Mutation(
        "names_surname",
        "transforms/quotes/names.py",
        "        full = self.by_last.get(toks[-1].lower())",
        "        full = None",
        "resolving a surname or partial name to the fullest name in the document",
    ),
    Mutation(
        "names_pronoun_gender",
        "transforms/quotes/resolution.py",
        'other = "f" if low in ("he", "him") else "m"',
        "other = None",
        "the gender check when a pronoun is resolved to the nearest person",
    ),
    Mutation(
        "names_description_near",
        "transforms/quotes/resolution.py",
        "    return near.pop() if len(near) == 1 else None",
        "    return None",
        "resolving a description ('the senator') among several candidates by the one named earlier in the paragraph",
    ),
    # --- readers and the shard ---------------------------------------------------------
    Mutation(
        "reader_duplicate_id",
        "warehouse/readers.py",
        "    if record_id in first_line_of:",
        "    if False:",
        "quarantining a JSONL record whose id repeats an earlier line's",
    ),
    Mutation(
        "reader_empty_record",
        "warehouse/readers.py",
        "    if not (has_text or has_html):",
        "    if False:",
        "quarantining a JSONL record with neither text nor html",
    ),
    Mutation(
        "decode_bom",
        "transforms/decode.py",
        "            return _strict(data[len(bom) :], encoding)",
        "            return _strict(data, encoding)",
        "dropping the byte-order mark before decoding (the text would start with U+FEFF)",
    ),
    Mutation(
        "shard_unchanged_count",
        "flows/shards.py",
        "        shard.report.skipped += shard_file.previous_records",
        "        pass",
        "counting an unchanged file's records as skipped (seen = processed + skipped + quarantined)",
    ),
)


@dataclass
class Result:
    name: str
    file: str
    switches_off: str
    outcome: str  # caught, missed, timeout, not_found, ambiguous, error
    seconds: float = 0.0
    failed_test: str | None = None
    detail: str | None = None


def apply(mutation: Mutation, tree: Path) -> str | None:
    """Apply ``mutation`` to the copy at ``tree``; None, or why it cannot be applied."""
    path = tree / mutation.file
    if not path.exists():
        return "not_found"
    source = path.read_text(encoding="utf-8")
    count = source.count(mutation.old)
    if count != 1:
        return "not_found" if count == 0 else "ambiguous"
    path.write_text(source.replace(mutation.old, mutation.new, 1), encoding="utf-8")
    return None


def copy_tree(source: Path, parent: str) -> Path:
    tree = Path(tempfile.mkdtemp(prefix="mutant-", dir=parent))
    shutil.copytree(source, tree, ignore=_IGNORED, dirs_exist_ok=True, symlinks=True)
    return tree


def run_suite(tree: Path, timeout: float) -> tuple[str, float, str | None, str | None]:
    """(outcome, seconds, first failing test, detail) of the fast suite on ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *FAST_SUITE]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - start, None, f"ran past {timeout:.0f} s"
    seconds = time.monotonic() - start
    out = proc.stdout + proc.stderr
    tail = out.strip().splitlines()[-1] if out.strip() else ""
    if proc.returncode == 0:
        return "missed", seconds, None, tail
    if proc.returncode == 1:
        failed = re.search(r"^(?:FAILED|ERROR) (\S+)", out, re.MULTILINE)
        return "caught", seconds, failed.group(1) if failed else None, tail
    return "error", seconds, None, f"pytest exit {proc.returncode}: {tail}"


def check_imports_copy(tree: Path, mutation: Mutation) -> str | None:
    """The copy's module must be the one imported (not the editable install's)."""
    if not mutation.file.endswith(".py"):
        return None
    module = mutation.file[:-3].replace("/", ".").removesuffix(".__init__")
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", f"import {module} as m; print(m.__file__)"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    where = proc.stdout.strip()
    if proc.returncode != 0 or not where.startswith(str(tree)):
        return f"{module} imported from {where or proc.stderr.strip()[-200:]}, not the copy"
    return None


def trial_one(mutation: Mutation, source: Path, parent: str, timeout: float) -> Result:
    result = Result(mutation.name, mutation.file, mutation.switches_off, "error")
    tree = copy_tree(source, parent)
    try:
        problem = apply(mutation, tree)
        if problem:
            result.outcome = problem
            result.detail = f"old text {'not in' if problem == 'not_found' else 'more than once in'} {mutation.file}"
            return result
        wrong = check_imports_copy(tree, mutation)
        if wrong:
            result.detail = wrong
            return result
        result.outcome, result.seconds, result.failed_test, result.detail = run_suite(tree, timeout)
        return result
    finally:
        shutil.rmtree(tree, ignore_errors=True)


def _git_head(source: Path) -> str | None:
    try:
        return (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=source, capture_output=True, text=True, timeout=30
            ).stdout.strip()
            or None
        )
    except (OSError, subprocess.SubprocessError):
        return None


def print_table(results: list[Result]) -> None:
    width = max(len(r.name) for r in results)
    print(f"{'mutation':<{width}}  {'outcome':<9}  {'secs':>5}  first failing test / note")
    for r in results:
        note = r.failed_test or (r.detail if r.outcome != "missed" else r.switches_off)
        print(f"{r.name:<{width}}  {r.outcome:<9}  {r.seconds:5.0f}  {note or ''}")
    applied = [r for r in results if r.outcome in ("caught", "missed", "timeout", "error")]
    caught = sum(r.outcome == "caught" for r in results)
    print(
        f"\ncaught {caught} of {len(applied)} applied mutations ({len(results)} listed); "
        f"missed: {', '.join(r.name for r in results if r.outcome == 'missed') or 'none'}"
    )
    unapplied = [r.name for r in results if r.outcome in ("not_found", "ambiguous")]
    if unapplied:
        print(f"old text no longer applies (update the entry): {', '.join(unapplied)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated mutation names")
    parser.add_argument("--jobs", type=int, default=1, help="copies tested at once (default 1)")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds per suite run (default 240)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "mutation_trial.json")
    parser.add_argument("--source", type=Path, default=ROOT, help="checkout to mutate (default: this one)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unmutated run (it must pass)")
    parser.add_argument("--check", action="store_true", help="only check that every mutation applies")
    args = parser.parse_args(argv)

    chosen = list(MUTATIONS)
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = sorted(set(wanted) - {m.name for m in MUTATIONS})
        if unknown:
            print(f"mutation_trial: unknown mutation names: {', '.join(unknown)}", file=sys.stderr)
            return 2
        chosen = [m for m in MUTATIONS if m.name in wanted]
    source = args.source.resolve()
    parent = tempfile.mkdtemp(prefix="mutation-trial-")
    try:
        if args.check:
            bad = 0
            for m in chosen:
                text = (source / m.file).read_text(encoding="utf-8") if (source / m.file).exists() else ""
                n = text.count(m.old)
                bad += n != 1
                print(f"{m.name:<32} {'ok' if n == 1 else 'not_found' if n == 0 else 'ambiguous'}")
            return 1 if bad else 0
        baseline = None
        if not args.no_baseline:
            tree = copy_tree(source, parent)
            try:
                outcome, seconds, failed, detail = run_suite(tree, args.timeout)
            finally:
                shutil.rmtree(tree, ignore_errors=True)
            baseline = {"outcome": outcome, "seconds": round(seconds, 1), "failed_test": failed, "detail": detail}
            print(
                f"baseline (unmutated): {'passes' if outcome == 'missed' else outcome} in {seconds:.0f} s", flush=True
            )
            if outcome != "missed":
                print(
                    f"mutation_trial: the unmutated suite does not pass ({failed or detail}); "
                    "a trial would count every mutation as caught",
                    file=sys.stderr,
                )
                return 1
        started = dt.datetime.now(dt.UTC)

        def run(m: Mutation) -> Result:
            r = trial_one(m, source, parent, args.timeout)
            print(f"  {r.name}: {r.outcome} ({r.seconds:.0f} s)", flush=True)
            return r

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(run, chosen))
    finally:
        shutil.rmtree(parent, ignore_errors=True)

    print()
    print_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "commit": _git_head(source),
        "started_at": started.isoformat(timespec="seconds"),
        "suite": " ".join(["python -m pytest -q -x", *FAST_SUITE]),
        "timeout_s": args.timeout,
        "jobs": args.jobs,
        "baseline": baseline,
        "caught": sum(r.outcome == "caught" for r in results),
        "applied": sum(r.outcome in ("caught", "missed", "timeout", "error") for r in results),
        "listed": len(results),
        "results": [{**asdict(r), "seconds": round(r.seconds, 1)} for r in results],
    }
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
