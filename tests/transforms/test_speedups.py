"""The C kernel (transforms/_speedups.c) against its Python reference.

``line_signals`` is what the cleaner calls; where the extension is compiled it is the C
translation of ``_line_signals_py``.  They must agree exactly, on every line: a
difference would change which lines the cleaner keeps depending on the machine.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import text_signals
from transforms.text_signals import LineSignals, _line_signals_py, line_signals

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

needs_kernel = pytest.mark.skipif(
    not text_signals.COMPILED, reason="transforms._speedups is not compiled here (no C compiler at install)"
)

_CLEAN_SEEDS = """
import json, sys
from pathlib import Path
from transforms import text_signals
from transforms.clean import clean_text
out = {"compiled": text_signals.COMPILED, "pages": []}
for path in sorted(Path(sys.argv[1]).glob("*.txt")):
    c = clean_text(path.read_text("utf-8"))
    out["pages"].append([[p.kind, p.text] for p in c.paragraphs] + [[r.rule, r.text] for r in c.removed])
print(json.dumps(out))
"""


def _clean_seeds(*, block_kernel: bool) -> dict:
    code = ("import sys; sys.modules['transforms._speedups'] = None\n" if block_kernel else "") + _CLEAN_SEEDS
    done = subprocess.run([sys.executable, "-c", code, str(SEEDS)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_without_the_kernel_the_python_reference_runs_and_cleans_alike():
    """A machine without a C compiler gets the same cleaning."""
    fallback = _clean_seeds(block_kernel=True)
    assert fallback["compiled"] is False
    default = _clean_seeds(block_kernel=False)
    assert default["compiled"] is text_signals.COMPILED
    assert fallback["pages"] == default["pages"] and len(default["pages"]) >= 2


def _assert_same(text: str) -> None:
    for low in (None, text.lower()):
        expected = _line_signals_py(text, low)
        got = line_signals(text, low)
        assert type(got) is LineSignals
        assert got == expected, (text, low is not None)


@needs_kernel
def test_seed_lines_agree():
    lines = [line for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text("utf-8").splitlines()]
    assert len(lines) > 100
    for line in lines:
        _assert_same(line.strip())


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "—",
        "“We will not back down,” Kirby said.",
        "\u201cWe\u201d | Ⓐ Ⓑ — (AP) Photo: Jane Doe/Getty Images",
        "ΣΟΦΟΣ σοφός ΟΔΟΣ. İstanbul’s “mayor” said:",
        "a " * 45 + "end.",  # past the 40-token sample
        "— " * 41 + "Word",  # punctuation tokens in the sample, a word after it
        "It was 3.5 per cent.)”»]*",
        "\u00a0lead\u2003words\tand\x1ctabs ",
        "123 people, 4th of July",
    ],
)
@needs_kernel
def test_edge_cases_agree(text):
    _assert_same(text)


_CHARS = st.sampled_from(list("aZé İσΣ1٣_.!?…:;,“”\"'’»)]*(«—-Ⓐ\t\n\u00a0\u2003\x1c") + ["the", "The", "said,", "“we"])


@needs_kernel
@settings(max_examples=400, deadline=None)
@given(st.lists(_CHARS, max_size=120).map("".join))
def test_random_lines_agree(text):
    _assert_same(text)


@needs_kernel
def test_wrong_arguments_raise():
    with pytest.raises(TypeError):
        line_signals(b"bytes")
    with pytest.raises(TypeError):
        line_signals("text", 3)


@needs_kernel
def test_memo_entries_leave_the_cyclic_gc():
    # what the cleaner memoises per line: untracked, so full collections skip them
    sig = line_signals("“We will go,” Kirby said.")
    assert not gc.is_tracked(sig) and sig == _line_signals_py("“We will go,” Kirby said.")
    facts = text_signals.untracked((sig, "key", None, 1.5, False))
    assert facts == (sig, "key", None, 1.5, False) and not gc.is_tracked(facts)


@needs_kernel
def test_untracked_keeps_tuples_that_may_be_in_a_cycle_tracked():
    holder: list = []
    cyclic = text_signals.untracked(("a", holder))
    holder.append(cyclic)  # a cycle through the list: the GC must still see the tuple
    assert gc.is_tracked(cyclic)
    inner = text_signals.untracked((1, [2]))
    assert gc.is_tracked(inner)
    other = [1, 2]
    assert text_signals.untracked(other) is other and gc.is_tracked(other)
    del holder, cyclic
    assert gc.collect() >= 2  # the cycle is found and freed
