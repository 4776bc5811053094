"""The registry of criterion kinds: one small module per kind, found by its ``ID``.

Modelled on yamllint's rules: to add a kind, write a module with ``ID``,
``PARAMS`` (JSON Schema of its parameters), optionally ``KEY`` (JSON Schema of its
instructor-only answer key) and a pure ``measure(params, key, data)``, then list
it in ``_MODULES``. ``schemas/rubric.schema.json`` names the same kinds; a test
keeps the two in step.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from workbook.criteria import (
    compare,
    condition,
    count,
    coverage,
    distinct,
    every,
    filled,
    manual,
    numeric,
    ordering,
    sequence,
    share,
    word_range,
)
from workbook.criteria.base import Measure

_MODULES: tuple[ModuleType, ...] = (
    compare, condition, count, coverage, distinct, every, filled, manual, numeric, ordering,
    sequence, share, word_range,
)

KINDS: dict[str, ModuleType] = {module.ID: module for module in _MODULES}


def get_kind(kind_id: str) -> ModuleType:
    return KINDS[kind_id]


def params_schema(kind_id: str) -> dict[str, Any]:
    schema: dict[str, Any] = KINDS[kind_id].PARAMS
    return schema


def key_schema(kind_id: str) -> dict[str, Any] | None:
    return getattr(KINDS[kind_id], "KEY", None)


__all__ = ["KINDS", "Measure", "get_kind", "key_schema", "params_schema"]
