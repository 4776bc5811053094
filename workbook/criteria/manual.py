"""``manual``: a person scores this (through an overrides file); until then, pending.

Pending is not zero: reports show these points separately so a learner is not
told they lost marks nobody has awarded yet.
"""

from __future__ import annotations

from typing import Any

from workbook.criteria.base import Measure

ID = "manual"
PARAMS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"guidance": {"type": "string", "description": "for the human grader"}},
}


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    return Measure(None, "Your instructor scores this part by hand.")
