"""Scoring many submissions: a pure map, in one process or a pool, order preserved.

Each worker loads the catalog once (schemas checked, validators built) and then
turns submissions into :class:`Graded` values: the check result and a similarity
sketch, never the document itself, so memory stays flat however large the batch.
Results come back in input order, so every output is the same for any ``--jobs``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from workbook import similarity
from workbook.catalog import Catalog, load_catalog
from workbook.intake import Item, Skipped, Submission, read
from workbook.loader import DEFAULT_LIMITS, Limits, load_bytes
from workbook.problems import WorkbookError
from workbook.worksheet import UNREADABLE, CheckResult, check_document, result_from_error

CHUNK = 32
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
    submission = read(submission, limits)
    if submission.raw is None:
        problems = (submission.problem,) if submission.problem else ()
        return Graded(submission.source, submission.path,
                      CheckResult(submission.source, UNREADABLE, None, problems))
    try:
        doc = load_bytes(submission.raw, submission.source, limits)
    except WorkbookError as error:
        return Graded(submission.source, submission.path,
                      result_from_error(submission.source, error))
    result = check_document(doc, catalog)
    sketched = similarity.sketch(doc.data) if result.exercise else b""
    return Graded(submission.source, submission.path, result, sketched)


_worker_catalog: Catalog | None = None
_worker_limits: Limits = DEFAULT_LIMITS


def _init_worker(root: str, limits: Limits) -> None:
    global _worker_catalog, _worker_limits
    _worker_catalog = load_catalog(Path(root))
    _worker_limits = limits


def _grade_in_worker(submission: Submission) -> Graded:
    assert _worker_catalog is not None, "worker not initialised"
    return grade(submission, _worker_catalog, _worker_limits)


def _call_in_worker(job: tuple[Callable[[Any, Catalog], Any], Any]) -> Any:
    function, item = job
    assert _worker_catalog is not None, "worker not initialised"
    return function(item, _worker_catalog)


def parallel_map(function: Callable[[T, Catalog], R], items: Iterable[T], catalog: Catalog,
                 jobs: int = 1) -> Iterator[R]:
    """``function(item, catalog)`` for every item, in order, in ``jobs`` processes.

    ``function`` must be a module-level function (it is sent to the workers by
    name); each worker loads the catalog once.
    """
    if jobs <= 1:
        for item in items:
            yield function(item, catalog)
        return
    context = multiprocessing.get_context()
    with context.Pool(jobs, initializer=_init_worker,
                      initargs=(str(catalog.root), DEFAULT_LIMITS)) as pool:
        yield from pool.imap(_call_in_worker, ((function, item) for item in items),
                             chunksize=CHUNK)


def grade_all(items: Iterable[Item], catalog: Catalog, jobs: int = 1,
              limits: Limits = DEFAULT_LIMITS,
              on_skip: Callable[[Skipped], None] | None = None) -> Iterator[Graded]:
    """Grade every submission among ``items``, in order; skipped items go to ``on_skip``."""

    def submissions() -> Iterator[Submission]:
        for item in items:
            if isinstance(item, Skipped):
                if on_skip is not None:
                    on_skip(item)
            else:
                yield item

    if jobs <= 1:
        for submission in submissions():
            yield grade(submission, catalog, limits)
        return
    context = multiprocessing.get_context()
    with context.Pool(jobs, initializer=_init_worker,
                      initargs=(str(catalog.root), limits)) as pool:
        yield from pool.imap(_grade_in_worker, submissions(), chunksize=CHUNK)
