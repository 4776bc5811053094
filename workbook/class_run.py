"""A class run, start to finish: read this module first.

``workbook score class.zip --out out --jobs 2`` comes here as :class:`Options`
(parsed and checked once, by :func:`parse_options`), and :func:`run` takes it from
the inputs to every output, in this order:

1. check that ``--out`` can be written (and is not inside the submissions), and
   make ``out/feedback``;
2. open the run's spool folder (:mod:`workbook.spool`) and the worker pool
   (:class:`workbook.batch.Workers`, ``--jobs`` processes, or this one);
3. grade every submission in the workers, which render each one's rows into the
   spool and send back a summary (:func:`workbook.pipeline.grade_class`);
4. put the class in order as the summaries arrive: resubmissions set aside,
   overrides accounted for (:func:`workbook.gradebook.collect`);
5. with ``--out``: hand the feedback pages to the workers
   (:func:`workbook.pipeline.start_feedback`), compare the class for similarity
   meanwhile (:func:`workbook.gradebook.find_similar`), then write results.json,
   grades.csv, report.html and canvas.csv (:func:`workbook.pipeline.write_reports`);
   without it, the class as a table or as results.json on the terminal.

The result is a :class:`~workbook.records.ClassResult`; the records a submission
passes through are in :mod:`workbook.records`, which says why each exists. The
command line (:mod:`workbook.score_command`) only parses, calls and prints.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from workbook import gradebook, intake, overrides, pipeline, spool
from workbook.batch import Workers
from workbook.catalog import Catalog
from workbook.intake import Item, Skipped, Submission
from workbook.late import LatePolicy, parse_due
from workbook.loader import DEFAULT_LIMITS, Limits
from workbook.records import ClassResult, Summary
from workbook.reporters import text
from workbook.similarity import DEFAULT_THRESHOLD


class UsageError(Exception):
    """A run that cannot start, or found nothing to score: one sentence for the user."""


@dataclass(frozen=True)
class Options:
    """Everything a class run is told, checked (see :func:`parse_options`)."""

    paths: tuple[str, ...]
    out: Path | None = None  # None: the class goes to the terminal
    jobs: int = 1
    pattern: re.Pattern[str] | None = None  # --id-pattern
    overrides: tuple[overrides.Override, ...] = ()
    canvas_assignment: str | None = None
    threshold: float = DEFAULT_THRESHOLD  # --similarity-threshold
    terminal_format: str = "text"  # without --out: "text" (a table) or "json"
    fail_on_invalid: bool = False
    limits: Limits = DEFAULT_LIMITS
    late_policy: LatePolicy = field(default_factory=LatePolicy)  # --late, --due, ...


def parse_options(args: argparse.Namespace, catalog: Catalog) -> Options:
    """The command line's answers as :class:`Options`.

    Raises :class:`UsageError` for a missing input or a value out of range, and
    :class:`~workbook.problems.WorkbookError` for an overrides file with mistakes
    (its problems name the line).
    """
    missing = intake.missing_paths(args.paths)
    if missing:
        raise UsageError(f"not found: {', '.join(missing)}")
    if args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    if not 0 < args.similarity_threshold <= 1:
        raise UsageError("--similarity-threshold must be between 0 and 1")
    pattern = _id_pattern(args.id_pattern) if args.id_pattern is not None else None
    if args.canvas_assignment is not None:
        _check_canvas_title(args.canvas_assignment, args.out)
    rows: list[overrides.Override] = []
    if args.overrides:
        try:
            with open(args.overrides, encoding="utf-8-sig") as handle:
                rows = overrides.parse(handle.read(), args.overrides, catalog)
        except OSError as exc:
            raise UsageError(f"cannot read {args.overrides}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise UsageError(
                f"{args.overrides} is not UTF-8 text; save it as UTF-8 CSV") from None
    return Options(
        late_policy=_late_policy(args),
        paths=tuple(args.paths), out=Path(args.out) if args.out else None, jobs=args.jobs,
        pattern=pattern, overrides=tuple(rows), canvas_assignment=args.canvas_assignment,
        threshold=args.similarity_threshold, terminal_format=args.format,
        fail_on_invalid=args.fail_on_invalid)


ID_GROUPS = ("name", "id", "late", "submission")  # workbook.identity reads these
# Canvas names an existing assignment's column "Title (id)" in its gradebook export, and
# matches an import's column on that id; a title without it makes a new column.
CANVAS_TITLE = re.compile(r".*\S.*\(\d+\)\s*$", re.DOTALL)


def _id_pattern(text: str) -> re.Pattern[str]:
    """``--id-pattern``, compiled, with the named groups it needs: ``id`` or ``name``
    at least (without either, every file would be a learner of its own), and no
    group the run would silently ignore."""
    try:
        pattern = re.compile(text)
    except re.error as exc:
        raise UsageError(f"--id-pattern is not a valid regular expression: {exc}") from None
    groups = set(pattern.groupindex)
    unknown = sorted(groups - set(ID_GROUPS))
    if unknown:
        raise UsageError(
            f"--id-pattern has the group(s) {', '.join(unknown)}, which mean nothing here; "
            f"the groups read are {', '.join(ID_GROUPS)}, e.g. (?P<id>\\d+)")
    if not groups & {"id", "name"}:
        raise UsageError(
            "--id-pattern needs a named group (?P<id>...) or (?P<name>...) saying which part "
            "of the file name is the learner, e.g. '(?P<id>s\\d+)-(?P<name>[a-z]+)'")
    return pattern


def _late_policy(args: argparse.Namespace) -> LatePolicy:
    """``--late``, ``--due`` and ``--late-deduction`` as one policy, or why not."""
    due = None
    if args.due:
        try:
            due = parse_due(args.due)
        except ValueError:
            raise UsageError(f"--due {args.due!r} is not a date such as 2026-12-01 or "
                             "2026-12-01T17:00") from None
    deduction = args.late_deduction or 0.0
    if not 0 <= deduction <= 100:
        raise UsageError("--late-deduction is a percentage of the points per day, 0 to 100")
    if deduction and due is None:
        raise UsageError("--late-deduction needs --due: the deadline the days late are "
                         "counted from")
    if deduction and args.late == "on-time":
        raise UsageError("choose one late policy: --late on-time, or --late-deduction")
    return LatePolicy(keep=args.late, due=due, deduction=deduction)


def _check_canvas_title(title: str, out: str | None) -> None:
    """``--canvas-assignment`` must name an existing Canvas assignment, and has a file
    to go to."""
    if not CANVAS_TITLE.fullmatch(title):
        shown = title.strip() or "(empty)"
        raise UsageError(
            f"--canvas-assignment {shown!r} has no assignment id in brackets; Canvas would "
            "make a new column instead of filling the assignment's. Copy the column's title "
            "from a Canvas gradebook export, e.g. \"Networking portfolio (1001)\"")
    if not out:
        raise UsageError("--canvas-assignment writes canvas.csv into the --out folder; "
                         "add --out DIR")


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
    except ValueError:
        return False
    return True


def _prepare(out: Path, paths: Iterable[str]) -> None:
    """Refuse an ``out`` inside a submissions folder (inputs are never touched), or one
    holding files no run wrote (see :func:`workbook.pipeline.replace_outputs`), and
    make ``out/feedback``, proving on the way that ``out`` can be written."""
    resolved = out.resolve()
    for path in paths:
        if os.path.isdir(path) and _inside(resolved, Path(path).resolve()):
            raise UsageError(f"--out {out} is inside the submissions folder {path}; "
                             "choose a folder outside it, so inputs are never touched")
    if out.is_dir() and pipeline.written_before(out) is None:
        with os.scandir(out) as listing:
            if any(True for _ in listing):
                raise UsageError(
                    f"--out {out} already holds files that no workbook run wrote; choose a "
                    "new or empty folder, so that nothing of yours is overwritten or mixed "
                    "with this run's outputs")
    feedback = out / "feedback"
    if feedback.is_symlink() or (feedback.exists() and not feedback.is_dir()):
        raise UsageError(f"{feedback} is a link or a file, not a folder of this tool's; "
                         "remove it, or choose another --out, so pages go nowhere else")
    try:
        feedback.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {out}: {exc.strerror}") from None
    if not os.access(out, os.W_OK):
        raise UsageError(f"cannot write to {out}")
    if pipeline.written_before(out) is None:  # the folder is ours from now on, even if
        pipeline.replace_outputs(out, [])      # this run is interrupted before its end


class _Intake:
    """The submissions among the inputs, in order, keeping aside what is skipped."""

    def __init__(self, items: Iterable[Item]) -> None:
        self._items = items
        self.skipped: list[Skipped] = []

    def __iter__(self) -> Iterator[Submission]:
        for item in self._items:
            if isinstance(item, Skipped):
                self.skipped.append(item)
            else:
                yield item


class _TextSink:
    """Bytes written to a text stream: results.json on the terminal, row by row."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        return self.stream.write(data.decode("utf-8"))  # each piece is whole UTF-8


def _unchanged(summaries: Iterator[Summary]) -> Iterator[Summary]:
    return summaries


def run(options: Options, catalog: Catalog, terminal: TextIO,
        progress: Callable[[Iterator[Summary]], Iterator[Summary]] = _unchanged) -> ClassResult:
    """Score the class and write every output (without ``out``: to ``terminal``).

    ``progress`` sees each summary as it arrives (a progress bar). Raises
    :class:`UsageError` when ``out`` cannot be used or there is nothing to score;
    ``OSError`` when writing fails (outputs already written are complete) and
    ``BrokenProcessPool`` when a worker dies.
    """
    out = options.out
    if out is not None:
        _prepare(out, options.paths)
    inputs = _Intake(intake.iter_inputs(options.paths, options.limits, pattern=options.pattern))
    with spool.folder(str(out) if out is not None else None) as spooled:
        setup = pipeline.Setup(catalog.root, spooled, options.limits, options.pattern,
                               options.overrides, options.late_policy)
        with Workers(options.jobs, pipeline.start, setup, pipeline.stop) as workers:
            summaries = progress(pipeline.grade_class(inputs, workers))
            result = gradebook.collect(summaries, options.overrides, options.late_policy)
            result = replace(result, skipped=tuple(inputs.skipped))  # all read by now
            if not result.entries and not result.skipped:
                raise UsageError("no worksheets found in " + ", ".join(options.paths))
            if out is None:
                result = gradebook.find_similar(result, options.threshold)
                if options.terminal_format == "json":
                    pipeline.write_json(_TextSink(terminal), result, spooled)
                else:
                    terminal.write(text.render_class(result))
                return result
            pages = pipeline.start_feedback(out / "feedback", result, workers)
            result = gradebook.find_similar(result, options.threshold)  # as pages are written
            pipeline.write_reports(out, result, catalog, options.canvas_assignment, spooled,
                                   pages)
    return result
