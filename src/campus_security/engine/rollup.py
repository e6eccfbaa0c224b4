"""Rates from target tallies, rolled up along GB/T 2260 to the cities and counties with schools.

:func:`rates_from_tallies` turns summed tallies into :class:`~campus_security.engine.Rate`
records (:func:`period_rates_from_tallies`: a window's, per period).

A standard rates its targets over its jurisdiction (all Jiangsu rates are for
``320000``). The same tallies, kept per school's region code (see
:class:`~campus_security.engine.summary.StreamSummary`), also give the rate of every
city and county under the jurisdiction that has schools:

- a school of a county (``320102``) counts in its county, its city (``320100``) and
  the jurisdiction;
- a functional zone (``320571``, 苏州工业园区: a development zone with a statistical
  code, see ``campus_security.model.regions``) is a county of its parent city
  (``320500``);
- a school registered directly under a city (a code ending ``00``: ``320100``) counts
  in the city and the jurisdiction, in no county;
- a school registered under the province (``320000``) counts in the jurisdiction only.

Only regions strictly under the jurisdiction get a row of their own: a city
standard (``130900``) has rows for its counties, a county standard none. A county
with no school has no row. Every row's tally is the sum of its schools', so the
counties of a city add up to the city (with the city's own schools) and the cities
to the jurisdiction; rates and statuses are reckoned as for the jurisdiction
(:func:`~campus_security.engine.evaluate.rates_from_tallies`: same target, threshold
and due date).

:func:`regional_rates` turns the per-region tallies into :class:`RegionalRate` rows;
:meth:`StreamSummary.regional_rates <campus_security.engine.summary.StreamSummary.regional_rates>`
and ``Outcome.regional_rates`` (:class:`campus_security.pipeline.Outcome`) call it, and
every report format renders them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TypeVar

import attrs

from ..model import Period, RegionCode, functional_zone, region_name
from ..model.values import InvalidValue
from .results import Level, Rate, RateStatus, RegionalRate, SchoolResult, Tally
from .rules import Standard

__all__ = [
    "DatedKey",
    "PeriodKey",
    "PeriodTallies",
    "RegionTallies",
    "add_region_tallies",
    "merge_region_tallies",
    "period_rates_from_tallies",
    "rates_from_tallies",
    "region_rows",
    "regional_rates",
]

T = TypeVar("T", bound=tuple[object, ...])

DatedKey = tuple[str, str, RegionCode]
"""(standard id, target id, jurisdiction)."""
PeriodKey = tuple[str, str, RegionCode, Period]
"""(standard id, target id, jurisdiction, period)."""
RegionTallies = dict[str, dict[DatedKey, Tally]]
"""Per school region code (six digits): (standard id, target id, jurisdiction) -> tally."""
PeriodTallies = dict[str, dict[PeriodKey, Tally]]
"""Per school region code: (standard id, target id, jurisdiction, period) -> tally."""


def rates_from_tallies(
    standards: Iterable[Standard],
    on: dt.date,
    totals: Mapping[tuple[str, str, RegionCode], Tally],
) -> tuple[Rate, ...]:
    """Turn summed tallies into :class:`Rate` records with their status on ``on``."""
    targets = {(s.id, t.id): t for s in standards for t in s.targets}
    out: list[Rate] = []
    for (std_id, target_id, region), tally in sorted(
        totals.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2].value)
    ):
        target = targets[(std_id, target_id)]
        if on < target.due:
            status = RateStatus.PENDING
        elif tally.counted == 0:
            status = RateStatus.NO_SCHOOLS
        elif tally.met >= target.threshold * tally.counted - 1e-9:
            status = RateStatus.MET
        else:
            status = RateStatus.NOT_MET
        out.append(
            Rate(
                target_id=target.id,
                standard_id=std_id,
                region=region,
                title=target.title,
                citation=target.citation,
                due=target.due,
                threshold=target.threshold,
                tally=tally,
                status=status,
            )
        )
    return tuple(out)


def period_rates_from_tallies(
    standards: Iterable[Standard],
    totals: Mapping[tuple[str, str, RegionCode, Period], Tally],
) -> tuple[Rate, ...]:
    """A window's rates, one per target, region and period, from summed tallies.

    A period's rate is pending when the period ends before the target is due.
    """
    out: list[Rate] = []
    by_end: dict[dt.date, dict[tuple[str, str, RegionCode], Tally]] = defaultdict(dict)
    periods: dict[tuple[dt.date, tuple[str, str, RegionCode]], Period] = {}
    for (std_id, target_id, region, period), tally in totals.items():
        by_end[period.end][(std_id, target_id, region)] = tally
        periods[(period.end, (std_id, target_id, region))] = period
    for end, group in sorted(by_end.items()):
        for rate in rates_from_tallies(standards, end, group):
            period = periods[(end, (rate.standard_id, rate.target_id, rate.region))]
            out.append(attrs.evolve(rate, period=period))
    return tuple(out)


@lru_cache(maxsize=65536)
def region_rows(jurisdiction: RegionCode, code: str) -> tuple[tuple[str, Level, str], ...]:
    """The rows below ``jurisdiction`` a school of region ``code`` counts in.

    Each row is (region code, level, parent code), the city before the county; the
    jurisdiction's own row is not listed (every school under it counts there).

    >>> from campus_security.engine.rollup import region_rows
    >>> region_rows(RegionCode("320000"), "320102")
    (('320100', <Level.CITY: 'city'>, '320000'), ('320102', <Level.COUNTY: 'county'>, '320100'))
    >>> region_rows(RegionCode("320000"), "320571")[1]
    ('320571', <Level.COUNTY: 'county'>, '320500')
    >>> region_rows(RegionCode("130900"), "130902")
    (('130902', <Level.COUNTY: 'county'>, '130900'),)
    >>> region_rows(RegionCode("320000"), "320100"), region_rows(RegionCode("320000"), "320000")
    ((('320100', <Level.CITY: 'city'>, '320000'),), ())
    """
    zone = functional_zone(code)
    city: str | None
    county: str | None
    if zone is not None:
        city, county = zone.parent, code
    elif code.endswith("0000"):
        city = county = None
    elif code.endswith("00"):
        city, county = code, None
    else:
        city, county = code[:4] + "00", code
    top = jurisdiction.value
    prefix = jurisdiction.prefix
    rows: list[tuple[str, Level, str]] = []
    parent = top
    if city is not None and city != top and city.startswith(prefix) and _is_region(city):
        rows.append((city, Level.CITY, top))
        parent = city
    if county is not None and county != top and county.startswith(prefix):
        rows.append((county, Level.COUNTY, parent))
    return tuple(rows)


@lru_cache(maxsize=4096)
def _is_region(code: str) -> bool:
    try:
        RegionCode(code)
    except InvalidValue:
        return False
    return True


@lru_cache(maxsize=65536)
def _code(code: str) -> RegionCode:
    return RegionCode(code)


def add_region_tallies(
    by_region: RegionTallies, by_region_period: PeriodTallies, code: str, result: SchoolResult
) -> None:
    """Count one school's target tallies under its region ``code``.

    What :meth:`StreamSummary.add <campus_security.engine.summary.StreamSummary.add>`
    does (inline, for speed), for callers that keep only the tallies.
    """
    if result.tallies:
        tallies = by_region.get(code)
        if tallies is None:
            tallies = by_region[code] = {}
        for std_id, target_id, region, tally in result.tallies:
            tkey = (std_id, target_id, region)
            old = tallies.get(tkey)
            tallies[tkey] = tally if old is None else old + tally
    if result.period_tallies:
        periods = by_region_period.get(code)
        if periods is None:
            periods = by_region_period[code] = {}
        for std_id, target_id, region, period, tally in result.period_tallies:
            pkey = (std_id, target_id, region, period)
            had = periods.get(pkey)
            periods[pkey] = tally if had is None else had + tally


def merge_region_tallies(
    into: dict[str, dict[T, Tally]], other: Mapping[str, Mapping[T, Tally]]
) -> None:
    """Add ``other``'s per-region tallies into ``into``; the order of merges does not matter."""
    for code, tallies in other.items():
        mine = into.get(code)
        if mine is None:
            into[code] = dict(tallies)
            continue
        for key, tally in tallies.items():
            old = mine.get(key)
            mine[key] = tally if old is None else old + tally


def regional_rates(
    standards: Iterable[Standard],
    on: dt.date,
    by_region: Mapping[str, Mapping[DatedKey, Tally]],
    by_region_period: Mapping[str, Mapping[PeriodKey, Tally]] | None = None,
) -> tuple[RegionalRate, ...]:
    """Each target's rate for its jurisdiction and every city and county under it with schools.

    ``by_region`` holds the tallies as of ``on`` per school region code,
    ``by_region_period`` a window's per period. Rows come by standard, target and
    jurisdiction; the rates as of ``on`` first, then each period in order; within
    those by region code (a city before its counties: ``320100``, ``320102``, ...).
    """
    standards = tuple(standards)
    dated: dict[tuple[str, str, RegionCode], dict[str, Tally]] = {}
    for code, tallies in by_region.items():
        for key, tally in tallies.items():
            _roll(dated.setdefault(key, {}), key[2], code, tally)
    periodic: dict[tuple[str, str, RegionCode, Period], dict[str, Tally]] = {}
    for code, ptallies in (by_region_period or {}).items():
        for pkey, tally in ptallies.items():
            _roll(periodic.setdefault(pkey, {}), pkey[2], code, tally)
    out: list[RegionalRate] = []
    groups = sorted(
        {(k[0], k[1], k[2]) for k in dated} | {(k[0], k[1], k[2]) for k in periodic},
        key=lambda k: (k[0], k[1], k[2].value),
    )
    periods: dict[tuple[str, str, RegionCode], list[Period]] = {}
    for std_id, target_id, jur, period in periodic:
        periods.setdefault((std_id, target_id, jur), []).append(period)
    for group in groups:
        std_id, target_id, jur = group
        rows = dated.get(group)
        if rows is not None:
            out.extend(_rated(standards, on, group, rows, None))
        for period in sorted(periods.get(group, ()), key=lambda p: (p.end, p.start)):
            out.extend(_rated(standards, on, group, periodic[(*group, period)], period))
    return tuple(out)


def _roll(rows: dict[str, Tally], jurisdiction: RegionCode, code: str, tally: Tally) -> None:
    """Add a region's tally to the jurisdiction's row and to each row it lies in."""
    top = jurisdiction.value
    old = rows.get(top)
    rows[top] = tally if old is None else old + tally
    for row, _level, _parent in region_rows(jurisdiction, code):
        old = rows.get(row)
        rows[row] = tally if old is None else old + tally


def _rated(
    standards: tuple[Standard, ...],
    on: dt.date,
    group: tuple[str, str, RegionCode],
    rows: Mapping[str, Tally],
    period: Period | None,
) -> list[RegionalRate]:
    std_id, target_id, jur = group
    keyed = {(std_id, target_id, _code(code)): tally for code, tally in rows.items()}
    if period is None:
        rates = rates_from_tallies(standards, on, keyed)
    else:
        rates = tuple(
            attrs.evolve(r, period=period) for r in rates_from_tallies(standards, period.end, keyed)
        )
    placed = _placement(jur, rows)
    out = []
    for rate in sorted(rates, key=lambda r: r.region.value):
        level, parent = placed[rate.region.value]
        out.append(
            RegionalRate(
                rate=rate,
                jurisdiction=jur,
                level=level,
                parent=None if parent is None else _code(parent),
                name=region_name(rate.region.value),
            )
        )
    return out


def _placement(
    jurisdiction: RegionCode, rows: Iterable[str]
) -> dict[str, tuple[Level, str | None]]:
    """Each row's level and parent code."""
    out: dict[str, tuple[Level, str | None]] = {jurisdiction.value: (Level.JURISDICTION, None)}
    for code in rows:
        if code in out:
            continue
        for row, level, parent in region_rows(jurisdiction, code):
            out[row] = (level, parent)
    return out
