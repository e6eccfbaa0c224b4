"""Streaming evaluation: schools in, a bounded summary out, findings to a sink.

A roster of half a million schools yields tens of millions of findings; keeping them
all is what makes a whole-roster :class:`~campus_security.engine.Report` big. Here
each school is evaluated, its findings go to an optional sink (a callback, or bytes
of JSON for a report file) and then only counts stay: a :class:`StreamSummary`
holds the counts per standard, rule and status, the target tallies per jurisdiction
(which add up across batches, processes and cluster partitions, so rates come out
the same however the roster was split) and a bounded sample of failing schools.
Memory is bounded by one school and the summary, not by the roster.

The same per-part function (:func:`evaluate_part`) runs in this process, in the
worker processes of :mod:`campus_security.scale.parallel` and on the workers of a
Dask cluster (:mod:`campus_security.scale.dask`), so the three give the same results.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from os import PathLike
from pathlib import Path

import attrs

from ..engine import Evaluator, Finding, Rate, RateStatus, SchoolResult, Standard, Status, Tally
from ..engine.evaluate import period_rates_from_tallies, rates_from_tallies
from ..formats.structure import Structurer
from ..model import DeviceStatus, Every, Period, RegionCode, School
from ..report import finding_json
from .jsonl import (
    LineProblem,
    LineReader,
    LinesRoster,
    count_lines,
    duplicate_text,
    iter_lines,
    open_lines,
    raise_problems,
)

__all__ = [
    "FAILING_SAMPLE",
    "PartChecker",
    "PartResult",
    "StreamSummary",
    "encode_result",
    "evaluate_lines",
    "evaluate_part",
    "evaluate_schools",
    "finding_bytes",
    "gc_paused",
]

FAILING_SAMPLE = 20
"""Failing schools a summary keeps by name (the count goes on)."""


@attrs.define
class StreamSummary:
    """Counts over any number of evaluated schools; summaries of parts merge in order.

    ``counts`` maps (standard id, status value) to findings, ``rule_counts`` (rule
    id, status value) to findings, ``tallies`` (standard id, target id, jurisdiction) to the
    target tally. ``failing`` keeps the first :data:`FAILING_SAMPLE` schools with a
    failing finding, in roster order, as (school id, name, failing findings).
    """

    schools: int = 0
    """Schools evaluated."""
    uncovered: int = 0
    """Schools no installed standard covers."""
    findings: int = 0
    failing_schools: int = 0
    rule_counts: dict[tuple[str, str], int] = attrs.field(factory=dict)
    tallies: dict[tuple[str, str, RegionCode], Tally] = attrs.field(factory=dict)
    period_tallies: dict[tuple[str, str, RegionCode, Period], Tally] = attrs.field(factory=dict)
    """In a review window: the tallies per period (``SchoolResult.period_tallies``)."""
    failing: list[tuple[str, str, int]] = attrs.field(factory=list)
    standard_of: dict[str, str] = attrs.field(factory=dict)
    """The standard of every rule counted (rule id -> standard id)."""

    @property
    def counts(self) -> dict[tuple[str, str], int]:
        """Findings per (standard id, status value), from ``rule_counts``."""
        out: dict[tuple[str, str], int] = {}
        standard_of = self.standard_of
        for (rule_id, value), n in self.rule_counts.items():
            key = (standard_of[rule_id], value)
            out[key] = out.get(key, 0) + n
        return out

    def add(self, school: School, result: SchoolResult) -> None:
        """Count one school's result."""
        self.schools += 1
        findings = result.findings
        if not findings:
            self.uncovered += 1
            return
        self.findings += len(findings)
        rule_counts = self.rule_counts
        n_fail = 0
        fail = Status.FAIL
        for f in findings:
            status = f.status
            # keyed by the status's value (``_value_``: the ``value`` property is Python
            # code): str hashes are cached, an Enum's hash is Python code too
            rkey = (f.rule_id, status._value_)
            n = rule_counts.get(rkey)
            if n is None:
                self.standard_of[f.rule_id] = f.standard_id
                rule_counts[rkey] = 1
            else:
                rule_counts[rkey] = n + 1
            if status is fail:
                n_fail += 1
        if n_fail:
            self.failing_schools += 1
            if len(self.failing) < FAILING_SAMPLE:
                self.failing.append((school.id, school.name, n_fail))
        tallies = self.tallies
        for std_id, target_id, region, tally in result.tallies:
            tkey = (std_id, target_id, region)
            old = tallies.get(tkey)
            tallies[tkey] = tally if old is None else old + tally
        if result.period_tallies:
            by_period = self.period_tallies
            for std_id, target_id, region, period, tally in result.period_tallies:
                pkey = (std_id, target_id, region, period)
                had = by_period.get(pkey)
                by_period[pkey] = tally if had is None else had + tally

    def merge(self, other: StreamSummary) -> None:
        """Add the summary of the schools that come after these in the roster."""
        self.schools += other.schools
        self.uncovered += other.uncovered
        self.findings += other.findings
        self.failing_schools += other.failing_schools
        self.standard_of.update(other.standard_of)
        for key, n in other.rule_counts.items():
            self.rule_counts[key] = self.rule_counts.get(key, 0) + n
        for tkey, tally in other.tallies.items():
            old = self.tallies.get(tkey)
            self.tallies[tkey] = tally if old is None else old + tally
        for pkey, tally in other.period_tallies.items():
            had = self.period_tallies.get(pkey)
            self.period_tallies[pkey] = tally if had is None else had + tally
        room = FAILING_SAMPLE - len(self.failing)
        if room > 0:
            self.failing.extend(other.failing[:room])

    def status_counts(self) -> dict[Status, int]:
        """Findings of each status, over every standard."""
        out = dict.fromkeys(Status, 0)
        for (_std, value), n in self.counts.items():
            out[Status(value)] += n
        return out

    def rates(self, standards: Iterable[Standard], on: dt.date) -> tuple[Rate, ...]:
        """The rates against every target, as a whole-roster evaluation gives them."""
        standards = tuple(standards)
        return rates_from_tallies(standards, on, self.tallies) + period_rates_from_tallies(
            standards, self.period_tallies
        )

    def failed(self, rates: Iterable[Rate] = ()) -> bool:
        """Whether a rule failed or broke, or a due target was not met (exit status 1)."""
        c = self.status_counts()
        return bool(c[Status.FAIL] or c[Status.ERROR]) or any(
            r.status is RateStatus.NOT_MET for r in rates
        )


def evaluate_schools(
    schools: Iterable[School],
    evaluator: Evaluator,
    *,
    summary: StreamSummary | None = None,
    on_result: Callable[[School, SchoolResult], None] | None = None,
) -> StreamSummary:
    """Evaluate schools one at a time into a summary; hand each result to ``on_result``."""
    summary = summary if summary is not None else StreamSummary()
    evaluate, add = evaluator.school, summary.add
    for school in schools:
        result = evaluate(school)
        add(school, result)
        if on_result is not None:
            on_result(school, result)
    return summary


def finding_bytes(
    findings: Iterable[Finding], *, show_personal_data: bool = False
) -> Iterator[bytes]:
    """Each finding as the JSON object a report file holds (ID numbers masked unless asked).

    A finding that cannot be encoded is written as an ERROR finding saying so
    (:func:`campus_security.report.finding_json`); :func:`encode_result` also says which.
    """
    for f in findings:
        yield finding_json(f, show_personal_data=show_personal_data)[0]


def encode_result(
    result: SchoolResult, *, show_personal_data: bool = False
) -> tuple[list[bytes], SchoolResult]:
    """A school's findings as report JSON objects, and the result they document.

    The result is ``result`` itself unless a finding could not be encoded: then that
    finding is an ERROR finding saying so, in the bytes and in the returned result, so
    that what is counted is what is written.
    """
    out: list[bytes] = []
    fixed: list[Finding] | None = None
    for i, f in enumerate(result.findings):
        data, g = finding_json(f, show_personal_data=show_personal_data)
        out.append(data)
        if g is not f:
            if fixed is None:
                fixed = list(result.findings)
            fixed[i] = g
    return out, result if fixed is None else attrs.evolve(result, findings=tuple(fixed))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (JSON-derived data has no cycles to collect).

    Parsing and structuring allocate about a thousand containers per school, so with
    the collector on, young-generation collections run every school and full ones
    grow with everything the process holds. Reference counting frees the parsed
    documents either way; the collector is restored (and run) on exit.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# --- one part of a JSON Lines roster: the unit of every evaluation mode -------------------


@attrs.define
class PartResult:
    """What evaluating one part (a byte range) of a JSON Lines roster gives.

    ``findings`` is the part's findings as comma-separated JSON objects when they
    were asked for, else ``None``. Problems are numbered from the part's first line;
    ``ids`` and ``id_lines`` let the caller find school ids repeated across parts.
    """

    index: int
    start: int
    end: int
    summary: StreamSummary
    findings: bytes | None = None
    problems: list[LineProblem] = attrs.field(factory=list)
    problem_count: int = 0
    ids: list[str] = attrs.field(factory=list)
    id_lines: list[int] = attrs.field(factory=list)


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
    on_findings: Callable[[bytes], None] | None = None,
) -> PartResult:
    """Evaluate the school lines that begin in ``[start, end)`` of a JSON Lines roster.

    ``on_findings`` receives each school's findings as comma-separated report JSON
    objects, as they are evaluated (a report file written by this process); with
    ``collect_findings`` they are gathered in the part's ``findings`` instead. Either
    way a finding that cannot be encoded is written and counted as an ERROR finding.

    ``evaluator`` must know the roster's companies. ``on_bytes`` is told how many
    bytes were read, every few hundred schools (for progress bars). ``whole_file``
    says the part is the whole file: repeated ids are then found on the spot, keeping
    a set of ids rather than lists for :class:`PartChecker`.
    """
    reader = LineReader(
        evaluator.context.companies.values(),
        structurer=structurer,
        seen=set() if whole_file else None,
    )
    summary = StreamSummary()
    chunks: list[bytes] = []
    evaluate, add = evaluator.school, summary.add
    done = last_told = 0
    with open(path, "rb") as f, gc_paused():
        for i, data in iter_lines(f, start, end):
            done += len(data)
            school = reader.school(i, data)
            if school is None:
                continue
            result = evaluate(school)
            if (collect_findings or on_findings is not None) and result.findings:
                # encoded before counted: a finding that cannot be written is an error
                encoded, result = encode_result(result, show_personal_data=show_personal_data)
                if collect_findings:
                    chunks.extend(encoded)
                if on_findings is not None:
                    on_findings(b",\n".join(encoded))
            add(school, result)
            if on_result is not None:
                on_result(school, result)
            if on_bytes is not None and done - last_told >= 1 << 22:
                on_bytes(done - last_told)
                last_told = done
    if on_bytes is not None and done > last_told:
        on_bytes(done - last_told)
    return PartResult(
        index,
        start,
        end if end is not None else start + done,
        summary,
        b",\n".join(chunks) if collect_findings else None,
        reader.problems,
        reader.problem_count,
        reader.ids,
        reader.id_lines,
    )


class PartChecker:
    """Collects the problems of parts handed over in file order, and ids repeated across them.

    Only the ids seen so far and the parts that had problems are kept; line numbers
    are placed at the end, counting newlines only when there is a problem to place.
    """

    def __init__(self, roster: LinesRoster) -> None:
        self.roster = roster
        self.count = 0
        self._seen: set[str] = set()
        self._problems: list[tuple[int, list[LineProblem]]] = []  # (part start, problems)

    def add(self, part: PartResult) -> None:
        """Take in the next part's problems and ids."""
        found = list(part.problems)
        count = part.problem_count
        seen = self._seen
        for sid, line in zip(part.ids, part.id_lines, strict=True):
            if sid in seen:
                count += 1
                found.append(LineProblem(line, "school.id", duplicate_text(sid)))
            seen.add(sid)
        if count:
            self.count += count
            self._problems.append((part.start, found))

    def finish(self) -> None:
        """Raise :class:`RosterError` listing every problem, if there was any."""
        if not self.count:
            return
        roster = self.roster
        placed: list[LineProblem] = []
        for start, found in self._problems:
            first = (
                roster.schools_line
                if start == roster.schools_offset
                else count_lines(roster.path, start) + 1
            )
            offset = first - roster.schools_line
            placed += [
                LineProblem(p.line + offset, p.path, p.message)
                for p in sorted(found, key=lambda p: p.line)
            ]
        raise_problems(roster, placed, self.count)


def evaluate_lines(
    path: str | PathLike[str],
    standards: Iterable[Standard],
    on: dt.date,
    *,
    on_result: Callable[[School, SchoolResult], None] | None = None,
    on_bytes: Callable[[int], None] | None = None,
    device_status: Mapping[str, DeviceStatus] | None = None,
    on_findings: Callable[[bytes], None] | None = None,
    show_personal_data: bool = False,
    since: dt.date | None = None,
    rate_every: Every = Every.QUARTER,
) -> tuple[StreamSummary, tuple[Rate, ...], tuple[Standard, ...]]:
    """Evaluate a JSON Lines roster in this process, one school at a time.

    ``on_findings`` receives each school's findings as report JSON (see
    :func:`evaluate_part`; ID numbers masked unless ``show_personal_data``).

    Returns the summary, the rates and the standards in force on ``on``. Raises
    :class:`RosterError` after the last line if any line had a problem (the valid
    schools were evaluated).
    """
    st = Structurer()
    roster = open_lines(Path(path), structurer=st)
    standards = tuple(standards)
    ev = Evaluator(
        standards,
        on,
        companies=roster.companies,
        device_status=device_status,
        since=since,
        rate_every=rate_every,
    )
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
        on_findings=on_findings,
        show_personal_data=show_personal_data,
    )
    checker = PartChecker(roster)
    checker.add(part)
    checker.finish()
    return part.summary, part.summary.rates(ev.standards, on), ev.standards
