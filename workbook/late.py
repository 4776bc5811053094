"""The late policy an instructor chooses, and what it does to one submission.

Three policies (``workbook score --late``):

* ``latest`` (the default): the latest submission of an exercise counts, late or not;
* ``on-time``: the latest submission made on time counts; late ones count only when
  a learner has nothing on time for that exercise;
* a deduction (``--late-deduction 10``): the latest counts, less 10% of its points for
  each day, or part of a day, after ``--due``.

A submission is late when the export marks it so (Canvas's ``LATE`` in the file
name) or when its date is after ``--due``. Dates are the ones the export gives each
file: a zip member's date. Files in a plain folder carry none (a copy resets them),
so there only the export's mark counts; a file marked late without a date counts as
one day late, and its learner is told so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime

from workbook.scoring import Score

KEEPS = ("latest", "on-time")


@dataclass(frozen=True)
class LatePolicy:
    keep: str = "latest"
    due: datetime | None = None
    deduction: float = 0.0  # percent of the points, per started day late

    def describe(self) -> str:
        """The policy in a sentence, for the report and the learners it affects."""
        due = f" (due {self.due:%Y-%m-%d %H:%M})" if self.due else ""
        if self.deduction:
            return (f"Late work{due} loses {self.deduction:g}% of its points for each day "
                    "or part of a day late.")
        if self.keep == "on-time":
            return (f"The latest submission made on time counts{due}; a late one counts only "
                    "when there is nothing on time.")
        return f"The latest submission counts, late or not{due}."

    def is_default(self) -> bool:
        return self == LatePolicy()

    def days_late(self, when: str, marked_late: bool) -> tuple[bool, int, bool]:
        """(late, whole days late, whether the days were guessed) for one file.

        ``when`` is the export's date for the file (ISO, or "" when it gave none).
        """
        if self.due is not None and when:
            seconds = (datetime.fromisoformat(when) - self.due).total_seconds()
            if seconds > 0:
                return True, math.ceil(seconds / 86400), False
            return marked_late, (1 if marked_late else 0), marked_late
        return marked_late, (1 if marked_late else 0), marked_late

    def deduct(self, score: Score, days: int, guessed: bool) -> tuple[Score, str]:
        """``score`` less the deduction for ``days`` late, and the note that says so."""
        share = min(1.0, self.deduction * days / 100)
        points = round(score.points * (1 - share), 2)
        when = (f"{days} day{'s' if days != 1 else ''} late" if not guessed
                else "late (the export gave no date, so counted as one day)")
        note = (f"Handed in {when}: {share * 100:g}% of the points deducted "
                f"({score.points:g} became {points:g}). " + self.describe())
        return replace(score, points=points), note


def parse_due(text: str) -> datetime:
    """``--due`` as a date and time (``2026-12-01T23:59`` or ``2026-12-01``, which means
    the end of that day)."""
    value = datetime.fromisoformat(text)
    if len(text) <= 10:
        value = value.replace(hour=23, minute=59, second=59)
    return value.replace(tzinfo=None)


__all__ = ["KEEPS", "LatePolicy", "parse_due"]
