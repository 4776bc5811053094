"""The form's YAML, both ways, held to workbook/loader.py by random data.

Whatever the form writes, the Python loader reads back as exactly the same data;
whatever YAML the loader accepts, the form reads as the same data too. Both run
in the browser, on the same code the form uses (``window.workbookYaml``).
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
import yaml
from browsing import form_ready, open_page
from hypothesis import given
from hypothesis import strategies as st

from workbook.loader import load_text
from workbook.problems import WorkbookError
from workbook.slips import odd_key

pytestmark = pytest.mark.browser

SAFE_INT = 2**53  # JavaScript numbers hold integers exactly up to here

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
words = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), max_size=30)
scalars = (st.none() | st.booleans() | st.integers(-SAFE_INT, SAFE_INT)
           | st.floats(allow_nan=False, allow_infinity=False) | text | words)
# A field name that starts with a non-breaking space or a dash and a space is refused
# on purpose, by both readers, as a slip pasted from a word processor (tests/test_slips.py).
keys = (text | words).filter(lambda key: not odd_key(key))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(keys, inner, max_size=4), max_leaves=12)
documents = st.dictionaries(keys, values, min_size=1, max_size=5)


@pytest.fixture(scope="module")
def page(browser: Any, server: str) -> Any:
    opened, _ = open_page(browser, server, "exercises/contact-inventory/")
    form_ready(opened)  # the form's script is loaded when the reader nears the form
    opened.wait_for_function("() => window.workbookYaml !== undefined")
    yield opened
    opened.close()


def same(a: Any, b: Any) -> bool:
    """Equal as data: 1 and 1.0 alike (JavaScript has one kind of number), -0.0 and 0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b or (math.isclose(a, b, rel_tol=0, abs_tol=0))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@given(documents)
def test_what_the_form_writes_the_loader_reads_back_unchanged(page, data):
    # Sent as JSON text: JSON.parse keeps a key such as __proto__ as a plain key.
    written = page.evaluate("(json) => window.workbookYaml.write(JSON.parse(json))",
                            json.dumps(data))
    loaded = load_text(written, "form.yaml").data
    assert same(loaded, data), written


@given(documents, st.sampled_from([None, '"', "'", "|"]), st.booleans())
def test_what_the_loader_accepts_the_form_reads_the_same(page, data, style, flow):
    dumped = yaml.safe_dump(data, default_style=style, default_flow_style=flow,
                            allow_unicode=True, sort_keys=False)
    try:
        expected = load_text(dumped, "dumped.yaml").data
    except WorkbookError:
        return  # e.g. a key that reads as a number: refused, and tested elsewhere
    read = json.loads(page.evaluate(
        "(text) => JSON.stringify(window.workbookYaml.read(text))", dumped))
    if any(char in dumped for char in "\x85\u2028\u2029"):
        # libyaml reads these as line breaks in some places and text in others; the
        # form declines such files rather than guess (web/form/yaml-read.js).
        assert "line-break" in read["problem"]["message"]
        return
    assert "problem" not in read, (dumped, read)
    assert same(read["data"], expected), dumped


@pytest.mark.parametrize("text", ["a: 0123", "a: 1:20", "a: 2026-01-15", "a: yes", "a: ~",
                                  "a: 1.10", "a: .5", "a: +3", "a: 1e3", "a: .inf", "a: 0x1f",
                                  "a: True", "a: NULL", "a: -0", "a: '12'", "a: ! 12",
                                  "a: |\n  two\n  lines\n", "a: >-\n  folded\n  text\n",
                                  "? b\n: c\n", "a: [1, 'x', {b: null}]"])
def test_unquoted_answers_mean_what_they_mean_to_the_loader(page, text):
    read = page.evaluate("(text) => window.workbookYaml.read(text)", text)
    assert same(read["data"], load_text(text, "t.yaml").data), read


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: !!str 1\n", "<<: {a: 1}\n",
                                  "1: a\n", "a: 1\na: 2\n", "- a\n", "a: 1\n---\nb: 2\n",
                                  "", "# only a comment\n", "a:\n\t- b\n", "a: [1, 2\n",
                                  "? [a]\n: b\n", "true: x\n", "a: 'x\n", "a: !\"x\"\n"])
def test_what_the_loader_refuses_the_form_refuses(page, text):
    with pytest.raises(WorkbookError):
        load_text(text, "t.yaml")
    read = page.evaluate("(text) => window.workbookYaml.read(text)", text)
    assert "problem" in read, read
    assert read["problem"]["message"]


@pytest.mark.parametrize("text", ["a: 1\nb:\n\t- c\n", "a: 1\nb: 2\na: 3\n", "a: x\nb: &y 1\n",
                                  "a: x\nb: *y\n", "a: 1\nb: !!str 2\n", "a: 1\n---\nb: 2\n"])
def test_a_refusal_names_the_line_the_loader_names(page, text):
    with pytest.raises(WorkbookError) as refused:
        load_text(text, "t.yaml")
    read = page.evaluate("(text) => window.workbookYaml.read(text)", text)
    assert read["problem"]["line"] == refused.value.problems[0].line, read


SLIPS = [
    "exercise: x\ncontacts:\n  \u2013 name: Dan\n    tier: AA\n",  # an en dash for the hyphen
    "exercise: x\nname: \u201cDan: the planner\u201d\nb: 1\n",  # curly quotes
    "exercise: x\ncontacts:\n  - name: Dan\n    \u00a0tier: AA\n",  # a non-breaking space
    "exercise: x\ngoal: a role in planning where I\ncan use my logistics years\nb: 1\n",
    "exercise: x\nlearner:Dan\nb: 1\n",  # no space after the colon
    "exercise: x\nname: @dan on LinkedIn\nb: 1\n",
    "exercise: x\nname: &co partners\nb: 1\n",
]


@pytest.mark.parametrize("text", SLIPS)
def test_a_slip_gets_the_checkers_words_on_the_checkers_line(page, text):
    with pytest.raises(WorkbookError) as refused:
        load_text(text, "t.yaml")
    expected = refused.value.problems[0]
    read = page.evaluate("(text) => window.workbookYaml.read(text)", text)
    problem = read["problem"]
    assert (problem["line"], problem["column"], problem["message"], problem["hint"]) == (
        expected.line, expected.column, expected.message, expected.hint), problem


def test_opening_a_word_document_says_so(page, tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    target = tmp_path / "contact-inventory.yaml"
    target.write_bytes(buffer.getvalue())
    form = page.locator("[data-workbook-form]")
    before = form.get_attribute("data-opened") or "0"
    form.locator("input[type=file]").set_input_files(str(target))
    page.wait_for_function(
        f"() => document.querySelector('[data-workbook-form]').dataset.opened !== '{before}'")
    alert = page.locator(".wb-alert").inner_text()
    assert "This is a Word document, not a text file." in alert
    assert "Open it in Word, copy the text into a plain text editor" in alert
    assert "encoding" not in alert
    # What the file is comes before what to do about it.
    assert alert.index("This is a Word document") < alert.index("What to do: Open it in Word")
