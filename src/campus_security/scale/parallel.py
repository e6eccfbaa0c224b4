"""Evaluating a JSON Lines roster on every core of the machine.

The roster file is cut into parts of a few megabytes at line boundaries
(:func:`split`); worker processes each open the file and evaluate whole parts, so no
school is ever pickled or piped: a worker reads its bytes from the (page-cached) file
and sends back only the part's :class:`~campus_security.scale.stream.PartResult`
(counts and tallies, and the findings as JSON bytes when asked). Each worker builds
its plugin manager, evaluator and structurer once, in the pool's initializer.

Parts are handed back in file order (a bounded window runs ahead), so summaries merge
in order, the sample of failing schools is the one a single process keeps, and a
findings file is written in roster order: the results equal the single-process ones.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from os import PathLike
from pathlib import Path
from typing import Any

import attrs

from ..engine import Evaluator, Rate, Standard
from ..formats.structure import Structurer
from ..model import DeviceStatus, Every, SecurityCompany
from .jsonl import LinesRoster, open_lines
from .stream import PartChecker, PartResult, StreamSummary, evaluate_part

__all__ = [
    "PART_BYTES",
    "Setup",
    "available_cores",
    "evaluate_parallel",
    "run_parts",
    "split",
]

PART_BYTES = 8 << 20
"""Default size of a part: about 1 000 schools of a year of records each."""


def available_cores() -> int:
    """The cores this process may run on (the default number of jobs)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


@attrs.frozen
class Setup:
    """How a worker gets its standards, and what it returns: a picklable recipe.

    By default a worker loads the installed plugins (less ``block``), like the command
    line. ``standard_ids`` keeps only those standards. ``factory``, a module-level
    function returning standards, replaces discovery (for applications that register
    their rules in code). ``collect_findings`` asks for every finding as JSON bytes
    (ID numbers masked unless ``show_personal_data``). ``device_status`` gives the
    rules probed device statuses, as ``check --device-status`` does.
    """

    on: dt.date
    block: tuple[str, ...] = ()
    standard_ids: tuple[str, ...] | None = None
    factory: Callable[[], Iterable[Standard]] | None = None
    collect_findings: bool = False
    show_personal_data: bool = False
    device_status: tuple[tuple[str, DeviceStatus], ...] = ()
    """Probed device statuses (``--device-status``), as (device id, status) pairs."""
    since: dt.date | None = None
    """A review window's first day (``check --from``): the window is ``since``..``on``."""
    rate_every: Every = Every.QUARTER
    """In a window, the period the targets of rules that are not periodic are rated by."""

    def standards(self) -> tuple[Standard, ...]:
        """The standards to evaluate, as this process finds them."""
        if self.factory is not None:
            found = tuple(self.factory())
        else:
            from ..plugins import PluginManager

            found = PluginManager(block=self.block).standards()
        if self.standard_ids is not None:
            found = tuple(s for s in found if s.id in self.standard_ids)
        return found

    def evaluator(self, companies: Iterable[SecurityCompany]) -> Evaluator:
        """An evaluator for this setup and the roster's companies."""
        return Evaluator(
            self.standards(),
            self.on,
            companies=companies,
            device_status=dict(self.device_status),
            since=self.since,
            rate_every=self.rate_every,
        )


def split(roster: LinesRoster, part_bytes: int = PART_BYTES) -> list[tuple[int, int]]:
    """Cut the school lines of a roster into byte ranges that start at line starts."""
    start, size = roster.schools_offset, roster.size
    cuts = [start]
    with roster.path.open("rb") as f:
        pos = start + part_bytes
        while pos < size:
            f.seek(pos - 1)
            f.readline()  # to the end of the line that holds pos - 1
            nxt = f.tell()
            if nxt >= size:
                break
            if nxt > cuts[-1]:
                cuts.append(nxt)
            pos = nxt + part_bytes
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], size], strict=True)]


def part_size(roster: LinesRoster, jobs: int, part_bytes: int | None = None) -> int:
    """Parts small enough that every worker gets several (for balance and progress)."""
    if part_bytes is not None:
        return max(1, part_bytes)
    body = max(1, roster.size - roster.schools_offset)
    return max(1 << 16, min(PART_BYTES, body // max(1, 4 * jobs)))


# --- the worker side ------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(setup: Setup, companies: tuple[SecurityCompany, ...]) -> None:
    _WORKER["setup"] = setup
    _WORKER["evaluator"] = setup.evaluator(companies)
    _WORKER["structurer"] = Structurer()


def _run_part(path: str, index: int, start: int, end: int) -> PartResult:
    setup: Setup = _WORKER["setup"]
    return evaluate_part(
        path,
        index,
        start,
        end,
        _WORKER["evaluator"],
        structurer=_WORKER["structurer"],
        collect_findings=setup.collect_findings,
        show_personal_data=setup.show_personal_data,
    )


# --- the coordinating side ------------------------------------------------------------------


def run_parts(
    submit: Callable[[int, int, int], Future[PartResult]],
    ranges: list[tuple[int, int]],
    window: int,
) -> Iterator[PartResult]:
    """Submit parts and yield their results in file order, at most ``window`` ahead."""
    pending: deque[Future[PartResult]] = deque()
    todo = iter(enumerate(ranges))
    for index, (start, end) in todo:
        pending.append(submit(index, start, end))
        if len(pending) >= window:
            break
    while pending:
        result = pending.popleft().result()
        for index, (start, end) in todo:
            pending.append(submit(index, start, end))
            break
        yield result


def evaluate_parallel(
    path: str | PathLike[str],
    setup: Setup,
    *,
    jobs: int | None = None,
    part_bytes: int | None = None,
    on_part: Callable[[PartResult], None] | None = None,
) -> tuple[StreamSummary, tuple[Rate, ...], tuple[Standard, ...]]:
    """Evaluate a JSON Lines roster with ``jobs`` worker processes (default: every core).

    ``on_part`` receives each part's result in file order (its ``findings`` bytes when
    ``setup.collect_findings``), for writing a report as the evaluation goes.
    Returns the merged summary, the rates and the standards in force; raises
    :class:`~campus_security.errors.RosterError` at the end if any line had a problem.
    """
    jobs = jobs or available_cores()
    roster = open_lines(Path(path))
    in_force = setup.evaluator(roster.companies).standards
    ranges = split(roster, part_size(roster, jobs, part_bytes))
    summary = StreamSummary()
    checker = PartChecker(roster)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(setup, roster.companies),
    ) as pool:
        name = str(roster.path)

        def submit(index: int, start: int, end: int) -> Future[PartResult]:
            return pool.submit(_run_part, name, index, start, end)

        for part in run_parts(submit, ranges, window=4 * jobs):
            summary.merge(part.summary)
            checker.add(part)
            if on_part is not None:
                on_part(part)
    checker.finish()
    return summary, summary.rates(in_force, setup.on), in_force
