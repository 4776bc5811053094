"""``hand-scoring.csv``: what waits for a person, as a sheet that reads back as overrides.

One row per criterion still pending (a ``manual`` criterion nobody has scored): the
learner, the exercise, the criterion, its maximum, and the learner's answers to
judge (the criterion's ``show``), with empty ``points`` and ``comment`` cells. The
first five columns are the overrides file's (workbook/overrides.py), so the sheet,
filled in and saved, is passed back as ``--overrides``; the other columns are read
past, and rows left without points are skipped, so a half-marked sheet works too.

Written with a UTF-8 byte order mark, which is how Excel knows the file is UTF-8
(without it, accents in names come out garbled); LibreOffice reads either. Every
learner text cell is neutralised against formulas, as in grades.csv.
"""

from __future__ import annotations

import csv
import io

from workbook.catalog import Catalog
from workbook.records import ClassResult
from workbook.reporters.common import csv_text, number

COLUMNS = ("learner_id", "exercise", "criterion", "points", "comment",
           "learner_name", "criterion_title", "max_points", "answer")


def has_rows(result: ClassResult) -> bool:
    return any(entry.pending for entry in result.entries)


def render(result: ClassResult, catalog: Catalog) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in result.entries:
        who = entry.learner_id or entry.lms_id
        for criterion, title, maximum, answer in entry.pending:
            writer.writerow([csv_text(who), csv_text(entry.exercise), csv_text(criterion), "",
                             "", csv_text(entry.learner_name), csv_text(title),
                             number(maximum), csv_text(answer)])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
