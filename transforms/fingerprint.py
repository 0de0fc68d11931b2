"""A document's content fingerprint: an exact hash of its clean text, and a MinHash
signature over word shingles cut into LSH bands (for near-duplicates).

Pure: paragraphs in, a ``Fingerprint`` out.  Matching happens in the warehouse
(``warehouse/sql/near_duplicates.sql``): two documents are candidates when they share a
band, and near-duplicates when their signatures estimate a Jaccard similarity of
``JACCARD_THRESHOLD`` or more.

Choices (README, "Near-duplicates"; measured with ``bench/bench_near_duplicates.py``):

* **Shingles**: ``SHINGLE_WORDS`` = 5 consecutive words (lower-cased; see ``word_hashes``)
  *within a paragraph*.  Five words make a sentence fragment that two different stories
  on one topic rarely share ("the prime minister said on" is rare, "said on" is not); a
  shingle never spans two paragraphs, so a republication that reorders paragraphs has
  the same set.  A paragraph of fewer words (a dateline, a short heading) adds no
  shingle: such lines are what sites change.  The record's title is not part of the
  text, and a headline the page repeats as its first line is a few shingles of
  hundreds: a new headline changes little.
* **Signature**: ``NUM_PERM`` = 120 hash functions ``h_i(x) = (a_i·x + b_i) >> 32``
  over 64-bit shingle hashes (multiply-add-shift, a universal family; the seeds are
  fixed, so signatures are equal across processes and runs, and a test pins them: the
  warehouse keeps earlier runs' signatures to match new documents against).  The share of equal positions of
  two signatures estimates their Jaccard similarity with a standard error ≤ 0.046.
* **Bands**: 40 bands × 3 rows.  Two documents become candidates when all 3 values of
  some band agree: P = 1 − (1 − J³)⁴⁰, which is 0.995 at J = 0.5 (the threshold: few
  true pairs are never compared), 0.66 at J = 0.3 and 0.04 at J = 0.1 (same-topic
  stories share a few shingles; verifying such a candidate costs one list comparison).
* **Threshold**: ``JACCARD_THRESHOLD`` = 0.5.  Republished copies (edits, another
  headline, a trimmed ending, leftover furniture) keep well over half their shingles
  in common; two reporters' stories of the same event share quotes and names, under a
  tenth of them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from schemas.models import Paragraph

SHINGLE_WORDS = 5
NUM_BANDS = 40
BAND_ROWS = 3
NUM_PERM = NUM_BANDS * BAND_ROWS
JACCARD_THRESHOLD = 0.5

#: bytes that may be part of a word: ASCII letters, digits, "_", and UTF-8 beyond ASCII
_WORD_BYTE = np.zeros(256, dtype=bool)
for _byte in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_":
    _WORD_BYTE[_byte] = True
_WORD_BYTE[0x80:] = True
_rng = np.random.Generator(np.random.PCG64(20261201))
#: odd multipliers and offsets of the hash family (fixed seed: part of the format)
_A = _rng.integers(1, 1 << 63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)
#: multipliers combining a shingle's word hashes (position-dependent, odd)
_POSITION = _rng.integers(1, 1 << 63, size=SHINGLE_WORDS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_BYTE_POSITION = _rng.integers(1, 1 << 63, size=64, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_BAND_MIX = _rng.integers(1, 1 << 63, size=BAND_ROWS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


@dataclass(frozen=True)
class Fingerprint:
    """``text_hash``: equal for equal clean text (case and whitespace aside).
    ``minhash``: NUM_PERM values (empty when the text has no shingle); ``bands``:
    NUM_BANDS signed 64-bit hashes of its rows, band i at position i."""

    text_hash: str
    n_shingles: int
    minhash: tuple[int, ...]
    bands: tuple[int, ...]


def fingerprint(paragraphs: list[Paragraph]) -> Fingerprint:
    """The fingerprint of a document's clean text (its paragraphs, in order)."""
    words, paragraph_of = word_hashes("\n".join(p.text for p in paragraphs))
    # the words' 64-bit hashes in order, and their paragraphs, stand for the text
    text_hash = hashlib.blake2b(words.tobytes() + paragraph_of.tobytes(), digest_size=12).hexdigest()
    shingles = shingle_hashes(words, paragraph_of)
    if shingles.size == 0:
        return Fingerprint(text_hash, 0, (), ())
    signature = minhash_signature(shingles)
    return Fingerprint(text_hash, int(shingles.size), tuple(signature.tolist()), tuple(band_hashes(signature).tolist()))


def word_hashes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the text's words in order, and each word's paragraph (the
    number of line breaks before it).

    A word is a run of ASCII letters, digits and ``_`` and of non-ASCII characters other
    than the Latin-1 and General Punctuation signs (no-break space, « », dashes, curly
    quotes, ellipsis), lower-cased.  Vectorised over the UTF-8 bytes: a regex pass or a
    Python call per word cost most of the fingerprint's time.  A word's hash is a
    mixed polynomial of its bytes, fixed across processes and versions (``hash`` is not)."""
    data = np.frombuffer(text.lower().encode("utf-8", "surrogatepass"), dtype=np.uint8)
    if data.size == 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    in_word = _WORD_BYTE[data]
    lead, follow = data[:-1], data[1:]
    punctuation = np.flatnonzero(((lead == 0xE2) & ((follow == 0x80) | (follow == 0x81)))
                                 | ((lead == 0xC2) & (follow >= 0xA0) & (follow <= 0xBF)))
    if punctuation.size:
        width = np.where(data[punctuation] == 0xE2, 3, 2)
        in_word[np.minimum(np.repeat(punctuation, width) + _ramp(width), data.size - 1)] = False
    padded = np.concatenate(([False], in_word, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, lengths = edges[::2], edges[1::2] - edges[::2]
    if starts.size == 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    chars = np.flatnonzero(in_word)
    first = np.concatenate(([0], np.cumsum(lengths)[:-1]))  # each word's first byte in ``chars``
    offsets = np.arange(chars.size) - np.repeat(first, lengths)
    terms = (data[chars].astype(np.uint64) + np.uint64(1)) * _BYTE_POSITION[offsets & (_BYTE_POSITION.size - 1)]
    hashes = np.add.reduceat(terms, first) + lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    paragraph_of = np.searchsorted(np.flatnonzero(data == 10), starts)
    return _mix(hashes), paragraph_of


def _ramp(width: np.ndarray) -> np.ndarray:
    """0, 1, …, w-1 for each w in ``width``, concatenated."""
    return np.arange(int(width.sum())) - np.repeat(np.cumsum(width) - width, width)


def shingle_hashes(words: np.ndarray, paragraph_of: np.ndarray) -> np.ndarray:
    """64-bit hashes of the ``SHINGLE_WORDS``-word shingles within each paragraph (a
    shingle repeated in the text is there as often)."""
    n = words.size - SHINGLE_WORDS + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    combined = np.zeros(n, dtype=np.uint64)
    for position in range(SHINGLE_WORDS):
        combined += words[position:position + n] * _POSITION[position]
    # no mixing and no deduplication needed: the hash family takes any distinct 64-bit
    # values, and a repeated shingle changes no minimum
    return combined[paragraph_of[:n] == paragraph_of[SHINGLE_WORDS - 1:]]


def minhash_signature(shingles: np.ndarray) -> np.ndarray:
    """NUM_PERM minima of ``(a_i·x + b_i) >> 32`` over the shingle hashes (uint32 values).
    The shift is monotonic, so it is taken of the minima."""
    values = np.multiply.outer(shingles, _A)
    values += _B
    return (values.min(axis=0) >> np.uint64(32)).astype(np.int64)


def _mix(values: np.ndarray) -> np.ndarray:
    """Half of splitmix64's finaliser: the high bits reach the low ones, so that the
    linear combinations of word hashes that make shingles are not linear in the bytes."""
    values = values ^ (values >> np.uint64(31))
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(29)
    return values


def band_hashes(signature: np.ndarray) -> np.ndarray:
    """One signed 64-bit hash per band of BAND_ROWS signature values."""
    rows = signature.astype(np.uint64).reshape(NUM_BANDS, BAND_ROWS)
    combined = (rows * _BAND_MIX[None, :]).sum(axis=1, dtype=np.uint64)
    combined ^= combined >> np.uint64(31)
    combined *= np.uint64(0x94D049BB133111EB)
    combined ^= combined >> np.uint64(29)
    return combined.view(np.int64)


def estimated_jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The share of equal signature positions (what the warehouse's SQL computes)."""
    if not a or not b:
        return 0.0
    return sum(x == y for x, y in zip(a, b)) / NUM_PERM
