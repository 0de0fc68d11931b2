"""Every golden input still gives exactly its recorded output (see ``harness.py``).

On a failure, run ``make golden`` and read ``git diff tests/golden``: if the change is
intended, commit the regenerated files with the code that caused it.
"""

from __future__ import annotations

import difflib

import pytest

from tests.golden.harness import expected_path, golden_inputs, golden_output, to_json

INPUTS = golden_inputs()


def test_there_are_golden_inputs_of_every_kind():
    suffixes = {path.suffix for path in INPUTS.values()}
    assert {".txt", ".html", ".jsonl"} <= suffixes
    assert len(INPUTS) >= 20


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_output_matches_golden_file(name):
    expected = expected_path(name)
    assert expected.exists(), f"no golden file for {name}: run `make golden`"
    actual = to_json(golden_output(INPUTS[name]))
    wanted = expected.read_text(encoding="utf-8")
    if actual != wanted:
        diff = "".join(
            difflib.unified_diff(
                wanted.splitlines(True), actual.splitlines(True), f"{expected.name} (golden)", "actual", n=2
            )
        )
        pytest.fail(f"output of {INPUTS[name]} changed; `make golden` to accept:\n{diff[:6000]}")
