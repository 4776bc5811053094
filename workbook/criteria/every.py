"""``every``: each item (or each item matching ``when``) satisfies ``require``.

The workhorse for "every AC contact names an organisation", "each ask is
balanced by a give" and, with ``lacks_any``, "no informational request asks for
a job". Partial credit is the share of items that pass.
"""

from __future__ import annotations

from typing import Any

from workbook.criteria import conditions
from workbook.criteria.base import KindDoc, Measure, items, label, name_list, plural

ID = "every"
PARAMS: dict[str, Any] = {
    "type": "object",
    "required": ["path", "require"],
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string"},
        "when": conditions.SCHEMA,
        "require": conditions.SCHEMA,
        "label": {"type": "string"},
        "noun": {"type": "string", "default": "item"},
        "partial": {"type": "boolean", "default": True},
        "none_selected": {"enum": ["pass", "fail"], "default": "fail"},
    },
}

DOC = KindDoc(
    params="`path`, `require`, optional `when`, `label`, `noun`, `partial`, "
           "`none_selected: pass|fail`",
    scores="share of the items (those matching `when`) that meet `require`",
    example={"path": "contacts", "require": {"next_action": {"min_words": 3}},
             "noun": "contact"},
    passes={"contacts": [{"next_action": "call Grace on Monday"}]},
    fails={"contacts": [{"next_action": "call Grace on Monday"}, {"next_action": "call"}]},
)


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    noun = params.get("noun", "item")
    selected = [
        (index, item)
        for index, item in enumerate(items(data, params["path"]))
        if conditions.holds(params.get("when"), item)
    ]
    if not selected:
        passed = params.get("none_selected", "fail") == "pass"
        return Measure(1.0 if passed else 0.0, f"There are no {noun}s to check yet.")
    failing = [
        label(item, params.get("label"), index)
        for index, item in selected
        if not conditions.holds(params["require"], item)
    ]
    if not failing:
        if len(selected) == 1:
            return Measure(1.0, f"The one {noun} meets this.")
        return Measure(1.0, f"All {plural(len(selected), noun)} meet this.")
    ok = len(selected) - len(failing)
    fraction = ok / len(selected) if params.get("partial", True) else 0.0
    verb = "meets" if len(selected) == 1 else "meet"
    return Measure(fraction, f"{ok} of {plural(len(selected), noun)} {verb} this; "
                             f"not yet: {name_list(failing)}.")
