"""What every criterion kind shares: the measurement it returns and item helpers.

A kind module (the yamllint rule pattern) defines:

* ``ID``: the name used as ``kind:`` in rubric.yaml;
* ``PARAMS``: a JSON Schema for its ``params:`` (checked when the course loads);
* ``KEY``: optional JSON Schema for its instructor-only ``key:``;
* ``measure(params, key, data) -> Measure``: a pure function of the worksheet data;
* ``DOC``: a :class:`KindDoc`, its documentation: the author guide's table of kinds
  and its examples are generated from these at build time
  (:mod:`workbook.criteria.reference`), and tests run every example.

A measure is a fraction of the criterion's points and a short detail sentence
saying what was found. Details describe the learner's own work and never reveal
an answer key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Measure:
    """``fraction`` in [0, 1] of the points, or ``None`` while a person must decide."""

    fraction: float | None
    detail: str
    evidence: str = ""  # for a person scoring by hand: the answers to judge (never shown
    #                     to the learner, who wrote them)


@dataclass(frozen=True)
class KindDoc:
    """A kind's own documentation, with an example that tests run.

    ``params`` and ``scores`` are the two columns of the author guide's table;
    ``example`` is a criterion's ``params:`` (and ``key`` its answer key, if the kind
    takes one); ``passes`` is worksheet data that earns full marks under it and
    ``fails`` data that earns less. A kind scored by a person gives neither.
    """

    params: str
    scores: str
    example: Mapping[str, Any]
    passes: Any = None
    fails: Any = None
    key: Mapping[str, Any] = field(default_factory=dict)


def get(data: Any, path: str) -> Any:
    """Follow a dotted path (``outcomes.to_learn``) through mappings; None if absent."""
    if "." not in path:  # most paths are one field: no list to split into
        return data.get(path) if isinstance(data, dict) else None
    current = data
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def items(data: Any, path: str) -> list[Any]:
    """The list at ``path``, or an empty list when it is missing or not a list."""
    value = get(data, path)
    return value if isinstance(value, list) else []


def filled(value: Any) -> bool:
    """Whether a learner has answered: non-blank text, a non-empty list, any number."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return True


def number(value: Any) -> float | int | None:
    """The value if it is a number (booleans are not), else None."""
    return None if isinstance(value, bool) or not isinstance(value, int | float) else value


def is_scalar(value: Any) -> bool:
    """Text, numbers, booleans and None: the values that can be compared as answers.

    Scoring may see data that never passed a schema (library callers, fuzzing), where
    a list can stand in place of a word; such values simply never match.
    """
    return value is None or isinstance(value, str | int | float)


def words(value: Any) -> int:
    return len(value.split()) if isinstance(value, str) else 0


def normalise(text: Any) -> str:
    """Case-folded text with runs of whitespace and punctuation collapsed."""
    return " ".join(re.sub(r"[^\w]+", " ", str(text)).casefold().split())


def label(item: Any, field: str | None, index: int) -> str:
    """How a detail sentence names one item: its label field, else its position."""
    if field and isinstance(item, dict) and filled(item.get(field)):
        return str(item[field]).strip()
    return f"item {index + 1}"


def name_list(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
