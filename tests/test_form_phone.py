"""The worksheet form on a phone, as a career changer who has never seen YAML uses it.

At 360 and 390 px wide: every control is big enough for a finger (44 x 44 px, WCAG
2.5.5), nothing makes the page scroll sideways, dates are picked with the browser's
own date picker and land in the file as YYYY-MM-DD, list items fold to one line,
25 contacts can be entered without scrolling through dozens of screens, problems are
named as a person would name them, and Material's floating "Back to top" button never
covers the field being typed in.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browsing import form_ready
from test_form import css, download, form_page, resolve, unfold

from workbook.catalog import Catalog
from workbook.loader import load_bytes
from workbook.worksheet import check_path

pytestmark = pytest.mark.browser

PHONES = [{"width": 360, "height": 740}, {"width": 390, "height": 844}]
CONTACT_FIELDS = ("organisation", "next_action")

# Every control a learner presses or types in; the hidden file input is opened by
# the "Open a worksheet" button and is never on screen.
CONTROLS = """() => [...document.querySelectorAll(
    '.wb-form button, .wb-form input:not([type=file]), .wb-form select, .wb-form textarea')]
    .filter((el) => el.getClientRects().length > 0)
    .map((el) => {
        const box = el.getBoundingClientRect();
        return {what: `${el.tagName.toLowerCase()}[${el.type || ''}] ${(el.textContent ||
                       el.dataset.control || '').trim().slice(0, 40)}`,
                width: box.width, height: box.height, left: box.left, right: box.right};
    })"""


def node_at(exercise: Any, path: tuple[Any, ...]) -> dict[str, Any]:
    """The schema node for a place in the worksheet."""
    node = resolve(exercise, exercise.schema)
    for part in path:
        node = resolve(exercise, node["items"] if isinstance(part, int)
                       else node["properties"][part])
    return node


def choice_label(catalog: Catalog, exercise_id: str, path: tuple[Any, ...], code: str) -> str:
    """What the learner reads for ``code``: its title in the schema, else the code."""
    for choice in node_at(catalog.exercises[exercise_id], path).get("oneOf", []):
        if choice.get("const") == code:
            return str(choice.get("title", code))
    return code


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    inner = page.evaluate("innerWidth")
    assert width <= inner, f"the page scrolls sideways ({width}px on a {inner}px screen)"


@pytest.mark.parametrize("viewport", PHONES, ids=lambda v: f"{v['width']}px")
@pytest.mark.parametrize("exercise_id", ["contact-inventory", "mutuality-ledger",
                                         "pitch-practice"])
def test_every_control_is_big_enough_for_a_finger_and_nothing_is_wider_than_the_screen(
        browser, server, exercise_id, viewport):
    page, seen = form_page(browser, server, exercise_id, viewport=viewport)
    # Two items in every list, so each shows Fold, Move up or down and Remove, and the
    # problems shown: the form at its fullest.
    for add in page.locator(".wb-add").all():
        add.click()
    if page.get_by_role("button", name="Show what to fix").count():
        page.get_by_role("button", name="Show what to fix").click()
    controls = page.evaluate(CONTROLS)
    kinds = {c["what"].split(" ")[0] for c in controls}
    assert {"button[button]", "input[text]"} <= kinds, kinds
    if exercise_id == "contact-inventory":
        assert {"input[checkbox]", "select[select-one]"} <= kinds, kinds
    if exercise_id == "mutuality-ledger":
        assert "input[date]" in kinds
    small = [c for c in controls if c["width"] < 44 or c["height"] < 44]
    assert small == [], small
    outside = [c for c in controls if c["left"] < 0 or c["right"] > viewport["width"]]
    assert outside == [], outside
    no_sideways_scroll(page)
    # The blank worksheet under the form is wider than a phone: it scrolls in its own box.
    code = page.evaluate("""() => { const c = document.querySelector('.worksheet-text code');
        const box = c.getBoundingClientRect();
        return {scroll: c.scrollWidth, client: c.clientWidth, right: box.right,
                overflow: getComputedStyle(c).overflowX}; }""")
    assert code["scroll"] > code["client"] and code["overflow"] == "auto", code
    assert code["right"] <= viewport["width"], code
    assert not seen["errors"], seen
    page.close()


@pytest.mark.parametrize(("exercise_id", "item"), [("mutuality-ledger", ("exchanges", 0)),
                                                   ("search-channels", ("actions", 0))])
def test_dates_are_picked_and_land_in_the_file_as_written(browser, server, catalog,
                                                          exercise_id, item, tmp_path: Path):
    assert "pattern" in node_at(catalog.exercises[exercise_id], (*item, "date"))
    page, _ = form_page(browser, server, exercise_id, viewport=PHONES[1],
                        accept_downloads=True)
    if not page.locator(css("data-control", (*item, "date"))).count():
        page.locator(f"[data-action='add']{css('data-target', item[:-1])}").click()
    date = page.locator(css("data-control", (*item, "date")))
    assert date.get_attribute("type") == "date"
    date.fill("2026-03-14")
    saved = download(page, tmp_path / "dated.yaml")
    data = load_bytes(saved.read_bytes(), "dated.yaml").data
    entry = data
    for part in item:
        entry = entry[part]
    assert entry["date"] == "2026-03-14"
    assert "date: 2026-03-14\n" in saved.read_text(encoding="utf-8") or \
        "date: '2026-03-14'\n" in saved.read_text(encoding="utf-8") or \
        'date: "2026-03-14"\n' in saved.read_text(encoding="utf-8")

    # A date the picker cannot show stays visible as written, marked, and can be fixed.
    text = saved.read_text(encoding="utf-8").replace("2026-03-14", "12/07/2026")
    (tmp_path / "slash.yaml").write_text(text, encoding="utf-8")
    page.locator("[data-workbook-form] input[type=file]").set_input_files(
        str(tmp_path / "slash.yaml"))
    page.wait_for_function(
        "() => document.querySelector('[data-workbook-form]').dataset.opened === '1'")
    unfold(page, item)
    date = page.locator(css("data-control", (*item, "date")))
    assert date.input_value() == "12/07/2026"
    assert date.get_attribute("aria-invalid") == "true"
    date.fill("2026-07-12")
    assert date.get_attribute("aria-invalid") is None
    page.close()


def test_a_contact_folds_to_its_name_and_tier_and_unfolds_to_edit(browser, server, catalog,
                                                                  tmp_path: Path):
    page, _ = form_page(browser, server, "contact-inventory", viewport=PHONES[1],
                        accept_downloads=True)
    first = ("contacts", 0)
    page.locator(css("data-control", (*first, "name"))).fill("Aisha Bello")
    page.locator(css("data-control", (*first, "tier"))).select_option("AB")
    before = download(page, tmp_path / "before.yaml").read_bytes()
    label = choice_label(catalog, "contact-inventory", (*first, "tier"), "AB")
    tier = page.locator(css("data-control", (*first, "tier")))
    assert tier.locator("option:checked").inner_text() == label, "the learner reads the label"
    assert load_bytes(before, "before").data["contacts"][0]["tier"] == "AB", "the file, the code"

    page.locator(f"[data-action='fold']{css('data-target', first)}").click()
    toggle = page.locator(f"[data-action='toggle']{css('data-target', first)}")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.dataset.action") == "toggle"
    assert not page.locator(css("data-control", (*first, "name"))).is_visible()
    line = toggle.inner_text()
    assert "Contact 1" in line and "Aisha Bello" in line and label[:12] in line, line
    box = toggle.bounding_box()
    assert box is not None and box["height"] < 70, "one line"
    assert download(page, tmp_path / "folded.yaml").read_bytes() == before, \
        "folding changes nothing in the file"

    page.reload()  # the fold is kept with the saved answers
    form_ready(page)
    toggle = page.locator(f"[data-action='toggle']{css('data-target', first)}")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    name = page.locator(css("data-control", (*first, "name")))
    assert name.is_visible()
    name.fill("Aisha B.")
    assert "Aisha B." in toggle.inner_text()
    # A problem inside a folded item is said on its line, and its link opens the item.
    page.locator(css("data-control", (*first, "tier"))).select_option("")
    page.locator(f"[data-action='fold']{css('data-target', first)}").click()
    assert "to fix" in toggle.inner_text()
    page.locator(".wb-summary a", has_text="Contact 1").first.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.dataset.control") == '["contacts",0,"tier"]'
    page.close()


def test_twenty_five_contacts_fit_in_a_few_screens_and_all_reach_the_file(
        browser, server, catalog, tmp_path: Path):
    viewport = PHONES[1]
    page, seen = form_page(browser, server, "contact-inventory", viewport=viewport,
                           accept_downloads=True)
    page.locator(css("data-control", ("learner", "name"))).fill("Maya Okafor")
    tiers = ["AA", "AB", "AC"]
    for index in range(25):
        if index:
            # The new contact opens with the focus in its first field.
            page.get_by_role("button", name="+ Add a contact").click()
        else:
            page.locator(css("data-control", ("contacts", 0, "name"))).focus()
        assert page.evaluate("document.activeElement.dataset.control") == \
            f'["contacts",{index},"name"]'
        page.keyboard.type(f"Person {index + 1}")
        page.locator(css("data-control", ("contacts", index, "tier"))).select_option(
            tiers[index % 3])
        for field in CONTACT_FIELDS:
            page.locator(css("data-control", ("contacts", index, field))).fill(
                f"{field} of person {index + 1}, concrete enough to do this week")
    page.locator("[data-action='fold-all']").click()
    toggles = page.locator("[data-action='toggle']")
    assert toggles.count() == 25
    assert all(t.get_attribute("aria-expanded") == "false" for t in toggles.all())
    contacts = page.locator(css("data-path", ("contacts",))).bounding_box()
    fields = page.locator(".wb-fields").bounding_box()
    assert contacts is not None and fields is not None
    screens = viewport["height"]
    # Unfolded, one contact alone took about 1,200 px: 25 were some 36 screens.
    assert contacts["height"] < 2 * screens, contacts
    assert fields["height"] < 3 * screens, fields
    no_sideways_scroll(page)

    saved = download(page, tmp_path / "contact-inventory.yaml")
    data = load_bytes(saved.read_bytes(), "saved").data
    assert [c["name"] for c in data["contacts"]] == [f"Person {i + 1}" for i in range(25)]
    assert [c["tier"] for c in data["contacts"]] == [tiers[i % 3] for i in range(25)]
    result = check_path(str(saved), catalog)
    assert result.status == "scored", [p.message for p in result.problems]

    # Opened again (on another device, say), a long list shows folded, one line each.
    page.get_by_role("button", name="Start over").click()
    page.locator("[data-workbook-form] input[type=file]").set_input_files(str(saved))
    page.wait_for_function(
        "() => document.querySelector('[data-workbook-form]').dataset.opened === '1'")
    assert toggles.count() == 25
    assert all(t.get_attribute("aria-expanded") == "false" for t in toggles.all())
    assert "Person 25" in toggles.last.inner_text()
    # Removing a contact while the next is folded leaves the focus on that one's line.
    toggles.nth(23).click()
    page.locator(f"[data-action='remove']{css('data-target', ('contacts', 23))}").click()
    assert page.evaluate("document.activeElement.dataset.target") == '["contacts",23]'
    assert "Person 25" in page.evaluate("document.activeElement.innerText")
    assert not seen["errors"], seen
    page.close()


def test_problems_are_named_as_a_person_would_never_by_path(browser, server, tmp_path):
    page, _ = form_page(browser, server, "contact-inventory", viewport=PHONES[0])
    raw = ("exercise: contact-inventory\nversion: 1\n"
           "learner: {name: Maya, id: '', email: ''}\n"
           "contacts:\n"
           "  - {name: Grace Okafor, tier: AA, relationship: '', field: '', organisation: '',\n"
           "     offer: '', next_action: '', gatekeeper: false}\n"
           "  - {name: Aisha Bello, tier: aa, relationship: '', field: '', organisation: '',\n"
           "     offer: '', next_action: '', gatekeeper: maybe, remarks: extra}\n"
           "  - {name: '', tier: AB, relationship: '', field: '', organisation: '',\n"
           "     offer: '', gatekeeper: false}\n")
    (tmp_path / "slips.yaml").write_text(raw, encoding="utf-8")
    page.locator("[data-workbook-form] input[type=file]").set_input_files(
        str(tmp_path / "slips.yaml"))
    page.wait_for_function(
        "() => document.querySelector('[data-workbook-form]').dataset.opened === '1'")
    items = page.locator(".wb-summary li").all_inner_texts()
    assert len(items) >= 5, items
    text = "\n".join(items)
    assert "Contact 2 (Aisha Bello): tier" in text
    assert "Contact 2 (Aisha Bello): gatekeeper" in text
    assert "Contact 3: name" in text
    assert "Contact 3: next action" in text
    assert "[" not in text and "]" not in text, text
    assert not re.search(r"[A-Za-z_]\.[A-Za-z_]", text), text  # no contacts.name
    assert "next_action" not in text and "contacts" not in text.lower().replace(
        "contact ", ""), text
    page.close()


def test_optional_is_said_only_of_fields_that_may_be_left_empty(browser, server, catalog):
    for exercise_id in catalog.exercises:
        page, _ = form_page(browser, server, exercise_id, viewport=PHONES[1])
        wrong = page.evaluate("""() => [...window.workbookForm.fields.values()]
            .filter((r) => r.node && (r.node.minLength >= 1 || r.node.minItems >= 1))
            .filter((r) => /optional/i.test(r.element.innerText))
            .map((r) => r.element.dataset.path)""")
        assert wrong == [], (exercise_id, wrong)
        page.close()


def test_back_to_top_never_covers_the_field_being_typed_in(browser, server):
    viewport = PHONES[1]
    page, _ = form_page(browser, server, "contact-inventory", viewport=viewport)
    field = page.locator(css("data-control", ("contacts", 0, "offer")))
    field.focus()
    # Scroll down past the field, then up: Material shows its floating button on the
    # way up, which is what a phone's keyboard opening does too.
    page.evaluate("window.scrollBy(0, 600)")
    page.wait_for_timeout(100)
    for _ in range(6):
        page.mouse.wheel(0, -100)
        page.wait_for_timeout(60)
    field.evaluate("(el) => { const y = el.getBoundingClientRect().top + scrollY - 70;"
                   " window.scrollTo(0, y - 1); window.scrollTo(0, y); }")
    page.wait_for_timeout(400)
    page.keyboard.type("advice")
    assert page.evaluate("document.activeElement.dataset.control") == '["contacts",0,"offer"]'
    covered = page.evaluate("""() => {
        const top = document.querySelector('.md-top');
        if (!top || top.hidden || !top.getClientRects().length) return false;
        const style = getComputedStyle(top);
        if (style.visibility === 'hidden' || Number(style.opacity) === 0) return false;
        const a = top.getBoundingClientRect();
        const b = document.activeElement.getBoundingClientRect();
        return !(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top);
    }""")
    assert covered is False
    page.close()
