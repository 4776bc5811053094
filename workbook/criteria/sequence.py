"""``sequence``: each item's steps follow a set order (write, then call, then visit).

Steps may be skipped, but never taken out of order; ``complete: true`` also
requires every step to appear.
"""

from __future__ import annotations

from typing import Any

from workbook.criteria.base import KindDoc, Measure, is_scalar, items, label, name_list, plural

ID = "sequence"
PARAMS: dict[str, Any] = {
    "type": "object",
    "required": ["path", "field", "order"],
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string"},
        "field": {"type": "string", "description": "each item's list of steps"},
        "step_field": {"type": "string", "description": "when steps are mappings: the field"},
        "order": {"type": "array", "minItems": 2, "uniqueItems": True},
        "complete": {"type": "boolean", "default": False},
        "label": {"type": "string"},
        "noun": {"type": "string", "default": "item"},
    },
}


def _in_order(steps: list[Any], order: list[Any], complete: bool) -> bool:
    rank = {step: position for position, step in enumerate(order)}
    positions = [rank[s] for s in steps if is_scalar(s) and s in rank]
    if not positions or positions != sorted(positions):
        return False
    return not complete or set(positions) == set(range(len(order)))

DOC = KindDoc(
    params="`path`, `field` (each item's list of steps), `order`, optional "
           "`step_field`, `complete`, `label`, `noun`",
    scores="share of items whose steps follow `order` (steps may be skipped, never "
           "reordered)",
    example={"path": "sessions", "field": "steps", "order": ["read", "record", "listen"]},
    passes={"sessions": [{"steps": ["read", "record", "listen"]}, {"steps": ["read", "listen"]}]},
    fails={"sessions": [{"steps": ["listen", "read"]}]},
)


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    listed = items(data, params["path"])
    noun = params.get("noun", "item")
    if not listed:
        return Measure(0.0, f"There are no {noun}s to check yet.")
    step_field = params.get("step_field")
    wrong = []
    for index, item in enumerate(listed):
        raw = item.get(params["field"]) if isinstance(item, dict) else None
        steps = [s.get(step_field) if step_field and isinstance(s, dict) else s
                 for s in (raw if isinstance(raw, list) else [])]
        if not _in_order(steps, params["order"], params.get("complete", False)):
            wrong.append(label(item, params.get("label"), index))
    fraction = (len(listed) - len(wrong)) / len(listed)
    order = ", then ".join(map(str, params["order"]))
    if not wrong:
        return Measure(fraction, f"All {plural(len(listed), noun)} go {order}.")
    return Measure(fraction, f"Not in the order {order}: {name_list(wrong)}.")
