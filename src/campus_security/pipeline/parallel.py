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
from typing import TYPE_CHECKING, Any

import attrs

from ..engine import Evaluator, Standard
from ..formats.structure import Structurer
from ..model import DeviceStatus, Every, RegionCode, SecurityCompany
from .filters import SchoolFilter, narrow_standards
from .jsonl import LinesRoster
from .stream import PartResult, run_part

if TYPE_CHECKING:
    from .parts import Part

__all__ = [
    "PART_BYTES",
    "Setup",
    "available_cores",
    "evaluate_parts",
    "run_parts",
    "split",
    "work_part",
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
    names: bool = False
    """Return each school's id and name (for a detailed text report)."""
    hazards: bool = False
    """Return each school's hazards and notices (for a results store)."""
    device_status: tuple[tuple[str, DeviceStatus], ...] = ()
    """Probed device statuses (``--device-status``), as (device id, status) pairs."""
    since: dt.date | None = None
    """A review window's first day (``check --from``): the window is ``since``..``on``."""
    rate_every: Every = Every.QUARTER
    """In a window, the period the targets of rules that are not periodic are rated by."""
    rules: tuple[str, ...] = ()
    """Rule id globs to check (``check --rule``); empty: every rule (``pipeline.filters``)."""
    skip_rules: tuple[str, ...] = ()
    """Rule id globs not to check (``check --skip-rule``), with the targets that rate them."""
    schools: tuple[str, ...] = ()
    """School id globs to check (``check --school``); empty: every school."""
    regions: tuple[str, ...] = ()
    """Region codes (``check --region``): only the schools lying under one are checked."""
    roster: str | None = None
    """The roster each finding document names (``roster``), when a run reads several."""

    def standards(self) -> tuple[Standard, ...]:
        """The standards to evaluate, as this process finds them."""
        if self.factory is not None:
            found = tuple(self.factory())
        else:
            from ..plugins import PluginManager

            found = PluginManager(block=self.block).standards()
        return self.select(found)

    def select(self, found: Iterable[Standard]) -> tuple[Standard, ...]:
        """``found`` narrowed to ``standard_ids`` and to the rules ``rules``/``skip_rules`` keep."""
        found = tuple(found)
        if self.standard_ids is not None:
            found = tuple(s for s in found if s.id in self.standard_ids)
        return narrow_standards(found, self.rules, self.skip_rules)

    def admits(self) -> SchoolFilter | None:
        """The school filter of ``schools`` and ``regions`` (``None``: every school)."""
        if not self.schools and not self.regions:
            return None
        return SchoolFilter(self.schools, tuple(RegionCode(c) for c in self.regions))

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


def work_part(part: Part, evaluator: Evaluator, structurer: Structurer, setup: Setup) -> PartResult:
    """Evaluate a part as a worker does; the part is not sent back (the caller has it)."""
    result = run_part(
        part,
        evaluator,
        structurer=structurer,
        collect_findings=setup.collect_findings,
        show_personal_data=setup.show_personal_data,
        names=setup.names,
        admit=setup.admits(),
        roster=setup.roster,
        hazards=setup.hazards,
    )
    result.part = None
    return result


def _run_part(part: Part) -> PartResult:
    return work_part(part, _WORKER["evaluator"], _WORKER["structurer"], _WORKER["setup"])


# --- the coordinating side ------------------------------------------------------------------


def run_parts(
    submit: Callable[[Part], Future[PartResult]],
    parts: Iterable[Part],
    window: int,
) -> Iterator[PartResult]:
    """Submit parts and yield their results in roster order, at most ``window`` ahead."""
    pending: deque[tuple[Part, Future[PartResult]]] = deque()
    todo = iter(parts)
    for part in todo:
        pending.append((part, submit(part)))
        if len(pending) >= window:
            break
    while pending:
        part, future = pending.popleft()
        result = future.result()
        result.part = part
        for nxt in todo:
            pending.append((nxt, submit(nxt)))
            break
        yield result


def evaluate_parts(
    parts: Iterable[Part],
    setup: Setup,
    companies: tuple[SecurityCompany, ...],
    *,
    jobs: int | None = None,
) -> Iterator[PartResult]:
    """Evaluate parts on ``jobs`` worker processes (default: every core), results in order."""
    jobs = jobs or available_cores()
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(setup, companies),
    ) as pool:

        def submit(part: Part) -> Future[PartResult]:
            return pool.submit(_run_part, part)

        yield from run_parts(submit, parts, window=2 * jobs)
