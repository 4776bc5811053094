"""``results.json``: everything about a scored batch, for machines.

The layout is described by ``schemas/results.schema.json`` (a test validates
every output against it). Keys are sorted and nothing depends on the clock, so
the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any, BinaryIO

from workbook import __version__
from workbook.gradebook import ClassResult, Entry, Summary

FORMAT_VERSION = 1


def as_data(result: ClassResult) -> dict[str, Any]:
    """Everything but the submissions, which are rendered one by one (``entry_bytes``)."""
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


def _dumps(value: Any) -> bytes:
    # Compact on purpose: Python's JSON encoder runs in C only without indentation,
    # which matters for a class of 100,000. Pretty-print with `python -m json.tool`.
    return json.dumps(value, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def entry_bytes(entry: Entry) -> bytes:
    """One submission's object in ``submissions``, rendered where it was graded."""
    return _dumps(entry.to_dict())


def write_to(stream: BinaryIO, result: ClassResult,
             rendered: Callable[[Summary], bytes]) -> None:
    """The same bytes as ``json.dumps`` of the whole document with sorted keys, written
    one submission at a time (``rendered`` gives each one's ``entry_bytes``), so the
    whole document never sits in memory."""
    head = as_data(result)
    keys = sorted([*head, "submissions"])
    stream.write(b"{")
    for position, key in enumerate(keys):
        stream.write((b"," if position else b"") + _dumps(key) + b":")
        if key != "submissions":
            stream.write(_dumps(head[key]))
            continue
        stream.write(b"[")
        for index, entry in enumerate(result.entries):
            if index:
                stream.write(b",")
            stream.write(rendered(entry))
        stream.write(b"]")
    stream.write(b"}\n")


def render(result: ClassResult, rendered: Callable[[Summary], bytes]) -> bytes:
    stream = io.BytesIO()
    write_to(stream, result, rendered)
    return stream.getvalue()
