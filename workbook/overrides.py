"""Human grading in the same gradebook: an overrides CSV gives points per criterion.

Columns: ``learner_id, exercise, criterion, points, comment`` (others are read past,
so hand-scoring.csv, filled in, is such a file). A row sets the
points of one criterion for one learner: typically a ``manual`` criterion (which
stays *pending* until a row like this gives it points), but any criterion may be
overridden, and the comment replaces the automatic advice.

``learner_id`` matches the learner id in the gradebook (the worksheet's
``learner.id``, else the id from the LMS file name) or the LMS user id.

Mistakes that would silently lose a grade stop the run with the file and line:
a missing column, points that are not a number or out of range, an unknown
exercise or criterion. A row whose learner handed nothing in (or handed in an
invalid file) is reported as not applied, and the run goes on.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

from workbook.catalog import Catalog
from workbook.checking import nearest
from workbook.problems import Problem, WorkbookError
from workbook.scoring import CriterionResult, Score, status, totals

COLUMNS = ("learner_id", "exercise", "criterion", "points", "comment")


@dataclass(frozen=True)
class Override:
    line: int
    learner_id: str
    exercise: str
    criterion: str
    points: float
    comment: str


SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}


def separator(text: str) -> str:
    """The separator a spreadsheet saved the file with: whichever of comma, semicolon
    and tab splits the header line into the most columns. Excel writes semicolons
    where the decimal mark is a comma (much of Europe), LibreOffice asks, and a
    "Text (tab-delimited)" save uses tabs; the header has no quoted text to mislead
    the count, unlike csv.Sniffer's look at whole rows of comments."""
    first = text.split("\n", 1)[0]
    return max(SEPARATORS, key=lambda mark: (first.count(mark), mark == ","))


def _header_problem(header: list[str], source: str, mark: str) -> Problem | None:
    missing = [c for c in COLUMNS if c not in header]
    if not missing:
        return None
    unknown = [name for name in header if name and name not in COLUMNS]
    guesses = []
    for name in unknown:
        guess = nearest(name.replace(" ", "_").replace("-", "_"), missing)
        if guess:
            guesses.append(f"'{name}' (did you mean '{guess}'?)")
    said = f" Not understood: {', '.join(guesses)}." if guesses else (
        f" Not understood: {', '.join(repr(n) for n in unknown)}." if unknown else "")
    return Problem(source, 1, None, "overrides.columns",
                   f"Missing column(s): {', '.join(missing)}.{said}",
                   f"The first line must name: {', '.join(COLUMNS)} (separated by "
                   f"{SEPARATORS[mark]}, as this file is; other columns are read past).")


def _points(text: str, mark: str) -> float:
    """A number as a spreadsheet writes it: with a decimal comma when the file is
    separated by semicolons or tabs (3,5)."""
    if mark != "," and text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return float(text)


def parse(text: str, source: str, catalog: Catalog) -> list[Override]:
    """Rows of an overrides CSV, checked against the course; raises on any mistake.

    Comma, semicolon and tab separators are read (see :func:`separator`), a byte
    order mark is ignored, extra columns (hand-scoring.csv's learner_name, answer,
    ...) are read past, and a row whose points are still empty is skipped: a sheet
    marked halfway is applied as far as it goes.
    """
    text = text.lstrip("\ufeff")
    mark = separator(text)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=mark)
    header = [name.strip() for name in reader.fieldnames or []]
    problem = _header_problem(header, source, mark)
    if problem is not None:
        raise WorkbookError(problem)
    rows: list[Override] = []
    problems: list[Problem] = []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()
               if isinstance(v, str) or v is None}
        if not any(row.values()) or not row["points"]:
            continue  # an empty line, or a criterion not marked yet

        def bad(message: str, hint: str = "", at: int = line) -> None:
            problems.append(Problem(source, at, None, "overrides.row", message, hint))

        exercise = catalog.get(row["exercise"])
        if exercise is None:
            guess = nearest(row["exercise"], catalog.ids)
            bad(f"Unknown exercise '{row['exercise']}'.",
                f"Did you mean '{guess}'?" if guess else f"Exercises: {', '.join(catalog.ids)}.")
            continue
        criteria = {c.id: c for c in exercise.rubric.criteria}
        criterion = criteria.get(row["criterion"])
        if criterion is None:
            guess = nearest(row["criterion"], criteria)
            bad(f"Exercise '{exercise.id}' has no criterion '{row['criterion']}'.",
                f"Did you mean '{guess}'?" if guess else f"Criteria: {', '.join(criteria)}.")
            continue
        try:
            points = _points(row["points"], mark)
        except ValueError:
            bad(f"Points '{row['points']}' is not a number.", "Write a number such as 4 or 3.5.")
            continue
        if not 0 <= points <= criterion.points:
            bad(f"Points {points:g} are outside 0 to {criterion.points:g} for "
                f"'{criterion.id}'.")
            continue
        if not row["learner_id"]:
            bad("The learner_id is empty.")
            continue
        rows.append(Override(line, row["learner_id"], exercise.id, criterion.id,
                             round(points, 2), row["comment"]))
    if problems:
        raise WorkbookError(problems)
    return rows


def apply(score: Score, overrides: list[Override]) -> Score:
    """``score`` with each override's points, status and comment put in place."""
    by_criterion = {o.criterion: o for o in overrides}
    results: list[CriterionResult] = []
    for result in score.criteria:
        override = by_criterion.get(result.id)
        if override is None:
            results.append(result)
            continue
        fraction = override.points / result.max_points if result.max_points else 1.0
        results.append(replace(result, points=override.points, status=status(fraction),
                               feedback=override.comment or result.feedback,
                               detail=result.detail if result.kind != "manual"
                               else "Scored by your instructor.",
                               graded_by="instructor"))
    criteria = tuple(results)
    earned, pending = totals(criteria)
    return replace(score, points=earned, pending_points=pending, criteria=criteria)
