"""``workbook agenda``: the I/O edge around :mod:`workbook.agenda`.

Reads each worksheet the way ``workbook check`` does (so a file with problems is
named and skipped, never a traceback), gathers the dated steps of the valid ones,
prints what is due in the next days, and with ``--ics`` writes every step to a
calendar file atomically. Exit codes: 0 all files read; 1 a file has problems to
fix first; 2 a file or the ``--ics`` target cannot be read or written.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from workbook.agenda import DatedStep, dated_steps, due, to_ics
from workbook.catalog import Catalog
from workbook.files import write_atomic
from workbook.loader import DEFAULT_LIMITS, load_bytes, read_file, unreadable
from workbook.problems import WorkbookError
from workbook.worksheet import check_document

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _day(when: date) -> str:
    return f"{when:%a} {when.day} {when:%b %Y}"


def _collect(paths: Sequence[str], catalog: Catalog) -> tuple[list[DatedStep], list[str], int]:
    """(steps, one line per file that could not be used, the worst exit code)."""
    steps: list[DatedStep] = []
    skipped: list[str] = []
    worst = EXIT_OK
    for path in paths:
        try:
            raw = read_file(path, DEFAULT_LIMITS)
        except OSError as error:
            skipped.append(f"{path}: {unreadable(path, error).problems[0].message}")
            worst = max(worst, EXIT_USAGE)
            continue
        try:
            doc = load_bytes(raw, path, DEFAULT_LIMITS)
        except WorkbookError as error:
            skipped.append(f"{path}: {error.problems[0].message} "
                           f"Run `workbook check {path}` to see what to fix.")
            worst = max(worst, EXIT_PROBLEMS)
            continue
        result = check_document(doc, catalog)
        exercise = catalog.get(result.exercise) if result.exercise else None
        if not result.ok or exercise is None:
            count = len(result.problems)
            what = (f"{count} problem{'s' if count != 1 else ''} to fix" if count
                    else "still blank")
            skipped.append(f"{path}: {what}; run `workbook check {path}` first.")
            worst = max(worst, EXIT_PROBLEMS)
            continue
        steps.extend(dated_steps(doc.data, exercise, path))
    return sorted(steps), skipped, worst


def _text(steps: list[DatedStep], soon: list[DatedStep], skipped: list[str], today: date,
          days: int, ics: str | None) -> str:
    lines = [f"Due in the next {days} day{'s' if days != 1 else ''} "
             f"(from {_day(today)}):"]
    if soon:
        width = max(len(_day(s.date)) for s in soon)
        lines += [f"  {_day(s.date):<{width}}  {s.summary}  ({Path(s.source).name})"
                  for s in soon]
    else:
        lines.append("  nothing dated in these days.")
    earlier = sum(1 for s in steps if s.date < today)
    later = len(steps) - earlier - len(soon)
    if earlier or later:
        lines.append(f"Other dated steps: {earlier} earlier, {later} later.")
    if not steps and not skipped:
        lines.append("No dated steps yet: give your next steps a date (YYYY-MM-DD) "
                     "and they will show here.")
    if ics:
        lines.append(f"Wrote {len(steps)} step{'s' if len(steps) != 1 else ''} to {ics} "
                     "(import it into your calendar).")
    elif steps:
        lines.append("Add --ics steps.ics to put every dated step in your calendar.")
    lines += [f"Skipped {line}" for line in skipped]
    return "\n".join(lines) + "\n"


def run_agenda(paths: Sequence[str], catalog: Catalog, *, today: date, days: int,
               ics: str | None, fmt: str) -> int:
    steps, skipped, worst = _collect(paths, catalog)
    soon = due(steps, today, days)
    if ics:
        titles = {e.id: e.title for e in catalog.exercises.values()}
        try:
            write_atomic(Path(ics), to_ics(steps, titles))
        except OSError as error:
            sys.stderr.write(f"workbook: cannot write {ics}: {error.strerror or error}.\n")
            return EXIT_USAGE
    if fmt == "json":
        sys.stdout.write(json.dumps({
            "today": today.isoformat(), "days": days,
            "due": [s.to_dict() for s in soon], "steps": [s.to_dict() for s in steps],
            "skipped": skipped, "ics": ics,
        }, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_text(steps, soon, skipped, today, days, ics))
    return worst
