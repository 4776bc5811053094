"""Name a learner's slip for what it is, on the line where it was made.

Two jobs, both cheap and both only where they are needed:

* :func:`sniff` looks at a file's first bytes (and, for a zip, at the names of its
  members) and recognises a Word document, a PDF, an image, a spreadsheet, RTF or
  a zip archive saved under a .yaml name. A text worksheet costs a few byte
  comparisons. Without it, such files were reported as "an older encoding such as
  Latin-1", which no learner can act on.
* :func:`diagnose` runs only after the YAML parser has refused a file. Parsers
  report where they gave up, often the line after the real cause; this reads the
  lines up to that point and looks for the slips first-time YAML writers make
  (characters pasted from word processors, an answer wrapped onto the next line,
  a missing space after a colon, a reserved character at the start of an answer).

web/form/slips.js does the same in the form, with the same words; tests/test_slips.py
holds the two together and lists every slip with where it was seen in the wild.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Slip:
    """One recognised slip: where (1-based; None for the whole file), and what to do."""

    line: int | None
    column: int | None
    code: str
    message: str
    hint: str


_COPY_TEXT = ("copy the text into a plain text editor such as Notepad (Windows) or TextEdit "
              "(Mac: Format > Make Plain Text), and save it as a .yaml file. Or fill the "
              "worksheet in on the exercise's page, in your browser.")

_KINDS: dict[str, tuple[str, str]] = {
    "word": ("This is a Word document, not a text file.",
             "Open it in Word, " + _COPY_TEXT),
    "word-old": ("This is an older Word document (.doc), not a text file.",
                 "Open it in Word, " + _COPY_TEXT),
    "office-old": ("This is a Microsoft Office document, not a text file.",
                   "Open it in the program that made it, " + _COPY_TEXT),
    "spreadsheet": ("This is a spreadsheet, not a text file.",
                    "Worksheets are plain text. Start from the blank worksheet in a text "
                    "editor such as Notepad or TextEdit and copy your answers across, or "
                    "fill it in on the exercise's page, in your browser."),
    "presentation": ("This is a slide presentation, not a text file.",
                     "Open it in the program that made it, " + _COPY_TEXT),
    "odt": ("This is a word-processor document (OpenDocument), not a text file.",
            "Open it in LibreOffice, " + _COPY_TEXT),
    "pages": ("This is an Apple Pages or Numbers document, not a text file.",
              "Open it in Pages, " + _COPY_TEXT),
    "rtf": ("This is a rich-text (RTF) document, not a plain text file.",
            "In TextEdit choose Format > Make Plain Text, then save it again as a .yaml "
            "file; in WordPad, copy the text into Notepad and save it from there."),
    "pdf": ("This is a PDF, not a text file.",
            "A PDF cannot be checked. Go back to the file you made it from, copy the text "
            "into a plain text editor such as Notepad or TextEdit, and save it as a .yaml "
            "file."),
    "image": ("This is a picture, not a text file.",
              "A screenshot or photo cannot be checked. Hand in the worksheet itself: the "
              ".yaml file you filled in, or the one the form on the exercise's page "
              "downloads."),
    "zip": ("This is a zip archive, not a text file.",
            "Unzip it and check the .yaml worksheet inside."),
    "html": ("This is a web page (HTML), not a plain text file.",
             "It was probably saved as a web page. Copy the worksheet's text into a plain "
             "text editor such as Notepad or TextEdit and save it as a .yaml file."),
}

_IMAGE_STARTS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a",
                 b"II*\x00", b"MM\x00*")
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
                b"avif")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_kind(raw: bytes) -> str:
    """Which kind of zip: Office and OpenDocument files are zips of known members."""
    if raw[30:38] == b"mimetype":  # OpenDocument keeps its type, uncompressed, first
        kind = raw[38:120]
        if b"opendocument.spreadsheet" in kind:
            return "spreadsheet"
        if b"opendocument.presentation" in kind:
            return "presentation"
        return "odt"
    if b"word/document.xml" in raw:
        return "word"
    if b"xl/workbook.xml" in raw:
        return "spreadsheet"
    if b"ppt/presentation.xml" in raw:
        return "presentation"
    if b"Index/Document.iwa" in raw:
        return "pages"
    return "zip"


def file_kind(raw: bytes) -> str | None:
    """The kind of non-text file ``raw`` is, from its first bytes; None for text."""
    head = raw[:16]
    if not head or head[0] in b"abcdefghijklmnopqrstuvwxyz#-\n \r":  # a worksheet, quickly
        return None
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(raw)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_OLE):
        if "WordDocument".encode("utf-16-le") in raw:
            return "word-old"
        if "Workbook".encode("utf-16-le") in raw or "Book".encode("utf-16-le") in raw:
            return "spreadsheet"
        return "office-old"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_IMAGE_STARTS) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image"
    start = raw[:200].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")):
        return "html"
    return None


def sniff(raw: bytes) -> Slip | None:
    """A :class:`Slip` for a file that is not text at all, else None."""
    kind = file_kind(raw)
    if kind is None:
        return None
    message, hint = _KINDS[kind]
    return Slip(None, None, f"file.{kind}", message, hint)


# Characters that come in with text copied from word processors and web pages.
_SPACES = {"\u00a0": "a non-breaking space", "\u202f": "a narrow non-breaking space",
           "\u200b": "a zero-width space", "\u3000": "a wide (ideographic) space",
           "\ufeff": "an invisible zero-width character", "\u2007": "a figure space",
           **{chr(c): "an unusual space" for c in range(0x2000, 0x200B) if chr(c) != "\u2007"},
           "\u1680": "an unusual space", "\u205f": "an unusual space"}
_DASHES = {"\u2013": "an en dash (\u2013)", "\u2014": "an em dash (\u2014)",
           "\u2012": "a figure dash (\u2012)", "\u2015": "a horizontal bar (\u2015)",
           "\u2212": "a minus sign (\u2212)", "\u2010": "a typographic hyphen (\u2010)",
           "\u2011": "a non-breaking hyphen (\u2011)", "\u2022": "a bullet (\u2022)",
           "\u25cf": "a bullet (\u25cf)", "\u25aa": "a bullet (\u25aa)",
           "\u00b7": "a middle dot (\u00b7)", "\u2043": "a hyphen bullet (\u2043)"}
_CURLY = "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb"

# The patterns below are compiled on first use (re's own cache), not at import: they
# are looked for only in a file that failed, and a valid file's check should not pay
# for them (issue 16).
_INDENT = r" *"
# A field name in curly quotes, as Word writes "name": the quotes become part of it.
_CURLY_KEY = f"( *(?:- +)?)([{_CURLY}])([^{_CURLY}:#\n]+)([{_CURLY}]):(?: |$)"
# `name: #1 fan`: YAML reads the # after a space as the start of a comment.
_HASH_ANSWER = r"( *(?:- +)?[^\s#:\"'][^:#]*?:[ \t]+)(#[^\s#].*?)\s*$"
_KEY_LINE = r"( *)(?:- +)?([^\s#:\"'][^:#]*?):(?: +|$)"
_NO_SPACE = r"( *)(?:- +)?([A-Za-z_][A-Za-z0-9_-]*):([^\s:/\\][^\n]*)"
_BLOCK_START = r".*(?::|^ *-) +[|>][-+0-9]* *(?:#.*)?$"

_RESERVED = {
    "@": "'@' cannot start an answer: YAML keeps it for future use.",
    "`": "A backtick (`) cannot start an answer: YAML keeps it for future use.",
    "%": "'%' cannot start an answer: YAML reads it as an instruction to the reader.",
    "*": "'*' at the start of an answer means \"repeat another value\" in YAML.",
    "&": "'&' at the start of an answer gives a value a name in YAML.",
    "!": "'!' at the start of an answer marks a value's type in YAML.",
    "|": "'|' at the start of an answer starts a multi-line answer on the lines below.",
    ">": "'>' at the start of an answer starts a multi-line answer on the lines below.",
    "?": "'? ' at the start of an answer starts a complicated kind of field name in YAML.",
    "-": "'- ' at the start of an answer starts a list, which cannot begin there.",
}


def _quote(value: str) -> str:
    """The answer in quotes a learner can type: single ones if it holds a double quote."""
    if '"' in value:
        return "single quotes: '" + value.replace("'", "''") + "'"
    return 'double quotes: "' + value.replace("\\", "\\\\") + '"'


def _uncurl(value: str) -> str:
    """The answer without the curly quotes around it (an apostrophe inside stays)."""
    value = value.rstrip()
    inner = value[1:]
    if inner and inner[-1] in _CURLY:
        inner = inner[:-1]
    return inner


def _value_start(line: str) -> int | None:
    """Where the answer on a ``key: answer`` or ``- answer`` line begins, if any."""
    match = re.match(_KEY_LINE, line)
    if match:
        start = match.end()
    else:
        indent = len(re.match(_INDENT, line).group())  # type: ignore[union-attr]
        if not line.startswith("- ", indent):
            return None
        start = indent + 2
    while start < len(line) and line[start] == " ":
        start += 1
    return start if start < len(line) else None


def _closed_then_more(value: str) -> bool:
    """A quoted or bracketed answer that closes, then more text follows on the line."""
    opener = value[0]
    if opener in "\"'":
        i = 1
        while i < len(value):
            char = value[i]
            if opener == '"' and char == "\\":
                i += 2
                continue
            if char == opener:
                if opener == "'" and value[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                rest = value[i + 1 :].strip()
                return bool(rest) and not rest.startswith("#")
            i += 1
        return False
    closer = "]" if opener == "[" else "}"
    body = value.split(" #", 1)[0].rstrip()
    return not body.endswith(closer)


def _pasted(line: str, number: int) -> Slip | None:
    indent = len(re.match(_INDENT, line).group())  # type: ignore[union-attr]
    first = line[indent : indent + 1]
    if first in _SPACES:
        return Slip(number, indent + 1, "paste.space",
                    f"The indentation of this line contains {_SPACES[first]} "
                    f"(U+{ord(first):04X}): it looks like a space, but YAML does not count "
                    "it as one. Text copied from Word or a web page often brings it along.",
                    "Delete the spaces at the start of this line and type them again with "
                    "the space bar.")
    if first in _DASHES and line[indent + 1 : indent + 2] in ("", " ", "\t", "\u00a0"):
        return Slip(number, indent + 1, "paste.dash",
                    f"This line starts with {_DASHES[first]} where a list item needs a plain "
                    "hyphen (-). Word and many websites turn hyphens into dashes or bullets.",
                    "Replace it with the hyphen key (-), followed by one space.")
    if first == "-" and line[indent + 1 : indent + 2].isalpha() and ": " in line:
        return Slip(number, indent + 2, "slip.list-dash-space",
                    "A list item needs a space after its hyphen.",
                    f"Write '- {line[indent + 1:].split(':')[0]}:' rather than "
                    f"'-{line[indent + 1:].split(':')[0]}:'.")
    curly_key = re.match(_CURLY_KEY, line)
    if curly_key:
        before, opening, name, closing = curly_key.groups()
        return Slip(number, len(before) + 1, "paste.curly-key",
                    f"The field name {opening}{name}{closing} is in curly quote marks, which "
                    "Word and web pages put in. YAML takes them for part of the name, so it "
                    f"does not see the field '{name}'.",
                    f"Delete the quote marks: write '{name}:'.")
    colon = re.match(r"( *)(?:- +)?[A-Za-z_][A-Za-z0-9_-]*:(.)", line)
    if colon and colon.group(2) in _SPACES:
        column = colon.end()
        return Slip(number, column, "paste.space",
                    f"After the colon on this line comes {_SPACES[colon.group(2)]} "
                    f"(U+{ord(colon.group(2)):04X}), not an ordinary space, so YAML does not "
                    "see a field and its answer.",
                    "Delete the character after the colon and type a space with the space bar.")
    start = _value_start(line)
    if start is not None and line[start] in _CURLY:
        rest = line[start + 1 :]
        if ": " in rest or rest.endswith(":") or " #" in rest:
            return Slip(number, start + 1, "paste.curly-quote",
                        f"This answer starts with a curly quote mark ({line[start]}). YAML "
                        "reads curly quotes as ordinary letters, so they do not protect the "
                        "colon inside the answer the way straight quotes (\") do.",
                        "Use straight quotes instead of curly ones: put the whole answer in "
                        f"{_quote(_uncurl(line[start:]))}.")
    return None


def _reserved(line: str, number: int) -> Slip | None:
    start = _value_start(line)
    if start is None:
        return None
    value = line[start:]
    first = value[0]
    if first in "\"'[{" and _closed_then_more(value):
        what = {"\"": "a quote mark", "'": "a quote mark", "[": "a square bracket",
                "{": "a curly bracket"}[first]
        return Slip(number, start + 1, "slip.closed-then-more",
                    f"This answer starts with {what}, so YAML expects the answer to end where "
                    "it closes, but more text follows.",
                    f"Put the whole answer in {_quote(value.rstrip())}.")
    colon = value.find(": ")
    if first not in _RESERVED and first not in "\"'[{" and colon > 0:
        return Slip(number, start + colon + 1, "slip.colon-in-answer",
                    "This answer contains a colon followed by a space, which YAML reads as the "
                    "start of another field.",
                    f"Put the whole answer in {_quote(value.rstrip())}.")
    if first not in _RESERVED:
        return None
    second = value[1:2]
    if first in "?-" and second not in ("", " "):
        return None
    if first in "|>" and not value[1:].lstrip("-+0123456789 ").strip("\r").lstrip().startswith(
            tuple("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789(")):
        return None
    return Slip(number, start + 1, "slip.reserved-start", _RESERVED[first],
                f"Put the whole answer in {_quote(value.rstrip())}.")


def _contextual(lines: list[str], i: int) -> Slip | None:
    """Slips that depend on the line above: a wrapped answer, an over-indented field."""
    line = lines[i]
    number = i + 1
    nospace = re.fullmatch(_NO_SPACE, line.rstrip())
    if nospace and ": " not in line:
        key, rest = nospace.group(2), nospace.group(3)
        return Slip(number, nospace.end(2) + 2, "slip.no-space-after-colon",
                    f"There is no space after the colon in '{key}:{rest[:20]}', so YAML reads "
                    "it all as one piece of text rather than a field and its answer.",
                    f"Put a space after the colon: {key}: {rest[:20]}")
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    indent = len(re.match(_INDENT, line).group())  # type: ignore[union-attr]
    j = i - 1
    while j >= 0 and (not lines[j].strip() or lines[j].lstrip().startswith("#")):
        j -= 1
    while (j >= 0 and re.match(_KEY_LINE, lines[j]) is None
           and not lines[j].lstrip().startswith("- ")):
        if len(re.match(_INDENT, lines[j]).group()) <= indent:  # type: ignore[union-attr]
            return None
        j -= 1
    if j < 0:
        return None
    above = re.match(_KEY_LINE, lines[j])
    if above is None:
        return None
    key_column = above.start(2)
    answer = lines[j][above.end():].strip()
    if not answer or answer[0] in "\"'|>[{&*!#":
        return None
    is_field = re.match(_KEY_LINE, line) is not None
    if not is_field and not stripped.startswith("- ") and indent <= key_column:
        key = above.group(2)
        return Slip(number, indent + 1, "slip.wrapped-answer",
                    f"This line looks like the rest of the answer to '{key}' on line {j + 1}, "
                    f"but it does not start to the right of '{key}', so YAML reads it as a new "
                    "field without a colon.",
                    f"Indent this line two spaces further than '{key}:', or join it to the end "
                    f"of line {j + 1}.")
    if is_field and indent > key_column:
        key = above.group(2)
        return Slip(number, indent + 1, "slip.over-indented",
                    f"This field starts further right than '{key}' on line {j + 1}, which "
                    "already has an answer, so YAML cannot tell where it belongs.",
                    f"Start it in the same column as '{key}' (or, if the colon is part of "
                    "your answer, put the answer in double quotes).")
    return None


def odd_key(key: str) -> bool:
    """A field name that starts with a pasted space, a dash and a space, or a curly quote
    mark: never a real one."""
    first = key[:1]
    return first in _SPACES or first in _CURLY or (first in _DASHES and key[1:2] == " ")


def commented_answer(line: str, number: int) -> Slip | None:
    """``name: #1 fan``: an answer that YAML read as empty because it starts with ``#``.

    Called only for a field whose answer came out empty; a comment that starts
    ``# `` (a space after the mark, as every comment in our worksheets does) is taken
    for a comment, so only ``#`` followed at once by text is named.
    """
    match = re.match(_HASH_ANSWER, line.rstrip("\r"))
    if match is None:
        return None
    before, value = match.groups()
    return Slip(number, len(before) + 1, "slip.hash-answer",
                "This answer starts with #, and YAML reads a # after a space as the start of "
                "a comment, so the answer came out empty.",
                f"Put the whole answer in {_quote(value)}.")


def explain_line(line: str, number: int) -> Slip | None:
    """The pasted character at the start of one line (1-based ``number``), if any.

    For a file that parses but has a field name such as ``"\u00a0tier"``: YAML took
    the pasted space for part of the name, and the checker would otherwise report an
    unknown field with an invisible character in its name.
    """
    return _pasted(line.rstrip("\r"), number)


def diagnose(text: str, error_line: int) -> Slip | None:
    """The slip that best explains a parse error reported on ``error_line`` (0-based).

    Lines are read from the top down to the reported one (parsers stop at or after the
    cause, never before it); the first slip found wins. Slips that depend on the line
    above are looked for only within two lines of the reported one, where a parser
    that stops late would have stopped. Lines inside a ``|`` or ``>`` answer and
    comments are skipped.
    """
    lines = text.split("\n", error_line + 1)[: error_line + 1]
    block_indent = -1  # inside a multi-line answer: its key's indentation
    for i, line in enumerate(lines):
        line = line.rstrip("\r")
        lines[i] = line
        indent = len(re.match(_INDENT, line).group())  # type: ignore[union-attr]
        if block_indent >= 0:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = -1
        if line.lstrip().startswith("#"):
            continue
        slip = _pasted(line, i + 1) or _reserved(line, i + 1)
        if slip is None and i >= error_line - 2:
            slip = _contextual(lines, i)
        if slip is not None:
            return slip
        if re.match(_BLOCK_START, line):
            block_indent = indent
    return None


__all__ = ["Slip", "commented_answer", "diagnose", "explain_line", "file_kind", "odd_key",
           "sniff"]
