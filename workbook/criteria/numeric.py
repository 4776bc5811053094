"""``numeric``: a number equals a value worked out from the learner's other answers.

``expected`` is one of ``{value: N}``, ``{path: other.field}``,
``{product: [paths]}`` or ``{power: [base_path, exponent_path]}``, with an
optional relative ``tolerance`` (0.01 is one percent).
"""

from __future__ import annotations

import math
from typing import Any

from workbook.criteria.base import KindDoc, Measure, get, number

ID = "numeric"
_PATHS = {"type": "array", "items": {"type": "string"}}
PARAMS: dict[str, Any] = {
    "type": "object",
    "required": ["path", "expected"],
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string"},
        "tolerance": {"type": "number", "minimum": 0, "default": 0},
        "expected": {
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "additionalProperties": False,
            "properties": {
                "value": {"type": "number"},
                "path": {"type": "string"},
                "product": {**_PATHS, "minItems": 2},
                "power": {**_PATHS, "minItems": 2, "maxItems": 2},
            },
        },
    },
}

_MAX_EXPONENT = 64



def expected_value(spec: dict[str, Any], data: Any) -> tuple[float | int | None, str]:
    """The expected number and how it was worked out (for the detail sentence)."""
    if "value" in spec:
        return spec["value"], str(spec["value"])
    if "path" in spec:
        value = number(get(data, spec["path"]))
        return value, spec["path"]
    names: list[str] = spec.get("product") or spec["power"]
    values = [number(get(data, name)) for name in names]
    if any(v is None for v in values):
        return None, ""
    numbers = [v for v in values if v is not None]
    if "product" in spec:
        return math.prod(numbers), " x ".join(f"{v:,}" for v in numbers)
    base, exponent = numbers
    if not float(exponent).is_integer() or not 0 <= exponent <= _MAX_EXPONENT:
        return None, ""
    try:
        return base ** int(exponent), f"{base:,} to the power {int(exponent)}"
    except OverflowError:  # a float base too large to raise; no learner means this
        return None, ""

DOC = KindDoc(
    params="`path`, `expected: {value: N}` or `{path: p}` or `{product: [p, q]}` or "
           "`{power: [base, exponent]}`, `tolerance`",
    scores="the number equals the expected value (relative tolerance)",
    example={"path": "reach", "expected": {"product": ["friends", "each"]},
             "tolerance": 0.01},
    passes={"friends": 20, "each": 10, "reach": 200},
    fails={"friends": 20, "each": 10, "reach": 30},
)


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    actual = number(get(data, params["path"]))
    expected, how = expected_value(params["expected"], data)
    if actual is None or expected is None:
        return Measure(0.0, "The numbers needed for this are not filled in yet.")
    try:
        matches = abs(actual - expected) <= params.get("tolerance", 0) * abs(expected)
    except OverflowError:  # an integer too large to meet a float tolerance
        matches = actual == expected
    if matches:
        return Measure(1.0, f"{actual:,} matches {how}.")
    return Measure(0.0, f"{actual:,} should be {how} = {expected:,}.")
