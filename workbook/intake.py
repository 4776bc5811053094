"""Finding submissions: files, folders (recursively) and zip archives, streamed in order.

Archives are read in place, never extracted, and never trusted:

* member names that are absolute, contain ``..``, a backslash or a drive letter are
  refused (they could never be written safely, and no LMS produces them);
* ``__MACOSX/`` and hidden files are skipped; nested archives are not opened;
* encrypted members are refused;
* the member count (read from the archive's end record before anything else),
  each member's size, its compression ratio and the archive's total uncompressed
  size are capped, and a member is read only up to the size cap, so a header that
  lies about sizes costs nothing.

Each refusal becomes a :class:`Submission` carrying a problem (or a
:class:`Skipped` note), and the rest of the batch goes on. Everything is yielded
lazily in a stable order (sorted folders, archive order), so a batch of any size
streams through in constant memory and gives the same results on every run.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workbook.display import shown
from workbook.identity import from_path
from workbook.loader import DEFAULT_LIMITS, Limits, not_regular, read_file, unreadable
from workbook.problems import Problem
from workbook.slips import sniff

WORKSHEET_SUFFIXES = (".yaml", ".yml")
ARCHIVE_SUFFIXES = (".zip",)


@dataclass(frozen=True)
class ArchiveLimits:
    """Caps for one archive. Defaults fit a 100,000-learner export with room to spare."""

    max_members: int = 250_000
    max_total_bytes: int = 4 * 1024**3
    max_ratio: int = 200  # uncompressed : compressed, for members over 64 KiB


DEFAULT_ARCHIVE_LIMITS = ArchiveLimits()


@dataclass(frozen=True, slots=True)
class Submission:
    """One file handed in: its bytes, or the problem that kept them from being read."""

    source: str  # how reports name it: a path, or "archive.zip!member"
    path: str  # the path used to read identity: relative path or member name
    raw: bytes | None
    problem: Problem | None = None
    disk: str | None = None  # a file still to be read (by whoever grades it)
    when: str = ""  # the date the export gives the file (a zip member's), ISO; "" if none

    def __reduce__(self) -> tuple[type[Submission], tuple[str, str, bytes | None,
                                                          Problem | None, str | None, str]]:
        # One is sent to a worker for every file: as a plain tuple it pickles in half
        # the time the dataclass's own state handling takes.
        return (Submission, (self.source, self.path, self.raw, self.problem, self.disk,
                             self.when))


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that is deliberately not treated as a submission, and why."""

    source: str
    reason: str


Item = Submission | Skipped


def _refused(source: str, path: str, code: str, message: str, hint: str) -> Submission:
    return Submission(source, path, None, Problem(source, None, None, code, message, hint))


def _is_hidden(parts: Iterable[str]) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_member_name(name: str) -> str | None:
    """Why a member name is unsafe, or None when it is fine."""
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/"):
        return "is an absolute path"
    if _DRIVE.match(name):
        return "starts with a drive letter"
    if ".." in name.split("/"):
        return "climbs out of the archive with '..'"
    if "\x00" in name:
        return "contains a NUL character"
    return None


def declared_member_count(path: str) -> int | None:
    """The entry count from the archive's end record, read without parsing the directory.

    ``zipfile`` loads the whole central directory into memory before anything else,
    so a crafted archive claiming millions of members is refused here first.
    """
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        tail_size = min(size, 22 + 65_535)
        handle.seek(size - tail_size)
        tail = handle.read(tail_size)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + 22 > len(tail):
            return None
        entries = struct.unpack("<H", tail[at + 10 : at + 12])[0]
        if entries != 0xFFFF:
            return int(entries)
        locator = tail.rfind(b"PK\x06\x07", 0, at)  # zip64: the real count is elsewhere
        if locator < 0:
            return None
        record_offset = struct.unpack("<Q", tail[locator + 8 : locator + 16])[0]
        if record_offset > size - 56:
            return None
        handle.seek(record_offset)
        record = handle.read(56)
        if record[:4] != b"PK\x06\x06":
            return None
        return int(struct.unpack("<Q", record[32:40])[0])


_UTF8_FLAG = 0x800
_BAD_NAMES_MAX = 512 * 1024**2  # an archive copied into memory to mend its names


def _names_as_written(archive: str, caps: ArchiveLimits) -> zipfile.ZipFile:
    """The archive, opened although a member's name is flagged UTF-8 and is not.

    zipfile decodes every name as it opens an archive and gives up on the first that
    fails, which would cost every learner in the archive for one bad name. So the
    archive is read into memory, the UTF-8 flag is cleared in each central and local
    header (zipfile then reads the names as CP437, which never fails), and each name
    that had the flag is decoded again as UTF-8 with replacement characters, as names
    in folders are (workbook.display). Only a plain (not ZIP64) archive of reasonable
    size is mended; any other still raises.
    """
    if os.path.getsize(archive) > min(_BAD_NAMES_MAX, caps.max_total_bytes):
        raise zipfile.BadZipFile("a member's name is not valid UTF-8, and the archive is too "
                                 "large to mend in memory")
    with open(archive, "rb") as handle:
        data = bytearray(handle.read())
    end = data.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(data):
        raise zipfile.BadZipFile("no end of central directory")
    count, _, offset = struct.unpack("<HII", data[end + 10 : end + 20])
    flagged: set[bytes] = set()
    at = offset
    for _ in range(count):
        if data[at : at + 4] != b"PK\x01\x02":
            raise zipfile.BadZipFile("a damaged central directory")
        flags, = struct.unpack("<H", data[at + 8 : at + 10])
        name_length, extra_length, comment_length = struct.unpack("<HHH", data[at + 28 : at + 34])
        local, = struct.unpack("<I", data[at + 42 : at + 46])
        if flags & _UTF8_FLAG:
            flagged.add(bytes(data[at + 46 : at + 46 + name_length]))
            struct.pack_into("<H", data, at + 8, flags & ~_UTF8_FLAG)
            if data[local : local + 4] == b"PK\x03\x04":
                local_flags, = struct.unpack("<H", data[local + 6 : local + 8])
                struct.pack_into("<H", data, local + 6, local_flags & ~_UTF8_FLAG)
        at += 46 + name_length + extra_length + comment_length
    zipped = zipfile.ZipFile(io.BytesIO(bytes(data)))
    for info in zipped.infolist():
        raw = info.filename.encode("cp437")
        if raw in flagged:
            info.filename = raw.decode("utf-8", "replace")
    return zipped


def _iter_archive(archive: str, limits: Limits, caps: ArchiveLimits,
                  pattern: re.Pattern[str] | None = None) -> Iterator[Item]:
    try:
        declared = declared_member_count(archive)
    except OSError as exc:
        yield _refused(archive, archive, "archive.unreadable",
                       f"Cannot read the archive: {exc.strerror or exc}.",
                       "Check the path and that you may read the file.")
        return
    if declared is not None and declared > caps.max_members:
        yield _refused(archive, archive, "archive.too-many-members",
                       f"The archive lists {declared:,} members; at most "
                       f"{caps.max_members:,} are read.",
                       "Split the export, or check that this is the right file.")
        return
    try:
        try:
            zipped = zipfile.ZipFile(archive)
        except UnicodeDecodeError:  # a member flagged UTF-8 whose name is not
            zipped = _names_as_written(archive, caps)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        yield _refused(archive, archive, "archive.invalid", f"Not a readable zip archive: {exc}.",
                       "Download the export again; the file may be incomplete.")
        return
    total = 0
    with zipped:
        members = zipped.infolist()
        for index, info in enumerate(members):
            name = shown(info.filename)  # a learner's choice: shown safely everywhere
            source = f"{shown(archive)}!{name}"
            if info.is_dir():
                continue
            reason = unsafe_member_name(name)
            if reason is not None:
                yield _refused(source, name, "archive.unsafe-name",
                               f"The member name {reason}; it was not read.",
                               "Re-create the archive with plain relative names.")
                continue
            parts = name.split("/")
            if _is_hidden(parts):
                yield Skipped(source, "hidden or system file")
                continue
            lower = name.lower()
            if lower.endswith(ARCHIVE_SUFFIXES):
                yield Skipped(source, "nested archive, not opened")
                continue
            other = not lower.endswith(WORKSHEET_SUFFIXES)
            if other and not handed_in(name, pattern):
                suffix = Path(name).suffix or "no extension"
                yield Skipped(source, f"not a worksheet ({suffix})")
                continue
            if info.flag_bits & 0x1:
                yield _refused(source, name, "archive.encrypted",
                               "This member is encrypted; it was not read.",
                               "Ask for the file without a password.")
                continue
            if other and info.file_size > limits.max_bytes:
                # A learner's PDF or Word file: its first bytes say what it is, and
                # the loader names it ("This is a PDF, not a text file.").
                head = _member_head(zipped, info)
                if head is not None and sniff(head) is not None:
                    yield Submission(source, name, head, when=_member_date(info))
                    continue
            if info.file_size > limits.max_bytes:
                yield _refused(source, name, "limits.size",
                               f"The member is {info.file_size:,} bytes; a worksheet may be at "
                               f"most {limits.max_bytes:,} bytes.",
                               "Check that this is the right file.")
                continue
            if (info.file_size > 64 * 1024 and info.compress_size > 0
                    and info.file_size / info.compress_size > caps.max_ratio):
                yield _refused(source, name, "archive.ratio",
                               f"The member compresses {info.file_size // info.compress_size}:1, "
                               "far beyond any real worksheet; it was not read.",
                               "Check the file; this pattern is typical of a zip bomb.")
                continue
            if total >= caps.max_total_bytes:
                for rest in members[index:]:
                    if not rest.is_dir():
                        yield Skipped(f"{shown(archive)}!{shown(rest.filename)}",
                                      "archive's total size limit reached")
                return
            try:
                with zipped.open(info) as stream:
                    raw = stream.read(min(info.file_size, limits.max_bytes) + 1)
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError,
                    EOFError, OSError, ValueError) as exc:
                yield _refused(source, name, "archive.corrupt",
                               f"This member could not be read: {exc}.",
                               "Download the export again; the archive may be damaged.")
                continue
            total += len(raw)
            if len(raw) > limits.max_bytes:
                yield _refused(source, name, "limits.size",
                               "The member is larger than its header says, and larger than "
                               f"{limits.max_bytes:,} bytes; it was not read.",
                               "Check the file; its sizes do not add up.")
                continue
            yield Submission(source, name, raw, when=_member_date(info))


def handed_in(path: str, pattern: re.Pattern[str] | None = None) -> bool:
    """Whether a file's name says a learner handed it in (a Canvas or Moodle export's
    naming, or ``--id-pattern``): then it is a submission whatever its type, so that a
    PDF or a Word file gets its row and its learner hears why it scored nothing."""
    return from_path(path, pattern).scheme != ""


def _member_date(info: zipfile.ZipInfo) -> str:
    """A member's date as the export wrote it (local time, to the second), ISO."""
    try:
        return datetime(*info.date_time).isoformat()
    except ValueError:  # a date the archive got wrong (month 0, ...): no date
        return ""


_HEAD = 64 * 1024  # enough of a file's start to tell a PDF or a Word file


def _member_head(zipped: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    try:
        with zipped.open(info) as stream:
            return stream.read(_HEAD)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError,
            OSError, ValueError):
        return None


def read(submission: Submission, limits: Limits = DEFAULT_LIMITS) -> Submission:
    """The submission with its bytes, reading its file from disk if that is still to do.

    Files in folders are read here rather than while listing, so that with several
    jobs each worker reads its own files and the parent only hands out names.
    """
    if submission.raw is not None or submission.disk is None:
        return submission
    try:
        raw = read_file(submission.disk, limits, follow_links=False)
    except OSError as exc:
        problem = unreadable(submission.source, exc).problems[0]
        return Submission(submission.source, submission.path, None, problem,
                          when=submission.when)
    return Submission(submission.source, submission.path, raw, when=submission.when)


def _special(entry: os.DirEntry[str]) -> str:
    try:
        return not_regular(entry.stat(follow_symlinks=False).st_mode)
    except OSError:
        return ""


def _iter_folder(folder: str, limits: Limits, caps: ArchiveLimits,
                 pattern: re.Pattern[str] | None = None) -> Iterator[Item]:
    """A folder's files, each folder's own files first and then its subfolders, by name.

    Only regular files are read: a symbolic link (which could point at any file of
    the instructor's, or at /dev/zero), a named pipe (which would wait for ever), a
    device or a socket is listed as skipped, with what it is. read_file checks the
    type again once a file is open, so a swap in between is caught too. Names that
    are not UTF-8 or hold control characters are shown safely (workbook.display).
    """
    def walk(current: str, prefix: str) -> Iterator[Item]:
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            shown_folder = shown(os.path.join(folder, prefix) if prefix else folder)
            yield _refused(shown_folder, prefix, "file.unreadable",
                           f"Cannot read the folder: {exc.strerror or exc}.",
                           "Check that you may read it.")
            return
        folders = []
        for entry in entries:
            name = entry.name
            relative = shown(prefix + name)
            where = os.path.join(shown(folder), relative)
            if _is_hidden([name]):
                if not entry.is_dir(follow_symlinks=False):
                    yield Skipped(where, "hidden or system file")
                continue
            if entry.is_symlink():
                yield Skipped(where, "a symbolic link, not followed")
            elif entry.is_dir(follow_symlinks=False):
                folders.append(entry)
            elif not entry.is_file(follow_symlinks=False):
                yield Skipped(where, f"not a regular file ({_special(entry) or 'special'})")
            elif name.lower().endswith(ARCHIVE_SUFFIXES):
                yield from _iter_archive(entry.path, limits, caps, pattern)
            elif name.lower().endswith(WORKSHEET_SUFFIXES) or handed_in(relative, pattern):
                yield Submission(where, relative, None, disk=entry.path)
            else:
                yield Skipped(where, f"not a worksheet ({Path(relative).suffix or 'no extension'})")
        for entry in folders:
            yield from walk(entry.path, prefix + entry.name + "/")

    yield from walk(folder, "")


def missing_paths(paths: Iterable[str]) -> list[str]:
    return [path for path in paths if not os.path.exists(path)]


def iter_inputs(paths: Iterable[str], limits: Limits = DEFAULT_LIMITS,
                caps: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
                pattern: re.Pattern[str] | None = None) -> Iterator[Item]:
    """Every submission under ``paths``, in a stable order; never raises for content.

    Worksheets (.yaml, .yml) are submissions; so is any other file whose name says a
    learner handed it in (:func:`handed_in`). Other files are skipped, with why.
    """
    for path in paths:
        if os.path.isdir(path):
            yield from _iter_folder(path, limits, caps, pattern)
        elif path.lower().endswith(ARCHIVE_SUFFIXES):
            yield from _iter_archive(path, limits, caps, pattern)
        else:  # named on the command line: a link there is the user's own choice
            yield Submission(path, path, None, disk=os.path.realpath(path))
