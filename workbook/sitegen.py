"""Exercise pages and downloads for the site, generated from the course content.

Pure functions from a :class:`~workbook.catalog.Catalog` to Markdown and bytes;
``workbook/mkdocs_hooks.py`` hands them to MkDocs at build time. Nothing under
``docs/`` is a hand-made copy of a worksheet, schema or rubric, so the site can
never drift from what ``workbook check`` enforces.

Only learner-visible rubric data (:meth:`Criterion.public`) reaches a page;
answer keys never do. The browser form's description (:func:`form_spec`) carries
the schema, the blank worksheet and its comments, and the public rubric (no key).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from workbook.catalog import MODELINE, Catalog, Exercise
from workbook.checking import choices, meaning
from workbook.files import reproducible_zip
from workbook.loader import Document, load_bytes
from workbook.problems import Path

ENVELOPE = ("exercise", "version")
ZIP_NAME = "worksheets/all-worksheets.zip"


def worksheet_uri(exercise_id: str) -> str:
    return f"worksheets/{exercise_id}.yaml"


def schema_uri(exercise_id: str, version: int | None = None) -> str:
    """Where the site publishes an exercise's schema.

    Given the worksheet ``version:`` the blank declares, the permanent address that the
    schema's ``$id`` and every worksheet's schema line name (``schemas/v1/<id>...``), so a
    file filled in under one format keeps finding its schema after the next. Without
    it, the short address of the current schema, which the exercise pages link to.
    """
    folder = "schemas/" if version is None else f"schemas/v{version}/"
    return f"{folder}{exercise_id}.schema.json"


def page_uri(exercise_id: str) -> str:
    return f"exercises/{exercise_id}.md"


def cell(text: Any) -> str:
    """Text safe inside a Markdown table cell (no pipes, no raw HTML, one line)."""
    flat = " ".join(str(text).split())
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def field_name(name: str) -> str:
    """A field path as inline HTML code that may wrap after each dot, never mid-word.

    On a phone the fields table is narrow; ``<wbr>`` lets ``contacts[].next_action``
    break at its dot instead of inside a word.
    """
    parts = [cell(part) for part in name.split(".")]
    return "<code>" + ".<wbr>".join(parts) + "</code>"


def chapter_text(chapter: str, links: Mapping[str, str], prefix: str = "../") -> str:
    """'Chapter 3' or 'Chapters 7 and 8', each number linked where its page exists."""
    low, _, high = chapter.partition("-")
    numbers = [str(n) for n in range(int(low), int(high or low) + 1)]

    def linked(number: str) -> str:
        return f"[{number}]({prefix}{links[number]})" if number in links else number

    if len(numbers) == 1:
        return f"Chapter {linked(numbers[0])}" if numbers[0] not in links else (
            f"[Chapter {numbers[0]}]({prefix}{links[numbers[0]]})")
    shown = ", ".join(linked(n) for n in numbers[:-1]) + f" and {linked(numbers[-1])}"
    return f"Chapters {shown}"


def _resolve(schema: Mapping[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = schema.get("definitions", {})[node["$ref"].rsplit("/", 1)[-1]]
    return node


def describe_type(schema: Mapping[str, Any], node: Any) -> str:
    """A reader's description of a schema node: "one of: `AA`: someone you know well; ...",
    "list of ...". Choices carry their labels' words, so the table reads without the
    chapter open; text says "not blank" only where a blank answer is refused."""
    node = _resolve(schema, node)
    if not isinstance(node, dict):
        return "any"
    if "const" in node:
        return f"exactly `{node['const']}`"
    labelled = choices(node)
    if labelled is not None:
        return "one of: " + "; ".join(
            f"`{code}`: {meaning(code, label)}" if meaning(code, label) else f"`{code}`"
            for code, label in labelled)
    types = node.get("type", "any")
    types = [types] if isinstance(types, str) else list(types)
    blank = "null" in types
    types = [t for t in types if t != "null"]
    kind = types[0] if types else "any"
    bounds = ""
    if kind in ("integer", "number") and ("minimum" in node or "maximum" in node):
        bounds = f" from {node.get('minimum', '…')} to {node.get('maximum', '…')}"
    if kind == "array":
        items = _resolve(schema, node.get("items", {}))
        count = ""
        low, high = node.get("minItems"), node.get("maxItems")
        if low is not None and low == high:
            count = f" of exactly {low}"
        elif low:
            count = f" of at least {low}"
        inner = "entries (below)" if items.get("type") == "object" else describe_type(schema, items)
        text = f"list{count}: {inner}"
    elif kind == "object":
        text = "section (fields below)"
    else:
        text = {"string": "text", "integer": "whole number", "number": "number",
                "boolean": "`true` or `false`"}.get(kind, kind) + bounds
    if kind == "string" and node.get("pattern", "").startswith("^(\\d{4}"):
        return "date, YYYY-MM-DD, or blank"
    if kind == "string":  # blank text is always allowed unless a minimum length says not
        return text + (", not blank" if node.get("minLength", 0) > 0 else "")
    return text + (", or blank" if blank else "")


def fields(schema: Mapping[str, Any], node: Any = None, prefix: str = "",
           ) -> Iterator[tuple[str, str, bool, str]]:
    """(name, type, required, description) for every field, parents before children."""
    node = _resolve(schema, schema if node is None else node)
    required = set(node.get("required", []))
    for name, child in node.get("properties", {}).items():
        if not prefix and name in ENVELOPE:
            continue
        resolved = _resolve(schema, child)
        description = child.get("description") or resolved.get("description", "")
        path = f"{prefix}{name}"
        yield path, describe_type(schema, child), name in required, description
        if resolved.get("type") == "object":
            yield from fields(schema, resolved, f"{path}.")
        elif resolved.get("type") == "array":
            items = _resolve(schema, resolved.get("items", {}))
            if items.get("type") == "object":
                yield from fields(schema, items, f"{path}[].")


def exercise_page(exercise: Exercise, chapter_links: Mapping[str, str]) -> str:
    """The Markdown of one exercise's page (chapter links are docs-relative paths)."""
    ex_id = exercise.id
    taught = chapter_text(exercise.chapter, chapter_links)
    lines = [
        "---",
        f"title: {json.dumps(exercise.title)}",  # the navigation shows the plain title
        "---",
        "",
        f"# Exercise: {exercise.title}",
        "",
        exercise.summary,
        "",
        f"This exercise goes with {taught}. It is worth "
        f"{exercise.rubric.max_points:g} points.",
        "",
        # The form is the default path (issue 13): first and primary. The file is for
        # people who prefer a text editor, one click away.
        f"[Fill it in your browser](#{FORM_ANCHOR}){{ .md-button .md-button--primary }}",
        f"[Download the worksheet](../{worksheet_uri(ex_id)}){{ .md-button "
        f"download=\"{ex_id}.yaml\" }}",
        "",
        "## How to do it",
        "",
        f"The easy way needs nothing installed: [fill it in on this page](#{FORM_ANCHOR}). "
        "Your answers stay in this browser, even if you close the page, and are sent "
        "nowhere. Above the form you see which parts earn points as you type. When you "
        "are done, press **Download worksheet** and hand in that file.",
        "",
        "Prefer a text editor? Then:",
        "",
        f"1. Download the worksheet above (or run `workbook new {ex_id}`).",
        "2. Open it in a plain-text editor and fill it in, following the comments in the "
        "file. In VS Code with the YAML extension you get suggestions and live error marks.",
        "3. Check it, as often as you like:",
        "",
        "    ```console",
        f"    workbook check {ex_id}.yaml",
        "    ```",
        "",
        "    The checker lists anything to fix, with the line and column, or previews your "
        "score with advice for each part.",
        "",
        "4. Hand the file in the way your instructor asks.",
        "",
        "New to worksheets? Read [how to use the worksheets](../guides/worksheets.md).",
        "",
        "## What goes in the worksheet { data-search-exclude }",
        "",
        "Keep every field of the blank worksheet in your file, even while its answer is "
        "still blank; only a field marked *optional* may be left out. Fields inside a list "
        "(marked `[]`) repeat for each item.",
        "",
        '<div class="fields-table" markdown>',
        "",
        "| Field | What to write | Required | About it |",
        "|---|---|---|---|",
    ]
    for name, kind, required, description in fields(exercise.schema):
        needed = "yes" if required else "no (optional)"
        lines.append(f"| {field_name(name)} | {cell(kind)} | {needed} | {cell(description)} |")
    lines += [
        "",
        "</div>",
        "",
        "## How it is scored",
        "",
        "| Part | Points | To earn them |",
        "|---|---|---|",
    ]
    for criterion in exercise.rubric.criteria:
        public = criterion.public()
        manual = " (scored by your instructor)" if public["kind"] == "manual" else ""
        lines.append(f"| {cell(public['title'])} | {public['points']:g} | "
                     f"{cell(public['description'])}{manual} |")
    lines += [
        f"| **Total** | **{exercise.rubric.max_points:g}** | |",
        "",
        f"The worksheet's structure is described by its "
        f"[JSON Schema](../{schema_uri(ex_id)}), which editors use for suggestions.",
        "",
        # The form is drawn here by assets/worksheet-form.js (see mkdocs_hooks.py);
        # the print page and readers without JavaScript see the paragraph instead.
        f"## Fill it in your browser {{ #{FORM_ANCHOR} .wb-form-heading data-search-exclude }}",
        "",
        '<div class="wb-form" data-workbook-form data-search-exclude markdown="0">',
        '<p class="wb-form-fallback">This form needs JavaScript. Without it, download the '
        "worksheet and fill it in with any text editor.</p>",
        "</div>",
        "",
        # Printed, this section starts on a page of its own: a worksheet to fill in by hand.
        "## The blank worksheet { .worksheet-sheet data-search-exclude }",
        "",
        "This is the file you download, with its instructions. Printed, it is a page to "
        "fill in by hand before you type your answers in.",
        "",
        "``` { .yaml .worksheet-text data-search-exclude }",
        exercise.worksheet_path.read_text(encoding="utf-8").rstrip("\n"),
        "```",
        "",
    ]
    return "\n".join(lines)


FORM_ANCHOR = "fill-in-your-browser"


def _comment(line: str) -> str:
    """The comment at the end of a worksheet line (a '#' after a space, outside quotes)."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return line[index + 1:].strip()
    return ""


def field_pattern(path: Path) -> str:
    """``("contacts", 0, "tier")`` as ``contacts[].tier``: a field of any item."""
    out = ""
    for part in path:
        out += "[]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def worksheet_comments(doc: Document) -> dict[str, str]:
    """Each field's comment in a worksheet, by field pattern (``contacts[].tier``)."""
    lines = doc.text.split("\n")
    comments: dict[str, str] = {}
    for path, (line, _) in doc.positions.items():
        # A list item's position is its first field's line: only fields own comments.
        text = _comment(lines[line]) if path and isinstance(path[-1], str) else ""
        if text:
            comments.setdefault(field_pattern(path), text)
    return comments


def form_spec(exercise: Exercise, links: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """What the browser form of one exercise needs, as JSON-ready data.

    ``links`` maps every exercise id to its ``title`` and ``url`` (relative to this
    page), so a learner who opens the wrong worksheet is sent to the right page. Help text
    beside each field is the schema's ``description`` (what editors show too),
    else the field's comment in the blank worksheet (``help``). ``rubric`` is what
    the preview beside the form scores live (see :func:`form_rubric`).
    """
    blank = load_bytes(exercise.worksheet_path.read_bytes(), str(exercise.worksheet_path))
    modeline = blank.text.split("\n", 1)[0]
    header = [modeline[2:]] if MODELINE.match(modeline) else []
    header += [f"{exercise.title}: filled in with the form on the exercise's page.",
               f"Check it with:  workbook check {exercise.id}.yaml"]
    return {
        "exercise": exercise.id,
        "title": exercise.title,
        "schema": exercise.schema,
        "template": blank.data,
        "help": worksheet_comments(blank),
        "header": header,
        "exercises": dict(links),
        "rubric": form_rubric(exercise),
        # Where the worksheet keeps dated steps: the form's calendar download
        # (web/form/calendar.js) reads them as `workbook agenda` does.
        "calendar": [{"list": c.list, "date": c.date, "summary": c.summary,
                      "label": c.label, "details": list(c.details)}
                     for c in exercise.rubric.calendar],
    }


def form_rubric(exercise: Exercise) -> dict[str, Any]:
    """The rubric as the form's preview needs it, and as learners may see it.

    Each criterion's public part, its parameters (field paths and thresholds, which
    the exercise page states in words anyway) and whether it has an answer key,
    but never the key itself, nor a hand-scored criterion's guidance, which is
    written for the grader.
    """
    criteria = []
    for criterion in exercise.rubric.criteria:
        params = {} if criterion.kind == "manual" else dict(criterion.params)
        criteria.append({**criterion.public(), "params": params, "keyed": bool(criterion.key)})
    return {"max_points": exercise.rubric.max_points, "criteria": criteria}


def form_spec_json(spec: Mapping[str, Any]) -> str:
    """The spec as JSON safe inside ``<script type="application/json">`` (no ``</``)."""
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def index_page(catalog: Catalog, chapter_links: Mapping[str, str]) -> str:
    lines = [
        "# Exercises",
        "",
        "Each exercise has its own page. The easy way is to fill it in right there, in "
        "your browser: nothing to install, your answers are kept on your device, and the "
        "page shows as you type what earns points. When you are done, download the file "
        "and hand it in. If you prefer a text editor, download the blank worksheet from "
        "the page (or [all of them in one zip file]"
        f"(../{ZIP_NAME})) and check it with `workbook check` "
        "([how](../guides/worksheets.md)).",
        "",
        "| Exercise | Goes with | What you do |",
        "|---|---|---|",
    ]
    for exercise in catalog.exercises.values():
        lines.append(f"| [{cell(exercise.title)}]({exercise.id}.md) | "
                     f"{chapter_text(exercise.chapter, chapter_links)} | "
                     f"{cell(exercise.summary)} |")
    return "\n".join(lines) + "\n"


def worksheets_zip(catalog: Catalog) -> bytes:
    """All blank worksheets in one archive, identical bytes on every build."""
    return reproducible_zip((f"{exercise.id}.yaml", exercise.worksheet_path.read_bytes())
                            for exercise in catalog.exercises.values())


_CHAPTER_TITLE = re.compile(r"^# Chapter (\d+)\.", re.MULTILINE)


def chapter_number(markdown: str) -> str | None:
    """The chapter number of a page titled ``# Chapter N. ...``, if it is one."""
    match = _CHAPTER_TITLE.search(markdown)
    return match.group(1) if match else None


def schema_bytes(exercise: Exercise) -> bytes:
    return exercise.schema_path.read_bytes()
