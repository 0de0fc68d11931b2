"""Per-rule ablation of `make bench-quality`: the score with each removal rule switched off.

For every set and path, the cleaner runs in this process on what the pipeline gives it
(``scraped_text``; on the HTML path ``extract_html``'s text, extracted once per page, and
then ``keep_extractor_lines`` as in the pipeline: only the rules the HTML path applies fire there), with
the template lines of each publisher's pages, first with no rule disabled (its score is
printed beside the pipeline's, so any drift between the two shows), then once per rule that
fired on the set with that rule in ``disabled_rules``.  Only the pages the rule fired on are
cleaned again: on the others, switching it off changes nothing.

The table shows, per rule, the change of the headline figure when the rule is switched off
(paragraph F1 on the extraction sets, snippet F1 overall and per language): a positive
number means the set does better without the rule, i.e. the rule costs text there.
"""

from __future__ import annotations

import base64
from collections import Counter, defaultdict
from urllib.parse import urlsplit

from quality_sets import ARTICLE_KINDS, PATHS, SETS, aggregate, page_scores, records

#: a change of at most this much is noise (one paragraph of one page of 364 is 0.003)
NOISE = 0.0005


def _publisher(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def cleaner_inputs(set_name: str, path: str) -> dict[str, tuple[str, str, str | None]]:
    """id -> (text the cleaner is given, source, publisher) for the set on ``path``."""
    from transforms.decode import decode_bytes
    from transforms.extract import extract_html

    out = {}
    for rec in records(SETS[set_name]):
        if path == "text":
            out[rec["id"]] = (rec["scraped_text"], "text", _publisher(rec.get("url")))
            continue
        html = (
            decode_bytes(base64.b64decode(rec["html_bytes_b64"]), html=True) if "html_bytes_b64" in rec else rec["html"]
        )
        try:
            text = extract_html(html, url=rec.get("url")).text
        except ValueError:
            text = ""
        out[rec["id"]] = (text, "html", _publisher(rec.get("url")))
    return out


def _template_lines(inputs: dict[str, tuple[str, str, str | None]]) -> dict[str | None, frozenset[str]]:
    from transforms.clean import find_template_lines

    groups: dict[str | None, list[str]] = defaultdict(list)
    for text, _source, publisher in inputs.values():
        if publisher:
            groups[publisher].append(text)
    return {p: find_template_lines(texts) for p, texts in groups.items() if len(texts) >= 3}


def _hook():
    """How to switch a rule off in ``clean_text``: its ``options=CleanOptions(disabled_rules=)``
    if the cleaner has them, else None (then the ablation restores the rule's removals)."""
    try:
        from transforms.clean import CleanOptions  # type: ignore[attr-defined]
    except ImportError:
        return None
    return CleanOptions


def clean(text: str, source: str, template_lines: frozenset[str], disabled: frozenset[str]):
    """What the pipeline makes of ``text``: on the HTML path the cleaner's removals that
    ``keep_extractor_lines`` keeps, and its extractor rules (``transforms.document``)."""
    from transforms.clean import clean_text
    from transforms.extract import keep_extractor_lines

    options = _hook()
    if disabled and options is not None:
        opts = options(disabled_rules=disabled)
        cleaned = clean_text(text, template_lines=template_lines, source=source, options=opts)
        return keep_extractor_lines(cleaned, options=opts) if source == "html" else cleaned
    cleaned = clean_text(text, template_lines=template_lines, source=source)
    return keep_extractor_lines(cleaned) if source == "html" else cleaned


def article(cleaned, restore: str | None = None) -> list[str]:
    """The article paragraphs of a cleaned page; with ``restore``, the lines that rule
    removed put back in their place (the approximation used when the cleaner has no
    ``disabled_rules``: what the rule's removals cost, other decisions unchanged)."""
    if restore is None:
        return [p.text for p in cleaned.paragraphs if p.kind in ARTICLE_KINDS]
    lines = [(p.line_no, p.text) for p in cleaned.paragraphs if p.kind in ARTICLE_KINDS]
    lines += [(r.line_no, r.text) for r in cleaned.removed if r.rule == restore]
    return [text for _, text in sorted(lines, key=lambda x: x[0])]


def _headlines(set_name: str, scores: dict) -> dict[str, float]:
    if SETS[set_name].kind == "extraction":
        return {set_name: scores["par_F1"]}
    out = {set_name: scores["f1"]}
    for lang, m in scores["by_language"].items():
        out[f"{set_name}-{lang}"] = m["f1"]
    return out


def section_ablation(sets: list[str], summary: dict) -> None:
    from transforms.clean import RULES

    hook = _hook()
    deltas: dict[str, dict[str, dict[str, float]]] = {p: defaultdict(dict) for p in PATHS}
    baselines: dict[str, dict[str, float]] = {p: {} for p in PATHS}
    fired_total: dict[str, Counter] = {p: Counter() for p in PATHS}
    for set_name in sets:
        bench_set = SETS[set_name]
        for path in PATHS:
            inputs = cleaner_inputs(set_name, path)
            templates = _template_lines(inputs)
            preds, fired_on, baseline_clean = {}, defaultdict(set), {}
            for rid, (text, source, publisher) in inputs.items():
                cleaned = baseline_clean[rid] = clean(text, source, templates.get(publisher, frozenset()), frozenset())
                preds[rid] = article(cleaned)
                for line in cleaned.removed:
                    fired_on[line.rule].add(rid)
                    fired_total[path][line.rule] += 1
            base_pages = page_scores(bench_set, preds)
            base = _headlines(set_name, aggregate(bench_set, base_pages))
            baselines[path].update(base)
            for rule in RULES:
                if rule not in fired_on:
                    continue
                pages = dict(base_pages)
                changed = {}
                for rid in fired_on[rule]:
                    text, source, publisher = inputs[rid]
                    if hook is None:
                        changed[rid] = article(baseline_clean[rid], restore=rule)
                    else:
                        changed[rid] = article(
                            clean(text, source, templates.get(publisher, frozenset()), frozenset({rule}))
                        )
                pages.update(page_scores(bench_set, {**preds, **changed}, list(changed)))
                for column, value in _headlines(set_name, aggregate(bench_set, pages)).items():
                    deltas[path][rule][column] = value - base[column]
    columns = list(next(iter(baselines.values())))
    summary["ablation"] = {p: {"baseline": baselines[p], "delta_when_off": dict(deltas[p])} for p in PATHS}
    for path in PATHS:
        how = (
            "switched off (CleanOptions.disabled_rules)"
            if hook
            else "its removals put back (the cleaner has no disabled_rules)"
        )
        print(f"\n== ablation, {path} path: change of F1 with the rule {how}; + = the set does better without it ==")
        print("  in-process, no rule off: " + "  ".join(f"{c} {baselines[path][c]:.3f}" for c in columns))
        print(f"  {'rule':<22}{'lines':>7} " + "".join(f"{c:>12}" for c in columns) + "  verdict")
        for rule in sorted(deltas[path], key=lambda r: -fired_total[path][r]):
            row = deltas[path][rule]
            vals = [row.get(c, 0.0) for c in columns]
            hurts = [c for c, v in zip(columns, vals) if v > NOISE]
            helps = [c for c, v in zip(columns, vals) if v < -NOISE]
            verdict = (
                "helps everywhere"
                if helps and not hurts
                else "costs text on " + ", ".join(hurts)
                if hurts
                else "no effect"
            )
            if hurts and helps:
                verdict = "mixed: costs on " + ", ".join(hurts)
            cells = "".join(f"{v:>+12.4f}" if c in row else f"{'-':>12}" for c, v in zip(columns, vals))
            print(f"  {rule:<22}{fired_total[path][rule]:>7} {cells}  {verdict}")
