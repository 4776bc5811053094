"""Strict, position-keeping YAML loading for untrusted worksheets.

Why not ``yaml.safe_load``? It builds Python objects we do not want (dates,
sexagesimal numbers, ``no`` -> False), silently keeps the last of two duplicate keys,
follows aliases (the "billion laughs" attack) and forgets where each value was.

Instead we drive libyaml's C parser (a subclass of ``yaml._yaml.CParser``; the
global loaders are never touched) event by event and build plain data ourselves:

* only ``dict``, ``list``, ``str``, ``int``, ``float``, ``bool`` and ``None`` come out;
* scalars follow YAML 1.2's core schema, narrowed: ``true``/``false`` are booleans,
  ``yes``/``no``/``on``/``off`` are words, ``0123``, ``1:20`` and ``2026-01-15`` are
  text; ``1.10`` is a number whose source text is kept, so a field the schema
  wants as text gets ``"1.10"`` back (see ``Document.raw_scalars``);
* duplicate keys, anchors and aliases, merge keys (``<<``), tags, non-text keys,
  several documents, and a top level that is not a mapping are all rejected;
* size, nesting depth and node count are capped before they can hurt, and every
  problem names its line and column.
* a file that is not text (a Word document, a PDF, a picture) and the slips
  first-time YAML writers make are named for what they are by workbook/slips.py,
  at no cost to a well-formed worksheet.

Building from events also turns out cheaper than ``yaml.load(..., CSafeLoader)``,
whose pure-Python resolver and constructor dominate its cost.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml._yaml import CParser
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from workbook.problems import Path, Problem, WorkbookError
from workbook.slips import commented_answer, diagnose, explain_line, odd_key, sniff

if not getattr(yaml, "__with_libyaml__", False):  # pragma: no cover - install issue
    raise ImportError(
        "PyYAML was installed without libyaml; reinstall it with the C extension "
        "(on Debian: apt-get install libyaml-dev, then pip install --force-reinstall PyYAML)"
    )


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile file from costing more than a large honest one.

    A generous real worksheet is a few kilobytes and a few hundred nodes; the
    defaults leave room for a 1 MB worksheet while stopping a crafted one early.
    """

    max_bytes: int = 2 * 1024 * 1024
    max_depth: int = 40
    max_nodes: int = 250_000


DEFAULT_LIMITS = Limits()

Position = tuple[int, int]  # 0-based line and column, as libyaml reports them


@dataclass(frozen=True)
class Document:
    """A loaded worksheet: plain data, and on demand where every value came from.

    ``positions`` maps a path (``("contacts", 2, "tier")``) to the 0-based line and
    column of that entry's key (for mapping entries) or of the item (for list
    items). ``raw_scalars`` keeps the source text of every plain scalar that was
    read as something other than text, so a checker can give text back where the
    schema wants text.

    Both are needed only when something is wrong, so the first pass over a file
    does not record them (about a third of the loader's time); the first call to
    either parses the text again with recording on.
    """

    source: str
    data: dict[str, Any]
    text: str = field(repr=False)
    limits: Limits = field(default=DEFAULT_LIMITS, repr=False)
    _index: list[tuple[dict[Path, Position], dict[Path, str]]] = field(
        default_factory=list, repr=False, compare=False)

    def _indexed(self) -> tuple[dict[Path, Position], dict[Path, str]]:
        if not self._index:
            _, positions, raw = _build(self.text, self.source, self.limits, track=True)
            self._index.append((positions, raw))
        return self._index[0]

    @property
    def positions(self) -> dict[Path, Position]:
        return self._indexed()[0]

    @property
    def raw_scalars(self) -> dict[Path, str]:
        return self._indexed()[1]

    def locate(self, path: Path) -> tuple[int, int]:
        """1-based line and column for ``path``, or of its nearest recorded parent."""
        positions = self.positions
        for end in range(len(path), -1, -1):
            found = positions.get(path[:end])
            if found is not None:
                return found[0] + 1, found[1] + 1
        return 1, 1


class _Retrack(Exception):
    """Raised by a fast pass that needs positions to word its error (a duplicate key)."""


class _EventLoader(CParser):
    """libyaml's C parser, used only as an event source.

    The parser alone, not ``yaml.CSafeLoader``: the constructor and resolver that
    class adds are never used here, and setting them up cost more than parsing a
    small file's first lines. PyYAML's global loaders are never touched.
    """


# Plain-scalar resolution: a deliberately small subset of YAML 1.2's core schema.
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,99})\Z")  # 100 digits: far below int() limits
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})

# C0 controls other than tab, LF and CR; DEL; C1 controls other than NEL; and the
# two non-characters YAML forbids. Surrogates cannot survive strict decoding.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


# The ASCII bytes _FORBIDDEN does not match.
_ALLOWED_ASCII = bytes(c for c in range(128) if not _FORBIDDEN.match(chr(c)))

# Only scalars starting with one of these can be anything but text; checking the
# first character first keeps the common case (a word) to one set lookup.
_MAY_BE_VALUE = frozenset("0123456789+-.~nNtTfF")


def resolve_plain(text: str) -> Any:
    """The value of an unquoted scalar: None, bool, int, float, or the text itself."""
    if not text:
        return None
    first = text[0]
    if first not in _MAY_BE_VALUE:
        return text
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if first.isdigit() or first in "+-.":
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text) and any(c.isdigit() for c in text):
            number = float(text)
            if number not in (float("inf"), float("-inf")):
                return number
    return text


def _problem(source: str, line: int | None, column: int | None, code: str,
             message: str, hint: str = "") -> WorkbookError:
    return WorkbookError(Problem(source, line, column, code, message, hint))


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


def decode(raw: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    Windows Notepad saves UTF-16 with a BOM as "Unicode", so that is accepted.
    Anything else (Latin-1, Windows-1252, UTF-16 without BOM) is refused with
    the byte offset, line and column of the first byte that does not fit.
    """
    bom = 0
    encoding = "utf-8"
    if raw.startswith(codecs.BOM_UTF32_LE) or raw.startswith(codecs.BOM_UTF32_BE):
        raise _problem(source, None, None, "encoding.utf32",
                       "This file is saved as UTF-32, which worksheets do not use.",
                       "Save it again as UTF-8 (most editors offer this under Save As).")
    if raw.startswith(codecs.BOM_UTF8):
        bom = 3
    elif raw.startswith(codecs.BOM_UTF16_LE):
        bom, encoding = 2, "utf-16-le"
    elif raw.startswith(codecs.BOM_UTF16_BE):
        bom, encoding = 2, "utf-16-be"
    body = raw[bom:]
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        offset = bom + exc.start
        before = body[: exc.start]
        if encoding == "utf-8":
            line = before.count(b"\n") + 1
            column = exc.start - (before.rfind(b"\n") + 1) + 1
        else:
            partial = before[: len(before) // 2 * 2].decode(encoding, errors="replace")
            line, column = _line_col(partial, len(partial))
        bad = body[exc.start : exc.start + 1].hex().upper()
        raise _problem(
            source, line, column, "encoding.invalid",
            f"Byte 0x{bad} at byte offset {offset} is not valid {encoding.upper()}.",
            "The file was probably saved in an older encoding such as Latin-1 or "
            "Windows-1252. Save it again as UTF-8 (in Notepad: File > Save As > "
            "Encoding: UTF-8), then check it again.",
        ) from None
    # Plain ASCII (most worksheets) is cleared by deleting the allowed bytes, which is
    # quicker than the regex; anything left is found, and located, by the regex.
    clean = encoding == "utf-8" and body.isascii() and not body.translate(None, _ALLOWED_ASCII)
    bad_char = None if clean else _FORBIDDEN.search(text)
    if bad_char is not None:
        index = bad_char.start()
        line, column = _line_col(text, index)
        offset = bom + len(text[:index].encode(encoding))
        char = bad_char.group()
        hint = "Delete it; it is invisible in most editors, so retype the line if unsure."
        if char == "\x00":
            hint = ("A file full of zero bytes is usually UTF-16 saved without a byte-order "
                    "mark. Save it again as UTF-8.")
        raise _problem(
            source, line, column, "encoding.control-character",
            f"Control character U+{ord(char):04X} at byte offset {offset} is not allowed "
            "in a worksheet.",
            hint,
        )
    return text


# libyaml's messages, each with advice a non-programmer can act on.
_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("\t",
     "This line is indented with a tab. YAML needs spaces: replace the tab with spaces "
     "(most editors can be set to insert spaces when you press Tab)."),
    ("mapping values are not allowed",
     "A colon followed by a space starts a new field. If your answer contains ': ', put "
     "the whole answer in double quotes; otherwise check this line's indentation."),
    ("could not find expected ':'",
     "Each field needs a colon after its name (`name: value`). Check this line, or put a "
     "long answer in double quotes."),
    ("did not find expected key",
     "Check the indentation: fields of the same section must start in the same column, "
     "and an answer containing a quote mark may need the whole answer quoted."),
    ("did not find expected '-' indicator",
     "Check the indentation of this list: every item starts with '- ' in the same column."),
    ("found unexpected end of stream",
     "A quote mark was opened but never closed. Add the closing quote."),
    ("found unknown escape character",
     "Inside double quotes a backslash starts an escape. Use single quotes, or write \\\\."),
    ("cannot start any token",
     "An answer cannot start with this character. Put the whole answer in double quotes."),
    ("expected <block end>",
     "Check the indentation: this line starts further left or right than its section."),
    ("found undefined alias",
     "'*' at the start of an answer has a special meaning. Put the answer in quotes."),
)


def _syntax_error(source: str, text: str, exc: yaml.MarkedYAMLError) -> WorkbookError:
    mark = exc.problem_mark or exc.context_mark
    what = str(exc.problem or exc.context or "the file is not valid YAML")
    summary = f"{exc.context or ''} {what}"
    if mark is not None:
        # libyaml does not say "tab"; look at the indentation of the offending line.
        lines = text.split("\n", mark.line + 1)[: mark.line + 1]
        if lines and "\t" in lines[-1][: len(lines[-1]) - len(lines[-1].lstrip())]:
            summary = "\t"
    if mark is not None and summary != "\t":
        # Parsers stop at or after the cause; look back for a slip we can name.
        slip = diagnose(text, mark.line)
        if slip is not None:
            return _problem(source, slip.line, slip.column, slip.code, slip.message, slip.hint)
    hint = next((h for needle, h in _SYNTAX_HINTS if needle in summary),
                "Compare this line with the blank worksheet: check indentation, colons "
                "and quotes.")
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    if "nesting depth" in what:  # libyaml's own guard, hit before ours on flow brackets
        return _problem(source, line, column, "limits.depth",
                        "The file nests far too many levels deep.",
                        "Worksheets use a few levels of indentation; check the file.")
    return _problem(source, line, column, "yaml.syntax", f"Not valid YAML: {what}.", hint)


# A line whose first non-space character came from a word processor (a non-breaking
# space, a dash): only files with one are walked for field names that start with it.
_PASTED_KEY = re.compile(
    "^ *(?:- +)?[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff"
    "\u2010-\u2015\u2212\u2022\u25cf\u25aa\u00b7\u2043"
    "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb]", re.MULTILINE)
# `name: #1 fan`: only files with a # right after a field's colon and a space (and text
# straight after the #) are walked for answers that came out empty because of it.
_HASH_AFTER_COLON = re.compile(r":[ \t]+#[^\s#]")


def _keys(value: Any, path: Path, *, empty_only: bool = False) -> Iterator[Path]:
    """Every field's path, in the order the file gives them (or only those left empty)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not empty_only or item is None:
                yield (*path, key)
            yield from _keys(item, (*path, key), empty_only=empty_only)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _keys(item, (*path, index), empty_only=empty_only)


def _refuse_pasted_keys(document: Document) -> None:
    """Refuse a field name that begins with a pasted space or dash, named for what it is.

    YAML reads ``\u00a0tier: AA`` as a field called "\u00a0tier"; the schema would then
    report an unknown field whose name looks exactly like a known one.
    """
    for path in _keys(document.data, ()):
        key = path[-1]
        if isinstance(key, str) and odd_key(key):
            line, _ = document.locate(path)
            slip = explain_line(document.text.split("\n", line)[line - 1], line)
            if slip is not None:
                raise _problem(document.source, slip.line, slip.column, slip.code,
                               slip.message, slip.hint)


def _refuse_commented_answers(document: Document) -> None:
    """Refuse ``name: #1 fan``, which YAML reads as an empty answer and a comment.

    Otherwise the checker would say the answer is empty although the learner can see
    it on the line.
    """
    for path in _keys(document.data, (), empty_only=True):
        line, _ = document.locate(path)
        slip = commented_answer(document.text.split("\n", line)[line - 1], line)
        if slip is not None:
            raise _problem(document.source, slip.line, slip.column, slip.code,
                           slip.message, slip.hint)


def load_text(text: str, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Build a :class:`Document` from text, or raise :class:`WorkbookError`."""
    try:
        try:
            root = _build_plain(text, source, limits)
        except (_Retrack, yaml.YAMLError):
            try:
                root, _, _ = _build(text, source, limits, track=False)
            except _Retrack:
                _build(text, source, limits, track=True)  # raises the error, with both lines
                raise AssertionError("a second pass must fail as the first did") from None
        document = Document(source, root, text, limits)
        if not text.isascii() and _PASTED_KEY.search(text):
            _refuse_pasted_keys(document)
        if _HASH_AFTER_COLON.search(text):
            _refuse_commented_answers(document)
        return document
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(source, text, exc) from None
    except yaml.YAMLError as exc:  # reader errors without a mark
        raise _problem(source, None, None, "yaml.syntax", f"Not valid YAML: {exc}.") from None


def load_bytes(raw: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Recognise a file that is not text, check the size, decode, then build.

    The file type comes first: a 3 MB Word document is better called a Word
    document than too big, and its bytes are never "an older encoding".
    """
    slip = sniff(raw)
    if slip is not None:
        raise _problem(source, None, None, slip.code, slip.message, slip.hint)
    if len(raw) > limits.max_bytes:
        raise _problem(
            source, None, None, "limits.size",
            f"The file is {len(raw):,} bytes; a worksheet may be at most "
            f"{limits.max_bytes:,} bytes.",
            "Check that this is the right file: worksheets are a few kilobytes.",
        )
    return load_text(decode(raw, source), source, limits)


def unreadable(source: str, error: OSError) -> WorkbookError:
    """The one wording of a file that could not be opened or read (check and score)."""
    return _problem(source, None, None, "file.unreadable",
                    f"Cannot read the file: {error.strerror or error}.",
                    "Check the path and that you may read the file.")


_NOT_REGULAR = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a device",
                stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def not_regular(mode: int) -> str:
    """What a file that is not a regular one is, in words ("a named pipe"), for a
    file's ``st_mode``; "" for a regular file."""
    if stat.S_ISREG(mode):
        return ""
    return _NOT_REGULAR.get(stat.S_IFMT(mode), "not a regular file")


def read_file(path: str, limits: Limits = DEFAULT_LIMITS, *, follow_links: bool = True) -> bytes:
    """Read at most one byte past the size limit, so a huge file costs nothing extra.

    Only a regular file is read: the file is opened without blocking (a named pipe
    would otherwise wait for ever) and its type checked on the open descriptor, so a
    file swapped for a pipe or a device after it was listed is caught as well. With
    ``follow_links=False`` a symbolic link is refused too (files found in a folder:
    a link there could point at any file the instructor may read).

    The request is sized from the file's own length (plus one byte, to notice a file
    that grew), not from the limit: asking for 2 MiB allocates 2 MiB for every small
    worksheet, which a batch of thousands pays for.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if not follow_links and error.errno == errno.ELOOP:
            raise OSError(error.errno, "it is a symbolic link, which is not followed",
                          path) from None
        raise
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        what = not_regular(info.st_mode)
        if what:
            raise OSError(errno.EINVAL, f"it is {what}, not a file to read", path)
        return handle.read(min(info.st_size, limits.max_bytes) + 1)


def _too_many(event: Any, source: str, limits: Limits) -> WorkbookError:
    mark = event.start_mark
    return _problem(source, mark.line + 1, mark.column + 1, "limits.nodes",
                    f"The file has more than {limits.max_nodes:,} values.",
                    "Worksheets are far smaller; check that this is the right file.")


def _build_plain(text: str, source: str, limits: Limits) -> dict[str, Any]:
    """The common case, quickly: a worksheet that breaks no rule, as plain data.

    At anything out of the ordinary (an alias, anchor or tag, a key that is not
    new text, a limit reached, a top level that is not one mapping) it gives up
    with :class:`_Retrack`, and :func:`_build`, which knows every rule and how to
    word each refusal, reads the text again. So this loop only has to build the
    same data as ``_build`` when nothing is wrong, with fewer checks per event:
    most worksheets are well formed, and this loop is a third of the loading time.
    One refusal it words itself: too many values, where ``_build`` would stop at
    the same event (it is checked first), so that a huge file is not read twice.
    """
    get_event: Callable[[], Any] = _EventLoader(text).get_event
    get_event()  # the stream's start
    if type(get_event()) is not DocumentStartEvent:
        raise _Retrack
    event = get_event()
    if type(event) is not MappingStartEvent or event.anchor is not None or event.tag is not None:
        raise _Retrack
    root: dict[str, Any] = {}
    container: Any = root  # the mapping or list being filled
    in_mapping = True
    key: str | None = None  # in a mapping: the key waiting for its value
    outer: list[tuple[Any, bool]] = []  # the containers around this one
    budget = limits.max_nodes - 1  # values still allowed; the root counts as one
    deepest = limits.max_depth - 1  # containers allowed around the innermost
    while True:
        event = get_event()
        kind = type(event)
        if kind is ScalarEvent:
            budget -= 1
            if budget < 0:
                raise _too_many(event, source, limits)
            if event.anchor is not None or event.tag is not None:
                raise _Retrack
            value = event.value
            if event.implicit[0]:
                value = resolve_plain(value)
            if not in_mapping:
                container.append(value)
            elif key is not None:
                container[key] = value
                key = None
            elif type(value) is str and value not in container and value != "<<":
                key = value
            else:
                raise _Retrack
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            budget -= 1
            if budget < 0:
                raise _too_many(event, source, limits)
            if event.anchor is not None or event.tag is not None or len(outer) >= deepest:
                raise _Retrack
            new: Any = {} if kind is MappingStartEvent else []
            if not in_mapping:
                container.append(new)
            elif key is not None:
                container[key] = new
                key = None
            else:
                raise _Retrack  # a list or mapping as a key
            outer.append((container, in_mapping))
            container, in_mapping = new, kind is MappingStartEvent
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            if not outer:
                break
            container, in_mapping = outer.pop()
        else:
            raise _Retrack  # an alias
    if type(get_event()) is not DocumentEndEvent or type(get_event()) is not StreamEndEvent:
        raise _Retrack
    return root


def _build(text: str, source: str, limits: Limits, track: bool,
           ) -> tuple[dict[str, Any], dict[Path, Position], dict[Path, str]]:
    """Plain data from text; with ``track``, also the positions and raw scalars."""
    parser = _EventLoader(text)
    # Typed as Any: the stubs describe events as a base class without their fields.
    get_event: Callable[[], Any] = parser.get_event
    positions: dict[Path, Position] = {}
    raw_scalars: dict[Path, str] = {}
    key_lines: list[dict[str, int]] = []
    # Each frame: [container, is_mapping, pending_key or None, path of container]
    stack: list[list[Any]] = []
    nodes = 0
    root: Any = None
    done = False

    def fail(event: Any, code: str, message: str, hint: str = "") -> WorkbookError:
        mark = event.start_mark
        return _problem(source, mark.line + 1, mark.column + 1, code, message, hint)

    event = get_event()
    assert isinstance(event, StreamStartEvent)
    event = get_event()
    if isinstance(event, StreamEndEvent):
        raise _problem(source, None, None, "worksheet.empty",
                       "The worksheet is empty.",
                       "Start from the blank worksheet (`workbook new EXERCISE`) and fill it in.")
    assert isinstance(event, DocumentStartEvent)

    while not done:
        event = get_event()
        kind = type(event)
        if kind is not MappingEndEvent and kind is not SequenceEndEvent:
            nodes += 1
            if nodes > limits.max_nodes:
                raise _too_many(event, source, limits)
            if kind is AliasEvent:
                raise fail(event, "yaml.alias",
                           f"'*{event.anchor}': a '*' at the start of an answer means \"repeat "
                           "another value\" in YAML, which worksheets do not use.",
                           "Put the whole answer in double quotes, for example "
                           f"\"*{event.anchor}\".")
            if event.anchor is not None:
                raise fail(event, "yaml.anchor",
                           f"'&{event.anchor}': a '&' at the start of an answer gives a value "
                           "a name in YAML, which worksheets do not use.",
                           "Put the whole answer in double quotes, for example "
                           f"\"&{event.anchor} ...\".")
            if event.tag is not None and not (kind is ScalarEvent and event.tag == "!"):
                raise fail(event, "yaml.tag",
                           "A '!' at the start of an answer marks its type in YAML (a "
                           "tag), which worksheets do not use.",
                           "Put the whole answer in double quotes, or remove the '!'.")
        if kind is ScalarEvent:
            value: Any = event.value
            is_plain_text = True
            if event.implicit[0]:
                value = resolve_plain(value)
                is_plain_text = isinstance(value, str)
            container = False
        elif kind is MappingStartEvent:
            value = {}
            container = True
            is_plain_text = True
        elif kind is SequenceStartEvent:
            value = []
            container = True
            is_plain_text = True
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            finished = stack.pop()
            if finished[1] and track:
                key_lines.pop()
            if not stack:
                root = finished[0]
                done = True
            continue
        else:  # pragma: no cover - libyaml never emits other events here
            raise fail(event, "yaml.syntax", "Unexpected YAML structure.")

        if stack:
            frame = stack[-1]
            parent = frame[0]
            if frame[1]:
                if frame[2] is None:  # this node is a key
                    if container:
                        raise fail(event, "yaml.complex-key",
                                   "A field name must be a word, not a list or a set of fields.",
                                   "Check the indentation of this line and the one above.")
                    if not isinstance(value, str):
                        raise fail(event, "yaml.key-not-text",
                                   f"The field name '{event.value}' is not a word.",
                                   "Field names are words such as `name:`; if this was meant "
                                   "as an answer, it belongs after a colon.")
                    if value == "<<" and event.implicit[0]:
                        raise fail(event, "yaml.merge-key",
                                   "Merge keys ('<<') are not allowed in a worksheet.",
                                   "Write the fields out in full.")
                    if not track:
                        if value in parent:
                            raise _Retrack
                        frame[2] = value
                        continue
                    lines = key_lines[-1]
                    if value in parent:
                        mark = event.start_mark
                        raise _problem(
                            source, mark.line + 1, mark.column + 1, "yaml.duplicate-key",
                            f"The field '{value}' appears twice: on line {lines[value] + 1} "
                            f"and again on line {mark.line + 1}.",
                            "Keep one of them (merge the answers if both matter).",
                        )
                    lines[value] = event.start_mark.line
                    frame[2] = (value, event.start_mark)
                    continue
                if not track:
                    parent[frame[2]] = value
                    frame[2] = None
                else:
                    key, key_mark = frame[2]
                    frame[2] = None
                    parent[key] = value
                    path = (*frame[3], key)
                    positions[path] = (key_mark.line, key_mark.column)
            elif not track:
                parent.append(value)
            else:
                path = (*frame[3], len(parent))
                parent.append(value)
                positions[path] = (event.start_mark.line, event.start_mark.column)
            if track and not container and not is_plain_text:
                raw_scalars[path] = event.value
        else:
            path = ()
            positions[path] = (event.start_mark.line, event.start_mark.column)
            if not container:
                root = value
                done = True
                continue

        if container:
            if len(stack) >= limits.max_depth:
                raise fail(event, "limits.depth",
                           f"The file nests more than {limits.max_depth} levels deep.",
                           "Worksheets use a few levels of indentation; check the file.")
            is_mapping = kind is MappingStartEvent
            stack.append([value, is_mapping, None, path if track else None])
            if is_mapping and track:
                key_lines.append({})

    end = get_event()
    assert isinstance(end, DocumentEndEvent)
    following = get_event()
    if not isinstance(following, StreamEndEvent):
        raise fail(following, "yaml.multiple-documents",
                   "The file holds more than one document (a line with '---' starts another).",
                   "Keep one worksheet per file and remove the extra '---' line.")

    if root is None:
        raise _problem(source, None, None, "worksheet.empty", "The worksheet is empty.",
                       "Start from the blank worksheet (`workbook new EXERCISE`) and fill it in.")
    if not isinstance(root, dict):
        described = "a list" if isinstance(root, list) else "a single value"
        raise _problem(source, 1, 1, "worksheet.not-mapping",
                       f"The worksheet's top level is {described}, not a set of fields.",
                       "A worksheet starts with fields such as `exercise:` and `learner:` "
                       "at the left margin. Start from the blank worksheet.")
    return root, positions, raw_scalars


__all__ = [
    "DEFAULT_LIMITS",
    "Document",
    "Limits",
    "decode",
    "load_bytes",
    "load_text",
    "read_file",
    "resolve_plain",
]
