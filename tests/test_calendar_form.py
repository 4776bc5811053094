"""The form's calendar download (web/form/calendar.js) gives the events `workbook agenda
--ics` gives, for every example with dated steps: same dates, titles, descriptions and
UIDs, read back by vobject from both files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vobject
import yaml

from workbook.agenda import dated_steps, to_ics
from workbook.catalog import Catalog
from workbook.loader import load_bytes

ROOT = Path(__file__).resolve().parent.parent
MODULE = (ROOT / "web" / "form" / "calendar.js").as_uri()

HARNESS = f"""
import {{ datedSteps, toIcs }} from {json.dumps(MODULE)};
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const c of JSON.parse(input)) {{
  const steps = datedSteps(c.data, c.sources, c.exercise, c.source);
  out.push(await toIcs(steps, c.title));
}}
process.stdout.write(JSON.stringify(out));
"""


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    return node


def _events(ics: str) -> list[tuple[str, str, str, str]]:
    calendar = vobject.readOne(ics)
    return sorted((e.dtstart.value.isoformat(), e.summary.value, e.description.value,
                   e.uid.value) for e in getattr(calendar, "vevent_list", []))


def test_form_and_checker_write_the_same_events(catalog: Catalog):
    cases = []
    for path in sorted((ROOT / "exercises").glob("*/examples/*.yaml")):
        exercise = catalog.get(path.parent.parent.name)
        if path.name.startswith("invalid-") or not exercise.rubric.calendar:
            continue
        doc = load_bytes(path.read_bytes(), path.name)
        sources = [{"list": c.list, "date": c.date, "summary": c.summary, "label": c.label,
                    "details": list(c.details)} for c in exercise.rubric.calendar]
        cases.append({"data": doc.data, "sources": sources, "exercise": exercise.id,
                      "source": path.name, "title": exercise.title,
                      "python": to_ics(dated_steps(doc.data, exercise, path.name),
                                       {exercise.id: exercise.title}).decode("utf-8")})
    assert len(cases) >= 3
    done = subprocess.run([_node(), "--input-type=module", "-e", HARNESS], check=True,
                          input=json.dumps(cases), capture_output=True, text=True, cwd=ROOT)
    for case, ics in zip(cases, json.loads(done.stdout), strict=True):
        assert "\r\n" in ics and all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
        assert _events(ics) == _events(case["python"]), case["source"]
        assert _events(ics), f"{case['source']} has dated steps"


def test_hostile_text_and_impossible_dates(catalog: Catalog):
    exercise = catalog.get("mutuality-ledger")
    data = {"exchanges": [
        {"contact": "Ann; Bob, \"Cy\"\\n\nnew line — ünïcode " + "long " * 40,
         "date": "2026-03-01", "asked": "a,b;c", "given": ""},
        {"contact": "Nobody", "date": "2026-02-30"}, {"contact": "X", "date": "01/03/2026"}]}
    sources = [{"list": c.list, "date": c.date, "summary": c.summary, "label": c.label,
                "details": list(c.details)} for c in exercise.rubric.calendar]
    case = {"data": data, "sources": sources, "exercise": exercise.id, "source": "a.yaml",
            "title": exercise.title}
    done = subprocess.run([_node(), "--input-type=module", "-e", HARNESS], check=True,
                          input=json.dumps([case]), capture_output=True, text=True, cwd=ROOT)
    ics = json.loads(done.stdout)[0]
    python = to_ics(dated_steps(yaml.safe_load(json.dumps(data)), exercise, "a.yaml"),
                    {exercise.id: exercise.title}).decode("utf-8")
    assert len(_events(ics)) == 1
    assert _events(ics) == _events(python)


@pytest.mark.browser
def test_the_form_downloads_the_calendar_of_an_opened_worksheet(browser, server, catalog,
                                                                 tmp_path: Path):
    """Open Maya's ledger in the form, press the calendar button: the .ics holds every
    exchange with a date, as `workbook agenda --ics` writes it."""
    from test_form import form_page

    example = ROOT / "exercises" / "mutuality-ledger" / "examples" / "full.yaml"
    page, _ = form_page(browser, server, "mutuality-ledger")
    button = page.get_by_role("button", name="Add my dated steps to a calendar (.ics)")
    page.locator("[data-workbook-form] input[type=file]").set_input_files(str(example))
    page.wait_for_function(
        "() => !document.querySelector('.wb-calendar-button').disabled")
    assert "6 dated steps" in page.locator(".wb-calendar-status").inner_text()
    with page.expect_download() as caught:
        button.click()
    saved = tmp_path / caught.value.suggested_filename
    caught.value.save_as(saved)
    assert saved.name == "mutuality-ledger-steps.ics"
    exercise = catalog.get("mutuality-ledger")
    doc = load_bytes(example.read_bytes(), "mutuality-ledger.yaml")
    expected = to_ics(dated_steps(doc.data, exercise, "mutuality-ledger.yaml"),
                      {exercise.id: exercise.title}).decode("utf-8")
    assert _events(saved.read_text(encoding="utf-8")) == _events(expected)
    page.close()
