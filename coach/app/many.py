"""Critiquing many drafts: in input order, in parallel processes when it pays, one failure
at a time (a draft that fails gets a :class:`Failure` record, the others go on)."""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from coach.errors import CoachError
from coach.io.drafts import DraftInput
from coach.rules.config import Settings
from coach.rules.engine import Options, critique_text
from coach.rules.report import Report

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

T = TypeVar("T")
R = TypeVar("R")

# Below this many drafts, starting worker processes costs more than it saves.
PARALLEL_MIN_DRAFTS = 200
CHUNK = 64


@dataclass
class Failure:
    """The record of a draft that could not be processed."""

    draft: DraftInput
    message: str
    exit_code: int = 2

    def to_dict(self) -> dict[str, Any]:
        return {**self.draft.where(), "error": self.message}


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def _options_for(draft: DraftInput, options: Options) -> Options:
    return replace(options, kind=draft.kind) if draft.kind else options


def critique_one(draft: DraftInput, options: Options, settings: Settings) -> Report | Failure:
    if draft.error is not None:
        return Failure(draft, draft.error.one_line(), draft.error.exit_code)
    try:
        wanted = _options_for(draft, options)
        report = critique_text(draft.text, wanted, settings, path=draft.path, notices=draft.notices)
    except CoachError as exc:  # e.g. an unknown kind in a table's kind column
        return Failure(draft, f"{draft.label}: {exc.one_line()}", exc.exit_code)
    if draft.id is not None:
        report.extra["id"] = draft.id
    credit_kind(report, draft)
    return report


def credit_kind(report: Report, draft: DraftInput) -> None:
    """Say where a table's kind came from ("from the 'kind' field"), not "given with --kind"."""
    if draft.kind_from and not report.kind_detected:
        report.kind_reason = draft.kind_from


_worker: tuple[Options, Settings] | None = None


def _init_worker(options: Options, settings: Settings) -> None:
    global _worker
    _worker = (options, settings)


def _work(chunk: list[DraftInput]) -> list[Report | Failure]:
    assert _worker is not None
    return [critique_one(draft, *_worker) for draft in chunk]


def critique_stream(
    drafts: Iterable[DraftInput], options: Options, settings: Settings, jobs: int = 1
) -> Iterator[Report | Failure]:
    """A report (or failure) for each draft, in order, as each is ready; ``jobs`` > 1 uses
    worker processes for a batch big enough to pay for them. ``drafts`` is read as the
    work goes, never all at once."""
    source = iter(drafts)
    first = list(itertools.islice(source, PARALLEL_MIN_DRAFTS))
    everything = itertools.chain(first, source)
    if jobs > 1 and len(first) >= PARALLEL_MIN_DRAFTS:
        yield from _in_processes(everything, options, settings, jobs)
    else:
        yield from (critique_one(d, options, settings) for d in everything)


def _in_processes(
    drafts: Iterator[DraftInput], options: Options, settings: Settings, jobs: int
) -> Iterator[Report | Failure]:
    """Chunks of drafts on ``jobs`` worker processes, at most ``2 * jobs`` chunks in flight:
    the next chunk is read only when the oldest one's reports have been handed on."""
    import multiprocessing  # only for big batches: it costs start-up time
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    # fork shares the loaded rules and compiled patterns with the workers for free.
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunks = iter(lambda: list(itertools.islice(drafts, CHUNK)), [])
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(options, settings)) as pool:
        for reports in in_order(pool, _work, chunks, 2 * jobs):
            yield from reports


def in_order(pool: Executor, work: Callable[[T], R], items: Iterable[T], depth: int) -> Iterator[R]:
    """``work`` over ``items`` on ``pool``, yielded in input order as soon as each is ready, with
    at most ``depth`` items in flight: the next item is read only when the oldest is handed on,
    so a long input streams instead of being read into memory first."""
    window: deque[Future[R]] = deque()
    for item in items:
        window.append(pool.submit(work, item))
        if len(window) >= depth:
            yield window.popleft().result()
    while window:
        yield window.popleft().result()
