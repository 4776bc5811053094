"""Helpers every class reporter shares: escaping for each format, and number display."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from workbook.problems import Problem
from workbook.scoring import Score

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def csv_text(value: object) -> str:
    """A text cell no spreadsheet will run as a formula (OWASP's advice: prefix a quote).

    Only text goes through here; numbers are written as numbers, so a score of
    -0 or 3.5 is never disguised as text.
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@lru_cache(maxsize=8192)  # rubric titles and advice repeat for every learner
def md(text: object) -> str:
    """Learner text made inert in Markdown: every markup character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


@lru_cache(maxsize=8192)
def h(text: object) -> str:
    """Learner text escaped for HTML, quotes included."""
    return html.escape(str(text), quote=True)


def number(value: float) -> str:
    return f"{value:g}"


def score_line(score: Score) -> str:
    line = f"{number(score.points)} / {number(score.max_points)} ({score.percent:g}%)"
    if score.pending_points:
        line += f", {number(score.pending_points)} points still to be scored by your instructor"
    return line


def problem_text(problem: Problem) -> str:
    where = f"line {problem.line}, column {problem.column}: " if problem.line else ""
    return f"{where}{problem.message}" + (f" {problem.hint}" if problem.hint else "")
