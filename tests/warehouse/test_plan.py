"""warehouse.plan: shard sizing by work, not by file count."""

from __future__ import annotations

from warehouse.layout import DataLayout
from warehouse.plan import MIN_SHARD_DOCS, plan_run
from warehouse.readers import HTML_BYTES_PER_DOC, estimated_cost
from warehouse.shard_spec import read_shard_spec


def _plan(tmp_path, inputs, **kwargs):
    layout = DataLayout(str(tmp_path / "data"))
    layout.ensure()
    return plan_run([str(p) for p in inputs], layout, "r1", "2026-11-22", **kwargs)


def _write_texts(directory, n):
    directory.mkdir()
    for i in range(n):
        (directory / f"{i:05d}.txt").write_text(f"Story {i}.\n", encoding="utf-8")
    return directory


def test_small_run_is_one_shard(tmp_path):
    plan = _plan(tmp_path, [_write_texts(tmp_path / "in", 40)], shard_docs=2000, min_shards=4)
    assert len(plan.shard_specs) == 1


def test_mid_size_run_is_split_for_every_worker(tmp_path):
    n = 4 * MIN_SHARD_DOCS + 20
    plan = _plan(tmp_path, [_write_texts(tmp_path / "in", n)], shard_docs=2000, min_shards=4)
    sizes = [len(read_shard_spec(spec)) for spec in plan.shard_specs]
    assert len(sizes) >= 4 and sum(sizes) == n and max(sizes) - min(sizes) <= max(sizes) // 2 + 1


def test_large_run_keeps_shard_docs(tmp_path):
    plan = _plan(tmp_path, [_write_texts(tmp_path / "in", 900)], shard_docs=300, min_shards=2)
    assert [len(read_shard_spec(spec)) for spec in plan.shard_specs] == [300, 300, 300]


def test_html_pages_weigh_by_size():
    assert estimated_cost("a.txt", 12_000) == 1
    assert estimated_cost("a.html", 10_000) == 1
    assert estimated_cost("a.html", 100_000) == 1 + 100_000 // HTML_BYTES_PER_DOC >= 3


def test_specs_keep_each_file_absolute_uri_and_given_name(tmp_path, monkeypatch):
    nested = tmp_path / "in" / "2026" / "11"
    nested.mkdir(parents=True)
    (nested / "a.txt").write_text("Story a.\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("Story b.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    layout = DataLayout(str(tmp_path / "data"))
    layout.ensure()
    plan = plan_run(["in/"], layout, "r1", "2026-11-22", 2000)
    files = sorted((f for spec in plan.shard_specs for f in read_shard_spec(spec)), key=lambda f: f.name)
    assert [(f.name, f.uri) for f in files] == [
        ("in/2026/11/a.txt", str(nested / "a.txt")),
        ("in/b.txt", str(tmp_path / "in" / "b.txt")),
    ]
    assert all(f.previous_hash is None and f.previous_records == 0 and f.size == 9 for f in files)
