"""``report.html``: the class at a glance, in one self-contained page.

Nothing from anywhere: charts are inline SVG, styles inline, and one short inline
script that sorts the roster, so the report opens offline and can be mailed as
one file. It opens with the roster: one row per learner, with their points per
exercise and total, flags for what needs a look (missing work, a file that could
not be scored, late, resubmitted, similar to another's, an identity question,
points waiting to be scored by hand), and a link to their feedback page. "Needs
attention only" filters it with CSS alone, so it works with scripts turned off.
Then per exercise: a histogram of scores, and the share of learners who earned
each criterion (the skills the class is missing stand out as short bars). Then
the lists behind the flags. Every piece of learner text is escaped.
"""

from __future__ import annotations

from collections import defaultdict

from workbook.catalog import Catalog
from workbook.records import ClassResult, Summary, unpack_marks
from workbook.reporters.common import csp_meta, h, number, problem_text
from workbook.reporters.feedback import assign_names

_CSS = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:76rem;padding:1rem 1.25rem 3rem;
color:#1b1b1b;background:#fff;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.25rem}h2{margin-top:2.2rem;border-bottom:2px solid #ddd;
padding-bottom:.2rem}h3{margin-bottom:.3rem}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0}
.card{border:1px solid #ccc;border-radius:.4rem;padding:.5rem .8rem;min-width:7.5rem}
.card b{display:block;font-size:1.5rem}
.exercise{display:grid;grid-template-columns:minmax(16rem,1fr) minmax(16rem,1fr);gap:1.5rem}
@media (max-width:44rem){.exercise{grid-template-columns:1fr}}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;
padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f2f2f2}
.muted{color:#555}svg text{font-family:system-ui,sans-serif}
code{overflow-wrap:anywhere}.scroll{overflow-x:auto;max-width:100%}
.roster td{white-space:nowrap}.roster th{min-width:5rem}
.roster td.flags{white-space:normal;min-width:12rem}
.roster th[data-sort]{cursor:pointer}.roster th[aria-sort=ascending]::after{content:" \\25B2"}
.roster th[aria-sort=descending]::after{content:" \\25BC"}
.roster td.num,.roster th.num{text-align:right}
.roster td:first-child,.roster th:first-child{position:sticky;left:0;background:#fff;
box-shadow:1px 0 0 #ccc}.roster th:first-child{background:#f2f2f2}
.flag{display:inline-block;border-radius:.3rem;padding:0 .35rem;margin:.1rem .2rem .1rem 0;
background:#fdecc8;color:#5c3b00;font-size:.85rem}
#attention:checked~.scroll .roster tbody tr:not(.attention){display:none}
label.filter{display:inline-flex;align-items:center;gap:.4rem;min-height:44px}
#attention{width:1.4rem;height:1.4rem;margin:0 .4rem 0 0;vertical-align:middle}
"""

# Sorts the roster by a clicked column heading (numbers as numbers); the rest of the
# report needs no script. Written here, not fetched: the report is one offline file.
_SORT = """
document.querySelectorAll("table.roster th[data-sort]").forEach(function (th, col) {
  th.tabIndex = 0;
  th.setAttribute("role", "button");
  function sort() {
    var body = th.closest("table").tBodies[0];
    var down = th.getAttribute("aria-sort") === "ascending";
    th.closest("tr").querySelectorAll("th").forEach(function (o) {
      o.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", down ? "descending" : "ascending");
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].dataset.value, y = b.cells[index].dataset.value;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return down ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  th.addEventListener("click", sort);
  th.addEventListener("keydown", function (e) {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
  });
});
"""

_BINS = 10
_BAR = "#2b5797"


def _histogram(title: str, percents: list[float]) -> str:
    """An inline SVG histogram of scores in ten-point bins."""
    counts = [0] * _BINS
    for value in percents:
        counts[min(_BINS - 1, int(value // 10))] += 1
    tallest = max(counts) or 1
    width, height, left, bottom, top = 360, 200, 34, 36, 12
    plot_w, plot_h = width - left - 24, height - bottom - top
    bar_w = plot_w / _BINS
    parts = [f'<svg role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'style="max-width:{width}px" aria-labelledby="t-{h(title)}">',
             f'<title id="t-{h(title)}">Scores for {h(title)}: '
             + ", ".join(f"{c} at {i * 10} to {i * 10 + 10}%" for i, c in enumerate(counts) if c)
             + "</title>",
             f'<rect width="{width}" height="{height}" fill="#fff"/>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
             'stroke="#333"/>']
    for index, count in enumerate(counts):
        bar_h = plot_h * count / tallest
        x = left + index * bar_w
        y = top + plot_h - bar_h
        if count:
            parts.append(f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{bar_w - 4:.1f}" '
                         f'height="{bar_h:.1f}" fill="{_BAR}"/>')
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" font-size="12" '
                         f'text-anchor="middle">{count}</text>')
        if index % 2 == 0:
            parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" font-size="12" '
                         f'text-anchor="middle">{index * 10}%</text>')
    parts.append(f'<text x="{left + plot_w:.1f}" y="{top + plot_h + 16}" font-size="12" '
                 'text-anchor="middle">100%</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" font-size="12" '
                 'text-anchor="middle">score</text>')
    parts.append(f'<text x="12" y="{top + plot_h / 2:.1f}" font-size="12" text-anchor="middle" '
                 f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">learners</text>')
    parts.append("</svg>")
    return "".join(parts)


def _criterion_bars(rows: list[tuple[str, float | None, float, int]]) -> str:
    """Table of criteria with an inline bar for the share who earned full points."""
    out = ["<table><thead><tr><th scope=col>Criterion</th><th scope=col>Earned in full</th>"
           "<th scope=col>Average points</th></tr></thead><tbody>"]
    for title, full_share, average, maximum in rows:
        if full_share is None:
            out.append(f"<tr><td>{h(title)}</td><td>pending</td><td>pending / "
                       f"{number(maximum)}</td></tr>")
            continue
        width = round(full_share * 100)
        out.append(
            f"<tr><td>{h(title)}</td><td><svg width=\"120\" height=\"14\" role=\"img\" "
            f"aria-label=\"{width}%\"><rect width=\"120\" height=\"14\" fill=\"#e6e6e6\"/>"
            f"<rect width=\"{width * 1.2:.0f}\" height=\"14\" fill=\"{_BAR}\"/></svg> "
            f"{width}%</td><td>{number(round(average, 2))} / {number(maximum)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _entry_list(entries: list[Summary], show_problems: bool) -> str:
    if not entries:
        return "<p class=muted>None.</p>"
    items = []
    for entry in entries:
        detail = ""
        if show_problems and entry.first_problem is not None:
            detail = "<br><span class=muted>" + h(problem_text(entry.first_problem))
            if entry.problem_count > 1:
                detail += f" (and {entry.problem_count - 1} more)"
            detail += "</span>"
        items.append(f"<li>{h(entry.label)}: <code>{h(entry.source)}</code> "
                     f"({h(entry.status)}){detail}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _flags(key: str, entries: list[Summary], exercises: list[str], result: ClassResult,
           resubmitted: set[str], similar: set[str]) -> list[str]:
    """What needs the instructor's look for one learner, in words."""
    flags = []
    handed = {e.exercise for e in entries}
    missing = [x for x in exercises if x not in handed]
    if missing:
        flags.append("missing " + ", ".join(missing))
    not_scored = sorted({e.status for e in entries if e.status != "scored"})
    flags += not_scored
    if any(e.late for e in entries):
        flags.append("late")
    if key in resubmitted:
        flags.append("resubmitted")
    if key in similar:
        flags.append("similar")
    if any(e.identity_notes for e in entries):
        flags.append("identity question")
    if any(e.pending_points for e in entries):
        flags.append("hand scoring pending")
    return flags


def _roster(result: ClassResult, catalog: Catalog) -> str:
    """One row per learner: points per exercise, total, flags, and their feedback page."""
    learners = result.learners()
    if not learners:
        return ""
    exercises = [x.id for x in catalog.exercises.values()
                 if any(e.exercise == x.id for e in result.entries)]
    names = assign_names(learners, learners)
    resubmitted = {s.entry.learner_key for s in result.set_aside}
    similar = {e.learner_key for p in result.similar for e in (p.first, p.second)}
    head = ["<th scope=col data-sort>Learner</th>", "<th scope=col data-sort>Id</th>"]
    head += [f"<th scope=col class=num data-sort>{h(catalog.exercises[x].title)}</th>"
             for x in exercises]
    head += ["<th scope=col class=num data-sort>Total</th>",
             "<th scope=col data-sort>Needs a look</th>"]
    rows = []
    attention = 0
    for key, entries in learners.items():
        first = entries[0]
        by_exercise = {e.exercise: e for e in entries}
        cells = [f'<td data-value="{h(first.label.casefold())}"><a href="feedback/'
                 f'{h(names[key])}.html">{h(first.label)}</a></td>',
                 f'<td data-value="{h(first.learner_id)}">{h(first.learner_id)}</td>']
        earned = possible = 0.0
        for exercise in exercises:
            entry = by_exercise.get(exercise)
            maximum = catalog.exercises[exercise].rubric.max_points
            possible += maximum
            if entry is None:
                cells.append('<td class=num data-value="-1">missing</td>')
            elif entry.points is None:
                cells.append(f'<td class=num data-value="-1">{h(entry.status)}</td>')
            else:
                earned += entry.points
                cells.append(f'<td class=num data-value="{entry.points:g}">'
                             f"{number(round(entry.points, 2))}/{number(maximum)}</td>")
        percent = earned / possible * 100 if possible else 0
        cells.append(f'<td class=num data-value="{percent:.4f}">{number(round(earned, 2))}/'
                     f"{number(possible)}</td>")
        flags = _flags(key, entries, exercises, result, resubmitted, similar)
        attention += bool(flags)
        cells.append(f'<td class=flags data-value="{len(flags)}">'
                     + "".join(f"<span class=flag>{h(f)}</span>" for f in flags) + "</td>")
        rows.append(f"<tr{' class=attention' if flags else ''}>" + "".join(cells) + "</tr>")
    return ("<h2 id=roster>Learners</h2>"
            f"<p class=muted>{attention} of {len(learners)} learners need a look. Click a "
            "heading to sort; a name opens the learner's feedback page.</p>"
            "<input type=checkbox id=attention>"
            "<label class=filter for=attention>Needs attention only</label>"
            "<div class=scroll><table class=roster><thead><tr>" + "".join(head)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")


def render(result: ClassResult, catalog: Catalog, title: str = "Class report") -> bytes:
    counts = result.counts()
    parts = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">', csp_meta(_SORT),
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{h(title)}</title><style>{_CSS}</style></head><body><main>",
             f"<h1>{h(title)}</h1>",
             f"<p class=muted>{len(result.learners())} learners, {len(result.entries)} "
             "submissions counted.</p><div class=cards>"]
    for status, count in counts.items():
        parts.append(f"<div class=card><b>{count}</b>{h(status)}</div>")
    late = [e for e in result.entries if e.late]
    parts.append(f"<div class=card><b>{len(late)}</b>late</div>"
                 f"<div class=card><b>{len(result.similar)}</b>similarity flags</div></div>")
    if result.late_policy:
        parts.append(f"<p><strong>Late work:</strong> {h(result.late_policy)}</p>")
    parts.append(_roster(result, catalog))

    by_exercise: dict[str, list[Summary]] = defaultdict(list)
    for entry in result.entries:
        if entry.exercise:
            by_exercise[entry.exercise].append(entry)
    parts.append("<h2>Exercises</h2>")
    if not by_exercise:
        parts.append("<p class=muted>No submission named a known exercise.</p>")
    for exercise in catalog.exercises.values():
        entries = by_exercise.get(exercise.id)
        if not entries:
            continue
        scored = [e for e in entries if e.points is not None]
        percents = [e.percent for e in scored]
        mean = sum(percents) / len(percents) if percents else 0
        parts.append(f"<h3>{h(exercise.title)}</h3><p class=muted>{len(entries)} handed in, "
                     f"{len(scored)} scored; average {mean:.0f}% "
                     f"(pending hand-scored points count as not yet earned).</p>")
        # Per criterion, over the scores that have its points: how many, how many in
        # full, and their sum (added in the class's order). Marks follow the rubric's
        # order, one per criterion.
        size = len(exercise.rubric.criteria)
        found, full = [0] * size, [0] * size
        total: list[float] = [0] * size
        for entry in scored:
            for index, (points, earned) in enumerate(unpack_marks(entry.marks)):
                if points is not None:
                    found[index] += 1
                    full[index] += earned
                    total[index] += points
        rows = []
        for index, criterion in enumerate(exercise.rubric.criteria):
            average = total[index] / found[index] if found[index] else 0
            title_ = criterion.title + (" (hand-scored)" if criterion.kind == "manual" else "")
            share = (full[index] / found[index] if found[index]
                     else (None if scored else 0.0))
            rows.append((title_, share, average, int(criterion.points)))
        parts.append("<div class=exercise><div>" + _histogram(exercise.title, percents)
                     + "</div><div>" + _criterion_bars(rows) + "</div></div>")

    problems = [e for e in result.entries if e.status != "scored"]
    parts.append("<h2>Not scored</h2>" + _entry_list(problems, show_problems=True))
    parts.append("<h2>Late</h2>" + _entry_list(late, show_problems=False))
    parts.append("<h2>Handed in more than once</h2>")
    if result.set_aside:
        parts.append("<ul>" + "".join(
            f"<li>{h(s.reason)} Set aside: <code>{h(s.entry.source)}</code>; counted: "
            f"<code>{h(s.kept)}</code></li>" for s in result.set_aside) + "</ul>")
    else:
        parts.append("<p class=muted>None.</p>")
    parts.append(f"<h2>Similar answers</h2><p class=muted>Pairs whose free-text answers share "
                 f"at least {result.threshold:.0%} of their three-word phrases. A flag is a "
                 "reason to look, not a verdict.</p>")
    if result.similar:
        parts.append("<table><thead><tr><th scope=col>Exercise</th><th scope=col>Learners</th>"
                     "<th scope=col>Similarity</th></tr></thead><tbody>" + "".join(
                         f"<tr><td>{h(p.exercise)}</td><td>{h(p.first.label)} and "
                         f"{h(p.second.label)}</td><td>{p.similarity:.0%}</td></tr>"
                         for p in result.similar) + "</tbody></table>")
    else:
        parts.append("<p class=muted>None.</p>")
    identity_notes = [(e, n) for e in result.entries for n in e.identity_notes]
    parts.append("<h2>Identity questions</h2>")
    parts.append("<ul>" + "".join(f"<li><code>{h(e.source)}</code>: {h(n)}</li>"
                                  for e, n in identity_notes) + "</ul>"
                 if identity_notes else "<p class=muted>None.</p>")
    if result.override_notes:
        parts.append("<h2>Overrides not applied</h2><ul>"
                     + "".join(f"<li>{h(n)}</li>" for n in result.override_notes) + "</ul>")
    parts.append("<h2>Skipped files</h2>")
    parts.append("<ul>" + "".join(f"<li><code>{h(s.source)}</code>: {h(s.reason)}</li>"
                                  for s in result.skipped) + "</ul>"
                 if result.skipped else "<p class=muted>None.</p>")
    parts.append(f"</main><script>{_SORT}</script></body></html>")
    return ("\n".join(parts) + "\n").encode("utf-8")
