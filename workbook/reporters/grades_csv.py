"""``grades.csv``: one row per learner and exercise, safe to open in any spreadsheet.

Columns: learner_id, learner_name, exercise, score, max_score, percent, status, late,
source, problems. ``score`` is the points awarded so far: when a ``manual`` part is
still pending, ``problems`` says how many points wait for the instructor. Rows with
no score (invalid, empty, unreadable) leave the number cells blank rather than 0.
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

from workbook.catalog import Catalog
from workbook.gradebook import ClassResult
from workbook.reporters.common import csv_text, number, problem_text

COLUMNS = ("learner_id", "learner_name", "exercise", "score", "max_score", "percent",
           "status", "late", "source", "problems")


def render(result: ClassResult, catalog: Catalog) -> bytes:
    stream = io.BytesIO()
    write_to(stream, result, catalog)
    return stream.getvalue()


def write_to(stream: BinaryIO, result: ClassResult, catalog: Catalog) -> None:
    """Write the gradebook row by row, so a large class never sits in memory twice."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for index, entry in enumerate(result.entries):
        if index % 1000 == 0:
            stream.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
        exercise = catalog.get(entry.exercise)
        maximum = exercise.rubric.max_points if exercise else None
        notes = [problem_text(p) for p in entry.problems]
        if entry.score is not None and entry.score.pending_points:
            notes.append(f"{number(entry.score.pending_points)} points pending: scored by hand")
        notes.extend(n for n in entry.notes if n.startswith("Identity:"))
        score = entry.score
        writer.writerow([
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
    stream.write(buffer.getvalue().encode("utf-8"))
