"""Scoring many submissions: a pure map, in one process or a pool, order preserved.

:func:`grade_many` turns submissions into :data:`Graded` values: the check result
and a similarity sketch, never the document itself, so memory stays flat however
large the batch. :class:`Workers` runs such maps in a pool whose processes set up once
(forked with the catalog loaded; each compiles a schema's quick check when it first
meets the exercise), with results in input order, so every output is the same for
any ``--jobs``.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Generic, TypeVar

from workbook import similarity
from workbook.catalog import Catalog
from workbook.intake import Item, Submission, read
from workbook.loader import DEFAULT_LIMITS, Document, Limits, load_bytes
from workbook.problems import WorkbookError
from workbook.worksheet import CheckResult, check_document, result_from_error

A = TypeVar("A")
T = TypeVar("T")
R = TypeVar("R")


Graded = tuple[str, CheckResult, bytes]
"""One submission graded: its path (which may name the learner), its result, and the
similarity sketch of its free text (packed; see :mod:`workbook.similarity`)."""

GROUP_BYTES = 256 * 1024  # of worksheets graded together, stage by stage


def grade_many(submissions: Iterable[Submission], catalog: Catalog,
               limits: Limits = DEFAULT_LIMITS) -> Iterator[Graded]:
    """Each submission graded, in order, a few files at a time stage by stage; never
    raises for anything in a file.

    Loading a group of files, then checking them all, then sketching them all, is
    about a tenth quicker than taking each file through every stage in turn: each
    stage's code and data stay in the processor's caches for a whole group. A
    group holds at most ``GROUP_BYTES`` of files (or one larger file), so the
    documents alive at once stay small whatever comes in.
    """
    group: list[Submission] = []
    size = 0
    for submission in submissions:
        submission = read(submission, limits)
        group.append(submission)
        size += len(submission.raw or b"")
        if size >= GROUP_BYTES:
            yield from _grade_group(group, catalog, limits)
            group, size = [], 0
    if group:
        yield from _grade_group(group, catalog, limits)


def load(submission: Submission, limits: Limits = DEFAULT_LIMITS) -> Document | CheckResult:
    """The document, or the result for a file that cannot be one (read by
    :func:`workbook.worksheet.result_from_error`, as ``workbook check`` reads it)."""
    if submission.raw is None:  # refused by intake.read, which always says why
        assert submission.problem is not None
        return result_from_error(submission.source, WorkbookError(submission.problem))
    try:
        return load_bytes(submission.raw, submission.source, limits)
    except WorkbookError as error:
        return result_from_error(submission.source, error)


def _grade_group(group: list[Submission], catalog: Catalog, limits: Limits) -> list[Graded]:
    loaded = [load(submission, limits) for submission in group]
    results = [check_document(doc, catalog) if isinstance(doc, Document) else doc
               for doc in loaded]
    sketches = [similarity.sketch(doc.data) if isinstance(doc, Document) and result.exercise
                else b"" for doc, result in zip(loaded, results, strict=True)]
    return [(submission.path, result, sketched)
            for submission, result, sketched in zip(group, results, sketches, strict=True)]


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _worker_setup(parent: int, setup: Callable[[A], None], argument: A) -> None:
    """A worker's start: signals as a worker needs them, then ``setup(argument)``.

    Ctrl-C reaches every process of the terminal's group; the workers ignore it and
    the parent, which catches it, stops them. SIGTERM is left to end a worker at
    once (the parent's handler would make it raise instead). On Linux the kernel is
    asked to end the worker if the parent dies without stopping it (kill -9, the
    out-of-memory killer), so no worker goes on alone holding memory.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # it died before the kernel was asked
            os._exit(1)
    setup(argument)


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM ignored for the duration (only the main thread may change
    handlers; elsewhere nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = (signal.SIGINT, signal.SIGTERM)
    previous = [signal.signal(number, signal.SIG_IGN) for number in held]
    try:
        yield
    finally:
        for number, handler in zip(held, previous, strict=True):
            signal.signal(number, handler)


def _context() -> multiprocessing.context.BaseContext:
    """Fork on Linux: each worker starts with this process's imports and loaded
    catalog instead of spending 0.2 s making its own (Python 3.14 would pick
    forkserver there). The executor starts all its workers at its first task, before
    it starts any thread, so nothing is forked while a thread holds a lock. Elsewhere
    the platform's default (spawn: macOS's system libraries are not safe to fork,
    and Windows cannot), and the workers set up afresh."""
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)


class Workers(Generic[A]):
    """``jobs`` processes for module-level functions, results in input order.

    Every process (this one, with one job) first calls ``setup(argument)``, which
    keeps what the functions need in module state; only the functions' own inputs
    and results then travel between processes. Use as a context manager; on the
    way out, ``teardown`` undoes ``setup`` in this process (workers simply exit).

    Built on :class:`concurrent.futures.ProcessPoolExecutor` rather than
    :class:`multiprocessing.pool.Pool`, measured: the Pool's worker-minding thread
    also waits on the results pipe, so it wakes for every result and spins until
    its result thread has read it, which cost this process about 70 ms of CPU per
    10,000 submissions, taken from the workers on a two-core machine. The
    executor's one thread both waits for and reads results. A worker that dies
    (a crash in a C library) raises ``BrokenProcessPool`` here instead of leaving
    its task unfinished for ever.
    """

    AHEAD = 4  # tasks per worker sent before their results are asked for

    def __init__(self, jobs: int, setup: Callable[[A], None], argument: A,
                 teardown: Callable[[], None] | None = None) -> None:
        self.jobs = jobs
        self._teardown = teardown
        self._executor: ProcessPoolExecutor | None = None
        if jobs <= 1:
            setup(argument)
        else:
            self._executor = ProcessPoolExecutor(jobs, _context(), initializer=_worker_setup,
                                                 initargs=(os.getpid(), setup, argument))

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``function(item)`` for every item, in order, lazily: a few tasks per worker
        are in flight, and the next is sent as each result is taken, so a stream of
        100,000 submissions is never all in memory. The first tasks go out at once."""
        if self._executor is None:
            return map(function, items)
        executor, source = self._executor, iter(items)
        pending = deque(executor.submit(function, item)
                        for item in itertools.islice(source, self.AHEAD * self.jobs))
        return self._results(pending, function, source)

    def start(self, function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """``function(item)`` for every item, all sent now (with one job: when the
        results are asked for), for work that should go on while this process does
        something else; the results, in order."""
        if self._executor is None:
            return map(function, items)
        pending = deque(self._executor.submit(function, item) for item in items)
        return self._results(pending, function, iter(()))

    def _results(self, pending: deque[Future[R]], function: Callable[[T], R],
                 more: Iterator[T]) -> Iterator[R]:
        """The results of ``pending`` in order, sending one of ``more`` as each is taken."""
        assert self._executor is not None
        while pending:
            result = pending.popleft().result()
            for item in itertools.islice(more, 1):
                pending.append(self._executor.submit(function, item))
            yield result

    def __enter__(self) -> Workers[A]:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self._executor is None:
            if self._teardown is not None:
                self._teardown()
        elif kind is None:
            self._executor.shutdown(wait=True)
        else:
            # Leaving on an error, Ctrl-C or SIGTERM: drop the tasks not yet started,
            # wait for the few that are running (a worker killed while sending its
            # result would leave half a message that the executor's thread waits on
            # for ever), and let no second Ctrl-C or SIGTERM cut the wait short
            # (Python 3.11 then forgets the executor's thread, the workers never hear
            # they should stop, and the command hangs at exit).
            with _interrupts_held():
                self._executor.shutdown(wait=True, cancel_futures=True)


def grade_all(items: Iterable[Item], catalog: Catalog,
              limits: Limits = DEFAULT_LIMITS) -> Iterator[Graded]:
    """Grade every submission among ``items`` in this process, in order, passing over
    skipped items (``workbook gradescope``; ``workbook score`` spreads the work with
    :class:`Workers` and keeps the skipped ones: see :mod:`workbook.class_run`)."""
    return grade_many((item for item in items if isinstance(item, Submission)), catalog, limits)
