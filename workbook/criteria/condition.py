"""``condition``: fields anywhere in the worksheet pass the same tests items can.

``require`` maps dotted paths from the top of the worksheet to tests, for single
answers that are not list items: "the referral request names an introduction"
is ``{referral_request: {contains_any: [introduce, refer, ...]}}``. The score is
the share of fields that pass.
"""

from __future__ import annotations

from typing import Any

from workbook.criteria import conditions
from workbook.criteria.base import Measure, name_list

ID = "condition"
PARAMS: dict[str, Any] = {
    "type": "object",
    "required": ["require"],
    "additionalProperties": False,
    "properties": {"require": conditions.SCHEMA},
}


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    require: dict[str, dict[str, Any]] = params["require"]
    failing = conditions.failing_fields(require, data)
    fraction = (len(require) - len(failing)) / len(require)
    if not failing:
        return Measure(fraction, "This part meets the mark.")
    return Measure(fraction, f"Not yet: {name_list(failing)}.")
