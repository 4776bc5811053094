"""Scoring many submissions: a pure map, in one process or a pool, order preserved.

:func:`grade` turns a submission into a :class:`Graded` value: the check result and
a similarity sketch, never the document itself, so memory stays flat however large
the batch. :class:`Workers` runs such maps in a pool whose processes set up once
(the catalog: schemas checked, validators built), with results in input order, so
every output is the same for any ``--jobs``.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from workbook import similarity
from workbook.catalog import Catalog
from workbook.intake import Item, Skipped, Submission, read
from workbook.loader import DEFAULT_LIMITS, Document, Limits, load_bytes
from workbook.problems import WorkbookError
from workbook.worksheet import UNREADABLE, CheckResult, check_document, result_from_error

A = TypeVar("A")
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Graded:
    source: str
    path: str
    result: CheckResult
    sketch: bytes = b""  # similarity sketch, packed (see workbook/similarity.py)


def grade(submission: Submission, catalog: Catalog, limits: Limits = DEFAULT_LIMITS) -> Graded:
    """Check and score one submission; never raises for anything in the file."""
    return _grade_group([read(submission, limits)], catalog, limits)[0]


GROUP_BYTES = 256 * 1024  # of worksheets graded together, stage by stage


def grade_many(submissions: Iterable[Submission], catalog: Catalog,
               limits: Limits = DEFAULT_LIMITS) -> Iterator[Graded]:
    """``grade`` for each submission, in order, a few files at a time stage by stage.

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


def _load(submission: Submission, limits: Limits) -> Document | CheckResult:
    """The document, or the result for a file that cannot be one."""
    if submission.raw is None:
        problems = (submission.problem,) if submission.problem else ()
        return CheckResult(submission.source, UNREADABLE, None, problems)
    try:
        return load_bytes(submission.raw, submission.source, limits)
    except WorkbookError as error:
        return result_from_error(submission.source, error)


def _grade_group(group: list[Submission], catalog: Catalog, limits: Limits) -> list[Graded]:
    loaded = [_load(submission, limits) for submission in group]
    results = [check_document(doc, catalog) if isinstance(doc, Document) else doc
               for doc in loaded]
    sketches = [similarity.sketch(doc.data) if isinstance(doc, Document) and result.exercise
                else b"" for doc, result in zip(loaded, results, strict=True)]
    return [Graded(submission.source, submission.path, result, sketched)
            for submission, result, sketched in zip(group, results, sketches, strict=True)]


class Workers(Generic[A]):
    """``jobs`` processes for module-level functions, results in input order.

    Every process (this one, with one job) first calls ``setup(argument)``, which
    keeps what the functions need in module state; only the functions' own inputs
    and results then travel between processes. Use as a context manager; on the
    way out, ``teardown`` undoes ``setup`` in this process (workers simply exit).
    """

    def __init__(self, jobs: int, setup: Callable[[A], None], argument: A,
                 teardown: Callable[[], None] | None = None) -> None:
        self.jobs = jobs
        self.argument = argument
        self._teardown = teardown
        self._pool: multiprocessing.pool.Pool | None = None
        if jobs <= 1:
            setup(argument)
        else:
            self._pool = multiprocessing.get_context().Pool(jobs, initializer=setup,
                                                            initargs=(argument,))

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``function(item)`` for every item, in order; lazily, a few items ahead."""
        if self._pool is None:
            return map(function, items)
        return self._pool.imap(function, items)

    def __enter__(self) -> Workers[A]:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self._pool is None:
            if self._teardown is not None:
                self._teardown()
        else:
            if kind is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()


def grade_all(items: Iterable[Item], catalog: Catalog, limits: Limits = DEFAULT_LIMITS,
              on_skip: Callable[[Skipped], None] | None = None) -> Iterator[Graded]:
    """Grade every submission among ``items`` in this process, in order; skipped items
    go to ``on_skip``. (``workbook score`` spreads the work with :class:`Workers`.)"""

    def submissions() -> Iterator[Submission]:
        for item in items:
            if isinstance(item, Skipped):
                if on_skip is not None:
                    on_skip(item)
            else:
                yield item

    return grade_many(submissions(), catalog, limits)
