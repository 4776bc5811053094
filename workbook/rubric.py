"""Rubrics: how an exercise is scored, read from ``rubric.yaml`` and checked strictly.

A rubric is author content, but it is loaded with the same strict loader as
submissions and checked against ``schemas/rubric.schema.json`` and then each
criterion's ``params`` against its kind's own schema, so a typo in a rubric is
reported with its line before any learner is scored with it.

Instructor-only answer keys live under a criterion's ``key:``. ``Criterion.public()``
is the only view that leaves the engine for learners (the site, ``check`` output);
it never includes the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from workbook import criteria
from workbook.checking import problems_at
from workbook.loader import Document
from workbook.problems import Problem, WorkbookError

if TYPE_CHECKING:
    from jsonschema import Draft7Validator


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    kind: str
    points: float
    description: str
    feedback: Mapping[str, str]
    params: Mapping[str, Any] = field(default_factory=dict)
    key: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def public(self) -> dict[str, Any]:
        """Everything a learner may see about this criterion (no answer key)."""
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "points": self.points,
            "description": self.description,
        }


@dataclass(frozen=True)
class CalendarSource:
    """Where a worksheet keeps dated steps: ``list[].date`` with ``list[].summary``.

    Read by ``workbook agenda`` (workbook/agenda.py) and the form's calendar
    download; content, not code, says which fields are dates and what they mean.
    """

    list: str
    date: str
    summary: str
    label: str = ""
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rubric:
    exercise: str
    chapter: str
    criteria: tuple[Criterion, ...]
    calendar: tuple[CalendarSource, ...] = ()

    @property
    def max_points(self) -> float:
        return sum(c.points for c in self.criteria)


@cache
def _validator(kind: str, part: str) -> Draft7Validator | None:
    schema = criteria.params_schema(kind) if part == "params" else criteria.key_schema(kind)
    if schema is None:
        return None
    from jsonschema import Draft7Validator  # only when a rubric is checked (not verified)

    return Draft7Validator(schema)


def parse_rubric(doc: Document, rubric_validator: Draft7Validator | None) -> Rubric:
    """A :class:`Rubric` from a loaded ``rubric.yaml``, or every problem it has.

    With no ``rubric_validator`` the rubric is known to have passed every check
    before, byte for byte (workbook/verified.py), and is only read.
    """
    checked = rubric_validator is not None
    problems: list[Problem] = (problems_at(doc, rubric_validator, doc.data, ())
                               if rubric_validator is not None else [])
    if problems:
        raise WorkbookError(problems)
    data = doc.data
    seen: set[str] = set()
    parsed = []
    for index, raw in enumerate(data["criteria"]):
        where = ("criteria", index)
        if raw["id"] in seen:
            line, column = doc.locate(where)
            problems.append(Problem(doc.source, line, column, "rubric.duplicate-id",
                                    f"Criterion id '{raw['id']}' is used twice.",
                                    "Give each criterion its own id.", where))
        seen.add(raw["id"])
        for part in ("params", "key"):
            if not checked:
                continue
            validator = _validator(raw["kind"], part)
            value = raw.get(part, {})
            if validator is None:
                if value:
                    line, column = doc.locate((*where, part))
                    problems.append(Problem(doc.source, line, column, "rubric.unexpected-key",
                                            f"Kind '{raw['kind']}' takes no answer key.",
                                            "Remove the key: section.", (*where, part)))
                continue
            problems.extend(problems_at(doc, validator, value, (*where, part)))
        parsed.append(Criterion(
            id=raw["id"], title=raw["title"], kind=raw["kind"], points=raw["points"],
            description=raw["description"], feedback=raw["feedback"],
            params=raw.get("params", {}), key=raw.get("key", {}),
        ))
    if problems:
        raise WorkbookError(problems)
    calendar = tuple(
        CalendarSource(list=c["list"], date=c["date"], summary=c["summary"],
                       label=c.get("label", ""), details=tuple(c.get("details", ())))
        for c in data.get("calendar", ()))
    return Rubric(exercise=data["exercise"], chapter=data["chapter"], criteria=tuple(parsed),
                  calendar=calendar)
