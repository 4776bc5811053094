"""The steps of a class run, and where each runs; :mod:`workbook.class_run` puts them in order.

1. **In the workers** (or this process, with one job), per submission: read, load,
   check, score, sketch for similarity (:func:`workbook.batch.grade_many`), identify
   the learner and apply the instructor's overrides
   (:func:`workbook.gradebook.make_entry`), then render the submission's own rows at
   once: its results.json object, its grades.csv row and its sections of the
   feedback pages (:func:`render_parts`). The rows go to the worker's spool
   (:mod:`workbook.spool`); what travels back is a :class:`~workbook.records.Summary`
   of a few hundred bytes (:func:`grade_class`).
2. **In this process**, for the class: resubmissions, overrides accounted for and
   order (:func:`workbook.gradebook.collect`, grouping summaries as they arrive).
3. **In the workers again**, per learner: each learner's two feedback pages, from
   their spooled sections (:func:`start_feedback`), while this process compares the
   class for similarity (:func:`workbook.gradebook.find_similar`) and writes
   results.json, grades.csv, report.html and canvas.csv (:func:`write_reports`),
   assembled from the summaries and the spooled rows, which are only copied.

Every row is rendered by the same function whatever the number of jobs, and the
reports take them in the class's order, so the outputs are identical for any
``--jobs``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workbook import gradebook
from workbook.batch import Workers, grade_many
from workbook.catalog import Catalog, load_catalog
from workbook.files import atomic_stream, write_atomic, write_many
from workbook.intake import Submission
from workbook.late import LatePolicy
from workbook.loader import DEFAULT_LIMITS, Limits
from workbook.overrides import Override
from workbook.records import ClassResult, Entry, Location, Summary, summarise
from workbook.reporters import feedback, grades_csv, lms_returns, results_json
from workbook.reporters.outputs import SUBMISSION_PARTS, class_files
from workbook.spool import GRADES, HTML, MARKDOWN, RESULTS, Reader, Writer

PageInfo = tuple[str, str, str, list[Location], tuple[str, ...]]
PageTask = tuple[str, list[PageInfo]]
GRADE_CHUNK = 128  # submissions per task: enough to make a task's overhead small
PAGE_CHUNK = 256  # learners per feedback task


@dataclass(frozen=True)
class Setup:
    """What every process needs to grade and render: given once to each worker.

    The course content goes as its folder, not as the loaded catalog (whose
    compiled checks do not pickle): a forked worker finds the parent's catalog in
    :func:`~workbook.catalog.load_catalog`'s per-process cache, loaded already, and
    only a spawned one (macOS, Windows) loads it again.
    """

    content: Path
    spool: str
    limits: Limits = DEFAULT_LIMITS
    pattern: re.Pattern[str] | None = None
    overrides: tuple[Override, ...] = ()
    late_policy: LatePolicy = field(default_factory=LatePolicy)


@dataclass
class _Process:
    """What one process keeps between tasks: its catalog, its overrides by learner,
    and its own spool file to write and every spool to read."""

    setup: Setup
    catalog: Catalog
    overrides: gradebook.OverrideIndex
    writer: Writer
    reader: Reader = field(init=False)

    def __post_init__(self) -> None:
        self.reader = Reader(self.setup.spool)


# Per process, set by ``start`` in each worker (and in the parent with one job): the
# tasks a pool runs are module-level functions, so this is where they find it.
_state: _Process | None = None


def start(setup: Setup) -> None:
    """Set up this process (a worker, or the parent with one job)."""
    global _state
    stop()
    _state = _Process(setup, load_catalog(setup.content),
                      gradebook.index_overrides(setup.overrides), Writer(setup.spool))


def stop() -> None:
    """Close this process's spool files (the parent's, with one job).

    The state is forgotten first, so that a failed close (a full disk) leaves none
    behind for the next run in this process, or for workers forked from it.
    """
    global _state
    state, _state = _state, None
    if state is not None:
        try:
            state.writer.close()
        finally:
            state.reader.close()


def _current() -> _Process:
    assert _state is not None, "pipeline.start() was not called in this process"
    return _state


def render_parts(entry: Entry, catalog: Catalog) -> tuple[bytes, bytes, bytes, bytes]:
    """A submission's own rows, in the spool's order (see
    :data:`workbook.reporters.outputs.SUBMISSION_PARTS`)."""
    results, grades, markdown, html = SUBMISSION_PARTS
    return (results(entry, catalog), grades(entry, catalog), markdown(entry, catalog),
            html(entry, catalog))


def _grade_chunk(chunk: list[tuple[int, Submission]]) -> list[Summary]:
    """Grade, identify and render some submissions, stage by stage (see ``grade_many``)."""
    state = _current()
    setup, catalog = state.setup, state.catalog
    graded = grade_many((submission for _, submission in chunk), catalog, setup.limits)
    entries = [gradebook.make_entry(order, path, result, sketch, setup.pattern, state.overrides,
                                    catalog.named_in(path) if result.exercise is None else None,
                                    submission.when, setup.late_policy)
               for (order, submission), (path, result, sketch)
               in zip(chunk, graded, strict=True)]
    summaries = [_spooled_summary(entry, catalog, state.writer) for entry in entries]
    state.writer.flush()  # before anyone is told where the rows are
    return summaries


def _spooled_summary(entry: Entry, catalog: Catalog, writer: Writer) -> Summary:
    """``entry``'s rows rendered into the spool, and its summary; the same for the
    outcome it would have if the learner id it states proves contested
    (gradebook.make_entry), which the class decides (gradebook.settle)."""
    summary = summarise(entry, writer.add(render_parts(entry, catalog)))
    if entry.if_contested is not None:
        summary = summary._replace(
            if_contested=_spooled_summary(entry.if_contested, catalog, writer))
    return summary


def grade_class(submissions: Iterable[Submission], workers: Workers[Setup]) -> Iterator[Summary]:
    """A summary of every submission, in input order."""

    def chunks() -> Iterator[list[tuple[int, Submission]]]:
        numbered = enumerate(submissions)
        while chunk := list(itertools.islice(numbered, GRADE_CHUNK)):
            yield chunk

    for summaries in workers.map(_grade_chunk, chunks()):
        yield from summaries


def _location(entry: Summary) -> Location:
    assert entry.location is not None, "summaries from grade_class have spooled rows"
    return entry.location


def _pages_chunk(task: PageTask) -> list[str]:
    """Write the feedback pages of some learners: (stem, label, learner id, locations,
    notes about the class's decisions that concern them)."""
    folder, learners = task
    reader = _current().reader
    files: list[tuple[str, bytes]] = []
    for stem, label, learner_id, locations, notes in learners:
        markdown, html = [], []
        for location in locations:
            both = reader.read(location, MARKDOWN, HTML)
            split = location.sizes[MARKDOWN]
            markdown.append(both[:split].decode("utf-8"))
            html.append(both[split:].decode("utf-8"))
        files.extend(feedback.pages(stem, label, learner_id, markdown, html, notes))
    return write_many(Path(folder), files)


def _page_tasks(folder: Path, result: ClassResult) -> list[PageTask]:
    """The feedback pages to write, some learners at a time, in the class's order."""
    learners = result.learners()
    names = feedback.assign_names(learners, learners)
    # A late file set aside under the on-time policy: its learner is told why.
    told: dict[str, list[str]] = {}
    for aside in result.set_aside:
        if "late policy" in aside.reason:
            told.setdefault(aside.entry.learner_key, []).append(
                f"Your late {aside.entry.exercise} was not counted: {result.late_policy}")
    batch: list[PageInfo] = []
    tasks: list[PageTask] = []
    for key, entries in learners.items():
        batch.append((names[key], entries[0].label, entries[0].learner_id,
                      [_location(e) for e in entries], tuple(told.get(key, ()))))
        if len(batch) == PAGE_CHUNK:
            tasks.append((str(folder), batch))
            batch = []
    if batch:
        tasks.append((str(folder), batch))
    return tasks


@dataclass(frozen=True)
class Pages:
    """Feedback pages on their way: the workers write them while this process goes on."""

    folder: Path
    written: Iterator[list[str]]  # each task's file names, once it is done


def start_feedback(folder: Path, result: ClassResult, workers: Workers[Setup]) -> Pages:
    """Hand every learner's feedback pages to the workers, before anything else is written.

    ``folder`` exists (the run made it when it checked ``--out``). The pages need
    the class's order and its learners (:func:`workbook.gradebook.collect`), not its
    similarity pairs, which this process can work out while they write. All the
    tasks are sent at once; with one job, the pages are written when
    ``write_reports`` asks for them, after the other reports.
    """
    return Pages(folder, workers.start(_pages_chunk, _page_tasks(folder, result)))


def _spooled(reader: Reader, part: int) -> Callable[[Summary], bytes]:
    """A submission's rendered ``part``, read back from the spool (a results.json
    object given its learner's one identity, see gradebook.reconcile)."""
    return lambda entry: _settled(entry, part, reader.read(_location(entry), part))


def _settled(entry: Summary, part: int, row: bytes) -> bytes:
    """A row rendered in a worker, with what the class settled since (the learner's one
    identity, identity questions: workbook.gradebook's settle and reconcile)."""
    if entry.rendered_as is None and not entry.added_notes:
        return row
    if part == GRADES:
        return grades_csv.with_identity(row, entry.learner_id, entry.learner_name,
                                        entry.added_notes)
    if part == RESULTS:
        return results_json.with_identity(row, entry.learner_id, entry.learner_name,
                                          entry.added_notes)
    return row


def write_json(stream: results_json.ByteSink, result: ClassResult, spooled: str) -> None:
    """results.json to ``stream``, its rows read back from the run's spool folder."""
    reader = Reader(spooled)
    try:
        results_json.write_to(stream, result, _spooled(reader, RESULTS))
    finally:
        reader.close()


def write_reports(out: Path, result: ClassResult, catalog: Catalog, assignment: str | None,
                  spooled: str, pages: Pages) -> None:
    """Every output but the feedback pages, atomically and row by row (the rows read
    back from the run's spool folder); then wait for the pages (see
    :func:`start_feedback`) and remove stale ones."""
    reader = Reader(spooled)
    try:
        with atomic_stream(out / "grades.csv") as grades, \
                atomic_stream(out / "results.json") as results:
            grades.write(grades_csv.header())

            def both(entry: Summary) -> bytes:
                # A submission's results.json row and grades.csv row lie side by side
                # in the spool: one read gives both, and the grades row goes out here.
                location = _location(entry)
                rows = reader.read(location, RESULTS, GRADES)
                grades.write(_settled(entry, GRADES, rows[location.sizes[RESULTS] :]))
                return _settled(entry, RESULTS, rows[: location.sizes[RESULTS]])

            results_json.write_to(results, result, both)
    finally:
        reader.close()
    files = ["grades.csv", "results.json"]
    for report in class_files(assignment, result):
        write_atomic(out / report.name, report.render(result, catalog))
        files.append(report.name)
    feedback_folder = pages.folder.relative_to(out).as_posix()
    files += [f"{feedback_folder}/{name}" for written in pages.written for name in written]
    files += _write_lms_returns(out, pages.folder, result, catalog)
    replace_outputs(out, files)


def _write_lms_returns(out: Path, folder: Path, result: ClassResult,
                       catalog: Catalog) -> list[str]:
    """The LMS's own bulk files (:mod:`workbook.reporters.lms_returns`), from the
    feedback pages just written; the names of those written."""
    learners = result.learners()
    stems = feedback.assign_names(learners, learners)

    def page(key: str) -> bytes:
        return (folder / f"{stems[key]}.html").read_bytes()

    written = []
    for name, data in (("canvas-feedback.zip", lms_returns.canvas_feedback(result, page)),
                       ("moodle-grades.csv", lms_returns.moodle_grades(result, catalog)),
                       ("moodle-feedback.zip", lms_returns.moodle_feedback(result, page))):
        if data is not None:
            write_atomic(out / name, data)
            written.append(name)
    return written


MANIFEST = ".workbook-outputs"  # in --out: every file the last run wrote, one per line


def written_before(out: Path) -> list[str] | None:
    """The files the last run wrote into ``out``, or None if no run wrote there."""
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return [line for line in text.split("\n") if line]


def replace_outputs(out: Path, files: list[str]) -> None:
    """Record ``files`` as this run's outputs, and remove the last run's that this run
    did not write again (a canvas.csv not asked for this time, the feedback of a
    learner no longer in the class): nothing stale survives to mislead. Only files a
    run wrote are ever removed; anything else in the folder is the instructor's."""
    previous = written_before(out) or []
    keep = set(files)
    for name in previous:
        if name not in keep and "/.." not in f"/{name}" and not name.startswith("/"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(out / name)
    write_atomic(out / MANIFEST, "".join(f"{name}\n" for name in sorted(keep)).encode())


__all__ = ["Pages", "Setup", "grade_class", "render_parts", "start", "start_feedback", "stop",
           "write_json", "write_reports"]
