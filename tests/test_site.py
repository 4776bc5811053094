"""The site, built strictly and used in a real browser (Playwright + Debian's chromium).

Every page: loads with no console error and no failed request, asks nothing of any
host but 127.0.0.1, and has no serious or critical axe-core violation, in the light
and the dark palette. Then the things a reader does: search, download a worksheet,
open the menu on a phone, switch palettes. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from browsing import open_page, serious_violations

from workbook.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def site_pages(site: Path) -> list[str]:
    return sorted(
        "" if p.parent == site else f"{p.parent.relative_to(site).as_posix()}/"
        for p in site.rglob("index.html")
    )


# --- the build ------------------------------------------------------------------------

def test_site_builds_strictly(built_site: Path):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "The Networking Workbook" in home


def test_no_page_asks_for_anything_outside_the_site(built_site: Path):
    """No fonts, scripts or styles from another host, on any page (checked in the HTML too)."""
    remote = re.compile(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', re.I)
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        found = [m.group(0) for m in remote.finditer(html)
                 if 'rel="canonical"' not in m.group(0)]
        assert not found, (page, found[:3])


def test_every_chapter_is_in_the_print_page(built_site: Path):
    printed = (built_site / "print_page" / "index.html").read_text(encoding="utf-8")
    for chapter in sorted((ROOT / "docs" / "chapters").glob("*.md")):
        title = chapter.read_text(encoding="utf-8").split("\n", 1)[0].lstrip("# ").strip()
        assert title.split(".")[0] in printed


def test_notebook_code_stays_out_of_the_search_index(built_site: Path):
    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    notebook = " ".join(d["text"] for d in docs if d["location"].startswith("notebooks/"))
    assert "illustration" in notebook, "the notebook's prose is indexed"
    assert "MY_CIRCLE = 200" not in notebook and "Copied!" not in notebook


def test_exclusion_wraps_the_whole_block_nested_divs_and_all():
    from workbook.mkdocs_hooks import exclude_from_search

    html = ('<p>a</p><div class="x"><div><div>code</div></div>tail</div><p>b</p>'
            '<div class="x"></div>')
    assert exclude_from_search(html, '<div class="x"') == (
        '<p>a</p><search-exclude data-search-exclude><div class="x"><div><div>code</div>'
        '</div>tail</div></search-exclude><p>b</p>'
        '<search-exclude data-search-exclude><div class="x"></div></search-exclude>')
    assert exclude_from_search("<div class=\"x\"><div>", '<div class="x"') == \
        "<div class=\"x\"><div>"


def test_only_exercise_pages_load_the_form(built_site: Path, catalog: Catalog):
    spec = re.compile(r'<script type="application/json" id="workbook-form-spec">(.*?)</script>')
    for page in built_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        folder = page.parent.relative_to(built_site).as_posix()
        exercise_id = folder.removeprefix("exercises/")
        if folder.startswith("exercises/") and exercise_id in catalog.exercises:
            found = spec.search(html)
            assert found and json.loads(found.group(1))["exercise"] == exercise_id
            # a classic deferred script: browsers refuse module scripts from file:// (offline)
            assert ('<script defer src="../../assets/worksheet-form-loader.js" '
                    'data-form-script="../../assets/worksheet-form.js">') in html
            assert 'href="../../assets/worksheet-form.css"' in html
        else:
            assert "worksheet-form" not in html, folder
    bundle = (built_site / "assets" / "worksheet-form.js").read_bytes()
    assert b"workbookYaml" in bundle and b"sourceMappingURL" not in bundle


# --- in the browser -------------------------------------------------------------------

@pytest.fixture(scope="session")
def pages(built_site: Path) -> list[str]:
    found = site_pages(built_site)
    assert len(found) > 25
    return found


# The dark palette is checked on one page of each kind (they share their styles).
DARK_SAMPLE = ["", "chapters/contact-tiers/", "notebooks/contact-pool/",
               "exercises/contact-inventory/", "guides/worksheets/", "print_page/"]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_is_clean_and_accessible(browser, server: str, pages: list[str], scheme):
    problems: dict[str, Any] = {}
    for path in pages if scheme == "light" else DARK_SAMPLE:
        page, seen = open_page(browser, server, path, color_scheme=scheme)
        violations = serious_violations(page)
        if any(seen.values()) or violations:
            problems[path or "/"] = {**seen, "axe": violations[:5]}
        page.close()
    assert problems == {}


def search(page: Any, word: str) -> list[str]:
    page.locator("input.md-search__input").click()
    page.keyboard.type(word, delay=20)  # the theme searches on key events, as a person types
    page.wait_for_selector(".md-search-result__item")
    return [a.get_attribute("href") or "" for a in
            page.locator(".md-search-result__item > a, .md-search-result__link").all()]


def only_page_with(built_site: Path, word: str) -> str:
    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    where = {d["location"].split("#")[0] for d in docs
             if re.search(rf"\b{word}\b", d["title"] + " " + d["text"], re.I)}
    assert len(where) == 1, (word, where)
    return where.pop()


@pytest.mark.browser
@pytest.mark.parametrize(("word", "expected"), [("Carnegie", "chapters/practice/"),
                                                ("illustration", "notebooks/contact-pool/")])
def test_search_finds_words_from_chapters_and_the_notebook(browser, server, built_site,
                                                           word, expected):
    assert only_page_with(built_site, word) == expected
    page, seen = open_page(browser, server, "")
    links = search(page, word)
    assert any(expected in link for link in links), links
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state()
    assert expected in page.url
    assert not seen["outside"]
    page.close()


@pytest.mark.browser
def test_worksheet_downloads_are_byte_identical(browser, server: str, catalog: Catalog,
                                                tmp_path: Path):
    for exercise in catalog.exercises.values():
        page, seen = open_page(browser, server, f"exercises/{exercise.id}/",
                               accept_downloads=True)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the worksheet").click()
        saved = tmp_path / f"{exercise.id}.yaml"
        download.value.save_as(saved)
        assert download.value.suggested_filename == f"{exercise.id}.yaml"
        assert saved.read_bytes() == exercise.worksheet_path.read_bytes()
        response = page.request.get(f"{server}schemas/{exercise.id}.schema.json")
        assert response.ok and response.json() == dict(exercise.schema)
        assert not any(seen.values()), seen
        page.close()
    archive = browser.new_page().request.get(f"{server}worksheets/all-worksheets.zip")
    assert archive.ok and archive.body()[:2] == b"PK"


@pytest.mark.browser
def test_phone_menu_and_no_sideways_scrolling(browser, server: str):
    page, _ = open_page(browser, server, "chapters/contact-tiers/", viewport=PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the chapter scrolls sideways ({width}px)"
    drawer = page.locator("nav.md-nav--primary")
    assert not drawer.is_visible() or drawer.bounding_box()["x"] < 0
    page.locator("label.md-header__button[for='__drawer']").click()
    page.wait_for_timeout(400)
    assert page.get_by_role("link", name="Glossary").first.is_visible()
    page.close()


@pytest.mark.browser
def test_palette_toggle_switches_themes(browser, server: str):
    page, _ = open_page(browser, server, "", color_scheme="light")
    scheme = lambda: page.locator("body").get_attribute("data-md-color-scheme")  # noqa: E731
    assert scheme() == "default"
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_timeout(200)
    assert scheme() == "slate"
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize(("name", "path"), [("home", ""), ("chapter", "chapters/contact-tiers/"),
                                            ("exercise", "exercises/contact-inventory/"),
                                            ("print", "print_page/")])
@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots(browser, server: str, name, path, size, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    page, seen = open_page(browser, server, path, viewport=viewport)
    target = ARTIFACTS / f"{name}-{size}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000 and not seen["errors"]
    page.close()


@pytest.mark.browser
def test_first_visit_to_the_home_page_stays_under_600_kb(browser, server: str):
    """Everything a first visit downloads, uncompressed (scripts/site_weight.py reports it)."""
    page = browser.new_page()
    sizes: list[int] = []
    page.on("response", lambda r: sizes.append(len(r.body())) if r.ok else None)
    page.goto(server, wait_until="networkidle")
    assert 0 < sum(sizes) < 600 * 1024, f"{sum(sizes) / 1024:.0f} KB"
    page.close()


def test_figures_are_sized_and_load_when_near(built_site: Path):
    """Issue 17: a chapter's SVG figures, drawn while the theme's script started, cost
    about 200 ms of blocking time on a phone (Lighthouse 98 -> 93). Each figure now
    loads lazily, with the width and height of its SVG so nothing shifts when it comes."""
    page = (built_site / "chapters" / "contact-tiers" / "index.html").read_text()
    svg = (ROOT / "docs" / "images" / "tier-rings.svg").read_text()[:400]
    width, height = re.search(r'width="(\d+)" height="(\d+)"', svg).groups()  # type: ignore[union-attr]
    tag = re.search(r'<img [^>]*tier-rings\.svg"[^>]*>', page).group(0)  # type: ignore[union-attr]
    assert f'width="{width}" height="{height}"' in tag
    assert 'loading="lazy"' in tag and 'decoding="async"' in tag
    for html in built_site.rglob("*.html"):
        for img in re.findall(r"<img [^>]*>", html.read_text(encoding="utf-8")):
            if "print_page" not in str(html):
                assert 'loading="lazy"' in img, (html, img)


# --- the site's Content-Security-Policy (workbook/sitecsp.py) --------------------------

def test_every_page_carries_a_strict_policy_first_in_its_head(built_site: Path):
    from workbook.sitecsp import BASE_POLICY

    for path in built_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert meta, path
        head = html.split("</head>", 1)[0]
        if "<script" in head:  # before anything it governs
            assert head.index("Content-Security-Policy") < head.index("<script"), path
        policy = meta.group(1)
        assert policy.startswith(BASE_POLICY), path
        scripts = policy.split("script-src ", 1)[1].split()
        assert scripts[0] == "'self'" and all(s.startswith("'sha256-") for s in scripts[1:])
        assert "unsafe-inline" not in policy.split("script-src", 1)[1]
        assert "unsafe-eval" not in policy and "*" not in policy


def test_the_policy_hashes_exactly_the_scripts_a_page_runs():
    from workbook.sitecsp import inline_script_hashes, with_policy

    page = ('<html><head><meta charset="utf-8"><script>var a=1</script>'
            '<script type="application/json">{"b": 2}</script>'
            '<script type="module">import("./x.js")</script>'
            '<script src="bundle.js"></script><script type="text/x-mathjax-config">c</script>'
            '<script>var a=1</script></head><body></body></html>')
    assert inline_script_hashes(page) == [
        "'sha256-WazVQOu5lmXfSreSrMJd1CsaQ4c00fUQpJfBYCuMSIw='",  # var a=1, once
        "'sha256-zGLg7SfTGXeFUC2t+BCM73nDTWi4W7nVPOzJolbhG1Y='",  # the module
    ]
    secured = with_policy(page)
    assert secured.startswith('<html><head><meta charset="utf-8"><meta http-equiv=')


CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.mark.browser
def test_reading_searching_and_the_form_break_no_rule_of_the_policy(browser, server: str):
    from browsing import form_ready

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for path in ["", "chapters/contact-tiers/", "notebooks/contact-pool/", "glossary/",
                 "print_page/", "no-such-page/", "exercises/contact-inventory/"]:
        page.goto(server + path)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__csp") == [], path
    # the palette, search (a worker and a fetch), and the form (its script loaded late)
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert search(page, "telephoto")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # to the result
    page.wait_for_timeout(300)
    assert page.evaluate("window.__csp") == [], page.url
    page.goto(server + "exercises/contact-inventory/")
    form_ready(page)
    page.locator("[data-workbook-form] input[type=text]").first.fill("Ann Lee")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__csp") == []
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()


@pytest.mark.browser
def test_a_script_slipped_into_a_page_does_not_run(browser, server: str, built_site: Path):
    """The policy is not decoration: an inline script that is not one of the page's own
    (say, learner text a bug let through unescaped) is refused."""
    source = (built_site / "glossary" / "index.html").read_text(encoding="utf-8")
    target = built_site / "glossary" / "tampered.html"
    target.write_text(source.replace("</body>", "<script>window.__ran = 1</script></body>", 1),
                      encoding="utf-8")
    try:
        context = browser.new_context()
        context.add_init_script(CSP_WATCH)
        page = context.new_page()
        page.goto(server + "glossary/tampered.html")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__ran") is None
        assert any(v.startswith("script-src") for v in page.evaluate("window.__csp"))
        context.close()
    finally:
        target.unlink()
