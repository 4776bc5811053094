"""Helpers for the browser tests: a page that records what it asks for, and axe."""

from __future__ import annotations

from typing import Any


def open_page(browser: Any, server: str, path: str, **context: Any) -> tuple[Any, dict]:
    """A page that records console errors, failed requests and any request off the site."""
    page = browser.new_page(**context)
    seen: dict[str, list[str]] = {"errors": [], "failed": [], "outside": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("requestfailed", lambda r: seen["failed"].append(r.url)
            if r.url.startswith(server) else None)
    page.on("response", lambda r: seen["failed"].append(f"{r.status} {r.url}")
            if r.status >= 400 else None)

    def route(handle: Any) -> None:
        url = handle.request.url
        if url.startswith(server) or url.startswith(("data:", "blob:")):
            handle.continue_()
        else:
            seen["outside"].append(url)
            handle.abort()

    page.route("**/*", route)
    page.goto(server + path, wait_until="load")
    page.wait_for_timeout(150)  # let the theme's scripts start, so their errors are seen
    return page, seen


FORM_READY = "[data-workbook-form][data-state='ready']"


def form_ready(page: Any, timeout: float = 30_000) -> None:
    """Go to the exercise page's form and wait until it is drawn: it is built only when
    the reader comes near it (web/form/main.js), as a reader scrolling down would."""
    page.locator("[data-workbook-form]").scroll_into_view_if_needed()
    page.wait_for_selector(FORM_READY, timeout=timeout)


def serious_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    # Colours are judged once the theme's transitions have ended: mid-fade, Material's
    # back-to-top button (shown after scrolling up) blends into the page for axe.
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    results = Axe().run(page)
    return [f"{v['id']}: {n['target']}" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical") for n in v["nodes"]]
