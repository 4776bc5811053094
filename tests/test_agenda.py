"""`workbook agenda`: dated steps listed for the next days and written as a calendar.

The .ics file is read back with vobject, an iCalendar parser independent of the
icalendar package that writes it, so a file Google Calendar, Outlook or Apple
Calendar could not read fails here.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import vobject
import yaml

from workbook.agenda import DatedStep, dated_steps, due, parse_date, to_ics
from workbook.catalog import Catalog
from workbook.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATED = sorted(p for p in (ROOT / "exercises").glob("*/examples/*.yaml")
               if not p.name.startswith("invalid-"))


def _real_dates(catalog: Catalog, path: Path) -> list[tuple[str, str]]:
    """(exercise, date) of every item a calendar source names, read without the engine."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    exercise = catalog.get(data["exercise"])
    found = []
    for where in exercise.rubric.calendar:
        items = data
        for part in where.list.split("."):
            items = items.get(part, [])
        for item in items or []:
            value = item.get(where.date)
            text = value.isoformat() if isinstance(value, dt.date) else str(value or "")
            summary = item.get(where.summary)
            if text and summary and parse_date(text):
                found.append((exercise.id, text))
    return found


def _events(ics: bytes) -> list:
    calendar = vobject.readOne(ics.decode("utf-8"))
    return list(getattr(calendar, "vevent_list", []))


def test_every_calendar_source_names_fields_of_its_schema(catalog: Catalog):
    def props(node):
        while "$ref" in node:
            node = exercise.schema["definitions"][node["$ref"].rsplit("/", 1)[-1]]
        return node

    with_calendar = [e for e in catalog.exercises.values() if e.rubric.calendar]
    assert {"mutuality-ledger", "pitch-practice", "search-channels"} <= {
        e.id for e in with_calendar}
    for exercise in with_calendar:
        for where in exercise.rubric.calendar:
            node = props(exercise.schema)
            for part in where.list.split("."):
                node = props(node["properties"][part])
            item = props(node["items"])
            for field in (where.date, where.summary, *where.details):
                assert field.split(".")[0] in item["properties"], (exercise.id, field)


def test_the_ics_carries_every_dated_step_exactly_once(tmp_path: Path, catalog: Catalog):
    files = [p for p in DATED if _real_dates(catalog, p)]
    assert files, "some examples have dated steps"
    out = tmp_path / "steps.ics"
    assert main(["agenda", *map(str, files), "--today", "2026-01-01", "--ics", str(out)]) == 0
    events = _events(out.read_bytes())
    expected = sorted(d for p in files for _, d in _real_dates(catalog, p))
    assert sorted(e.dtstart.value.isoformat() for e in events) == expected
    assert len({e.uid.value for e in events}) == len(events)
    for event in events:
        start = event.dtstart.value
        assert isinstance(start, dt.date) and not isinstance(start, dt.datetime)  # all-day
        assert event.dtend.value == start + dt.timedelta(days=1)
        assert event.summary.value.strip()


def test_text_in_events_survives_the_round_trip(catalog: Catalog):
    exercise = catalog.get("mutuality-ledger")
    hostile = "Ann; Bob, \"Cy\"\\n\nline two: ok — ünïcode"
    data = {"exchanges": [{"contact": hostile, "date": "2026-03-01", "asked": "x; y",
                           "given": "a,b"}]}
    steps = dated_steps(data, exercise, "a.yaml")
    event = _events(to_ics(steps))[0]
    assert event.summary.value == "Exchange with " + " ".join(hostile.split())
    assert "Asked: x; y" in event.description.value


def test_only_real_dates_become_steps(catalog: Catalog):
    exercise = catalog.get("mutuality-ledger")
    data = {"exchanges": [
        {"contact": "A", "date": "2026-02-30"}, {"contact": "B", "date": ""},
        {"contact": "C", "date": "12/07/2026"}, {"contact": "", "date": "2026-03-01"},
        "not an item", {"contact": "E", "date": "2026-03-02"}]}
    steps = dated_steps(data, exercise, "a.yaml")
    assert [(s.summary, s.position) for s in steps] == [("Exchange with E", "exchanges[6]")]


def test_due_is_the_window_from_today_inclusive():
    def step(day: int) -> DatedStep:
        return DatedStep(dt.date(2026, 12, day), "f", "x", f"s[{day}]", f"step {day}")

    steps = [step(d) for d in (1, 2, 8, 15, 16)]
    assert [s.date.day for s in due(steps, dt.date(2026, 12, 2), 14)] == [2, 8, 15]
    assert [s.date.day for s in due(steps, dt.date(2026, 12, 2), 1)] == [2]


def test_reruns_write_byte_identical_calendars(tmp_path: Path):
    files = [str(p) for p in DATED]
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert main(["agenda", *files, "--ics", str(first)]) == 0
    assert main(["agenda", *files, "--ics", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_listing_names_what_is_due_and_what_to_do(capsys: pytest.CaptureFixture[str]):
    ledger = ROOT / "exercises" / "mutuality-ledger" / "examples" / "full.yaml"
    assert main(["agenda", str(ledger), "--today", "2026-02-20", "--days", "7"]) == 0
    out = capsys.readouterr().out
    assert "Due in the next 7 days (from Fri 20 Feb 2026):" in out
    assert "Tue 24 Feb 2026  Exchange with Kwame Mensah" in out
    assert "Elena Petrova" not in out.split("Other dated steps")[0]  # 3 March is outside
    assert "--ics" in out


def test_json_output_for_machines(capsys: pytest.CaptureFixture[str]):
    ledger = ROOT / "exercises" / "mutuality-ledger" / "examples" / "full.yaml"
    assert main(["agenda", str(ledger), "--today", "2026-02-20", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["today"] == "2026-02-20" and report["days"] == 14
    assert [s["date"] for s in report["due"]] == sorted(s["date"] for s in report["due"])
    assert all(s["exercise"] == "mutuality-ledger" for s in report["steps"])


def test_a_file_with_problems_is_named_and_the_rest_still_listed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    ledger = ROOT / "exercises" / "mutuality-ledger" / "examples" / "full.yaml"
    broken = tmp_path / "broken.yaml"
    broken.write_text("exercise: mutuality-ledger\nversion: 1\n\tbad: tab\n")
    blank = ROOT / "exercises" / "mutuality-ledger" / "worksheet.yaml"
    assert main(["agenda", str(broken), str(blank), str(ledger), "--today", "2026-02-20"]) == 1
    out = capsys.readouterr().out
    assert "Exchange with Kwame Mensah" in out
    assert f"Skipped {broken}:" in out and f"workbook check {broken}" in out
    assert f"Skipped {blank}: still blank" in out


def test_missing_file_and_unwritable_calendar_are_usage_errors(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    ledger = ROOT / "exercises" / "mutuality-ledger" / "examples" / "full.yaml"
    assert main(["agenda", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml" in capsys.readouterr().out
    assert main(["agenda", str(ledger), "--ics", str(tmp_path / "no" / "such" / "x.ics")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_a_submission_is_never_modified(tmp_path: Path):
    copy = tmp_path / "ledger.yaml"
    shutil.copy(ROOT / "exercises" / "mutuality-ledger" / "examples" / "full.yaml", copy)
    before = copy.read_bytes()
    main(["agenda", str(copy), "--ics", str(tmp_path / "x.ics")])
    assert copy.read_bytes() == before


@pytest.mark.parametrize("argument", ["--days=0", "--days=x", "--today=12/07/2026"])
def test_bad_options_are_refused_with_a_sentence(argument: str,
                                                 capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as stopped:
        main(["agenda", "x.yaml", argument])
    assert stopped.value.code == 2
    said = capsys.readouterr().err
    assert "YYYY-MM-DD" in said or "whole number of days" in said
