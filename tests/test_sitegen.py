"""The site's generated exercise pages and downloads match the course content exactly."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from workbook import sitegen
from workbook.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent


def test_every_field_of_every_schema_is_in_its_page(catalog: Catalog):
    for exercise in catalog.exercises.values():
        page = sitegen.exercise_page(exercise, {})
        for name, _, _, _ in sitegen.fields(exercise.schema):
            assert sitegen.field_name(name) in page, (exercise.id, name)
        assert f"../worksheets/{exercise.id}.yaml" in page
        assert f"workbook check {exercise.id}.yaml" in page


def test_pages_show_criteria_but_never_answer_keys(catalog: Catalog):
    keyed = [(e, c) for e in catalog.exercises.values() for c in e.rubric.criteria if c.key]
    assert keyed, "at least one rubric keeps an instructor-only key"
    for exercise, criterion in keyed:
        page = sitegen.exercise_page(exercise, {})
        assert criterion.title in page
        for value in json.dumps(dict(criterion.key)).split('"'):
            if len(value) > 3 and value not in exercise.worksheet_path.read_text():
                assert value not in page, (exercise.id, value)
        order = criterion.key.get("order")
        if order:
            assert ", ".join(order) not in page


def test_all_worksheets_zip_is_deterministic_and_complete(catalog: Catalog):
    data = sitegen.worksheets_zip(catalog)
    assert data == sitegen.worksheets_zip(catalog)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == sorted(f"{i}.yaml" for i in catalog.ids)
        for exercise in catalog.exercises.values():
            assert archive.read(f"{exercise.id}.yaml") == exercise.worksheet_path.read_bytes()


@pytest.mark.parametrize(("text", "safe"), [("a|b", "a\\|b"), ("<b>", "&lt;b&gt;"),
                                            ("two\nlines", "two lines")])
def test_table_cells_are_escaped(text, safe):
    assert sitegen.cell(text) == safe


def test_chapter_text_links_each_chapter():
    links = {"7": "chapters/practice.md", "8": "chapters/channels.md"}
    assert sitegen.chapter_text("7-8", links) == (
        "Chapters [7](../chapters/practice.md) and [8](../chapters/channels.md)")
    assert sitegen.chapter_text("7", links) == "[Chapter 7](../chapters/practice.md)"
    assert sitegen.chapter_text("3", links) == "Chapter 3"


def test_field_names_wrap_only_after_dots():
    assert sitegen.field_name("contacts[].next_action") == (
        "<code>contacts[].<wbr>next_action</code>")


def test_navigation_lists_exercises_in_catalog_order(catalog: Catalog):
    import yaml

    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    section = next(item["Exercises"] for item in config["nav"]
                   if isinstance(item, dict) and "Exercises" in item)
    listed = [entry.split("/")[1].removesuffix(".md") for entry in section[1:]]
    assert listed == catalog.ids


def test_chapter_number():
    assert sitegen.chapter_number("# Chapter 3. Tiers\n") == "3"
    assert sitegen.chapter_number("# Glossary\n") is None


def test_built_site_publishes_worksheets_and_schemas_byte_for_byte(built_site: Path,
                                                                   catalog: Catalog):
    for exercise in catalog.exercises.values():
        assert (built_site / "worksheets" / f"{exercise.id}.yaml").read_bytes() == \
            exercise.worksheet_path.read_bytes()
        assert (built_site / "schemas" / f"{exercise.id}.schema.json").read_bytes() == \
            exercise.schema_path.read_bytes()
        assert (built_site / "exercises" / exercise.id / "index.html").exists()
    for shared in ("rubric.schema.json", "results.schema.json"):
        assert (built_site / "schemas" / shared).read_bytes() == \
            (ROOT / "schemas" / shared).read_bytes()
    assert (built_site / "worksheets" / "all-worksheets.zip").exists()


def test_notebook_is_rendered_with_its_chart_and_working_links(built_site: Path):
    page = (built_site / "notebooks" / "contact-pool" / "index.html").read_text()
    assert "data:image/png;base64" in page or "<svg" in page
    assert "../sources.md" not in page and "../../sources/" in page
    assert 'href="contact-pool.ipynb"' in page  # the download link beside the page
    assert (built_site / "notebooks" / "contact-pool" / "contact-pool.ipynb").exists()
