"""Helpers every class reporter shares: escaping for each format, and number display."""

from __future__ import annotations

import re
from functools import lru_cache

from workbook.problems import Problem
from workbook.scoring import Score

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def csp_meta(script: str = "") -> str:
    """A strict Content-Security-Policy for an HTML file the tool writes: nothing is
    fetched from anywhere, styles are the page's own, and the only script that may run
    is ``script`` (allowed by its hash), if any. A learner's text is escaped already;
    this makes sure that, were an escape ever missed, the browser still runs nothing."""
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    if script:
        import base64  # only the HTML reports: `workbook check` need not import them
        import hashlib

        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        policy += f"; script-src 'sha256-{digest}'"
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


# Spreadsheets hold at most 32,767 characters in a cell and cut or refuse the rest; a
# learner's 300,000-character answer or a long list of problems must not break the row.
MAX_CELL = 10_000


def csv_text(value: object) -> str:
    """A text cell no spreadsheet will run as a formula (OWASP's advice: prefix a quote).

    Only text goes through here; numbers are written as numbers, so a score of
    -0 or 3.5 is never disguised as text.
    """
    text = "" if value is None else str(value)
    if len(text) > MAX_CELL:
        cut = len(text) - MAX_CELL
        text = text[:MAX_CELL] + f" [... {cut:,} more characters cut; see results.json]"
    return "'" + text if text.startswith(_FORMULA_START) else text


@lru_cache(maxsize=8192)  # rubric titles and advice repeat for every learner
def md(text: object) -> str:
    """Learner text made inert in Markdown: every markup character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


@lru_cache(maxsize=8192)
def h(text: object) -> str:
    """Learner text escaped for HTML, quotes included."""
    import html  # only the HTML outputs escape: `workbook check` need not import it

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
