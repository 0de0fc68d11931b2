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
* **Signature**: ``NUM_PERM`` = 120 values by one permutation hashing with rotation
  densification (``minhash_signature``): each shingle's 64-bit hash picks one of 120
  bins and a bin keeps its least value: the share of equal positions of two signatures
  estimates their Jaccard similarity about as well as 120 independent hash functions
  (standard error ≈ 0.046 at J = 0.5), for the cost of one (120 functions were a third
  of the fingerprint's time).  The seeds are fixed, so
  signatures are equal across processes and runs, and a test pins them: the warehouse
  keeps earlier runs' signatures to match new documents against.
* **Bands**: 40 bands × 3 rows, ``MIN_SHARED_BANDS`` = 2.  Two documents become candidates
  when all 3 values of at least 2 bands agree: with p = J³ a band's chance,
  P = 1 − (1 − p)⁴⁰ − 40·p·(1 − p)³⁹, which is 0.968 at J = 0.5 (the threshold), 0.994 at
  0.55 and 0.9993 at 0.6 (few true pairs are never compared: republished copies are well
  above the threshold), 0.29 at J = 0.3 and 0.0008 at J = 0.1.  One shared band
  (0.995 at J = 0.5) made nine candidates in ten on the benchmark two stories that
  share one stock sentence, none of them a match, and their signature check was most of
  the matching's time.
* **Threshold**: ``JACCARD_THRESHOLD`` = 0.5.  Republished copies (edits, another
  headline, a trimmed ending, leftover furniture) keep well over half their shingles
  in common; two reporters' stories of the same event share quotes and names, under a
  tenth of them.

Compiled: ``fingerprint_text`` is the C translation (``transforms/_speedups.c``) of the
numpy reference ``_fingerprint_py``, which stays the specification and runs where the
extension could not be built; a test holds both to the same fingerprints.  numpy's
per-call overhead on a page's few hundred words and shingles was most of the reference's
time (0.77 vs 0.10 CPU-ms a page, bench/bench_near_duplicates.py).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np

from schemas.models import Paragraph

SHINGLE_WORDS = 5
NUM_BANDS = 40
BAND_ROWS = 3
NUM_PERM = NUM_BANDS * BAND_ROWS
MIN_SHARED_BANDS = 2
JACCARD_THRESHOLD = 0.5
#: bytes of one signature value as stored (signed 64-bit: a densified bin's value exceeds 32 bits)
SIGNATURE_VALUE_BYTES = 8

#: UTF-8 of the Latin-1 signs (U+00A0-00BF) and General Punctuation (U+2000-207F)
_PUNCTUATION = re.compile(rb"\xc2[\xa0-\xbf]|\xe2[\x80\x81][\x80-\xbf]")
#: ASCII bytes that are no part of a word become spaces, letters lower case; a line break,
#: written " \x01 " before, is the word b"\x01" (one split finds words and paragraphs)
_SEPARATE_AND_LOWER = bytes(
    byte + 32 if 65 <= byte <= 90 else byte if byte >= 128 or byte == 1 or chr(byte).isalnum() or byte == 95 else 32
    for byte in range(256)
)
_BREAK_CRC = np.uint64(zlib.crc32(b"\x01"))
_rng = np.random.Generator(np.random.PCG64(20261201))
#: odd multipliers and offsets of the hash family (fixed seed: part of the format)
_OPH_SEED = _rng.integers(0, 1 << 63, dtype=np.uint64)
#: larger than any bin's value (low 32 bits of a hash)
_EMPTY = np.uint64(1 << 32)
#: multipliers combining a shingle's word hashes (position-dependent, odd)
_POSITION = _rng.integers(1, 1 << 63, size=SHINGLE_WORDS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
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
    return fingerprint_text("\n".join(p.text for p in paragraphs))


def _fingerprint_py(text: str) -> Fingerprint:
    """The fingerprint of a text whose paragraphs are separated by line breaks.

    The reference implementation (numpy): ``fingerprint_text`` is its C translation in
    ``transforms/_speedups.c`` where that is compiled, this function otherwise."""
    words, paragraph_of = word_hashes(text)
    # the words' 64-bit hashes in order, and their paragraphs, stand for the text
    text_hash = _text_hash(words.tobytes() + paragraph_of.tobytes())
    shingles = shingle_hashes(words, paragraph_of)
    if shingles.size == 0:
        return Fingerprint(text_hash, 0, (), ())
    signature = minhash_signature(shingles)
    return Fingerprint(text_hash, int(shingles.size), tuple(signature.tolist()), tuple(band_hashes(signature).tolist()))


def _fingerprint_c(text: str) -> Fingerprint:
    hash_input, n_shingles, minhash, bands = _speedups.fingerprint_hashes(text.encode("utf-8", "surrogatepass"))
    return Fingerprint(_text_hash(hash_input), n_shingles, minhash, bands)


def _text_hash(hash_input: bytes) -> str:
    return hashlib.blake2b(hash_input, digest_size=12).hexdigest()


def word_hashes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the text's words in order, and each word's paragraph (the
    number of line breaks before it).

    A word is a run of ASCII letters (lower-cased: ``str.lower`` of a non-ASCII text cost
    a fifth of the fingerprint, and copies rarely change case), digits and ``_`` and of non-ASCII
    characters other than the Latin-1 and General Punctuation signs (no-break space,
    « », dashes, curly quotes, ellipsis).  Done by C-level byte operations (a
    substitution, a translation, splits, ``crc32`` mapped over the words): a regex
    over the text or a Python call per word cost most of the fingerprint's time.
    ``crc32`` is fixed across processes and versions (``hash`` is not)."""
    data = text.encode("utf-8", "surrogatepass")
    if b"\xc2" in data or b"\xe2" in data:
        data = _PUNCTUATION.sub(b" ", data)
    words = data.replace(b"\n", b" \x01 ").translate(_SEPARATE_AND_LOWER).split()  # a break is the word b"\x01"
    hashes = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))
    breaks = hashes == _BREAK_CRC
    paragraph_of = np.cumsum(breaks)[~breaks]
    hashes = hashes[~breaks]
    return _mix(hashes * np.uint64(0x9E3779B97F4A7C15)), paragraph_of


def shingle_hashes(words: np.ndarray, paragraph_of: np.ndarray) -> np.ndarray:
    """64-bit hashes of the ``SHINGLE_WORDS``-word shingles within each paragraph (a
    shingle repeated in the text is there as often)."""
    n = words.size - SHINGLE_WORDS + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    combined = np.zeros(n, dtype=np.uint64)
    for position in range(SHINGLE_WORDS):
        combined += words[position : position + n] * _POSITION[position]
    # no mixing and no deduplication needed: the hash family takes any distinct 64-bit
    # values, and a repeated shingle changes no minimum
    return combined[paragraph_of[:n] == paragraph_of[SHINGLE_WORDS - 1 :]]


def minhash_signature(shingles: np.ndarray) -> np.ndarray:
    """NUM_PERM values by one permutation hashing (Li, Owen & Zhang, 2012) with rotation
    densification (Shrivastava & Li, 2014): each shingle is hashed once; the high bits
    pick one of NUM_PERM bins, and a bin keeps the least of its shingles' low 32 bits.
    An empty bin (a short text) takes the value of the next non-empty bin to its right,
    circularly, plus 2^32 per step, so that two texts agree there as often as there.
    Two signatures agree at a position with probability ≈ their Jaccard similarity, as
    with NUM_PERM independent hash functions, at the cost of one."""
    hashed = _mix(shingles ^ _OPH_SEED)
    bins = ((hashed >> np.uint64(32)) * np.uint64(NUM_PERM)) >> np.uint64(32)
    signature = np.full(NUM_PERM, _EMPTY, dtype=np.uint64)
    np.minimum.at(signature, bins.astype(np.intp), hashed & np.uint64(0xFFFFFFFF))
    filled = np.flatnonzero(signature != _EMPTY)
    if filled.size < NUM_PERM:
        positions = np.arange(NUM_PERM)
        donor = filled[np.searchsorted(filled, positions) % filled.size]
        signature = signature[donor] + ((donor - positions) % NUM_PERM).astype(np.uint64) * np.uint64(1 << 32)
    return signature.astype(np.int64)


def _mix(values: np.ndarray) -> np.ndarray:
    """Half of splitmix64's finaliser: the high bits reach the low ones (and the low the
    high), so that crc32 values and their linear combinations spread over 64 bits."""
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


def signature_bytes(minhash: tuple[int, ...]) -> bytes:
    """A signature as stored (``document_signatures.minhash``): its NUM_PERM values as
    signed 64-bit little-endian integers, SIGNATURE_VALUE_BYTES each, one fixed-size value
    (a list column of 120 integers was most of the matching's cost to read)."""
    return np.asarray(minhash, dtype="<i8").tobytes()


def signature_values(stored: bytes) -> tuple[int, ...]:
    """The values of a stored signature (``signature_bytes``'s inverse)."""
    return tuple(np.frombuffer(stored, dtype="<i8").tolist())


def estimated_jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The share of equal signature positions (what the warehouse's SQL computes)."""
    if not a or not b:
        return 0.0
    return sum(x == y for x, y in zip(a, b)) / NUM_PERM


try:
    from transforms import _speedups
except ImportError:  # built without a C compiler: the numpy reference runs, ~10x slower
    _speedups = None
    fingerprint_text = _fingerprint_py
else:
    _speedups.configure_fingerprint(
        _SEPARATE_AND_LOWER, int(_OPH_SEED), [int(m) for m in _POSITION], [int(m) for m in _BAND_MIX], NUM_PERM
    )
    fingerprint_text = _fingerprint_c

#: whether the fingerprint runs compiled (the benches print it)
COMPILED = _speedups is not None
