"""The similarity sketch: its fast paths give exactly the plain definition's values."""

from __future__ import annotations

import re
import zlib
from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook import similarity


def plain_sketch(data: object) -> bytes:
    """The definition: CRC-32 of each case-folded word, mixed per three-word phrase."""
    words = re.findall(r"\w+", " ".join(similarity.free_text(data)).casefold())
    if len(words) < similarity.MIN_WORDS:
        return b""
    codes = [zlib.crc32(word.encode()) for word in words]
    hashes = {(a * 0x9E3779B1 + b * 0x85EBCA77 + c) & 0xFFFFFFFF
              for a, b, c in zip(codes, codes[1:], codes[2:], strict=False)}
    return array("I", sorted(hashes)[: similarity.SKETCH_SIZE]).tobytes()


TOKEN = st.sampled_from(["ask", "Ask", "ASK", "the", "team", "snake_case", "2026", "e-mail",
                         "don't", "Straße", "café", "İstanbul", "...", ",", "\t", "\n", "a"])
ANSWER = st.lists(TOKEN, max_size=40).map(" ".join)


@given(st.lists(ANSWER, max_size=12))
def test_sketch_is_the_plain_definition(answers: list[str]):
    data = {"learner": {"name": "a b c"}, "answers": [{"text": a} for a in answers]}
    assert similarity.sketch(data) == plain_sketch(data)


def test_sketch_stays_right_when_the_word_cache_is_emptied(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(similarity, "_KEEP_WORDS", 40)
    for start in range(0, 200, 30):
        text = " ".join(f"word{n}" for n in range(start, start + 60))
        assert similarity.sketch({"answer": text}) == plain_sketch({"answer": text})
    assert len(similarity._codes) <= 60
