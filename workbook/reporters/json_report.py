"""JSON reports for machines: stable keys, sorted, UTF-8, one document per run."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from workbook import __version__
from workbook.catalog import Catalog
from workbook.problems import Problem
from workbook.worksheet import STATUSES, CheckResult


def dumps(payload: Any) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def render_check(results: Sequence[CheckResult]) -> str:
    counts = Counter(r.status for r in results)
    return dumps({
        "tool": "workbook",
        "version": __version__,
        "files": [r.to_dict() for r in results],
        "summary": {
            "files": len(results),
            "valid": counts["scored"],
            "by_status": {status: counts[status] for status in STATUSES},
        },
    })


def render_problems(problems: Sequence[Problem]) -> str:
    return dumps({"tool": "workbook", "version": __version__,
                  "errors": [p.to_dict() for p in problems]})


def render_list(catalog: Catalog) -> str:
    return dumps({
        "exercises": [
            {
                "id": e.id,
                "title": e.title,
                "chapter": e.chapter,
                "summary": e.summary,
                "max_points": e.rubric.max_points,
                "criteria": [c.public() for c in e.rubric.criteria],
            }
            for e in catalog.exercises.values()
        ]
    })
