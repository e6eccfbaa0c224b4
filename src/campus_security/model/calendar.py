"""Calendar periods the regulations count in: half-months, semesters, quarters, years.

All dates are calendar dates in China's local time (UTC+8, no daylight saving).
A period is a closed interval of dates: ``Period(start, end)`` contains both ends.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator

import attrs

from ._checks import check_fields
from .values import invalid

__all__ = [
    "CHINA_TZ",
    "Every",
    "Period",
    "day",
    "half_month",
    "half_months",
    "month",
    "previous_period",
    "quarter",
    "semester",
    "today_in_china",
    "week",
    "year",
]

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


def today_in_china() -> dt.date:
    """Today's date in China (UTC+8)."""
    return dt.datetime.now(CHINA_TZ).date()


@attrs.frozen(order=True)
class Period:
    """A closed interval of calendar dates, ``start`` and ``end`` included."""

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        check_fields(self)
        if self.end < self.start:
            raise invalid(
                f"期间的结束日早于开始日：{self.start} > {self.end}",
                f"period ends before it starts: {self.start} > {self.end}",
                field="end",
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    @classmethod
    def trailing(cls, on: dt.date, days: int) -> Period:
        """The ``days`` days ending on ``on`` (``on`` included)."""
        return cls(on - dt.timedelta(days=days - 1), on)


def _month_end(year_: int, month: int) -> dt.date:
    nxt = dt.date(year_ + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def previous_period(period_of: Callable[[dt.date], Period], on: dt.date) -> Period:
    """The last complete period before the one holding ``on``.

    >>> previous_period(semester, dt.date(2024, 9, 1))
    Period(start=datetime.date(2024, 2, 1), end=datetime.date(2024, 8, 31))
    >>> previous_period(half_month, dt.date(2024, 3, 16))
    Period(start=datetime.date(2024, 3, 1), end=datetime.date(2024, 3, 15))
    """
    return period_of(period_of(on).start - dt.timedelta(days=1))


def day(d: dt.date) -> Period:
    """The one-day period of ``d``."""
    return Period(d, d)


def half_month(day: dt.date) -> Period:
    """The half-month (半月) holding ``day``: the 1st-15th or the 16th-end of the month."""
    if day.day <= 15:
        return Period(day.replace(day=1), day.replace(day=15))
    return Period(day.replace(day=16), _month_end(day.year, day.month))


def half_months(start: dt.date, end: dt.date) -> Iterator[Period]:
    """Every half-month that overlaps ``start``..``end``, in order."""
    p = half_month(start)
    while p.start <= end:
        yield p
        p = half_month(p.end + dt.timedelta(days=1))


def week(day: dt.date) -> Period:
    """The ISO week (Monday-Sunday) holding ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return Period(monday, monday + dt.timedelta(days=6))


def month(day: dt.date) -> Period:
    """The calendar month holding ``day``."""
    return Period(day.replace(day=1), _month_end(day.year, day.month))


def quarter(day: dt.date) -> Period:
    """The calendar quarter holding ``day``."""
    first = 3 * ((day.month - 1) // 3) + 1
    return Period(dt.date(day.year, first, 1), _month_end(day.year, first + 2))


def year(day: dt.date) -> Period:
    """The calendar year holding ``day``."""
    return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))


def semester(day: dt.date) -> Period:
    """The semester (学期) holding ``day``.

    Autumn runs from 1 September to the end of January, spring from 1 February to
    31 August (the glossary's convention, unless a standard says otherwise).
    """
    if day.month >= 9:
        return Period(dt.date(day.year, 9, 1), dt.date(day.year + 1, 1, 31))
    if day.month == 1:
        return Period(dt.date(day.year - 1, 9, 1), dt.date(day.year, 1, 31))
    return Period(dt.date(day.year, 2, 1), dt.date(day.year, 8, 31))


class Every(enum.Enum):
    """The cadence of a periodic rule: the calendar period it is judged over.

    A rule declares it (``rule(..., every=Every.HALF_MONTH)``) and the engine hands the
    check the period to judge as ``ctx.period``: in a check as of a date, the last
    complete period before that date; in a window, each period that lies wholly inside
    it (a period cut by the window's edges is not judged). A rule that counts over a
    longer span ("twice a semester", "two assessments a year") declares that span.

    >>> Every.WEEK.of(dt.date(2024, 11, 20))
    Period(start=datetime.date(2024, 11, 18), end=datetime.date(2024, 11, 24))
    >>> Every.HALF_MONTH.last_complete(dt.date(2024, 3, 16))
    Period(start=datetime.date(2024, 3, 1), end=datetime.date(2024, 3, 15))
    >>> [str(p) for p in Every.MONTH.within(dt.date(2024, 1, 15), dt.date(2024, 3, 31))]
    ['2024-02-01..2024-02-29', '2024-03-01..2024-03-31']
    """

    DAY = "day"
    WEEK = "week"
    """ISO weeks, Monday to Sunday."""
    HALF_MONTH = "half_month"
    """The 1st-15th and the 16th to the month's end."""
    MONTH = "month"
    QUARTER = "quarter"
    SEMESTER = "semester"
    """Autumn 1 September-31 January, spring 1 February-31 August."""
    YEAR = "year"

    @property
    def zh(self) -> str:
        """The Chinese name of the period (日, 周, 半月, 月, 季度, 学期, 年)."""
        return _EVERY_ZH[self]

    def of(self, d: dt.date) -> Period:
        """The period holding ``d``."""
        return _EVERY_OF[self](d)

    def last_complete(self, on: dt.date, count: int = 1) -> Period:
        """The last ``count`` complete periods before the one holding ``on``, as one span.

        ``count=1`` is :func:`previous_period`; jiangsu's police patrols, judged day by
        day, look at the seven days before the date (``count=7``).
        """
        last = previous_period(self.of, on)
        first = last
        for _ in range(count - 1):
            first = previous_period(self.of, first.start)
        return Period(first.start, last.end)

    def within(self, start: dt.date, end: dt.date) -> tuple[Period, ...]:
        """Every period lying wholly inside ``start``..``end`` (both included), in order.

        A period cut by either edge is left out.
        """
        out: list[Period] = []
        p = self.of(start)
        if p.start < start:
            p = self.of(p.end + dt.timedelta(days=1))
        while p.end <= end:
            out.append(p)
            p = self.of(p.end + dt.timedelta(days=1))
        return tuple(out)


_EVERY_OF: dict[Every, Callable[[dt.date], Period]] = {
    Every.DAY: day,
    Every.WEEK: week,
    Every.HALF_MONTH: half_month,
    Every.MONTH: month,
    Every.QUARTER: quarter,
    Every.SEMESTER: semester,
    Every.YEAR: year,
}
_EVERY_ZH = {
    Every.DAY: "日",
    Every.WEEK: "周",
    Every.HALF_MONTH: "半月",
    Every.MONTH: "月",
    Every.QUARTER: "季度",
    Every.SEMESTER: "学期",
    Every.YEAR: "年",
}
