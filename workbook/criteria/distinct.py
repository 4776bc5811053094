"""``distinct``: no two items share the same ``fields`` (compared case- and space-blind)."""

from __future__ import annotations

from typing import Any

from workbook.criteria.base import KindDoc, Measure, filled, items, name_list, normalise

ID = "distinct"
PARAMS: dict[str, Any] = {
    "type": "object",
    "required": ["path", "fields"],
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string"},
        "fields": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "noun": {"type": "string", "default": "item"},
    },
}

DOC = KindDoc(
    params="`path`, `fields`, `noun`",
    scores="no two items share the same `fields` (case- and spacing-blind)",
    example={"path": "contacts", "fields": ["name"], "noun": "contact"},
    passes={"contacts": [{"name": "Grace Okafor"}, {"name": "Tom Lindqvist"}]},
    fails={"contacts": [{"name": "Grace Okafor"}, {"name": "grace  okafor"}]},
)


def measure(params: dict[str, Any], key: dict[str, Any], data: Any) -> Measure:
    fields: list[str] = params["fields"]
    seen: dict[tuple[str, ...], str] = {}
    repeated: list[str] = []
    listed = [item for item in items(data, params["path"]) if isinstance(item, dict)]
    for item in listed:
        if not any(filled(item.get(f)) for f in fields):
            continue
        identity = tuple(normalise(item.get(f, "")) for f in fields)
        if identity in seen:
            repeated.append(seen[identity])
        else:
            seen[identity] = " / ".join(str(item.get(f, "")).strip() for f in fields)
    noun = params.get("noun", "item")
    if not seen:  # nothing listed earns nothing, rather than a vacuous pass
        return Measure(0.0, f"There are no {noun}s to compare yet.")
    if not repeated:
        return Measure(1.0, f"No {noun} is listed twice.")
    fraction = max(0.0, 1 - len(repeated) / max(len(listed), 1))
    return Measure(fraction, f"Listed more than once: {name_list(sorted(set(repeated)))}.")
