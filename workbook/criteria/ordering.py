"""``ordering``: a ranked list against an instructor-only key, with partial credit.

The score is the share of pairs the learner put in the same order as the key
(Kendall's concordance), so one swapped neighbour costs little and a reversed
list scores zero. The detail reports that share, never the key itself.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from workbook.criteria.base import KindDoc, Measure, is_scalar, items

ID = "ordering"
PARAMS: dict[str, Any] = {
    "type": "object",
    "required": ["path"],
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string"},
        "field": {"type": "string", "description": "for a list of mappings: the ranked field"},
    },
}
KEY: dict[str, Any] = {
    "type": "object",
    "required": ["order"],
    "additionalProperties": False,
    "properties": {"order": {"type": "array", "minItems": 2, "uniqueItems": True}},
}

DOC = KindDoc(
    params="`path`, optional `field`; `key: {order: [...]}`",
    scores="share of pairs in the same order as the key (Kendall); the key is never shown",
    example={"path": "ranking"},
    key={"order": ["prepare", "call", "thank"]},
    passes={"ranking": ["prepare", "call", "thank"]},
    fails={"ranking": ["thank", "call", "prepare"]},
)


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    order: list[Any] = key["order"]
    rank = {value: position for position, value in enumerate(order)}
    field = params.get("field")
    listed = [item.get(field) if field and isinstance(item, dict) else item
              for item in items(data, params["path"])]
    known = [rank[v] for v in dict.fromkeys(v for v in listed if is_scalar(v) and v in rank)]
    if len(known) < 2:
        return Measure(0.0, "Rank the items first.")
    pairs = list(combinations(known, 2))
    agree = sum(1 for first, second in pairs if first < second)
    missing = len(order) - len(known)
    fraction = agree / len(pairs) * (len(known) / len(order))
    detail = f"{agree} of {len(pairs)} pairs are in the expected order"
    detail += f"; {missing} not ranked." if missing else "."
    return Measure(fraction, detail)
