"""From graded submissions to a class gradebook: identity, resubmissions, overrides, similarity.

Pure: a list of :class:`~workbook.batch.Graded` in, a :class:`ClassResult` out.
Every choice made here is visible in the result (which submission was set aside
and why, whose identity disagreed, which overrides were not applied), so the
reports can say it rather than hide it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from workbook import identity, overrides, similarity
from workbook.batch import Graded
from workbook.intake import Skipped
from workbook.problems import Problem
from workbook.scoring import Score
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


@dataclass(frozen=True)
class SetAside:
    entry: Entry
    kept: str  # source of the submission that counts instead
    reason: str


@dataclass(frozen=True)
class Similar:
    exercise: str
    first: Entry
    second: Entry
    similarity: float


@dataclass(frozen=True)
class ClassResult:
    entries: tuple[Entry, ...]
    set_aside: tuple[SetAside, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    similar: tuple[Similar, ...] = ()
    override_notes: tuple[str, ...] = ()
    threshold: float = similarity.DEFAULT_THRESHOLD

    def counts(self) -> dict[str, int]:
        counted = Counter(entry.status for entry in self.entries)
        return {status: counted[status] for status in STATUSES}

    def learners(self) -> dict[str, list[Entry]]:
        grouped: dict[str, list[Entry]] = defaultdict(list)
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


def make_entry(order: int, graded: Graded, pattern: re.Pattern[str] | None) -> Entry:
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
    return Entry(
        order=order,
        source=graded.source,
        learner_key=_learner_key(learner.id, from_file.lms_id, name, graded.source),
        learner_id=learner_id,
        learner_name=name,
        email=learner.email,
        lms_id=from_file.lms_id,
        exercise=result.exercise or "",
        status=result.status,
        score=result.score,
        late=from_file.late,
        problems=result.problems,
        notes=tuple(notes) + result.notes,
        submission=from_file.submission,
        sketch=graded.sketch,
    )


def _later(entry: Entry) -> tuple[int, int]:
    """Which of two submissions is later: Canvas submission id, else input order."""
    return (entry.submission if entry.submission is not None else -1, entry.order)


def build(graded: Iterable[Graded], skipped: Sequence[Skipped] = (),
          pattern: re.Pattern[str] | None = None,
          override_rows: Sequence[overrides.Override] = (),
          threshold: float = similarity.DEFAULT_THRESHOLD) -> ClassResult:
    entries = [make_entry(order, item, pattern) for order, item in enumerate(graded)]

    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    singles: list[Entry] = []
    for entry in entries:
        if entry.exercise:
            groups[(entry.learner_key, entry.exercise)].append(entry)
        else:
            singles.append(entry)
    kept: dict[tuple[str, str], Entry] = {}
    set_aside: list[SetAside] = []
    for slot, group in groups.items():
        newest = max(group, key=_later)
        kept[slot] = newest
        how = ("the latest (highest submission id)" if newest.submission is not None
               else "the last one in the input")
        set_aside.extend(
            SetAside(older, newest.source,
                     f"{older.label} handed in {older.exercise} more than once; {how} counts.")
            for older in group if older is not newest)
    counted = list(kept.values()) + singles

    notes: list[str] = []
    by_learner: dict[tuple[str, str], list[overrides.Override]] = defaultdict(list)
    for row in override_rows:
        by_learner[(identity.normalise_key(row.learner_id), row.exercise)].append(row)
    applied: set[tuple[str, str]] = set()
    final: list[Entry] = []
    for entry in counted:
        rows: list[overrides.Override] = []
        for key in {identity.normalise_key(entry.learner_id), identity.normalise_key(entry.lms_id)}:
            if key:
                rows.extend(by_learner.get((key, entry.exercise), []))
        if rows and entry.score is not None:
            applied.update((identity.normalise_key(r.learner_id), r.exercise) for r in rows)
            entry = replace(entry, score=overrides.apply(entry.score, rows))
        elif rows:
            applied.update((identity.normalise_key(r.learner_id), r.exercise) for r in rows)
            notes.extend(f"Override on line {r.line} for {r.learner_id} ({r.exercise}) not "
                         f"applied: the submission is {entry.status}." for r in rows)
        final.append(entry)
    for (learner, exercise), rows in sorted(by_learner.items()):
        if (learner, exercise) not in applied:
            notes.extend(f"Override on line {r.line} for {r.learner_id} ({r.exercise}) not "
                         "applied: no such submission." for r in rows)

    final.sort(key=lambda e: (e.learner_name.casefold(), e.learner_id, e.learner_key,
                              e.exercise, e.source))
    sketches = [(i, e.exercise, e.learner_key, e.sketch) for i, e in enumerate(final)]
    pairs = similarity.similar_pairs(sketches, threshold)
    similar = tuple(Similar(p.exercise, final[p.first], final[p.second], p.similarity)
                    for p in pairs)
    set_aside.sort(key=lambda s: (s.entry.learner_key, s.entry.exercise, s.entry.order))
    return ClassResult(tuple(final), tuple(set_aside), tuple(skipped), similar,
                       tuple(notes), threshold)
