"""From graded submissions to a class gradebook: identity, resubmissions, overrides, similarity.

Two steps. :func:`make_entry` turns one graded submission into an
:class:`~workbook.records.Entry` (who handed it in, with any instructor overrides
applied) wherever it was graded, and :func:`~workbook.records.summarise` keeps of
it only what class-wide decisions and reports need.
:func:`collect` then makes those decisions over the summaries of the whole batch,
and :func:`find_similar` compares the free text of the submissions it counted.
Every choice made here is visible in the result (which submission was set aside
and why, whose identity disagreed, which overrides were not applied), so the
reports can say it rather than hide it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from workbook import identity, overrides, similarity
from workbook.late import LatePolicy
from workbook.records import ClassResult, Entry, SetAside, Similar, Summary
from workbook.worksheet import EMPTY, UNREADABLE, CheckResult


def _learner_key(learner_id: str, lms_id: str, name: str, source: str) -> str:
    if lms_id:
        return f"lms:{lms_id}"
    if learner_id:
        return f"id:{identity.normalise_key(learner_id)}"
    if name:
        return f"name:{identity.normalise_key(name)}"
    return f"file:{source}"


DEFAULT_LATE = LatePolicy()
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


def claimed_only(index: OverrideIndex, learner_id: str, lms_id: str,
                 exercise: str) -> list[overrides.Override]:
    """The rows that reach a submission from an LMS only through the learner id its
    worksheet states (not through the export's user id): the learner's own word,
    which a classmate's worksheet may contest (see :func:`settle`)."""
    if not lms_id:
        return []
    by_user = matching_overrides(index, "", lms_id, exercise)
    return [row for row in matching_overrides(index, learner_id, lms_id, exercise)
            if row not in by_user]


def make_entry(order: int, path: str, result: CheckResult, sketch: bytes = b"",
               pattern: re.Pattern[str] | None = None,
               override_index: OverrideIndex | None = None,
               named_exercise: str | None = None, when: str = "",
               late_policy: LatePolicy = DEFAULT_LATE) -> Entry:
    """One submission's entry, with the instructor's overrides for it applied.

    ``path`` is the file's path (inside a zip, the member name), which may name the
    learner and the exercise; ``sketch`` its similarity sketch; ``when`` the date the
    export gives it, which with ``late_policy`` says whether it is late and by how
    much (a deduction is made here, after overrides). Overrides are applied here, where
    the submission is graded, so that its rows can be rendered at once; an entry
    later set aside as a resubmission shows no score anywhere, so applying them to
    it too changes nothing.

    Where the export names the submitter (an LMS user id) and an override reached
    this file only through the learner id its worksheet states, that id is the
    learner's own word, which a classmate's worksheet may contest. The class is not
    known yet, so the entry carries its other outcome too (``if_contested``: the
    same file without those rows), and :func:`settle` picks one.
    """
    from_file = identity.from_path(path, pattern)
    learner = result.learner
    # A refused archive (truncated, not a zip) is the export's fault, not a learner's
    # file: there is nobody to identify, so no note that nobody was named.
    whole_archive = bool(result.problems) and all(
        p.code.startswith("archive.") and not p.path for p in result.problems)
    notes = () if whole_archive else identity.conflicts(learner.name, learner.id, from_file)
    learner_id = learner.id or from_file.lms_id
    name = learner.name or from_file.name
    # A file that cannot say its exercise (a PDF, a broken file) keeps the one its name
    # states (``named_exercise``, from Catalog.named_in), so it is reported there.
    exercise = result.exercise or (named_exercise if result.status in (UNREADABLE, EMPTY)
                                   else None) or ""
    late, days, guessed = late_policy.days_late(when, from_file.late)

    def entry(rows: Sequence[overrides.Override]) -> Entry:
        score = result.score
        if score is not None and rows:
            score = overrides.apply(score, list(rows))
        notes_for_learner = result.notes
        if score is not None and late and late_policy.deduction:
            score, note = late_policy.deduct(score, days, guessed)
            notes_for_learner = (*notes_for_learner, note)
        return Entry(
            order=order,
            source=result.source,
            learner_key=_learner_key(learner.id, from_file.lms_id, name, result.source),
            learner_id=learner_id,
            learner_name=name,
            email=learner.email,
            lms_id=from_file.lms_id,
            exercise=exercise,
            status=result.status,
            score=score,
            late=late,
            problems=result.problems,
            notes=notes_for_learner,
            identity_notes=notes,
            submission=from_file.submission,
            sketch=sketch,
            stated=(learner.name, learner.id),
            lms=from_file.scheme,
        )

    if not override_index or result.score is None:
        return entry(())
    rows = matching_overrides(override_index, learner_id, from_file.lms_id, exercise)
    claimed = claimed_only(override_index, learner_id, from_file.lms_id, exercise)
    if claimed:
        return replace(entry(rows), if_contested=entry([r for r in rows if r not in claimed]))
    return entry(rows)


def _counts_first(keep: str) -> Callable[[Summary], tuple[bool, bool, int, int]]:
    """Which of two submissions counts: one with answers over one that could not be
    read or was left blank (a PDF handed in beside the worksheet never displaces it);
    under the ``on-time`` late policy, one on time over a late one; then the later:
    Canvas submission id, else input order."""
    def key(entry: Summary) -> tuple[bool, bool, int, int]:
        return (entry.status not in (UNREADABLE, EMPTY),
                keep != "on-time" or not entry.late,
                entry.submission if entry.submission is not None else -1, entry.order)
    return key


def collect(summaries: Iterable[Summary],
            override_rows: Sequence[overrides.Override] = (),
            late_policy: LatePolicy = DEFAULT_LATE) -> ClassResult:
    """The class: resubmissions set aside, overrides accounted for, learners in order.

    Everything but similarity, which the feedback pages do not need: ``workbook
    score`` starts writing them from this, and compares the class meanwhile.
    ``summaries`` come from :func:`make_entry` given the same ``override_rows``
    (which applied them); here they are only accounted for, so that a row that
    matched nothing, or a submission that has no score, is reported. They are
    grouped as they arrive, while the rest of the class is still being graded.
    Files skipped on the way in are the caller's to add, once all are read
    (:func:`workbook.class_run.run`).
    """
    keep = late_policy.keep
    counts_first = _counts_first(keep)
    groups: dict[tuple[str, str], list[Summary]] = defaultdict(list)
    singles: list[Summary] = []
    for entry in settle(list(summaries)):
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
        newest = max(group, key=counts_first)
        final.append(newest)
        how = ("the latest (highest submission id)" if newest.submission is not None
               else "the last one in the input")

        def why(older: Summary, newest: Summary = newest, how: str = how) -> str:
            if older.status in (UNREADABLE, EMPTY) and newest.status not in (UNREADABLE, EMPTY):
                return f"this one is {older.status}, so the one with answers counts."
            if keep == "on-time" and older.late and not newest.late:
                return "this one is late, and the late policy counts the latest on time."
            return f"{how} counts."

        set_aside.extend(
            SetAside(older, newest.source,
                     f"{older.label} handed in {older.exercise} more than once; {why(older)}")
            for older in group if older is not newest)
    del groups
    final += singles
    del singles
    final = reconcile(final)  # one identity per learner, before overrides are matched

    notes: list[str] = []
    by_learner = index_overrides(override_rows)
    applied: set[tuple[str, str]] = set()
    if by_learner:
        whose: dict[int, set[str]] = defaultdict(set)  # override line -> learners it reached
        withheld: dict[int, set[str]] = defaultdict(set)  # line -> LMS users claiming its id
        for entry in final:
            if entry.contested_id:  # settle() counted only the rows by its LMS user id
                rows = matching_overrides(by_learner, "", entry.lms_id, entry.exercise)
                for row in claimed_only(by_learner, entry.contested_id, entry.lms_id,
                                        entry.exercise):
                    withheld[row.line].add(entry.lms_id)
                    applied.add((identity.normalise_key(row.learner_id), row.exercise))
            else:
                # The id the row was matched by where the file was graded, before the
                # class settled identities (make_entry): the account matches what was
                # applied.
                graded_as = entry.rendered_as[1] if entry.rendered_as else entry.learner_id
                rows = matching_overrides(by_learner, graded_as, entry.lms_id, entry.exercise)
            applied.update((identity.normalise_key(r.learner_id), r.exercise) for r in rows)
            if rows and entry.points is None:
                notes.extend(f"Override on line {r.line} for {r.learner_id} ({r.exercise}) not "
                             f"applied: the submission is {entry.status}." for r in rows)
            elif rows:
                for row in rows:
                    whose[row.line].add(entry.lms_id or entry.learner_key)
        for line, reached in sorted(whose.items()):
            if len(reached) > 1:
                row = next(r for r in override_rows if r.line == line)
                notes.append(f"Override on line {line} for {row.learner_id} ({row.exercise}) "
                             f"was applied to the work of {len(reached)} learners "
                             f"({', '.join(sorted(reached))}): that id is given by more than "
                             "one of them (see Identity questions). Correct the id in the "
                             "worksheet that is not theirs, and score again.")
        for line, users in sorted(withheld.items()):
            row = next(r for r in override_rows if r.line == line)
            notes.append(f"Override on line {line} for {row.learner_id} ({row.exercise}) not "
                         f"applied: the worksheets of more than one LMS user "
                         f"({', '.join(sorted(users))}) give that learner id, so it cannot "
                         "say whose work it is (see Identity questions). Give the points by "
                         "LMS user id instead.")
    for (learner, exercise), rows in sorted(by_learner.items()):
        if (learner, exercise) not in applied:
            notes.extend(f"Override on line {r.line} for {r.learner_id} ({r.exercise}) not "
                         "applied: no such submission." for r in rows)

    final.sort(key=lambda e: (e.learner_name.casefold(), e.learner_id, e.learner_key,
                              e.exercise, e.source))
    set_aside.sort(key=lambda s: (s.entry.learner_key, s.entry.exercise, s.entry.order))
    return ClassResult(tuple(final), tuple(set_aside), override_notes=tuple(notes),
                       late_policy="" if late_policy.is_default() else late_policy.describe())


def _most_said(values: Iterable[str]) -> str:
    """The value said most often (the first said, on a tie); "" when none was."""
    said = [value for value in values if value]
    if not said:
        return ""
    counts = Counter(said)
    return max(dict.fromkeys(said), key=lambda value: counts[value])


def settle(entries: list[Summary]) -> list[Summary]:
    """Identity a learner cannot forge, decided before resubmissions are grouped.

    * From an LMS export, the export's user id decides whose work a file is. A
      learner id that the worksheets of two LMS users both give is contested: each
      such file is shown under its LMS user id instead, with an identity question
      (a learner wrote a classmate's student number, by mistake or not).
    * In a plain folder, where the worksheet's id is all there is, worksheets giving
      one id with different names are kept apart as different learners, with an
      identity question, rather than merged: otherwise one could set aside the
      other's work as an "older resubmission".

    The rows were rendered before the class was known, so the questions raised here
    travel as ``added_notes`` and are added as the rows are copied (pipeline.py).
    """
    claimed: dict[str, set[str]] = defaultdict(set)
    names_under: dict[str, dict[str, str]] = defaultdict(dict)
    for entry in entries:
        said = identity.normalise_key(entry.stated[1])
        if entry.lms_id and said:
            claimed[said].add(entry.lms_id)
        if not entry.lms_id and entry.learner_key.startswith("id:") and entry.stated[0]:
            letters = identity.name_letters(entry.stated[0])
            names_under[entry.learner_key].setdefault(letters, entry.stated[0])
    settled = []
    for entry in entries:
        said = identity.normalise_key(entry.stated[1])
        if entry.lms_id and said and len(claimed[said]) > 1:
            others = ", ".join(sorted(claimed[said] - {entry.lms_id}))
            note = (f"Identity: the worksheet gives the learner id '{entry.stated[1]}', which "
                    f"the worksheets of another LMS user ({others}) give too. The export's "
                    f"user id ({entry.lms_id}) decides whose work this is; please check.")
            # Overrides keyed by the contested id reach neither: the outcome without
            # them was rendered beside this one (make_entry), and takes its place.
            entry = (entry.if_contested or entry)._replace(
                stated=(entry.stated[0], ""), learner_id=entry.lms_id,
                rendered_as=entry.rendered_as or (entry.learner_name, entry.learner_id),
                identity_notes=(*entry.identity_notes, note),
                added_notes=(*entry.added_notes, note), contested_id=entry.stated[1],
                if_contested=None)
        elif len(names_under.get(entry.learner_key, {})) > 1:
            names = ", ".join(sorted(names_under[entry.learner_key].values()))
            note = (f"Identity: worksheets giving the id '{entry.learner_id}' name different "
                    f"people ({names}); they are kept apart as different learners; "
                    "please check.")
            letters = identity.name_letters(entry.stated[0]) or "unnamed"
            entry = entry._replace(learner_key=f"{entry.learner_key}|{letters}",
                                   identity_notes=(*entry.identity_notes, note),
                                   added_notes=(*entry.added_notes, note))
        if entry.if_contested is not None:
            entry = entry._replace(if_contested=None)  # uncontested: not needed
        settled.append(entry)
    return settled


def reconcile(entries: list[Summary]) -> list[Summary]:
    """One identity per learner: every submission of a learner (one LMS user, or one
    id) carries the same name and id, whatever became of each file.

    A learner's PDF or blank file says no name, so its rows were rendered with what
    its file name says ("evansgareth", no student number) beside the worksheets
    that name "Gareth Evans" and "S24005". The name and id the learner's worksheets
    state most often win (the first stated, on a tie); with none stated, the first
    submission's. Submissions that change are marked (``rendered_as``) so that the
    rows already rendered are corrected as they are copied (workbook/pipeline.py).
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for index, entry in enumerate(entries):
        groups[entry.learner_key].append(index)
    settled = list(entries)
    for indexes in groups.values():
        group = [entries[i] for i in indexes]
        name = _most_said(e.stated[0] for e in group) or group[0].learner_name
        learner_id = _most_said(e.stated[1] for e in group) or group[0].learner_id
        for i in indexes:
            entry = entries[i]
            if (entry.learner_name, entry.learner_id) != (name, learner_id):
                settled[i] = entry._replace(learner_name=name, learner_id=learner_id,
                                            rendered_as=(entry.learner_name,
                                                         entry.learner_id))
    return settled


def find_similar(result: ClassResult,
                 threshold: float = similarity.DEFAULT_THRESHOLD) -> ClassResult:
    """``result`` with its pairs of counted submissions whose free text is alike."""
    final = result.entries
    sketches = ((i, e.exercise, e.learner_key, e.sketch) for i, e in enumerate(final))
    pairs = similarity.similar_pairs(sketches, threshold)
    similar = tuple(Similar(p.exercise, final[p.first], final[p.second], p.similarity)
                    for p in pairs)
    return replace(result, similar=similar, threshold=threshold)
