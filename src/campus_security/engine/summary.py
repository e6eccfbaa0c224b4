"""Counts over evaluated schools that merge across batches, processes and cluster parts.

A roster of half a million schools yields tens of millions of findings; a
:class:`StreamSummary` keeps only counts: per standard, rule and status, the target
tallies per jurisdiction and school region code (which add up across any split of
the roster, so rates come out as a whole-roster evaluation gives them, and roll up
along GB/T 2260 to every city and county: :mod:`campus_security.engine.rollup`) and a
bounded sample of failing schools.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TypeVar

import attrs

from ..model import Period, RegionCode, School
from .results import Rate, RateStatus, RegionalRate, SchoolResult, Status, Tally
from .rollup import (
    PeriodTallies,
    RegionTallies,
    merge_region_tallies,
    period_rates_from_tallies,
    rates_from_tallies,
    regional_rates,
)
from .rules import Standard

__all__ = ["FAILING_SAMPLE", "StreamSummary"]

T = TypeVar("T", bound=tuple[object, ...])

FAILING_SAMPLE = 20
"""Failing schools a summary keeps by name (the count goes on)."""


@attrs.define
class StreamSummary:
    """Counts over any number of evaluated schools; summaries of parts merge in order.

    ``counts`` maps (standard id, status value) to findings, ``rule_counts`` (rule
    id, status value) to findings, ``region_tallies`` each school region code (six
    digits) to (standard id, target id, jurisdiction) -> the target tally of that
    region's schools; ``tallies`` sums them per jurisdiction. ``failing`` keeps the
    first ``FAILING_SAMPLE`` (20) schools with a failing finding, in roster order, as
    (school id, name, failing findings). Everything but ``failing`` adds up whatever
    the order of merges.
    """

    schools: int = 0
    """Schools evaluated."""
    uncovered: int = 0
    """Schools no installed standard covers."""
    findings: int = 0
    failing_schools: int = 0
    rule_counts: dict[tuple[str, str], int] = attrs.field(factory=dict)
    region_tallies: RegionTallies = attrs.field(factory=dict)
    """Per school region code: (standard id, target id, jurisdiction) -> tally."""
    region_period_tallies: PeriodTallies = attrs.field(factory=dict)
    """In a review window, per school region code: the tallies per period
    (``SchoolResult.period_tallies``)."""
    failing: list[tuple[str, str, int]] = attrs.field(factory=list)
    standard_of: dict[str, str] = attrs.field(factory=dict)
    """The standard of every rule counted (rule id -> standard id)."""

    @property
    def tallies(self) -> dict[tuple[str, str, RegionCode], Tally]:
        """The target tallies per (standard id, target id, jurisdiction)."""
        return _summed(self.region_tallies)

    @property
    def period_tallies(self) -> dict[tuple[str, str, RegionCode, Period], Tally]:
        """In a window: the tallies per (standard id, target id, jurisdiction, period)."""
        return _summed(self.region_period_tallies)

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
        # keyed by the school's region code (a str: its hash is cached), one lookup a
        # school; the roll-up to cities and counties is done once, at the end
        if result.tallies:
            code = school.region_code.value
            tallies = self.region_tallies.get(code)
            if tallies is None:
                tallies = self.region_tallies[code] = {}
            for std_id, target_id, region, tally in result.tallies:
                tkey = (std_id, target_id, region)
                old = tallies.get(tkey)
                tallies[tkey] = tally if old is None else old + tally
        if result.period_tallies:
            code = school.region_code.value
            by_period = self.region_period_tallies.get(code)
            if by_period is None:
                by_period = self.region_period_tallies[code] = {}
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
        merge_region_tallies(self.region_tallies, other.region_tallies)
        merge_region_tallies(self.region_period_tallies, other.region_period_tallies)
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

    def regional_rates(
        self, standards: Iterable[Standard], on: dt.date
    ) -> tuple[RegionalRate, ...]:
        """Each target's rate for its jurisdiction and every city and county under it.

        See :func:`campus_security.engine.rollup.regional_rates`: as of ``on``, then
        in a window per period; by standard, target, jurisdiction and region code.
        """
        return regional_rates(standards, on, self.region_tallies, self.region_period_tallies)

    def failed(self, rates: Iterable[Rate] = ()) -> bool:
        """Whether a rule failed or broke, or a due target was not met (exit status 1)."""
        c = self.status_counts()
        return bool(c[Status.FAIL] or c[Status.ERROR]) or any(
            r.status is RateStatus.NOT_MET for r in rates
        )


def _summed(by_region: Mapping[str, Mapping[T, Tally]]) -> dict[T, Tally]:
    out: dict[T, Tally] = {}
    for tallies in by_region.values():
        for key, tally in tallies.items():
            old = out.get(key)
            out[key] = tally if old is None else old + tally
    return out
