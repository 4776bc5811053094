"""Keep every copy of the site's address in step: ``make site-url URL=...``.

The address the site is published at appears in more places than one would like,
because each of them is read by something that cannot look it up:

* ``site_url`` in mkdocs.yml (canonical links, the sitemap);
* ``SITE_URL`` in .github/workflows/pages.yml (where the workflow says it publishes);
* each schema's ``$id``, and the editor's schema line at the top of every blank
  worksheet and example (``# yaml-language-server: $schema=...``), which editors such
  as VS Code follow to fetch the schema from the published site.

An exercise's schema lives at ``<site>schemas/v<version>/<id>.schema.json``, where
``<version>`` is the ``version:`` its blank worksheet declares: a worksheet format
that changes gets a new address, so no editor holds a file written for one version
to the next one's rules. The site build publishes each schema at that path
(workbook/sitegen.py, ``schema_uri``); tests/test_course.py checks all of it.

This script rewrites all of them at once, so a fork changes its address with one
command, and an author who raises a worksheet's version moves its schema line with
it. With no URL it keeps mkdocs.yml's address and only brings the rest in line.
Only the address changes: every other byte of each file stays as it was.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

from workbook.files import write_atomic

ROOT = Path(__file__).resolve().parent.parent
SITE_URL_LINE = re.compile(r"^site_url:[ \t]*(?P<url>\S+)[ \t]*$", re.MULTILINE)
WORKFLOW_LINE = re.compile(r"^(?P<indent>[ \t]+)SITE_URL:[ \t]*(?P<url>\S+)", re.MULTILINE)
SCHEMA_ID = re.compile(r'^(?P<indent>[ \t]*)"\$id":[ \t]*"(?P<url>[^"]*)"', re.MULTILINE)
MODELINE = re.compile(r"^# yaml-language-server: \$schema=\S+")
SHARED_SCHEMAS = ("rubric.schema.json", "results.schema.json")
WORKFLOW = Path(".github/workflows/pages.yml")


def schema_url(site: str, exercise_id: str, version: object) -> str:
    """Where an exercise's schema is published, for the worksheet version it declares."""
    return f"{site}schemas/v{version}/{exercise_id}.schema.json"


def normalise(url: str) -> str:
    if not re.fullmatch(r"https://[^\s/]+(/[^\s]*)?", url):
        raise SystemExit(f"site_url.py: {url!r} is not an https:// address.")
    return url if url.endswith("/") else url + "/"


def _replace_once(text: str, pattern: re.Pattern[str], new: str, where: Path) -> str:
    match = pattern.search(text)
    if match is None:
        raise SystemExit(f"site_url.py: {where} has no line for the address to change.")
    return text[:match.start("url")] + new + text[match.end("url"):]


def planned(root: Path, site: str) -> dict[Path, str]:
    """Every file whose text changes, with its new text (files already right are left out)."""
    changes: dict[Path, str] = {}

    def update(path: Path, new: str) -> None:
        if path.read_text(encoding="utf-8") != new:
            changes[path] = new

    mkdocs = root / "mkdocs.yml"
    update(mkdocs, _replace_once(mkdocs.read_text(encoding="utf-8"), SITE_URL_LINE, site,
                                 mkdocs))
    workflow = root / WORKFLOW
    if workflow.is_file():
        update(workflow, _replace_once(workflow.read_text(encoding="utf-8"), WORKFLOW_LINE,
                                       site, workflow))
    for name in SHARED_SCHEMAS:
        path = root / "schemas" / name
        if path.is_file():
            update(path, _replace_once(path.read_text(encoding="utf-8"), SCHEMA_ID,
                                       f"{site}schemas/{name}", path))
    for folder in sorted(p for p in (root / "exercises").iterdir() if p.is_dir()):
        blank = folder / "worksheet.yaml"
        data = yaml.safe_load(blank.read_text(encoding="utf-8"))  # our own content
        url = schema_url(site, folder.name, data["version"])
        schema = root / "schemas" / f"{folder.name}.schema.json"
        update(schema, _replace_once(schema.read_text(encoding="utf-8"), SCHEMA_ID, url,
                                     schema))
        for sheet in [blank, *sorted((folder / "examples").glob("*.yaml"))]:
            text = sheet.read_text(encoding="utf-8")
            if MODELINE.match(text):  # a file without the line (a test of that) keeps it so
                update(sheet, MODELINE.sub(f"# yaml-language-server: $schema={url}", text,
                                           count=1))
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("url", nargs="?", help="the new address, e.g. "
                        "https://your-name.github.io/networking-workbook/ "
                        "(default: mkdocs.yml's site_url)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 and list the files that are out of step")
    args = parser.parse_args(argv)
    root: Path = args.root
    current = SITE_URL_LINE.search((root / "mkdocs.yml").read_text(encoding="utf-8"))
    if args.url is None and current is None:
        parser.error("mkdocs.yml has no site_url; give the address")
    site = normalise(args.url or (current["url"] if current else ""))
    changes = planned(root, site)
    for path in changes:
        print(f"{'out of step' if args.check else 'updated'}: {path.relative_to(root)}")
    if args.check:
        return 1 if changes else 0
    for path, text in changes.items():
        mode = path.stat().st_mode
        write_atomic(path, text.encode("utf-8"), durable=False)
        path.chmod(mode)
    print(f"{len(changes)} files changed; the site's address is {site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
