"""``grades.csv``: one row per learner and exercise, safe to open in any spreadsheet.

Columns: learner_id, learner_name, exercise, score, max_score, percent, status, late,
source, problems. ``score`` is the points awarded so far: when a ``manual`` part is
still pending, ``problems`` says how many points wait for the instructor. Rows with
no score (invalid, empty, unreadable) leave the number cells blank rather than 0.

Each submission's row is rendered where it is graded (:func:`row`); the file is the
header and the rows in the class's order (see workbook/pipeline.py).
"""

from __future__ import annotations

import csv
import io

from workbook.catalog import Catalog
from workbook.records import Entry
from workbook.reporters.common import csv_text, number, problem_text

COLUMNS = ("learner_id", "learner_name", "exercise", "score", "max_score", "percent",
           "status", "late", "source", "problems")


def _line(cells: list[str] | tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue().encode("utf-8")


def header() -> bytes:
    return _line(COLUMNS)


def row(entry: Entry, catalog: Catalog) -> bytes:
    """One submission's row, rendered where it was graded."""
    exercise = catalog.get(entry.exercise)
    maximum = exercise.rubric.max_points if exercise else None
    notes = [problem_text(p) for p in entry.problems]
    if entry.score is not None and entry.score.pending_points:
        notes.append(f"{number(entry.score.pending_points)} points pending: scored by hand")
    notes.extend(entry.identity_notes)
    score = entry.score
    return _line([
        csv_text(entry.learner_id),
        csv_text(entry.learner_name),
        csv_text(entry.exercise),
        number(score.points) if score else "",
        number(maximum) if maximum is not None else "",
        f"{score.percent:g}" if score else "",
        entry.status,
        "yes" if entry.late else "no",
        csv_text(entry.source),
        csv_text(" | ".join(notes)),
    ])



def with_identity(line: bytes, learner_id: str, learner_name: str,
                  notes: tuple[str, ...] = ()) -> bytes:
    """A rendered row with its learner's id and name replaced and ``notes`` added to
    its problems, the rest as it was: the class's steps may settle a learner's
    identity after the row was rendered (workbook.gradebook.settle and reconcile)."""
    cells = next(csv.reader(io.StringIO(line.decode("utf-8"), newline="")))
    cells[0], cells[1] = csv_text(learner_id), csv_text(learner_name)
    if notes:
        cells[-1] = " | ".join([*([cells[-1]] if cells[-1] else []), *map(csv_text, notes)])
    return _line(cells)
