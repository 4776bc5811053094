"""Near-identical free text between learners: a simple, explainable measure.

What is compared: every text answer of three words or more in a worksheet (the
``learner`` block aside), joined in document order, lower-cased, with punctuation
removed. The text is cut into overlapping three-word phrases ("shingles"), and
two worksheets are compared by the share of phrases they have in common (the
Jaccard index: shared phrases / all distinct phrases of either). Two learners who
wrote independently share few three-word phrases; a copied answer shares most.

To stay fast and small for very large classes, each worksheet keeps only a
*bottom-k sketch*: the k smallest hash values of its phrases. The Jaccard index
of two sets is estimated from the k smallest values of the union of their
sketches, the standard estimator; with k = 64 it is within about 0.06 of the
true value. Pairs are only compared when their sketches share one of their
smallest values (an inverted index), and a value shared by more than fifty
worksheets is treated as boilerplate, so the cost grows with the number of
similar pairs, not with the square of the class size. Hashes are CRC-32 of the phrase, identical in
every process, so results never depend on ``--jobs``.

A flag is a prompt to look, not a verdict: learners quoting the same example,
or pairs told to work together, will also be flagged.
"""

from __future__ import annotations

import heapq
import itertools
import operator
import re
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from workbook.catalog import ENVELOPE

SKETCH_SIZE = 64
SHINGLE = 3
MIN_WORDS = 25  # below this there is too little text to judge
PREFIX = 8  # sketch values used to find candidate pairs
MAX_BUCKET = 50  # a phrase shared this widely is boilerplate, not a sign of copying
DEFAULT_THRESHOLD = 0.8

_WORD = re.compile(r"\w+")


def free_text(data: Any, skip: Sequence[str] = ENVELOPE) -> list[str]:
    """Every text answer of three words or more, in document order, outside the
    envelope (which exercise, which version, who)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            if node.count(" ") >= 2:
                found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    if isinstance(data, dict):
        for key, value in data.items():
            if key not in skip:
                walk(value)
    return found


_MASK = 0xFFFFFFFF
_FIRST, _SECOND = 0x9E3779B1, 0x85EBCA77  # odd multipliers for a phrase's first two words
# ASCII text: every byte that \w does not match becomes a space, so that splitting
# the translated bytes gives what _WORD.findall gives, already encoded.
_ASCII_WORDS = bytes(c if c < 128 and _WORD.fullmatch(chr(c)) else ord(" ") for c in range(256))

# A word's CRC-32, and that times each multiplier, kept per process: answers reuse
# the same words, and a dictionary lookup is cheaper than the hash and the product.
_codes: dict[bytes, int] = {}
_firsts: dict[bytes, int] = {}
_seconds: dict[bytes, int] = {}
_KEEP_WORDS = 100_000  # forget them all past this, so a hostile file cannot grow it


def _words(text: str) -> list[bytes]:
    """The words of ``text``, case-folded, as UTF-8: ``_WORD.findall``, quicker for ASCII."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORDS).lower().split()
    return [word.encode() for word in _WORD.findall(text.casefold())]


def _learn(words: list[bytes]) -> None:
    new = set(words).difference(_codes)
    if len(_codes) + len(new) > _KEEP_WORDS:
        _codes.clear()
        _firsts.clear()
        _seconds.clear()
        new = set(words)
    for word in new:
        code = zlib.crc32(word)
        _codes[word] = code
        _firsts[word] = (code * _FIRST) & _MASK
        _seconds[word] = (code * _SECOND) & _MASK


def sketch(data: Any) -> bytes:
    """The bottom-k sketch of a worksheet's free text, packed as 32-bit integers.

    Packed, a sketch costs 256 bytes instead of about 2 KB as a tuple of Python
    ints: it is kept for every submission until the class is compared. Empty when
    there is too little text.
    """
    words = _words(" ".join(free_text(data)))
    if len(words) < MIN_WORDS:
        return b""
    # A phrase's hash mixes its three words' hashes with odd multipliers (fast, and
    # the same in every process, unlike Python's hash()): (a * F + b * S + c) mod 2**32,
    # added up from the per-word products, in C (map) rather than a Python loop.
    if not all(map(_codes.__contains__, words)):
        _learn(words)
    firsts = map(_firsts.__getitem__, words)
    seconds = map(_seconds.__getitem__, itertools.islice(words, 1, None))
    thirds = map(_codes.__getitem__, itertools.islice(words, 2, None))
    sums = map(operator.add, map(operator.add, firsts, seconds), thirds)
    hashes = set(map(operator.and_, sums, itertools.repeat(_MASK)))
    return array("I", sorted(hashes)[:SKETCH_SIZE]).tobytes()  # C sort beats a heap here


def unpack(packed: bytes) -> tuple[int, ...]:
    return tuple(array("I", packed))


def estimate(first: Sequence[int], second: Sequence[int]) -> float:
    """Estimated Jaccard index of the two sets the sketches came from."""
    if not first or not second:
        return 0.0
    a, b = set(first), set(second)
    union_smallest = heapq.nsmallest(min(SKETCH_SIZE, len(a | b)), a | b)
    shared = sum(1 for value in union_smallest if value in a and value in b)
    return shared / len(union_smallest)


@dataclass(frozen=True)
class SimilarPair:
    exercise: str
    first: int  # indexes into the caller's list
    second: int
    similarity: float


def similar_pairs(items: Iterable[tuple[int, str, str, bytes]],
                  threshold: float = DEFAULT_THRESHOLD) -> list[SimilarPair]:
    """Pairs of items (index, exercise, learner key, sketch) at or above ``threshold``.

    Candidates are found through the ``PREFIX`` smallest values of each sketch only:
    two texts that share 80% of their phrases almost surely share one of those, and
    indexing eight values instead of sixty-four keeps the index small for a class of
    100,000. Each candidate pair is then estimated on the full sketches. Items of
    the same learner are never paired with each other.
    """
    by_exercise: dict[str, list[tuple[int, str, bytes]]] = defaultdict(list)
    for index, exercise, learner, packed in items:
        if packed:
            by_exercise[exercise].append((index, learner, packed))
    pairs: list[SimilarPair] = []
    for exercise in sorted(by_exercise):
        group = by_exercise[exercise]
        buckets: dict[int, list[int]] = defaultdict(list)
        for position, (_, _, packed) in enumerate(group):
            for value in array("I", packed[: PREFIX * 4]):
                buckets[value].append(position)
        # Pairs sharing a value, counted in C (members are in position order, so each
        # pair comes out as (lower, higher) whichever value it shares).
        shared: Counter[tuple[int, int]] = Counter()
        for members in buckets.values():
            if 1 < len(members) <= MAX_BUCKET:
                shared.update(itertools.combinations(members, 2))
        del buckets
        # Texts at the threshold share most of their smallest values (about
        # threshold x PREFIX of them); pairs sharing fewer are not worth estimating.
        needed = max(2, int(PREFIX * threshold / 2))
        candidates = sorted(pair for pair, count in shared.items() if count >= needed)
        del shared
        for first, second in candidates:
            (index_a, learner_a, packed_a), (index_b, learner_b, packed_b) = (
                group[first], group[second])
            if learner_a == learner_b:
                continue
            jaccard = estimate(unpack(packed_a), unpack(packed_b))
            if jaccard >= threshold:
                low, high = sorted((index_a, index_b))
                pairs.append(SimilarPair(exercise, low, high, round(jaccard, 2)))
    pairs.sort(key=lambda p: (p.exercise, -p.similarity, p.first, p.second))
    return pairs
