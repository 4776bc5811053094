"""What a class run writes, behind two interfaces: which reporter renders what, and where.

A class run renders in two places (see :mod:`workbook.records` for why):

* **per submission, in the worker that graded it**, from its
  :class:`~workbook.records.Entry`: the :data:`SUBMISSION_PARTS`, each a
  :class:`SubmissionPart`. Their bytes wait in the spool, in this order, until
  results.json, grades.csv and the feedback pages are assembled from them in the
  class's order. A new column of grades.csv or key of results.json goes here.
* **per class, in the parent**, from the :class:`~workbook.records.ClassResult`:
  the :func:`class_files`, each a :class:`ClassFile` (report.html, canvas.csv).
  A new class-wide file goes here, reading only what a
  :class:`~workbook.records.Summary` holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from workbook.catalog import Catalog
from workbook.records import ClassResult, Entry
from workbook.reporters import (
    canvas,
    class_report,
    feedback,
    grades_csv,
    hand_scoring,
    results_json,
)


class SubmissionPart(Protocol):
    """One submission's share of an output, rendered where it was graded."""

    def __call__(self, entry: Entry, catalog: Catalog, /) -> bytes: ...


def _results_object(entry: Entry, catalog: Catalog) -> bytes:
    return results_json.entry_bytes(entry)


def _markdown_section(entry: Entry, catalog: Catalog) -> bytes:
    return feedback.markdown_part(entry, catalog).encode("utf-8")


def _html_section(entry: Entry, catalog: Catalog) -> bytes:
    return feedback.html_part(entry, catalog).encode("utf-8")


# In the spool's order (workbook.spool: RESULTS, GRADES, MARKDOWN, HTML).
SUBMISSION_PARTS: tuple[SubmissionPart, SubmissionPart, SubmissionPart, SubmissionPart] = (
    _results_object, grades_csv.row, _markdown_section, _html_section)


class ClassFile(Protocol):
    """A file about the whole class, rendered in the parent once the class is known."""

    @property
    def name(self) -> str: ...

    def render(self, result: ClassResult, catalog: Catalog) -> bytes: ...


@dataclass(frozen=True)
class ClassReport:
    """report.html: the class at a glance, for the instructor."""

    name: str = "report.html"

    def render(self, result: ClassResult, catalog: Catalog) -> bytes:
        return class_report.render(result, catalog)


@dataclass(frozen=True)
class CanvasImport:
    """canvas.csv: a gradebook Canvas imports, for one assignment."""

    assignment: str
    name: str = "canvas.csv"

    def render(self, result: ClassResult, catalog: Catalog) -> bytes:
        return canvas.render(result, catalog, self.assignment)


@dataclass(frozen=True)
class HandScoringSheet:
    """hand-scoring.csv: the criteria waiting for a person, to fill in and read back."""

    name: str = "hand-scoring.csv"

    def render(self, result: ClassResult, catalog: Catalog) -> bytes:
        return hand_scoring.render(result, catalog)


def class_files(canvas_assignment: str | None,
                result: ClassResult | None = None) -> tuple[ClassFile, ...]:
    """The class-wide files a run writes, in the order it writes them (the hand-scoring
    sheet only when something waits for a person)."""
    files: tuple[ClassFile, ...] = (ClassReport(),)
    if canvas_assignment:
        files += (CanvasImport(canvas_assignment),)
    if result is not None and hand_scoring.has_rows(result):
        files += (HandScoringSheet(),)
    return files
