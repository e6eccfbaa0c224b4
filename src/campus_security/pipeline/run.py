"""The one evaluation path: a source's parts through the evaluator, in order, into sinks.

:func:`run` opens a source, evaluates its parts in this process, on worker
processes (:mod:`.parallel`) or on a Dask cluster (:mod:`campus_security.scale.dask`)
with the same function (:func:`~campus_security.pipeline.stream.run_part`), takes
the results back in roster order, merges their summaries and hands each to the
sinks. The three modes therefore give the same summary, rates and report bytes.
Problems of the roster are raised at the end as one
:class:`~campus_security.errors.RosterError`; the sinks are then aborted, so no
report of a roster with problems is written.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Protocol

import attrs

from ..engine import (
    Evaluator,
    Rate,
    RateStatus,
    RegionalRate,
    SchoolResult,
    Standard,
    Status,
)
from ..errors import RosterError
from ..formats.structure import Structurer
from ..model import DeviceStatus, School
from .jsonl import open_lines
from .parallel import Setup, available_cores, evaluate_parts
from .sources import PART_BYTES, LinesPart, LinesSource, Part, PartChecker, Source
from .stream import PartResult, StreamSummary, run_part

__all__ = [
    "MODES",
    "Outcome",
    "RostersError",
    "Sink",
    "choose_mode",
    "evaluate_lines",
    "evaluate_parallel",
    "evaluate_part",
    "run",
]

MODES = ("process", "parallel", "dask")


@attrs.frozen
class Outcome:
    """What a run gives besides its sinks' output: the summary, the rates, the standards."""

    on: dt.date
    summary: StreamSummary
    rates: tuple[Rate, ...]
    standards: tuple[Standard, ...]
    since: dt.date | None = None
    """A review window's first day (``None``: as of ``on``)."""
    _regional: list[tuple[RegionalRate, ...]] = attrs.field(
        factory=list, init=False, eq=False, repr=False
    )

    @property
    def failed(self) -> bool:
        """Whether a rule failed or broke, or a due target was not met (exit status 1)."""
        return self.summary.failed(self.rates)

    def status_counts(self) -> dict[Status, int]:
        """Findings of each status."""
        return self.summary.status_counts()

    @property
    def regional_rates(self) -> tuple[RegionalRate, ...]:
        """Each target's rate for its jurisdiction and every city and county under it.

        Rolled up along GB/T 2260 from the summary's per-region tallies
        (:func:`campus_security.engine.rollup.regional_rates`): the jurisdiction's row,
        then its cities and counties with schools (functional zones under their city),
        each with its level, parent and short name; as of ``on``, then in a window per
        period; by standard, target, jurisdiction and region code. Computed on the
        first access (one pass over the tallies) and kept: every sink reads the same rows.
        """
        if not self._regional:
            self._regional.append(self.summary.regional_rates(self.standards, self.on))
        return self._regional[0]

    @property
    def not_met(self) -> tuple[Rate, ...]:
        """The rates whose due target was not met."""
        return tuple(r for r in self.rates if r.status is RateStatus.NOT_MET)


class Sink(Protocol):
    """Where results go: a report, a store. Parts arrive in roster order.

    A sink may also have ``wants_hazards = True`` (optional; not part of the protocol's
    required members): parts then carry the schools' hazards and rectification notices
    (``PartResult.hazards``), as a results store records them.
    """

    wants_findings: bool
    """Whether parts must carry their findings as JSON bytes."""
    wants_names: bool
    """Whether parts must carry each school's id and name."""

    def start(
        self, on: dt.date, standards: Sequence[Standard], since: dt.date | None = None
    ) -> None:
        """Before the first part: the date (a window's ``since``), the standards in force."""

    def part(self, result: PartResult) -> None:
        """One part's results, in roster order."""

    def finish(self, outcome: Outcome) -> None:
        """After the last part, when the roster had no problem."""

    def abort(self) -> None:
        """The run failed (a problem in the roster): leave nothing behind."""


def choose_mode(source: Source, jobs: int | None, dask: str | None) -> str:
    """``dask`` with an address, ``process`` for ``jobs=1`` or a small source, else ``parallel``."""
    if dask is not None:
        return "dask"
    if jobs == 1:
        return "process"
    if jobs is None:
        small = (
            source.size <= PART_BYTES
            if source.splits
            else (source.count is not None and source.count <= 1000)
        )
        if small or available_cores() == 1:
            return "process"
    return "parallel"


def run(
    source: Source | Sequence[Source],
    setup: Setup,
    *,
    sinks: Sequence[Sink] = (),
    jobs: int | None = None,
    dask: str | None = None,
    standards: Iterable[Standard] | None = None,
    part_bytes: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_open: Callable[[Source, str], None] | None = None,
) -> Outcome:
    """Evaluate every school of ``source`` (or of several) as ``setup`` says, into ``sinks``.

    ``jobs`` worker processes (default: every core when the source is bigger than
    one part, else this process; 1: this process); ``dask`` a scheduler address, or
    ``"local"`` for a LocalCluster of ``jobs`` workers. ``standards`` are this
    process's (default: ``setup.standards()``); workers follow ``setup``.
    ``on_progress`` is told the size of each part done (bytes, or schools for
    sources in memory); ``on_open`` each source and its mode once every source is open.
    Raises :class:`~campus_security.errors.RosterError` (sinks aborted) when the
    roster has problems.

    Several sources are one run: one report, their parts one after the other, each
    source with its own companies (and, with ``jobs``, its own pool of workers), each
    finding naming its roster (``setup.roster`` is set to each source's name). A school
    id in two of them is a problem of the later one, naming both; every source's
    problems are raised together at the end (:class:`~campus_security.pipeline.RostersError`).
    """
    sources = [source] if isinstance(source, Source) else list(source)
    structurer = Structurer()
    broken: list[RosterError] = []
    for src in sources:
        try:
            src.open(structurer)
        except RosterError as exc:
            broken.append(exc)
    if broken:
        raise _together(broken)
    modes = [choose_mode(src, jobs, dask) for src in sources]
    if on_open is not None:
        for src, mode in zip(sources, modes, strict=True):
            on_open(src, mode)
    setup = attrs.evolve(
        setup,
        collect_findings=setup.collect_findings or any(s.wants_findings for s in sinks),
        names=setup.names or any(s.wants_names for s in sinks),
        hazards=setup.hazards or any(getattr(s, "wants_hazards", False) for s in sinks),
    )
    chosen = tuple(standards) if standards is not None else setup.standards()
    in_force = Evaluator(chosen, setup.on, since=setup.since).standards
    for sink in sinks:
        sink.start(setup.on, in_force, setup.since)
    summary = StreamSummary()
    seen: dict[str, str] = {}
    try:
        for src, mode in zip(sources, modes, strict=True):
            each = setup if len(sources) == 1 else attrs.evolve(setup, roster=src.name)
            checker = PartChecker(src, seen)
            for result in _results(src, mode, each, chosen, structurer, jobs, dask, part_bytes):
                summary.merge(result.summary)
                checker.add(result)
                for sink in sinks:
                    sink.part(result)
                if on_progress is not None and result.part is not None:
                    on_progress(result.part.size)
            try:
                checker.finish()
            except RosterError as exc:
                broken.append(exc)
            if len(sources) > 1:
                seen.update(dict.fromkeys(checker.seen - seen.keys(), src.name))
        if broken:
            raise _together(broken)
    except BaseException:
        for sink in sinks:
            sink.abort()
        raise
    outcome = Outcome(
        setup.on, summary, summary.rates(in_force, setup.on), in_force, since=setup.since
    )
    for sink in sinks:
        sink.finish(outcome)
    return outcome


class RostersError(RosterError):
    """The problems of several rosters read in one run, each roster's under its name."""

    def __init__(self, errors: Sequence[RosterError]) -> None:
        self.errors = tuple(errors)
        super().__init__(
            [p for e in errors for p in e.problems], ", ".join(e.source or "" for e in errors)
        )
        self.args = ("\n".join(str(e) for e in errors),)

    def __str__(self) -> str:
        return str(self.args[0])


def _together(errors: Sequence[RosterError]) -> RosterError:
    return errors[0] if len(errors) == 1 else RostersError(errors)


def _results(
    source: Source,
    mode: str,
    setup: Setup,
    standards: tuple[Standard, ...],
    structurer: Structurer,
    jobs: int | None,
    dask: str | None,
    part_bytes: int | None,
) -> Iterator[PartResult]:
    """One source's part results in roster order, evaluated as ``mode`` says."""
    n = jobs or available_cores()
    parts = source.parts(part_bytes, 1 if mode == "process" else n)
    if mode == "process":
        evaluator = Evaluator(
            standards,
            setup.on,
            companies=source.companies,
            device_status=dict(setup.device_status),
            since=setup.since,
            rate_every=setup.rate_every,
        )
        return _in_process(parts, evaluator, structurer, setup)
    if mode == "parallel":
        return evaluate_parts(parts, setup, source.companies, jobs=n)
    from ..scale.dask import evaluate_dask_parts

    address = None if dask == "local" else dask
    return evaluate_dask_parts(parts, setup, source.companies, address=address, workers=jobs)


def _in_process(
    parts: Iterable[Part], evaluator: Evaluator, structurer: Structurer, setup: Setup
) -> Iterator[PartResult]:
    for part in parts:
        yield run_part(
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


# --- the 0.1 entry points for JSON Lines files ----------------------------------------------


def evaluate_part(
    path: str | PathLike[str],
    index: int,
    start: int,
    end: int | None,
    evaluator: Evaluator,
    *,
    structurer: Structurer | None = None,
    collect_findings: bool = False,
    show_personal_data: bool = False,
    on_result: Callable[[School, SchoolResult], None] | None = None,
    on_bytes: Callable[[int], None] | None = None,
    whole_file: bool = False,
) -> PartResult:
    """Evaluate the school lines that begin in ``[start, end)`` of a JSON Lines roster.

    :func:`run_part` on a :class:`~campus_security.pipeline.sources.LinesPart`;
    ``on_bytes`` is told the bytes read when the part is done.
    """
    result = run_part(
        LinesPart(index, str(path), start, end),
        evaluator,
        structurer=structurer,
        collect_findings=collect_findings,
        show_personal_data=show_personal_data,
        on_result=on_result,
        whole=whole_file,
    )
    if end is None:
        result.end = os.path.getsize(path)
    if on_bytes is not None:
        on_bytes(result.end - start)
    return result


def evaluate_lines(
    path: str | PathLike[str],
    standards: Iterable[Standard],
    on: dt.date,
    *,
    on_result: Callable[[School, SchoolResult], None] | None = None,
    on_bytes: Callable[[int], None] | None = None,
    device_status: Mapping[str, DeviceStatus] | None = None,
) -> tuple[StreamSummary, tuple[Rate, ...], tuple[Standard, ...]]:
    """Evaluate a JSON Lines roster in this process, one school at a time.

    Returns the summary, the rates and the standards in force on ``on``. Raises
    :class:`RosterError` after the last line if any line had a problem (the valid
    schools were evaluated).
    """
    st = Structurer()
    roster = open_lines(Path(path), structurer=st)
    standards = tuple(standards)
    ev = Evaluator(standards, on, companies=roster.companies, device_status=device_status)
    part = evaluate_part(
        roster.path,
        0,
        roster.schools_offset,
        None,
        ev,
        structurer=st,
        on_result=on_result,
        on_bytes=on_bytes,
        whole_file=True,
    )
    checker = PartChecker(roster)
    checker.add(part)
    checker.finish()
    return part.summary, part.summary.rates(ev.standards, on), ev.standards


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
    (:func:`campus_security.pipeline.run` does this for any source.)
    """
    sinks = [_Callback(on_part)] if on_part is not None else []
    out = run(
        LinesSource(path),
        setup,
        sinks=sinks,
        jobs=jobs or available_cores(),
        part_bytes=part_bytes,
    )
    return out.summary, out.rates, out.standards


class _Callback:
    """A sink that hands each part to a function."""

    wants_findings = False
    wants_names = False

    def __init__(self, on_part: Callable[[PartResult], None]) -> None:
        self.on_part = on_part

    def start(
        self, on: dt.date, standards: Sequence[Standard], since: dt.date | None = None
    ) -> None:
        """Nothing to do."""

    def part(self, result: PartResult) -> None:
        """Hand the part over."""
        self.on_part(result)

    def finish(self, outcome: object) -> None:
        """Nothing to do."""

    def abort(self) -> None:
        """Nothing to do."""
