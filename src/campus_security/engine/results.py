"""What an evaluation returns: findings per rule and school, and rates against targets."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..model import Period, RegionCode, Text, Waiver
from .rules import Citation

__all__ = [
    "Finding",
    "Level",
    "Rate",
    "RateStatus",
    "RegionalRate",
    "Report",
    "SchoolResult",
    "Status",
    "Tally",
]


class Status(enum.Enum):
    """The status of a finding (检查结果)."""

    PASS = "pass"
    """合格."""
    FAIL = "fail"
    """不合格."""
    NOT_APPLICABLE = "not_applicable"
    """不适用."""
    WAIVED = "waived"
    """豁免: the check failed but a waiver in force covers it."""
    ERROR = "error"
    """The rule itself broke; the other rules still ran."""

    @property
    def zh(self) -> str:
        """The Chinese label."""
        return _STATUS_ZH[self]


_STATUS_ZH = {
    Status.PASS: "合格",
    Status.FAIL: "不合格",
    Status.NOT_APPLICABLE: "不适用",
    Status.WAIVED: "豁免",
    Status.ERROR: "出错",
}


@attrs.frozen
class Finding:
    """The result of one rule of one standard for one school."""

    rule_id: str
    standard_id: str
    school_id: str
    status: Status
    citation: Citation
    message: Text
    evidence: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    waiver: Waiver | None = None
    """The waiver that waived the finding, or the one that lapsed."""
    waiver_expired: bool = False
    """A waiver for this rule had expired on the evaluation date."""
    period: Period | None = None
    """The period a periodic rule judged (see ``Rule.every``); ``None`` for a rule that
    is not periodic. A finding is identified by its school, rule and period."""


class RateStatus(enum.Enum):
    """Where a rate stands against its target."""

    MET = "met"
    NOT_MET = "not_met"
    PENDING = "pending"
    """The target's deadline has not come yet."""
    NO_SCHOOLS = "no_schools"
    """No school of the roster is in the target's population."""

    @property
    def zh(self) -> str:
        """The Chinese label."""
        return {
            "met": "达标",
            "not_met": "未达标",
            "pending": "未到期",
            "no_schools": "无适用学校",
        }[self.value]


@attrs.frozen
class Tally:
    """Counts of one target over some schools; tallies add up across batches."""

    met: int = 0
    not_met: int = 0
    waived: int = 0
    errors: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.met + other.met,
            self.not_met + other.not_met,
            self.waived + other.waived,
            self.errors + other.errors,
        )

    @property
    def counted(self) -> int:
        """Schools in the denominator: those that met or did not meet the rule.

        Waived schools and schools whose rule broke are reported but not counted.
        """
        return self.met + self.not_met


@attrs.frozen
class Rate:
    """A rate (达标率) of a jurisdiction's schools against a dated target."""

    target_id: str
    standard_id: str
    region: RegionCode
    title: Text
    citation: Citation
    due: dt.date
    threshold: float
    tally: Tally
    status: RateStatus
    period: Period | None = None
    """In a window, the period rated (``None``: the rate as of the report's date)."""

    @property
    def value(self) -> float | None:
        """The share of counted schools that met the rule, or ``None`` with none counted."""
        return self.tally.met / self.tally.counted if self.tally.counted else None


class Level(enum.Enum):
    """Where a region stands under a standard's jurisdiction (its row's indent)."""

    JURISDICTION = "jurisdiction"
    """The standard's jurisdiction itself (管辖区域)."""
    CITY = "city"
    """A city (地级) under the jurisdiction."""
    COUNTY = "county"
    """A county (县级), or a functional zone, under its city or the jurisdiction."""

    @property
    def zh(self) -> str:
        """The Chinese label."""
        return {"jurisdiction": "辖区", "city": "市", "county": "县区"}[self.value]

    @property
    def depth(self) -> int:
        """0 for the jurisdiction, 1 for a city, 2 for a county."""
        return {"jurisdiction": 0, "city": 1, "county": 2}[self.value]


@attrs.frozen
class RegionalRate:
    """A target's rate for one region: the jurisdiction, or a city or county under it.

    ``rate`` is a :class:`~campus_security.engine.Rate` whose ``region`` is the region
    rated (its tally holds that region's schools only); ``jurisdiction`` the standard's
    jurisdiction it rolls up to; ``parent`` the row it adds up into (``None`` for the
    jurisdiction); ``name`` the region's short name (南京市, 玄武区), ``None`` when the
    tables have none (show the code alone).
    """

    rate: Rate
    jurisdiction: RegionCode
    level: Level
    parent: RegionCode | None
    name: str | None

    @property
    def region(self) -> RegionCode:
        """The region rated."""
        return self.rate.region

    @property
    def label(self) -> str:
        """The code and the name (``320102 玄武区``), or the code alone."""
        code = self.rate.region.value
        return code if self.name is None else f"{code} {self.name}"


@attrs.frozen
class SchoolResult:
    """Everything one school contributes: its findings and its target tallies.

    Schools are evaluated independently; their results combine with
    :func:`campus_security.engine.aggregate`.
    """

    school_id: str
    findings: tuple[Finding, ...]
    tallies: tuple[tuple[str, str, RegionCode, Tally], ...] = ()
    """(standard id, target id, jurisdiction region, tally of this school)."""
    period_tallies: tuple[tuple[str, str, RegionCode, Period, Tally], ...] = ()
    """In a window: (standard id, target id, region, period, tally), one per period of the
    window (a periodic rule's periods; for other rules, ``Evaluator.rate_every``'s)."""


@attrs.frozen
class Report:
    """The result of evaluating a roster as of a date, or over a window."""

    on: dt.date
    findings: tuple[Finding, ...]
    rates: tuple[Rate, ...] = ()
    since: dt.date | None = None
    """A window's first day (the window is ``since``..``on``); ``None``: as of ``on``."""
    regional_rates: tuple[RegionalRate, ...] = ()
    """Each target's rate for its jurisdiction and every city and county under it with
    schools (see :mod:`campus_security.engine.rollup`)."""

    def by_status(self, *statuses: Status) -> tuple[Finding, ...]:
        """Findings with one of the given statuses."""
        return tuple(f for f in self.findings if f.status in statuses)

    @property
    def failed(self) -> bool:
        """Whether any rule failed or any due target was not met."""
        return any(f.status is Status.FAIL for f in self.findings) or any(
            r.status is RateStatus.NOT_MET for r in self.rates
        )

    def counts(self) -> dict[Status, int]:
        """Number of findings of each status."""
        out = dict.fromkeys(Status, 0)
        for f in self.findings:
            out[f.status] += 1
        return out

    @classmethod
    def combine(
        cls,
        on: dt.date,
        findings: Iterable[Finding],
        rates: Iterable[Rate],
        since: dt.date | None = None,
        regional_rates: Iterable[RegionalRate] = (),
    ) -> Report:
        """Build a report from findings and rates, in a stable order.

        ``regional_rates`` are kept in the order given (the roll-up's).
        """
        return cls(
            on,
            tuple(sorted(findings, key=_finding_order)),
            tuple(sorted(rates, key=_rate_order)),
            since,
            tuple(regional_rates),
        )


def _finding_order(f: Finding) -> tuple[str, str, str, dt.date]:
    return (f.school_id, f.standard_id, f.rule_id, f.period.start if f.period else dt.date.min)


def _rate_order(r: Rate) -> tuple[str, str, str, dt.date]:
    return (r.standard_id, r.target_id, r.region.value, r.period.end if r.period else dt.date.max)
