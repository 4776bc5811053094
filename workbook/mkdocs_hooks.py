"""MkDocs hooks: add the generated exercise pages and downloads to the site.

Named in ``mkdocs.yml`` under ``hooks:``. At build time this loads the catalog
from the folder holding ``mkdocs.yml`` (so a broken worksheet, schema or rubric
fails the build with the author's problems listed) and adds, as virtual files:

* ``exercises/index.md`` and ``exercises/<id>.md``: one page per exercise;
* ``cast.md``: the course's people, from ``docs/cast.yml`` (see ``workbook/castpage.py``);
* ``worksheets/<id>.yaml``: each blank worksheet, byte for byte;
* ``schemas/v<version>/<id>.schema.json``: so the schema line at the top of every
  worksheet (and the schema's ``$id``) resolves on the published site; the same file
  at ``schemas/<id>.schema.json`` for the pages' links; the rubric and results schemas;
* ``worksheets/all-worksheets.zip``: all blank worksheets at once;
* ``assets/worksheet-form.js`` and ``.css``: the "Fill it in your browser" form,
  bundled from ``web/form/`` by esbuild (``npm run build``) at every build, so
  the site never serves a stale copy and no bundle is kept in the repository.
  Each exercise page gets its form's description as JSON, the style and
  ``assets/worksheet-form-loader.js`` (web/form/loader.js, copied as it is), which
  fetches the form's script only when the reader nears the form (``on_post_page``);
  no other page loads them.

It also resolves relative links inside rendered notebooks (see ``on_page_content``),
writes the criterion kinds' reference into the author guide (``on_page_markdown``)
and puts the release's version in every page's footer (``on_config``).
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from workbook import __version__, castpage, sitecsp, sitegen
from workbook.catalog import load_catalog
from workbook.criteria import reference
from workbook.files import reproducible_zip
from workbook.problems import WorkbookError


def _chapter_links(files: Files) -> dict[str, str]:
    """Chapter number -> docs-relative path of the page titled ``# Chapter N. ...``."""
    links: dict[str, str] = {}
    for file in files.documentation_pages():
        if file.abs_src_path is None or not file.src_uri.startswith("chapters/"):
            continue
        number = sitegen.chapter_number(Path(file.abs_src_path).read_text(encoding="utf-8"))
        if number is not None:
            links[number] = file.src_uri
    return links


FORM_SCRIPT = "assets/worksheet-form.js"
FORM_LOADER = "assets/worksheet-form-loader.js"  # loads FORM_SCRIPT when the reader nears it
FORM_STYLE = "assets/worksheet-form.css"

# Exercise page (src_uri) -> its form's description, filled by on_files for on_post_page.
_form_specs: dict[str, str] = {}


def bundle_form(root: Path) -> bytes:
    """The form's script: web/form/ and the YAML parser it uses, as one minified file."""
    npm = shutil.which("npm")
    if npm is None or not (root / "node_modules" / "yaml").is_dir():
        raise PluginError(
            "The worksheet form is bundled with npm, and its packages are not installed. "
            "Run `make build` (it runs `npm ci`), or install Node.js and npm "
            "(apt-get install nodejs npm) and run `npm ci`.")
    done = subprocess.run([npm, "run", "--silent", "build"], cwd=root, capture_output=True,
                          check=False)
    if done.returncode != 0 or not done.stdout:
        raise PluginError("Bundling the worksheet form failed:\n"
                          + done.stderr.decode("utf-8", "replace"))
    return done.stdout


def on_files(files: Files, config: MkDocsConfig, **_: Any) -> Files:
    root = Path(config.config_file_path).resolve().parent
    try:
        catalog = load_catalog(root)
    except WorkbookError as error:
        listed = "\n".join(f"  {p.location()}: {p.message}" for p in error.problems)
        raise PluginError(f"The course content has problems:\n{listed}") from None
    chapters = _chapter_links(files)

    def add(uri: str, content: str | bytes) -> None:
        existing = files.get_file_from_path(uri)
        if existing is not None:
            raise PluginError(f"docs/{uri} is generated from exercises/ and schemas/; "
                              "remove the hand-made copy.")
        files.append(File.generated(config, uri, content=content))

    add("exercises/index.md", sitegen.index_page(catalog, chapters))
    cast_file = Path(config.docs_dir) / castpage.CAST_FILE
    if cast_file.is_file():
        add("cast.md", _cast_page(cast_file, files))
    for exercise in catalog.exercises.values():
        add(sitegen.page_uri(exercise.id), sitegen.exercise_page(exercise, chapters))
        add(sitegen.worksheet_uri(exercise.id), exercise.worksheet_path.read_bytes())
        add(sitegen.schema_uri(exercise.id), sitegen.schema_bytes(exercise))
        add(sitegen.schema_uri(exercise.id, exercise.blank["version"]),
            sitegen.schema_bytes(exercise))
    for shared in ("rubric.schema.json", "results.schema.json"):
        add(f"schemas/{shared}", (root / "schemas" / shared).read_bytes())
    add(sitegen.ZIP_NAME, sitegen.worksheets_zip(catalog))
    add(FORM_SCRIPT, bundle_form(root))
    add(FORM_LOADER, (root / "web" / "form" / "loader.js").read_bytes())
    add(OFFLINE_ZIP, _placeholder_zip())  # the real one is made after the build
    add(FORM_STYLE, (root / "web" / "form" / "form.css").read_bytes())

    _form_specs.clear()
    for exercise in catalog.exercises.values():
        here = sitegen.page_uri(exercise.id)
        page_url = files.get_file_from_path(here).url  # type: ignore[union-attr]
        links = {other.id: {"title": other.title, "url": get_relative_url(
            files.get_file_from_path(sitegen.page_uri(other.id)).url,  # type: ignore[union-attr]
            page_url)} for other in catalog.exercises.values()}
        _form_specs[here] = sitegen.form_spec_json(sitegen.form_spec(exercise, links))
    return files


def _cast_page(cast_file: Path, files: Files) -> str:
    """docs/cast.md from docs/cast.yml, people grouped under their chapters' titles."""
    try:
        cast = castpage.load_cast(cast_file)
    except (ValueError, OSError) as error:
        raise PluginError(f"{cast_file}: {error}") from None
    titles: dict[str, tuple[int, str]] = {}
    for file in files.documentation_pages():
        if file.abs_src_path is None or not file.src_uri.startswith("chapters/"):
            continue
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        number = sitegen.chapter_number(text)
        if number is not None:
            titles[Path(file.src_uri).stem] = (int(number), castpage.chapter_title(text))
    ordered = {stem: title for stem, (_, title) in sorted(titles.items(), key=lambda i: i[1])}
    return castpage.cast_page(cast, ordered)


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog"'


def on_post_page(output: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
    """Name Material's search dialog, and give exercise pages their form.

    Material renders the search overlay as ``role="dialog"`` without a name (axe:
    aria-dialog-name); adding ``aria-label`` here fixes it without copying and
    overriding the theme template. Exercise pages get the form's description,
    script and style, and only they: the home page's weight stays as it was.
    """
    output = output.replace(_SEARCH_DIALOG,
                            _SEARCH_DIALOG + ' aria-label="Search the workbook"', 1)
    if page.file.src_uri.startswith("print_page"):  # printed whole: every figure now
        output = output.replace(' loading="lazy"', "")
    spec = _form_specs.get(page.file.src_uri)
    if spec is None:
        return _secured(output)
    script = get_relative_url(FORM_SCRIPT, page.url)
    loader = get_relative_url(FORM_LOADER, page.url)
    style = get_relative_url(FORM_STYLE, page.url)
    output = output.replace("</head>", f'<link rel="stylesheet" href="{style}">\n</head>', 1)
    return _secured(output.replace(
        "</body>",
        f'<script type="application/json" id="workbook-form-spec">{spec}</script>\n'
        # Classic deferred scripts, not modules: browsers refuse module scripts from
        # file://, and the offline copy of the site is opened from disk. The loader
        # fetches the form's script when the reader nears the form (web/form/loader.js).
        f'<script defer src="{loader}" data-form-script="{script}"></script>\n</body>', 1))


def on_post_template(output: str, template_name: str, **_: Any) -> str:
    """The 404 page, rendered from a template rather than a page, gets the policy too."""
    return _secured(output) if template_name.endswith(".html") else output


def _secured(output: str) -> str:
    """The page with its Content-Security-Policy (workbook/sitecsp.py), last, so that the
    hashes are of the scripts as served; not for the offline copy (no origin to name
    on file://) nor under `mkdocs serve` (its live reload is an inline script)."""
    if offline_copy() or _command.get("name") == "serve":
        return output
    return sitecsp.with_policy(output)


_DIV_TAG = re.compile(r"<(/?)div\b", re.IGNORECASE)
_EXCLUDED = "search-exclude"  # an element name that never occurs inside a page


def exclude_from_search(html: str, opening: str) -> str:
    """Wrap every ``<div>`` that starts with ``opening`` in an element search skips.

    Material's search parser tells elements apart by tag name only, so a
    ``data-search-exclude`` on a ``div`` ends at the first inner ``</div>`` and
    the rest of the block is indexed after all. A wrapper with a tag of its own
    (``display: contents`` in extra.css, so it changes nothing on screen) holds.
    """
    out: list[str] = []
    position = 0
    while (start := html.find(opening, position)) != -1:
        depth = 0
        for tag in _DIV_TAG.finditer(html, start):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = html.index(">", tag.end()) + 1
                break
        else:  # an unclosed block: leave the rest as it is
            break
        out += [html[position:start], f"<{_EXCLUDED} data-search-exclude>",
                html[start:end], f"</{_EXCLUDED}>"]
        position = end
    out.append(html[position:])
    return "".join(out)


# href="relative/path#fragment": no scheme, not site-absolute, not a bare #fragment.
_RELATIVE_HREF = re.compile(r'href="(?![A-Za-z][A-Za-z0-9+.-]*:|/|#)([^"#?]+)(#[^"]*)?"')


_IMG = re.compile(r"<img (?![^>]*\bloading=)([^>]*?)src=\"([^\"]+)\"")
_SVG_SIZE = re.compile(r"<svg\b[^>]*?\bwidth=\"(\d+)\"[^>]*?\bheight=\"(\d+)\"")


def size_images(html: str, page: Page, files: Files) -> str:
    """Let the browser place each figure before it loads, and load it when it is near.

    Measured with Lighthouse on a chapter: its SVG figures, drawn while the theme's
    script starts, cost about 200 ms of blocking time on a phone, enough to take the
    page from 98 to 93. Lazy loading defers a figure until the reader scrolls near
    it; width and height (from the SVG's own) keep the page from shifting when it
    arrives (the theme's CSS scales it down to the column).
    """
    # The page's own folder as the browser sees it: "chapters/x/" (folder URLs) or
    # "chapters" for "chapters/x.html" (the offline copy); sources are relative to it.
    here = page.url if page.url.endswith("/") else posixpath.dirname(page.url)

    def sized(match: re.Match[str]) -> str:
        attributes, source = match.groups()
        size = ""
        if source.endswith(".svg") and "://" not in source:
            file = files.get_file_from_path(posixpath.normpath(posixpath.join(here, source)))
            if file is not None and file.abs_src_path:
                head = Path(file.abs_src_path).read_text(encoding="utf-8")[:2000]
                found = _SVG_SIZE.search(head)
                if found:
                    size = f'width="{found.group(1)}" height="{found.group(2)}" '
        return f'<img {size}loading="lazy" decoding="async" {attributes}src="{source}"'

    return _IMG.sub(sized, html)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files,
                    **_: Any) -> str:
    """Resolve relative links inside rendered notebooks, as MkDocs does for Markdown.

    mkdocs-jupyter renders notebooks with nbconvert, so MkDocs never rewrites or
    checks their links (``../sources.md#x`` would stay as written and 404). Links
    stay written as ``.md`` paths in the notebook, so they also work in Jupyter;
    here each is mapped to the built page, and one that names no file fails the
    build, as a broken link in a chapter does.
    """
    html = size_images(html, page, files)
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    # Code cells stay out of the search index (their prose is what readers look for);
    # this keeps the index, which every first visit downloads, small.
    html = exclude_from_search(html, '<div class="jp-CodeMirrorEditor')
    folder = posixpath.dirname(page.file.src_uri)
    broken: list[str] = []

    def resolve(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(folder, match.group(1)))
        if target == page.file.src_uri:  # the notebook's own download link
            return match.group(0)
        file = files.get_file_from_path(target)
        if file is None:
            broken.append(match.group(1))
            return match.group(0)
        return f'href="{file.url_relative_to(page.file)}{match.group(2) or ""}"'

    html = _RELATIVE_HREF.sub(resolve, html)
    if broken:
        raise PluginError(f"{page.file.src_uri} links to missing files: {', '.join(broken)}")
    return html


def on_page_markdown(markdown: str, page: Page, **_: Any) -> str:
    """Write the criterion kinds' reference where a page marks its place.

    The author guide's table of kinds and their examples come from the kinds' own
    modules (workbook/criteria/reference.py), so the guide cannot drift from the code.
    """
    if reference.MARKER not in markdown:
        return markdown
    return markdown.replace(reference.MARKER, reference.markdown())


def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    """Put the release's version in every page's footer; for the offline copy, load
    the worker shim from the site itself.

    The version is kept in one place, ``workbook.__version__``, which the wheel's name
    and ``workbook --version`` read too; a number typed into mkdocs.yml would drift.
    Material's offline plugin makes search work from disk with squidfunk's
    iframe-worker shim, which it would fetch from unpkg.com: an offline copy must
    not need the network, so the shim is taken from npm at build time (it is in
    node_modules/, never in the repository) and served as one of the site's files.
    """
    config.copyright = footer_text(config.copyright)
    if offline_copy():
        polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in p]
        config.extra["polyfills"] = [*polyfills, SHIM]
    return config


# --- the offline copy: the whole site as a zip that works opened from disk ------------------

OFFLINE_ENV = "WORKBOOK_OFFLINE"  # "true" for the nested build of the offline copy
OFFLINE_ZIP = "downloads/networking-workbook-offline.zip"
SHIM = "assets/javascripts/iframe-worker-shim.js"  # "iframe-worker" in it: Material adds none
_command = {"name": "build"}


def offline_copy() -> bool:
    return os.environ.get(OFFLINE_ENV) == "true"


def on_startup(command: str, **_: Any) -> None:
    _command["name"] = command


def _placeholder_zip() -> bytes:
    """What the offline download holds until the build has made the real one (and in
    the offline copy itself, and under `mkdocs serve`, which skips the slow copy)."""
    return reproducible_zip([("README.txt", b"The offline copy of The Networking Workbook "
                                            b"is made by `make build` and published with "
                                            b"the site.\n")])


def offline_zip(folder: Path) -> bytes:
    """``folder`` (a built site) as one zip under ``networking-workbook/``: the same
    bytes for the same site (sorted members, fixed dates)."""
    return reproducible_zip(
        ("networking-workbook/" + path.relative_to(folder).as_posix(), path.read_bytes())
        for path in sorted(p for p in folder.rglob("*") if p.is_file()))


def on_post_build(config: MkDocsConfig, **_: Any) -> None:
    """The offline copy: copy the worker shim into it, or build it and zip it.

    The published site carries, at ``downloads/``, a zip of the whole site built again
    with Material's offline plugin (links to files, not folders; the search index as
    a script; the shim), which works opened from disk: search, the form and all, for
    career centres with locked-down or offline machines. ``mkdocs serve`` skips it.
    """
    root = Path(config.config_file_path).resolve().parent
    site = Path(config.site_dir)
    # The print page is written whole by the print-site plugin after every page's
    # on_post_page (its own on_post_build, which runs before the hooks' one).
    print_page = site / "print_page" / "index.html"
    if print_page.is_file():
        print_page.write_text(_secured(print_page.read_text(encoding="utf-8")), encoding="utf-8")
    if offline_copy():
        shim = root / "node_modules" / "iframe-worker" / "shim" / "index.js"
        if not shim.is_file():
            raise PluginError("The offline copy needs npm's iframe-worker (in package.json): "
                              "run `npm ci`.")
        (site / SHIM).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shim, site / SHIM)
        return
    if _command["name"] == "serve":
        return
    with tempfile.TemporaryDirectory(prefix="workbook-offline-") as folder:
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
             "--config-file", str(config.config_file_path), "--site-dir", folder],
            cwd=root, env={**os.environ, OFFLINE_ENV: "true", "NO_MKDOCS_2_WARNING": "1"},
            capture_output=True, check=False)
        if done.returncode != 0:
            raise PluginError("Building the offline copy failed:\n"
                              + done.stderr.decode("utf-8", "replace")[-4000:])
        (site / OFFLINE_ZIP).write_bytes(offline_zip(Path(folder)))


def footer_text(existing: str | None) -> str:
    """The footer line: any copyright mkdocs.yml sets, then the version."""
    line = f"The Networking Workbook, version {__version__}"
    return f"{existing} · {line}" if existing else line
