"""The form with files and saved answers far bigger than any worksheet (issue 15, part 9).

A file the loader accepts can still hold 5,000 contacts where 500 are allowed, or a
list of 249,000 numbers; the form used to spend minutes drawing them, and answers of
that size saved in the browser hung the page on every later visit. Now the form
refuses such a file before drawing anything, in `workbook check`'s words and at its
line and column (web/form/bounds.js), and sets such saved answers aside, offered for
download, never written over. No timings are asserted (speed lives in benchmarks);
each wait has a deadline so that a hang fails the test instead of stalling it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from browsing import form_ready, open_page

from workbook.catalog import Catalog, Exercise
from workbook.worksheet import check_path

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
STORE_KEY = "workbook-form:v1:contact-inventory"
DEADLINE_MS = 60_000  # far beyond what any of these takes; only a hang reaches it


def form_page(browser: Any, server: str, exercise_id: str, **context: Any) -> Any:
    page, _ = open_page(browser, server, f"exercises/{exercise_id}/", **context)
    form_ready(page, timeout=DEADLINE_MS)
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def open_file(page: Any, target: Path) -> dict[str, Any]:
    before = page.locator("[data-workbook-form]").get_attribute("data-opened") or "0"
    page.locator("[data-workbook-form] input[type=file]").set_input_files(str(target))
    page.wait_for_function(
        f"() => document.querySelector('[data-workbook-form]').dataset.opened !== '{before}'",
        timeout=DEADLINE_MS)
    return page.evaluate("""() => ({
        alert: document.querySelector('.wb-alert').hidden ? null
            : document.querySelector('.wb-alert').innerText,
        items: document.querySelectorAll('.wb-items > li').length,
        data: window.workbookForm.data,
    })""")


def lists_with_a_limit(exercise: Exercise) -> list[tuple[tuple[Any, ...], int]]:
    """(path to the list, with 0 for "any item" on the way; maxItems) for each list."""
    schema = exercise.schema
    found: list[tuple[tuple[Any, ...], int]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        while "$ref" in node:
            node = schema["definitions"][node["$ref"].rsplit("/", 1)[-1]]
        if "maxItems" in node:
            found.append((path, node["maxItems"]))
        for name, child in node.get("properties", {}).items():
            walk(child, (*path, name))
        if isinstance(node.get("items"), dict):
            walk(node["items"], (*path, 0))

    walk(schema, ())
    return found


def overfilled(exercise: Exercise, path: tuple[Any, ...], most: int) -> dict[str, Any]:
    """The full example with the list at ``path`` one item over its maxItems."""
    data = yaml.safe_load((exercise.folder / "examples" / "full.yaml").read_text(encoding="utf-8"))
    holder = data
    for part in path[:-1]:
        holder = holder[part]
    items = holder[path[-1]] or [None]
    # Copies, not the same object again: yaml.safe_dump would write an anchor and alias.
    holder[path[-1]] = [copy.deepcopy(items[i % len(items)]) for i in range(most + 1)]
    return data


def every_limited_list(catalog: Catalog) -> list[tuple[str, tuple[Any, ...], int]]:
    return [(exercise.id, path, most) for exercise in catalog.exercises.values()
            for path, most in lists_with_a_limit(exercise)]


def test_a_list_longer_than_allowed_is_refused_in_the_checkers_words(browser, server, catalog,
                                                                       tmp_path):
    """Every list with a maxItems in every exercise: one item over is refused before
    drawing, with workbook check's message, hint, line and column."""
    cases = every_limited_list(catalog)
    assert len(cases) >= 9, cases  # each exercise has at least one list with a limit
    pages: dict[str, Any] = {}
    for exercise_id, path, most in cases:
        exercise = catalog.get(exercise_id)
        target = tmp_path / f"{exercise_id}-{len(pages)}.yaml"
        target.write_text(yaml.safe_dump(overfilled(exercise, path, most), sort_keys=False,
                                         allow_unicode=True), encoding="utf-8")
        problem = next(p for p in check_path(str(target), catalog).problems
                       if p.code == "schema.maxItems")
        page = pages.get(exercise_id) or form_page(browser, server, exercise_id)
        pages[exercise_id] = page
        before = page.evaluate("JSON.stringify(window.workbookForm.data)")
        seen = open_file(page, target)
        assert seen["alert"] is not None, (exercise_id, path)
        assert (f"could not be opened (line {problem.line}, column {problem.column}). "
                f"{problem.message}") in seen["alert"], (seen["alert"], problem)
        assert f"What to do: {problem.hint}" in seen["alert"]
        assert json.dumps(seen["data"], separators=(",", ":")) == before  # answers as they were
    for page in pages.values():
        page.close()


def test_a_list_of_249000_values_is_refused_without_drawing_any(browser, server, tmp_path):
    """The amplification file of issue 15: under the loader's value limit, and once
    never finished opening in the form."""
    target = tmp_path / "flood.yaml"
    target.write_text("exercise: contact-inventory\nversion: 1\n"
                      "learner: {name: Ann Lee, id: s1, email: a@b.org}\n"
                      "contacts: [" + "1," * 248_999 + "1]\n", encoding="utf-8")
    page = form_page(browser, server, "contact-inventory")
    drawn = page.evaluate("document.querySelectorAll('.wb-items > li').length")
    seen = open_file(page, target)
    assert seen["alert"] is not None
    assert ("(line 4, column 1). 'contacts' may have at most 500 items; it has 249000."
            in seen["alert"])
    assert "What to do: Remove 248500, keeping your best." in seen["alert"]
    assert seen["items"] == drawn
    page.close()


def test_the_largest_lists_allowed_are_drawn_folded_one_line_each(browser, server, tmp_path):
    contacts = [{"name": f"Person {i}", "tier": "AA", "relationship": "friend",
                 "next_action": "email on Monday"} for i in range(500)]
    target = tmp_path / "five-hundred.yaml"
    target.write_text(yaml.safe_dump({"exercise": "contact-inventory", "version": 1,
                                      "learner": {"name": "Ann", "id": "1", "email": "a@b.org"},
                                      "contacts": contacts}, sort_keys=False), encoding="utf-8")
    page = form_page(browser, server, "contact-inventory")
    seen = open_file(page, target)
    assert seen["alert"] is None
    assert seen["items"] == 500
    assert len(seen["data"]["contacts"]) == 500
    folded = page.evaluate("[...document.querySelectorAll('.wb-items > li')]"
                           ".filter((li) => li.querySelector('[data-action=toggle]')"
                           "?.getAttribute('aria-expanded') === 'false').length")
    assert folded == 500
    page.close()


def test_a_file_with_more_unknown_fields_than_the_checker_lists_is_refused(browser, server,
                                                                          tmp_path):
    target = tmp_path / "fields.yaml"
    extra = "".join(f"  extra_{i}: x\n" for i in range(150))
    target.write_text("exercise: contact-inventory\nversion: 1\nlearner:\n  name: Ann\n"
                      f"{extra}contacts: []\n", encoding="utf-8")
    page = form_page(browser, server, "contact-inventory")
    seen = open_file(page, target)
    assert seen["alert"] is not None
    assert ("(line 3, column 1). The file has more than 100 fields this worksheet does not "
            "have (the first: unknown field 'extra_0' in 'learner').") in seen["alert"]
    assert page.locator(".wb-problem-box").count() == 0
    page.close()


def test_nesting_one_level_past_the_limit_gets_the_loaders_words(browser, server, catalog,
                                                                 tmp_path):
    target = tmp_path / "deep.yaml"
    nested = "".join(" " * (2 * i + 2) + "-\n" for i in range(40)) + " " * 82 + "- 1\n"
    target.write_text("exercise: contact-inventory\nversion: 1\nx:\n" + nested, encoding="utf-8")
    problem = check_path(str(target), catalog).problems[0]
    assert problem.message == "The file nests more than 40 levels deep."
    page = form_page(browser, server, "contact-inventory")
    seen = open_file(page, target)
    assert seen["alert"] is not None
    assert problem.message in seen["alert"]
    assert "Maximum call stack" not in seen["alert"]
    page.close()


def twenty_thousand() -> str:
    contacts = [{"name": f"P{i}", "tier": "AA", "relationship": "friend"} for i in range(20_000)]
    return json.dumps({"data": {"exercise": "contact-inventory", "version": 1,
                                "contacts": contacts}, "savedAt": "2 Dec 2026"})


# kind: (stored text, what the notice says, what workbook check says of the download,
# or None where the download is the stored text itself: damaged, or beyond the
# loader's limits, which no worksheet could hold)
SAVED = {
    "twenty-thousand": (twenty_thousand, "'contacts' may have at most 500 items; it has 20000.",
                        "'contacts' may have at most 500 items; it has 20000."),
    "damaged": (lambda: '{"data": {"exercise": "contact-inv',
                "The stored copy is damaged and cannot be read back as answers.", None),
    "nested-5000-deep": (lambda: '{"data": {"x": ' + "[" * 5000 + "]" * 5000 + "}}",
                         "The answers nest more than 40 levels deep.", None),
    "nested-41-deep": (lambda: '{"data": {"x": ' + "[" * 41 + "]" * 41 + "}}",
                       "The answers nest more than 40 levels deep.", None),
}


@pytest.mark.parametrize("kind", sorted(SAVED))
def test_saved_answers_the_form_cannot_use_are_set_aside_and_offered(browser, server, catalog,
                                                                     tmp_path, kind):
    make, reason, checked = SAVED[kind]
    stored = make()
    page = form_page(browser, server, "contact-inventory", accept_downloads=True)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORE_KEY, stored])
    page.reload()
    form_ready(page, timeout=DEADLINE_MS)
    notice = page.locator(".wb-set-aside")
    assert notice.is_visible()
    text = notice.inner_text()
    assert "Answers saved in this browser earlier" in text and reason in text, text
    assert page.evaluate("document.querySelectorAll('.wb-items > li').length") <= 1  # the blank

    # Typing now saves under the usual key; the set-aside copy is untouched.
    page.locator("[data-workbook-form] input[type=text]").first.fill("Typed after")
    aside = page.evaluate("(k) => localStorage.getItem(k + ':set-aside')", STORE_KEY)
    assert aside == stored
    assert "Typed after" in page.evaluate("(k) => localStorage.getItem(k)", STORE_KEY)

    # Still there after a reload, and downloadable: nothing is lost.
    page.reload()
    form_ready(page, timeout=DEADLINE_MS)
    assert page.locator(".wb-set-aside").is_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the saved answers").click()
    name = download.value.suggested_filename
    saved = tmp_path / name
    download.value.save_as(saved)
    if checked is None:
        assert name == "contact-inventory-saved.txt"
        assert saved.read_text(encoding="utf-8") == stored
    else:  # a worksheet again, all 20,000 contacts in it: workbook check says what to fix
        assert name == "contact-inventory-saved.yaml"
        problems = check_path(str(saved), catalog).problems
        assert any(checked in p.message for p in problems), problems

    page.get_by_role("button", name="Delete them").click()
    assert not page.locator(".wb-set-aside").is_visible()
    assert page.evaluate("(k) => localStorage.getItem(k + ':set-aside')", STORE_KEY) is None
    page.reload()
    form_ready(page, timeout=DEADLINE_MS)
    assert not page.locator(".wb-set-aside").is_visible()
    first = page.locator("[data-workbook-form] input[type=text]").first
    assert first.input_value() == "Typed after"
    page.close()
