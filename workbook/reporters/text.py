"""Plain-text reports for people at a terminal.

Markers are ASCII words rather than symbols so they survive every Windows console.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbook.catalog import Catalog
from workbook.problems import Problem
from workbook.reporters.common import number
from workbook.worksheet import SCORED, CheckResult

if TYPE_CHECKING:  # `workbook check` prints through this module; the class records stay out
    from workbook.records import ClassResult

_MARK = {"pass": "[pass]", "partial": "[part]", "fail": "[miss]", "pending": "[todo]"}


def _problem_lines(problem: Problem) -> list[str]:
    lines = [f"  {problem.location()}: {problem.message}"]
    if problem.hint:
        lines.append(f"      -> {problem.hint}")
    return lines


def render_result(result: CheckResult) -> str:
    lines: list[str] = []
    if result.status == SCORED and result.score is not None:
        score = result.score
        pending = (f", {number(score.pending_points)} more scored by hand"
                   if score.pending_points else "")
        lines.append(f"{result.source}: valid {result.exercise} worksheet. Score preview: "
                     f"{number(score.points)} / {number(score.max_points)} "
                     f"({score.percent:g}%){pending}")
        for item in score.criteria:
            got = "?" if item.points is None else number(item.points)
            lines.append(f"  {_MARK[item.status]} {got}/{number(item.max_points)}  "
                         f"{item.title}: {item.detail}")
            if item.feedback and item.status != "pass":
                lines.append(f"         {item.feedback}")
    else:
        count = len(result.problems)
        what = {
            "invalid": f"{count} problem{'s' if count != 1 else ''} to fix",
            "empty": "empty",
            "unreadable": "cannot be read as a worksheet",
            "unknown-exercise": "unknown exercise",
        }.get(result.status, result.status)
        name = f" ({result.exercise})" if result.exercise else ""
        lines.append(f"{result.source}: {what}{name}")
        for problem in result.problems:
            lines.extend(_problem_lines(problem))
    lines.extend(f"  {note}" for note in result.notes)
    return "\n".join(lines)


def render_check(results: Sequence[CheckResult]) -> str:
    blocks = [render_result(r) for r in results]
    valid = sum(1 for r in results if r.ok)
    if len(results) > 1:
        blocks.append(f"{valid} of {len(results)} files valid.")
    return "\n\n".join(blocks) + "\n"


def render_problems(problems: Sequence[Problem]) -> str:
    return "\n".join(line for p in problems for line in _problem_lines(p)) + "\n"


def render_list(catalog: Catalog) -> str:
    width = max((len(i) for i in catalog.ids), default=0)
    lines = [f"{'exercise'.ljust(width)}  chapter  points  title"]
    for exercise in catalog.exercises.values():
        lines.append(f"{exercise.id.ljust(width)}  {exercise.chapter:<7}  "
                     f"{number(exercise.rubric.max_points):>6}  {exercise.title}")
    lines.append("")
    lines.append("Start one with: workbook new EXERCISE")
    return "\n".join(lines) + "\n"


def render_class(result: ClassResult) -> str:
    """A table of the class for the terminal: one line per learner and exercise."""
    rows = [("learner", "exercise", "score", "status", "late")]
    for entry in result.entries:
        shown = (f"{number(entry.points)}/{number(entry.max_points)}"
                 + (" +pending" if entry.pending_points else "")
                 if entry.points is not None else "-")
        rows.append((entry.label, entry.exercise or "?", shown, entry.status,
                     "late" if entry.late else ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
             for row in rows]
    for aside in result.set_aside:
        lines.append(f"set aside: {aside.entry.source} ({aside.reason})")
    for pair in result.similar:
        lines.append(f"similar ({pair.similarity:.0%}, {pair.exercise}): "
                     f"{pair.first.label} and {pair.second.label}")
    return "\n".join(lines) + "\n"
