"""``word_range``: a text (or each item's text) is between ``min`` and ``max`` words."""

from __future__ import annotations

from typing import Any

from workbook.criteria.base import KindDoc, Measure, get, label, name_list, words

ID = "word_range"
PARAMS: dict[str, Any] = {
    "type": "object",
    "required": ["path"],
    "additionalProperties": False,
    "anyOf": [{"required": ["min"]}, {"required": ["max"]}],
    "properties": {
        "path": {"type": "string"},
        "field": {"type": "string", "description": "for a list: the text field of each item"},
        "label": {"type": "string"},
        "min": {"type": "integer", "minimum": 0},
        "max": {"type": "integer", "minimum": 1},
    },
}


def _fits(count: int, low: int, high: int | None) -> bool:
    return count >= low and (high is None or count <= high)

DOC = KindDoc(
    params="`path`, `min` and/or `max`; for a list, `field` and `label`",
    scores="a text within the word range; for a list, the share of items within it",
    example={"path": "pitch", "min": 8, "max": 60},
    passes={"pitch": "I plan deliveries for a regional grocer and want to move into "
                     "supply chain planning."},
    fails={"pitch": "Hello, I need a job."},
)


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    low: int = params.get("min", 0)
    high: int | None = params.get("max")
    span = f"{low} to {high}" if high is not None else f"at least {low}"
    value = get(data, params["path"])
    if isinstance(value, list):
        field = params.get("field")
        texts = [(label(item, params.get("label"), i),
                  item.get(field) if field and isinstance(item, dict) else item)
                 for i, item in enumerate(value)]
        if not texts:
            return Measure(0.0, "There is nothing to count yet.")
        outside = [name for name, text in texts if not _fits(words(text), low, high)]
        fraction = (len(texts) - len(outside)) / len(texts)
        if not outside:
            return Measure(fraction, f"Every answer is {span} words long.")
        return Measure(fraction, f"Not {span} words: {name_list(outside)}.")
    count = words(value)
    if _fits(count, low, high):
        return Measure(1.0, f"{count} words ({span} wanted).")
    return Measure(0.0, f"{count} words; {span} are wanted.")
