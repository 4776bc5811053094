"""``results.json``: everything about a scored batch, for machines.

The layout is described by ``schemas/results.schema.json`` (a test validates
every output against it). Keys are sorted and nothing depends on the clock, so
the same inputs give the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from workbook import __version__
from workbook.gradebook import ClassResult

FORMAT_VERSION = 1


def as_data(result: ClassResult) -> dict[str, Any]:
    return {
        "tool": "workbook",
        "tool_version": __version__,
        "format_version": FORMAT_VERSION,
        "summary": {
            "submissions": len(result.entries),
            "learners": len(result.learners()),
            "by_status": result.counts(),
            "late": sum(1 for e in result.entries if e.late),
            "set_aside": len(result.set_aside),
            "skipped": len(result.skipped),
            "similar_pairs": len(result.similar),
        },
        "submissions": [entry.to_dict() for entry in result.entries],
        "set_aside": [
            {"source": s.entry.source, "kept": s.kept, "reason": s.reason,
             "learner": s.entry.learner_id or s.entry.learner_name,
             "exercise": s.entry.exercise}
            for s in result.set_aside
        ],
        "skipped": [{"source": s.source, "reason": s.reason} for s in result.skipped],
        "similarity": {
            "threshold": result.threshold,
            "measure": "Jaccard index of three-word phrases in free-text answers "
                       "(bottom-64 sketch estimate)",
            "pairs": [
                {"exercise": p.exercise, "similarity": p.similarity,
                 "first": {"source": p.first.source, "learner": p.first.label},
                 "second": {"source": p.second.source, "learner": p.second.label}}
                for p in result.similar
            ],
        },
        "override_notes": list(result.override_notes),
    }


def render(result: ClassResult) -> bytes:
    text = json.dumps(as_data(result), indent=2, ensure_ascii=False, sort_keys=True)
    return (text + "\n").encode("utf-8")
