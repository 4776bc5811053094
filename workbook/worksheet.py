"""One worksheet, start to finish: bytes -> load -> check -> score -> :class:`CheckResult`.

This is the pure middle of ``workbook check`` (and, per file, of ``workbook score``):
it never raises for anything a learner can put in a file. Every outcome is a
result with one of five statuses:

``scored``            valid; ``score`` holds the points and per-criterion feedback
``invalid``           readable YAML that breaks the exercise's schema
``empty``             an empty file, or the blank template not yet filled in
``unreadable``        not a worksheet at all: encoding, YAML syntax, limits, shape
``unknown-exercise``  its ``exercise:`` names no exercise of this course
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbook.catalog import Catalog, Exercise
from workbook.checking import nearest, validate
from workbook.display import shown
from workbook.loader import DEFAULT_LIMITS, Document, Limits, load_bytes, read_file, unreadable
from workbook.problems import Problem, WorkbookError
from workbook.scoring import Score, score

SCORED, INVALID, EMPTY, UNREADABLE, UNKNOWN = (
    "scored", "invalid", "empty", "unreadable", "unknown-exercise")
STATUSES = (SCORED, INVALID, EMPTY, UNREADABLE, UNKNOWN)


@dataclass(frozen=True, slots=True)
class Learner:
    name: str = ""
    id: str = ""
    email: str = ""

    @classmethod
    def from_data(cls, data: Any) -> Learner:
        block = data.get("learner") if isinstance(data, dict) else None
        if not isinstance(block, dict):
            return cls()

        def text(key: str) -> str:
            # Shown in every report: a bidirectional override in a name would make
            # "Jane Doe (research)" read backwards there (workbook.display).
            value = block.get(key)
            return ("" if value is None or isinstance(value, dict | list)
                    else shown(str(value).strip()))

        return cls(text("name"), text("id"), text("email"))

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "id": self.id, "email": self.email}


@dataclass(frozen=True, slots=True)
class CheckResult:
    source: str
    status: str
    exercise: str | None = None
    problems: tuple[Problem, ...] = ()
    score: Score | None = None
    learner: Learner = field(default_factory=Learner)
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == SCORED

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "exercise": self.exercise,
            "learner": self.learner.to_dict(),
            "problems": [p.to_dict() for p in self.problems],
            "score": self.score.to_dict() if self.score else None,
            "notes": list(self.notes),
        }


def _next_steps(exercise: Exercise) -> tuple[str, ...]:
    properties = exercise.schema.get("properties", {})
    parts = [
        f"{name}: {spec.get('title', name)}"
        for name, spec in properties.items()
        if name not in ("exercise", "version", "learner") and isinstance(spec, dict)
    ]
    return (
        "This worksheet is still blank. Next steps:",
        "1. Put your name under `learner:`.",
        "2. Fill in each part, following the comments in the file: " + "; ".join(parts) + ".",
        "3. Save, then run `workbook check` on the file again.",
    )


def _unknown_exercise(doc: Document, catalog: Catalog) -> CheckResult:
    named = doc.data.get("exercise")
    line, column = doc.locate(("exercise",))
    ids = catalog.ids
    if named is None:
        message = "The worksheet does not say which exercise it is (no `exercise:` line)."
        line, column = 1, 1
        guess = None
    else:
        message = f"There is no exercise called '{named}' in this course."
        guess = nearest(str(named), ids)
    hint = (f"Did you mean '{guess}'? " if guess else "") + f"Exercises: {', '.join(ids)}."
    problem = Problem(doc.source, line, column, "worksheet.unknown-exercise", message, hint,
                      ("exercise",))
    return CheckResult(doc.source, UNKNOWN, None, (problem,), learner=Learner.from_data(doc.data))


def check_document(doc: Document, catalog: Catalog) -> CheckResult:
    """Check and, when valid, score a loaded worksheet."""
    learner = Learner.from_data(doc.data)
    named = doc.data.get("exercise")
    exercise = catalog.get(named) if isinstance(named, str) else None
    if exercise is None:
        return _unknown_exercise(doc, catalog)
    if exercise.is_blank(doc.data):
        return CheckResult(doc.source, EMPTY, exercise.id, learner=learner,
                           notes=_next_steps(exercise))
    data, problems = validate(doc, lambda: exercise.validator, exercise.fast_validate)
    if problems:
        return CheckResult(doc.source, INVALID, exercise.id, tuple(problems), learner=learner)
    notes: tuple[str, ...] = ()
    if not learner.name:
        notes = ("Add your name under `learner:` so your instructor can match this file "
                 "to you.",)
    return CheckResult(doc.source, SCORED, exercise.id, (), score(data, exercise.rubric),
                       learner, notes)


def result_from_error(source: str, error: WorkbookError) -> CheckResult:
    """The result for a file the loader refused: empty, or unreadable with the reason."""
    empty = all(p.code == "worksheet.empty" for p in error.problems)
    return CheckResult(source, EMPTY if empty else UNREADABLE, None, error.problems)


def check_bytes(raw: bytes, source: str, catalog: Catalog,
                limits: Limits = DEFAULT_LIMITS) -> CheckResult:
    try:
        doc = load_bytes(raw, source, limits)
    except WorkbookError as error:
        return result_from_error(source, error)
    return check_document(doc, catalog)


def check_path(path: str, catalog: Catalog, limits: Limits = DEFAULT_LIMITS) -> CheckResult:
    """Like :func:`check_bytes`, reading at most the size limit from ``path``.

    One file on disk needs nothing of the batch side (workbook/intake.py reads
    folders and zip exports): ``workbook check`` stays a light import.
    """
    try:
        raw = read_file(path, limits)
    except OSError as error:
        return result_from_error(path, unreadable(path, error))
    return check_bytes(raw, path, catalog, limits)
