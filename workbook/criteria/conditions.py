"""Conditions on one item's fields, shared by the kinds that select or test items.

In rubric.yaml a condition is a mapping from field name (dotted for nested fields)
to tests, all of which must hold::

    where: {tier: {equals: AC}}
    require: {organisation: {filled: true}, next_action: {min_words: 3}}

Each test is a small pure function here, found by name, so adding one is one
entry in ``TESTS`` and one line in ``SCHEMA``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from workbook.criteria.base import filled, get, words


@lru_cache(maxsize=256)
def _phrases_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One search for any of ``phrases``, each as whole words.

    One alternation instead of a search per phrase (nineteen, for one rubric's
    list): where a phrase matches but is followed by a letter, the search backtracks
    into the next alternative, so it finds a match exactly when some phrase would.
    """
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p.casefold()) for p in phrases)
                      + r")(?!\w)")


def _contains_any(value: Any, phrases: list[str]) -> bool:
    text = str(value).casefold() if value is not None else ""
    return _phrases_pattern(tuple(phrases)).search(text) is not None


TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "filled": lambda value, want: filled(value) == bool(want),
    "equals": lambda value, want: value == want,
    "in": lambda value, want: value in want,
    "not_in": lambda value, want: value not in want,
    "min_words": lambda value, want: words(value) >= want,
    "max_words": lambda value, want: words(value) <= want,
    "min_items": lambda value, want: isinstance(value, list) and len(value) >= want,
    "contains_any": _contains_any,
    "lacks_any": lambda value, want: not _contains_any(value, want),
}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {
            "filled": {"type": "boolean"},
            "equals": {},
            "in": {"type": "array"},
            "not_in": {"type": "array"},
            "min_words": {"type": "integer", "minimum": 0},
            "max_words": {"type": "integer", "minimum": 0},
            "min_items": {"type": "integer", "minimum": 0},
            "contains_any": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "lacks_any": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        },
    },
}


def holds(condition: dict[str, dict[str, Any]] | None, item: Any) -> bool:
    """Whether every test of ``condition`` holds for ``item`` (no condition: always)."""
    if not condition:
        return True
    for field, tests in condition.items():
        value = get(item, field)
        for name, want in tests.items():
            if not TESTS[name](value, want):
                return False
    return True


def failing_fields(condition: dict[str, dict[str, Any]], item: Any) -> list[str]:
    """The fields of ``item`` whose tests fail, for a detail sentence."""
    return [
        field
        for field, tests in condition.items()
        if not all(TESTS[name](get(item, field), want) for name, want in tests.items())
    ]
