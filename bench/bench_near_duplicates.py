"""Near-duplicate detection on generated wire stories: precision, recall and cost.

    python bench/bench_near_duplicates.py --stories 300

Generates (``bench/generate_corpus.py``'s pages, all text made up there) wire stories,
each republished 1-3 times on other sites with edits — paragraphs reordered, a new
headline, an added sentence, a trimmed ending — and always inside the other site's
furniture (menus, share and newsletter prompts, captions, related links, footers);
plus, per story, a different story on the same topic (the same headline, people and
one shared paragraph, e.g. the same statement quoted) that must *not* match, and
unrelated pages.  Every page goes through the real text path (``transform_record``:
clean, segment, quotes, fingerprint); the documents are written as two runs' Parquet
files (originals, unrelated pages and a third of the copies first; the other copies and
the same-topic stories second) and clustered by the real publish-time SQL
(``warehouse.near_duplicates.assign_near_duplicates``), so the second run's copies are
matched across runs.

Reports pairwise precision and recall of the clusters (pairs of documents put in one
cluster vs. pairs of the same story), recall per edit, and the cost in CPU time, each
per page and as a share of the rest of the text path per page (measured in one process):
the fingerprint (and its numpy reference, timed interleaved with it), writing the
signature and band rows as Parquet, and the publish-time matching per page of the
second run; ``near_duplicates_share_of_text_path`` is the sum of the three.  The
matching of a third run of one document shows what does not grow with the run
(DuckDB's start, reading every band): it weighs on the second run's figure per page
at a few hundred stories, not in a run of thousands of pages.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import itertools
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import pyarrow.parquet as pq  # noqa: E402

from bench.generate_corpus import Article as Page  # noqa: E402
from bench.generate_corpus import Pools
from schemas.models import InputRecord  # noqa: E402
from transforms.document import transform_record  # noqa: E402
from transforms.fingerprint import COMPILED, _fingerprint_py, fingerprint, signature_bytes  # noqa: E402
from warehouse.near_duplicates import assign_near_duplicates  # noqa: E402
from warehouse.parquet_writer import ShardWriter  # noqa: E402

ARTICLE = ("p", "subhead")
EDITS = ("reordered", "new_headline", "added_sentence", "trimmed_ending")


def _article_positions(page: Page) -> list[int]:
    return [i for i, (kind, _) in enumerate(page.blocks) if kind in ARTICLE]


def republish(original: Page, host: Page, pools: Pools, rng: random.Random, edits: set[str]) -> Page:
    """``original``'s article, edited, inside ``host``'s page (publisher and furniture)."""
    paragraphs = [payload for kind, payload in original.blocks if kind in ARTICLE]
    if "reordered" in edits and len(paragraphs) > 3:
        moved = [paragraphs.pop(rng.randrange(1, len(paragraphs))) for _ in range(min(3, len(paragraphs) - 2))]
        for paragraph in moved:
            paragraphs.insert(rng.randrange(0, len(paragraphs) + 1), paragraph)
    if "added_sentence" in edits:
        at = rng.randrange(len(paragraphs))
        paragraphs[at] = paragraphs[at] + " " + rng.choice(pools.sentences)
    if "trimmed_ending" in edits and len(paragraphs) > 3:
        paragraphs = paragraphs[: max(2, round(len(paragraphs) * rng.uniform(0.6, 0.85)))]
    copy_page = copy.copy(host)
    slots = _article_positions(host)
    blocks = [block for i, block in enumerate(host.blocks) if i not in set(slots[len(paragraphs) :])]
    positions = [i for i, (kind, _) in enumerate(blocks) if kind in ARTICLE]
    extra = paragraphs[len(positions) :]
    for position, paragraph in zip(positions, paragraphs):
        blocks[position] = ("p", paragraph)
    if extra:  # the host's article was shorter: the rest goes after its last paragraph
        end = positions[-1] + 1 if positions else len(blocks)
        blocks[end:end] = [("p", paragraph) for paragraph in extra]
    title = rng.choice(pools.headlines) if "new_headline" in edits else original.title
    copy_page.blocks = [("title", title) if kind == "title" else (kind, payload) for kind, payload in blocks]
    copy_page.title = title
    return copy_page


def same_topic(original: Page, other: Page, rng: random.Random) -> Page:
    """A different story on ``original``'s topic: its headline and one of its paragraphs
    (a statement both quote), in ``other``'s words otherwise."""
    shared = rng.choice([payload for kind, payload in original.blocks if kind == "p"])
    page = copy.copy(other)
    positions = _article_positions(other)
    blocks = list(other.blocks)
    blocks[positions[len(positions) // 2]] = ("p", shared)
    page.blocks = [("title", original.title) if kind == "title" else (kind, payload) for kind, payload in blocks]
    page.title = original.title
    return page


def build_corpus(n_stories: int, seed: int) -> list[dict]:
    """Documents with their ground truth: ``story`` (None for unique ones), ``run``, ``edits``."""
    pools = Pools(seed)
    rng = random.Random(seed)
    pages = (Page(n, pools, seed, rng.randint(3000, 7000)) for n in itertools.count())
    docs = []
    for story in range(n_stories):
        original = next(pages)
        docs.append({"page": original, "story": story, "run": 1, "edits": "original"})
        for _ in range(rng.randint(1, 3)):
            edits = {edit for edit in EDITS if rng.random() < 0.5} or {rng.choice(EDITS)}
            docs.append(
                {
                    "page": republish(original, next(pages), pools, rng, edits),
                    "story": story,
                    "run": 1 if rng.random() < 1 / 3 else 2,
                    "edits": "+".join(sorted(edits)),
                }
            )
        docs.append({"page": same_topic(original, next(pages), rng), "story": None, "run": 2, "edits": "same_topic"})
        docs.append({"page": next(pages), "story": None, "run": 1, "edits": "unrelated"})
    for i, doc in enumerate(docs):
        page = doc.pop("page")
        doc["record"] = InputRecord(
            source_id=f"nd-{i:06d}",
            source_uri=f"bench/run{doc['run']}.jsonl",
            text=page.to_text(),
            title=page.title,
            publisher=page.pub["name"],
            published_at=page.published_at(),
            url=page.url,
        )
    return docs


def transform_all(docs: list[dict]) -> tuple[list, dict[str, float]]:
    """Each document through the text path; returns them and the CPU seconds spent in the
    whole transform, in the fingerprint alone and in its numpy reference (both measured
    again right after each page's transform, interleaved: the machine's speed drifts)."""
    transformed, seconds = [], {"transform": 0.0, "fingerprint": 0.0, "fingerprint_reference": 0.0}
    for doc in docs:
        started = time.process_time()
        result = transform_record(doc["record"], input_kind="jsonl")
        transformed_at = time.process_time()
        fingerprint(result.paragraphs)
        fingerprinted_at = time.process_time()
        _fingerprint_py("\n".join(p.text for p in result.paragraphs))
        ended = time.process_time()
        seconds["transform"] += transformed_at - started
        seconds["fingerprint"] += fingerprinted_at - transformed_at
        seconds["fingerprint_reference"] += ended - fingerprinted_at
        transformed.append(result)
    return transformed, seconds


def signature_writing_seconds(docs: list[dict], transformed: list) -> float:
    """CPU seconds to write the documents' signature and band rows as Parquet (what a
    shard adds for near-duplicates), best of three."""
    best = float("inf")
    for _ in range(3):
        with tempfile.TemporaryDirectory() as base:
            started = time.process_time()
            writer = ShardWriter(base, "s0", "2026-01-01")
            keys = {"run_id": "bench", "ingest_date": dt.date(2026, 1, 1)}
            for result in transformed:
                _add_fingerprint(writer, {**keys, "doc_id": result.doc_id}, result)
            writer.close()
            best = min(best, time.process_time() - started)
    return best


def _add_fingerprint(writer: ShardWriter, doc_keys: dict, result) -> None:
    if result.fingerprint.minhash:
        writer.add_columns(
            "document_signatures",
            doc_keys,
            {"n_shingles": [result.fingerprint.n_shingles], "minhash": [signature_bytes(result.fingerprint.minhash)]},
        )
        writer.add_columns(
            "document_bands",
            doc_keys,
            {"band": range(len(result.fingerprint.bands)), "band_hash": result.fingerprint.bands},
        )


def write_run(base: str, run: int, docs: list[dict], transformed: list) -> str:
    run_id = f"20260101T00000{run}000000Z-bench"
    writer = ShardWriter(base, f"{run_id}-s0", "2026-01-01")
    keys = {"run_id": run_id, "ingest_date": dt.date(2026, 1, 1)}
    for doc, result in zip(docs, transformed):
        if doc["run"] != run:
            continue
        doc_keys = {**keys, "doc_id": result.doc_id}
        writer.add_models("documents", {**doc_keys, "near_duplicate_of": None}, [result.info])
        _add_fingerprint(writer, doc_keys, result)
    writer.close()
    return run_id


def evaluate(docs: list[dict], transformed: list, roots: dict[str, str]) -> dict:
    predicted, truth = defaultdict(set), defaultdict(set)
    for i, (doc, result) in enumerate(zip(docs, transformed)):
        predicted[roots.get(result.doc_id) or result.doc_id].add(i)
        truth[doc["story"] if doc["story"] is not None else f"unique-{i}"].add(i)

    def pairs(groups) -> set[tuple[int, int]]:
        return {pair for members in groups.values() for pair in itertools.combinations(sorted(members), 2)}

    found, true = pairs(predicted), pairs(truth)
    story_of = {i: doc["story"] for i, doc in enumerate(docs)}
    original_of = {doc["story"]: i for i, doc in enumerate(docs) if doc["edits"] == "original"}
    cluster_of = {i: root for root, members in predicted.items() for i in members}
    per_edit: dict[str, Counter] = defaultdict(Counter)
    for i, doc in enumerate(docs):
        if doc["story"] is not None and doc["edits"] != "original":
            hit = cluster_of[i] == cluster_of[original_of[doc["story"]]]
            for edit in doc["edits"].split("+"):
                per_edit[edit]["found" if hit else "missed"] += 1
        elif doc["edits"] in ("same_topic", "unrelated"):
            per_edit[doc["edits"]]["wrongly_matched" if len(predicted[cluster_of[i]]) > 1 else "alone"] += 1
    return {
        "precision": round(len(found & true) / len(found), 4) if found else 1.0,
        "recall": round(len(found & true) / len(true), 4) if true else 1.0,
        "pairs_found": len(found),
        "pairs_true": len(true),
        "per_edit": {edit: dict(counts) for edit, counts in sorted(per_edit.items())},
        "documents": len(docs),
        "stories": len(original_of),
        "same_story_documents": sum(1 for s in story_of.values() if s is not None),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--json", help="also write the report here")
    args = parser.parse_args(argv)

    docs = build_corpus(args.stories, args.seed)
    transformed, seconds = transform_all(docs)
    writing = signature_writing_seconds(docs, transformed)
    with tempfile.TemporaryDirectory() as base:
        write_run(base, 1, docs, transformed)
        assign_near_duplicates(base, "20260101T000001000000Z-bench")
        run_2 = write_run(base, 2, docs, transformed)
        started = time.process_time()
        assign_near_duplicates(base, run_2)
        matching = time.process_time() - started
        roots = {}
        for directory, _, names in os.walk(os.path.join(base, "documents")):
            for name in names:
                for row in pq.read_table(
                    os.path.join(directory, name), columns=["doc_id", "near_duplicate_of"]
                ).to_pylist():
                    roots[row["doc_id"]] = row["near_duplicate_of"]
        # what a run of one document costs at publishing (DuckDB's start, reading every
        # band): the part of the matching that does not grow with the run
        copy = docs[0]["record"].model_copy(update={"source_id": "nd-one-document-run"})
        run_3 = write_run(base, 3, [{"run": 3}], [transform_record(copy, input_kind="jsonl")])
        started = time.process_time()
        assign_near_duplicates(base, run_3)
        one_document_run = time.process_time() - started
    report = evaluate(docs, transformed, roots)
    n_run_2 = sum(1 for doc in docs if doc["run"] == 2)
    # the text path without the fingerprint (transform_record computes one)
    rest = (seconds["transform"] - seconds["fingerprint"]) / len(docs)
    per_page = {
        "fingerprint": seconds["fingerprint"] / len(docs),
        "signature_writing": writing / len(docs),
        "publish_matching": matching / n_run_2,
    }
    report["cost"] = {
        "fingerprint_compiled": COMPILED,
        "text_path_ms_per_page": round(1000 * rest, 3),
        **{f"{name}_ms_per_page": round(1000 * value, 3) for name, value in per_page.items()},
        "fingerprint_reference_ms_per_page": round(1000 * seconds["fingerprint_reference"] / len(docs), 3),
        **{f"{name}_share_of_text_path": round(value / rest, 4) for name, value in per_page.items()},
        "near_duplicates_share_of_text_path": round(sum(per_page.values()) / rest, 4),
        "run_2_documents": n_run_2,
        "publish_matching_one_document_run_ms": round(1000 * one_document_run, 1),
        "publish_matching_ms_per_page_beyond_that": round(1000 * (matching - one_document_run) / n_run_2, 3),
    }
    print(json.dumps(report, indent=1))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
