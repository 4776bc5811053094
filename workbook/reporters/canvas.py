"""``canvas.csv``: a gradebook Canvas can import, for one assignment.

Canvas matches rows on ``ID`` (its own user id, taken from the Canvas export's
file names), then ``SIS User ID`` (here the ``learner.id`` the learner wrote in
the worksheet, when it is not just the Canvas id again), then ``SIS Login ID``
(left blank). The assignment column is named exactly as given to
``--canvas-assignment``, e.g. ``"Contact inventory (123456)"``, which is how
Canvas names an existing assignment in its exports.

The score is the learner's total over the exercises in the batch, and ``Points
Possible`` their total maximum: score one exercise per run for one Canvas
assignment. A learner with hand-scored points still pending, or with nothing
that could be scored, gets a blank cell (ungraded in Canvas), never a zero.
"""

from __future__ import annotations

import csv
import io

from workbook.catalog import Catalog
from workbook.records import ClassResult, Summary
from workbook.reporters.common import csv_text, number

HEADER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def summed(result: ClassResult, catalog: Catalog) -> list[str]:
    """The exercises whose points go into the one assignment column."""
    return sorted({e.exercise for e in result.entries if catalog.get(e.exercise)})


def column_note(result: ClassResult, catalog: Catalog, assignment: str) -> str:
    """One sentence saying what the assignment column holds, for the run's report."""
    exercises = summed(result, catalog)
    if len(exercises) == 1:
        return f"canvas.csv: '{assignment}' holds each learner's points for {exercises[0]}."
    return (f"canvas.csv: '{assignment}' holds each learner's total over {len(exercises)} "
            f"exercises ({', '.join(exercises)}). To give each exercise its own Canvas "
            "assignment, score each exercise's files in a run of its own.")


def points_possible(result: ClassResult, catalog: Catalog) -> float:
    """The maximum of the one assignment column: every exercise of the batch."""
    return sum(catalog.exercises[x].rubric.max_points for x in summed(result, catalog))


def learner_total(entries: list[Summary]) -> str:
    """A learner's points for the assignment column (canvas.csv, moodle-grades.csv):
    blank, so ungraded in the LMS, while anything is pending or nothing could be
    scored, never a zero nobody awarded."""
    scored = [e for e in entries if e.points is not None]
    if not scored or any(e.pending_points for e in scored):
        return ""
    return number(round(sum(e.points for e in scored if e.points is not None), 2))


def render(result: ClassResult, catalog: Catalog, assignment: str) -> bytes:
    possible = points_possible(result, catalog)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*HEADER, csv_text(assignment)])
    writer.writerow(["Points Possible", "", "", "", "", number(possible)])
    for entries in result.learners().values():
        first = entries[0]
        total = learner_total(entries)
        sis = first.learner_id if first.learner_id != first.lms_id else ""
        writer.writerow([csv_text(first.learner_name), csv_text(first.lms_id), csv_text(sis),
                         "", "", total])
    return buffer.getvalue().encode("utf-8")
