"""An exception from the code that handles one input never escapes that input:
hypothesis throws arbitrary errors from the per-input code of a real shard (readers,
decoding, parsing, transforms, hashing) and the shard still finishes, counting every
input.  No Prefect here: ``process_shard`` is the plain function every runner calls."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flows.shards
import transforms.batch
import warehouse.readers
from flows.shards import process_shard
from schemas.settings import RunSettings
from warehouse.shard_spec import ShardFile, write_shard_spec

TEXT = (
    "The council met on Tuesday and agreed the budget after a long debate about the schools. "
    "“We chose well,” the mayor said."
)

#: Per-input code, as (module, attribute): each is called once or more per input.
HOOKS = [
    (warehouse.readers, "decode_bytes"),
    (warehouse.readers, "_parse_record"),
    (warehouse.readers, "open_input"),
    (transforms.batch, "transform_record"),
    (flows.shards, "input_kind"),
    (flows.shards, "content_hash"),
    (transforms.batch, "template_lines_by_publisher"),
]
ERRORS = [
    ValueError,
    KeyError,
    TypeError,
    RecursionError,
    MemoryError,
    ZeroDivisionError,
    AssertionError,
    RuntimeError,
    OSError,
    UnicodeError,
    IndexError,
    NotImplementedError,
    LookupError,
]


def _inputs(root: Path) -> list[ShardFile]:
    root.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(3):
        path = root / f"page{i}.txt"
        path.write_text(f"{TEXT} Page {i}.", encoding="utf-8")
        files.append(path)
    records = root / "records.jsonl"
    records.write_text("".join(json.dumps({"id": f"r{i}", "text": f"{TEXT} Record {i}."}) + "\n" for i in range(3)))
    files.append(records)
    shard_files = []
    for path in files:
        st_ = path.stat()
        # a previous hash makes the shard re-hash the file (content_hash runs)
        shard_files.append(ShardFile(str(path), str(path), st_.st_size, st_.st_mtime_ns, previous_hash="0" * 32))
    return shard_files


@pytest.fixture(scope="module")
def shard_inputs(tmp_path_factory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("boundary")
    spec = root / "spec.json"
    write_shard_spec(str(spec), _inputs(root / "in"))
    return root, str(spec)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hook=st.sampled_from(HOOKS), error=st.sampled_from(ERRORS), fail_on=st.integers(1, 6), fail_every=st.booleans())
def test_errors_from_one_input_stay_within_it(shard_inputs, monkeypatch, hook, error, fail_on, fail_every):
    root, spec = shard_inputs
    module, name = hook
    real = getattr(module, name)
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == fail_on or (fail_every and calls["n"] > fail_on):
            raise error(f"injected into {name}")
        return real(*args, **kwargs)

    out = root / f"out-{name}-{error.__name__}-{fail_on}-{fail_every}"
    with monkeypatch.context() as patch:
        patch.setattr(module, name, failing)
        report = process_shard(spec, str(out), "run1", "2026-12-01", RunSettings(workers=1))

    assert report.files == 4
    assert report.seen == report.processed + report.skipped + report.quarantined
    written = {table.name: pq.read_table(next(table.rglob("*.parquet"))) for table in out.iterdir()}
    quarantined = written["quarantine"].num_rows if "quarantine" in written else 0
    documents = written["documents"].num_rows if "documents" in written else 0
    assert (documents, quarantined) == (report.processed, report.quarantined)
    if calls["n"] >= fail_on:  # the fault fired: it is on record, with its reason
        assert quarantined >= 1
        reasons = written["quarantine"].column("reason").to_pylist() + written["quarantine"].column("error").to_pylist()
        assert any(r and ("injected" in r or error.__name__ in r) for r in reasons)
