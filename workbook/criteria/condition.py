"""``condition``: fields anywhere in the worksheet pass the same tests items can.

``require`` maps dotted paths from the top of the worksheet to tests, for single
answers that are not list items: "the referral request names an introduction"
is ``{referral_request: {contains_any: [introduce, refer, ...]}}``. The score is
the share of fields that pass.
"""

from __future__ import annotations

from typing import Any

from workbook.criteria import conditions
from workbook.criteria.base import KindDoc, Measure, name_list

ID = "condition"
PARAMS: dict[str, Any] = {
    "type": "object",
    "required": ["require"],
    "additionalProperties": False,
    "properties": {"require": conditions.SCHEMA},
}

DOC = KindDoc(
    params="`require` (dotted paths from the top)",
    scores="share of the named single answers that pass their tests (e.g. a referral "
           "request that mentions an introduction)",
    example={"require": {"request": {"contains_any": ["introduce", "introduction"]}}},
    passes={"request": "Could you introduce me to your IT lead?"},
    fails={"request": "Any advice for me?"},
)


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    require: dict[str, dict[str, Any]] = params["require"]
    failing = conditions.failing_fields(require, data)
    fraction = (len(require) - len(failing)) / len(require)
    if not failing:
        return Measure(fraction, "This part meets the mark.")
    return Measure(fraction, f"Not yet: {name_list(failing)}.")
