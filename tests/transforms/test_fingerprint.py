"""The content fingerprint: exact text hash, MinHash signature over word shingles, LSH bands."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.models import Paragraph
from tests.conftest import ROOT
from transforms import fingerprint as fingerprint_module
from transforms.fingerprint import (
    BAND_ROWS,
    JACCARD_THRESHOLD,
    NUM_BANDS,
    NUM_PERM,
    SHINGLE_WORDS,
    SIGNATURE_VALUE_BYTES,
    _fingerprint_py,
    band_hashes,
    estimated_jaccard,
    fingerprint,
    fingerprint_text,
    signature_bytes,
    signature_values,
)

SEEDS = ROOT / "seeds"

STORY = [
    "The city council voted on Tuesday to close the old Riverside bridge to cars from next spring.",
    "Engineers told councillors that the steel supports had corroded faster than expected since the floods of 2019.",
    "Mayor Anna Kowalski said the decision was painful but necessary for the safety of everyone who crosses the river.",
    "Shop owners on Mill Street fear the closure will cut them off from customers who drive in from the eastern suburbs.",
    "A temporary footbridge will be built beside the old one, and buses will be diverted over the north crossing.",
    "The council expects to choose a design for a replacement bridge by the end of next year.",
]
OTHER_STORY_SAME_TOPIC = [
    "Drivers will lose their shortest route into town when the Riverside bridge shuts next spring.",
    "At a packed meeting, residents asked why repairs promised after the 2019 floods never happened.",
    "Kowalski defended the council, saying money for the bridge had gone to schools and the hospital instead.",
    "Traders warned that a year of detours over the north crossing could close several family businesses.",
    "Officials promised a footbridge and extra buses, but gave no date for a new crossing to be finished.",
]


def paragraphs(texts: list[str]) -> list[Paragraph]:
    out, start = [], 0
    for i, text in enumerate(texts):
        out.append(Paragraph(ordinal=i, kind="body", text=text, char_start=start, char_end=start + len(text)))
        start += len(text) + 2
    return out


def shingle_set(texts: list[str]) -> set[tuple[str, ...]]:
    """The exact shingle set, by the definition the module documents (a test oracle)."""
    import re

    found = set()
    for text in texts:
        words = re.findall(r"\w+", text.casefold())
        found.update(tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))
    return found


def test_parameters_fit_together():
    assert NUM_PERM == NUM_BANDS * BAND_ROWS
    # the probability that a pair at the threshold shares a band: few true pairs are never compared
    assert 1 - (1 - JACCARD_THRESHOLD**BAND_ROWS) ** NUM_BANDS > 0.99
    # and that two texts sharing a tenth of their shingles do: few false candidates
    assert 1 - (1 - 0.1**BAND_ROWS) ** NUM_BANDS < 0.05


def test_same_words_same_fingerprint_whatever_the_case_spacing_and_punctuation():
    a = fingerprint(paragraphs(STORY))
    b = fingerprint(paragraphs([t.upper().replace(" ", "  ").replace(",", " ,") for t in STORY]))
    assert a == b
    assert len(a.minhash) == NUM_PERM and len(a.bands) == NUM_BANDS
    assert a.n_shingles == len(shingle_set(STORY))


def test_words_are_words_whatever_the_quote_marks_dashes_and_spaces_around_them():
    # (ASCII letters are lower-cased; a non-ASCII capital stays: copies rarely change case)
    typeset = ["„Wir schaffen das“, sagte die Kanzlerin — über die «große» Aufgabe… l’état aussi."]
    plain = ['"wir schaffen das", sagte die kanzlerin - über die "große" aufgabe... l\'état aussi.']
    assert fingerprint(paragraphs(typeset)) == fingerprint(paragraphs(plain))
    assert fingerprint(paragraphs(typeset)).n_shingles == len(shingle_set(plain))


def test_reordered_paragraphs_keep_every_shingle_but_not_the_text_hash():
    a = fingerprint(paragraphs(STORY))
    b = fingerprint(paragraphs(STORY[3:] + STORY[:3]))
    assert a.minhash == b.minhash and a.bands == b.bands
    assert a.text_hash != b.text_hash  # an exact duplicate is the same text in the same order


def test_a_signature_is_stored_as_one_fixed_size_value_and_read_back_whole():
    # a short text's bins are densified: its values exceed 32 bits, and must survive
    short = fingerprint(paragraphs(["The council closed the bridge to cars on Tuesday after a long debate."]))
    assert max(short.minhash) >= 1 << 32
    for signature in (fingerprint(paragraphs(STORY)).minhash, short.minhash):
        stored = signature_bytes(signature)
        assert isinstance(stored, bytes) and len(stored) == NUM_PERM * SIGNATURE_VALUE_BYTES
        assert signature_values(stored) == signature
    # equal values are equal byte slices (what the warehouse's SQL compares), unequal ones are not
    a, b = signature_bytes(short.minhash), signature_bytes(fingerprint(paragraphs(STORY)).minhash)
    width = SIGNATURE_VALUE_BYTES
    slices_equal = [a[i * width : (i + 1) * width] == b[i * width : (i + 1) * width] for i in range(NUM_PERM)]
    assert slices_equal == [x == y for x, y in zip(short.minhash, fingerprint(paragraphs(STORY)).minhash)]


def test_no_shingle_spans_two_paragraphs_and_short_texts_have_no_signature():
    short = fingerprint(paragraphs(["Four words only here", "and four words more"]))
    assert short.n_shingles == 0 and short.minhash == () and short.bands == ()
    assert short.text_hash == fingerprint(paragraphs(["four WORDS only here.", "And four words more!"])).text_hash
    assert fingerprint([]).minhash == ()


def test_an_edited_republication_is_above_the_threshold_and_another_story_far_below():
    original = fingerprint(paragraphs(STORY))
    edited = fingerprint(
        paragraphs(
            ["Riverside bridge to close to cars"]  # a new headline line
            + STORY[:2]
            + ["The bridge carries about 12,000 vehicles a day."]
            + STORY[2:5]  # a sentence added, the end cut
            + ["Share this article", "Sign up for our morning newsletter"]
        )
    )  # another site's furniture
    other = fingerprint(paragraphs(OTHER_STORY_SAME_TOPIC))
    assert estimated_jaccard(original.minhash, edited.minhash) >= JACCARD_THRESHOLD
    assert estimated_jaccard(original.minhash, other.minhash) < 0.1
    assert any(x == y for x, y in zip(original.bands, edited.bands))


def test_the_estimate_follows_the_exact_jaccard_similarity():
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(5000)]
    base = [" ".join(rng.choice(vocabulary) for _ in range(40)) for _ in range(12)]
    for keep in (12, 9, 6, 3):
        variant = base[:keep] + [" ".join(rng.choice(vocabulary) for _ in range(40)) for _ in range(12 - keep)]
        a, b = shingle_set(base), shingle_set(variant)
        exact = len(a & b) / len(a | b)
        estimate = estimated_jaccard(fingerprint(paragraphs(base)).minhash, fingerprint(paragraphs(variant)).minhash)
        assert abs(estimate - exact) < 0.15, (keep, exact, estimate)  # 3 standard errors at J = 0.5


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=NUM_PERM, max_size=NUM_PERM),
    st.lists(st.integers(0, 3), min_size=NUM_PERM, max_size=NUM_PERM),
)
def test_a_band_hash_is_equal_exactly_when_its_rows_are(first, second):
    a, b = band_hashes(np.array(first, dtype=np.int64)), band_hashes(np.array(second, dtype=np.int64))
    for band in range(NUM_BANDS):
        rows = slice(band * BAND_ROWS, (band + 1) * BAND_ROWS)
        assert (a[band] == b[band]) == (first[rows] == second[rows])


def test_the_format_is_fixed_across_processes_and_versions():
    # signatures of earlier runs stay in the warehouse and are matched against new ones:
    # a change of tokens, hash family or seeds must be a deliberate migration, not a refactor.
    # Both implementations, the C kernel's and the numpy reference (a machine without a C
    # compiler), in processes with different hash seeds.
    code = (
        "import json; from tests.transforms.test_fingerprint import STORY, paragraphs; "
        "from transforms import fingerprint as m; f = m.fingerprint(paragraphs(STORY)); "
        "print(json.dumps([f.text_hash, f.minhash[:3], f.bands[:2]]))"
    )
    block_kernel = "import sys; sys.modules['transforms._speedups'] = None; "
    outputs = {
        subprocess.run(
            [sys.executable, "-c", prefix + code],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed, prefix in (("1", ""), ("2", ""), ("3", block_kernel))
    }
    assert len(outputs) == 1
    here = fingerprint(paragraphs(STORY))
    assert json.loads(outputs.pop()) == [here.text_hash, list(here.minhash[:3]), list(here.bands[:2])]
    assert [here.text_hash, here.minhash[:3], here.bands[:2]] == PINNED


PINNED = ["e77138b0d68d0b4385ba4820", (6476427375, 2181460079, 4679766711), (-8761732818664573945, 6117478826440681925)]


needs_kernel = pytest.mark.skipif(
    not fingerprint_module.COMPILED, reason="transforms._speedups is not compiled here (no C compiler at install)"
)


def _assert_both_paths_agree(text: str) -> None:
    assert fingerprint_text(text) == _fingerprint_py(text), repr(text)


@needs_kernel
def test_the_c_kernel_is_the_one_in_use_and_agrees_on_the_seed_pages():
    assert fingerprint_text is fingerprint_module._fingerprint_c
    texts = [path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    assert len(texts) >= 2
    for text in texts:
        _assert_both_paths_agree(text)
    _assert_both_paths_agree("\n".join(texts))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "one two three four",
        "one two three four five",
        "one two three four\nfive six seven eight nine",
        "\x01 a raw \x01 byte is a break \x01like\x01 the reference's",
        "„Wir schaffen das“, sagte — über «große» Aufgabe… l’état\u00a0aussi\u2003und\u205f mehr.",
        "tail bytes \xc2 and \u2000",  # a punctuation sign's lead byte at the very end
        "a lone \ud800 surrogate and more words after it here",
        "WORDS In Capitals AND digits 2024 and_underscores plus ÄÖÜ ß İ σ",
        " ".join(f"w{i}" for i in range(3)),  # short: every bin empty but a few (densification)
        " ".join(f"w{i}" for i in range(2000)),
    ],
)
@needs_kernel
def test_both_paths_agree_on_edge_cases(text):
    _assert_both_paths_agree(text)


_PIECES = st.sampled_from(
    list("aZé İσΣ1٣_.!?…:;,“”\"'’»)]*(«—-Ⓐ\t\n\r\x01\x00\u00a0\u00bf\u00c0\u2003\u2014\u207f\u2080\x1c")
    + ["the", "The", "said,", "word", "\ud800", "\U0001f600"]
)


@needs_kernel
@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=200).map("".join))
def test_both_paths_agree_on_random_texts(text):
    _assert_both_paths_agree(text)
