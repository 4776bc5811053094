"""Grades and feedback back into the LMS, in the LMS's own bulk formats.

Written beside the other outputs when the class came from an LMS export, so that 35
learners' feedback is one upload, not 35. The rules below are the LMSs' own, read
from their source (both are open source); docs/guides/instructors.md links them.

**Canvas**, ``canvas-feedback.zip``, for the assignment's *Re-Upload Submissions*:
Canvas takes each file's base name, splits it on ``_`` and reads the first two
all-digit parts as the user id and the id of a file that user handed in to this
assignment (the *attachment* id: the second number of the export's
``lastnamefirstname_[LATE_]userid_attachmentid_name`` names); a file whose ids
do not match a current submission, or whose name starts with ``._``, is ignored.
Each user's files become one submission comment ("See attached file") with the
files attached (``Assignment#generate_comments_from_files`` and
``infer_comment_context_from_filename`` in instructure/canvas-lms). So each
learner's feedback page goes in as ``slug_userid_attachmentid_feedback.html``,
with the attachment id of a file of theirs that counted.

**Moodle**, for an assignment with the *Offline grading worksheet* and *Feedback
files* feedback types on:

* ``moodle-grades.csv``, for *Upload grading worksheet*: UTF-8, comma separated;
  the columns are found by their (English) titles, of which ``Identifier``,
  ``Grade`` and ``Last modified (grade)`` must be present; ``Identifier`` is
  ``Participant`` and the participant number of the export's folder names; a row
  with an empty grade, or a grade above the assignment's maximum, is skipped; the
  ``Feedback comments`` column becomes each learner's feedback comment
  (``assignfeedback_offline_grade_importer`` and ``process_import_grades`` in
  moodle/moodle). ``Last modified (grade)`` is left empty, so on a second import
  tick *Allow updating records that have been modified more recently in Moodle
  than in the spreadsheet*.
* ``moodle-feedback.zip``, for *Upload multiple feedback files in a zip*: Moodle
  splits each folder (or file) name on ``_`` into at most five parts and needs at
  least four: a name, the participant number, then ``assignfeedback`` and
  ``file``, the plugin the file is for; hidden files (``.`` or ``~`` first) are
  ignored (``assignfeedback_file_zip_importer::is_valid_filename_for_import``).
  So each learner's page goes in as
  ``Full Name_12345_assignfeedback_file_/feedback.html``, with any ``_`` in the
  name made a space so that it cannot move the number.

The zips are made the same way every run (sorted members, fixed dates and modes),
so a rerun gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from workbook.catalog import Catalog
from workbook.files import reproducible_zip
from workbook.records import ClassResult, Summary
from workbook.reporters.canvas import learner_total, points_possible
from workbook.reporters.common import csv_text, number

MOODLE_COLUMNS = ("Identifier", "Full name", "Email address", "Grade", "Maximum Grade",
                  "Last modified (grade)", "Feedback comments")
_SLUG = re.compile(r"[^a-z]+")


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    return reproducible_zip(sorted(members))


def _learners_from(result: ClassResult, scheme: str) -> list[tuple[str, list[Summary]]]:
    return [(key, entries) for key, entries in result.learners().items()
            if any(e.lms == scheme and e.lms_id for e in entries)]


def canvas_feedback(result: ClassResult, page: Callable[[str], bytes]) -> bytes | None:
    """canvas-feedback.zip, or None when no learner came from a Canvas export.

    ``page(key)`` is the learner's feedback page (HTML). A learner whose counted
    files carry no attachment id (none could be matched) is left out.
    """
    members = []
    for key, entries in _learners_from(result, "canvas"):
        counted = [e for e in entries if e.lms == "canvas" and e.submission is not None]
        if not counted:
            continue
        first = counted[0]
        slug = _SLUG.sub("", first.learner_name.casefold()) or "learner"
        members.append((f"{slug}_{first.lms_id}_{first.submission}_feedback.html", page(key)))
    return _zip(members) if members else None


def _moodle_name(name: str) -> str:
    return " ".join(name.replace("_", " ").replace("/", " ").split()) or "Learner"


def moodle_feedback(result: ClassResult, page: Callable[[str], bytes]) -> bytes | None:
    """moodle-feedback.zip, or None when no learner came from a Moodle export."""
    members = []
    for key, entries in _learners_from(result, "moodle"):
        first = next(e for e in entries if e.lms == "moodle" and e.lms_id)
        folder = f"{_moodle_name(first.learner_name)}_{first.lms_id}_assignfeedback_file_"
        members.append((f"{folder}/feedback.html", page(key)))
    return _zip(members) if members else None


def _comment(entries: list[Summary], catalog: Catalog) -> str:
    lines = []
    for entry in entries:
        exercise = catalog.get(entry.exercise)
        title = exercise.title if exercise else (entry.exercise or "A file")
        if entry.points is None:
            lines.append(f"{title}: not scored ({entry.status}).")
        else:
            lines.append(f"{title}: {number(round(entry.points, 2))} of "
                         f"{number(entry.max_points)}"
                         + (f", {number(entry.pending_points)} still to be scored by hand"
                            if entry.pending_points else "") + ".")
    lines.append("Your feedback file says what each part found and what to do next.")
    return "\n".join(lines)


def moodle_grades(result: ClassResult, catalog: Catalog) -> bytes | None:
    """moodle-grades.csv, or None when no learner came from a Moodle export."""
    learners = _learners_from(result, "moodle")
    if not learners:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(MOODLE_COLUMNS)
    possible = number(points_possible(result, catalog))  # as canvas.csv's: the class's
    for _, entries in learners:
        first = next(e for e in entries if e.lms == "moodle" and e.lms_id)
        writer.writerow([f"Participant {first.lms_id}", csv_text(first.learner_name), "",
                         learner_total(entries), possible, "",
                         csv_text(_comment(entries, catalog))])
    return buffer.getvalue().encode("utf-8")


__all__ = ["MOODLE_COLUMNS", "canvas_feedback", "moodle_feedback", "moodle_grades"]
