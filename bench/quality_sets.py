"""The benchmark sets of `make bench-quality`: how each is fed to the pipeline, read back, scored.

Three extraction-kind sets, read at run time from ``../shared/benchmarks`` (never copied):

* ``dev``: ``extraction/dev.jsonl.gz``, 65 pages, paragraph gold;
* ``more``: ``extraction/dev_more.jsonl.gz``, 364 pages of 206 other publishers, paragraph gold;
* ``snippets``: ``snippets/dev.jsonl.gz``, 495 pages (68% German), trafilatura's snippet suite.

Each set runs on two paths: *text* (the page's ``scraped_text`` as a JSONL ``text`` record)
and *html* (the raw page: a JSONL ``html`` record, or for the snippet set the original
bytes as an ``.html`` file, which the pipeline decodes itself).  Scores come from the
benchmarks' own stdlib scorers (imported from their files, not copied).
"""

from __future__ import annotations

import base64
import gzip
import importlib.util
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _find_benchmarks() -> Path:
    """``NEWSETL_BENCHMARKS``, else the first ``shared/benchmarks`` beside the checkout or
    above it (a git worktree lives one level further down)."""
    if os.environ.get("NEWSETL_BENCHMARKS"):
        return Path(os.environ["NEWSETL_BENCHMARKS"])
    for parent in ROOT.parents:
        if (parent / "shared" / "benchmarks").is_dir():
            return parent / "shared" / "benchmarks"
    return ROOT.parent / "shared" / "benchmarks"


BENCH = _find_benchmarks()
#: paragraph kinds that make up the article (what the gold holds): the lists and tables
#: the article keeps count, highlights boxes and editor's notes do not
ARTICLE_KINDS = ("lead", "heading", "body", "list_item", "table_row")
PATHS = ("text", "html")


@dataclass(frozen=True)
class BenchSet:
    name: str
    relpath: str
    kind: str  # "extraction" (paragraph gold, score_extraction.py) or "snippets" (score_snippets.py)
    headline: str  # the metric the targets are stated in

    @property
    def path(self) -> Path:
        return BENCH / self.relpath

    def exists(self) -> bool:
        return self.path.exists()


SETS = {
    "dev": BenchSet("dev", "extraction/dev.jsonl.gz", "extraction", "par_F1"),
    "more": BenchSet("more", "extraction/dev_more.jsonl.gz", "extraction", "tok_F1"),
    "snippets": BenchSet("snippets", "snippets/dev.jsonl.gz", "snippets", "f1"),
}


@cache
def records(bench_set: BenchSet) -> list[dict]:
    with gzip.open(bench_set.path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@cache
def scorer(name: str):
    """The benchmark's own scorer module (``score_extraction`` / ``score_snippets``)."""
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def html_file_name(record_id: str) -> str:
    """The snippet pages' file name ("trafilatura/<md5>.html" -> "<md5>.html")."""
    return record_id.rsplit("/", 1)[-1]


def write_inputs(bench_set: BenchSet, path: str, input_dir: Path) -> None:
    """The set's pages as pipeline inputs under ``input_dir`` (one JSONL file, or .html files)."""
    input_dir.mkdir(parents=True, exist_ok=True)
    recs = records(bench_set)
    if path == "html" and bench_set.kind == "snippets":
        for rec in recs:
            (input_dir / html_file_name(rec["id"])).write_bytes(base64.b64decode(rec["html_bytes_b64"]))
        return
    field, value = ("text", "scraped_text") if path == "text" else ("html", "html")
    with gzip.open(input_dir / f"{bench_set.name}_{path}.jsonl.gz", "wt", encoding="utf-8") as handle:
        for rec in recs:
            row = {"id": rec["id"], field: rec[value], "url": rec.get("url")}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def prediction_key(bench_set: BenchSet, path: str, source_id: str) -> str:
    """A document's benchmark id from its ``source_id`` (a record id, or an .html file path)."""
    if path == "html" and bench_set.kind == "snippets":
        return "trafilatura/" + os.path.basename(source_id)
    return source_id


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


def page_scores(
    bench_set: BenchSet, predictions: dict[str, list[str]], ids: list[str] | None = None
) -> dict[str, object]:
    """id -> the scorer's per-page result (a metrics dict, or a (tp, fp, fn, tn) tuple)
    for the pages ``ids`` (default: all).  A missing id counts as an empty prediction
    (a failed extraction on the snippet set)."""
    recs = records(bench_set)
    wanted = None if ids is None else set(ids)
    out: dict[str, object] = {}
    if bench_set.kind == "extraction":
        mod = scorer("score_extraction")
        for rec in recs:
            if wanted is None or rec["id"] in wanted:
                out[rec["id"]] = mod.score_page(rec, predictions.get(rec["id"], []))
        return out
    mod = scorer("score_snippets")
    for rec in recs:
        if wanted is None or rec["id"] in wanted:
            paras = predictions.get(rec["id"])
            out[rec["id"]] = mod.count_item(rec, "\n".join(paras) if paras is not None else None)
    return out


def aggregate(bench_set: BenchSet, per_page: dict[str, object]) -> dict:
    """The set's scores from its per-page results: the macro of the extraction metrics
    (par_F1, tok_F1, leak, ...), or the snippet counts summed (precision, recall, f1),
    overall and per language (``by_language``)."""
    recs = records(bench_set)
    if bench_set.kind == "extraction":
        return dict(scorer("score_extraction").macro([per_page[rec["id"]] for rec in recs]))
    mod = scorer("score_snippets")
    total, by_lang = mod.Matrix(), {}
    for rec in recs:
        counts = per_page[rec["id"]]
        total.add(counts)
        by_lang.setdefault(rec.get("language", "other"), mod.Matrix()).add(counts)
    out = total.as_dict()
    out["by_language"] = {lang: m.as_dict() for lang, m in sorted(by_lang.items())}
    return out


def score(bench_set: BenchSet, predictions: dict[str, list[str]]) -> dict:
    """Scores of ``predictions`` (id -> article paragraphs, in order) on the set."""
    return aggregate(bench_set, page_scores(bench_set, predictions))


def headline(bench_set: BenchSet, scores: dict) -> str:
    """One line of the figures that matter for the set."""
    if bench_set.kind == "extraction":
        return (
            f"par F1 {scores['par_F1']:.3f}  tok F1 {scores['tok_F1']:.3f}  leak {scores['leak']:.3f}"
            f"  junk {scores['junk']:.3f}  (par P {scores['par_P']:.3f} R {scores['par_R']:.3f})"
        )
    langs = "  ".join(f"{lang} {m['f1']:.3f}" for lang, m in scores["by_language"].items())
    return f"F1 {scores['f1']:.3f}  (P {scores['precision']:.3f} R {scores['recall']:.3f})  by language: {langs}"


def figures(bench_set: BenchSet, scores: dict) -> dict[str, float]:
    """The flat figures kept in the summary and checked by the gate (``quality_floors.json``)."""
    if bench_set.kind == "extraction":
        return {k: round(scores[k], 4) for k in ("par_F1", "tok_F1", "leak", "junk")}
    out = {"f1": round(scores["f1"], 4)}
    for lang, m in scores["by_language"].items():
        out[f"f1_{lang}"] = round(m["f1"], 4)
    return out


def page_text(rec: dict) -> str | bytes:
    """What trafilatura is given on the same page: the original bytes for the snippet set
    (as its own benchmark does), the decoded HTML for the extraction sets."""
    if "html_bytes_b64" in rec:
        return base64.b64decode(rec["html_bytes_b64"])
    return rec["html"]
