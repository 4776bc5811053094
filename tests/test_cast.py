"""One cast for the whole course, kept in docs/cast.yml.

A reader follows a few people through nine chapters; two Lenas or two Parks make
them stop and wonder whether they have met this person before. So: no two people
share a first name, nor a surname unless they are family; each person is named in
the chapter the file says they first appear in; and the pages name nobody who is
not in the cast (researchers cited in Sources aside).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from workbook.castpage import Cast, cast_page, load_cast, parse_cast

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CAST = load_cast(DOCS / "cast.yml")
PAGES = [*sorted((DOCS / "chapters").glob("*.md")), DOCS / "index.md", DOCS / "glossary.md"]

# A capitalised pair mid-text is a proper noun: a person, an organisation, a place or a
# title. These are the pairs the pages use that are none of the cast's business.
NOT_PEOPLE = {"Carnegie Hall", "New Yorkers", "Networking Workbook", "Emotional Intelligence",
              "People You", "You May", "May Know", "Harvard Graduate", "Graduate School",
              "Frames Of", "Getting A", "Current Population", "Population Survey",
              "Labor Statistics", "Web Science", "Science Conference", "Royal Society"}
STARTERS = {"In", "On", "At", "By", "Every", "Each", "The", "This", "That", "Dear", "Our",
            "Your", "His", "Her", "Their", "When", "If", "So", "But", "And", "Or", "Then",
            "Ask", "Call", "Meet", "Imagine", "Because", "While", "After", "Before", "Like",
            "For", "From", "With", "To", "Mr", "Ms", "Mrs", "Dr"}
CALENDAR = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
            "January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December", "Chapter", "Chapters"}
WORD = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
PAIR = re.compile(rf"\b({WORD}) ({WORD})(?:['\u2019]s)?\b")


def test_no_two_people_share_a_first_name():
    counts = Counter(p.first_name for p in CAST.people)
    assert [n for n, c in counts.items() if c > 1] == []


def test_no_two_people_share_a_surname_unless_family():
    by_surname: dict[str, list[str]] = {}
    for person in CAST.people:
        by_surname.setdefault(person.surname, []).append(person.name)
    family = {(p.name, f) for p in CAST.people for f in p.family}
    for surname, names in by_surname.items():
        for other in names[1:]:
            assert (names[0], other) in family or (other, names[0]) in family, \
                f"{names} share the surname {surname}: rename one or mark them family"


@pytest.mark.parametrize("person", CAST.people, ids=lambda p: p.name)
def test_each_person_appears_in_their_first_chapter(person):
    page = DOCS / "chapters" / f"{person.first_chapter}.md"
    assert page.is_file(), f"{person.name}: no chapter {person.first_chapter}"
    assert person.name in page.read_text(encoding="utf-8"), \
        f"{person.name} is first met in {page.name} by their full name"


def _proper_pairs(text: str) -> set[str]:
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"`[^`]*`", "", text)
    return {f"{a} {b}" for a, b in PAIR.findall(text)}


def _allowed(pair: str, cast: Cast, sources: str) -> bool:
    first, second = pair.split(" ")
    names = {p.name for p in cast.people}
    first_names = {p.first_name for p in cast.people}
    return (pair in names or pair in NOT_PEOPLE
            or any(pair in org for org in cast.organisations)
            or first in STARTERS or second in CALENDAR or first in CALENDAR
            or second in first_names  # "Ask Carla", "when Maya": a cast member after a word
            or re.search(rf"\b{re.escape(second)}\b", sources) is not None)  # a cited author


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_name_only_the_cast(page: Path):
    sources = (DOCS / "sources.md").read_text(encoding="utf-8")
    strangers = sorted(pair for pair in _proper_pairs(page.read_text(encoding="utf-8"))
                       if not _allowed(pair, CAST, sources))
    assert strangers == [], (
        f"{page.name} names people who are not in docs/cast.yml: add them there "
        "(with a first name nobody else has) or, if they are not people, to NOT_PEOPLE here")


def test_the_check_catches_a_stranger_and_a_second_lena():
    sources = ""
    cast = parse_cast({"people": [{"name": "Lena Brooks", "first_chapter": "x", "role": "r",
                                   "background": "b"}], "organisations": ["Northgate Logistics"]})
    pairs = _proper_pairs("Dan met Lena Fischer at Northgate Logistics. Then Lena Brooks.")
    assert sorted(p for p in pairs if not _allowed(p, cast, sources)) == ["Lena Fischer"]


def test_the_cast_page_lists_everyone_with_an_anchor_and_escapes_the_data():
    chapters = {p.first_chapter: f"Chapter for {p.first_chapter}" for p in CAST.people}
    page = cast_page(CAST, chapters)
    for person in CAST.people:
        assert f"**{person.name}**{{ #{person.anchor} }}" in page
    hostile = parse_cast({"people": [{"name": "Eve <script>", "first_chapter": "x",
                                      "role": "[link](javascript:x)", "background": "*b*"}]})
    text = cast_page(hostile, {})
    assert "<script>" not in text and "\\*b\\*" in text
    assert "\\[link\\](javascript" in text  # brackets escaped: text, not a link


def test_a_malformed_cast_file_is_named_not_a_traceback():
    with pytest.raises(ValueError, match="people"):
        parse_cast({"folk": []})
    with pytest.raises(ValueError, match=r"people\[1\] lacks role, background"):
        parse_cast({"people": [{"name": "A B", "first_chapter": "x"}]})
