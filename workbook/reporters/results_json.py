"""``results.json``: everything about a scored batch, for machines.

The layout is described by ``schemas/results.schema.json`` (a test validates
every output against it). Keys are sorted and nothing depends on the clock, so
the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from functools import lru_cache
from json.encoder import encode_basestring  # the escaper json.dumps uses for ensure_ascii=False
from typing import Any, Protocol

from workbook import __version__
from workbook.records import ClassResult, Entry, Summary
from workbook.scoring import CriterionResult

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


def _value(value: Any) -> str:
    """One value in JSON, exactly as ``_dumps`` writes it."""
    kind = type(value)
    if kind is str:
        return str(encode_basestring(value))
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    return _dumps(value).decode("utf-8")  # booleans, and anything unusual


# Titles, descriptions, advice and statuses repeat for every learner. typed=True keeps
# 1 and 1.0 (equal as keys) apart: JSON writes them differently.
_repeated = lru_cache(maxsize=4096, typed=True)(_value)


def _criterion(c: CriterionResult) -> str:
    return (f'{{"description":{_repeated(c.description)},"detail":{_value(c.detail)},'
            f'"feedback":{_repeated(c.feedback)},"graded_by":{_repeated(c.graded_by)},'
            f'"id":{_repeated(c.id)},"kind":{_repeated(c.kind)},'
            f'"max_points":{_repeated(c.max_points)},"points":{_repeated(c.points)},'
            f'"status":{_repeated(c.status)},"title":{_repeated(c.title)}}}')


def with_identity(row: bytes, learner_id: str, learner_name: str,
                  notes: tuple[str, ...] = ()) -> bytes:
    """A rendered submission object with its learner's id and name replaced and
    ``notes`` added to its identity notes, which come first (see workbook.gradebook's
    settle and reconcile); written as :func:`entry_bytes` writes it."""
    value = json.loads(row)
    value["learner"]["id"], value["learner"]["name"] = learner_id, learner_name
    if notes:
        identity_notes = [n for n in value["notes"] if n.startswith("Identity:")]
        others = value["notes"][len(identity_notes):]
        value["notes"] = [*identity_notes, *notes, *others]
    return _dumps(value)


def entry_bytes(entry: Entry) -> bytes:
    """One submission's object in ``submissions``, rendered where it was graded.

    The same bytes as ``_dumps(entry.to_dict())`` (a test holds them equal), put
    together from the keys in sorted order instead: the general encoder takes
    about 20 us to sort and write the sixty-odd keys of a scored submission, which
    is work it repeats for every one; most of the values (a criterion's title,
    description, advice) are the same for every learner and are escaped once.
    """
    score = entry.score
    if score is None:
        scored = "null"
    else:
        scored = (f'{{"criteria":[{",".join(map(_criterion, score.criteria))}],'
                  f'"exercise":{_repeated(score.exercise)},'
                  f'"max_points":{_repeated(score.max_points)},'
                  f'"pending_points":{_repeated(score.pending_points)},'
                  f'"percent":{_repeated(score.percent)},"points":{_repeated(score.points)}}}')
    problems = ",".join(_dumps(p.to_dict()).decode("utf-8") for p in entry.problems)
    return (f'{{"exercise":{_value(entry.exercise or None)},"late":{_value(entry.late)},'
            f'"learner":{{"email":{_value(entry.email)},"id":{_value(entry.learner_id)},'
            f'"key":{_value(entry.learner_key)},"lms_id":{_value(entry.lms_id)},'
            f'"name":{_value(entry.learner_name)}}},'
            f'"notes":[{",".join(map(_repeated, entry.all_notes))}],"problems":[{problems}],'
            f'"score":{scored},"source":{_value(entry.source)},'
            f'"status":{_repeated(entry.status)},'
            f'"submission_id":{_value(entry.submission)}}}').encode()


class ByteSink(Protocol):
    """Where the document goes: a binary file, or a text stream wrapped to take bytes."""

    def write(self, data: bytes, /) -> object: ...


def write_to(stream: ByteSink, result: ClassResult,
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
