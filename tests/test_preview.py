"""The "What earns points" preview beside the form gives `workbook check`'s numbers.

web/form/criteria/ ports every criterion kind that needs no answer key to
JavaScript. Here node runs it (tests/preview_harness.mjs, one process for all
cases) on every example that scores and on deterministic mutations of them
(list items dropped or repeated, text blanked or shortened, numbers changed,
choices switched, optional fields removed), and each criterion's points and
status, and the total, must equal what workbook's own scoring gives for the same
file. Python's rounding, word counting and case folding are held equal on their
edge cases too. In a browser, filling the contact inventory moves the panel's
numbers to the checker's.
"""

from __future__ import annotations

import copy
import json
import math
import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workbook import criteria
from workbook.catalog import Catalog, Exercise
from workbook.criteria import conditions
from workbook.criteria.base import filled, normalise, words
from workbook.loader import load_bytes
from workbook.sitegen import form_rubric
from workbook.validators import Mismatch
from workbook.worksheet import SCORED, check_bytes

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "tests" / "preview_harness.mjs"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def run_harness(request: dict[str, Any]) -> dict[str, Any]:
    assert NODE is not None
    done = subprocess.run([NODE, str(HARNESS)], input=json.dumps(request), capture_output=True,
                          text=True, cwd=ROOT, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


# --- mutations of the examples ---------------------------------------------------------

def resolve(schema: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = schema["definitions"][node["$ref"].rsplit("/", 1)[-1]]
    return node if isinstance(node, dict) else {}


def walk(schema: dict[str, Any], node: Any, value: Any,
         path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any, dict[str, Any], bool]]:
    """(path, value, schema node, optional) for every part of a worksheet's answers."""
    node = resolve(schema, node)
    if isinstance(value, dict):
        required = set(node.get("required", []))
        for name, child in value.items():
            if not path and name in ("exercise", "version"):
                continue
            child_node = node.get("properties", {}).get(name, {})
            yield (*path, name), child, resolve(schema, child_node), name not in required
            yield from walk(schema, child_node, child, (*path, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(schema, node.get("items", {}), item, (*path, index))


def choices(node: dict[str, Any]) -> list[Any]:
    if "enum" in node:
        return list(node["enum"])
    return [c["const"] for c in node.get("oneOf", []) if isinstance(c, dict) and "const" in c]


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of ``data`` with ``path`` set to ``value``, copying only along the path."""
    if not path:
        return value
    out = dict(data) if isinstance(data, dict) else list(data)
    out[path[0]] = replaced(data[path[0]], path[1:], value)
    return out


def removed(data: Any, path: tuple[Any, ...]) -> Any:
    parent = replaced(data, path[:-1], dict(walk_to(data, path[:-1])))
    del walk_to(parent, path[:-1])[path[-1]]
    return parent


def walk_to(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


Change = tuple[tuple[Any, ...], str, Any]  # (path, "set" or "remove", new value)


def changes_at(path: tuple[Any, ...], value: Any, node: dict[str, Any],
               optional: bool) -> Iterator[Change]:
    """Each single change to one answer (or list), described, not yet made."""
    if optional:
        yield path, "remove", None
    if isinstance(value, list):
        if value:
            for changed in (value[1:], value[:-1], value[:1], [*value, value[0]], value[::-1]):
                yield path, "set", changed
        yield path, "set", []
    elif isinstance(value, bool):
        yield path, "set", not value
    elif isinstance(value, int | float):
        for number in (0, 1, value + 1, value - 1, value * 2, value // 2, value * 10, None):
            yield path, "set", number
    elif isinstance(value, str):
        split = value.split()
        for text in ("", " ", " ".join(split[:1]), " ".join(split[:2]), " ".join(split[:3]),
                     " ".join(split[: len(split) // 2]), value.upper(),
                     value + " and a few more words here"):
            yield path, "set", text
    for choice in choices(node):
        if choice != value:
            yield path, "set", choice


def apply(data: Any, change: Change) -> Any:
    path, action, value = change
    return removed(data, path) if action == "remove" else replaced(data, path, copy.deepcopy(value))


def mutations(exercise: Exercise, data: dict[str, Any], limit: int, seed: int) -> Iterator[Any]:
    """Up to ``limit`` variants changing one thing (list items dropped, repeated or
    reversed; text blanked or shortened; numbers changed; choices switched; optional
    fields removed), then as many changing two or three things, drawn reproducibly."""
    rng = random.Random(seed)
    single = [change for entry in walk(exercise.schema, exercise.schema, data)
              for change in changes_at(*entry)]
    for change in rng.sample(single, min(limit, len(single))):
        yield apply(data, change)
    for _ in range(limit):
        current = data
        for _ in range(rng.randint(2, 3)):
            entries = list(walk(exercise.schema, exercise.schema, current))
            options = list(changes_at(*entries[rng.randrange(len(entries))])) if entries else []
            if not options:
                break
            current = apply(current, options[rng.randrange(len(options))])
        yield current


def scored_examples(catalog: Catalog) -> Iterator[tuple[Exercise, Path, dict[str, Any]]]:
    for exercise in catalog.exercises.values():
        for example in sorted((exercise.folder / "examples").glob("*.yaml")):
            raw = example.read_bytes()
            if check_bytes(raw, str(example), catalog).status == SCORED:
                yield exercise, example, load_bytes(raw, str(example)).data


# --- the parity test ------------------------------------------------------------------

@needs_node
def test_preview_gives_the_checkers_points_on_every_example_and_mutation(catalog: Catalog):
    cases: list[tuple[str, Exercise, Any]] = []
    seen: set[str] = set()
    for exercise, example, data in scored_examples(catalog):
        name = f"{exercise.id}/{example.name}"
        variants = [data, *mutations(exercise, data, limit=100, seed=len(cases))]
        for index, variant in enumerate(variants):
            text = json.dumps(variant, sort_keys=True)
            if (exercise.id, text) in seen:
                continue
            seen.add((exercise.id, text))  # type: ignore[arg-type]
            cases.append((f"{name} #{index}", exercise, variant))

    checked: list[tuple[str, Exercise, Any, Any]] = []
    for name, exercise, variant in cases:
        try:  # the schema's quick yes or no first: a file it refuses is never scored
            exercise.fast_validate(variant)
        except Mismatch:
            continue
        result = check_bytes(json.dumps(variant).encode(), name, catalog)
        if result.status == SCORED:  # what `workbook check` scores is what must agree
            checked.append((name, exercise, variant, result.score))
    per_exercise = {e.id: sum(1 for _, x, _, _ in checked if x is e)
                    for e in catalog.exercises.values()}
    assert all(count >= 20 for count in per_exercise.values()), per_exercise

    answer = run_harness({"cases": [
        {"rubric": form_rubric(exercise), "schema": exercise.schema, "data": variant}
        for _, exercise, variant, _ in checked]})

    wrong: list[str] = []
    partial_seen = 0
    for (name, _, _, score), preview in zip(checked, answer["scores"], strict=True):
        previewed = []
        for result, shown in zip(score.criteria, preview["criteria"], strict=True):
            assert shown["id"] == result.id
            if shown["points"] is None:  # keyed or hand-scored: never previewed
                assert result.kind == "manual" or criteria.key_schema(result.kind) is not None, (
                    name, result.id)
                continue
            previewed.append(result.points)
            partial_seen += result.status == "partial"
            if (shown["points"], shown["status"]) != (result.points, result.status):
                wrong.append(f"{name} {result.id}: form {shown['points']} ({shown['status']}), "
                             f"check {result.points} ({result.status}): {result.detail}")
        total = round(sum(p for p in previewed if p is not None), 2)
        if preview["points"] != total or (not preview["later"] and total != score.points):
            wrong.append(f"{name} total: form {preview['points']}, check {score.points}")
        if preview["max"] != score.max_points:
            wrong.append(f"{name} max: form {preview['max']}, check {score.max_points}")
    assert not wrong, f"{len(wrong)} of {len(checked)} differ:\n" + "\n".join(wrong[:20])
    assert partial_seen > 100  # partial credit, and so rounding, is really exercised


def test_every_keyless_kind_has_its_port_in_the_form():
    """A new criterion kind without a key must be ported, or the preview skips it."""
    ported = set(run_harness({})["kinds"]) if NODE else None
    if ported is None:
        pytest.skip("node is not installed")
    keyless = {kind for kind, module in criteria.KINDS.items()
               if kind != "manual" and getattr(module, "KEY", None) is None}
    assert ported == keyless, (
        "port each keyless kind to web/form/criteria/kinds.js (and list it in KINDS there) "
        f"so the form's preview scores it: missing {sorted(keyless - ported)}, "
        f"unknown {sorted(ported - keyless)}")


# --- Python's arithmetic and text rules, at their edges ----------------------------------

def rounding_cases() -> list[float]:
    values = [0.125, 0.375, 0.625, 0.875, 1.005, 2.675, 1.115, 14.4, 0.005, 0.015, 0.025,
              0.045, 123456.785, 1e-9, 0.0, 5e-324, 1e21, 2.5e22, -0.125, -2.675, 17.125,
              99.995, 39.995, 0.1 + 0.2, 1 / 3, 2 / 3]
    for points in (*range(1, 13), 2.5, 7.5, 0.5, 14.4, 100):
        for denominator in range(1, 41):
            for numerator in range(denominator + 1):
                values.append(points * (numerator / denominator))
    rng = random.Random(2026)
    values += [rng.uniform(0, 100) for _ in range(2000)]
    values += [rng.randrange(0, 100000) / 1000 for _ in range(2000)]  # many exact-looking halves
    return values


@needs_node
def test_rounding_is_pythons_round_half_even_on_the_exact_value():
    values = rounding_cases()
    ties = [x for x in values if (x * 8).is_integer() and int(x * 8) % 2]
    assert len(ties) > 50, "the cases must include exact ties"
    # ... among them ties where rounding half up (JavaScript's toFixed) would differ
    assert any(math.floor(x * 100 + 0.5) / 100 != round(x, 2) for x in ties)
    answer = run_harness({"rounds": values})
    wrong = [(x, js, round(x, 2)) for x, js in zip(values, answer["rounds"], strict=True)
             if js != round(x, 2)]
    assert not wrong, wrong[:10]
    # ... and written as `workbook check` writes points (f"{points:g}")
    shown = [(x, js) for x, js in zip(values, answer["shown"], strict=True)
             if abs(x) < 1e6 and js != f"{round(x, 2):g}"]
    assert not shown, shown[:10]


TEXTS = [
    "", " ", "one", "  two words  ", "tab\tseparated\twords", "non\u00a0breaking space",
    "em\u2003space", "zero\u200bwidth", "bom\ufeffinside", "file\x1cseparator", "next\x85line",
    "line\u2028separator", "ideographic\u3000space", "Straße", "STRASSE", "ΛΌΓΟΣ λόγος",
    "Cafe\u0301 café", "co-op, don't; e-mail!", "x²³ ٣ Ⅻ", "snake_case words", "İstanbul",
    "ﬁne ligature", "Ǆemal", "MIXED Case", "  Grace   Okafor ", "grace okafor.", "123 456",
]


@needs_node
def test_words_blanks_and_normalised_names_follow_python():
    answer = run_harness({"texts": TEXTS})["texts"]
    for text, js in zip(TEXTS, answer, strict=True):
        assert js == {"words": words(text), "filled": filled(text),
                      "normalise": normalise(text)}, repr(text)


PHRASES: list[tuple[str, list[str]]] = [
    ("I'd love an introduction.", ["introduction"]),
    ("Could you reintroduce me?", ["introduce"]),
    ("Any JOBS going?", ["jobs"]),
    ("the jobs_board", ["jobs"]),
    ("job² offers", ["job"]),
    ("Could you put me in touch with her?", ["put me in touch"]),
    ("Who else should I talk to?", ["who else"]),
    ("die STRASSE", ["straße"]),
    ("a work-for-you role", ["work for you"]),
    ("I want to work for your team", ["work for you", "work for your"]),
    ("hiring? never", ["hire", "hires", "hiring"]),
    ("employment", ["employ"]),
    ("names,", ["name"]),
    ("a.b", ["a.b"]),
    ("axb", ["a.b"]),
    ("(maybe)", ["(maybe)"]),
]


@needs_node
def test_phrase_matching_follows_python():
    phrases = [[text, list(wanted)] for text, wanted in PHRASES]
    for exercise_rubric in (ROOT / "exercises").glob("*/rubric.yaml"):
        for listed in re.findall(r"(?:contains_any|lacks_any):\s*\[([^\]]*)\]",
                                 exercise_rubric.read_text(), re.DOTALL):
            words_ = [w.strip().strip('"') for w in listed.split(",")]
            for text, _ in PHRASES:
                phrases.append([text, words_])
    answer = run_harness({"phrases": phrases})["phrases"]
    for (text, wanted), js in zip(phrases, answer, strict=True):
        assert js == conditions.TESTS["contains_any"](text, wanted), (text, wanted)


# --- in the browser ----------------------------------------------------------------------

def control(path: list[Any]) -> str:
    return f"[data-control={json.dumps(json.dumps(path, separators=(',', ':')))}]"


def shown_points(page: Any) -> tuple[float, dict[str, float]]:
    panel = page.locator("#wb-preview")
    per = {li.get_attribute("data-criterion"): float(li.get_attribute("data-points"))
           for li in panel.locator(".wb-criteria > li[data-points]:not([data-points=''])").all()}
    return float(panel.get_attribute("data-points")), per


@pytest.mark.browser
def test_the_panel_follows_the_answers_and_gives_the_checkers_numbers(browser, server, catalog,
                                                                       tmp_path: Path):
    from browsing import form_ready, open_page

    page, seen = open_page(browser, server, "exercises/contact-inventory/",
                           viewport={"width": 390, "height": 844})
    form_ready(page)
    panel = page.locator("#wb-preview")
    heading = page.locator("#fill-in-your-browser")
    # Below the form's heading and before the form, folded to one line on a phone.
    assert heading.bounding_box()["y"] < panel.bounding_box()["y"] < \
        page.locator("[data-workbook-form]").bounding_box()["y"]
    assert panel.get_attribute("open") is None
    assert "nothing filled in yet, 40 points to earn" in panel.locator("summary").inner_text()
    assert panel.locator("summary").bounding_box()["height"] >= 44
    panel.locator("summary").click()

    page.fill(control(["contacts", 0, "name"]), "Ann Lee")
    page.fill(control(["contacts", 0, "next_action"]), "call her")
    item = panel.locator("[data-criterion='next-action-each']")
    expect_text = "Ann Lee: next action has 2 words, 3 or more needed"
    page.wait_for_function("t => document.querySelector(\"[data-criterion='next-action-each']\")"
                           ".innerText.includes(t)", arg=expect_text)
    assert item.get_attribute("data-status") == "fail"
    assert "1 of 25 contacts" in panel.inner_text()
    before, _ = shown_points(page)

    page.fill(control(["contacts", 0, "next_action"]), "call her on Friday")
    page.locator(control(["contacts", 0, "tier"])).select_option("AA")
    page.locator("[data-action='add'][data-target='[\"contacts\"]']").click()
    page.fill(control(["contacts", 1, "name"]), "Ben Cho")
    page.locator(control(["contacts", 1, "tier"])).select_option("AC")
    page.fill(control(["contacts", 1, "next_action"]), "email him about coffee")
    page.locator(control(["contacts", 1, "gatekeeper"])).set_checked(True)
    page.wait_for_function("() => document.querySelector('[data-workbook-form]')"
                           ".dataset.problems === '0'")
    after, per = shown_points(page)
    assert after > before
    assert item.get_attribute("data-status") == "pass"
    summary = page.locator(".wb-summary").inner_text()
    assert f"It would earn {after:g} of 40 points now" in summary

    with page.expect_download() as caught:
        page.get_by_role("button", name="Download worksheet").first.click()
    saved = tmp_path / "contact-inventory.yaml"
    caught.value.save_as(saved)
    from workbook.worksheet import check_path

    result = check_path(str(saved), catalog)
    assert result.status == SCORED, [p.message for p in result.problems]
    assert result.score is not None
    assert after == result.score.points
    assert per == {c.id: c.points for c in result.score.criteria}
    assert not seen["errors"] and not seen["outside"], seen


# --- answer keys stay off the site ---------------------------------------------------------

# Between two values of a key written out: quotes, commas, brackets, dashes, "then",
# "and", or markup (a list on a page).
SEPARATOR = r"(?:[\s\"',;:\[\]\-\u2013\u2014>]|<[^<>]*>|then\b|and\b)*"


def key_pattern(values: list[Any]) -> re.Pattern[str]:
    return re.compile(SEPARATOR.join(re.escape(str(v)) for v in values))


def key_patterns(catalog: Catalog) -> list[tuple[str, re.Pattern[str]]]:
    """For each answer key: its values in their key order, however they are joined."""
    found = []
    for exercise in catalog.exercises.values():
        for criterion in exercise.rubric.criteria:
            for name, value in (criterion.key or {}).items():
                values = value if isinstance(value, list) else [value]
                found.append((f"{exercise.id} {criterion.id} {name}", key_pattern(values)))
    return found


def test_no_answer_key_reaches_the_built_site(built_site: Path, catalog: Catalog):
    patterns = key_patterns(catalog)
    for name, pattern in patterns:  # each one finds its key where it is kept
        rubric = catalog.exercises[name.split()[0]].folder / "rubric.yaml"
        assert pattern.search(rubric.read_text(encoding="utf-8")), name
    text_files = [p for p in built_site.rglob("*") if p.is_file() and p.suffix in
                  (".html", ".js", ".json", ".yaml", ".css", ".txt", ".xml", ".ipynb")]
    assert any(p.name == "worksheet-form.js" for p in text_files)
    specs = 0
    for path in text_files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for name, pattern in patterns:
            assert not pattern.search(text), (name, str(path.relative_to(built_site)))
        for spec in re.findall(r'<script type="application/json" id="workbook-form-spec">(.*?)'
                               r"</script>", text, re.DOTALL):
            specs += 1
            rubric = json.loads(spec)["rubric"]
            exercise = catalog.exercises[json.loads(spec)["exercise"]]
            assert [c["id"] for c in rubric["criteria"]] == [c.id for c in exercise.rubric.criteria]
            for shown, criterion in zip(rubric["criteria"], exercise.rubric.criteria, strict=True):
                assert set(shown) == {"id", "title", "kind", "points", "description", "params",
                                      "keyed"}
                assert shown["keyed"] == bool(criterion.key)
                if criterion.kind == "manual":
                    assert shown["params"] == {}  # the grader's guidance stays with the grader
    assert specs == len(catalog.exercises)


def test_the_key_pattern_finds_a_key_written_out():
    """The search above would see a key in any of the ways a page could carry it."""
    pattern = key_pattern(["word-of-mouth", "internal-posting", "want-ads"])
    for leak in ('"order":["word-of-mouth","internal-posting","want-ads"]',
                 "order: [word-of-mouth, internal-posting,\n  want-ads]",
                 "word-of-mouth, internal-posting, then want-ads",
                 "<li>word-of-mouth</li>\n<li>internal-posting</li><li>want-ads</li>"):
        assert pattern.search(leak), leak
    assert not pattern.search("want-ads, internal-posting, word-of-mouth")
    assert not pattern.search("word-of-mouth, agencies, internal-posting, want-ads")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_panel_fits_a_phone_and_has_no_serious_axe_violation(browser, server, scheme):
    from browsing import form_ready, open_page, serious_violations

    page, seen = open_page(browser, server, "exercises/interview-plan/",
                           viewport={"width": 360, "height": 740}, color_scheme=scheme)
    form_ready(page)
    page.locator("#wb-preview > summary").click()
    page.fill(control(["pitch"]), "I ran a warehouse for nine years and want to plan routes.")
    page.wait_for_function("() => document.querySelector('#wb-preview').dataset.points !== '0'")
    items = page.locator("#wb-preview .wb-criteria > li")
    assert items.count() == 7
    hand = page.locator("[data-criterion='pitch-quality']")
    assert "gives these points by hand" in hand.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator("#wb-preview").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert serious_violations(page) == []
    assert not seen["errors"], seen


@needs_node
def test_a_keyed_criterion_reaches_the_form_without_its_key(catalog: Catalog):
    """Course rubrics may hold no key today; one is added so this can never pass vacuously."""
    from dataclasses import replace

    from workbook.rubric import Criterion
    from workbook.sitegen import form_spec, form_spec_json

    exercise = catalog.exercises["contact-inventory"]
    secret = Criterion("secret-rank", "Secret ranking", "ordering", 5, "Rank them.",
                       {"pass": "ok", "fail": "no"}, {"path": "contacts", "field": "tier"},
                       {"order": ["zebra-first", "yak-second", "emu-third"]})
    keyed = replace(exercise, rubric=replace(exercise.rubric,
                                             criteria=(*exercise.rubric.criteria, secret)))
    links = {e.id: {"title": e.title, "url": f"../{e.id}/"} for e in catalog.exercises.values()}
    text = form_spec_json(form_spec(keyed, links))
    for value in ("zebra-first", "yak-second", "emu-third", '"key"', '"order"'):
        assert value not in text
    shown = json.loads(text)["rubric"]["criteria"][-1]
    assert shown == {"id": "secret-rank", "title": "Secret ranking", "kind": "ordering",
                     "points": 5, "description": "Rank them.",
                     "params": {"path": "contacts", "field": "tier"}, "keyed": True}

    data = load_bytes((exercise.folder / "examples" / "full.yaml").read_bytes(), "full").data
    preview = run_harness({"cases": [{"rubric": form_rubric(keyed), "schema": exercise.schema,
                                      "data": data}]})["scores"][0]
    assert preview["criteria"][-1]["points"] is None and preview["criteria"][-1]["why"] == "key"
    assert (preview["points"], preview["later"], preview["max"]) == (40, 5, 45)
