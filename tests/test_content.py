"""The chapters keep the shape the course promises its readers.

Each chapter opens with what you will be able to do, cites research in "What the
research says" boxes, links its exercise page and worksheet download, runs to at
least 1,200 words of body text, and ends with key points and a list for this week.
Glossary and source anchors used anywhere in the book exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHAPTERS = sorted(p for p in (DOCS / "chapters").glob("*.md") if p.name != "index.md")
EXERCISES_BY_CHAPTER = {
    "1": ["search-channels"], "2": ["contact-pool"], "3": ["contact-inventory"],
    "4": ["assistance-ladder"], "5": ["interview-plan", "campaign-map", "obstacle-advantage"],
    "6": ["mutuality-ledger"], "7": ["pitch-practice"], "8": ["pitch-practice"],
}


def body_words(text: str) -> int:
    body = text.split("\n## Key points", 1)[0]
    body = re.sub(r"\]\([^)]*\)", "]", body)  # link targets are not words
    return len(re.findall(r"[A-Za-z][A-Za-z'-]*", body))


def test_there_are_eight_chapters():
    numbers = sorted(int(re.match(r"# Chapter (\d+)\.", p.read_text()).group(1))
                     for p in CHAPTERS)
    assert numbers == list(range(1, 9))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_shape(chapter: Path):
    text = chapter.read_text(encoding="utf-8")
    number = re.match(r"# Chapter (\d+)\.", text).group(1)
    assert '!!! abstract "You will be able to"' in text
    assert "## Key points" in text and "## This week" in text
    assert text.index("## Key points") < text.index("## This week")
    assert body_words(text) >= 1200, body_words(text)
    for exercise in EXERCISES_BY_CHAPTER[number]:
        assert f"../exercises/{exercise}.md" in text, exercise
        assert f"../worksheets/{exercise}.yaml" in text, exercise
    assert '!!! example "Exercise' in text


@pytest.mark.parametrize("chapter", [c for c in CHAPTERS if "practice" not in c.stem],
                         ids=lambda p: p.stem)
def test_research_boxes_cite_sources(chapter: Path):
    text = chapter.read_text(encoding="utf-8")
    boxes = re.findall(r'!!! info "What the research says"\n((?:    .*\n|\n)+)', text)
    assert boxes, "a chapter on research-backed claims needs a research box"
    for box in boxes:
        assert "../sources.md#" in box


def test_glossary_and_source_anchors_exist():
    anchors = {
        "glossary.md": set(re.findall(r"\{#([a-z0-9-]+)\}", (DOCS / "glossary.md").read_text())),
        "sources.md": set(re.findall(r"\{#([a-z0-9-]+)\}|id=\"([a-z0-9-]+)\"",
                                     (DOCS / "sources.md").read_text()).__iter__()),
    }
    anchors["sources.md"] = {a or b for a, b in anchors["sources.md"]} | set(
        re.findall(r"\{#([a-z0-9-]+)", (DOCS / "sources.md").read_text()))
    for page in DOCS.rglob("*.md"):
        for target, anchor in re.findall(r"\((?:\.\./)*(glossary|sources)\.md#([a-z0-9-]+)\)",
                                         page.read_text(encoding="utf-8")):
            assert anchor in anchors[f"{target}.md"], (page, target, anchor)


def test_every_glossary_term_is_used_in_a_chapter():
    glossary = set(re.findall(r"\{#([a-z0-9-]+)\}", (DOCS / "glossary.md").read_text()))
    used = {anchor for chapter in CHAPTERS
            for anchor in re.findall(r"glossary\.md#([a-z0-9-]+)", chapter.read_text())}
    assert glossary - used == set()
