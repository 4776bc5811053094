"""The site's generated exercise pages and downloads match the course content exactly."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from workbook import sitegen
from workbook.catalog import Catalog
from workbook.rubric import Criterion

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
    # Course rubrics may hold no key at all, so one keyed criterion is always added.
    exercise = catalog.exercises["search-channels"]
    secret = Criterion("secret-rank", "Secret ranking", "ordering", 5, "Rank them.",
                       {"pass": "ok", "fail": "no"}, {"path": "actions"},
                       {"order": ["zebra-first", "yak-second", "emu-third"]})
    rubric = replace(exercise.rubric, criteria=(*exercise.rubric.criteria, secret))
    keyed.append((replace(exercise, rubric=rubric), secret))
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
    """Exercises sit in the Chapters section, each after the chapter that teaches it."""
    import yaml

    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    section = next(item["Chapters"] for item in config["nav"]
                   if isinstance(item, dict) and "Chapters" in item)
    entries = [e if isinstance(e, str) else next(iter(e.values())) for e in section]
    listed = [e.split("/")[1].removesuffix(".md") for e in entries if e.startswith("exercises/")]
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


# --- the browser form's description ---------------------------------------------------

def spec_for(catalog: Catalog, exercise_id: str) -> dict:
    links = {e.id: {"title": e.title, "url": f"../{e.id}/"} for e in catalog.exercises.values()}
    return sitegen.form_spec(catalog.exercises[exercise_id], links)


def test_form_spec_starts_from_the_blank_worksheet_and_its_schema(catalog: Catalog):
    for exercise in catalog.exercises.values():
        spec = spec_for(catalog, exercise.id)
        assert spec["schema"] == exercise.schema
        assert {k: v for k, v in spec["template"].items() if k != "learner"} == exercise.blank
        first_line = exercise.worksheet_path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert "# " + spec["header"][0] == first_line
        assert set(spec["exercises"]) == set(catalog.ids)


def test_every_field_has_help_text_beside_it(catalog: Catalog):
    """Help comes from the schema's description, else the worksheet's own comment."""
    for exercise in catalog.exercises.values():
        spec = spec_for(catalog, exercise.id)
        for name, _, _, description in sitegen.fields(exercise.schema):
            assert description or spec["help"].get(name), (exercise.id, name)


def test_worksheet_comments_are_read_per_field():
    from workbook.loader import load_text

    doc = load_text('a: ""   # the a field\nb:\n  - c: "#not" # item field\n'
                    "    d: 'it''s' # quoted\ne: x#y\n", "t.yaml")
    assert sitegen.worksheet_comments(doc) == {
        "a": "the a field", "b[].c": "item field", "b[].d": "quoted"}


def test_schema_fields_are_in_the_blank_worksheet_order(catalog: Catalog):
    """The form writes fields in the schema's order; it must read like the template."""
    def check(node, data, where):
        node = resolve(exercise.schema, node)
        if isinstance(data, dict):
            order = list(node.get("properties", {}))
            assert [k for k in order if k in data] == list(data), where
            for name, value in data.items():
                check(node["properties"][name], value, f"{where}.{name}")
        elif isinstance(data, list):
            for item in data:
                check(node.get("items", {}), item, f"{where}[]")

    def resolve(schema, node):
        while "$ref" in node:
            node = schema["definitions"][node["$ref"].rsplit("/", 1)[-1]]
        return node

    for exercise in catalog.exercises.values():
        check(exercise.schema, spec_for(catalog, exercise.id)["template"], exercise.id)


def test_form_spec_carries_no_answer_key_and_cannot_close_its_script(catalog: Catalog):
    for exercise in catalog.exercises.values():
        text = sitegen.form_spec_json(spec_for(catalog, exercise.id))
        assert "</" not in text and "<" not in text
        assert json.loads(text)["exercise"] == exercise.id
        for criterion in exercise.rubric.criteria:
            for value in json.dumps(dict(criterion.key or {})).split('"'):
                if len(value) > 3 and value not in json.dumps(dict(exercise.schema)) \
                        and value not in exercise.worksheet_path.read_text():
                    assert value not in text, (exercise.id, value)


def test_exercise_pages_offer_the_form(catalog: Catalog):
    page = sitegen.exercise_page(catalog.exercises["contact-inventory"], {})
    assert "data-workbook-form" in page
    assert f"(#{sitegen.FORM_ANCHOR})" in page and f"#{sitegen.FORM_ANCHOR} " in page


# --- the fields table: labels for choices, "optional" only where true -----------------------

def test_fields_table_shows_every_choice_with_its_label(catalog: Catalog):
    from workbook.checking import choices, meaning

    page = sitegen.exercise_page(catalog.exercises["contact-inventory"], {})
    assert "`AA`: someone you already know well (primary)" in page
    for exercise in catalog.exercises.values():
        for name, kind, _, _ in sitegen.fields(exercise.schema):
            node = exercise.schema
            for part in name.replace("[]", "").split("."):
                node = sitegen._resolve(exercise.schema, node)
                node = sitegen._resolve(exercise.schema, node.get("items", node))
                node = sitegen._resolve(exercise.schema, node["properties"][part])
            node = sitegen._resolve(exercise.schema, node.get("items", node))
            for code, label in choices(node) or []:
                assert f"`{code}`" in kind, (exercise.id, name, code)
                assert meaning(code, label) in kind, (exercise.id, name, code)


def test_the_fields_table_says_optional_only_of_fields_that_may_be_left_out(catalog: Catalog):
    """The learner's id and email are optional: the schema does not require them, the
    table says so, and nothing marked required calls itself optional."""
    for exercise in catalog.exercises.values():
        rows = {name: (required, about) for name, _, required, about
                in sitegen.fields(exercise.schema)}
        assert rows["learner.id"][0] is False and rows["learner.email"][0] is False
        assert rows["learner.name"][0] is True
        for name, (required, about) in rows.items():
            assert not (required and "optional" in about.casefold()), (exercise.id, name)
        page = sitegen.exercise_page(exercise, {})
        assert f"| {sitegen.field_name('learner.id')} | text | no (optional) |" in page
        assert f"| {sitegen.field_name('learner.name')} | text | yes |" in page


def test_text_says_not_blank_only_where_a_blank_is_refused(catalog: Catalog):
    schema = catalog.exercises["contact-inventory"].schema
    kinds = {name: kind for name, kind, _, _ in sitegen.fields(schema)}
    assert kinds["contacts[].name"] == "text, not blank"
    assert kinds["contacts[].next_action"] == "text"
    assert sitegen.describe_type({}, {"type": ["integer", "null"]}) == "whole number, or blank"
