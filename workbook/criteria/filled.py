"""``filled``: named fields have answers (non-blank text, a non-empty list, a number)."""

from __future__ import annotations

from typing import Any

from workbook.criteria.base import KindDoc, Measure, filled, get, name_list

ID = "filled"
PARAMS: dict[str, Any] = {
    "type": "object",
    "required": ["paths"],
    "additionalProperties": False,
    "properties": {"paths": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
}

DOC = KindDoc(
    params="`paths: [a, b.c]`",
    scores="share of the listed fields that are answered",
    example={"paths": ["goal", "next_step"]},
    passes={"goal": "move into supply chain planning", "next_step": "call Grace on Monday"},
    fails={"goal": "move into supply chain planning", "next_step": ""},
)


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    paths: list[str] = params["paths"]
    missing = [path for path in paths if not filled(get(data, path))]
    fraction = (len(paths) - len(missing)) / len(paths)
    if not missing:
        return Measure(fraction, f"All {len(paths)} parts are answered.")
    return Measure(fraction, f"Not answered yet: {name_list(missing)}.")
