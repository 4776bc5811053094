"""``report.html``: the class at a glance, in one self-contained page.

No scripts, fonts or images from anywhere: charts are inline SVG, styles inline,
so the report opens offline and can be mailed as one file. Per exercise: a
histogram of scores, and the share of learners who earned each criterion (the
skills the class is missing stand out as short bars). Then the lists an
instructor acts on: files that could not be scored, late work, resubmissions set
aside, similarity flags, skipped files and identity questions. Every piece of
learner text is escaped.
"""

from __future__ import annotations

from collections import defaultdict

from workbook.catalog import Catalog
from workbook.records import ClassResult, Summary, unpack_marks
from workbook.reporters.common import h, number, problem_text

_CSS = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:1rem 1.25rem 3rem;
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


def render(result: ClassResult, catalog: Catalog, title: str = "Class report") -> bytes:
    counts = result.counts()
    parts = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
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
    parts.append("</main></body></html>")
    return ("\n".join(parts) + "\n").encode("utf-8")
