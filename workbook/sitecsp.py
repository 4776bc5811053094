"""The Content-Security-Policy every page of the published site carries, as a meta tag.

A static host such as GitHub Pages sets no security headers, so the policy goes in
the page itself (``<meta http-equiv>``, which browsers honour for everything after
it; ``frame-ancestors`` and reporting cannot be set this way). It is the strictest
the pages allow:

* scripts only from the site itself and, for the few inline scripts the theme and
  the plugins write (Material's palette and storage helpers, the notebook page's
  copy button), each allowed by the SHA-256 of its exact text, computed per page
  here after every other change to the page; no ``eval``, no inline handlers;
* requests (the search index, the form's script), workers (search) and images only
  from the site, images also as ``data:`` (the theme's icons are SVG data URIs);
* no plugins, no ``<base>`` from elsewhere, no form posting anywhere;
* styles from the site and inline: the theme sets ``style`` attributes and the
  notebook page carries its own ``<style>`` blocks, and a stylesheet cannot run code.

Script elements that are data, not code (``application/json``, the notebook's
``text/x-mathjax-config``), are not executed and need no hash.

Not set on the offline copy (pages opened from ``file://`` have no origin for
``'self'`` to name, and its search runs in an iframe shim) nor under
``mkdocs serve`` (its live reload is an inline script added after the build).
tests/test_site.py holds every page to the policy in a real browser: no
violation while reading, searching, switching the palette and using the form.
"""

from __future__ import annotations

import base64
import hashlib
import re

_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>",
                     re.IGNORECASE | re.DOTALL)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
# What browsers run as script: no type, a JavaScript MIME type, or a module.
_EXECUTED = {"", "module", "text/javascript", "application/javascript",
             "text/ecmascript", "application/ecmascript"}
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)

BASE_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
               "object-src 'none'; base-uri 'self'; form-action 'none'")


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions for each inline script the page runs, in page order."""
    found: list[str] = []
    for match in _SCRIPT.finditer(html):
        attributes = match.group("attributes")
        if _SRC.search(attributes):
            continue
        kind = _TYPE.search(attributes)
        if (kind.group(1).lower() if kind else "") not in _EXECUTED:
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        expression = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
        if expression not in found:
            found.append(expression)
    return found


def policy(html: str) -> str:
    """The page's policy: :data:`BASE_POLICY` and its scripts, by origin and hash."""
    sources = " ".join(["'self'", *inline_script_hashes(html)])
    return f"{BASE_POLICY}; script-src {sources}"


def with_policy(html: str) -> str:
    """``html`` with its policy as the first thing its head says after the charset."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    charset = _CHARSET.search(html)
    if charset is not None:
        return html[:charset.end()] + meta + html[charset.end():]
    return html.replace("<head>", "<head>" + meta, 1)


__all__ = ["BASE_POLICY", "inline_script_hashes", "policy", "with_policy"]
