"""``workbook score`` and ``workbook gradescope``: the batch side of the command line.

I/O lives here: reading inputs through :mod:`workbook.intake`, then grading,
assembling and writing each report atomically through :mod:`workbook.pipeline`.
Nothing here modifies an input, and nothing written depends on the clock or on
``--jobs``, so a rerun gives byte-identical files.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import TextIO, TypeVar

from workbook import gradebook, intake, overrides, pipeline, similarity, spool
from workbook.batch import Workers, grade_all
from workbook.catalog import Catalog
from workbook.files import write_atomic
from workbook.problems import WorkbookError
from workbook.reporters import gradescope, text
from workbook.reporters.common import number
from workbook.worksheet import CheckResult

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


class _TextSink:
    """Bytes written to a text stream: results.json on the terminal, row by row."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        return self.stream.write(data.decode("utf-8"))  # each piece is whole UTF-8


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
    except ValueError:
        return False
    return True


def run_score(args: argparse.Namespace, catalog: Catalog) -> int:
    started = time.perf_counter()
    missing = intake.missing_paths(args.paths)
    if missing:
        return _fail(f"not found: {', '.join(missing)}")
    if args.jobs < 1:
        return _fail("--jobs must be 1 or more")
    if not 0 < args.similarity_threshold <= 1:
        return _fail("--similarity-threshold must be between 0 and 1")
    pattern = None
    if args.id_pattern:
        try:
            pattern = re.compile(args.id_pattern)
        except re.error as exc:
            return _fail(f"--id-pattern is not a valid regular expression: {exc}")
    rows: list[overrides.Override] = []
    if args.overrides:
        try:
            with open(args.overrides, encoding="utf-8-sig") as handle:
                rows = overrides.parse(handle.read(), args.overrides, catalog)
        except OSError as exc:
            return _fail(f"cannot read {args.overrides}: {exc.strerror}")
        except UnicodeDecodeError:
            return _fail(f"{args.overrides} is not UTF-8 text; save it as UTF-8 CSV")
        except WorkbookError as error:
            sys.stderr.write("workbook: the overrides file has problems:\n")
            sys.stderr.write(text.render_problems(error.problems))
            return EXIT_USAGE
    out = Path(args.out) if args.out else None
    if out is not None:
        resolved = out.resolve()
        for path in args.paths:
            if os.path.isdir(path) and _inside(resolved, Path(path).resolve()):
                return _fail(f"--out {out} is inside the submissions folder {path}; "
                             "choose a folder outside it, so inputs are never touched")
        try:
            (out / "feedback").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return _fail(f"cannot create {out}: {exc.strerror}")
        if not os.access(out, os.W_OK):
            return _fail(f"cannot write to {out}")

    try:
        return _score(args, catalog, pattern, rows, out, started)
    except BrokenPipeError:
        raise  # the terminal's reader went away: workbook.cli ends quietly
    except OSError as exc:  # writing the outputs, or the run's spool (a full disk, ...)
        where = exc.filename or out or f"the temporary folder {tempfile.gettempdir()}"
        return _fail(f"cannot write to {where}: {exc.strerror or exc}")
    except BrokenProcessPool:
        return _fail("a worker process stopped before finishing (killed, or out of memory?); "
                     "files already written are complete, the rest were not written. "
                     "Run again, with fewer --jobs if memory is short.")


def _score(args: argparse.Namespace, catalog: Catalog, pattern: re.Pattern[str] | None,
           rows: list[overrides.Override], out: Path | None, started: float) -> int:
    skipped: list[intake.Skipped] = []
    with spool.folder(str(out) if out is not None else None) as spooled:
        setup = pipeline.Setup(catalog.root, spooled, pattern=pattern, overrides=tuple(rows))
        with Workers(args.jobs, pipeline.start, setup, pipeline.stop) as workers:
            summaries = pipeline.grade_class(intake.iter_inputs(args.paths), workers,
                                             skipped.append)
            result = gradebook.collect(_progress(summaries, sys.stderr), rows)
            result = replace(result, skipped=tuple(skipped))  # known once all were read
            if not result.entries and not skipped:
                return _fail("no worksheets found in " + ", ".join(args.paths))
            threshold = args.similarity_threshold
            if out is None:
                result = gradebook.find_similar(result, threshold)
                if args.format == "json":
                    pipeline.write_json(_TextSink(sys.stdout), result, workers)
                else:
                    sys.stdout.write(text.render_class(result))
            else:
                pages = pipeline.start_feedback(out, result, workers)
                result = gradebook.find_similar(result, threshold)  # as pages are written
                pipeline.write_reports(out, result, catalog, args.canvas_assignment,
                                       workers, pages)

    counts = result.counts()
    summary = ", ".join(f"{count} {status}" for status, count in counts.items() if count)
    extra = [f"{len(result.set_aside)} set aside as resubmitted"] if result.set_aside else []
    extra += [f"{len(result.similar)} similarity flags"] if result.similar else []
    extra += [f"{len(skipped)} files skipped"] if skipped else []
    elapsed = time.perf_counter() - started
    sys.stderr.write(f"Scored {len(result.entries)} submissions from {len(result.learners())} "
                     f"learners in {elapsed:.1f} s: {summary or 'nothing'}"
                     + (f"; {'; '.join(extra)}" if extra else "") + ".\n")
    if out is not None:
        sys.stderr.write(f"Report: {out / 'report.html'}\n")
    for note in result.override_notes:
        sys.stderr.write(f"note: {note}\n")
    not_scored = sum(count for status, count in counts.items() if status != "scored")
    return EXIT_INVALID if args.fail_on_invalid and not_scored else EXIT_OK


def add_gradescope_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default="/autograder/submission", metavar="PATH",
                        help="the submission folder (default: /autograder/submission)")
    parser.add_argument("--out", default="/autograder/results/results.json", metavar="FILE",
                        help="where Gradescope reads results "
                             "(default: /autograder/results/results.json)")


def run_gradescope(args: argparse.Namespace, catalog: Catalog) -> int:
    if not os.path.exists(args.path):
        return _fail(f"not found: {args.path}")
    results: list[CheckResult] = [g.result for g in grade_all(intake.iter_inputs([args.path]),
                                                              catalog)]
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
