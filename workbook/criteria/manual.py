"""``manual``: a person scores this (through an overrides file); until then, pending.

Pending is not zero: reports show these points separately so a learner is not
told they lost marks nobody has awarded yet.
"""

from __future__ import annotations

from typing import Any

from workbook.criteria.base import KindDoc, Measure

ID = "manual"
PARAMS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"guidance": {"type": "string", "description": "for the human grader"}},
}



DOC = KindDoc(
    params="optional `guidance`",
    scores="nothing until a person gives points in an overrides file; shown as pending, "
           "not zero",
    example={"guidance": "Full marks when the pitch names a field and one concrete ask."},
)

def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    return Measure(None, "Your instructor scores this part by hand.")
