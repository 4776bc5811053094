"""Dated steps out of worksheets: what is due soon, and an iCalendar file of them all.

A worksheet is a plan as much as a record: "call Pete on 3 December", "send Aisha
the study on the 12th". ``workbook agenda`` lists what falls in the next days, and
``--ics`` writes every dated step as an all-day event that Google Calendar, Outlook
and Apple Calendar import, so the plan goes on after the course.

Which fields are dates, and what each step is called, is content: each exercise's
rubric may have a ``calendar:`` list (see :class:`workbook.rubric.CalendarSource`).
This module stays generic: data in, steps out, bytes out. Files are read and
written at the edge (``workbook/cli.py``).

The iCalendar text comes from the ``icalendar`` package (RFC 5545). It is built to
be byte-identical for the same worksheets: each event's UID is a hash of where the
step comes from and what it says, and DTSTAMP, which RFC 5545 requires, is a fixed
instant taken from the input (the latest step's date), not the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from workbook.catalog import Exercise

PRODID = "-//Networking Workbook//workbook agenda//EN"


@dataclass(frozen=True, order=True)
class DatedStep:
    """One dated step of one worksheet; ordered by date, then where it comes from."""

    date: dt.date
    source: str
    exercise: str
    position: str  # e.g. "steps[2]": the item it comes from, counted from 1
    summary: str
    details: tuple[tuple[str, str], ...] = ()

    @property
    def uid(self) -> str:
        digest = hashlib.sha256("\x1f".join(
            (self.source, self.exercise, self.position, self.date.isoformat(), self.summary)
        ).encode("utf-8")).hexdigest()[:24]
        return f"{digest}@networking-workbook"

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "source": self.source,
                "exercise": self.exercise, "position": self.position,
                "summary": self.summary, "details": dict(self.details)}


def _at(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return " ".join(str(value).split())


def _label(field: str) -> str:
    words = field.rsplit(".", 1)[-1].replace("_", " ").replace("-", " ")
    return words[:1].upper() + words[1:]


def parse_date(text: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None for anything else (empty, 2026-02-30, 12/07/2026)."""
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def dated_steps(data: Any, exercise: Exercise, source: str) -> list[DatedStep]:
    """Every step of a valid worksheet that has a real date, in date order."""
    found = []
    for where in exercise.rubric.calendar:
        items = _at(data, where.list)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                continue
            when = parse_date(_text(item.get(where.date)))
            summary = _text(_at(item, where.summary))
            if when is None or not summary:
                continue
            if where.label:
                summary = f"{where.label} {summary}"
            details = tuple((_label(f), _text(_at(item, f))) for f in where.details
                            if _text(_at(item, f)))
            found.append(DatedStep(when, source, exercise.id, f"{where.list}[{index}]",
                                   summary, details))
    return sorted(found)


def due(steps: Iterable[DatedStep], today: dt.date, days: int) -> list[DatedStep]:
    """Steps dated from ``today`` to ``today + days - 1`` inclusive, in date order."""
    last = today + dt.timedelta(days=max(days, 1) - 1)
    return sorted(s for s in steps if today <= s.date <= last)


def to_ics(steps: Sequence[DatedStep], titles: dict[str, str] | None = None) -> bytes:
    """An RFC 5545 calendar with one all-day event per step (CRLF lines, UTF-8)."""
    from icalendar import Calendar, Event  # only the --ics path pays for the import

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Networking Workbook steps")
    ordered = sorted(steps)
    stamp = dt.datetime.combine(ordered[-1].date if ordered else dt.date(2000, 1, 1),
                                dt.time(0, 0), tzinfo=dt.UTC)
    titles = titles or {}
    for step in ordered:
        event = Event()
        event.add("uid", step.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", step.date)
        event.add("dtend", step.date + dt.timedelta(days=1))
        event.add("summary", step.summary)
        lines = [f"{label}: {text}" for label, text in step.details]
        lines.append(f"From: {titles.get(step.exercise, step.exercise)}, "
                     f"{step.position} ({step.source})")
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy block
        calendar.add_component(event)
    text: bytes = calendar.to_ical()
    return text
