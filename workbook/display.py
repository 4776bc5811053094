"""Names from outside made safe to show: on a terminal, in a CSV cell, in HTML or Markdown.

File and member names come from learners (a zip they made, a folder name in an LMS
export) and from the operating system, which allows bytes that are not UTF-8 and
characters that act rather than show: escape sequences that clear a terminal,
retitle its window or fake a link, a line break that ends a Markdown code span,
and the bidirectional overrides that make "Jane Doe (research)" read backwards.
:func:`shown` turns any such name into plain visible text, once, where it enters
(workbook/intake.py), so every report downstream gets the same safe string;
the file itself is still opened by its real name.
"""

from __future__ import annotations

import re

# C0 and C1 controls (tab and newline included: a name has no business with them),
# DEL, and the bidirectional embeddings, overrides and isolates.
_ACTING = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(name: str) -> str:
    """``name`` as text anyone can see: bytes that were not UTF-8 (Python keeps them
    as lone surrogates) become U+FFFD, and acting characters become ``\\x1b``-style
    escapes. Plain names come back unchanged."""
    if name.isprintable() and name.isascii():
        return name
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _ACTING.sub(_visible, text)


__all__ = ["shown"]
