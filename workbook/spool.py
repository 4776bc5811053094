"""Rendered rows, kept on disk from the moment they are made until the reports need them.

Reports list submissions by learner, an order known only once the whole batch is
graded. Holding every rendered row until then would cost about 8 KB a submission
(close to a gigabyte for a class of 100,000); rendering them all at the end would
put that work in the one process that assembles the reports, where a second core
cannot help. So whoever grades a submission renders its rows at once and appends
them to a spool: one file per process, in a private folder. It keeps only a
:class:`Location` (which file, where, how long each part is), and the reports are
assembled by reading the parts back in report order.

The folder is made for one run and removed when the run ends (see ``folder``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator

from workbook.records import Location

# The parts rendered for every submission, in the order they are written.
RESULTS, GRADES, MARKDOWN, HTML = range(4)


@contextlib.contextmanager
def folder(beside: str | None) -> Iterator[str]:
    """A fresh hidden folder for one run's spools, inside ``beside`` (or the temp folder).

    Beside the outputs, because that folder is known to be writable and is usually on
    the disk the outputs go to; removed however the run ends.
    """
    made = tempfile.mkdtemp(prefix=".workbook-spool-", dir=beside)
    try:
        yield made
    finally:
        shutil.rmtree(made, ignore_errors=True)


def _path(directory: str, spool: int) -> str:
    return os.path.join(directory, f"{spool}.spool")


class Writer:
    """Appends parts to this process's spool; ``flush`` before handing out their locations.

    Parts are gathered in memory and written with one system call per batch. The
    file is named after the process id, so each pool worker has its own and none
    needs a lock.
    """

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.spool = os.getpid()
        self._descriptor: int | None = None
        self._size = 0
        self._pending: list[bytes] = []

    def add(self, parts: tuple[bytes, bytes, bytes, bytes]) -> Location:
        sizes = (len(parts[0]), len(parts[1]), len(parts[2]), len(parts[3]))
        location = Location(self.spool, self._size, sizes)
        self._pending.extend(parts)
        self._size += sum(sizes)
        return location

    def flush(self) -> None:
        if not self._pending:
            return
        if self._descriptor is None:
            self._descriptor = os.open(_path(self.directory, self.spool),
                                       os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        view = memoryview(b"".join(self._pending))
        self._pending.clear()
        while view:
            view = view[os.write(self._descriptor, view) :]

    def close(self) -> None:
        try:
            self.flush()
        finally:
            if self._descriptor is not None:
                os.close(self._descriptor)
                self._descriptor = None


class Reader:
    """Reads parts back from any process's spool in ``directory``.

    One ``pread`` per part. A memory map would save the system calls, but every
    page read through it counts as the reader's resident memory: the whole spool
    (about 8 KB a submission) by the time the reports are written.
    """

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self._descriptors: dict[int, int] = {}

    def read(self, location: Location, first: int, last: int | None = None) -> bytes:
        """Parts ``first`` to ``last`` (default: just ``first``) of one submission, joined."""
        descriptor = self._descriptors.get(location.spool)
        if descriptor is None:
            descriptor = os.open(_path(self.directory, location.spool), os.O_RDONLY)
            self._descriptors[location.spool] = descriptor
        offset, length = location.span(first, first if last is None else last)
        data = os.pread(descriptor, length, offset)
        while len(data) < length:  # a short read is allowed, though rare for a file
            more = os.pread(descriptor, length - len(data), offset + len(data))
            if not more:
                raise OSError(f"spool {location.spool} ends early")
            data += more
        return data

    def close(self) -> None:
        for descriptor in self._descriptors.values():
            os.close(descriptor)
        self._descriptors.clear()
