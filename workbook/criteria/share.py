"""``share``: some answers' share of their total rises (or falls) between two sets.

Why a kind of its own: a plan that "moves time towards people" is about
proportions, not single numbers. Raising one channel's hours while doubling the
rest does not move time anywhere, and cutting the total is a fair plan too. So
this sums the ``part`` fields of the ``before`` and ``after`` objects, divides
each by the sum of all the numbers in its object, and compares the two shares.
Blank answers count as 0; an ``after`` with no hours at all is not a plan yet.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from workbook.criteria.base import KindDoc, Measure, get, number

ID = "share"
_OPS: dict[str, tuple[Callable[[Any, Any], bool], str]] = {
    ">": (operator.gt, "higher than"),
    ">=": (operator.ge, "at least"),
    "<": (operator.lt, "lower than"),
    "<=": (operator.le, "at most"),
}
PARAMS: dict[str, Any] = {
    "type": "object",
    "required": ["before", "after", "part"],
    "additionalProperties": False,
    "properties": {
        "before": {"type": "string", "description": "path to an object of numbers"},
        "after": {"type": "string", "description": "path to an object with the same fields"},
        "part": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                 "uniqueItems": True, "description": "the fields whose share is compared"},
        "op": {"enum": sorted(_OPS), "default": ">"},
        "label": {"type": "string", "default": "the chosen answers"},
    },
}


def _totals(value: Any, part: list[str]) -> tuple[float, float]:
    """(sum of the part's numbers, sum of all numbers) in one object; blanks are 0."""
    if not isinstance(value, dict):
        return 0.0, 0.0
    numbers = {name: number(answer) for name, answer in value.items()}
    whole = sum(n for n in numbers.values() if n is not None and n > 0)
    some = sum(n for name, n in numbers.items() if name in part and n is not None and n > 0)
    return float(some), float(whole)


def _percent(fraction: float) -> str:
    return f"{round(fraction * 100)}%"

DOC = KindDoc(
    params="`before`, `after` (two objects of numbers), `part` (field names), optional "
           "`op` (`>` by default, `>=` `<` `<=`), `label`",
    scores="the `part` fields' share of their object's total is higher in `after` than "
           "in `before` (blanks count as 0); e.g. more of next month's hours go through "
           "people",
    example={"before": "hours.last_month", "after": "hours.next_month",
             "part": ["friends", "contacts"]},
    passes={"hours": {"last_month": {"friends": 1, "contacts": 0, "ads": 9},
                      "next_month": {"friends": 3, "contacts": 3, "ads": 4}}},
    fails={"hours": {"last_month": {"friends": 3, "contacts": 3, "ads": 4},
                     "next_month": {"friends": 1, "contacts": 0, "ads": 9}}},
)


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    part: list[str] = params["part"]
    label = params.get("label", "the chosen answers")
    before_part, before_whole = _totals(get(data, params["before"]), part)
    after_part, after_whole = _totals(get(data, params["after"]), part)
    if after_whole == 0:
        return Measure(0.0, "The numbers needed for this are not filled in yet.")
    before = before_part / before_whole if before_whole else 0.0
    after = after_part / after_whole
    test, words = _OPS[params.get("op", ">")]
    said = f"{label[:1].upper()}{label[1:]}: {_percent(before)} of the total before, " \
           f"{_percent(after)} after"
    if test(after, before):
        return Measure(1.0, f"{said}.")
    return Measure(0.0, f"{said}; the share after should be {words} the share before.")
