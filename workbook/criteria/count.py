"""``count``: how many items of a list (optionally those matching ``where``).

Partial credit (the default) is proportional below ``min``; above ``max`` it
halves, because too many is usually a sign of not choosing.
"""

from __future__ import annotations

from typing import Any

from workbook.criteria import conditions
from workbook.criteria.base import KindDoc, Measure, items, plural

ID = "count"
PARAMS: dict[str, Any] = {
    "type": "object",
    "required": ["path", "min"],
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string"},
        "where": conditions.SCHEMA,
        "min": {"type": "integer", "minimum": 1},
        "max": {"type": "integer", "minimum": 1},
        "partial": {"type": "boolean", "default": True},
        "noun": {"type": "string", "default": "item"},
    },
}

DOC = KindDoc(
    params="`path`, `min`, optional `max`, `where`, `partial` (default true), `noun`",
    scores="items matching `where`: full marks from `min` to `max`; below `min` a "
           "proportional share (or nothing when `partial: false`); above `max` half",
    example={"path": "contacts", "min": 3, "noun": "contact"},
    passes={"contacts": [{"name": "Grace"}, {"name": "Tom"}, {"name": "Aisha"}]},
    fails={"contacts": [{"name": "Grace"}]},
)


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    where = params.get("where")
    found = sum(1 for item in items(data, params["path"]) if conditions.holds(where, item))
    low: int = params["min"]
    high: int | None = params.get("max")
    partial = params.get("partial", True)
    noun = params.get("noun", "item")
    counted = plural(found, noun) if found else f"no {noun}s"
    if found < low:
        fraction = found / low if partial else 0.0
        needed = f"at least {low} {'is' if low == 1 else 'are'} needed"
        return Measure(fraction, f"Found {counted}; {needed}.")
    if high is not None and found > high:
        return Measure(0.5 if partial else 0.0, f"Found {counted}; at most {high} are wanted.")
    wanted = f"{low} to {high}" if high is not None and high != low else f"{low}"
    return Measure(1.0, f"Found {counted} ({wanted} wanted).")
