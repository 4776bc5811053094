"""``compare``: one number stands in a relation to another (``realistic < naive``)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from workbook.criteria.base import KindDoc, Measure, get, number

ID = "compare"
_OPS: dict[str, tuple[Callable[[Any, Any], bool], str]] = {
    "<": (operator.lt, "less than"),
    "<=": (operator.le, "at most"),
    ">": (operator.gt, "more than"),
    ">=": (operator.ge, "at least"),
    "==": (operator.eq, "equal to"),
    "!=": (operator.ne, "different from"),
}
PARAMS: dict[str, Any] = {
    "type": "object",
    "required": ["left", "op", "right"],
    "additionalProperties": False,
    "properties": {
        "left": {"type": "string"},
        "op": {"enum": sorted(_OPS)},
        "right": {"type": ["string", "number"],
                  "description": "a path to another answer, or a number"},
    },
}

DOC = KindDoc(
    params="`left`, `op` (`<` `<=` `>` `>=` `==` `!=`), `right` (a path or a number)",
    scores="the relation holds",
    example={"left": "hours_next_month", "op": ">", "right": "hours_last_month"},
    passes={"hours_last_month": 4, "hours_next_month": 6},
    fails={"hours_last_month": 6, "hours_next_month": 4},
)


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    left = number(get(data, params["left"]))
    right_spec = params["right"]
    right = number(right_spec if not isinstance(right_spec, str) else get(data, right_spec))
    if left is None or right is None:
        return Measure(0.0, "The numbers needed for this are not filled in yet.")
    test, words = _OPS[params["op"]]
    if test(left, right):
        return Measure(1.0, f"{left:,} is {words} {right:,}.")
    return Measure(0.0, f"{left:,} should be {words} {right:,}.")
