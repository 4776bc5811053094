"""Measure the site: cold and warm `mkdocs build` times, and what a first visit costs.

* cold build: no `.cache/` (the notebook is executed) and no `site/`;
* warm build: the same again, with mkdocs-jupyter's cache in place;
* first visit: the bytes a browser with an empty cache downloads to show the home
  page (HTML, CSS, scripts, images, the search index), served from 127.0.0.1 by
  Python's http.server without compression, so the figure is an upper bound;
* an exercise page: the same for a first visit to one exercise page, which alone
  also loads the worksheet form (its script, style and description).

Run it with ``make weight`` (needs Debian's chromium). The README records its output.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 600 * 1024
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def build(site: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                   cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def first_visit_bytes(site: Path, path: str = "") -> tuple[int, int]:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: list[int] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        page.on("response", lambda r: sizes.append(len(r.body())) if r.ok else None)
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}",
                  wait_until="networkidle")
        browser.close()
    server.shutdown()
    return sum(sizes), len(sizes)


def main() -> None:
    shutil.rmtree(ROOT / ".cache", ignore_errors=True)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        cold = build(site)
        warm = build(site)
        total, requests = first_visit_bytes(site)
        form_total, form_requests = first_visit_bytes(site, "exercises/contact-inventory/")
    print(f"cold build  {cold:6.1f} s   (no cache: the notebook is executed)")
    print(f"warm build  {warm:6.1f} s   (mkdocs-jupyter's cache in place)")
    verdict = "within" if total <= BUDGET else "OVER"
    print(f"first visit {total / 1024:6.0f} KB in {requests} requests, uncompressed "
          f"({verdict} the {BUDGET // 1024} KB budget)")
    print(f"exercise page {form_total / 1024:4.0f} KB in {form_requests} requests, uncompressed "
          "(the form's script, style and description included)")


if __name__ == "__main__":
    main()
