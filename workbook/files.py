"""Writing output files safely: all or nothing, and never over a learner's work.

``write_atomic`` writes to a temporary file beside the target and renames it into
place, so a reader (or a crash) never sees half a file. ``write_new`` does the
same but refuses to replace an existing file: it links the finished temporary
file to the target name, which fails if the name is taken.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

STREAM_BUFFER = 1024 * 1024


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp makes its file readable by its owner alone (0600), which is right for a
# secret and wrong for a report: an output renamed into place keeps the mode a file
# created the ordinary way would have (0644 under the usual umask), so a colleague
# or a web server can read it. Read once: changing the umask is not thread-safe.
_FILE_MODE = 0o666 & ~_umask()


def _mkstemp_beside(target: Path) -> tuple[int, str]:
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    with contextlib.suppress(OSError):  # a file system without modes keeps its own
        os.chmod(name, _FILE_MODE)
    return handle, name


def _temp_beside(target: Path, data: bytes, durable: bool = True) -> Path:
    handle, name = _mkstemp_beside(target)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def write_atomic(target: Path, data: bytes, durable: bool = True) -> None:
    """Replace ``target`` with ``data`` in one step.

    ``durable`` also forces the bytes to disk before the rename, so a power cut
    leaves the old file or the new one, never an empty one. Thousands of small
    regenerable files (per-learner feedback) skip that: the rename alone still
    means no reader ever sees half a file.
    """
    temp = _temp_beside(target, data, durable)
    try:
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_new(target: Path, data: bytes) -> None:
    """Create ``target`` with ``data``; raise FileExistsError if it already exists."""
    temp = _temp_beside(target, data)
    try:
        try:
            os.link(temp, target)
        except (AttributeError, NotImplementedError, PermissionError):  # no hard links here
            with open(target, "xb") as stream:
                stream.write(data)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


@contextlib.contextmanager
def atomic_stream(target: Path, durable: bool = True) -> Iterator[BinaryIO]:
    """Write ``target`` piece by piece, then put it in place in one step.

    For large reports written incrementally (a gradebook of 100,000 rows): the
    pieces go to a temporary file beside the target, renamed over it only when the
    ``with`` block finishes without error; on error the old file stays as it was.
    """
    handle, name = _mkstemp_beside(target)
    try:
        # A large buffer: the pieces are small (a row each), the file can be 300 MB.
        with os.fdopen(handle, "wb", buffering=STREAM_BUFFER) as stream:
            yield stream
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def write_many(folder: Path, files: Iterable[tuple[str, bytes]]) -> list[str]:
    """Write many small regenerable files into ``folder``, each atomically.

    Each goes to a temporary name (carrying this process's id, so two runs never
    share one) and is renamed into place: a reader never sees half a file. Unlike
    :func:`write_atomic` there is no random-name search and no fsync per file, which
    matters for the thousands of feedback pages of a large class. Returns the names.
    """
    base = os.fspath(folder)
    pid = os.getpid()
    written = []
    for name, data in files:
        final = os.path.join(base, name)
        temp = os.path.join(base, f".{name}.{pid}.tmp")
        try:
            descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)  # umask
            try:
                os.write(descriptor, data)
            finally:
                os.close(descriptor)
            os.replace(temp, final)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        written.append(name)
    return written


ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold, for every member


def reproducible_zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of ``members`` (name, bytes), in the order given, with fixed dates and
    modes: the same members give the same bytes on every run and every machine."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
