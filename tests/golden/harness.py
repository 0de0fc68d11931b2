"""Golden files (Fundus style): a real input next to the pipeline's expected output.

Each input under ``tests/golden/`` (``<name>.txt``, ``.html`` or ``.jsonl``) and each page
of ``seeds/`` is processed by the real shard function (readers, decoding, trafilatura,
cleaner, segmenter, quote extractor, Parquet writer: everything but Prefect), one shard
per input so that pages do not change each other's output. The rows it writes are read
back from its Parquet files and kept as ``<name>.json``: documents with their
paragraphs (kind), removed lines (rule) and quotes (speaker, cue, kind …), plus any
quarantine rows. ``make golden`` rewrites them; ``test_golden.py`` compares, so every
change in output shows as a reviewable diff in the commit that made it.

Never benchmark data: the inputs are the seeds, pages from ``bench/generate_corpus.py``
and hand-written hard cases.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

from transforms.fingerprint import signature_values

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
SEEDS = ROOT / "seeds"
INPUT_SUFFIXES = (".txt", ".html", ".jsonl")
#: Columns that name the run or a file's stat, not the output's content.
VOLATILE = {"run_id", "ingest_date", "error", "payload"}
#: Per-document child tables, in the order the JSON shows them.
CHILD_TABLES = ("paragraphs", "removed_lines", "quotes")


def golden_inputs() -> dict[str, Path]:
    """Golden name -> input path (relative to the project root)."""
    inputs = {f"seed-{p.stem}": p for p in sorted(SEEDS.glob("*.txt"))}
    inputs.update({p.stem: p for p in sorted(GOLDEN.iterdir()) if p.suffix in INPUT_SUFFIXES})
    return {name: path.relative_to(ROOT) for name, path in inputs.items()}


def expected_path(name: str) -> Path:
    return GOLDEN / f"{name}.json"


def golden_output(relative_input: Path) -> dict:
    """What the pipeline makes of one input file, as a JSON-ready dict."""
    from flows.shards import process_shard
    from schemas.settings import RunSettings
    from warehouse.shard_spec import ShardFile, write_shard_spec

    cwd = os.getcwd()
    os.chdir(ROOT)  # the relative path is the source id, and doc ids hash it
    try:
        with tempfile.TemporaryDirectory() as tmp:
            stat = os.stat(relative_input)
            spec = os.path.join(tmp, "shard-0.json")
            write_shard_spec(
                spec,
                [
                    ShardFile(
                        uri=str(relative_input), name=relative_input.name, size=stat.st_size, mtime_ns=stat.st_mtime_ns
                    )
                ],
            )
            out = os.path.join(tmp, "out")
            process_shard(spec, out, "golden", "2026-01-01", RunSettings(workers=1))
            tables = _read_tables(out)
    finally:
        os.chdir(cwd)
    return _document_view(tables)


def _read_tables(out: str) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(Path(out).rglob("*.parquet")):
        table = path.relative_to(out).parts[0]
        for row in pq.ParquetFile(path).read().to_pylist():
            tables[table].append({k: v for k, v in row.items() if k not in VOLATILE})
    return tables


def _document_view(tables: dict[str, list[dict]]) -> dict:
    children: dict[str, dict[str, list[dict]]] = {t: defaultdict(list) for t in CHILD_TABLES}
    for table in CHILD_TABLES:
        for row in tables.get(table, []):
            children[table][row.pop("doc_id")].append(row)
    signatures = {row["doc_id"]: row for row in tables.get("document_signatures", [])}
    documents = []
    for doc in sorted(tables.get("documents", []), key=lambda d: (d["source_id"], d["doc_id"])):
        entry = {"document": doc}
        for table in CHILD_TABLES:
            entry[table] = children[table].get(doc["doc_id"], [])
        signature = signatures.get(doc["doc_id"])  # the MinHash's size and first values: a format change shows
        entry["fingerprint"] = signature and {
            "n_shingles": signature["n_shingles"],
            "minhash_head": list(signature_values(signature["minhash"])[:3]),
        }
        documents.append(entry)
    quarantine = sorted(tables.get("quarantine", []), key=lambda r: json.dumps(r, sort_keys=True, default=str))
    return {"documents": documents, "quarantine": quarantine}


def to_json(output: dict) -> str:
    return json.dumps(output, ensure_ascii=False, indent=1, sort_keys=False, default=str) + "\n"


def main() -> int:
    inputs = golden_inputs()
    names = set(inputs)
    for stale in GOLDEN.glob("*.json"):
        if stale.stem not in names:
            stale.unlink()
            print(f"removed {stale.relative_to(ROOT)} (no input)")
    for name, path in inputs.items():
        text = to_json(golden_output(path))
        target = expected_path(name)
        old = target.read_text(encoding="utf-8") if target.exists() else None
        if old != text:
            target.write_text(text, encoding="utf-8")
            print(f"{'updated' if old else 'created'} {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
