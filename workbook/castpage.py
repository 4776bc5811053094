"""The cast page: a course's recurring characters, drawn from one data file.

A course that teaches through stories needs its people told once: who they are,
where they first appear. Chapters then refer back in a clause instead of retelling
a background, and a test (tests/test_cast.py) can hold the cast to its rules
because the cast is data (``docs/cast.yml``), not prose scattered over pages.

The file's shape::

    people:
      - name: Dan Reyes
        first_chapter: why-contacts     # docs/chapters/<this>.md
        role: one line
        background: a sentence or two
        family: [Other Name]            # optional: may share a surname
    organisations: [Harlow Distribution, ...]

This module only turns that data into Markdown; the MkDocs hook adds the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CAST_FILE = "cast.yml"  # beside the pages, in docs/


@dataclass(frozen=True)
class Person:
    name: str
    first_chapter: str
    role: str
    background: str
    family: tuple[str, ...] = ()

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


@dataclass(frozen=True)
class Cast:
    people: tuple[Person, ...]
    organisations: tuple[str, ...]


def parse_cast(data: Any) -> Cast:
    """The cast from the data file's plain YAML; a malformed entry raises ValueError."""
    if not isinstance(data, Mapping) or not isinstance(data.get("people"), Sequence):
        raise ValueError("the cast file needs a `people:` list")
    people = []
    for number, entry in enumerate(data["people"], start=1):
        if not isinstance(entry, Mapping):
            raise ValueError(f"people[{number}] is not a mapping")
        missing = [k for k in ("name", "first_chapter", "role", "background") if k not in entry]
        if missing:
            raise ValueError(f"people[{number}] lacks {', '.join(missing)}")
        people.append(Person(
            name=str(entry["name"]), first_chapter=str(entry["first_chapter"]),
            role=str(entry["role"]), background=str(entry["background"]),
            family=tuple(str(f) for f in entry.get("family", ()))))
    organisations = tuple(str(o) for o in data.get("organisations", ()))
    return Cast(people=tuple(people), organisations=organisations)


def load_cast(path: Path) -> Cast:
    return parse_cast(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))


def chapter_title(markdown: str) -> str:
    """'Chapter 3. Contact tiers' from a page's first heading, or '' when it has none."""
    match = re.search(r"^# (.+)$", markdown, re.MULTILINE)
    return match.group(1).strip() if match else ""


def cast_page(cast: Cast, chapters: Mapping[str, str]) -> str:
    """The cast page's Markdown, people grouped by the chapter they first appear in.

    ``chapters`` maps a chapter's file stem to its title, in reading order; people
    whose chapter is not listed come last under "Elsewhere".
    """
    lines = [
        "# The people in this course",
        "",
        "The chapters teach through the stories of a few job seekers and the people "
        "they meet. Here is everyone, once, in the order they turn up, so that you can "
        "look someone up when a later chapter mentions them in passing.",
        "",
    ]
    order = list(chapters)
    groups: dict[str, list[Person]] = {}
    for person in cast.people:
        groups.setdefault(person.first_chapter, []).append(person)
    for stem in sorted(groups, key=lambda s: order.index(s) if s in order else len(order)):
        title = chapters.get(stem)
        heading = f"[{_escape(title)}](chapters/{stem}.md)" if title else "Elsewhere"
        lines += [f"## First met in {heading}" if title else f"## {heading}", ""]
        for person in groups[stem]:
            lines.append(f"**{_escape(person.name)}**{{ #{person.anchor} }}: "
                         f"{_escape(person.role)}. {_escape(person.background)}")
            lines.append("")
    return "\n".join(lines)


def _escape(text: str) -> str:
    """Data is text, not Markdown: no tag, link or emphasis can come from the file."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return re.sub(r"([\\`*_\[\]{}<>#|!])", r"\\\1", escaped)
