"""Scoring: worksheet data and a rubric in, a :class:`Score` out. Pure and deterministic.

Points are rounded to two decimals once, per criterion, so totals add up the same
way in every report and on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbook import criteria
from workbook.rubric import Criterion, Rubric

PASS, PARTIAL, FAIL, PENDING = "pass", "partial", "fail", "pending"


@dataclass(frozen=True, slots=True)
class CriterionResult:
    id: str
    title: str
    kind: str
    description: str
    points: float | None  # None while pending (manual criteria)
    max_points: float
    status: str
    feedback: str
    detail: str
    graded_by: str = "auto"  # "instructor" once an overrides file sets the points
    evidence: str = ""  # a manual criterion's answers to judge (hand-scoring.csv only)

    def to_dict(self) -> dict[str, Any]:
        return {
            "graded_by": self.graded_by,
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "description": self.description,
            "points": self.points,
            "max_points": self.max_points,
            "status": self.status,
            "detail": self.detail,
            "feedback": self.feedback,
        }


@dataclass(frozen=True, slots=True)
class Score:
    exercise: str
    points: float
    max_points: float
    pending_points: float
    criteria: tuple[CriterionResult, ...]

    @property
    def percent(self) -> float:
        return round(100 * self.points / self.max_points, 1) if self.max_points else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "points": self.points,
            "max_points": self.max_points,
            "pending_points": self.pending_points,
            "percent": self.percent,
            "criteria": [c.to_dict() for c in self.criteria],
        }


def status(fraction: float | None) -> str:
    """A criterion's status from the share of its points earned (None: still pending).

    Overrides given by hand (:mod:`workbook.overrides`) follow the same rule."""
    if fraction is None:
        return PENDING
    if fraction >= 1:
        return PASS
    return FAIL if fraction <= 0 else PARTIAL


def score_criterion(criterion: Criterion, data: Any) -> CriterionResult:
    kind = criteria.get_kind(criterion.kind)
    measured = kind.measure(criterion.params, criterion.key, data)
    fraction = measured.fraction
    if fraction is not None:
        fraction = min(1.0, max(0.0, fraction))
    verdict = status(fraction)
    feedback = criterion.feedback
    advice = feedback.get(verdict) or (feedback.get(FAIL) if verdict == PARTIAL else "") or ""
    points = None if fraction is None else round(criterion.points * fraction, 2)
    return CriterionResult(
        id=criterion.id, title=criterion.title, kind=criterion.kind,
        description=criterion.description, points=points, max_points=criterion.points,
        status=verdict, feedback=advice, detail=measured.detail, evidence=measured.evidence,
    )


def totals(results: tuple[CriterionResult, ...]) -> tuple[float, float]:
    """Points earned and points still pending, summed the one way every report shows."""
    earned = round(sum(r.points for r in results if r.points is not None), 2)
    pending = round(sum(r.max_points for r in results if r.points is None), 2)
    return earned, pending


def score(data: Any, rubric: Rubric) -> Score:
    results = tuple(score_criterion(c, data) for c in rubric.criteria)
    earned, pending = totals(results)
    return Score(rubric.exercise, earned, round(rubric.max_points, 2), pending, results)
