"""From graded submissions to a class gradebook: identity, resubmissions, overrides, similarity.

Two steps. :func:`make_entry` turns one graded submission into an :class:`Entry`
(who handed it in, with any instructor overrides applied) wherever it was graded,
and :func:`summarise` keeps of it only what class-wide decisions and reports need.
:func:`collect` then makes those decisions over the summaries of the whole batch,
and :func:`find_similar` compares the free text of the submissions it counted.
Every choice made here is visible in the result (which submission was set aside
and why, whose identity disagreed, which overrides were not applied), so the
reports can say it rather than hide it.
"""

from __future__ import annotations

import math
import re
import struct
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, NamedTuple

from workbook import identity, overrides, similarity
from workbook.batch import Graded
from workbook.intake import Skipped
from workbook.problems import Problem
from workbook.scoring import PASS, Score
from workbook.spool import Location
from workbook.worksheet import STATUSES


@dataclass(frozen=True, slots=True)
class Entry:
    """One counted submission: a learner's worksheet for one exercise."""

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
    submission: int | None = None
    sketch: bytes = field(default=b"", repr=False)

    @property
    def label(self) -> str:
        return self.learner_name or self.learner_id or self.source

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
            "notes": list(self.notes),
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
        identity_notes=tuple(n for n in entry.notes if n.startswith("Identity:")),
        sketch=entry.sketch,
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
    entries: tuple[Summary, ...]
    set_aside: tuple[SetAside, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    similar: tuple[Similar, ...] = ()
    override_notes: tuple[str, ...] = ()
    threshold: float = similarity.DEFAULT_THRESHOLD

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


def _learner_key(learner_id: str, lms_id: str, name: str, source: str) -> str:
    if lms_id:
        return f"lms:{lms_id}"
    if learner_id:
        return f"id:{identity.normalise_key(learner_id)}"
    if name:
        return f"name:{identity.normalise_key(name)}"
    return f"file:{source}"


OverrideIndex = Mapping[tuple[str, str], Sequence[overrides.Override]]


def index_overrides(rows: Iterable[overrides.Override]) -> dict[tuple[str, str],
                                                                list[overrides.Override]]:
    """Override rows by (normalised learner id, exercise), in file order."""
    by_learner: dict[tuple[str, str], list[overrides.Override]] = defaultdict(list)
    for row in rows:
        by_learner[(identity.normalise_key(row.learner_id), row.exercise)].append(row)
    return dict(by_learner)


def matching_overrides(index: OverrideIndex, learner_id: str, lms_id: str,
                       exercise: str) -> list[overrides.Override]:
    """The rows for a submission: by the learner id, then by the LMS id."""
    rows: list[overrides.Override] = []
    for key in dict.fromkeys((identity.normalise_key(learner_id),
                              identity.normalise_key(lms_id))):
        if key:
            rows.extend(index.get((key, exercise), ()))
    return rows


def make_entry(order: int, graded: Graded, pattern: re.Pattern[str] | None,
               override_index: OverrideIndex | None = None) -> Entry:
    """One submission's entry, with the instructor's overrides for it applied.

    Overrides are applied here, where the submission is graded, so that its rows can
    be rendered at once; an entry later set aside as a resubmission shows no score
    anywhere, so applying them to it too changes nothing.
    """
    result = graded.result
    from_file = identity.from_path(graded.path, pattern)
    learner = result.learner
    notes: list[str] = []
    if not identity.names_agree(learner.name, from_file.name):
        notes.append(f"Identity: the worksheet says '{learner.name}' but the file name says "
                     f"'{from_file.name}'. The worksheet's name is used; please check.")
    if (from_file.scheme == "pattern" and learner.id and from_file.lms_id
            and identity.normalise_key(learner.id) != identity.normalise_key(from_file.lms_id)):
        notes.append(f"Identity: the worksheet's id '{learner.id}' differs from the file "
                     f"name's '{from_file.lms_id}'. The worksheet's id is used; please check.")
    learner_id = learner.id or from_file.lms_id
    name = learner.name or from_file.name
    if not (learner_id or name):
        notes.append("Identity: no name or id in the worksheet or its file name.")
    score = result.score
    exercise = result.exercise or ""
    if override_index and score is not None:
        rows = matching_overrides(override_index, learner_id, from_file.lms_id, exercise)
        if rows:
            score = overrides.apply(score, rows)
    return Entry(
        order=order,
        source=graded.source,
        learner_key=_learner_key(learner.id, from_file.lms_id, name, graded.source),
        learner_id=learner_id,
        learner_name=name,
        email=learner.email,
        lms_id=from_file.lms_id,
        exercise=exercise,
        status=result.status,
        score=score,
        late=from_file.late,
        problems=result.problems,
        notes=tuple(notes) + result.notes,
        submission=from_file.submission,
        sketch=graded.sketch,
    )


def _later(entry: Summary) -> tuple[int, int]:
    """Which of two submissions is later: Canvas submission id, else input order."""
    return (entry.submission if entry.submission is not None else -1, entry.order)


def collect(summaries: Iterable[Summary],
            override_rows: Sequence[overrides.Override] = ()) -> ClassResult:
    """The class: resubmissions set aside, overrides accounted for, learners in order.

    Everything but similarity, which the feedback pages do not need: ``workbook
    score`` starts writing them from this, and compares the class meanwhile.
    ``summaries`` come from :func:`make_entry` given the same ``override_rows``
    (which applied them); here they are only accounted for, so that a row that
    matched nothing, or a submission that has no score, is reported. They are
    grouped as they arrive, while the rest of the class is still being graded.
    Files skipped on the way in are the caller's to add, once all are read.
    """
    groups: dict[tuple[str, str], list[Summary]] = defaultdict(list)
    singles: list[Summary] = []
    for entry in summaries:
        if entry.exercise:
            groups[(entry.learner_key, entry.exercise)].append(entry)
        else:
            singles.append(entry)
    final: list[Summary] = []
    set_aside: list[SetAside] = []
    for group in groups.values():
        if len(group) == 1:
            final.append(group[0])
            continue
        newest = max(group, key=_later)
        final.append(newest)
        how = ("the latest (highest submission id)" if newest.submission is not None
               else "the last one in the input")
        set_aside.extend(
            SetAside(older, newest.source,
                     f"{older.label} handed in {older.exercise} more than once; {how} counts.")
            for older in group if older is not newest)
    del groups
    final += singles
    del singles

    notes: list[str] = []
    by_learner = index_overrides(override_rows)
    applied: set[tuple[str, str]] = set()
    if by_learner:
        for entry in final:
            rows = matching_overrides(by_learner, entry.learner_id, entry.lms_id, entry.exercise)
            applied.update((identity.normalise_key(r.learner_id), r.exercise) for r in rows)
            if rows and entry.points is None:
                notes.extend(f"Override on line {r.line} for {r.learner_id} ({r.exercise}) not "
                             f"applied: the submission is {entry.status}." for r in rows)
    for (learner, exercise), rows in sorted(by_learner.items()):
        if (learner, exercise) not in applied:
            notes.extend(f"Override on line {r.line} for {r.learner_id} ({r.exercise}) not "
                         "applied: no such submission." for r in rows)

    final.sort(key=lambda e: (e.learner_name.casefold(), e.learner_id, e.learner_key,
                              e.exercise, e.source))
    set_aside.sort(key=lambda s: (s.entry.learner_key, s.entry.exercise, s.entry.order))
    return ClassResult(tuple(final), tuple(set_aside), override_notes=tuple(notes))


def find_similar(result: ClassResult,
                 threshold: float = similarity.DEFAULT_THRESHOLD) -> ClassResult:
    """``result`` with its pairs of counted submissions whose free text is alike."""
    final = result.entries
    sketches = ((i, e.exercise, e.learner_key, e.sketch) for i, e in enumerate(final))
    pairs = similarity.similar_pairs(sketches, threshold)
    similar = tuple(Similar(p.exercise, final[p.first], final[p.second], p.similarity)
                    for p in pairs)
    return replace(result, similar=similar, threshold=threshold)
