"""warehouse.discover and the plan's diff against the manifest, on a temporary directory:
what is listed, what is rejected and why, and which files a second run re-reads
(new, changed), skips (unchanged) or forgets (deleted)."""

from __future__ import annotations

import os

import pytest

from tests.warehouse.direct_run import publish_run, run_id
from warehouse.discover import InputFile, discover, missing_inputs
from warehouse.layout import DataLayout
from warehouse.plan import plan_run
from warehouse.readers import INPUT_FORMATS, Rejected, content_hash, estimated_cost, input_kind, known_suffixes
from warehouse.shard_spec import read_shard_spec


def _listed(inputs, **kwargs):
    files, rejected = {}, {}
    for item in discover([str(p) for p in inputs], **kwargs):
        if isinstance(item, Rejected):
            rejected[item.source] = item.reason
        else:
            assert isinstance(item, InputFile)
            files[item.name] = item
    return files, rejected


def test_a_tree_is_listed_with_absolute_uris_and_given_names(tmp_path, monkeypatch):
    (tmp_path / "in" / "2026" / "12").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text("A.\n")
    (tmp_path / "in" / "2026" / "12" / "b.html").write_text("<p>B</p>\n")
    (tmp_path / "in" / "notes.csv").write_text("x\n")  # listed: the shard rejects unknown types, with the reason
    (tmp_path / "in" / ".hidden.txt").write_text("hidden\n")
    (tmp_path / "in" / ".git").mkdir()
    (tmp_path / "in" / ".git" / "c.txt").write_text("hidden dir\n")
    monkeypatch.chdir(tmp_path)
    files, rejected = _listed(["in"])
    assert sorted(files) == ["in/2026/12/b.html", "in/a.txt", "in/notes.csv"]
    assert files["in/a.txt"].uri == str(tmp_path / "in" / "a.txt")
    assert (files["in/a.txt"].size, files["in/a.txt"].mtime_ns) == (3, os.stat("in/a.txt").st_mtime_ns)
    assert rejected == {}


def test_paths_are_literal_and_only_missing_ones_are_globs(tmp_path):
    literal = tmp_path / "report[1].txt"
    literal.write_text("the file with brackets\n")
    (tmp_path / "report1.txt").write_text("what the pattern would match\n")
    files, _ = _listed([literal])
    assert [f.uri for f in files.values()] == [str(literal)]
    files, _ = _listed([tmp_path / "rep*.txt"])
    assert sorted(os.path.basename(f.uri) for f in files.values()) == ["report1.txt", "report[1].txt"]
    _, rejected = _listed([tmp_path / "nothing*.txt", tmp_path / "gone.txt"])
    assert rejected == {
        str(tmp_path / "nothing*.txt"): "glob matched no files",
        str(tmp_path / "gone.txt"): "input path does not exist",
    }
    assert [why for _, why in missing_inputs([str(tmp_path / "nothing*.txt"), str(literal)])] == [
        "no file matches this pattern"
    ]


def test_links_loops_and_the_data_directory(tmp_path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("A.\n")
    os.symlink(root, root / "sub" / "loop")
    os.symlink(tmp_path / "missing.txt", root / "broken.txt")
    data = root / "data"  # a data directory inside the input directory is never input
    (data / "parquet").mkdir(parents=True)
    (data / "parquet" / "x.txt").write_text("not an input\n")
    files, rejected = _listed([root], exclude_dirs=(str(data),))
    assert [os.path.relpath(f.uri, root) for f in files.values()] == ["sub/a.txt"]
    assert rejected == {
        str(root / "broken.txt"): "broken symbolic link",
        str(root / "sub" / "loop"): "symbolic link loop: directory already visited",
    }


def test_a_file_name_that_is_not_utf8_is_listed_escaped(tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/caf\xe9.txt"
    try:
        with open(raw, "wb") as fh:
            fh.write(b"Cafe.\n")
    except OSError:
        pytest.skip("the filesystem refuses non-UTF-8 names")
    (item,) = _listed([tmp_path])[0].values()
    assert item.uri == str(tmp_path / "caf\\xe9.txt") and item.fs_path == os.fsdecode(raw)


def _planned(layout, inputs, n):
    plan = plan_run([str(p) for p in inputs], layout, run_id(n), "2026-12-01", 2000)
    return plan, {os.path.basename(f.uri): f for spec in plan.shard_specs for f in read_shard_spec(spec)}


def test_new_changed_unchanged_and_deleted_files(tmp_path):
    pages, data = tmp_path / "pages", tmp_path / "data"
    pages.mkdir()
    for name in ("same.txt", "touched.txt", "edited.txt", "gone.txt"):
        (pages / name).write_text(f"The story of {name}.\n\nIt has a second paragraph.\n")
    (pages / "feed.jsonl").write_text('{"id": "1", "text": "One."}\n{"id": "2", "text": "Two."}\n')
    layout = DataLayout(str(data))
    layout.ensure()
    plan, first = _planned(layout, [pages], 1)
    assert sorted(first) == ["edited.txt", "feed.jsonl", "gone.txt", "same.txt", "touched.txt"]
    assert all(f.previous_hash is None and f.previous_records == 0 for f in first.values())
    assert plan.skipped_records == 0
    publish_run(data, [pages], 1)

    stat = os.stat(pages / "touched.txt")
    os.utime(pages / "touched.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # same bytes, new mtime
    (pages / "edited.txt").write_text("The story, edited.\n")
    (pages / "new.txt").write_text("A new story.\n")
    os.remove(pages / "gone.txt")
    plan, second = _planned(layout, [pages], 2)
    # unchanged size and mtime: skipped unopened, its records counted as skipped
    assert sorted(second) == ["edited.txt", "new.txt", "touched.txt"]
    assert plan.skipped_records == 1 + 2  # same.txt and the two JSONL records
    assert second["new.txt"].previous_hash is None
    # a changed stat is re-hashed by the shard against the manifest's hash: same bytes, skipped there
    assert second["touched.txt"].previous_hash == content_hash(str(pages / "touched.txt"))
    assert second["edited.txt"].previous_hash not in (None, content_hash(str(pages / "edited.txt")))
    assert second["touched.txt"].previous_records == second["edited.txt"].previous_records == 1

    rerun = publish_run(data, [pages], 2)
    assert (rerun.processed, rerun.skipped) == (2, 4)  # edited.txt and new.txt; touched.txt skipped by its hash
    _, third = _planned(layout, [pages], 3)
    # what the second run processed is in the manifest now; the deleted file is simply not
    # listed (its rows stay).  touched.txt kept its old stat in the manifest (its bytes had not
    # changed), so it is re-hashed again: allowed here, not required
    assert set(third) <= {"touched.txt"}


def test_every_registered_suffix_names_its_format():
    for kind, input_format in INPUT_FORMATS.items():
        for suffix in input_format.suffixes:
            assert suffix == suffix.lower() and suffix in known_suffixes()
            assert input_kind(f"page{suffix}") == input_kind(f"PAGE{suffix.upper()}") == kind
            assert estimated_cost(f"page{suffix}", 10) >= 1
    # the longest suffix wins: a gzipped crawl is a crawl, a gzipped text is not a text
    assert input_kind("crawl.warc.gz") == "warc" and input_kind("notes.txt.gz") is None
    assert input_kind("table.csv") is None and estimated_cost("table.csv", 10**9) == 1
