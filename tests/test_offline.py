"""The site offline: the downloadable zip works opened from disk (issue 17 part 4).

The published site carries downloads/networking-workbook-offline.zip, the whole site
built again with Material's offline plugin. Unzipped, opened from file:// in a real
browser and with the network cut: pages link to pages, search finds a chapter, and
an exercise page's form draws and checks answers. Nothing is fetched from outside
(Material's plugin would take its worker shim from unpkg.com; ours is a site file).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from workbook.mkdocs_hooks import OFFLINE_ZIP, SHIM, offline_zip


@pytest.fixture(scope="module")
def unzipped(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(built_site / OFFLINE_ZIP) as archive:
        archive.extractall(folder)
    return folder / "networking-workbook"


def test_the_zip_holds_the_whole_site_with_file_links(unzipped: Path, built_site: Path):
    assert (unzipped / "index.html").is_file()
    assert (unzipped / "chapters" / "contact-tiers.html").is_file()  # files, not folders
    assert (unzipped / "search" / "search_index.js").is_file()
    assert (unzipped / SHIM).is_file()
    home = (unzipped / "index.html").read_text()
    assert "unpkg.com" not in home and 'href="chapters/contact-tiers.html"' in home
    for page in unzipped.rglob("*.html"):
        assert "https://unpkg.com" not in page.read_text(), page


def test_the_zip_is_the_same_for_the_same_site(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.html").write_text("x")
    (tmp_path / "b.txt").write_text("b")
    first = offline_zip(tmp_path)
    assert first == offline_zip(tmp_path)
    assert zipfile.ZipFile(__import__("io").BytesIO(first)).namelist() == [
        "networking-workbook/a/x.html", "networking-workbook/b.txt"]


def _open(browser: Any, url: str) -> tuple[Any, dict[str, list[str]]]:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    seen: dict[str, list[str]] = {"errors": [], "outside": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))

    def route(handle: Any) -> None:
        if handle.request.url.startswith(("file:", "data:", "blob:", "about:")):
            handle.continue_()
        else:
            seen["outside"].append(handle.request.url)
            handle.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    return page, seen


@pytest.mark.browser
def test_search_works_from_disk(browser, unzipped: Path):
    page, seen = _open(browser, (unzipped / "index.html").as_uri())
    page.locator("label.md-header__button[for=__search]").first.click()
    page.locator("input.md-search__input").click()
    page.keyboard.type("gatekeeper", delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.url.split("?")[0].endswith(".html")
    assert not seen["errors"] and not seen["outside"], seen
    page.close()


@pytest.mark.browser
def test_the_form_works_from_disk(browser, unzipped: Path):
    page, seen = _open(browser, (unzipped / "exercises" / "contact-inventory.html").as_uri())
    form = page.locator("[data-workbook-form]")
    form.scroll_into_view_if_needed()  # built when the reader reaches it (web/form/main.js)
    form.locator("input, select, textarea").first.wait_for(timeout=15_000)
    first = form.locator("input[type=text], textarea").first
    first.fill("Ann Lee")
    page.wait_for_timeout(300)
    assert "What earns points" in page.content()
    assert not seen["errors"] and not seen["outside"], seen
    page.close()
