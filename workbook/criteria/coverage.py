"""``coverage``: the items' ``field`` together cover the listed values (e.g. all tiers).

With ``min``, covering any ``min`` of the values earns full marks ("at least three
kinds of route out of four"); fewer earn a proportional share.
"""

from __future__ import annotations

from typing import Any

from workbook.criteria.base import KindDoc, Measure, is_scalar, items

ID = "coverage"
PARAMS: dict[str, Any] = {
    "type": "object",
    "required": ["path", "field", "values"],
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string"},
        "field": {"type": "string"},
        "values": {"type": "array", "minItems": 1},
        "min": {"type": "integer", "minimum": 1},
    },
}

DOC = KindDoc(
    params="`path`, `field`, `values`, optional `min`",
    scores="share of `values` found in the items' `field` (e.g. all three tiers); with "
           "`min`, any `min` of them earn full marks",
    example={"path": "contacts", "field": "tier", "values": ["AA", "AB", "AC"]},
    passes={"contacts": [{"tier": "AA"}, {"tier": "AB"}, {"tier": "AC"}]},
    fails={"contacts": [{"tier": "AA"}, {"tier": "AA"}]},
)


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    wanted: list[Any] = params["values"]
    seen = {item.get(params["field"]) for item in items(data, params["path"])
            if isinstance(item, dict) and is_scalar(item.get(params["field"]))}
    missing = [value for value in wanted if value not in seen]
    present = [value for value in wanted if value in seen]
    needed = min(params.get("min", len(wanted)), len(wanted))
    fraction = min(len(present), needed) / needed
    if not missing:
        return Measure(fraction, f"All of {', '.join(map(str, wanted))} are present.")
    if needed < len(wanted):
        shown = ", ".join(map(str, present)) or "none"
        return Measure(fraction, f"{len(present)} of the {needed} needed are present ({shown}); "
                                 f"not yet: {', '.join(map(str, missing))}.")
    return Measure(fraction, f"Missing: {', '.join(map(str, missing))}.")
