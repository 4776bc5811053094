"""The "Fill it in your browser" form on every exercise page, in a real browser.

What a learner does (fill in, download, reload, open a file again, start over) and
what the form must agree on with the Python checker: for every example and for
mutated variants of the full ones, the form's verdict (valid or not, and which
fields it marks) is `workbook check`'s schema verdict, and a file the loader
refuses is refused by the form too. Filled in from a full example by typing, the
downloaded file scores what the example scores.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from browsing import form_ready, open_page, serious_violations
from playwright.sync_api import expect

from workbook.catalog import Catalog, Exercise
from workbook.checking import validate
from workbook.cli import main
from workbook.loader import load_bytes
from workbook.problems import WorkbookError
from workbook.worksheet import SCORED, check_path

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
EXERCISE_IDS = sorted(p.name for p in (ROOT / "exercises").iterdir() if p.is_dir())
PHONE = {"width": 390, "height": 844}


def key(path: tuple[Any, ...] | list[Any]) -> str:
    """A path as the form writes it in data-path and data-control (JSON.stringify)."""
    return json.dumps(list(path), ensure_ascii=False, separators=(",", ":"))


def css(attribute: str, path: tuple[Any, ...] | list[Any]) -> str:
    return f"[{attribute}={json.dumps(key(path))}]"


def form_page(browser: Any, server: str, exercise_id: str, **context: Any) -> tuple[Any, dict]:
    page, seen = open_page(browser, server, f"exercises/{exercise_id}/", **context)
    form_ready(page)
    page.on("dialog", lambda dialog: dialog.accept())  # "replace your answers?" and the like
    return page, seen


def resolve(exercise: Exercise, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = exercise.schema["definitions"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def kind(node: dict[str, Any]) -> str:
    if "const" in node:
        return "const"
    if "enum" in node or ("oneOf" in node and all("const" in c for c in node["oneOf"])):
        return "enum"
    types = node.get("type", [])
    types = [types] if isinstance(types, str) else [t for t in types if t != "null"]
    return {"object": "object", "array": "array", "boolean": "boolean", "integer": "number",
            "number": "number"}.get(types[0] if types else "", "text")


# --- filling the form by hand -----------------------------------------------------

def items_in(page: Any, path: tuple[Any, ...]) -> int:
    return page.locator(f"{css('data-path', path)} > ol > li").count()


def fill(page: Any, exercise: Exercise, node: Any, value: Any, path: tuple[Any, ...]) -> None:
    """Type ``value`` into the form at ``path``, as a learner would: add or remove
    list items with the buttons, type text, pick from lists, tick boxes."""
    node = resolve(exercise, node)
    what = kind(node)
    if what == "const":
        return
    if what == "object":
        for name, child in value.items():
            fill(page, exercise, node["properties"][name], child, (*path, name))
        return
    if what == "array":
        while items_in(page, path) < len(value):
            page.locator(f"[data-action='add']{css('data-target', path)}").click()
        while items_in(page, path) > len(value):
            last = (*path, items_in(page, path) - 1)
            page.locator(f"[data-action='remove']{css('data-target', last)}").click()
        for index, item in enumerate(value):
            unfold(page, (*path, index))
            fill(page, exercise, node["items"], item, (*path, index))
        return
    control = page.locator(css("data-control", path))
    if what == "enum":
        control.select_option(value=str(value))  # the option's value is the file's code
    elif what == "boolean":
        control.set_checked(bool(value))
    elif what == "number":
        control.fill("" if value is None else str(value))
    else:
        control.fill(value)


def unfold(page: Any, item: tuple[Any, ...]) -> None:
    """Open a list item folded to its summary line (a learner presses the line)."""
    toggle = page.locator(f"[data-action='toggle']{css('data-target', item)}")
    if toggle.count() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()


def download(page: Any, target: Path) -> Path:
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download worksheet").first.click()
    caught.value.save_as(target)
    return target


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_filled_in_from_the_full_example_it_scores_the_same(browser, server, catalog: Catalog,
                                                            exercise_id, tmp_path: Path):
    exercise = catalog.exercises[exercise_id]
    example = exercise.folder / "examples" / "full.yaml"
    wanted = load_bytes(example.read_bytes(), str(example)).data
    page, seen = form_page(browser, server, exercise_id)
    fill(page, exercise, exercise.schema, wanted, ())
    assert page.locator("[data-workbook-form]").get_attribute("data-problems") == "0"
    assert "Nothing to fix" in page.locator(".wb-summary").inner_text()

    saved = download(page, tmp_path / f"{exercise_id}.yaml")
    result, reference = check_path(str(saved), catalog), check_path(str(example), catalog)
    assert result.status == SCORED, [p.message for p in result.problems]
    assert result.score is not None and reference.score is not None
    assert result.score.points == reference.score.points
    assert load_bytes(saved.read_bytes(), "saved").data == wanted
    # ... and the instructor's `workbook score` scores it like any other submission.
    assert main(["score", str(saved), "--out", str(tmp_path / "results")]) == 0
    scored = json.loads((tmp_path / "results" / "results.json").read_text())["submissions"]
    assert [(s["status"], s["score"]["points"]) for s in scored] == \
        [("scored", reference.score.points)]

    text = saved.read_text(encoding="utf-8")
    assert text.splitlines()[0] == exercise.worksheet_path.read_text().splitlines()[0]
    assert [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()] == \
        [name for name in exercise.schema["properties"]], "top-level fields in template order"
    assert not any(seen.values()), seen
    page.close()


# --- agreement with the Python checker ------------------------------------------------

def python_verdict(exercise: Exercise, raw: bytes) -> Counter[tuple[str, str]] | None:
    """(field the form marks, keyword) for each schema error; None if the loader refuses."""
    try:
        doc = load_bytes(raw, "variant.yaml")
    except WorkbookError:
        return None
    data, _ = validate(doc, exercise.validator)  # text given back where the schema wants it
    marks: Counter[tuple[str, str]] = Counter()
    for error in exercise.validator.iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator == "required":
            for name in error.validator_value:
                if name not in error.instance:
                    marks[(key((*path, name)), "required")] += 1
        elif error.validator == "additionalProperties":
            for name in error.instance:
                if name not in error.schema.get("properties", {}):
                    marks[(key((*path, name)), "additionalProperties")] += 1
        else:
            marks[(key(path), str(error.validator))] += 1
    return marks


def schema_nodes(exercise: Exercise, data: Any, node: Any = None,
                 path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], dict]]:
    """(path, schema node) for every value in ``data``, parents before children."""
    node = resolve(exercise, exercise.schema if node is None else node)
    found: list[tuple[tuple[Any, ...], dict]] = [(path, node)]
    if isinstance(data, dict):
        for name, child in data.items():
            if name in node.get("properties", {}):
                found += schema_nodes(exercise, child, node["properties"][name], (*path, name))
    elif isinstance(data, list) and "items" in node:
        for index, child in enumerate(data):
            found += schema_nodes(exercise, child, node["items"], (*path, index))
    return found


def set_at(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    if value is KeyError:
        del data[path[-1]]
    else:
        data[path[-1]] = value


def mutants(exercise: Exercise) -> dict[str, bytes]:
    """The full example, broken one way at a time: a missing field, a wrong choice,
    too few items, too long a text, a word for a number, an unknown field, a bad date."""
    full = load_bytes((exercise.folder / "examples" / "full.yaml").read_bytes(), "full").data
    nodes = schema_nodes(exercise, full)
    out: dict[str, Any] = {}

    def variant(name: str, path: tuple[Any, ...], value: Any) -> None:
        data = copy.deepcopy(full)
        set_at(data, path, value)
        out[name] = data

    def last(predicate: Any) -> tuple[tuple[Any, ...], dict] | None:
        matches = [(p, n) for p, n in nodes if p and p[0] not in ("exercise", "version")
                   and predicate(p, n)]
        return matches[-1] if matches else None

    if found := last(lambda p, n: isinstance(p[-1], str) and kind(n) not in ("object", "array")):
        variant("missing-field", found[0], KeyError)
    if found := last(lambda p, n: kind(n) == "enum"):
        variant("wrong-choice", found[0], "not-a-choice")
    if found := last(lambda p, n: kind(n) == "text" and "maxLength" in n):
        variant("too-long", found[0], "long " * (found[1]["maxLength"] // 5 + 1))
    if found := last(lambda p, n: kind(n) == "number"):
        variant("word-for-number", found[0], "twelve")
    if found := last(lambda p, n: kind(n) == "text" and "pattern" in n):
        variant("bad-date", found[0], "next Tuesday")
    if found := last(lambda p, n: kind(n) == "array" and n.get("minItems")):
        path, node = found
        items = copy.deepcopy(full)
        for part in path:
            items = items[part]
        variant("too-few-items", path, items[: node["minItems"] - 1])
    if found := last(lambda p, n: kind(n) == "object" and isinstance(p[-1], int)):
        variant("unknown-field", (*found[0], "remarks"), "an extra line")
    variant("missing-learner", ("learner",), KeyError)
    variant("wrong-version", ("version",), 2)
    return {name: yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()
            for name, data in out.items()}


def hostile() -> dict[str, bytes]:
    base = b"exercise: contact-inventory\nversion: 1\n"
    return {
        "alias": base + b"learner: &me {name: a, id: b, email: c}\ncopy: *me\n",
        "tag": base + b"learner: !!python/object:os.system {}\n",
        "duplicate": base + b"version: 1\n",
        "tab": base + b"learner:\n\tname: x\n",
        "two-documents": base + b"---\nexercise: contact-inventory\n",
        "latin-1": base + b"learner: {name: Ren\xe9e}\n",
        "list": b"- exercise: contact-inventory\n",
        "merge": base + b"<<: {learner: {}}\n",
        "deep": base + b"x: " + b"[" * 60 + b"]" * 60 + b"\n",
        "control": base + b"learner: {name: \"a\x01\"}\n",
    }


def form_verdict(page: Any, name: str, raw: bytes, tmp_path: Path) -> dict[str, Any]:
    """Open ``raw`` in the form; what the form then says."""
    target = tmp_path / name
    target.write_bytes(raw)
    before = page.locator("[data-workbook-form]").get_attribute("data-opened") or "0"
    page.locator("[data-workbook-form] input[type=file]").set_input_files(str(target))
    page.wait_for_function(
        f"() => document.querySelector('[data-workbook-form]').dataset.opened !== '{before}'")
    return page.evaluate("""() => ({
        refused: !document.querySelector('.wb-alert').hidden,
        marked: [...document.querySelectorAll('.wb-fields [data-invalid="true"]')]
            .map((el) => el.dataset.path),
        errors: window.workbookForm.errors.map((e) => [JSON.stringify(e.field), e.keyword]),
        problems: Number(document.querySelector('[data-workbook-form]').dataset.problems),
        summary: document.querySelector('.wb-summary').innerText,
    })""")


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_form_and_checker_agree_on_every_example_and_variant(browser, server, catalog: Catalog,
                                                             exercise_id, tmp_path: Path):
    exercise = catalog.exercises[exercise_id]
    files = {p.name: p.read_bytes() for p in sorted((exercise.folder / "examples").glob("*.yaml"))}
    files |= {f"{name}.yaml": raw for name, raw in mutants(exercise).items()}
    assert len(files) >= 10
    if exercise_id == "contact-inventory":
        files |= {f"hostile-{name}.yaml": raw for name, raw in hostile().items()}
    page, seen = form_page(browser, server, exercise_id)
    disagreements = {}
    for name, raw in files.items():
        expected = python_verdict(exercise, raw)
        said = form_verdict(page, name, raw, tmp_path)
        if expected is None:
            if not said["refused"]:
                disagreements[name] = "the loader refuses it; the form opened it"
            continue
        got = Counter((path, keyword) for path, keyword in said["errors"])
        marked = set(said["marked"])
        if said["refused"] or got != expected or marked != {p for p, _ in expected}:
            disagreements[name] = {"python": sorted(expected.elements()),
                                   "form": sorted(got.elements()), "marked": sorted(marked),
                                   "refused": said["refused"]}
        elif not expected:
            assert "Nothing to fix" in said["summary"], name
    assert disagreements == {}
    assert not seen["outside"] and not seen["errors"], seen
    page.close()


# --- autosave, reopening, starting over; privacy ---------------------------------------

def answers(page: Any) -> list[tuple[str, Any]]:
    return page.evaluate("""() => [...document.querySelectorAll('.wb-fields [data-control]')]
        .map((c) => [c.dataset.control, c.type === 'checkbox' ? c.checked : c.value])""")


def test_reload_keeps_answers_and_a_downloaded_file_restores_them(browser, server, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    requests: list[str] = []
    page.goto(f"{server}exercises/contact-inventory/")
    form_ready(page)
    page.on("dialog", lambda dialog: dialog.accept())
    # The browser's own late fetch of the site icon is not the form's doing.
    page.on("request", lambda request: None if request.url.endswith("/favicon.png")
            else requests.append(request.url))
    context.set_offline(True)  # once loaded, the form needs no network at all

    page.locator(css("data-control", ("learner", "name"))).fill("Maya Okafor")
    page.locator(css("data-control", ("contacts", 0, "name"))).fill("Grace: my sister")
    page.locator(css("data-control", ("contacts", 0, "tier"))).select_option("AA")
    page.locator(css("data-control", ("contacts", 0, "gatekeeper"))).check()
    page.get_by_role("button", name="+ Add a contact").click()
    page.locator(css("data-control", ("contacts", 1, "offer"))).fill("line one\nline two")
    filled = answers(page)
    assert requests == [], "filling in the form asks nothing of any server"
    context.set_offline(False)

    page.reload()
    form_ready(page)
    assert answers(page) == filled
    expect(page.locator(".wb-status")).to_contain_text("are back")

    saved = download(page, tmp_path / "mine.yaml")
    page.get_by_role("button", name="Start over").click()
    assert answers(page) != filled
    page.reload()
    form_ready(page)
    assert answers(page) != filled, "starting over also clears what the browser saved"

    page.locator("[data-workbook-form] input[type=file]").set_input_files(str(saved))
    page.wait_for_function(
        "() => document.querySelector('[data-workbook-form]').dataset.opened === '1'")
    assert answers(page) == filled
    assert all(url.startswith(server) for url in requests), requests
    context.close()


RANKED = ["agencies", "applications", "careers-office", "contacts", "employers-direct",
          "job-ads"]


def ranked_form_page(browser: Any, server: str, **context: Any) -> Any:
    """An exercise page whose form has a ranking (a list of choices, each once, of fixed
    length) added at the end. No exercise ranks anything today, but the form still
    draws rankings, so they are held to their behaviour here."""
    page = browser.new_page(**context)

    def patch(route: Any) -> None:
        response = route.fetch()
        html = response.text()
        found = re.search(r'(<script[^>]*id="workbook-form-spec"[^>]*>)(.*?)(</script>)',
                          html, re.S)
        assert found, "the exercise page carries its form's spec"
        spec = json.loads(found.group(2))
        spec["schema"]["properties"]["ranking"] = {
            "title": "Ranking", "type": "array", "minItems": 6, "maxItems": 6,
            "uniqueItems": True, "items": {"enum": RANKED}}
        spec["schema"]["required"].append("ranking")
        spec["template"]["ranking"] = list(RANKED)
        text = json.dumps(spec, ensure_ascii=False).replace("<", "\\u003c")
        route.fulfill(response=response, body=html[:found.start(2)] + text
                      + html[found.end(2):])

    page.route(lambda url: url.rstrip("/").endswith("exercises/search-channels"), patch)
    page.goto(server + "exercises/search-channels/", wait_until="load")
    form_ready(page)
    return page


def test_moving_items_with_the_keyboard_changes_the_order(browser, server, tmp_path):
    page = ranked_form_page(browser, server, accept_downloads=True)
    first = page.locator(css("data-control", ("ranking", 0)))
    assert first.locator("option:checked").inner_text() == "agencies"
    down = page.locator(f"[data-action='down']{css('data-target', ('ranking', 0))}")
    down.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # the focus follows the item, so it moves on down
    page.wait_for_timeout(50)
    choices = page.evaluate("""() => [...document.querySelectorAll(
        '[data-path=\\'["ranking"]\\'] select')].map((s) => s.selectedOptions[0].text)""")
    assert choices[:3] == ["applications", "careers-office", "agencies"]
    focused = page.evaluate("document.activeElement.dataset.target")
    assert focused == key(("ranking", 2))
    expect(page.locator(".wb-status")).to_contain_text("position 3 of 6")
    text = download(page, tmp_path / "ranked.yaml").read_text()
    assert "ranking:\n  - applications\n  - careers-office\n  - agencies\n" in text
    page.close()


def test_opening_another_exercise_worksheet_points_to_its_page(browser, server, catalog, tmp_path):
    page, _ = form_page(browser, server, "contact-inventory")
    other = catalog.exercises["contact-pool"]
    said = form_verdict(page, "pool.yaml", other.worksheet_path.read_bytes(), tmp_path)
    assert said["refused"]
    link = page.locator(".wb-alert a")
    assert link.get_attribute("href") == "../contact-pool/"
    link.click()
    form_ready(page)
    assert page.url.endswith("/exercises/contact-pool/")
    page.close()


def test_a_hostile_answer_is_shown_as_text_never_as_markup(browser, server, tmp_path):
    page, seen = form_page(browser, server, "contact-inventory")
    raw = (b"exercise: contact-inventory\nversion: 1\nlearner: {name: x, id: '', email: ''}\n"
           b"contacts:\n  - name: \"<img src=x onerror=alert(1)>\"\n    tier: \"<b>AA</b>\"\n"
           b"    relationship: ''\n    field: ''\n    organisation: ''\n    offer: ''\n"
           b"    next_action: ''\n    gatekeeper: false\n    \"<script>\": 1\n")
    said = form_verdict(page, "x.yaml", raw, tmp_path)
    assert not said["refused"]
    assert page.locator(".wb-fields img, .wb-fields b, .wb-fields script").count() == 0
    assert "<b>AA</b>" in page.locator(".wb-fields").inner_text()
    assert not seen["errors"]
    page.close()


# --- accessible, and usable on a phone -------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_form_with_problems_shown_has_no_serious_axe_violation(browser, server, scheme):
    page, _ = form_page(browser, server, "pitch-practice", color_scheme=scheme)
    page.get_by_role("button", name="+ Add a target").click()
    page.get_by_role("button", name="+ Add to Channels").first.click()
    page.get_by_role("button", name="Show what to fix").click()
    assert page.locator(".wb-fields [data-invalid='true']").count() > 0
    assert serious_violations(page) == []
    page.close()


def test_every_control_has_a_label_and_keyboard_reaches_them_all(browser, server):
    page, _ = form_page(browser, server, "mutuality-ledger")
    unlabeled = page.evaluate("""() => [...document.querySelectorAll(
        '.wb-form input:not([type=file]), .wb-form select, .wb-form textarea')]
        .filter((c) => !c.labels.length).map((c) => c.id)""")
    assert unlabeled == []
    controls = page.locator(".wb-fields [data-control]").count()
    page.locator(".wb-toolbar button").first.focus()
    reached = set()
    for _ in range(controls * 4 + 20):
        page.keyboard.press("Tab")
        target = page.evaluate("document.activeElement.dataset.control || ''")
        if target:
            reached.add(target)
    assert len(reached) == controls
    page.close()


@pytest.mark.parametrize(("exercise_id", "adds"), [("interview-plan", 0),
                                                   ("pitch-practice", 3)])
def test_on_a_phone_the_form_fits_the_screen(browser, server, exercise_id, adds):
    page, _ = form_page(browser, server, exercise_id, viewport=PHONE)
    for _ in range(adds):  # a list of choices whose middle rows carry three buttons
        page.get_by_role("button", name="+ Add to Channels").first.click()
    page.get_by_role("button", name="Show what to fix").click()
    page.locator("#fill-in-your-browser").scroll_into_view_if_needed()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"
    for control in page.locator(".wb-fields select, .wb-fields button").all():
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.close()


def test_every_exercise_page_draws_its_form(browser, server, catalog):
    for exercise_id in catalog.exercises:
        page, seen = form_page(browser, server, exercise_id)
        assert page.locator(".wb-fields [data-control]").count() > 3
        assert not any(seen.values()), (exercise_id, seen)
        page.close()


def test_the_form_is_built_when_the_reader_reaches_it(browser, server):
    """Not at page load (README: Lighthouse): a reader of the introduction on a phone
    pays nothing for it; scrolling towards it, or the page's link to it, builds it."""
    page, seen = open_page(browser, server, "exercises/contact-inventory/",
                           viewport=PHONE)
    page.wait_for_timeout(1000)
    assert page.locator("[data-workbook-form]").get_attribute("data-state") is None
    assert page.locator(".wb-fields").count() == 0
    assert page.locator(".wb-form-fallback").count() == 1  # untouched until then
    page.evaluate("document.querySelector('[data-workbook-form]')"
                  ".scrollIntoView({block: 'start'})")
    page.wait_for_selector("[data-workbook-form][data-state='ready']", timeout=15_000)
    assert not any(seen.values()), seen
    page.close()

    page, seen = open_page(browser, server, "exercises/contact-inventory/",
                           viewport=PHONE)
    page.locator("a.md-button--primary[href='#fill-in-your-browser']").click()
    page.wait_for_selector("[data-workbook-form][data-state='ready']", timeout=15_000)
    assert not any(seen.values()), seen
    page.close()


def test_choosing_a_ranked_choice_already_used_swaps_the_two_places(browser, server):
    page = ranked_form_page(browser, server)
    page.locator(css("data-control", ("ranking", 0))).select_option(label="job-ads")
    choices = page.evaluate("""() => [...document.querySelectorAll(
        '[data-path=\\'["ranking"]\\'] select')].map((s) => s.selectedOptions[0].text)""")
    assert choices == ["job-ads", "applications", "careers-office", "contacts",
                       "employers-direct", "agencies"]
    expect(page.locator(".wb-status")).to_contain_text("Swapped")
    page.close()


def test_a_valid_but_unfinished_worksheet_lists_what_is_still_empty(browser, server):
    page, _ = form_page(browser, server, "contact-pool")
    summary = page.locator(".wb-summary")
    assert "the checker will accept this file" in summary.inner_text()
    assert "still empty" in summary.inner_text() and "hand it in" not in summary.inner_text()
    empty = summary.locator("li").count()
    page.locator(css("data-control", ("circle_size",))).fill("200")
    assert summary.locator("li").count() == empty - 1
    page.close()


def test_long_answers_count_their_words_and_marks_survive_a_reload(browser, server):
    page, _ = form_page(browser, server, "pitch-practice")
    pitch = page.locator(css("data-control", ("pitch",)))
    pitch.fill("I ran the night shift for eight years.")
    count = page.locator(".wb-count").first
    assert count.inner_text() == "8 words, 38 of 2000 characters"
    page.locator(css("data-control", ("outreach", 0, "target"))).focus()
    page.locator(css("data-control", ("outreach", 0, "target"))).blur()  # left empty
    marked = page.locator(".wb-fields [data-invalid='true']").count()
    assert marked >= 1
    page.reload()
    form_ready(page)
    assert page.locator(".wb-fields [data-invalid='true']").count() == marked
    page.close()
