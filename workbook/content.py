"""Where the course content (``exercises/`` and ``schemas/``) lives.

The engine is generic, so it is always told or finds a *content root*: a folder
holding ``exercises/`` and ``schemas/``. In order:

1. ``--content DIR`` on the command line, or the ``WORKBOOK_CONTENT`` variable;
2. the folder containing the ``workbook`` package, when it is a source checkout;
3. the copy bundled inside an installed wheel (``workbook/_content``).

A checkout wins over the bundled copy so authors always test what they edit.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "WORKBOOK_CONTENT"
_PACKAGE = Path(__file__).resolve().parent


def is_content_root(folder: Path) -> bool:
    return (folder / "exercises").is_dir() and (folder / "schemas").is_dir()


def find_content_root(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The content root to use, or ``None`` when none can be found."""
    if explicit is None:
        explicit = os.environ.get(ENV_VAR) or None
    if explicit is not None:
        return Path(explicit).resolve()
    for candidate in (_PACKAGE.parent, _PACKAGE / "_content"):
        if is_content_root(candidate):
            return candidate
    return None
