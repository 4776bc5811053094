"""``workbook score`` and ``workbook gradescope`` on the command line: parse, call, print.

The class run itself, from inputs to every output, is :mod:`workbook.class_run`.
Nothing modifies an input, and nothing written depends on the clock or on
``--jobs``, so a rerun gives byte-identical files.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from workbook import similarity
from workbook.catalog import Catalog
from workbook.problems import WorkbookError
from workbook.reporters import text

if TYPE_CHECKING:
    from workbook.class_run import Options
    from workbook.records import ClassResult

# The batch side (the run, its pool and spool) is imported by the commands that use
# it, so that `workbook check` and `workbook list`, which load this module for its
# arguments, do not pay for it.

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
PROGRESS_AFTER = 50  # submissions; smaller batches finish before a bar would help
T = TypeVar("T")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="worksheet files, folders (searched recursively) and .zip exports")
    parser.add_argument("--out", metavar="DIR",
                        help="write grades.csv, results.json, feedback/ and report.html here "
                             "(without it: a table on the terminal)")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="worker processes (default 1; results are identical for any N)")
    parser.add_argument("--id-pattern", metavar="REGEX",
                        help="regular expression with named groups name, id, late, submission, "
                             "searched in each file's path to identify learners")
    parser.add_argument("--overrides", metavar="CSV",
                        help="points given by hand: learner_id, exercise, criterion, points, "
                             "comment")
    parser.add_argument("--canvas-assignment", metavar='"NAME (ID)"',
                        help="also write canvas.csv for this Canvas assignment")
    parser.add_argument("--similarity-threshold", type=float, metavar="X",
                        default=similarity.DEFAULT_THRESHOLD,
                        help="flag pairs whose free text shares at least this share of "
                             f"three-word phrases (0 to 1, default {similarity.DEFAULT_THRESHOLD})")
    parser.add_argument("--late", choices=("latest", "on-time"), default="latest",
                        help="which of a learner's submissions of an exercise counts: the "
                             "latest (default), or the latest made on time")
    parser.add_argument("--due", metavar="DATE",
                        help="the deadline, e.g. 2026-12-01T17:00 (a date alone means the end "
                             "of that day); files the export dates later are late")
    parser.add_argument("--late-deduction", type=float, metavar="PERCENT",
                        help="take this percentage of the points off late work for each day "
                             "or part of a day after --due")
    parser.add_argument("--fail-on-invalid", action="store_true",
                        help="exit 1 when any submission could not be scored")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="terminal output without --out: a table, or results.json")


def _fail(message: str) -> int:
    sys.stderr.write(f"workbook: {message}\n")
    return EXIT_USAGE


def _progress(graded: Iterator[T], stream: TextIO) -> Iterator[T]:
    """A progress bar on a terminal, once a batch is big enough to need one."""
    if not stream.isatty():
        yield from graded
        return
    from tqdm import tqdm  # only imported when a person is watching

    bar = None
    for count, item in enumerate(graded, start=1):
        if bar is None and count >= PROGRESS_AFTER:
            bar = tqdm(desc="Scoring", unit=" files", file=stream, initial=count - 1,
                       leave=False)
        if bar is not None:
            bar.update(1)
        yield item
    if bar is not None:
        bar.close()


def run_score(args: argparse.Namespace, catalog: Catalog) -> int:
    """Parse, run (:func:`workbook.class_run.run`), print what happened."""
    from concurrent.futures.process import BrokenProcessPool

    from workbook import class_run

    started = time.perf_counter()
    try:
        options = class_run.parse_options(args, catalog)
    except class_run.UsageError as error:
        return _fail(str(error))
    except WorkbookError as error:
        sys.stderr.write("workbook: the overrides file has problems:\n")
        sys.stderr.write(text.render_problems(error.problems))
        return EXIT_USAGE
    try:
        result = class_run.run(options, catalog, sys.stdout,
                               lambda summaries: _progress(summaries, sys.stderr))
    except class_run.UsageError as error:
        return _fail(str(error))
    except BrokenPipeError:
        raise  # the terminal's reader went away: workbook.cli ends quietly
    except OSError as exc:  # writing the outputs, or the run's spool (a full disk, ...)
        import tempfile  # only to name where the spool went; `check` never loads it

        where = exc.filename or options.out or f"the temporary folder {tempfile.gettempdir()}"
        return _fail(f"cannot write to {where}: {exc.strerror or exc}")
    except BrokenProcessPool:
        return _fail("a worker process stopped before finishing (killed, or out of memory?); "
                     "files already written are complete, the rest were not written. "
                     "Run again, with fewer --jobs if memory is short.")
    _report(result, options, catalog, time.perf_counter() - started)
    not_scored = sum(count for status, count in result.counts().items() if status != "scored")
    return EXIT_INVALID if options.fail_on_invalid and not_scored else EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _report(result: ClassResult, options: Options, catalog: Catalog, elapsed: float) -> None:
    """What happened, on stderr: counts, what was set aside or flagged, where to look."""
    counts = result.counts()
    summary = ", ".join(f"{count} {status}" for status, count in counts.items() if count)
    extra = [f"{len(result.set_aside)} set aside as resubmitted"] if result.set_aside else []
    extra += [_count(len(result.similar), "similarity flag")] if result.similar else []
    extra += [_count(len(result.skipped), "file") + " skipped"] if result.skipped else []
    sys.stderr.write(f"Scored {_count(len(result.entries), 'submission')} from "
                     f"{_count(len(result.learners()), 'learner')} "
                     f"in {elapsed:.1f} s: {summary or 'nothing'}"
                     + (f"; {'; '.join(extra)}" if extra else "") + ".\n")
    if result.late_policy:
        sys.stderr.write(f"Late work: {result.late_policy}\n")
    if options.out is not None:
        sys.stderr.write(f"Report: {options.out / 'report.html'}\n")
    if options.out is not None and options.canvas_assignment:
        from workbook.reporters import canvas

        sys.stderr.write(canvas.column_note(result, catalog, options.canvas_assignment) + "\n")
    for note in result.override_notes:
        sys.stderr.write(f"note: {note}\n")


def add_gradescope_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default="/autograder/submission", metavar="PATH",
                        help="the submission folder (default: /autograder/submission)")
    parser.add_argument("--out", default="/autograder/results/results.json", metavar="FILE",
                        help="where Gradescope reads results "
                             "(default: /autograder/results/results.json)")


def run_gradescope(args: argparse.Namespace, catalog: Catalog) -> int:
    from workbook import intake
    from workbook.batch import grade_all
    from workbook.files import write_atomic
    from workbook.reporters import gradescope
    from workbook.reporters.common import number

    if not os.path.exists(args.path):
        return _fail(f"not found: {args.path}")
    results = [result for _, result, _ in
                                  grade_all(intake.iter_inputs([args.path]), catalog)]
    data = gradescope.render(results, catalog)
    target = Path(args.out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    except OSError as exc:
        return _fail(f"cannot write {target}: {exc.strerror}")
    total = sum(r.score.points for r in results if r.score)
    sys.stderr.write(f"Wrote {target}: {len(results)} worksheet(s), "
                     f"automatic score {number(total)}.\n")
    return EXIT_OK
