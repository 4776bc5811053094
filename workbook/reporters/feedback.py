"""``feedback/``: one Markdown and one HTML file per learner.

Each lists the learner's exercises with every criterion's points, what was found
and the advice, or, for a file that could not be scored, its problems with line
and column. Learner text (names, answers quoted in details) is escaped in both
formats, so a worksheet cannot inject markup into an instructor's or a learner's
browser.

Each submission's part of a page (its exercise heading down to its notes) is
rendered where the submission is graded (:func:`markdown_part`, :func:`html_part`);
a learner's page is their parts joined under a heading (:func:`pages`), once the
class is known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from workbook.catalog import Catalog
from workbook.records import Entry, Summary
from workbook.reporters.common import csp_meta, h, md, number, problem_text, score_line

_STATUS_WORDS = {
    "invalid": "This file has problems to fix before it can be scored.",
    "empty": "This file is empty or still the blank worksheet.",
    "unreadable": "This file could not be read as a worksheet.",
    "unknown-exercise": "This file does not name an exercise of this course.",
}
_MARK = {"pass": "Earned", "partial": "Partly earned", "fail": "Not yet",
         "pending": "Pending"}


_UNSAFE_IN_NAMES = re.compile(r"[^A-Za-z0-9]+")


def file_stem(entry: Entry | Summary) -> str:
    base = entry.learner_id or entry.learner_name or "unidentified"
    stem = _UNSAFE_IN_NAMES.sub("-", base).strip("-").lower()[:60]
    return stem or "learner"


def assign_names(learners: Iterable[str],
                 entries: dict[str, list[Summary]]) -> dict[str, str]:
    """A unique, safe file stem per learner key, stable for the same class.

    Learners whose stems collide get ``-2``, ``-3``, ... in the class's order. The
    next number to try is kept per stem, so that a class with thousands of learners
    of one stem (files that name nobody are all "unidentified") takes linear time,
    not quadratic: all the stem's lower numbers are known to be taken.
    """
    names: dict[str, str] = {}
    used: set[str] = set()
    next_number: dict[str, int] = {}
    for key in learners:
        stem = file_stem(entries[key][0])
        candidate = stem
        if candidate in used:
            number = next_number.get(stem, 2)
            candidate = f"{stem}-{number}"
            while candidate in used:
                number += 1
                candidate = f"{stem}-{number}"
            next_number[stem] = number + 1
        used.add(candidate)
        names[key] = candidate
    return names


def _title(catalog: Catalog, entry: Entry) -> str:
    exercise = catalog.get(entry.exercise)
    return exercise.title if exercise else (entry.exercise or "Unknown exercise")


_STEP = re.compile(r"(\d+)\. (.*)", re.DOTALL)


def _note_runs(notes: Sequence[str]) -> list[tuple[bool, list[str]]]:
    """Notes in runs: (numbered, texts). Numbered steps ("1. Put your name ...") are
    shown as a numbered list, not as bullets that start with "1.". """
    runs: list[tuple[bool, list[str]]] = []
    for note in notes:
        step = _STEP.fullmatch(note)
        numbered, text = (True, step.group(2)) if step else (False, note)
        if runs and runs[-1][0] == numbered:
            runs[-1][1].append(text)
        else:
            runs.append((numbered, [text]))
    return runs


def _markdown_notes(notes: Sequence[str]) -> list[str]:
    lines: list[str] = []
    for numbered, texts in _note_runs(notes):
        if lines:
            lines.append("")
        lines += [f"{f'{i}.' if numbered else '-'} {md(text)}"
                  for i, text in enumerate(texts, start=1)]
    return lines


def _html_notes(notes: Sequence[str]) -> str:
    return "".join(f"<{'ol' if numbered else 'ul'}>" + "".join(f"<li>{h(t)}</li>" for t in texts)
                   + f"</{'ol' if numbered else 'ul'}>" for numbered, texts in _note_runs(notes))


def markdown_part(entry: Entry, catalog: Catalog) -> str:
    """One submission's section of its learner's Markdown page."""
    shown_source = entry.source.replace("`", "")
    lines = [f"## {md(_title(catalog, entry))}", "", f"File: `{shown_source}`"]
    if entry.late:
        lines.append("  \nHanded in late.")
    lines.append("")
    if entry.score is not None:
        lines += [f"**Score: {md(score_line(entry.score))}**", "",
                  "| Part | Points | What we found | Advice |", "|---|---|---|---|"]
        for c in entry.score.criteria:
            got = "pending" if c.points is None else number(c.points)
            advice = "" if c.status == "pass" and c.graded_by == "auto" else c.feedback
            lines.append(f"| {md(c.title)} ({_MARK[c.status]}) | {got} / "
                         f"{number(c.max_points)} | {md(c.detail)} | {md(advice)} |")
        lines.append("")
    else:
        lines += [_STATUS_WORDS.get(entry.status, entry.status), ""]
        lines += [f"- {md(problem_text(p))}" for p in entry.problems]
        lines.append("")
    lines += _markdown_notes(entry.notes)
    lines.append("")
    return "\n".join(lines)


def render_markdown(label: str, learner_id: str, parts: Sequence[str],
                    notes: Sequence[str] = ()) -> str:
    """A learner's Markdown page from their submissions' parts, in the class's order,
    with ``notes`` about the class's decisions that concern them (a late policy)."""
    lines = [f"# Feedback for {md(label)}", ""]
    if learner_id:
        lines += [f"Learner id: {md(learner_id)}", ""]
    if notes:
        lines += [*_markdown_notes(notes), ""]
    return "\n".join([*lines, *parts]).rstrip() + "\n"


_CSS = """body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1b;line-height:1.5}table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #c8c8c8;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}.pass{color:#17603a}.partial{color:#7a4b00}.fail{color:#a1231a}
.pending{color:#3d4f9a}code{background:#f3f3f3;padding:0 .2rem}"""


def html_part(entry: Entry, catalog: Catalog) -> str:
    """One submission's section of its learner's HTML page."""
    parts = [f"<h2>{h(_title(catalog, entry))}</h2>",
             f"<p>File: <code>{h(entry.source)}</code>"
             f"{'<br>Handed in late.' if entry.late else ''}</p>"]
    if entry.score is not None:
        parts.append(f"<p><strong>Score: {h(score_line(entry.score))}</strong></p>")
        parts.append("<table><thead><tr><th scope=col>Part</th><th scope=col>Points</th>"
                     "<th scope=col>What we found</th><th scope=col>Advice</th></tr>"
                     "</thead><tbody>")
        for c in entry.score.criteria:
            got = "pending" if c.points is None else number(c.points)
            advice = "" if c.status == "pass" and c.graded_by == "auto" else c.feedback
            parts.append(f"<tr><td>{h(c.title)} <span class={c.status}>"
                         f"({_MARK[c.status]})</span></td><td>{got} / "
                         f"{number(c.max_points)}</td><td>{h(c.detail)}</td>"
                         f"<td>{h(advice)}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append(f"<p>{h(_STATUS_WORDS.get(entry.status, entry.status))}</p><ul>")
        parts.extend(f"<li>{h(problem_text(p))}</li>" for p in entry.problems)
        parts.append("</ul>")
    if entry.notes:
        parts.append(_html_notes(entry.notes))
    return "\n".join(parts)


def render_html(label: str, learner_id: str, parts: Sequence[str],
                notes: Sequence[str] = ()) -> str:
    """A learner's HTML page from their submissions' parts, in the class's order."""
    head = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">', csp_meta(),
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Feedback for {h(label)}</title><style>{_CSS}</style></head><body>",
            f"<h1>Feedback for {h(label)}</h1>"]
    if learner_id:
        head.append(f"<p>Learner id: {h(learner_id)}</p>")
    if notes:
        head.append(_html_notes(notes))
    return "\n".join([*head, *parts, "</body></html>"]) + "\n"


def pages(stem: str, label: str, learner_id: str, markdown: Sequence[str],
          html: Sequence[str], notes: Sequence[str] = ()) -> list[tuple[str, bytes]]:
    """A learner's two files (name inside ``feedback/``, bytes) from their parts."""
    return [(f"{stem}.md", render_markdown(label, learner_id, markdown, notes).encode("utf-8")),
            (f"{stem}.html", render_html(label, learner_id, html, notes).encode("utf-8"))]
