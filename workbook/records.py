"""The records of a class run, and nothing else: data a reporter renders, no behaviour.

A submission passes through three records, the fewest the process boundary allows:

:class:`~workbook.worksheet.CheckResult`
    one file checked and scored (shared with ``workbook check``). It knows the file,
    not who handed it in, because identity comes from the file's *name* too.
:class:`Entry`
    one counted submission: the result with its learner (worksheet and file name
    reconciled) and the instructor's overrides applied. Made where the file was
    graded (a worker), and rendered there at once into the submission's own rows:
    its results.json object, grades.csv row and feedback sections. Holding the full
    score, it is too large to send to the parent for every submission.
:class:`Summary`
    what crosses back to the parent: the tenth of an :class:`Entry` that the
    class-wide steps (resubmissions, order, similarity) and the class reports
    (report.html, canvas.csv, the terminal table) read, plus the :class:`Location`
    of the rows already rendered.

So a reporter of one submission's rows takes an :class:`Entry`; a reporter of the
class takes a :class:`ClassResult` of summaries. A new column of grades.csv or key
of results.json goes in the per-submission renderer, from :class:`Entry`; a new
figure in the class report reads :class:`Summary`, and a field it needs is added
to :class:`Summary` and :func:`summarise` below.

This module imports no part of the batch side (pool, spool files, intake), so that
reporters, which depend only on it, pull none of that in.
"""

from __future__ import annotations

import math
import struct
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from workbook.problems import Problem
from workbook.scoring import PASS, Score
from workbook.similarity import DEFAULT_THRESHOLD
from workbook.worksheet import STATUSES

if TYPE_CHECKING:
    from workbook.intake import Skipped


class Location(NamedTuple):
    """Where one submission's rendered parts are: the writer's spool, an offset, each
    part's size (see :mod:`workbook.spool`).

    A named tuple, like the summary that carries it, for cheap pickling.
    """

    spool: int
    offset: int
    sizes: tuple[int, int, int, int]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offset and length of parts ``first`` to ``last`` (inclusive), which are adjacent."""
        start = self.offset + sum(self.sizes[:first])
        return start, sum(self.sizes[first : last + 1])


@dataclass(frozen=True, slots=True)
class Entry:
    """One counted submission: a learner's worksheet for one exercise.

    ``identity_notes`` (the worksheet and its file name disagree, or name nobody)
    are for the instructor: grades.csv and the class report show them, the
    learner's feedback does not. ``notes`` are the checker's, for the learner.
    """

    order: int
    source: str
    learner_key: str
    learner_id: str
    learner_name: str
    email: str
    lms_id: str
    exercise: str
    status: str
    score: Score | None
    late: bool
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    identity_notes: tuple[str, ...] = ()
    submission: int | None = None
    sketch: bytes = field(default=b"", repr=False)
    stated: tuple[str, str] = ("", "")  # the worksheet's own learner name and id
    lms: str = ""  # whose naming the file had: "canvas", "moodle", "pattern" or ""
    # The same submission without the overrides that reached it only through the
    # learner id its worksheet states, for when that id proves contested by another
    # LMS user (workbook.gradebook.make_entry and settle); rendered beside it.
    if_contested: Entry | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return self.learner_name or self.learner_id or self.source

    @property
    def all_notes(self) -> tuple[str, ...]:
        """Every note, the instructor's first: results.json's ``notes``."""
        return self.identity_notes + self.notes

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "learner": {"key": self.learner_key, "id": self.learner_id,
                        "name": self.learner_name, "email": self.email,
                        "lms_id": self.lms_id},
            "exercise": self.exercise or None,
            "status": self.status,
            "late": self.late,
            "submission_id": self.submission,
            "score": self.score.to_dict() if self.score else None,
            "problems": [p.to_dict() for p in self.problems],
            "notes": list(self.all_notes),
        }


Mark = tuple[float | None, bool]  # one criterion: points (None while pending), earned in full
_MARK = struct.Struct("<d?")


def pack_marks(marks: Iterable[Mark]) -> bytes:
    """Marks as 9 bytes each (a tuple of tuples of floats costs ten times that)."""
    return b"".join(_MARK.pack(math.nan if points is None else points, earned)
                    for points, earned in marks)


def unpack_marks(packed: bytes) -> list[Mark]:
    return [(None if math.isnan(points) else points, earned)
            for points, earned in _MARK.iter_unpack(packed)]


class Summary(NamedTuple):
    """What the class-wide steps need of one :class:`Entry`: about a tenth of its size.

    The entry's own rows (results.json object, grades.csv row, feedback sections)
    are rendered where it was graded and wait in a spool at ``location``.

    A named tuple rather than a frozen dataclass, because one is made, pickled and
    unpickled for every submission, the last in the single process that collects
    them all: a tuple is built and unpickled in C, about five times faster.
    """

    order: int
    source: str
    learner_key: str
    learner_id: str
    learner_name: str
    lms_id: str
    exercise: str
    status: str
    late: bool
    submission: int | None
    location: Location | None
    points: float | None = None  # None when there is no score
    max_points: float = 0.0
    pending_points: float = 0.0
    percent: float = 0.0
    marks: bytes = b""  # per criterion, in the rubric's order (see pack_marks)
    first_problem: Problem | None = None
    problem_count: int = 0
    identity_notes: tuple[str, ...] = ()
    sketch: bytes = b""
    stated: tuple[str, str] = ("", "")  # the worksheet's own learner name and id
    lms: str = ""  # whose naming the file had: "canvas", "moodle", "pattern" or ""
    # Set when the class's steps gave this submission its learner's one identity
    # (workbook.gradebook.reconcile): the name and id its rows were rendered with,
    # which the parent then corrects as it copies them.
    rendered_as: tuple[str, str] | None = None
    # Criteria waiting for a person: (id, title, max points, the answers to judge),
    # for hand-scoring.csv (workbook/reporters/hand_scoring.py).
    pending: tuple[tuple[str, str, float, str], ...] = ()
    # Identity questions the class-wide steps raised after the rows were rendered
    # (workbook.gradebook.settle); the parent adds them as it copies the rows.
    added_notes: tuple[str, ...] = ()
    # The summary of Entry.if_contested, its rows spooled too; settle() puts it in this
    # one's place if the learner id the worksheet states is contested.
    if_contested: Summary | None = None
    # Set by settle(): the learner id this worksheet stated, which another LMS user's
    # worksheets state too, so it decided nothing (collect() reports the overrides
    # keyed by it as not applied).
    contested_id: str = ""

    @property
    def label(self) -> str:
        return self.learner_name or self.learner_id or self.source


def summarise(entry: Entry, location: Location | None) -> Summary:
    score = entry.score
    return Summary(
        order=entry.order, source=entry.source, learner_key=entry.learner_key,
        learner_id=entry.learner_id, learner_name=entry.learner_name, lms_id=entry.lms_id,
        exercise=entry.exercise, status=entry.status, late=entry.late,
        submission=entry.submission, location=location,
        points=score.points if score else None,
        max_points=score.max_points if score else 0.0,
        pending_points=score.pending_points if score else 0.0,
        percent=score.percent if score else 0.0,
        marks=pack_marks((c.points, c.status == PASS) for c in score.criteria) if score else b"",
        first_problem=entry.problems[0] if entry.problems else None,
        problem_count=len(entry.problems),
        identity_notes=entry.identity_notes,
        sketch=entry.sketch,
        stated=entry.stated,
        pending=tuple((c.id, c.title, c.max_points, c.evidence)
                      for c in score.criteria if c.points is None) if score else (),
        lms=entry.lms,
    )


@dataclass(frozen=True)
class SetAside:
    entry: Summary
    kept: str  # source of the submission that counts instead
    reason: str


@dataclass(frozen=True)
class Similar:
    exercise: str
    first: Summary
    second: Summary
    similarity: float


@dataclass(frozen=True)
class ClassResult:
    """The class: counted submissions in the class's order, and every decision made."""

    entries: tuple[Summary, ...]
    set_aside: tuple[SetAside, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    similar: tuple[Similar, ...] = ()
    override_notes: tuple[str, ...] = ()
    threshold: float = DEFAULT_THRESHOLD
    late_policy: str = ""  # the instructor's late policy in a sentence; "" for the default

    def counts(self) -> dict[str, int]:
        counted = Counter(entry.status for entry in self.entries)
        return {status: counted[status] for status in STATUSES}

    def learners(self) -> dict[str, list[Summary]]:
        """Each learner's entries, in the class's order (worked out once, then kept)."""
        return self._by_learner

    @cached_property
    def _by_learner(self) -> dict[str, list[Summary]]:
        grouped: dict[str, list[Summary]] = defaultdict(list)
        for entry in self.entries:
            grouped[entry.learner_key].append(entry)
        return dict(grouped)
