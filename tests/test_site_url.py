"""`make site-url` moves every copy of the site's address at once, and nothing else.

A fork runs it once to publish under its own address (README, "Publishing your own
copy"); an author runs it after raising a worksheet's version. It works on a copy of
the course here, then the copy must load as a catalog, whose own checks hold each
worksheet's schema line to its schema's ``$id``.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from workbook.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent
NEW = "https://someone.github.io/their-workbook/"


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("site_url", ROOT / "scripts/site_url.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("site_url", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for name in ("exercises", "schemas"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / ".github/workflows").mkdir(parents=True)
    shutil.copy(ROOT / ".github/workflows/pages.yml", tmp_path / ".github/workflows/pages.yml")
    return tmp_path


def texts(root: Path) -> dict[Path, str]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return {p.relative_to(root): p.read_text(encoding="utf-8") for p in files}


def test_the_checkout_is_in_step():
    assert script().main(["--check"]) == 0


def test_a_new_address_reaches_every_copy_and_changes_nothing_else(copy: Path,
                                                                  capsys: pytest.CaptureFixture):
    before = texts(copy)
    assert script().main([NEW.rstrip("/"), "--root", str(copy)]) == 0  # the slash is added
    after = texts(copy)
    assert before.keys() == after.keys()
    changed = {p for p in before if before[p] != after[p]}
    assert Path("mkdocs.yml") in changed and Path(".github/workflows/pages.yml") in changed
    for path in changed:
        old, new = before[path].split("\n"), after[path].split("\n")
        assert len(old) == len(new)
        differing = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
        assert len(differing) == 1, f"{path}: only the address's line changes"
        assert NEW in new[differing[0]]
    config = yaml.load(after[Path("mkdocs.yml")], Loader=yaml.BaseLoader)
    assert config["site_url"] == NEW
    pages = yaml.load(after[Path(".github/workflows/pages.yml")], Loader=yaml.BaseLoader)
    assert pages["env"]["SITE_URL"] == NEW

    catalog = load_catalog(copy)  # raises with the author's problems if out of step
    for exercise in catalog.exercises.values():
        url = f"{NEW}schemas/v{exercise.blank['version']}/{exercise.id}.schema.json"
        assert exercise.schema["$id"] == url
        for sheet in [exercise.worksheet_path, *exercise.folder.glob("examples/*.yaml")]:
            first = sheet.read_text(encoding="utf-8").split("\n", 1)[0]
            if first.startswith("# yaml-language-server:"):
                assert first == f"# yaml-language-server: $schema={url}", sheet
    assert "files changed" in capsys.readouterr().out

    # A second run finds nothing to do.
    assert script().main(["--root", str(copy), "--check"]) == 0


def test_a_raised_worksheet_version_moves_its_schema_line(copy: Path):
    blank = copy / "exercises/contact-inventory/worksheet.yaml"
    blank.write_text(blank.read_text(encoding="utf-8").replace("\nversion: 1 ", "\nversion: 2 ", 1),
                     encoding="utf-8")
    assert script().main(["--root", str(copy), "--check"]) == 1
    assert script().main(["--root", str(copy)]) == 0
    first = blank.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.endswith("/schemas/v2/contact-inventory.schema.json")
    schema = (copy / "schemas/contact-inventory.schema.json").read_text(encoding="utf-8")
    assert '/schemas/v2/contact-inventory.schema.json"' in schema


def test_an_address_that_is_not_https_is_refused(copy: Path):
    before = texts(copy)
    with pytest.raises(SystemExit, match="not an https:// address"):
        script().main(["http://example.org/", "--root", str(copy)])
    assert texts(copy) == before
