"""Gradescope autograder output: the ``results.json`` Gradescope reads.

One test per criterion (name, score, max_score, status, output, visibility). A
file that cannot be scored, unreadable or blank alike, becomes one failed test
worth its exercise's points (the exercise the file says, else the one its name
states), listing its problems with their lines, so the learner sees what to fix;
it never crashes the autograder. With worksheets of several exercises in one
upload, each test's name starts with its exercise's title.
Hand-scored (``manual``) criteria are left out of the autograder's tests and
named in the overall output, because Gradescope grades those by hand itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from workbook.catalog import Catalog
from workbook.reporters.common import number, problem_text
from workbook.worksheet import CheckResult


def _tests(result: CheckResult, catalog: Catalog,
           prefix: str = "") -> tuple[list[dict[str, Any]], list[str]]:
    """The tests of one file; ``prefix`` names its exercise when there are several."""
    exercise = catalog.get(result.exercise or catalog.named_in(result.source) or "")
    if result.score is None:
        # Unreadable or blank, it is worth what the exercise is worth, and earns 0 of
        # it; the exercise is the one the file says, or else the one its name states.
        maximum = exercise.rubric.max_points if exercise else 0
        lines = [problem_text(p) for p in result.problems] or list(result.notes)
        return [{
            "name": f"{prefix}{result.source}: worksheet can be read and is complete",
            "score": 0,
            "max_score": maximum,
            "status": "failed",
            "output": "\n".join(lines) or f"Status: {result.status}.",
            "visibility": "visible",
        }], []
    tests, manual = [], []
    for c in result.score.criteria:
        if c.kind == "manual":
            manual.append(c.title)
            continue
        tests.append({
            "name": prefix + c.title,
            "score": c.points,
            "max_score": c.max_points,
            "status": "passed" if c.status == "pass" else "failed",
            "output": c.detail + (f"\n{c.feedback}" if c.feedback and c.status != "pass" else ""),
            "visibility": "visible",
        })
    return tests, manual


def render(results: Sequence[CheckResult], catalog: Catalog) -> bytes:
    tests: list[dict[str, Any]] = []
    manual: list[str] = []
    named = {r.exercise or catalog.named_in(r.source) for r in results}
    several = len(named) > 1

    def prefix(result: CheckResult) -> str:
        exercise = catalog.get(result.exercise or catalog.named_in(result.source) or "")
        return f"{exercise.title if exercise else 'Unknown exercise'}: " if several else ""

    for result in results:
        found, hand = _tests(result, catalog, prefix(result))
        tests.extend(found)
        manual.extend(hand)
    score = round(sum(t["score"] for t in tests), 2)
    output = [f"Automatic score: {number(score)}."]
    if not results:
        output = ["No worksheet (.yaml) was found in the submission. Upload your filled-in "
                  "worksheet file."]
    if manual:
        output.append("Scored by hand later: " + ", ".join(manual) + ".")
    payload = {"score": score, "output": " ".join(output), "tests": tests,
               "visibility": "visible", "stdout_visibility": "hidden"}
    return (json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
