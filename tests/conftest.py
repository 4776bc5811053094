"""Shared fixtures: the repository's own course content, loaded once."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbook.catalog import Catalog, load_catalog

ROOT = Path(__file__).resolve().parent.parent

# The catalog records content it has verified (workbook/verified.py) in the user's
# cache; tests copy and break content by the hundred, so they keep their records in a
# folder of their own, which subprocesses inherit.
os.environ.setdefault("WORKBOOK_CACHE_DIR", tempfile.mkdtemp(prefix="workbook-test-cache-"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(ROOT)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per test session with the same strict settings as `make build`."""
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    return out


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def server(built_site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI=true but Debian's chromium is missing: .ci/run must install it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# Property tests: reproducible in CI (a failure there must be re-runnable), exploratory
# on a developer's machine. HYPOTHESIS_PROFILE=thorough runs many more cases.
try:
    import os

    from hypothesis import HealthCheck, settings

    settings.register_profile("ci", derandomize=True, deadline=None, max_examples=300,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("dev", deadline=None, max_examples=300,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("thorough", deadline=None, max_examples=5000,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                          or ("ci" if os.environ.get("CI") else "dev"))
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass


# The quick suite (`make quick`: pytest -m "not slow and not browser") leaves out what
# takes seconds each: a real browser, the site build, property tests, the benchmark
# scripts, real signals to real processes, and the JavaScript ports and the editor's
# language server driven through node over every example. Marked here, by what a test uses, so
# that a new test of those kinds is marked without anyone remembering to; `make test`
# (what CI runs) still runs everything.
_BROWSER_FIXTURES = {"browser"}
_SLOW_FIXTURES = {"built_site", "server", *_BROWSER_FIXTURES}
_SLOW_MODULES = {"test_signals", "test_scripts", "test_fuzz", "test_preview",
                 "test_editor_agreement"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & _BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        module = getattr(item, "module", None)
        if (fixtures & _SLOW_FIXTURES
                or getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
                or (module is not None and module.__name__.rpartition(".")[2] in _SLOW_MODULES)):
            item.add_marker(pytest.mark.slow)
