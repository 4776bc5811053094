"""The chapters keep the shape the course promises its readers.

Each chapter is a unit of 10 to 15 minutes on a phone (the Carpentries' lesson
layout is the model): it opens with its time, the questions it answers and what
you will be able to do; it asks two to four self-check questions whose answers
fold away; its research boxes fold out under a title that already says the gist;
its exercise box offers the form first; it ends with key points and something to
do this week. Images are used and described; every citation has a source entry;
glossary and source anchors exist. The author guide lists the same rules.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHAPTERS = sorted(p for p in (DOCS / "chapters").glob("*.md") if p.name != "index.md")
FORM_ANCHOR = "fill-in-your-browser"
WORDS_PER_MINUTE = 200  # a careful reader on a phone; the opening box's time is held to it

OPENING = re.compile(
    r'\A# Chapter (?P<number>\d+)\. .+\n\n'
    r'!!! abstract "In this chapter: about (?P<minutes>\d+) minutes"\n'
    r'(?P<body>(?:    .*\n|\n)+)')
SELF_CHECK = re.compile(r'^\?\?\? question "Check yourself: (?P<q>.+)"\n(?P<a>(?:    .*\n|\n)+)',
                        re.MULTILINE)
RESEARCH = re.compile(r'^(?P<marker>!!!|\?\?\?\+?) info "What the research says(?P<rest>[^"]*)"\n'
                      r'(?P<body>(?:    .*\n|\n)+)', re.MULTILINE)
EXERCISE_BOX = re.compile(r'^!!! example "Exercise: [^"]+"\n(?P<body>(?:    .*\n|\n)+)',
                          re.MULTILINE)
LINK = re.compile(r"\]\(([^)\s]+)")


def chapter_number(path: Path) -> int:
    match = re.match(r"# Chapter (\d+)\.", path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: the first line must be '# Chapter N. Title'"
    return int(match.group(1))


def exercises_by_chapter() -> dict[int, list[str]]:
    """Chapter number -> the exercises whose rubric names it (a range counts for its last)."""
    taught: dict[int, list[str]] = {}
    for rubric in sorted((ROOT / "exercises").glob("*/rubric.yaml")):
        chapter = str(yaml.safe_load(rubric.read_text(encoding="utf-8"))["chapter"])
        taught.setdefault(int(chapter.split("-")[-1]), []).append(rubric.parent.name)
    return taught


def reading_words(text: str) -> int:
    """Words a reader reads: prose and boxes, not link targets, markup or code."""
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)  # alt text is read by screen readers only
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return len(re.findall(r"[A-Za-z][A-Za-z'-]*", text))


def test_chapters_are_numbered_one_to_n_in_the_nav_order():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    section = next(item["Chapters"] for item in config["nav"]
                   if isinstance(item, dict) and "Chapters" in item)
    entries = [e if isinstance(e, str) else next(iter(e.values())) for e in section]
    listed = [DOCS / e for e in entries if e.startswith("chapters/") and e != "chapters/index.md"]
    assert sorted(listed) == CHAPTERS, "every chapter is in the nav, once"
    assert [chapter_number(p) for p in listed] == list(range(1, len(listed) + 1))


def test_each_chapter_is_followed_in_the_nav_by_its_exercises():
    """The footer's "next" link after a chapter leads to its exercise, not the next chapter."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    section = next(item["Chapters"] for item in config["nav"]
                   if isinstance(item, dict) and "Chapters" in item)
    entries = [e if isinstance(e, str) else next(iter(e.values())) for e in section]
    taught = exercises_by_chapter()
    for chapter in CHAPTERS:
        expected = [f"exercises/{e}.md" for e in taught.get(chapter_number(chapter), [])]
        if not expected:
            continue
        after = entries[entries.index(f"chapters/{chapter.name}") + 1:]
        after = [e for e in after if not e.startswith("notebooks/")]
        assert sorted(after[:len(expected)]) == expected, chapter.name


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_opens_with_its_time_questions_and_objectives(chapter: Path):
    text = chapter.read_text(encoding="utf-8")
    opening = OPENING.match(text)
    assert opening, ('the chapter opens with \'!!! abstract "In this chapter: about N minutes"\' '
                     "right after its title")
    body = opening["body"]
    assert "**Questions it answers**" in body and "**You will be able to**" in body
    assert body.count("\n    - ") >= 4, "at least two questions and two objectives"
    minutes = int(opening["minutes"])
    assert 8 <= minutes <= 15, "a unit is 10 to 15 minutes on a phone: split longer chapters"
    needed = reading_words(text) / WORDS_PER_MINUTE
    assert abs(minutes - needed) <= 3, f"{reading_words(text)} words read in about {needed:.0f} min"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_two_to_four_self_checks_with_folded_answers(chapter: Path):
    text = chapter.read_text(encoding="utf-8")
    checks = SELF_CHECK.findall(text)
    assert 2 <= len(checks) <= 4, f"{len(checks)} self-checks"
    for question, answer in checks:
        assert question.endswith("?"), question
        assert len(re.findall(r"\w+", answer)) >= 15, f"the answer to '{question}' explains"
    assert not re.search(r'^!!! question "Check yourself', text, re.MULTILINE), \
        "self-check answers are folded: ??? question, not !!!"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_research_boxes_fold_under_a_summary_and_cite_sources(chapter: Path):
    text = chapter.read_text(encoding="utf-8")
    for box in RESEARCH.finditer(text):
        assert box["marker"] == "???", "research boxes fold out: use ??? info"
        assert box["rest"].startswith(": ") and len(box["rest"].split()) >= 4, \
            'the title carries the gist: "What the research says: ..."'
        assert "sources.md#" in box["body"], "a research box cites its sources"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_exercise_boxes_lead_with_the_form(chapter: Path):
    text = chapter.read_text(encoding="utf-8")
    taught = exercises_by_chapter().get(chapter_number(chapter), [])
    boxes = [m["body"] for m in EXERCISE_BOX.finditer(text)]
    if taught:
        assert boxes, "a chapter that teaches an exercise has an exercise box"
    for body in boxes:
        links = LINK.findall(body)
        assert links, "an exercise box links its exercise"
        first = links[0]
        assert re.fullmatch(rf"\.\./exercises/[a-z-]+\.md#{FORM_ANCHOR}", first), \
            f"the first link is the form on the exercise page, not {first}"
        exercise = first.split("/")[-1].split(".")[0]
        assert f"../worksheets/{exercise}.yaml" in body, "then the text-editor path"
    linked = {link.split("/")[-1].split(".")[0] for body in boxes for link in LINK.findall(body)
              if link.startswith("../exercises/")}
    assert set(taught) <= linked, f"every exercise this chapter teaches has a box: {taught}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_ends_with_key_points_and_this_week(chapter: Path):
    text = chapter.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings[-2:] == ["Key points", "This week"], headings[-3:]
    this_week = text.split("\n## This week\n", 1)[1]
    assert re.search(r"^1\. ", this_week, re.MULTILINE), "numbered steps to do"


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md"))


def test_every_image_is_used_with_alt_text_that_carries_a_point():
    images = {p.name for p in (DOCS / "images").iterdir() if p.is_file()}
    used: dict[str, list[str]] = {}
    for page in _pages():
        for alt, target in re.findall(r"!\[([^\]]*)\]\(([^)\s]+)", page.read_text("utf-8")):
            used.setdefault(target.split("/")[-1], []).append(alt)
    notebook = (DOCS / "notebooks" / "contact-pool.ipynb").read_text("utf-8")
    for name in images:
        assert name in used or name in notebook, f"docs/images/{name} is used by no page"
        for alt in used.get(name, []):
            assert len(alt.split()) >= 8, f"{name}: alt text says what to take from it: {alt!r}"


def _source_anchors() -> set[str]:
    text = (DOCS / "sources.md").read_text(encoding="utf-8")
    return (set(re.findall(r"\{\s*#([a-z0-9-]+)", text))
            | set(re.findall(r'id="([a-z0-9-]+)"', text)))


def test_glossary_and_source_anchors_exist():
    anchors = {
        "glossary.md": set(re.findall(r"\{#([a-z0-9-]+)\}", (DOCS / "glossary.md").read_text())),
        "sources.md": _source_anchors(),
    }
    for page in _pages():
        for target, anchor in re.findall(r"\((?:\.\./)*(glossary|sources)\.md#([a-z0-9-]+)\)",
                                         page.read_text(encoding="utf-8")):
            assert anchor in anchors[f"{target}.md"], (page, target, anchor)


CITATION = re.compile(r"\b(?P<who>[A-Z][A-Za-z'-]+)(?: et al\.| (?:and|&) [A-Z][A-Za-z'-]+)?,? "
                      r"\(?(?P<year>(?:19|20)\d\d)\b")


@pytest.mark.parametrize("page", [*CHAPTERS, DOCS / "glossary.md", DOCS / "index.md"],
                         ids=lambda p: p.stem)
def test_every_citation_in_the_text_has_a_source_entry(page: Path):
    """'Granovetter (1973)', '(Rajkumar et al., 2022)': the author and year are in Sources."""
    sources = (DOCS / "sources.md").read_text(encoding="utf-8")
    text = page.read_text(encoding="utf-8")
    cited = {(m["who"], m["year"]) for m in CITATION.finditer(text)}
    ignore = {"Chapter", "In", "By", "Since", "From", "Until", "Before", "After", "Table"}
    for who, year in sorted(cited):
        if who in ignore or not re.search(rf"\b{re.escape(who)}\b", sources):
            # Not an author at all (a month, a place), or an author with no entry: the
            # second is caught by requiring a sources link in the same sentence below.
            continue
        name = re.escape(who)
        assert re.search(rf"\b{name}\b[^\n]*\b{year}\b|\b{year}\b[^\n]*\b{name}\b", sources), \
            f"{who} {year} is cited but has no entry in Sources"
    for link in re.findall(r"sources\.md#([a-z0-9-]+)", text):
        assert link in _source_anchors(), link


def test_sources_entries_are_complete():
    """Each entry: authors, year, title, venue; a DOI or stable link where the text has one."""
    text = (DOCS / "sources.md").read_text(encoding="utf-8")
    entries = [e for e in re.split(r"\n(?=\S)", text) if re.search(r"\{\s*#[a-z0-9-]+", e)]
    assert len(entries) >= 15
    for entry in entries:
        assert re.search(r"\((?:19|20)\d\d[a-z]?\)|\b(?:19|20)\d\d\b", entry), entry[:80]
    for study in ("McCarty", "Nowicki", "Backstrom", "Rajkumar", "Kochen", "Thorndike",
                  "Salovey", "Bureau of Labor Statistics"):
        assert study in text, f"Sources lacks {study}"
    assert "10.1145/2380718.2380723" in text and "33-42" in text.replace("\u2013", "-")


def test_every_glossary_term_is_used_in_a_chapter():
    glossary = set(re.findall(r"\{#([a-z0-9-]+)\}", (DOCS / "glossary.md").read_text()))
    used = {anchor for page in [*CHAPTERS, DOCS / "notebooks" / "contact-pool.ipynb"]
            for anchor in re.findall(r"glossary\.md#([a-z0-9-]+)", page.read_text())}
    assert glossary - used == set()


@pytest.mark.parametrize("term", ["median", "log-scale", "scale-up-survey", "triadic-closure",
                                  "yaml", "degrees-of-separation"])
def test_glossary_defines_the_terms_readers_meet(term: str):
    glossary = (DOCS / "glossary.md").read_text(encoding="utf-8")
    assert f"{{#{term}}}" in glossary, f"the glossary defines {term}"
