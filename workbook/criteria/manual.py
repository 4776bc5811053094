"""``manual``: a person scores this (through an overrides file); until then, pending.

Pending is not zero: reports show these points separately so a learner is not
told they lost marks nobody has awarded yet. ``show`` names the answers the person
reads to judge it; ``workbook score`` copies them into hand-scoring.csv beside
empty points and comment cells, and that sheet, filled in, is the overrides file.
"""

from __future__ import annotations

from typing import Any

from workbook.criteria.base import KindDoc, Measure, filled, get

ID = "manual"
PARAMS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "guidance": {"type": "string", "description": "for the human grader"},
        "show": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                 "description": "dotted paths of the answers the grader reads"},
    },
}

DOC = KindDoc(
    params="optional `guidance`, `show` (the answers to judge, copied into "
           "hand-scoring.csv)",
    scores="nothing until a person gives points in an overrides file; shown as pending, "
           "not zero",
    example={"guidance": "Full marks when the pitch names a field and one concrete ask.",
             "show": ["pitch"]},
)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_text(item) for item in value if filled(item))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items() if filled(v))
    return " ".join(str(value).split())


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    shown = [(path, get(data, path)) for path in params.get("show", [])]
    evidence = "\n".join(f"{path}: {_text(value)}" if len(shown) > 1 else _text(value)
                         for path, value in shown if filled(value))
    return Measure(None, "Your instructor scores this part by hand.", evidence)
