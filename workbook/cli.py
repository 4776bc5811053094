"""The ``workbook`` command line: argument parsing and I/O at the edge, nothing else.

Exit codes (also in ``workbook --help`` and the README):

0    every file checked is a valid worksheet (or the command succeeded)
1    at least one file has problems (invalid, empty, unreadable, unknown exercise)
2    usage or I/O error: bad arguments, a file that cannot be read or written,
     course content that is itself broken, or (score) a worker process that stopped
130  interrupted (Ctrl-C); 143 stopped by SIGTERM; 141 the output's reader went
     away (``| head``)
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from workbook import __version__
from workbook.catalog import Catalog, load_catalog
from workbook.content import ENV_VAR, find_content_root
from workbook.problems import Problem, WorkbookError
from workbook.reporters import FORMATS
from workbook.worksheet import UNREADABLE, check_path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
# The shell's conventions: 128 + the signal's number.
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE, EXIT_TERMINATED = 130, 141, 143  # SIGINT, SIGPIPE, SIGTERM

EPILOG = """\
exit codes:
  0    all files valid (or the command succeeded)
  1    at least one file has problems to fix
  2    usage or I/O error, or the course content itself is broken
  130  interrupted (Ctrl-C); 143 stopped by SIGTERM

examples:
  workbook list
  workbook new contact-inventory -o my-contacts.yaml
  workbook check my-contacts.yaml
  workbook check --format json *.yaml
"""


SCORE_EPILOG = """\
exit codes:
  0    the batch ran (invalid submissions are results, listed in the outputs)
  1    with --fail-on-invalid: at least one submission could not be scored
  2    usage or I/O error: bad arguments, nothing found, an unwritable --out,
       a broken overrides file, broken course content, or a worker process
       that stopped (killed, or out of memory)
  130  interrupted (Ctrl-C); 143 stopped by SIGTERM

examples:
  workbook score submissions.zip --out results/
  workbook score class/ --jobs 2 --overrides marks.csv --out results/
  workbook score export.zip --canvas-assignment "Contact inventory (1234)" --out results/
"""


AGENDA_EPILOG = """\
exit codes:
  0    every file was read (steps listed, calendar written)
  1    at least one file has problems to fix first (see `workbook check`)
  2    usage or I/O error: a file that cannot be read, an unwritable --ics

examples:
  workbook agenda search-channels.yaml mutuality-ledger.yaml
  workbook agenda *.yaml --days 7
  workbook agenda *.yaml --ics my-steps.ics
"""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of days, 1 or more")
    return value


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date written as YYYY-MM-DD, such as 2026-12-03") from None


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter that keeps descriptions and epilogs as written, told the
    terminal's width by ``os.get_terminal_size``: argparse would import shutil for it,
    2 ms of every start (issue 16). ``COLUMNS`` wins, as it does for shutil."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        if width is None:
            width = _columns()
        super().__init__(prog, indent_increment, max_help_position, width)


def _columns() -> int:
    try:
        return max(int(os.environ.get("COLUMNS", "")), 1)
    except ValueError:
        pass
    stream = sys.__stdout__
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80 if stream else 80
    except (ValueError, OSError):  # not a terminal, or closed
        return 80


COMMANDS = ("check", "list", "new", "agenda", "score", "gradescope")


def _command_in(argv: Sequence[str]) -> str | None:
    """The command word in ``argv``: the first argument naming one that is not the value
    of ``--content`` (the one option before the command that takes a value)."""
    after_content = False
    for argument in argv:
        if after_content:
            after_content = False
        elif argument == "--content":
            after_content = True
        elif argument in COMMANDS:
            return argument
    return None


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line's parser; given the ``command`` being run, only that
    command's part of it. Each subcommand's parser costs about a millisecond to build
    (argparse looks up translations for every message), and ``score`` alone has some
    thirty options: ``workbook check`` on one file should not pay for them (issue 16).
    ``workbook --help`` and an unknown command get the whole parser."""

    def wanted(name: str) -> bool:
        return command not in COMMANDS or name == command

    parser = argparse.ArgumentParser(
        prog="workbook",
        description="Check and score Networking Workbook worksheets.",
        epilog=EPILOG,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--content", metavar="DIR",
                        help=f"folder holding exercises/ and schemas/ (default: ${ENV_VAR}, "
                             "else this checkout, else the installed copy)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    if wanted("check"):
        _add_check(commands)
    if wanted("list"):
        listing = commands.add_parser("list", help="list the exercises",
                                      description="List the course's exercises.")
        listing.add_argument("--format", choices=sorted(FORMATS), default="text")
    if wanted("new"):
        _add_new(commands)
    if wanted("agenda"):
        _add_agenda(commands)
    if wanted("score"):
        from workbook.score_command import add_arguments  # the batch side: only for score

        score = commands.add_parser(
            "score", help="score a class: gradebook, feedback, class report",
            description="Score every worksheet in the given files, folders and .zip exports "
                        "(Canvas and Moodle file names are understood). With --out, write "
                        "grades.csv, results.json, feedback/ and report.html (and canvas.csv).",
            epilog=SCORE_EPILOG, formatter_class=_Formatter)
        add_arguments(score)
    if wanted("gradescope"):
        from workbook.score_command import add_gradescope_arguments

        gradescope = commands.add_parser(
            "gradescope", help="score a Gradescope submission (inside its autograder)",
            description="Score the worksheet(s) in a Gradescope submission folder and write "
                        "the results.json Gradescope expects. An invalid file becomes a failed "
                        "test listing its problems.")
        add_gradescope_arguments(gradescope)
    return parser


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check", help="check worksheets and preview their scores",
        description="Check each worksheet: list its problems with line and column, or, "
                    "when it is valid, preview its score with feedback per criterion.",
        epilog=EPILOG, formatter_class=_Formatter)
    check.add_argument("files", nargs="+", metavar="FILE", help="worksheet files (.yaml)")
    check.add_argument("--format", choices=sorted(FORMATS), default="text",
                       help="text for people (default), json for machines")


def _add_new(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = commands.add_parser(
        "new", help="write a blank worksheet to fill in",
        description="Write the blank worksheet for EXERCISE. An existing file is never "
                    "overwritten.")
    new.add_argument("exercise", metavar="EXERCISE", help="exercise id (see `workbook list`)")
    new.add_argument("-o", "--output", metavar="PATH",
                     help="where to write it (default: ./EXERCISE.yaml)")


def _add_agenda(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    agenda = commands.add_parser(
        "agenda", help="list the dated steps due soon; --ics for your calendar",
        description="Read the dated steps in your worksheets (next steps, exchanges, "
                    "practice sessions) and list those due in the next days. With --ics, "
                    "also write every dated step to an iCalendar file that Google Calendar, "
                    "Outlook and Apple Calendar import. Nothing leaves your machine.",
        epilog=AGENDA_EPILOG, formatter_class=_Formatter)
    agenda.add_argument("files", nargs="+", metavar="FILE", help="worksheet files (.yaml)")
    agenda.add_argument("--days", type=_positive, default=14, metavar="N",
                        help="how many days ahead to list, today included (default: 14)")
    agenda.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD",
                        help="count from this day instead of today")
    agenda.add_argument("--ics", metavar="PATH",
                        help="also write every dated step, all days, to this .ics file")
    agenda.add_argument("--format", choices=sorted(FORMATS), default="text",
                        help="text for people (default), json for machines")


def _catalog(content: str | None) -> Catalog:
    root = find_content_root(content)
    if root is None:
        raise WorkbookError(Problem(
            ".", None, None, "course.missing",
            "Cannot find the course content (folders exercises/ and schemas/).",
            f"Pass --content DIR or set {ENV_VAR}."))
    return load_catalog(root)


def _run_check(args: argparse.Namespace, catalog: Catalog) -> int:
    reporter = FORMATS[args.format]
    results = [check_path(path, catalog) for path in args.files]
    sys.stdout.write(reporter.render_check(results))
    if any(r.status == UNREADABLE and r.problems[0].code == "file.unreadable" for r in results):
        return EXIT_USAGE
    return EXIT_OK if all(r.ok for r in results) else EXIT_PROBLEMS


def _run_new(args: argparse.Namespace, catalog: Catalog) -> int:
    exercise = catalog.get(args.exercise)
    if exercise is None:
        sys.stderr.write(f"workbook: no exercise '{args.exercise}'. "
                         f"Exercises: {', '.join(catalog.ids)}.\n")
        return EXIT_USAGE
    target = Path(args.output or f"{exercise.id}.yaml")
    try:
        from workbook.files import write_new  # tempfile and shutil: only `new` needs them

        write_new(target, exercise.worksheet_path.read_bytes())
    except FileExistsError:
        sys.stderr.write(f"workbook: {target} already exists; it was left as it is. "
                         "Choose another name with -o.\n")
        return EXIT_USAGE
    except OSError as exc:
        sys.stderr.write(f"workbook: cannot write {target}: {exc.strerror}.\n")
        return EXIT_USAGE
    sys.stdout.write(f"Wrote {target}. Fill it in, then run: workbook check {target}\n")
    return EXIT_OK


class Stopped(BaseException):
    """SIGTERM (``kill``, ``timeout``, a scheduler), raised where the program is, so that
    it cleans up on the way out as it does for Ctrl-C. A BaseException, like
    KeyboardInterrupt, so that no ``except Exception`` swallows it."""


def _stop(signum: int, frame: object) -> None:
    raise Stopped


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; its exit code.

    Called without ``argv`` it is the command itself (the ``workbook`` script,
    ``python -m workbook``): once a run has been interrupted, further Ctrl-Cs and
    SIGTERMs are ignored until the process has exited, so that a second one cannot
    turn a clean stop into a traceback from the interpreter's shutdown. Called with
    ``argv`` (tests, embedding), the signal handlers are put back as they were.
    """
    try:
        previous = (signal.getsignal(signal.SIGINT), signal.signal(signal.SIGTERM, _stop))
    except ValueError:  # not on the main thread, where signals are handled
        previous = None
    on_main_thread = previous is not None
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (``| head``): nothing more to say, and nowhere to say it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except (KeyboardInterrupt, Stopped) as stop:
        if on_main_thread:  # nothing is left to interrupt
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        # Every output is written whole or not at all, so an interrupted run leaves
        # complete files (or the previous run's) and no temporary ones.
        how = "interrupted" if isinstance(stop, KeyboardInterrupt) else "stopped (SIGTERM)"
        sys.stderr.write(f"workbook: {how}; files already written are complete, "
                         "the rest were not written.\n")
        return EXIT_INTERRUPTED if isinstance(stop, KeyboardInterrupt) else EXIT_TERMINATED
    finally:
        if previous is not None and argv is not None:
            for number, handler in zip((signal.SIGINT, signal.SIGTERM), previous, strict=True):
                if handler is not None:  # None: set outside Python, cannot be put back
                    signal.signal(number, handler)


def _main(argv: Sequence[str] | None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = _parser(_command_in(arguments)).parse_args(arguments)
    fmt = getattr(args, "format", "text")
    try:
        catalog = _catalog(args.content)
    except WorkbookError as error:
        sys.stderr.write("workbook: the course content has problems:\n")
        sys.stderr.write(FORMATS["text"].render_problems(error.problems))
        if fmt == "json":
            sys.stdout.write(FORMATS["json"].render_problems(error.problems))
        return EXIT_USAGE
    if args.command == "check":
        return _run_check(args, catalog)
    if args.command == "score":
        from workbook.score_command import run_score  # the batch side: only `score` needs it

        return run_score(args, catalog)
    if args.command == "agenda":
        from workbook.agenda_command import run_agenda  # only `agenda` needs it

        return run_agenda(args.files, catalog, today=args.today or date.today(),
                          days=args.days, ics=args.ics, fmt=args.format)
    if args.command == "gradescope":
        from workbook.score_command import run_gradescope

        return run_gradescope(args, catalog)
    if args.command == "list":
        sys.stdout.write(FORMATS[fmt].render_list(catalog))
        return EXIT_OK
    return _run_new(args, catalog)
