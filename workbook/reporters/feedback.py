"""``feedback/``: one Markdown and one HTML file per learner.

Each lists the learner's exercises with every criterion's points, what was found
and the advice, or, for a file that could not be scored, its problems with line
and column. Learner text (names, answers quoted in details) is escaped in both
formats, so a worksheet cannot inject markup into an instructor's or a learner's
browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from workbook.catalog import Catalog
from workbook.gradebook import ClassResult, Entry
from workbook.reporters.common import h, md, number, problem_text, score_line

_STATUS_WORDS = {
    "invalid": "This file has problems to fix before it can be scored.",
    "empty": "This file is empty or still the blank worksheet.",
    "unreadable": "This file could not be read as a worksheet.",
    "unknown-exercise": "This file does not name an exercise of this course.",
}
_MARK = {"pass": "Earned", "partial": "Partly earned", "fail": "Not yet",
         "pending": "Pending"}


def file_stem(entry: Entry) -> str:
    base = entry.learner_id or entry.learner_name or "unidentified"
    stem = re.sub(r"[^A-Za-z0-9]+", "-", base).strip("-").lower()[:60]
    return stem or "learner"


def assign_names(learners: Iterable[str], entries: dict[str, list[Entry]]) -> dict[str, str]:
    """A unique, safe file stem per learner key, stable for the same class."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for key in learners:
        stem = file_stem(entries[key][0])
        candidate, number_ = stem, 2
        while candidate in used:
            candidate = f"{stem}-{number_}"
            number_ += 1
        used.add(candidate)
        names[key] = candidate
    return names


def _title(catalog: Catalog, entry: Entry) -> str:
    exercise = catalog.get(entry.exercise)
    return exercise.title if exercise else (entry.exercise or "Unknown exercise")


def render_markdown(entries: list[Entry], catalog: Catalog) -> str:
    first = entries[0]
    lines = [f"# Feedback for {md(first.label)}", ""]
    if first.learner_id:
        lines += [f"Learner id: {md(first.learner_id)}", ""]
    for entry in entries:
        shown_source = entry.source.replace("`", "")
        lines += [f"## {md(_title(catalog, entry))}", "", f"File: `{shown_source}`"]
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
        lines += [f"- {md(note)}" for note in entry.notes if not note.startswith("Identity:")]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_CSS = """body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1b;line-height:1.5}table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #c8c8c8;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}.pass{color:#17603a}.partial{color:#7a4b00}.fail{color:#a1231a}
.pending{color:#3d4f9a}code{background:#f3f3f3;padding:0 .2rem}"""


def render_html(entries: list[Entry], catalog: Catalog) -> str:
    first = entries[0]
    parts = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Feedback for {h(first.label)}</title><style>{_CSS}</style></head><body>",
             f"<h1>Feedback for {h(first.label)}</h1>"]
    if first.learner_id:
        parts.append(f"<p>Learner id: {h(first.learner_id)}</p>")
    for entry in entries:
        parts.append(f"<h2>{h(_title(catalog, entry))}</h2>")
        parts.append(f"<p>File: <code>{h(entry.source)}</code>"
                     f"{'<br>Handed in late.' if entry.late else ''}</p>")
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
        notes = [n for n in entry.notes if not n.startswith("Identity:")]
        if notes:
            parts.append("<ul>" + "".join(f"<li>{h(n)}</li>" for n in notes) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render_pair(entries: list[Entry], catalog: Catalog) -> tuple[bytes, bytes]:
    """One learner's feedback as Markdown and HTML bytes (run in worker processes)."""
    return (render_markdown(entries, catalog).encode("utf-8"),
            render_html(entries, catalog).encode("utf-8"))


def iter_files(result: ClassResult, catalog: Catalog,
               jobs: int = 1) -> Iterator[tuple[str, bytes]]:
    """(file name inside ``feedback/``, bytes) for every learner, made one at a time.

    With ``jobs`` > 1 the pages are rendered in worker processes, in order, so the
    bytes are the same for any number of jobs.
    """
    from workbook.batch import parallel_map  # the pool lives with the batch machinery

    learners = result.learners()
    names = assign_names(learners, learners)
    rendered = parallel_map(render_pair, learners.values(), catalog, jobs)
    for key, (markdown, html) in zip(learners, rendered, strict=True):
        yield f"{names[key]}.md", markdown
        yield f"{names[key]}.html", html


def render(result: ClassResult, catalog: Catalog) -> dict[str, bytes]:
    """File name (inside ``feedback/``) -> bytes, for every learner."""
    return dict(iter_files(result, catalog))
