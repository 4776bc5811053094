"""One version for the whole release: the wheel, `workbook --version`, the site's footer
and the changelog's latest entry all say the same number, read from one place.

(tests/test_wheel.py checks the built files' names and an installed `workbook --version`.)
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
import yaml

from workbook import __version__
from workbook.catalog import Catalog
from workbook.cli import main
from workbook.mkdocs_hooks import footer_text

ROOT = Path(__file__).resolve().parent.parent
RELEASE = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\] - (?P<date>\d{4}-\d{2}-\d{2})$",
                     re.MULTILINE)


def test_version_is_semantic():
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_the_package_reads_its_version_from_the_module():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"], "a second copy of the number would drift"
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "workbook/__init__.py"


def test_cli_prints_the_version(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"workbook {__version__}"


def test_changelog_latest_release_is_this_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = list(RELEASE.finditer(text))
    assert releases, "CHANGELOG.md has '## [x.y.z] - YYYY-MM-DD' headings"
    assert releases[0]["version"] == __version__
    assert text.index("## [Unreleased]") < releases[0].start()
    versions = [tuple(int(n) for n in m["version"].split(".")) for m in releases]
    assert versions == sorted(set(versions), reverse=True), "newest first, each once"
    dates = [date.fromisoformat(m["date"]) for m in releases]
    assert dates == sorted(dates, reverse=True)
    for section in re.findall(r"^### (.+)$", text, re.MULTILINE):
        assert section in {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_footer_text_carries_the_version_after_any_copyright():
    assert footer_text(None) == f"The Networking Workbook, version {__version__}"
    assert footer_text("© 2026 Us") == f"© 2026 Us · The Networking Workbook, version {__version__}"


def test_every_page_footer_shows_the_version(built_site: Path):
    pages = [built_site / "index.html", built_site / "chapters/contact-tiers/index.html",
             built_site / "exercises/contact-inventory/index.html"]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        footer = html[html.index('<footer class="md-footer"'):]
        assert f"The Networking Workbook, version {__version__}" in footer, page


def test_site_publishes_each_schema_where_its_id_points(built_site: Path, catalog: Catalog):
    """The $id (and so every worksheet's schema line) carries the worksheet version and
    resolves on the published site; the short address stays for the pages' links."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    site = config["site_url"].rstrip("/") + "/"
    for exercise in catalog.exercises.values():
        schema_id = str(exercise.schema["$id"])
        assert schema_id.startswith(site)
        path = schema_id.removeprefix(site)
        assert path == f"schemas/v{exercise.blank['version']}/{exercise.id}.schema.json"
        assert (built_site / path).read_bytes() == exercise.schema_path.read_bytes()
        assert (built_site / f"schemas/{exercise.id}.schema.json").read_bytes() == \
            exercise.schema_path.read_bytes()
