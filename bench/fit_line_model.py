"""A learned line classifier over the text cleaner's own signals, fitted honestly (issue 12).

For every line of every page of the three dev sets (``quality_sets``: ``dev``, ``more``,
``snippets``), as the pipeline's text path sees it (``scraped_text``, templates per
registrable domain within the set), this script

1. runs the cleaner (its own steps, ``transforms.clean``) and keeps each line's record:
   the line signals (words, stop share in the page's language, capitals, sentence end,
   colon, quote), sentence score, blank lines around it, the rule that removed it or the
   kind it was kept as, where it sits relative to the kept article (before, inside, after,
   how far), how much of its vocabulary the article shares, its neighbours' decisions and
   whether they are prose, and the length of its run of lines kept (or removed) alike;
2. labels it from the gold with the scorers' own normalisation: on the extraction sets a
   line is article text when it matches a gold paragraph as ``score_extraction`` matches
   (equal after ``norm``, or token Dice >= 0.9); on the snippet set when it holds a
   ``with`` snippet or is part of one, boilerplate when it holds a ``without`` snippet,
   unlabelled otherwise (``score_snippets.norm``);
3. fits two small logistic regressions in numpy (``--model trees``: gradient-boosted
   depth-two trees instead), one over the lines a weak rule removed (may they come back?)
   and one over the kept lines (should they go?), by **publisher-grouped K-fold** over the
   three sets together (a fold holds whole split units: the benchmarks' ``split_unit``,
   the registrable domain or template family), and applies them to the held-out fold
   only: a removed line comes back when its probability of being article text is above
   ``restore_at``, a kept line goes when it is below ``remove_at``.  The two thresholds
   are chosen on each fold's training pages, never on its held-out pages: of the grid's
   settings that are no worse there on any figure (par F1 of ``dev`` and ``more``, snippet
   F1 overall and per language; no leak higher), the one with the largest summed gain
   (no change if none is); from the fold's own models on those pages, or with
   ``--inner K`` from an inner K-fold's out-of-fold probabilities;
4. prints the out-of-fold table (par F1, token F1 and leak of ``dev`` and ``more``,
   snippet F1 per language) for the cleaner alone and with the model, on the same pages,
   and whether the model is equal or better on every figure (the bar for landing it in
   the cleaner: docs/QUALITY.md has the result, which did not pass).

``--write PATH`` re-fits on all pages with the thresholds most folds chose and writes the
parameters (numbers and feature names only) as JSON.  Benchmark data is read at run time and
never written anywhere but ``bench/out`` (``--cache`` keeps the features there between runs).

    .venv/bin/python bench/fit_line_model.py [--folds 5] [--inner 4] [--model trees] [--cache] [--write PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import pickle
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

from quality_sets import ARTICLE_KINDS, ROOT, SETS, page_scores, records, scorer  # noqa: E402

from transforms.clean.article import _line_content_words  # noqa: E402

CACHE = ROOT / "bench" / "out" / "line_model_features.pkl"

#: removals the block selection and the context rules make (not a line's own text): the
#: ones a model may veto
WEAK_RULES = (
    "outside_article_block",
    "short_fragment",
    "menu",
    "repeated_line",
    "caption_next_to_credit",
    "title",
    "closing_label",
    "no_article_text",
)
#: rule groups, as one-hot features of a line and of its neighbours
RULE_GROUPS = {
    None: "kept",
    "outside_article_block": "outside",
    "short_fragment": "fragment",
    "menu": "menu",
    "repeated_line": "repeat",
    "template_line": "template",
    "title": "title",
    "caption": "media",
    "caption_next_to_credit": "media",
    "credit": "media",
    "image_file": "media",
    "video_playlist": "media",
    "related_link": "link",
    "share_prompt": "prompt",
    "newsletter_prompt": "prompt",
    "cookie_prompt": "prompt",
    "call_to_action": "prompt",
    "footer": "footer",
    "byline": "meta",
    "timestamp": "meta",
    "dateline": "meta",
    "comment": "comment",
}
GROUPS = sorted(set(RULE_GROUPS.values()) | {"other"})
KINDS = ("lead", "heading", "body", "list_item", "table_row", "other")


# --------------------------------------------------------------------------
# The cleaner's records, per page
# --------------------------------------------------------------------------


def clean_records(text: str, template_lines: frozenset[str]):
    """``clean_text``'s steps on the text path, returning its line records (the same
    decisions: the script checks that the kept lines are ``clean_text``'s paragraphs)."""
    from transforms.clean import _decide, _records, _settle
    from transforms.clean.engine import rule_set
    from transforms.clean.language import detect_language
    from transforms.clean.options import DEFAULT_OPTIONS

    options = DEFAULT_OPTIONS
    language = detect_language(text)
    rules = rule_set(options.disabled_rules, language)
    records_, hits = _records(text, template_lines, rules, options)
    title = _decide(records_, hits, "text", options, rules)
    _settle(records_, template_lines, "text", title, rules, options)
    return records_, language


def _templates(recs: list[dict]) -> dict[str, frozenset[str]]:
    from transforms.clean import find_template_lines
    from transforms.document import registrable_domain

    groups: dict[str, list[str]] = defaultdict(list)
    for rec in recs:
        scope = registrable_domain(rec.get("url"))
        if scope:
            groups[scope].append(rec["scraped_text"])
    return {scope: find_template_lines(texts) for scope, texts in groups.items()}


# --------------------------------------------------------------------------
# Features
# --------------------------------------------------------------------------


def _feature_names() -> list[str]:
    names = [
        "log_words", "stop_share", "cap_share", "ends_sentence", "ends_colon", "starts_upper", "has_quote",
        "score", "blank_before", "blank_after", "tab", "digit_share", "log_chars",
        "before_article", "after_article", "log_dist", "rel_pos", "vocab_shared", "vocab_words0",
        "page_kept_share", "page_log_lines", "english",
        "prev_kept", "next_kept", "prev_score", "next_score", "page_log_kept", "prev_prose", "next_prose", "log_run",
    ]  # fmt: skip
    names += [f"kind_{k}" for k in KINDS]
    names += [f"rule_{g}" for g in GROUPS]
    names += [f"prev_{g}" for g in GROUPS]
    names += [f"next_{g}" for g in GROUPS]
    return names


FEATURES = _feature_names()


def _group(rule: str | None) -> str:
    return RULE_GROUPS.get(rule, "other")


def page_features(recs, language: str | None) -> np.ndarray:
    """One row of ``FEATURES`` per record."""
    n = len(recs)
    kept = [r.rule is None and r.kind in ARTICLE_KINDS for r in recs]
    kept_idx = [i for i, k in enumerate(kept) if k]
    first = kept_idx[0] if kept_idx else n
    last = kept_idx[-1] if kept_idx else -1
    # distance to the nearest kept article line, both ways
    dist = [n] * n
    d = n
    for i in range(n):
        d = 0 if kept[i] else d + 1
        dist[i] = d
    d = n
    for i in range(n - 1, -1, -1):
        d = 0 if kept[i] else d + 1
        dist[i] = min(dist[i], d)
    vocab: Counter[str] = Counter()
    words = [_line_content_words(r.paragraph_text) for r in recs]
    for i in kept_idx:
        vocab.update(words[i])
    # prose: a sentence of 8+ words with a positive score; run: the lines around i that share
    # its kept state
    prose = [r.sig.ends_sentence and r.sig.n_words >= 8 and r.score > 0 for r in recs]
    run = [0] * n
    start = 0
    for i in range(1, n + 1):
        if i == n or kept[i] != kept[start]:
            run[start:i] = [i - start] * (i - start)
            start = i
    col = {name: k for k, name in enumerate(FEATURES)}
    x = np.zeros((n, len(FEATURES)), dtype=np.float32)
    page_kept_share = len(kept_idx) / n if n else 0.0
    english = 1.0 if language in (None, "English") else 0.0
    groups = [_group(r.rule) if not (r.rule is None and r.kind not in ARTICLE_KINDS) else "other" for r in recs]
    for i, r in enumerate(recs):
        s = r.sig
        text = r.paragraph_text
        row = x[i]
        row[col["log_words"]] = math.log1p(s.n_words)
        row[col["stop_share"]] = s.stop_share
        row[col["cap_share"]] = s.cap_share
        row[col["ends_sentence"]] = s.ends_sentence
        row[col["ends_colon"]] = s.ends_colon
        row[col["starts_upper"]] = s.starts_upper
        row[col["has_quote"]] = s.has_quote
        row[col["score"]] = max(-3.0, min(3.0, r.score))
        row[col["blank_before"]] = r.blank_before
        row[col["blank_after"]] = r.blank_after
        row[col["tab"]] = "\t" in r.text
        row[col["digit_share"]] = sum(c.isdigit() for c in text) / max(1, len(text))
        row[col["log_chars"]] = math.log1p(len(text))
        row[col["before_article"]] = i < first
        row[col["after_article"]] = i > last
        row[col["log_dist"]] = math.log1p(dist[i])
        row[col["rel_pos"]] = i / max(1, n - 1)
        w = words[i]
        if w:
            own = 1 if kept[i] else 0
            row[col["vocab_shared"]] = sum(1 for t in w if vocab[t] - own > 0) / len(w)
        else:
            row[col["vocab_words0"]] = 1.0
        row[col["page_kept_share"]] = page_kept_share
        row[col["page_log_lines"]] = math.log1p(n)
        row[col["english"]] = english
        if i > 0:
            row[col["prev_kept"]] = kept[i - 1]
            row[col["prev_score"]] = max(-3.0, min(3.0, recs[i - 1].score))
            row[col[f"prev_{groups[i - 1]}"]] = 1.0
        if i + 1 < n:
            row[col["next_kept"]] = kept[i + 1]
            row[col["next_score"]] = max(-3.0, min(3.0, recs[i + 1].score))
            row[col[f"next_{groups[i + 1]}"]] = 1.0
        row[col[f"rule_{groups[i]}"]] = 1.0
        row[col["page_log_kept"]] = math.log1p(len(kept_idx))
        row[col["prev_prose"]] = i > 0 and prose[i - 1]
        row[col["next_prose"]] = i + 1 < n and prose[i + 1]
        row[col["log_run"]] = math.log1p(run[i])
        if r.rule is None:
            row[col[f"kind_{r.kind if r.kind in KINDS else 'other'}"]] = 1.0
    return x


# --------------------------------------------------------------------------
# Labels, with the scorers' own normalisation and matching
# --------------------------------------------------------------------------


def extraction_labels(rec: dict, recs) -> np.ndarray:
    mod = scorer("score_extraction")
    gold = [g for g in (mod.norm(p) for p in rec["gold_paragraphs"]) if g]
    exact = set(gold)
    gtok = [Counter(mod.tokens(g)) for g in gold]
    glen = [sum(c.values()) for c in gtok]
    out = np.zeros(len(recs), dtype=np.float32)
    for i, r in enumerate(recs):
        p = mod.norm(r.paragraph_text)
        if p in exact:
            out[i] = 1
            continue
        pc = Counter(mod.tokens(p))
        pl = sum(pc.values())
        for gc, gl in zip(gtok, glen):
            lo, hi = min(pl, gl), max(pl, gl)
            if hi and 2 * lo / (lo + hi) >= mod.SIM_THRESHOLD and mod.dice(pc, gc, pl, gl) >= mod.SIM_THRESHOLD:
                out[i] = 1
                break
    return out


def snippet_labels(rec: dict, recs) -> np.ndarray:
    """1 article, 0 boilerplate, -1 unknown (the line holds no snippet)."""
    mod = scorer("score_snippets")
    with_ = [mod.norm(w) for w in rec["with"] if mod.norm(w)]
    without = [mod.norm(w) for w in rec["without"] if mod.norm(w)]
    out = np.full(len(recs), -1, dtype=np.float32)
    for i, r in enumerate(recs):
        line = mod.norm(r.paragraph_text)
        pos = any(w in line for w in with_) or (len(line) >= 20 and any(line in w for w in with_))
        neg = any(w in line for w in without) or (len(line) >= 20 and any(line in w for w in without))
        if pos and not neg:
            out[i] = 1
        elif neg and not pos:
            out[i] = 0
    return out


# --------------------------------------------------------------------------
# The data: every page of the three sets
# --------------------------------------------------------------------------


def collect() -> list[dict]:
    from transforms.clean import clean_text
    from transforms.document import registrable_domain

    pages = []
    for set_name in ("dev", "more", "snippets"):
        bench_set = SETS[set_name]
        recs = records(bench_set)
        templates = _templates(recs)
        for rec in recs:
            tl = templates.get(registrable_domain(rec.get("url")) or "", frozenset())
            lines, language = clean_records(rec["scraped_text"], tl)
            article = [r.paragraph_text for r in lines if r.rule is None and r.kind in ARTICLE_KINDS]
            check = [
                p.text for p in clean_text(rec["scraped_text"], template_lines=tl).paragraphs if p.kind in ARTICLE_KINDS
            ]
            if article != check:
                raise SystemExit(f"fit_line_model: the records differ from clean_text's output on {rec['id']}")
            labels = extraction_labels(rec, lines) if bench_set.kind == "extraction" else snippet_labels(rec, lines)
            pages.append(
                {
                    "set": set_name,
                    "id": rec["id"],
                    "unit": rec.get("split_unit") or rec.get("publisher_key") or rec["id"],
                    "x": page_features(lines, language),
                    "y": labels,
                    "rule": [r.rule for r in lines],
                    "kept": np.array([r.rule is None and r.kind in ARTICLE_KINDS for r in lines]),
                    "text": [r.paragraph_text for r in lines],
                }
            )
    return pages


# --------------------------------------------------------------------------
# The model: two logistic regressions, numpy
# --------------------------------------------------------------------------


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 25
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Newton's method for L2-regularised logistic regression on standardised features:
    (mean, scale, weights with the bias last)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1), dtype=np.float64)])
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + reg * w
        h = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg + 1e-9)
        step = np.linalg.solve(h, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return mean, scale, w


def predict(model, x: np.ndarray) -> np.ndarray:
    if isinstance(model, list):
        return predict_trees(model, x)
    mean, scale, w = model
    z = (x - mean) / scale
    return 1.0 / (1.0 + np.exp(-(z @ w[:-1] + w[-1])))


def fit_trees(
    x: np.ndarray, y: np.ndarray, l2: float = 1.0, rounds: int = 60, rate: float = 0.2, n_bins: int = 24
) -> list[tuple]:
    """Gradient-boosted trees of depth two (logistic loss, histogram splits), numpy only:
    a list of (feature, threshold, (feature, threshold, left, right) per side) and a bias
    first."""
    n, f = x.shape
    edges = []
    xb = np.zeros((n, f), dtype=np.int64)
    for k in range(f):
        e = np.unique(np.quantile(x[:, k], np.linspace(0, 1, n_bins + 1)[1:-1]))
        edges.append(e)
        xb[:, k] = np.searchsorted(e, x[:, k], side="left")
    offsets = np.arange(f) * (n_bins + 1)
    prior = np.clip(y.mean(), 1e-4, 1 - 1e-4)
    bias = math.log(prior / (1 - prior))
    margin = np.full(n, bias)
    trees: list[tuple] = [bias]

    def best_split(rows: np.ndarray, g: np.ndarray, h: np.ndarray):
        flat = (xb[rows] + offsets).ravel()
        gs = np.bincount(flat, np.repeat(g[rows], f), minlength=f * (n_bins + 1)).reshape(f, -1).cumsum(axis=1)
        hs = np.bincount(flat, np.repeat(h[rows], f), minlength=f * (n_bins + 1)).reshape(f, -1).cumsum(axis=1)
        gt, ht = gs[:, -1:], hs[:, -1:]
        gain = gs**2 / (hs + l2) + (gt - gs) ** 2 / (ht - hs + l2) - gt**2 / (ht + l2)
        gain[:, -1] = -1.0
        k, b = np.unravel_index(np.argmax(gain), gain.shape)
        if gain[k, b] <= 1e-6 or b >= len(edges[k]):
            return None
        return int(k), int(b)

    def leaf(rows: np.ndarray, g: np.ndarray, h: np.ndarray) -> float:
        return float(-g[rows].sum() / (h[rows].sum() + l2)) * rate

    for _ in range(rounds):
        p = 1.0 / (1.0 + np.exp(-margin))
        g, h = p - y, p * (1 - p)
        rows = np.arange(n)
        root = best_split(rows, g, h)
        if root is None:
            break
        k, b = root
        sides = []
        for mask in (xb[:, k] <= b, xb[:, k] > b):
            sub = rows[mask]
            split = best_split(sub, g, h) if len(sub) > 20 else None
            if split is None:
                v = leaf(sub, g, h)
                sides.append((0, math.inf, v, v))
                margin[sub] += v
                continue
            k2, b2 = split
            left, right = sub[xb[sub, k2] <= b2], sub[xb[sub, k2] > b2]
            vl, vr = leaf(left, g, h), leaf(right, g, h)
            margin[left] += vl
            margin[right] += vr
            sides.append((k2, float(edges[k2][b2]), vl, vr))
        trees.append((k, float(edges[k][b]), sides[0], sides[1]))
    return trees


def predict_trees(trees: list[tuple], x: np.ndarray) -> np.ndarray:
    margin = np.full(len(x), trees[0])
    for k, t, left, right in trees[1:]:
        go_left = x[:, k] <= t
        for side, mask in ((left, go_left), (right, ~go_left)):
            k2, t2, vl, vr = side
            margin += mask * np.where(x[:, k2] <= t2, vl, vr)
    return 1.0 / (1.0 + np.exp(-margin))


def _candidates(page: dict) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the removed lines a model may bring back, and of the kept lines."""
    restore = np.array([i for i, r in enumerate(page["rule"]) if r in WEAK_RULES], dtype=int)
    keep = np.flatnonzero(page["kept"])
    return restore, keep


def fit_models(pages: list[dict], l2: float, kind: str = "logistic"):
    """The restore model (over the lines a weak rule removed) and the remove model (over
    the kept lines), fitted on the labelled lines of ``pages``."""
    xs_r, ys_r, xs_k, ys_k = [], [], [], []
    for page in pages:
        restore, keep = _candidates(page)
        y = page["y"]
        for idx, xs, ys in ((restore, xs_r, ys_r), (keep, xs_k, ys_k)):
            idx = idx[y[idx] >= 0] if len(idx) else idx
            if len(idx):
                xs.append(page["x"][idx])
                ys.append(y[idx])
    fit = fit_trees if kind == "trees" else fit_logistic
    restore_model = fit(np.vstack(xs_r).astype(np.float64), np.concatenate(ys_r), l2)
    keep_model = fit(np.vstack(xs_k).astype(np.float64), np.concatenate(ys_k), l2)
    return restore_model, keep_model


def page_probabilities(models, page: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    restore, keep = _candidates(page)
    pr = predict(models[0], page["x"][restore].astype(np.float64)) if len(restore) else np.zeros(0)
    pk = predict(models[1], page["x"][keep].astype(np.float64)) if len(keep) else np.zeros(0)
    return restore, pr, keep, pk


def decide(page: dict, probs, restore_at: float, remove_at: float) -> list[str]:
    restore, pr, keep, pk = probs
    out = page["kept"].copy()
    if restore_at < 1.0:
        out[restore[pr > restore_at]] = True
    if remove_at > 0.0:
        out[keep[pk < remove_at]] = False
    return [t for t, k in zip(page["text"], out) if k]


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


def set_figures(set_name: str, per_page: dict) -> dict[str, float]:
    bench_set = SETS[set_name]
    full = {rec["id"]: per_page[rec["id"]] for rec in records(bench_set) if rec["id"] in per_page}
    # over the pages given: a training fold's, or all of the set's in the OOF table
    if bench_set.kind == "extraction":
        mod = scorer("score_extraction")
        m = mod.macro(list(full.values()))
        return {f"{set_name} par_F1": m["par_F1"], f"{set_name} leak": m["leak"], f"{set_name} tok_F1": m["tok_F1"]}
    mod = scorer("score_snippets")
    total, by_lang = mod.Matrix(), defaultdict(mod.Matrix)
    lang_of = {rec["id"]: rec.get("language", "other") for rec in records(bench_set)}
    for rid, counts in full.items():
        total.add(counts)
        by_lang[lang_of[rid]].add(counts)
    out = {"snippets F1": total.scores()[3]}
    for lang in sorted(by_lang):
        out[f"snippets {lang}"] = by_lang[lang].scores()[3]
    return out


def score_pages(pages: list[dict], preds: dict[str, list[str]]) -> dict[str, dict]:
    by_set: dict[str, dict] = defaultdict(dict)
    for page in pages:
        by_set[page["set"]][page["id"]] = preds[page["id"]]
    out = {}
    for set_name, set_preds in by_set.items():
        out.update(page_scores(SETS[set_name], set_preds, list(set_preds)))
    return out


def fold_figures(pages: list[dict], per_page: dict) -> dict[str, float]:
    figs: dict[str, float] = {}
    for set_name in sorted({p["set"] for p in pages}):
        figs.update(set_figures(set_name, {p["id"]: per_page[p["id"]] for p in pages if p["set"] == set_name}))
    return {k: v for k, v in figs.items() if not k.endswith("tok_F1")}


def objective(base: dict[str, float], figs: dict[str, float]) -> float | None:
    """The gain of ``figs`` over ``base`` (the sum of the headline figures: par F1, snippet
    F1 and each language's), or None when any figure is worse (a leak higher): the bar a
    change must pass, applied to the training pages."""
    gain = 0.0
    for key, before in base.items():
        change = figs[key] - before
        if key.endswith("leak"):
            change = -change
        if change < -1e-9:
            return None
        gain += change
    return gain


RESTORE_GRID = (1.0, 0.95, 0.9, 0.8, 0.7)
REMOVE_GRID = (0.0, 0.02, 0.05, 0.1, 0.2)


def choose_thresholds(pages: list[dict], probs: dict, base_scores: dict) -> tuple[float, float]:
    """The grid's best (restore_at, remove_at) on ``pages`` (the training fold, with the
    models' probabilities ``probs``): the largest gain among the settings no worse on any
    figure; (1, 0), no change, if none."""
    base = fold_figures(pages, base_scores)
    best, best_value = (1.0, 0.0), 0.0
    for restore_at in RESTORE_GRID:
        for remove_at in REMOVE_GRID:
            if restore_at == 1.0 and remove_at == 0.0:
                continue
            preds = {p["id"]: decide(p, probs[p["id"]], restore_at, remove_at) for p in pages}
            changed = [p for p in pages if preds[p["id"]] != p["base_pred"]]
            scores = dict(base_scores)
            scores.update(score_pages(changed, preds))
            value = objective(base, fold_figures(pages, scores))
            if value is not None and value > best_value + 1e-9:
                best, best_value = (restore_at, remove_at), value
    return best


def fold_of(unit: str, k: int) -> int:
    return hashlib.sha256(f"newsetl-line-model:{unit}".encode()).digest()[0] % k


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--cache", action="store_true", help="reuse (or write) bench/out/line_model_features.pkl")
    parser.add_argument(
        "--without", default="", help="comma list of features left out (their columns zeroed), for comparisons"
    )
    parser.add_argument(
        "--inner", type=int, default=0, help="choose the thresholds by an inner K-fold of the training pages"
    )
    parser.add_argument("--model", choices=("logistic", "trees"), default="logistic")
    parser.add_argument("--write", type=Path, help="re-fit on all pages and write the parameters here")
    args = parser.parse_args(argv)

    started = time.time()
    cached = pickle.loads(CACHE.read_bytes()) if args.cache and CACHE.exists() else None
    if cached is not None and cached["features"] == FEATURES:
        pages = cached["pages"]
    else:  # no cache, or one made with other features
        pages = collect()
        if args.cache:
            CACHE.parent.mkdir(parents=True, exist_ok=True)
            CACHE.write_bytes(pickle.dumps({"features": FEATURES, "pages": pages}))
    print(f"{len(pages)} pages, {sum(len(p['text']) for p in pages)} lines ({time.time() - started:.0f} s)")
    for name in filter(None, args.without.split(",")):
        for page in pages:
            page["x"][:, FEATURES.index(name)] = 0.0
    for page in pages:
        page["base_pred"] = [t for t, k in zip(page["text"], page["kept"]) if k]
    base_scores = score_pages(pages, {p["id"]: p["base_pred"] for p in pages})

    oof_preds: dict[str, list[str]] = {}
    chosen = []
    for fold in range(args.folds):
        train = [p for p in pages if fold_of(p["unit"], args.folds) != fold]
        test = [p for p in pages if fold_of(p["unit"], args.folds) == fold]
        models = fit_models(train, args.l2, args.model)
        if args.inner:  # the thresholds from inner out-of-fold probabilities of the training pages
            probs = {}
            for inner in range(args.inner):
                fit_on = [p for p in train if fold_of(p["unit"] + "/inner", args.inner) != inner]
                inner_models = fit_models(fit_on, args.l2, args.model)
                for p in train:
                    if fold_of(p["unit"] + "/inner", args.inner) == inner:
                        probs[p["id"]] = page_probabilities(inner_models, p)
        else:  # from the fold's own models on its training pages (in-sample)
            probs = {p["id"]: page_probabilities(models, p) for p in train}
        restore_at, remove_at = choose_thresholds(train, probs, base_scores)
        chosen.append((restore_at, remove_at))
        for p in test:
            oof_preds[p["id"]] = decide(p, page_probabilities(models, p), restore_at, remove_at)
        print(
            f"fold {fold}: {len(train)} training pages, {len(test)} held out; restore_at {restore_at}, remove_at {remove_at}"
        )
    oof_scores = score_pages(pages, oof_preds)

    print("\nout of fold (publisher-grouped), the cleaner alone vs with the line model, same pages:")
    print(f"  {'figure':<18}{'cleaner':>10}{'+ model':>10}{'change':>10}")
    worse = []
    for set_name in ("dev", "more", "snippets"):
        ids = {p["id"] for p in pages if p["set"] == set_name}
        a = set_figures(set_name, {i: base_scores[i] for i in ids})
        b = set_figures(set_name, {i: oof_scores[i] for i in ids})
        for key in a:
            change = b[key] - a[key]
            bad = change > 1e-9 if key.endswith("leak") else change < -1e-9
            if bad and not key.endswith("tok_F1"):
                worse.append(key)
            print(f"  {key:<18}{a[key]:>10.4f}{b[key]:>10.4f}{change:>+10.4f}{'  worse' if bad else ''}")
    print("verdict: " + ("equal or better everywhere" if not worse else "worse on " + ", ".join(worse)))

    if args.write:
        restore_at = Counter(c[0] for c in chosen).most_common(1)[0][0]
        remove_at = Counter(c[1] for c in chosen).most_common(1)[0][0]
        models = fit_models(pages, args.l2, args.model)
        params = {
            "about": "bench/fit_line_model.py: logistic regressions over the cleaner's line signals (numbers only)",
            "features": FEATURES,
            "weak_rules": list(WEAK_RULES),
            "restore_at": restore_at,
            "remove_at": remove_at,
            "restore": {k: [round(float(v), 6) for v in a] for k, a in zip(("mean", "scale", "weights"), models[0])},
            "remove": {k: [round(float(v), 6) for v in a] for k, a in zip(("mean", "scale", "weights"), models[1])},
        }
        args.write.write_text(json.dumps(params, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
