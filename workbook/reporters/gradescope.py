"""Gradescope autograder output: the ``results.json`` Gradescope reads.

One test per criterion (name, score, max_score, status, output, visibility). A
file that cannot be scored becomes one failed test listing its problems with
their lines, so the learner sees what to fix; it never crashes the autograder.
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


def _tests(result: CheckResult, catalog: Catalog) -> tuple[list[dict[str, Any]], list[str]]:
    exercise = catalog.get(result.exercise or "")
    if result.score is None:
        maximum = exercise.rubric.max_points if exercise else 0
        lines = [problem_text(p) for p in result.problems] or list(result.notes)
        return [{
            "name": f"{result.source}: worksheet can be read and is complete",
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
            "name": c.title,
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
    for result in results:
        found, hand = _tests(result, catalog)
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
